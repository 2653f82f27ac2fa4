#include "core/remote/jobstatefile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;

class TestJobStateFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/jobs.json")); // the folder is created
        JobStateFile file(path);
        QVERIFY(file.load().isEmpty()); // missing: empty, not an error
        QVERIFY(file.records().isEmpty());

        JobRecord record;
        record.cluster = QStringLiteral("baskerville");
        record.runDir = QStringLiteral("/bask/projects/v/p/tunedeck/runs/x-20261125-070000-abcd");
        record.outputFile = record.runDir + QStringLiteral("/slurm-42.out");
        record.submittedUtc = QDateTime(QDate(2026, 11, 25), QTime(7, 0), Qt::UTC);
        record.ownerUid = 1001;
        record.status.jobId = QStringLiteral("42");
        record.status.phase = JobPhase::Cancelled;
        record.status.slurmState = QStringLiteral("CANCELLED by 1001");
        record.status.name = QStringLiteral("it's \"odd\" | name");
        record.status.exit = Slurm::ExitStatus { 0, 15 };
        record.status.cancelledByUid = 1001;
        record.status.attempts = 2;
        record.status.logHint = LogHint::Nccl;
        file.upsert(record);
        QVERIFY(file.save().isEmpty());

        JobStateFile again(path);
        QVERIFY(again.load().isEmpty());
        QCOMPARE(again.records().size(), 1);
        const JobRecord& read = again.records().front();
        QCOMPARE(read.cluster, record.cluster);
        QCOMPARE(read.runDir, record.runDir);
        QCOMPARE(read.outputFile, record.outputFile);
        QCOMPARE(read.submittedUtc, record.submittedUtc);
        QCOMPARE(read.ownerUid, record.ownerUid);
        QCOMPARE(read.status, record.status);

        // Updating a job replaces its record instead of adding one.
        record.status.phase = JobPhase::Completed;
        again.upsert(record);
        QCOMPARE(again.records().size(), 1);
        QCOMPARE(again.find(QStringLiteral("42"))->status.phase, JobPhase::Completed);
        QVERIFY(again.find(QStringLiteral("42"), QStringLiteral("other")) == nullptr);
    }

    void brokenFileIsReported()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("jobs.json"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("{ not json");
        out.close();
        JobStateFile file(path);
        QVERIFY(file.load().contains(u"not a TuneDeck job list"));
    }
};

QTEST_GUILESS_MAIN(TestJobStateFile)
#include "tst_jobstatefile.moc"
