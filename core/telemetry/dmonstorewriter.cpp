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
    for (Gpu& g : m_gpus)
        g.series.clear(); // re-resolved by name on the next row
}

void DmonStoreWriter::dmonRow(int gpu, qint64 timeMs, qint64 sample, const float* values, int count)
{
    if (size_t(gpu) >= m_gpus.size())
        m_gpus.resize(size_t(gpu) + 1);
    Gpu& g = m_gpus[size_t(gpu)];
    if (g.axis < 0)
        g.axis = m_store.timeAxis(m_run, m_node, QStringLiteral("dmon/gpu") + QString::number(gpu));
    if (g.series.size() != size_t(count)) {
        g.series.clear();
        for (int i = 0; i < count; ++i)
            g.series.push_back(
                m_store.series(g.axis, SeriesKey { m_run, m_node, gpu, QString::fromLatin1(m_names.value(i)) }));
    }
    m_store.appendTime(g.axis, timeMs == WallClock::Missing ? sample * m_intervalMs : timeMs);
    for (int i = 0; i < count; ++i)
        m_store.append(g.series[size_t(i)], values[i]);
}

} // namespace TuneDeck::Telemetry
