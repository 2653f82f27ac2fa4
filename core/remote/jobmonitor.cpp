#include "core/remote/jobmonitor.h"

#include "core/remote/clustersession.h"
#include "core/slurm/hostlist.h"
#include "core/telemetry/runtelemetry.h"
#include "core/telemetry/trainerjsonlreader.h"
#include "core/telemetry/trainerlogreader.h"
#include "core/util/slurmvalues.h"

#include <QDateTime>

namespace TuneDeck {
namespace {

// The order the monitor offers dmon's metrics in: utilisation first, then memory, power, heat, clocks,
// PCIe; anything else after, as found.
const QStringList& preferredMetricOrder()
{
    static const QStringList order { QStringLiteral("sm"), QStringLiteral("mem"), QStringLiteral("fb"),
        QStringLiteral("pwr"), QStringLiteral("gtemp"), QStringLiteral("temp"), QStringLiteral("mtemp"),
        QStringLiteral("pclk"), QStringLiteral("mclk"), QStringLiteral("rxpci"), QStringLiteral("txpci") };
    return order;
}

QString duration(qint64 seconds)
{
    if (seconds < 60)
        return JobMonitor::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return JobMonitor::tr("%1 min").arg((seconds + 30) / 60);
    return JobMonitor::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600 + 30) / 60);
}

} // namespace

JobMonitor::JobMonitor(
    ClusterSession* session, const JobRecord& record, QObject* parent, std::function<void(RunMonitor&)> followHook)
    : QObject(parent)
    , m_session(session)
    , m_record(record)
    , m_followHook(std::move(followHook))
{
    m_now = []() { return QDateTime::currentMSecsSinceEpoch(); };
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(100); // at most ten refreshes a second
    connect(&m_coalesce, &QTimer::timeout, this, &JobMonitor::publish);
    if (session) {
        connect(session, &ClusterSession::stateChanged, this, [this]() {
            startIfReady();
            m_coalesce.start(); // the header says whether the connection holds
        });
    }
    startIfReady();
}

JobMonitor::JobMonitor(const JobRecord& record, std::unique_ptr<Telemetry::RunTelemetry> recorded, QObject* parent)
    : QObject(parent)
    , m_record(record)
    , m_recorded(std::move(recorded))
{
    m_now = []() { return QDateTime::currentMSecsSinceEpoch(); };
    m_nodes = Slurm::expandHostList(m_record.status.nodeList).value_or(QStringList());
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(100);
    connect(&m_coalesce, &QTimer::timeout, this, &JobMonitor::publish);
}

JobMonitor::~JobMonitor() = default;

void JobMonitor::replaceRecorded(std::unique_ptr<Telemetry::RunTelemetry> recorded)
{
    if (m_monitor || !recorded)
        return;
    m_recorded = std::move(recorded);
    Q_EMIT updated();
}

void JobMonitor::publish()
{
    if (isFollowing()) {
        MonitorAlerts::Inputs in { m_record, flags(), figures(), lastCheckpointStep() };
        for (const JobNotification& n : m_alerts.update(in))
            Q_EMIT alert(n);
    }
    Q_EMIT updated();
}

std::optional<qint64> JobMonitor::lastCheckpointStep() const
{
    const Telemetry::TrainerLogReader* log = telemetry() ? telemetry()->trainerLog() : nullptr;
    return log ? log->lastCheckpointStep() : std::nullopt;
}

QString JobMonitor::timeLimitText() const
{
    return timeLimitSentence(m_record, figures(), lastCheckpointStep());
}

