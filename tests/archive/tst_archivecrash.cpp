// The archive under a crash, a second writer and a full disk (issue 11 part 7).
#include "core/archive/runarchive.h"
#include "core/archive/runfolderimport.h"

#include "testsupport.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace TuneDeck::Archive;

namespace {

const QString Writer = QStringLiteral(STREAM_WRITER);

QByteArray expectedLines(qint64 from, qint64 to)
{
    QByteArray out;
    for (qint64 i = from; i < to; ++i)
        out += "line " + QByteArray::number(i) + " " + QByteArray(40, 'x') + '\n';
    return out;
}

// The last "committed N" a writer printed.
qint64 lastCommitted(const QByteArray& output)
{
    const QList<QByteArray> lines = output.trimmed().split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        if (it->startsWith("committed "))
            return it->mid(10).toLongLong();
    }
    return -1;
}

QByteArray storedText(const QString& path, const QString& runName)
{
    RunArchive archive;
    if (!archive.open(path).isEmpty())
        return {};
    const auto run = archive.runBySource(QStringLiteral("test:") + runName);
    if (!run)
        return {};
    QByteArray all;
    for (const ArchivedFile& f : archive.files(run->id)) {
        for (const RunArchive::Segment& s : archive.rawText(f.id))
            all += s.bytes;
    }
    return all;
}

} // namespace

class TestArchiveCrash : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void killNineLosesNothingAndResumes()
    {
        const QString path = m_dir.filePath(QStringLiteral("crash.sqlite"));
        QProcess writer;
        writer.start(Writer, { path, QStringLiteral("stream"), QStringLiteral("100000000") });
        QVERIFY(writer.waitForStarted());
        QByteArray output;
        // Let it stream a good while, then kill it mid-transaction somewhere.
        while (lastCommitted(output) < 400) {
            QVERIFY2(writer.waitForReadyRead(20000), "the writer stopped streaming");
            output += writer.readAllStandardOutput();
        }
        ::kill(pid_t(writer.processId()), SIGKILL);
        QVERIFY(writer.waitForFinished());
        output += writer.readAllStandardOutput();
        const qint64 committed = lastCommitted(output);

        {
            RunArchive archive;
            QCOMPARE(archive.open(path), QString());
            QCOMPARE(archive.integrityCheck(), QStringLiteral("ok"));
        }
        // Everything it said was committed is there, in order, each line once (one more line may have
        // been committed after its last print).
        const QByteArray afterCrash = storedText(path, QStringLiteral("stream"));
        const qint64 stored = afterCrash.count('\n');
        QVERIFY2(stored == committed + 1 || stored == committed + 2,
            qPrintable(QStringLiteral("stored %1 lines, committed %2").arg(stored).arg(committed)));
        QCOMPARE(afterCrash, expectedLines(0, stored));

        // Started again, it continues from the stored offset: no gap, no repeat.
        QProcess again;
        again.start(Writer, { path, QStringLiteral("stream"), QString::number(stored + 150) });
        QVERIFY(again.waitForFinished(60000));
        QCOMPARE(again.exitCode(), 0);
        QCOMPARE(storedText(path, QStringLiteral("stream")), expectedLines(0, stored + 150));
    }

    void twoWritersShareOneArchive()
    {
        const QString path = m_dir.filePath(QStringLiteral("shared.sqlite"));
        QProcess a;
        QProcess b;
        a.start(Writer, { path, QStringLiteral("first"), QStringLiteral("400") });
        b.start(Writer, { path, QStringLiteral("second"), QStringLiteral("400") });
        QVERIFY(a.waitForFinished(120000));
        QVERIFY(b.waitForFinished(120000));
        QVERIFY2(a.exitCode() == 0, a.readAllStandardError().constData());
        QVERIFY2(b.exitCode() == 0, b.readAllStandardError().constData());
        QCOMPARE(storedText(path, QStringLiteral("first")), expectedLines(0, 400));
        QCOMPARE(storedText(path, QStringLiteral("second")), expectedLines(0, 400));
        RunArchive archive;
        QCOMPARE(archive.open(path), QString());
        QCOMPARE(archive.integrityCheck(), QStringLiteral("ok"));
        QCOMPARE(archive.runs().size(), 2);
    }

    void fullDiskIsAClearErrorAndKeepsEarlierRuns()
    {
        // A real full file system: a 640 KiB tmpfs (needs root, as CI and the README's test command run).
        const QString mountPoint = m_dir.filePath(QStringLiteral("small"));
        QVERIFY(QDir().mkpath(mountPoint));
        const int mounted = QProcess::execute(QStringLiteral("mount"),
            { QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"), QStringLiteral("size=640k"),
                QStringLiteral("tmpfs"), mountPoint });
        QVERIFY2(mounted == 0, "cannot mount a small tmpfs: this test needs root");
        const auto unmount = qScopeGuard([&]() { QProcess::execute(QStringLiteral("umount"), { mountPoint }); });
        const QString path = mountPoint + QStringLiteral("/archive.sqlite");
        RunArchive archive;
        QCOMPARE(archive.open(path), QString());
        RunFolderImport walkthrough = readRunFiles({ QStringLiteral(TUNEDECK_TESTDATA_DIR "/walkthrough") });
        const ArchiveImportResult first = archiveImport(archive, walkthrough);
        QCOMPARE(first.error, QString());

        // Incompressible bytes until the disk is full.
        ArchivedRun big;
        big.source = QStringLiteral("test:big");
        big.name = QStringLiteral("big");
        QCOMPARE(archive.saveRun(big), QString());
        ArchivedFile file;
        file.path = QStringLiteral("/r/big.txt");
        QCOMPARE(archive.addFile(big.id, file), QString());
        QString error;
        qint64 offset = 0;
        for (int i = 0; i < 200 && error.isEmpty(); ++i) {
            QByteArray chunk;
            for (int j = 0; j < 16 * 1024; ++j)
                chunk += char(QRandomGenerator::global()->bounded(256));
            chunk += '\n';
            error = archive.appendBytes(file.id, 1, offset, chunk);
            if (error.isEmpty())
                offset += chunk.size();
        }
        QVERIFY2(error.contains(u"full"), qPrintable(error));
        QVERIFY(error.contains(path));
        // What was there before is intact and readable.
        QCOMPARE(archive.integrityCheck(), QStringLiteral("ok"));
        const auto earlier = archive.run(first.runId);
        QVERIFY(earlier);
        QCOMPARE(earlier->name, QStringLiteral("llama3-70b-ft"));
        const QList<ArchivedFile> files = archive.files(first.runId);
        QCOMPARE(files.size(), 3);
        for (const ArchivedFile& f : files)
            QCOMPARE(archive.rawText(f.id).first().bytes, TuneDeck::Test::readFile(f.path));
        QCOMPARE(archive.files(big.id).first().offset, offset); // the failed write left nothing half-done
    }
};

QTEST_GUILESS_MAIN(TestArchiveCrash)
#include "tst_archivecrash.moc"
