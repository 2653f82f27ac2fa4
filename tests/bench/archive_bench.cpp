// The run archive's benchmarks (issue 11 part 8), on run-benchmarks.sh's generated 50 h x 16 GPU dmon log:
//   archive_bench FILE ARCHIVE
// Prints, one "key value" per line:
//   raw_reopen_ms       the anchor: read the raw text, parse it (RunTelemetry, the app's readers) and
//                       compute the first full-range view of every GPU's SM series at 1400 px
//   archive_reopen_ms   the app's path: open the archive, read the run's coarse view and training logs,
//                       the same view (what the Runs page's Open draws first; the raw text is then read
//                       in the background: archive_full_load_ms)
//   reopen_speedup      raw_reopen_ms / archive_reopen_ms
//   archive_over_raw    the archive file (database + WAL, everything included) / the raw text
//   compare10_ms        open the archive and compare 10 such runs (tunedeck compare's path)
//   same_figures        yes when the archived run's SM mean equals the one from the raw text, every series'
//                       min and max in the first chart are the raw text's, and the full load's chart is the raw one
#include "core/archive/coarseview.h"
#include "core/archive/runarchive.h"
#include "core/archive/runcomparison.h"
#include "core/archive/runloader.h"
#include "core/archive/runsummary.h"
#include "core/telemetry/runtelemetry.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <cstdio>
#include <limits>

using namespace TuneDeck;
using namespace TuneDeck::Archive;

namespace {

constexpr qint64 T0 = std::numeric_limits<qint64>::min() / 2;
constexpr qint64 T1 = std::numeric_limits<qint64>::max() / 2;

// The first full-range chart: every GPU's "sm" series at 1400 px.
qint64 firstChart(const Telemetry::RunTelemetry& telemetry)
{
    const Telemetry::MetricStore& store = telemetry.store();
    qint64 columns = 0;
    const QList<Telemetry::SeriesKey> keys = store.seriesKeys();
    for (int id = 0; id < keys.size(); ++id) {
        if (keys[id].metric == u"sm")
            columns += store.view(id, T0, T1, 1400).size();
    }
    return columns;
}

double ms(const QElapsedTimer& t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: archive_bench DMON-FILE ARCHIVE\n");
        return 2;
    }
    const QString file = QString::fromLocal8Bit(argv[1]);
    const QString path = QString::fromLocal8Bit(argv[2]);
    for (const char* suffix : { "", "-wal", "-shm" })
        QFile::remove(path + QLatin1StringView(suffix));

    // The anchor: the raw text, parsed.
    QElapsedTimer timer;
    timer.start();
    QFile raw(file);
    if (!raw.open(QIODevice::ReadOnly))
        return 1;
    const QByteArray bytes = raw.readAll();
    Telemetry::RunTelemetry direct(QStringLiteral("bench"));
    direct.feed(Telemetry::TelemetryFile::Dmon, QStringLiteral("node1"), bytes);
    direct.finish(Telemetry::TelemetryFile::Dmon, QStringLiteral("node1"));
    const qint64 rawColumns = firstChart(direct);
    const double rawMs = ms(timer);

