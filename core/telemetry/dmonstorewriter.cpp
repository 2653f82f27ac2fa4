#include "core/telemetry/dmonstorewriter.h"

#include "core/telemetry/wallclock.h"

namespace TuneDeck::Telemetry {

DmonStoreWriter::DmonStoreWriter(MetricStore& store, QString run, QString node, qint64 intervalMs)
    : m_store(store)
    , m_run(std::move(run))
    , m_node(std::move(node))
    , m_intervalMs(intervalMs)
{ }

void DmonStoreWriter::dmonColumns(const QByteArrayList& valueNames)
{
    m_names = valueNames;
    for (Gpu& g : m_gpus) {
        flush(g);
        g.series.clear(); // re-resolved by name on the next row
    }
}

void DmonStoreWriter::dmonRow(int gpu, qint64 timeMs, qint64 sample, const float* values, int count)
{
    if (size_t(gpu) >= m_gpus.size())
        m_gpus.resize(size_t(gpu) + 1);
    Gpu& g = m_gpus[size_t(gpu)];
    if (g.axis < 0)
        g.axis = m_store.timeAxis(m_run, m_node, QStringLiteral("dmon/gpu") + QString::number(gpu));
    if (g.series.size() != size_t(count)) {
        flush(g);
        g.series.clear();
        for (int i = 0; i < count; ++i)
            g.series.push_back(
                m_store.series(g.axis, SeriesKey { m_run, m_node, gpu, QString::fromLatin1(m_names.value(i)) }));
    }
    g.times.push_back(timeMs == WallClock::Missing ? sample * m_intervalMs : timeMs);
    g.values.insert(g.values.end(), values, values + count);
    constexpr size_t BatchRows = 256;
    if (g.times.size() >= BatchRows)
        flush(g);
}

void DmonStoreWriter::flush(Gpu& g)
{
    if (g.times.empty())
        return;
    m_store.appendRows(
        g.axis, g.times.data(), qsizetype(g.times.size()), g.series.data(), g.values.data(), int(g.series.size()));
    g.times.clear();
    g.values.clear();
}

void DmonStoreWriter::dmonFlush()
{
    for (Gpu& g : m_gpus)
        flush(g);
}

} // namespace TuneDeck::Telemetry
