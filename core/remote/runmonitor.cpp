#include "core/remote/runmonitor.h"

namespace TuneDeck {

RunMonitor::RunMonitor(SshConnection* connection, const QString& runName, QObject* parent)
    : QObject(parent)
    , m_follower(connection)
    , m_telemetry(runName)
{
    connect(&m_follower, &RemoteFileFollower::linesArrived, this, &RunMonitor::onLines);
    connect(&m_follower, &RemoteFileFollower::segmentStarted, this,
        [this](const QString& path, int segment, const QString&) { onSegment(path, segment); });
}

void RunMonitor::setRun(const RunFiles& files, const QStringList& nodes)
{
    const auto add = [this](const QString& path, Telemetry::TelemetryFile kind, const QString& node) {
        if (m_sources.emplace(path, Source { kind, node }).second)
            m_follower.follow(path);
    };
    add(files.slurmOutput(), Telemetry::TelemetryFile::TrainerLog, {});
    add(files.trainerLog(), Telemetry::TelemetryFile::TrainerJsonl, {});
    for (const QString& node : nodes) {
        add(files.dmon(node), Telemetry::TelemetryFile::Dmon, node);
        add(files.vmstat(node), Telemetry::TelemetryFile::Vmstat, node);
    }
}

qint64 RunMonitor::bytesReceived(const QString& path) const
{
    const auto found = m_sources.find(path);
    return found == m_sources.end() ? 0 : m_telemetry.bytesFed(found->second.kind, found->second.node);
}

void RunMonitor::onSegment(const QString& path, int segment)
{
    const auto found = m_sources.find(path);
    // Segment 1 is the file appearing; later ones are the file starting over: a new attempt.
    if (found != m_sources.end() && segment > 1)
        m_telemetry.restart(found->second.kind, found->second.node);
}

void RunMonitor::onLines(const QString& path, int segment, const QByteArray& lines)
{
    const auto found = m_sources.find(path);
    if (found == m_sources.end())
        return;
    m_telemetry.feed(found->second.kind, found->second.node, lines);
    FollowedFile state;
    for (const FollowedFile& f : m_follower.files()) {
        if (f.path == path)
            state = f;
    }
    state.segment = segment;
    Q_EMIT linesFed(path, found->second.kind, found->second.node, state.offset - lines.size(), lines, state);
    Q_EMIT updated();
}

void RunMonitor::resume(const QString& path, const FollowedFile& state, const QList<QByteArray>& segments)
{
    const auto found = m_sources.find(path);
    if (found == m_sources.end())
        return;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        if (i > 0)
            m_telemetry.restart(found->second.kind, found->second.node);
        m_telemetry.feed(found->second.kind, found->second.node, segments[i]);
    }
    m_follower.follow(path, state);
    Q_EMIT updated();
}

} // namespace TuneDeck
