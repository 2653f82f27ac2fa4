#pragma once

#include "core/telemetry/derivedfigures.h"

#include <QWidget>

namespace TuneDeck::Ui {

// Node x GPU grid of one metric's recent mean (SM utilisation of the last minute by default), so an idle
// GPU or a slow node stands out at a glance. Custom-painted: hovering a cell names node, GPU and value,
// and the accessible description carries every value as text.
class HeatmapWidget : public QWidget
{
    Q_OBJECT
public:
    explicit HeatmapWidget(QWidget* parent = nullptr);

    void setValues(const QList<Telemetry::MetricSummary>& values, const QString& unit, double maximum);
    // Cells outlined and named as flagged (idle GPUs; every GPU of a slow node): "node\ngpu" -> why.
    void setFlags(const QList<Telemetry::Flag>& flags);
    // Why a cell is flagged ("idle", "slow node"), empty if it is not.
    QString flagAt(const QString& node, int gpu) const;
    // The cell under a point: node and GPU, or an empty node.
    std::pair<QString, int> cellAt(const QPoint& point) const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRect cellRect(int row, int column) const;

    QStringList m_nodes;
    QList<int> m_gpus;
    QHash<QString, double> m_values; // "node\ngpu" -> value
    QString m_unit;
    QList<Telemetry::Flag> m_flags;
    QString m_description;
    void describe();
    double m_maximum = 100;
};

} // namespace TuneDeck::Ui
