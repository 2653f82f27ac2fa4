#include "core/archive/runloader.h"

#include "core/archive/coarseview.h"
#include "core/archive/runarchive.h"
#include "core/telemetry/runtelemetry.h"

namespace TuneDeck::Archive {

using namespace TuneDeck::Telemetry;

namespace {

TelemetryFile telemetryFile(FileKind kind)
{
    switch (kind) {
    case FileKind::Dmon:
        return TelemetryFile::Dmon;
    case FileKind::Vmstat:
        return TelemetryFile::Vmstat;
    case FileKind::TrainerLog:
        return TelemetryFile::TrainerLog;
    case FileKind::TrainerJsonl:
        return TelemetryFile::TrainerJsonl;
    }
    return TelemetryFile::Dmon;
}

} // namespace

QString telemetryRunId(const ArchivedRun& run)
{
    return run.jobId.isEmpty() ? QStringLiteral("run-%1").arg(run.id) : run.jobId;
}

std::unique_ptr<RunTelemetry> loadRunTelemetry(const RunArchive& archive, const ArchivedRun& run, QString* error)
{
    auto telemetry = std::make_unique<RunTelemetry>(telemetryRunId(run));
    for (const ArchivedFile& f : archive.files(run.id)) {
        QString readError;
        const QList<RunArchive::Segment> segments = archive.rawText(f.id, &readError);
        if (!readError.isEmpty()) {
            if (error)
                *error = readError;
            return nullptr;
        }
        const TelemetryFile kind = telemetryFile(f.kind);
        bool first = true;
        for (const RunArchive::Segment& s : segments) {
            // A later segment is the file starting over (a requeue): a new attempt, as when it streamed.
            if (!first)
                telemetry->restart(kind, f.node);
            telemetry->feed(kind, f.node, s.bytes);
            first = false;
        }
        telemetry->finish(kind, f.node);
    }
    return telemetry;
}

std::unique_ptr<RunTelemetry> loadRunPreview(const RunArchive& archive, const ArchivedRun& run)
{
    const QByteArray coarse = archive.coarseView(run.id);
    if (coarse.isEmpty())
        return nullptr;
    auto telemetry = std::make_unique<RunTelemetry>(telemetryRunId(run));
    if (!decodeCoarseView(coarse, telemetry->store()))
        return nullptr;
    for (const ArchivedFile& f : archive.files(run.id)) {
        if (f.kind != FileKind::TrainerLog && f.kind != FileKind::TrainerJsonl)
            continue;
        QString error;
        const QList<RunArchive::Segment> segments = archive.rawText(f.id, &error);
        if (!error.isEmpty())
            return nullptr;
        const TelemetryFile kind = telemetryFile(f.kind);
        for (qsizetype i = 0; i < segments.size(); ++i) {
            if (i > 0)
                telemetry->restart(kind, f.node);
            telemetry->feed(kind, f.node, segments[i].bytes);
        }
        telemetry->finish(kind, f.node);
    }
    return telemetry;
}

QString storeCoarseView(RunArchive& archive, const ArchivedRun& run, const RunTelemetry& telemetry)
{
    return archive.saveCoarseView(run.id, encodeCoarseView(telemetry.store()));
}

void completeRunTimes(ArchivedRun& run, const RunTelemetry& telemetry)
{
    const MetricStore& store = telemetry.store();
    std::optional<qint64> first;
    std::optional<qint64> last;
    for (int id = 0; id < store.seriesKeys().size(); ++id) {
        if (const auto range = store.timeRange(id)) {
            first = first ? std::min(*first, range->first) : range->first;
            last = last ? std::max(*last, range->second) : range->second;
        }
    }
    if (!run.startedMs)
        run.startedMs = first;
    if (last && (!run.endedMs || *run.endedMs < *last))
        run.endedMs = last;
}

RunSummary runSummary(RunArchive& archive, ArchivedRun& run, QString* error)
{
    if (const auto stored = RunSummary::fromJson(run.summary))
        return *stored;
    QString loadError;
    const auto telemetry = loadRunTelemetry(archive, run, &loadError);
    if (!telemetry) {
        if (error)
            *error = loadError;
        return {};
    }
    const RunSummary summary = computeRunSummary(run, *telemetry);
    run.summary = summary.toJson();
    if (QString saveError = archive.saveSummary(run.id, run.summary); !saveError.isEmpty() && error)
        *error = saveError;
    return summary;
}

} // namespace TuneDeck::Archive
