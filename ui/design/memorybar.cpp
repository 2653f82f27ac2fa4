#include "ui/design/memorybar.h"

#include <QPainter>

namespace TuneDeck::Ui {

MemoryBar::MemoryBar(QWidget* parent)
    : QWidget(parent)
{
    setAccessibleName(tr("GPU memory estimate"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void MemoryBar::setEstimate(const std::optional<MemoryEstimate>& estimate)
{
    m_estimate = estimate;
    const QString text = estimate ? estimate->breakdown() : tr("No estimate (unknown model size or GPU type)");
    setToolTip(text);
    setAccessibleDescription(text);
    update();
}

QList<MemoryBar::Part> MemoryBar::parts() const
{
    if (!m_estimate)
        return {};
    const MemoryEstimate& e = *m_estimate;
    // Fixed hues, readable on light and dark backgrounds; the legend names each one.
    return {
        { tr("weights"), e.weightsGiB, QColor(0x3d, 0xae, 0xe9) },
        { tr("gathered layers"), e.gatheredLayersGiB, QColor(0x1d, 0x99, 0xf3).darker(130) },
        { tr("trainable state"), e.trainableStateGiB, QColor(0x9b, 0x59, 0xb6) },
        { tr("activations"), e.activationsGiB, QColor(0xf6, 0x74, 0x00) },
        { tr("logits"), e.logitsGiB, QColor(0xfd, 0xbc, 0x4b) },
        { tr("overhead"), e.overheadGiB, QColor(0x7f, 0x8c, 0x8d) },
    };
}

QSize MemoryBar::sizeHint() const
{
    const int line = fontMetrics().height();
    return { 360, line * 3 + 14 };
}

QSize MemoryBar::minimumSizeHint() const
{
    return { 200, sizeHint().height() };
}

void MemoryBar::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const int line = fontMetrics().height();
    const QRect bar(0, 0, width() - 1, line + 4);
    painter.setPen(palette().color(QPalette::Mid));
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRect(bar);
    if (!m_estimate || m_estimate->gpuGiB <= 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(bar, Qt::AlignCenter, tr("no estimate"));
        return;
    }
    const MemoryEstimate& e = *m_estimate;
    // Scale: the GPU's memory, or the total when it does not fit (then a red line marks the GPU's size).
    const double scale = std::max(e.totalGiB, e.gpuGiB);
    const double pxPerGiB = (bar.width() - 1) / scale;
    double x = bar.left() + 1;
    for (const Part& part : parts()) {
        const double w = part.gib * pxPerGiB;
        painter.fillRect(QRectF(x, bar.top() + 1, w, bar.height() - 1), part.colour);
        x += w;
    }
    const double limitX = bar.left() + 1 + e.gpuGiB * pxPerGiB;
    const QColor over = e.fraction() > 1.0 ? QColor(0xda, 0x44, 0x53) : palette().color(QPalette::Text);
    painter.setPen(QPen(over, 2));
    painter.drawLine(QPointF(limitX, 0), QPointF(limitX, bar.bottom() + 3));
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(bar.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignRight,
        tr("%1 of %2 GiB (%3%)").arg(e.totalGiB, 0, 'f', 1).arg(e.gpuGiB, 0, 'f', 0).arg(qRound(e.fraction() * 100)));
    // Legend: a swatch and the name of each part, wrapping onto a second line when narrow.
    int lx = 0;
    int ly = bar.bottom() + 6;
    for (const Part& part : parts()) {
        const QString label = QStringLiteral("%1 %2").arg(part.name).arg(part.gib, 0, 'f', 1);
        const int w = line + fontMetrics().horizontalAdvance(label) + 12;
        if (lx + w > width() && lx > 0) {
            lx = 0;
            ly += line + 2;
        }
        painter.fillRect(QRect(lx, ly + 3, line - 6, line - 6), part.colour);
        painter.drawText(QRect(lx + line - 2, ly, w, line), Qt::AlignVCenter | Qt::AlignLeft, label);
        lx += w;
    }
}

} // namespace TuneDeck::Ui
