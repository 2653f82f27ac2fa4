#pragma once

#include "core/telemetry/metricstore.h"
#include "core/telemetry/vmstatreader.h"

namespace TuneDeck::Telemetry {

// Puts a node's vmstat rows into the store (axis "vmstat", gpu -1). Since-boot rows are not stored: they
// average over the node's uptime and would show as a spike at the start of every vmstat run.
class VmstatStoreWriter : public VmstatSink
{
public:
    VmstatStoreWriter(MetricStore& store, QString run, QString node, qint64 intervalMs = 1000);
    void vmstatColumns(const QByteArrayList& names) override;
    void vmstatRow(qint64 timeMs, qint64 index, const float* values, int count, bool sinceBoot) override;

private:
    MetricStore& m_store;
    QString m_run;
    QString m_node;
    qint64 m_intervalMs;
    int m_axis = -1;
    std::vector<int> m_series;
    QByteArrayList m_names;
};

} // namespace TuneDeck::Telemetry
