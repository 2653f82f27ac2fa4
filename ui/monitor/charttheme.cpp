#include "ui/monitor/charttheme.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>
#include <QPalette>

namespace TuneDeck::Ui {

void applyPalette(QChart* chart, const QPalette& palette)
{
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setTitleBrush(palette.color(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    for (QAbstractAxis* axis : chart->axes())
        applyPalette(axis, palette);
}

void applyPalette(QAbstractAxis* axis, const QPalette& palette)
{
    axis->setLabelsColor(palette.color(QPalette::Text));
    axis->setTitleBrush(palette.color(QPalette::Text));
    axis->setGridLineColor(palette.color(QPalette::Midlight));
}

} // namespace TuneDeck::Ui
