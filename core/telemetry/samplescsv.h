#pragma once

#include "core/telemetry/metricstore.h"

#include <QByteArray>

namespace TuneDeck::Telemetry {

// The raw samples of `series` in [t0, t1), full resolution, as CSV in long form — one row per sample:
//   seconds,node,gpu,metric,value
// seconds since `origin` with millisecond precision, gpu empty for node-level series, value empty for a
// missing sample. Fields that need it are quoted (RFC 4180). What "Export data" writes for the visible
// range of a chart; pandas.read_csv and spreadsheets read it as is.
QByteArray samplesCsv(const MetricStore& store, const QList<int>& series, qint64 t0, qint64 t1, qint64 origin);

// Values by optimizer step (the training chart), one row per value: step,metric,value.
QByteArray stepValuesCsv(const QList<std::pair<QString, QList<std::pair<qint64, double>>>>& metrics);

} // namespace TuneDeck::Telemetry
