#include "ui/monitor/chartfeed.h"

#include <QLineSeries>

namespace TuneDeck::Ui {

double feedChartSeries(const Telemetry::MetricStore& store, const QList<std::pair<int, QLineSeries*>>& series,
    qint64 origin, qint64 t0, qint64 t1, int columns)
{
    double top = 0;
    QList<QPointF> points;
    for (const auto& [id, line] : series) {
        if (!line->isVisible())
            continue;
        const QList<Telemetry::ViewColumn> view = store.view(id, t0, t1, columns);
        points.clear();
        points.reserve(view.size());
        for (const Telemetry::ViewColumn& c : view) {
            points.append(QPointF(double(c.t - origin) / 1000.0, c.max));
            top = std::max(top, double(c.max));
        }
        line->replace(points);
    }
    return top;
}

} // namespace TuneDeck::Ui