void JobMonitor::setRecord(const JobRecord& record)
{
    m_record = record;
    startIfReady();
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

QString JobMonitor::waitingReason() const
{
    if (isFollowing())
        return {};
    if (m_record.runDir.isEmpty())
        return tr("TuneDeck does not know this job's run directory");
    const std::optional<QStringList> nodes = Slurm::expandHostList(m_record.status.nodeList);
    if (!nodes || nodes->isEmpty())
        return m_record.status.isTerminal() ? tr("The job ended without nodes: there is nothing to show")
                                            : tr("Waiting for Slurm to allocate nodes");
    if (!m_session || m_session->state() != ClusterSession::State::Connected)
        return tr("Connect to %1 to follow this job").arg(m_record.cluster);
    return tr("Starting…");
}

QString JobMonitor::connectionNote() const
{
    if (!m_monitor)
        return {};
    if (!m_session)
        return tr("The session to %1 is gone: the charts stop at what had arrived").arg(m_record.cluster);
    switch (m_session->state()) {
    case ClusterSession::State::Connected:
        return {};
    case ClusterSession::State::Connecting:
        return tr("Reconnecting to %1… the charts stop at what had arrived; following goes on where it stopped")
            .arg(m_record.cluster);
    default:
        return tr("Not connected to %1: the charts stop at what had arrived; connect again to follow on from "
                  "where it stopped")
            .arg(m_record.cluster);
    }
}

void JobMonitor::startIfReady()
{
    const std::optional<QStringList> nodes = Slurm::expandHostList(m_record.status.nodeList);
    if (!nodes || nodes->isEmpty() || m_record.runDir.isEmpty())
        return;
    if (!m_session || m_session->state() != ClusterSession::State::Connected || !m_session->connection())
        return;
    if (!m_monitor) {
        m_monitor = std::make_unique<RunMonitor>(m_session->connection(), runId());
        connect(m_monitor.get(), &RunMonitor::updated, this, [this]() {
            if (!m_coalesce.isActive())
                m_coalesce.start();
        });
        m_monitor->follower().setPollInterval(2000);
        const QString output = RunFiles { m_record.runDir, QString(), m_record.status.jobId }.slurmOutput();
        connect(&m_monitor->follower(), &RemoteFileFollower::segmentStarted, this,
            [this, output](const QString& path, int segment, const QString&) {
                if (path == output && segment > 1)
                    m_outputTail.clear(); // the file started over (a requeue)
            });
        connect(&m_monitor->follower(), &RemoteFileFollower::linesArrived, this,
            [this, output](const QString& path, int, const QByteArray& lines) {
                if (path.endsWith(u"/trainer_log.jsonl"))
                    noteLogGrowth();
                if (path != output)
                    return;
                noteLogGrowth();
                m_outputTail += lines;
                constexpr qsizetype Keep = 256 * 1024;
                if (m_outputTail.size() > Keep) {
                    // Cut at a line start, so the pane never begins mid-line.
                    const qsizetype cut = m_outputTail.indexOf('\n', m_outputTail.size() - Keep);
                    m_outputTail.remove(0, cut < 0 ? m_outputTail.size() - Keep : cut + 1);
                }
            });
    }
    if (*nodes != m_nodes) {
        m_nodes = *nodes;
        RunFiles files;
        files.runDir = m_record.runDir;
        // LLaMA-Factory's output folder as TuneDeck generates it (training.output_dir "output").
        files.outputDir = m_record.runDir + u"/output";
        files.jobId = m_record.status.jobId;
        m_monitor->setRun(files, m_nodes);
        if (m_followHook)
            m_followHook(*m_monitor);
        m_monitor->follower().start();
        Q_EMIT followingStarted();
    }
}

const Telemetry::RunTelemetry* JobMonitor::telemetry() const
{
    return m_monitor ? &m_monitor->telemetry() : m_recorded.get();
}

QStringList JobMonitor::gpuMetrics() const
{
    if (!telemetry())
        return {};
    QStringList found;
    for (const Telemetry::SeriesKey& key : telemetry()->store().seriesKeys())
        if (key.run == runId() && key.gpu >= 0 && !found.contains(key.metric))
            found.append(key.metric);
    QStringList ordered;
    for (const QString& metric : preferredMetricOrder())
        if (found.removeAll(metric) > 0)
            ordered.append(metric);
    return ordered + found;
}

QList<int> JobMonitor::gpuSeries(const QString& metric) const
{
    if (!telemetry())
        return {};
    const Telemetry::MetricStore& store = telemetry()->store();
    const QList<Telemetry::SeriesKey> keys = store.seriesKeys();
    QList<int> ids;
    for (int id = 0; id < keys.size(); ++id)
        if (keys[id].run == runId() && keys[id].gpu >= 0 && keys[id].metric == metric)
            ids.append(id);
    std::sort(ids.begin(), ids.end(), [&keys](int a, int b) {
        return keys[a].node != keys[b].node ? keys[a].node < keys[b].node : keys[a].gpu < keys[b].gpu;
    });
    return ids;
}

QStringList JobMonitor::hostMetrics() const
{
    if (!telemetry())
        return {};
    QStringList found;
    for (const Telemetry::SeriesKey& key : telemetry()->store().seriesKeys())
        if (key.run == runId() && key.gpu < 0 && !key.node.isEmpty() && !found.contains(key.metric))
            found.append(key.metric);
    return found;
}

QList<int> JobMonitor::hostSeries(const QString& metric) const
{
    if (!telemetry())
        return {};
    const QList<Telemetry::SeriesKey> keys = telemetry()->store().seriesKeys();
    QList<int> ids;
    for (int id = 0; id < keys.size(); ++id)
        if (keys[id].run == runId() && keys[id].gpu < 0 && !keys[id].node.isEmpty() && keys[id].metric == metric)
            ids.append(id);
    std::sort(ids.begin(), ids.end(), [&keys](int a, int b) { return keys[a].node < keys[b].node; });
    return ids;
}

QList<std::pair<qint64, double>> JobMonitor::lossByStep(bool evalLoss) const
{
    QList<std::pair<qint64, double>> points;
    if (!telemetry())
        return points;
    if (const Telemetry::TrainerJsonlReader* jsonl = telemetry()->trainerJsonl()) {
        for (const Telemetry::TrainerLogEntry& e : jsonl->entries()) {
            const std::optional<double> value = evalLoss ? e.evalLoss : e.loss;
            if (e.currentSteps && value)
                points.append({ *e.currentSteps, *value });
        }
    }
    if (!points.isEmpty())
        return points;
    if (const Telemetry::TrainerLogReader* log = telemetry()->trainerLog()) {
        for (const Telemetry::MetricDict& dict : log->losses()) {
            const std::optional<double> value
                = dict.value(evalLoss ? QLatin1StringView("eval_loss") : QLatin1StringView("loss"));
            if (dict.step && value)
                points.append({ *dict.step, *value });
        }
    }
    return points;
}

QList<std::pair<qint64, double>> JobMonitor::trainingByStep(const QString& metric) const
{
    QList<std::pair<qint64, double>> points;
    if (!telemetry())
        return points;
    if (metric == u"loss" || metric == u"eval_loss")
        return lossByStep(metric == u"eval_loss");
    const Telemetry::TrainerLogReader* log = telemetry()->trainerLog();
    const Telemetry::TrainerJsonlReader* jsonl = telemetry()->trainerJsonl();
    if (metric == u"seconds_per_step") {
        if (log)
            for (const Telemetry::ProgressUpdate& p : log->progress())
                if (p.secondsPerStep && p.step > 0)
                    points.append({ p.step, *p.secondsPerStep });
        if (points.isEmpty() && jsonl) {
            // Between consecutive entries: elapsed time over steps done.
            std::optional<std::pair<qint64, qint64>> previous; // step, elapsed s
            for (const Telemetry::TrainerLogEntry& e : jsonl->entries()) {
                if (!e.currentSteps || !e.elapsedSeconds)
                    continue;
                if (previous && *e.currentSteps > previous->first)
                    points.append({ *e.currentSteps,
                        double(*e.elapsedSeconds - previous->second) / double(*e.currentSteps - previous->first) });
                previous = std::pair { *e.currentSteps, *e.elapsedSeconds };
            }
        }
        return points;
    }
    if (metric == u"learning_rate" && jsonl)
        for (const Telemetry::TrainerLogEntry& e : jsonl->entries())
            if (e.currentSteps && e.learningRate)
                points.append({ *e.currentSteps, *e.learningRate });
    if (points.isEmpty() && log)
        for (const Telemetry::MetricDict& dict : log->losses())
            if (const std::optional<double> value = dict.value(QLatin1StringView(metric.toLatin1()));
                dict.step && value)
                points.append({ *dict.step, *value });
    return points;
}

std::optional<std::pair<qint64, qint64>> JobMonitor::timeRange() const
{
    if (!telemetry())
        return std::nullopt;
    std::optional<std::pair<qint64, qint64>> range;
    for (int id : gpuSeries(QStringLiteral("sm"))) {
        if (const auto r = telemetry()->store().timeRange(id)) {
            if (!range)
                range = r;
            else
                range = std::pair { std::min(range->first, r->first), std::max(range->second, r->second) };
        }
    }
    return range;
}

QList<Telemetry::MetricSummary> JobMonitor::recentSummary(const QString& metric, qint64 windowMs) const
{
    const auto range = timeRange();
    if (!range)
        return {};
    return Telemetry::summarize(telemetry()->store(), runId(), metric, range->second - windowMs, range->second + 1);
}

QList<Telemetry::Flag> JobMonitor::flags(qint64 windowMs) const
{
    const auto range = timeRange();
    if (!range)
        return {};
    QList<Telemetry::Flag> found = Telemetry::utilisationFlags(
        telemetry()->store(), runId(), range->second - windowMs, range->second + 1, m_thresholds);
    // Idle "for five minutes": not before the run has that much data.
    if (range->second - range->first < m_thresholds.idleMinimumSeconds * 1000)
        found.removeIf([](const Telemetry::Flag& f) { return f.kind == Telemetry::FlagKind::IdleGpu; });
    // A stalled log only means something while the job runs and has started training.
    const Telemetry::RunFigures f = figures();
    if (m_record.status.phase == JobPhase::Running && m_lastLogGrowthMs > 0 && f.stepsDone
        && (!f.totalSteps || *f.stepsDone < *f.totalSteps))
        if (const auto stalled = Telemetry::stalledLogFlag(m_lastLogGrowthMs, m_now(), f.secondsPerStep, m_thresholds))
            found.append(*stalled);
    return found;
}

Telemetry::RunFigures JobMonitor::figures() const
{
    if (!telemetry())
        return {};
    Telemetry::RunTiming timing;
    if (m_record.status.elapsedSeconds)
        timing.jobStartMs = m_now() - *m_record.status.elapsedSeconds * 1000;
    timing.timeLimitSeconds = m_record.status.timeLimitSeconds;
    return telemetry()->figures(timing);
}

QString JobMonitor::progressText() const
{
    const Telemetry::RunFigures f = figures();
    QStringList parts;
    if (f.stepsDone && f.totalSteps)
        parts.append(tr("step %1 of %2").arg(*f.stepsDone).arg(*f.totalSteps));
    else if (f.stepsDone)
        parts.append(tr("step %1").arg(*f.stepsDone));
    else
        parts.append(tr("no training steps logged yet"));
    if (f.secondsPerStep)
        parts.append(tr("%1 s/step").arg(*f.secondsPerStep, 0, 'f', *f.secondsPerStep < 10 ? 2 : 0));
    if (f.samplesPerSecond)
        parts.append(tr("%1 samples/s").arg(*f.samplesPerSecond, 0, 'f', 2));
    if (f.tokensPerSecond)
        parts.append(tr("%1 tokens/s").arg(*f.tokensPerSecond, 0, 'f', 0));
    const bool unfinished = !f.stepsDone || !f.totalSteps || *f.stepsDone < *f.totalSteps;
    if (f.etaSeconds && unfinished) {
        // A job that has ended has no ETA; what the rest would have taken is the figure to plan with.
        parts.append(m_record.status.isTerminal()
                ? tr("ended %1, %2 short of the end at this rate")
                      .arg(jobPhaseName(m_record.status.phase), duration(*f.etaSeconds))
                : tr("ETA %1").arg(duration(*f.etaSeconds)));
    }
    return parts.join(QStringLiteral(" · "));
}

} // namespace TuneDeck
