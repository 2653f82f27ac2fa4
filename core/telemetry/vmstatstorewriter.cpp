#include "core/telemetry/vmstatstorewriter.h"

#include "core/telemetry/wallclock.h"

namespace TuneDeck::Telemetry {

VmstatStoreWriter::VmstatStoreWriter(MetricStore& store, QString run, QString node, qint64 intervalMs)
    : m_store(store)
    , m_run(std::move(run))
    , m_node(std::move(node))
    , m_intervalMs(intervalMs)
{ }

void VmstatStoreWriter::vmstatColumns(const QByteArrayList& names)
{
    m_names = names;
    m_series.clear();
}

void VmstatStoreWriter::vmstatRow(qint64 timeMs, qint64 index, const float* values, int count, bool sinceBoot)
{
    if (sinceBoot)
        return;
    if (m_axis < 0)
        m_axis = m_store.timeAxis(m_run, m_node, QStringLiteral("vmstat"));
    if (m_series.size() != size_t(count)) {
        m_series.clear();
        for (int i = 0; i < count; ++i)
            m_series.push_back(
                m_store.series(m_axis, SeriesKey { m_run, m_node, -1, QString::fromLatin1(m_names.value(i)) }));
    }
    m_store.appendRow(
        m_axis, timeMs == WallClock::Missing ? index * m_intervalMs : timeMs, m_series.data(), values, count);
}

} // namespace TuneDeck::Telemetry
