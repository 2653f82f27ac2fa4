#pragma once

#include "core/telemetry/metricstore.h"

#include <QList>

class QLineSeries;

namespace TuneDeck::Ui {

// How the monitor's charts are fed (and what tests/bench/monitor_bench measures): each visible series
// gets the store's decimated view of [t0, t1) at `columns` pixel columns, in one replace(); x is seconds
// since `origin`, y the column's maximum (a one-sample spike is never decimated away). Hidden series are
// skipped and cost nothing. Returns the largest value drawn, for the y axis.
double feedChartSeries(const Telemetry::MetricStore& store, const QList<std::pair<int, QLineSeries*>>& series,
    qint64 origin, qint64 t0, qint64 t1, int columns);

} // namespace TuneDeck::Ui
