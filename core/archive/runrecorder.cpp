#include "core/archive/runrecorder.h"

#include "core/archive/runarchive.h"
#include "core/archive/runloader.h"
#include "core/archive/runsummary.h"
#include "core/job/jobspecio.h"
#include "core/remote/jobmonitor.h"
#include "core/remote/runmonitor.h"
#include "core/telemetry/trainerlogreader.h"
#include "core/util/slurmvalues.h"

namespace TuneDeck::Archive {

namespace {

FileKind fileKind(Telemetry::TelemetryFile kind)
{
    switch (kind) {
    case Telemetry::TelemetryFile::Dmon:
        return FileKind::Dmon;
    case Telemetry::TelemetryFile::Vmstat:
        return FileKind::Vmstat;
    case Telemetry::TelemetryFile::TrainerLog:
        return FileKind::TrainerLog;
    case Telemetry::TelemetryFile::TrainerJsonl:
        return FileKind::TrainerJsonl;
    }
    return FileKind::Dmon;
}

void applyRecord(ArchivedRun& run, const JobRecord& record)
{
    run.source = trackedRunSource(record.cluster, record.status.jobId);
    if (run.name.isEmpty())
        run.name = record.status.name.isEmpty() ? record.status.jobId : record.status.name;
    run.cluster = record.cluster;
    run.jobId = record.status.jobId;
    run.attempts = record.status.attempts;
    if (record.nodes > 0)
        run.nodes = record.nodes;
    if (record.gpusPerNode > 0)
        run.gpusPerNode = record.gpusPerNode;
    if (record.submittedUtc.isValid())
        run.submittedMs = record.submittedUtc.toMSecsSinceEpoch();
    run.state = record.status.slurmState.isEmpty() ? jobPhaseName(record.status.phase) : record.status.slurmState;
    if (record.status.timeLimitSeconds)
        run.timeLimitSeconds = record.status.timeLimitSeconds;
}

} // namespace

QString trackedRunSource(const QString& cluster, const QString& jobId)
{
    return QStringLiteral("cluster:%1:%2").arg(cluster, jobId);
}

QString archiveSubmission(RunArchive& archive, const JobRecord& record, const QByteArray& specYaml,
    const QByteArray& sbatch, const QByteArray& accelerate, const QByteArray& train)
{
    ArchivedRun run
        = archive.runBySource(trackedRunSource(record.cluster, record.status.jobId)).value_or(ArchivedRun {});
    applyRecord(run, record);
    run.specYaml = specYaml;
    // The shape as designed: the record knows nodes and GPUs per node, the spec also the GPU type.
    if (const JobSpecLoadResult spec = loadJobSpecFromYaml(specYaml, run.name); spec.ok()) {
        run.gpuType = spec.spec.slurm.gpuType;
        if (!run.timeLimitSeconds)
            run.timeLimitSeconds = parseSlurmDuration(spec.spec.slurm.time);
    }
    run.sbatchScript = sbatch;
    run.accelerateConfig = accelerate;
    run.trainConfig = train;
    return archive.saveRun(run);
}

RunRecorder::RunRecorder(RunArchive* archive, const JobRecord& record, QObject* parent)
    : QObject(parent)
    , m_archive(archive)
{
    saveRecord(record);
    for (const ArchivedFile& f : m_archive->files(m_run.id))
        m_fileIds[f.path] = f.id;
}

std::function<void(RunMonitor&)> RunRecorder::followHook()
{
    return [self = QPointer<RunRecorder>(this)](RunMonitor& runMonitor) {
        if (self)
            self->onFollow(runMonitor);
    };
}

void RunRecorder::onFollow(RunMonitor& runMonitor)
{
    {
        // Resume each file the archive already has, once.
        for (const ArchivedFile& f : m_archive->files(m_run.id)) {
            if (m_resumed.contains(f.path))
                continue;
            m_resumed.insert(f.path);
            QString error;
            QList<QByteArray> segments;
            for (const RunArchive::Segment& s : m_archive->rawText(f.id, &error)) {
                // Only the current segment continues; earlier ones are fed as the attempts they were.
                segments.append(s.bytes);
            }
            if (!error.isEmpty()) {
                fail(error);
                continue;
            }
            FollowedFile state;
            state.path = f.path;
            state.segment = f.segment;
            state.offset = f.offset;
            state.tail = f.tail;
            runMonitor.resume(f.path, state, segments);
        }
        if (m_connected)
            return;
        m_connected = true;
        connect(&runMonitor, &RunMonitor::linesFed, this,
            [this](const QString& path, Telemetry::TelemetryFile kind, const QString& node, qint64 offset,
                const QByteArray& lines, const FollowedFile& state) {
                auto found = m_fileIds.find(path);
                if (found == m_fileIds.end()) {
                    ArchivedFile file;
                    file.kind = fileKind(kind);
                    file.node = node;
                    file.path = path;
                    file.segment = state.segment;
                    if (QString error = m_archive->addFile(m_run.id, file); !error.isEmpty())
                        return fail(error);
                    found = m_fileIds.emplace(path, file.id).first;
                }
                if (QString error = m_archive->appendBytes(found->second, state.segment, offset, lines, state.tail);
                    !error.isEmpty())
                    fail(error);
                m_dirty = true;
            });
    }
}

void RunRecorder::attach(JobMonitor* monitor)
{
    m_monitor = monitor;
    connect(monitor, &JobMonitor::updated, this, [this]() {
        if (m_monitor) {
            saveRecord(m_monitor->record());
            finishIfEnded();
        }
    });
}

void RunRecorder::saveRecord(const JobRecord& record)
{
    const auto sameTracking = [](const ArchivedRun& a, const ArchivedRun& b) {
        return a.state == b.state && a.nodes == b.nodes && a.attempts == b.attempts
            && a.timeLimitSeconds == b.timeLimitSeconds;
    };
    if (m_run.id == 0) {
        m_run = m_archive->runBySource(trackedRunSource(record.cluster, record.status.jobId)).value_or(ArchivedRun {});
    } else {
        // The monitor updates up to ten times a second; the row is read and written only when what
        // Slurm says of the job changed.
        ArchivedRun next = m_run;
        applyRecord(next, record);
        if (sameTracking(next, m_run))
            return;
        if (const auto stored = m_archive->run(m_run.id))
            m_run = *stored; // keep what the submission stored meanwhile (the design)
    }
    const ArchivedRun before = m_run;
    applyRecord(m_run, record);
    if (m_run.id != 0 && sameTracking(before, m_run))
        return;
    if (QString error = m_archive->saveRun(m_run); !error.isEmpty())
        return fail(error);
    Q_EMIT runSaved();
}

void RunRecorder::finishIfEnded()
{
    // The last lines may arrive after Slurm says the job ended: the figures are computed again whenever
    // more arrived since.
    if ((m_finished && !m_dirty) || !m_monitor || !m_monitor->record().status.isTerminal() || !m_monitor->telemetry())
        return;
    const bool first = !m_finished;
    m_finished = true;
    m_dirty = false;
    const Telemetry::RunTelemetry& telemetry = *m_monitor->telemetry();
    if (const Telemetry::TrainerLogReader* log = telemetry.trainerLog())
        m_run.endedBy = Telemetry::terminationName(log->termination());
    completeRunTimes(m_run, telemetry);
    m_run.summary = computeRunSummary(m_run, telemetry).toJson();
    if (QString error = m_archive->saveRun(m_run); !error.isEmpty())
        return fail(error);
    if (QString error = storeCoarseView(*m_archive, m_run, telemetry); !error.isEmpty())
        return fail(error);
    if (first) {
        for (const auto& [path, id] : m_fileIds) {
            if (QString error = m_archive->compactFile(id); !error.isEmpty())
                fail(error);
        }
    }
    Q_EMIT runSaved();
}

void RunRecorder::fail(const QString& message)
{
    if (message == m_lastError)
        return; // a full disk fails every write: tell it once
    m_lastError = message;
    Q_EMIT archiveError(message);
}

} // namespace TuneDeck::Archive
