#include "core/archive/runlist.h"

#include "core/archive/runarchive.h"
#include "core/archive/runloader.h"
#include "core/remote/jobmonitor.h"
#include "core/telemetry/runtelemetry.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QPointer>
#include <QSet>
#include <QThreadPool>

#include <limits>

namespace TuneDeck::Archive {

RunList::RunList(RunArchive* archive, QObject* parent)
    : QObject(parent)
    , m_archive(archive)
{
    reload();
}

const RunList::Entry* RunList::find(qint64 runId) const
{
    for (const Entry& e : m_entries) {
        if (e.run.id == runId)
            return &e;
    }
    return nullptr;
}

void RunList::reload()
{
    m_entries.clear();
    if (m_archive && m_archive->isOpen()) {
        for (ArchivedRun& run : m_archive->runs()) {
            RunSummary summary = runSummary(*m_archive, run);
            m_entries.append({ run, summary });
        }
    }
    Q_EMIT changed();
}

namespace {

RunList::ImportOutcome importInto(RunArchive& archive, const QStringList& paths, const QString& name)
{
    RunList::ImportOutcome outcome;
    RunFolderImport import = readRunFiles(paths, name);
    outcome.notes = import.notes;
    outcome.errors = import.errors;
    outcome.files = int(import.files.size());
    if (!import.ok())
        return outcome;
    const ArchiveImportResult result = archiveImport(archive, import);
    if (!result.error.isEmpty()) {
        outcome.errors << result.error;
        return outcome;
    }
    outcome.runId = result.runId;
    outcome.alreadyArchived = result.alreadyArchived;
    return outcome;
}

} // namespace

RunList::ImportOutcome RunList::importPaths(const QStringList& paths, const QString& name)
{
    ImportOutcome outcome = importInto(*m_archive, paths, name);
    if (outcome.runId)
        reload();
    return outcome;
}

void RunList::startImport(const QStringList& paths, const QString& name, std::function<void(const ImportOutcome&)> done)
{
    ++m_importsRunning;
    // Qt SQL connections belong to the thread that opened them: the worker opens the same file again
    // (WAL and BEGIN IMMEDIATE keep the two connections safe, tst_archivecrash).
    const QString archivePath = m_archive ? m_archive->path() : QString();
    QThreadPool::globalInstance()->start(
        [archivePath, paths, name, done = std::move(done), target = QPointer<RunList>(this)]() {
            ImportOutcome outcome;
            RunArchive archive;
            const QString error
                = archivePath.isEmpty() ? QStringLiteral("no run archive is open") : archive.open(archivePath);
            if (error.isEmpty())
                outcome = importInto(archive, paths, name);
            else
                outcome.errors << error;
            QMetaObject::invokeMethod(qApp, [target, outcome, done]() {
                if (!target)
                    return;
                --target->m_importsRunning;
                if (outcome.runId)
                    target->reload();
                if (done)
                    done(outcome);
            });
        });
}

QString RunList::remove(qint64 runId)
{
    const QString error = m_archive->removeRun(runId);
    reload();
    return error;
}

QList<ReportFinding> RunList::report(qint64 runId) const
{
    const Entry* entry = find(runId);
    if (!entry)
        return {};
    ArchivedRunFigures others;
    for (const Entry& e : m_entries)
        others.append({ e.run, e.summary });
    return efficiencyReport(entry->run, entry->summary, others);
}

RunComparison RunList::compare(const QList<qint64>& runIds) const
{
    QList<ArchivedRun> runs;
    QList<RunSummary> summaries;
    for (qint64 id : runIds) {
        if (const Entry* e = find(id)) {
            runs.append(e->run);
            summaries.append(e->summary);
        }
    }
    return compareRuns(runs, summaries);
}

std::unique_ptr<Telemetry::RunTelemetry> RunList::loadTelemetry(qint64 runId, QString* error) const
{
    const Entry* e = find(runId);
    if (!e) {
        if (error)
            *error = QStringLiteral("run %1 is no longer in the archive").arg(runId);
        return nullptr;
    }
    return loadRunTelemetry(*m_archive, e->run, error);
}

std::unique_ptr<Telemetry::RunTelemetry> RunList::loadPreview(qint64 runId) const
{
    const Entry* e = find(runId);
    return e ? loadRunPreview(*m_archive, e->run) : nullptr;
}

void RunList::rebuildPreview(qint64 runId, const Telemetry::RunTelemetry& telemetry)
{
    if (const Entry* e = find(runId))
        storeCoarseView(*m_archive, e->run, telemetry);
}

JobRecord RunList::jobRecord(qint64 runId) const
{
    JobRecord record;
    const Entry* e = find(runId);
    if (!e)
        return record;
    const ArchivedRun& run = e->run;
    record.cluster = run.cluster;
    record.nodes = run.nodes;
    record.gpusPerNode = run.gpusPerNode;
    if (run.submittedMs)
        record.submittedUtc = QDateTime::fromMSecsSinceEpoch(*run.submittedMs, Qt::UTC);
    record.status.jobId = telemetryRunId(run); // the store's run id: what the monitor looks series up by
    record.status.name = run.name;
    record.status.slurmState = run.state;
    record.status.phase = run.state.isEmpty() ? JobPhase::Completed : phaseFromSlurmState(run.state);
    record.status.timeLimitSeconds = run.timeLimitSeconds;
    record.status.elapsedSeconds = e->summary.durationSeconds;
    record.status.attempts = run.attempts;
    QStringList nodes;
    for (const ArchivedFile& f : m_archive->files(run.id)) {
        if (!f.node.isEmpty() && !nodes.contains(f.node))
            nodes << f.node;
    }
    record.status.nodeList = nodes.join(u',');
    return record;
}

QString overlayAxisName(OverlayAxis axis)
{
    switch (axis) {
    case OverlayAxis::Step:
        return QObject::tr("By step");
    case OverlayAxis::SecondsSinceStart:
        return QObject::tr("By time since start");
    case OverlayAxis::WallClock:
        return QObject::tr("By wall clock");
    }
    return {};
}

QString overlayMetricName(OverlayMetric metric)
{
    switch (metric) {
    case OverlayMetric::Loss:
        return QObject::tr("Loss");
    case OverlayMetric::SecondsPerStep:
        return QObject::tr("Seconds per step");
    case OverlayMetric::SmUtilisation:
        return QObject::tr("SM utilisation (%)");
    case OverlayMetric::PowerPerGpu:
        return QObject::tr("Power per GPU (W)");
    }
    return {};
}

bool overlayFits(OverlayMetric metric, OverlayAxis axis)
{
    const bool training = metric == OverlayMetric::Loss || metric == OverlayMetric::SecondsPerStep;
    return training == (axis == OverlayAxis::Step);
}

QList<std::pair<double, double>> overlayPoints(const JobMonitor& monitor, OverlayMetric metric, OverlayAxis axis)
{
    QList<std::pair<double, double>> points;
    if (!overlayFits(metric, axis))
        return points;
    if (metric == OverlayMetric::Loss || metric == OverlayMetric::SecondsPerStep) {
        const auto byStep = metric == OverlayMetric::Loss ? monitor.lossByStep()
                                                          : monitor.trainingByStep(QStringLiteral("seconds_per_step"));
        for (const auto& [step, value] : byStep)
            points.append({ double(step), value });
        return points;
    }
    const QList<int> series
        = monitor.gpuSeries(metric == OverlayMetric::SmUtilisation ? QStringLiteral("sm") : QStringLiteral("pwr"));
    const auto range = monitor.timeRange();
    if (series.isEmpty() || !range || !monitor.telemetry())
        return points;
    const Telemetry::MetricStore& store = monitor.telemetry()->store();
    constexpr qint64 Bucket = 60000;
    for (qint64 t = range->first; t <= range->second; t += Bucket) {
        double sum = 0;
        int n = 0;
        for (int id : series) {
            if (const auto st = store.stats(id, t, t + Bucket); st && st->count > 0) {
                sum += st->mean;
                ++n;
            }
        }
        if (n == 0)
            continue;
        const double x = axis == OverlayAxis::WallClock ? double(t) : double(t - range->first) / 1000.0;
        points.append({ x, sum / n });
    }
    return points;
}

} // namespace TuneDeck::Archive
