#include "core/remote/runmonitor.h"

#include "core/telemetry/dmonreader.h"
#include "core/telemetry/dmonstorewriter.h"
#include "core/telemetry/vmstatreader.h"
#include "core/telemetry/vmstatstorewriter.h"

namespace TuneDeck {

struct RunMonitor::Followed
{
    enum class Kind { Dmon, Vmstat, SlurmOutput, TrainerLog } kind;
    QString node;
    qint64 bytes = 0;
    // Readers of the current segment (dmon/vmstat); the trainer readers live in the monitor.
    std::unique_ptr<Telemetry::DmonReader> dmon;
    std::unique_ptr<Telemetry::DmonStoreWriter> dmonWriter;
    std::unique_ptr<Telemetry::VmstatReader> vmstat;
    std::unique_ptr<Telemetry::VmstatStoreWriter> vmstatWriter;
};

RunMonitor::RunMonitor(SshConnection* connection, Telemetry::MetricStore& store, QString runName, QObject* parent)
    : QObject(parent)
    , m_follower(connection)
    , m_store(store)
    , m_runName(std::move(runName))
    , m_trainerOutput(std::make_unique<Telemetry::TrainerLogReader>())
    , m_trainerLog(std::make_unique<Telemetry::TrainerJsonlReader>())
{
    connect(&m_follower, &RemoteFileFollower::linesArrived, this, &RunMonitor::onLines);
    connect(&m_follower, &RemoteFileFollower::segmentStarted, this,
        [this](const QString& path, int segment, const QString&) { onSegment(path, segment); });
}

RunMonitor::~RunMonitor() = default;

void RunMonitor::setRun(const RunFiles& files, const QStringList& nodes)
{
    m_files = files;
    const auto add = [this](const QString& path, Followed::Kind kind, const QString& node) {
        if (m_followed.count(path))
            return;
        auto followed = std::make_unique<Followed>();
        followed->kind = kind;
        followed->node = node;
        m_followed.emplace(path, std::move(followed));
        m_follower.follow(path);
    };
    add(files.slurmOutput(), Followed::Kind::SlurmOutput, {});
    add(files.trainerLog(), Followed::Kind::TrainerLog, {});
    for (const QString& node : nodes) {
        add(files.dmon(node), Followed::Kind::Dmon, node);
        add(files.vmstat(node), Followed::Kind::Vmstat, node);
    }
}

qint64 RunMonitor::bytesReceived(const QString& path) const
{
    const auto found = m_followed.find(path);
    return found == m_followed.end() ? 0 : found->second->bytes;
}

void RunMonitor::resetReaders(Followed& followed)
{
    followed.bytes = 0;
    switch (followed.kind) {
    case Followed::Kind::Dmon:
        followed.dmonWriter = std::make_unique<Telemetry::DmonStoreWriter>(m_store, m_runName, followed.node);
        followed.dmon = std::make_unique<Telemetry::DmonReader>();
        followed.dmon->setSink(followed.dmonWriter.get());
        break;
    case Followed::Kind::Vmstat:
        followed.vmstatWriter = std::make_unique<Telemetry::VmstatStoreWriter>(m_store, m_runName, followed.node);
        followed.vmstat = std::make_unique<Telemetry::VmstatReader>();
        followed.vmstat->setSink(followed.vmstatWriter.get());
        break;
    case Followed::Kind::SlurmOutput:
        m_trainerOutput = std::make_unique<Telemetry::TrainerLogReader>();
        break;
    case Followed::Kind::TrainerLog:
        m_trainerLog = std::make_unique<Telemetry::TrainerJsonlReader>();
        break;
    }
}

void RunMonitor::onSegment(const QString& path, int segment)
{
    const auto found = m_followed.find(path);
    if (found == m_followed.end())
        return;
    // The Slurm output of a requeued job starts over (or, with --open-mode=append, goes on); either way a
    // new segment is a new attempt and its readers start clean.
    Q_UNUSED(segment)
    resetReaders(*found->second);
}

void RunMonitor::onLines(const QString& path, int, const QByteArray& lines)
{
    const auto found = m_followed.find(path);
    if (found == m_followed.end())
        return;
    Followed& followed = *found->second;
    followed.bytes += lines.size();
    switch (followed.kind) {
    case Followed::Kind::Dmon:
        followed.dmon->feed(lines);
        break;
    case Followed::Kind::Vmstat:
        followed.vmstat->feed(lines);
        break;
    case Followed::Kind::SlurmOutput:
        m_trainerOutput->feed(lines);
        break;
    case Followed::Kind::TrainerLog:
        m_trainerLog->feed(lines);
        break;
    }
    Q_EMIT updated();
}

} // namespace TuneDeck