    // Archive it (not timed as a reopen: this is the import).
    RunArchive archive;
    if (const QString error = archive.open(path); !error.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    timer.restart();
    ArchivedRun run;
    run.source = QStringLiteral("bench:run0");
    run.name = QStringLiteral("bench run 0");
    run.jobId = QStringLiteral("bench");
    run.nodes = 1;
    run.gpusPerNode = 16;
    run.gpuType = QStringLiteral("a100_40");
    archive.saveRun(run);
    ArchivedFile f;
    f.path = file;
    f.node = QStringLiteral("node1");
    if (const QString error = archive.addFileWithBytes(run.id, f, bytes); !error.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    completeRunTimes(run, direct);
    const RunSummary summary = computeRunSummary(run, direct);
    run.summary = summary.toJson();
    archive.saveRun(run);
    storeCoarseView(archive, run, direct);
    std::printf("import_seconds %.2f\n", ms(timer) / 1000);

    // Nine more runs with the same stored text, copied inside SQLite (the compare reads figures only).
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("copy"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery q(db);
        for (int i = 1; i < 10; ++i) {
            q.exec(QStringLiteral(
                "INSERT INTO runs(source, name, cluster, job_id, attempts, nodes, gpus_per_node, gpu_type,"
                " state, ended_by, started_ms, ended_ms, time_limit_s, archived_ms, summary_json)"
                " SELECT 'bench:run%1', 'bench run %1', cluster, job_id, attempts, nodes, gpus_per_node,"
                " gpu_type, state, ended_by, started_ms, ended_ms, time_limit_s, archived_ms, summary_json"
                " FROM runs WHERE id = %2")
                       .arg(i)
                       .arg(run.id));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("copy"));
    const double diskBytes = double(archive.diskBytes());

    // The app's reopen.
    timer.restart();
    RunArchive reopened;
    reopened.open(path);
    const auto stored = reopened.findRun(QStringLiteral("1"));
    // What the Runs page's Open draws first: the coarse view (the raw text follows in the background).
    const auto telemetry = stored ? loadRunPreview(reopened, *stored) : nullptr;
    const qint64 archiveColumns = telemetry ? firstChart(*telemetry) : -1;
    const double archiveMs = ms(timer);
    // The chart it draws has the raw text's extremes per series (min/max are exact per column).
    bool sameExtremes = telemetry != nullptr;
    for (int id = 0; sameExtremes && id < direct.store().seriesKeys().size(); ++id) {
        const Telemetry::SeriesKey& key = direct.store().key(id);
        const auto other = telemetry->store().findSeries(key);
        const auto a = direct.store().stats(id, T0, T1);
        const auto b = other ? telemetry->store().stats(*other, T0, T1) : std::nullopt;
        sameExtremes = a.has_value() == b.has_value() && (!a || (a->min == b->min && a->max == b->max));
    }
    // And the full run, read in the background after that, is the raw text's.
    timer.restart();
    const auto full = stored ? loadRunTelemetry(reopened, *stored) : nullptr;
    std::printf("archive_full_load_ms %.1f\n", ms(timer));
    const bool fullSame = full && firstChart(*full) == rawColumns;

    // Compare of 10 runs, as `tunedeck compare 1 2 ... 10` does it.
    timer.restart();
    RunArchive comparing;
    comparing.open(path);
    QList<ArchivedRun> runs;
    QList<RunSummary> summaries;
    for (int i = 1; i <= 10; ++i) {
        if (auto r = comparing.findRun(QString::number(i))) {
            summaries.append(runSummary(comparing, *r));
            runs.append(*r);
        }
    }
    const RunComparison comparison = compareRuns(runs, summaries);
    const double compareMs = ms(timer);

    const auto reread = stored ? RunSummary::fromJson(stored->summary) : std::nullopt;
    std::printf("raw_bytes %lld\n", static_cast<long long>(bytes.size()));
    std::printf("archive_bytes %.0f\n", diskBytes);
    std::printf("raw_reopen_ms %.1f\n", rawMs);
    std::printf("archive_reopen_ms %.1f\n", archiveMs);
    std::printf("reopen_speedup %.2f\n", rawMs / archiveMs);
    std::printf("archive_over_raw %.3f\n", diskBytes / double(bytes.size()));
    std::printf("compare10_ms %.1f\n", compareMs);
    std::printf("compared_runs %lld\n", static_cast<long long>(comparison.runs.size()));
    std::printf("same_figures %s\n",
        reread && reread->smMean == summary.smMean && sameExtremes && fullSame && archiveColumns > 0
                && comparison.runs.size() == 10
            ? "yes"
            : "no");
    return 0;
}
