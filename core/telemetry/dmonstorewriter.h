#pragma once

#include "core/telemetry/dmonreader.h"
#include "core/telemetry/metricstore.h"

namespace TuneDeck::Telemetry {

// Puts a node's dmon rows into the store: one time axis per GPU ("dmon/gpuN"), one series per GPU and column.
// Logs without -o T/D get times from the sample counter and the dmon interval (-d, default 1 s).
// Rows are batched per GPU and stored a column at a time (MetricStore::appendRows), which keeps the writes
// of one series together; the batch is stored at the end of every feed() (dmonFlush), so the store is never
// behind what was fed.
class DmonStoreWriter : public DmonSink
{
public:
    DmonStoreWriter(MetricStore& store, QString run, QString node, qint64 intervalMs = 1000);
    void dmonColumns(const QByteArrayList& valueNames) override;
    void dmonRow(int gpu, qint64 timeMs, qint64 sample, const float* values, int count) override;
    void dmonFlush() override;

private:
    MetricStore& m_store;
    QString m_run;
    QString m_node;
    qint64 m_intervalMs;
    QByteArrayList m_names;
    struct Gpu
    {
        int axis = -1;
        std::vector<int> series; // by column of the current header
        std::vector<qint64> times; // batched rows
        std::vector<float> values; // row-major, series.size() per row
    };
    void flush(Gpu& g);
    std::vector<Gpu> m_gpus;
};

} // namespace TuneDeck::Telemetry
