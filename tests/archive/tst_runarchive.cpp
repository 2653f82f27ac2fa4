// The run archive's storage and the import of existing run folders (issue 11 parts 1 and 2).
#include "core/archive/runarchive.h"
#include "core/archive/runfolderimport.h"
#include "core/archive/runloader.h"
#include "core/archive/runsummary.h"
#include "core/telemetry/runtelemetry.h"
#include "core/telemetry/trainerlogreader.h"

#include "testsupport.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck::Archive;
using TuneDeck::Test::readFile;
using TuneDeck::Test::writeFile;

namespace {

const QString Walkthrough = QStringLiteral(TUNEDECK_TESTDATA_DIR "/walkthrough");

} // namespace

class TestRunArchive : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString archivePath(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private Q_SLOTS:
    void walkthroughFolderImports()
    {
        RunArchive archive;
        QCOMPARE(archive.open(archivePath("walkthrough.sqlite")), QString());
        RunFolderImport import = readRunFiles({ Walkthrough });
        QVERIFY2(import.ok(), qPrintable(import.errors.join(u'\n')));
        const ArchiveImportResult result = archiveImport(archive, import);
        QCOMPARE(result.error, QString());
        QVERIFY(!result.alreadyArchived);

        const auto run = archive.run(result.runId);
        QVERIFY(run);
        QCOMPARE(run->name, QStringLiteral("llama3-70b-ft")); // the script's --job-name
        QCOMPARE(run->jobId, QStringLiteral("890671")); // from stdout-890671.out
        QCOMPARE(run->nodes, 4); // from the script, although only one node was recorded
        QCOMPARE(run->gpusPerNode, 4);
        QCOMPARE(run->timeLimitSeconds, std::optional<qint64>(3 * 3600));
        QCOMPARE(run->state, QStringLiteral("TIMEOUT"));
        QCOMPARE(run->endedBy, QStringLiteral("time_limit"));
        QVERIFY(run->sbatchScript.contains("#SBATCH --nodes 4"));
        QVERIFY(run->specYaml.contains("nodes: 4"));
        // Started with the first sample, ended at the time-limit line's "CANCELLED AT 2024-09-18T02:12:23".
        QCOMPARE(run->endedMs.value_or(0) - run->startedMs.value_or(0), qint64(3 * 3600 * 1000));

        const auto summary = RunSummary::fromJson(run->summary);
        QVERIFY(summary);
        QCOMPARE(summary->stepsDone, std::optional<qint64>(3));
        QCOMPARE(summary->totalSteps, std::optional<qint64>(21));
        QCOMPARE(summary->secondsPerStep.value_or(0), 2962.79);
        QCOMPARE(summary->gpusRecorded, 4); // the walkthrough's dmon saw the first node only
        QCOMPARE(summary->gpuHours.value_or(0), 48.0); // 16 GPUs x 3 h
        QCOMPARE(summary->gpuHoursPer1000Steps.value_or(0), 16000.0);
        QVERIFY(qAbs(summary->samplesPerSecond.value_or(0) - 128.0 / 2962.79) < 1e-9);
        QVERIFY(!summary->fbPeakMiB); // -s puct records no framebuffer: unknown, not 0
        QVERIFY(!summary->tokensPerSecond);
        QVERIFY(summary->smMean.value_or(0) > 40 && summary->smMean.value_or(0) < 80); // 2 of 5 min loading
        QCOMPARE(summary->smP10.value_or(-1), 0.0); // the loading minutes
        QVERIFY(summary->powerMeanW.value_or(0) > 100);
        QVERIFY(summary->hostFreeMinMiB.value_or(0) > 300 * 1024);

        // The raw text is stored byte for byte, and small.
        const QList<ArchivedFile> files = archive.files(run->id);
        QCOMPARE(files.size(), 3);
        qint64 raw = 0;
        for (const ArchivedFile& f : files) {
            const QList<RunArchive::Segment> text = archive.rawText(f.id);
            QCOMPARE(text.size(), 1);
            QCOMPARE(text.first().bytes, readFile(f.path));
            QCOMPARE(f.node, f.kind == FileKind::TrainerLog ? QString() : QStringLiteral("batch-host"));
            raw += text.first().bytes.size();
        }
        QVERIFY2(archive.diskBytes() < raw, qPrintable(QStringLiteral("%1 of %2").arg(archive.diskBytes()).arg(raw)));
        QCOMPARE(archive.integrityCheck(), QStringLiteral("ok"));
    }

    void sameFolderTwiceIsOneRun()
    {
        RunArchive archive;
        QCOMPARE(archive.open(archivePath("twice.sqlite")), QString());
        RunFolderImport first = readRunFiles({ Walkthrough });
        const ArchiveImportResult a = archiveImport(archive, first);
        QCOMPARE(a.error, QString());
        // Another spelling of the same folder.
        RunFolderImport second = readRunFiles({ Walkthrough + QStringLiteral("/../walkthrough/") });
        const ArchiveImportResult b = archiveImport(archive, second);
        QCOMPARE(b.error, QString());
        QVERIFY(b.alreadyArchived);
        QCOMPARE(b.runId, a.runId);
        QCOMPARE(archive.runs().size(), 1);
    }

    void unreadableFilesAreNamed()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("notes.txt")), "just some notes\n");
        RunFolderImport explicitFile = readRunFiles({ dir.filePath(QStringLiteral("notes.txt")) });
        QVERIFY(!explicitFile.ok());
        QVERIFY(explicitFile.errors.first().startsWith(dir.filePath(QStringLiteral("notes.txt")) + u": cannot tell"));

        RunFolderImport missing = readRunFiles({ dir.filePath(QStringLiteral("nothing-here")) });
        QVERIFY(!missing.ok());
        QVERIFY(missing.errors.first().contains(u"no such file or folder"));

        // A bad dmon line is reported with its line number; the rest imports.
        QByteArray dmon = readFile(Walkthrough + QStringLiteral("/dmon.txt"));
        dmon.insert(dmon.indexOf('\n', dmon.indexOf('\n') + 1) + 1, " 20240917   23:12:23   garbage here\n");
        writeFile(dir.filePath(QStringLiteral("dmon-bask-pg0309u04a.txt")), dmon);
        RunFolderImport withBadLine = readRunFiles({ dir.path() });
        QVERIFY2(withBadLine.ok(), qPrintable(withBadLine.errors.join(u'\n')));
        const QString bad = dir.filePath(QStringLiteral("dmon-bask-pg0309u04a.txt")) + QStringLiteral(":3: skipped");
        QVERIFY2(std::any_of(withBadLine.notes.cbegin(), withBadLine.notes.cend(),
                     [&](const QString& n) { return n.startsWith(bad); }),
            qPrintable(withBadLine.notes.join(u'\n')));
        // The node name comes from the file name; without a script the shape is what was recorded.
        QCOMPARE(withBadLine.files.first().file.node, QStringLiteral("bask-pg0309u04a"));
        QCOMPARE(withBadLine.run.nodes, 1);
        QCOMPARE(withBadLine.run.gpusPerNode, 4);
        QVERIFY(withBadLine.run.gpuType.isEmpty()); // never guessed

        // Two dmon logs for one node cannot be one run.
        writeFile(dir.filePath(QStringLiteral("dmon_bask-pg0309u04a.log")), dmon);
        RunFolderImport twoForOneNode = readRunFiles({ dir.path() });
        QVERIFY(!twoForOneNode.ok());
        QVERIFY(twoForOneNode.errors.first().contains(u"a second dmon file for node 'bask-pg0309u04a'"));
    }

    void perNodeLayoutsGiveNodeNames()
    {
        QTemporaryDir dir;
        const QByteArray dmon = readFile(Walkthrough + QStringLiteral("/dmon.txt"));
        QDir(dir.path()).mkpath(QStringLiteral("bask-pg0308u25a"));
        QDir(dir.path()).mkpath(QStringLiteral("telemetry"));
        writeFile(dir.filePath(QStringLiteral("bask-pg0308u25a/dmon.txt")), dmon);
        writeFile(dir.filePath(QStringLiteral("telemetry/dmon-77-bask-pg0309u04a.txt")), dmon);
        writeFile(
            dir.filePath(QStringLiteral("slurm-77.out")), readFile(Walkthrough + QStringLiteral("/stdout-890671.out")));
        RunFolderImport import = readRunFiles({ dir.path() }, QStringLiteral("mine"));
        QVERIFY2(import.ok(), qPrintable(import.errors.join(u'\n')));
        QStringList nodes;
        for (const auto& f : std::as_const(import.files)) {
            if (f.file.kind == FileKind::Dmon)
                nodes << f.file.node;
        }
        nodes.sort();
        QCOMPARE(nodes, QStringList({ QStringLiteral("bask-pg0308u25a"), QStringLiteral("bask-pg0309u04a") }));
        QCOMPARE(import.run.jobId, QStringLiteral("77"));
        QCOMPARE(import.run.name, QStringLiteral("mine"));
        QCOMPARE(import.run.nodes, 2);
    }

    void appendsNeitherGapNorRepeat()
    {
        RunArchive archive;
        QCOMPARE(archive.open(archivePath("append.sqlite")), QString());
        ArchivedRun run;
        run.source = QStringLiteral("test:append");
        run.name = QStringLiteral("append");
        QCOMPARE(archive.saveRun(run), QString());
        ArchivedFile file;
        file.path = QStringLiteral("/r/dmon-1-n1.txt");
        file.node = QStringLiteral("n1");
        QCOMPARE(archive.addFile(run.id, file), QString());
        QCOMPARE(archive.appendBytes(file.id, 1, 0, "a\nb\n"), QString());
        // A repeat of what is stored, and a gap, are refused and change nothing.
        QVERIFY(archive.appendBytes(file.id, 1, 0, "a\nb\n").contains(u"do not follow"));
        QVERIFY(archive.appendBytes(file.id, 1, 10, "z\n").contains(u"do not follow"));
        QCOMPARE(archive.appendBytes(file.id, 1, 4, "c\n", "b\nc\n"), QString());
        // The file restarted (a requeue): a new segment from 0.
        QVERIFY(archive.appendBytes(file.id, 2, 3, "x\n").contains(u"do not follow"));
        QCOMPARE(archive.appendBytes(file.id, 2, 0, "new\n"), QString());
        const QList<RunArchive::Segment> text = archive.rawText(file.id);
        QCOMPARE(text.size(), 2);
        QCOMPARE(text[0].bytes, QByteArray("a\nb\nc\n"));
        QCOMPARE(text[1].bytes, QByteArray("new\n"));
        const ArchivedFile stored = archive.files(run.id).first();
        QCOMPARE(stored.segment, 2);
        QCOMPARE(stored.offset, qint64(4));
        QCOMPARE(stored.storedBytes, qint64(10));
        // Merging the streamed chunks keeps the text.
        QCOMPARE(archive.compactFile(file.id), QString());
        const QList<RunArchive::Segment> merged = archive.rawText(file.id);
        QCOMPARE(merged.size(), 2);
        QCOMPARE(merged[0].bytes, QByteArray("a\nb\nc\n"));
        QCOMPARE(merged[1].bytes, QByteArray("new\n"));
    }

    void damagedSummaryIsRebuiltFromRawText()
    {
        RunArchive archive;
        QCOMPARE(archive.open(archivePath("rebuild.sqlite")), QString());
        RunFolderImport import = readRunFiles({ Walkthrough });
        const ArchiveImportResult result = archiveImport(archive, import);
        QCOMPARE(result.error, QString());
        const QJsonObject original = archive.run(result.runId)->summary;
        // Garbage where the derived form was, written behind the archive's back.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("behind"));
            db.setDatabaseName(archivePath("rebuild.sqlite"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("UPDATE runs SET summary_json = X'00FFFE7B22'")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("behind"));
        ArchivedRun damaged = *archive.run(result.runId);
        QVERIFY(damaged.summary.isEmpty());
        QString error;
        const RunSummary rebuilt = runSummary(archive, damaged, &error);
        QCOMPARE(error, QString());
        QCOMPARE(rebuilt.toJson(), original);
        QCOMPARE(archive.run(result.runId)->summary, original); // stored again
    }

    void removeTakesEverything()
    {
        RunArchive archive;
        QCOMPARE(archive.open(archivePath("remove.sqlite")), QString());
        RunFolderImport import = readRunFiles({ Walkthrough });
        const ArchiveImportResult result = archiveImport(archive, import);
        QCOMPARE(result.error, QString());
        const QList<ArchivedFile> files = archive.files(result.runId);
        QCOMPARE(archive.removeRun(result.runId), QString());
        QVERIFY(!archive.run(result.runId));
        QVERIFY(archive.files(result.runId).isEmpty());
        for (const ArchivedFile& f : files)
            QVERIFY(archive.rawText(f.id).isEmpty());
        QCOMPARE(archive.integrityCheck(), QStringLiteral("ok"));
    }

    void reopenedRunReadsLikeTheFiles()
    {
        // The archive's path to a telemetry (what the Runs page opens) gives what reading the files gives.
        RunArchive archive;
        QCOMPARE(archive.open(archivePath("reopen.sqlite")), QString());
        RunFolderImport import = readRunFiles({ Walkthrough });
        const ArchiveImportResult result = archiveImport(archive, import);
        QCOMPARE(result.error, QString());
        QString error;
        const auto telemetry = loadRunTelemetry(archive, *archive.run(result.runId), &error);
        QVERIFY2(telemetry, qPrintable(error));
        TuneDeck::Telemetry::TrainerLogReader direct;
        direct.feed(readFile(Walkthrough + QStringLiteral("/stdout-890671.out")));
        direct.finish();
        QCOMPARE(telemetry->trainerLog()->progress().size(), direct.progress().size());
        QCOMPARE(telemetry->trainerLog()->termination(), direct.termination());
        // 300 s x 4 GPUs of sm
        int smSeries = 0;
        for (const auto& key : telemetry->store().seriesKeys()) {
            if (key.metric == u"sm") {
                ++smSeries;
                QCOMPARE(telemetry->store().sampleCount(*telemetry->store().findSeries(key)), qint64(300));
            }
        }
        QCOMPARE(smSeries, 4);
    }

    void notAnArchive()
    {
        writeFile(archivePath("junk.sqlite"), QByteArray(8192, 'j'));
        RunArchive archive;
        const QString error = archive.open(archivePath("junk.sqlite"));
        QVERIFY(error.contains(archivePath("junk.sqlite")));
        QVERIFY(!error.isEmpty());
        QVERIFY(!archive.open(m_dir.path()).isEmpty()); // a folder
    }
};

QTEST_GUILESS_MAIN(TestRunArchive)
#include "tst_runarchive.moc"
