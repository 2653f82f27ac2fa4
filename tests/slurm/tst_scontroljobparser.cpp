#include "core/slurm/scontroljobparser.h"
#include "testsupport.h"

#include <QTest>

using namespace TuneDeck::Slurm;

class TestScontrolJobParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realRunningJob()
    {
        const ScontrolJobResult r = ScontrolJobParser::parse(
            TuneDeck::Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/scontrol-show-job-running.txt")));
        QVERIFY(r.error.isEmpty());
        QCOMPARE(r.jobs.size(), 1);
        const ScontrolJob& job = r.jobs.first();
        QCOMPARE(job.jobId(), QStringLiteral("10804568"));
        QCOMPARE(job.name(), QStringLiteral("velocity_python_PinAndTrigger.py-00"));
        QCOMPARE(job.state(), QStringLiteral("RUNNING"));
        QCOMPARE(job.reason(), QStringLiteral("None"));
        QCOMPARE(job.runTimeSeconds().value_or(-1), 20 * 3600 + 27 * 60 + 30);
        QCOMPARE(job.timeLimitSeconds().value_or(-1), 2 * 86400);
        QCOMPARE(job.nodeList(), QStringLiteral("f006"));
        QCOMPARE(job.numNodes().value_or(-1), 1);
        QCOMPARE(job.exit(), (ExitStatus { 0, 0 }));
        QCOMPARE(job.gpus().value_or(-1), 0); // old TRES= key, no GPU
        QCOMPARE(job.value(QStringLiteral("Command")),
            QStringLiteral("/scratch/tdegeus/front-dynamics/Run/sims_A=900/python_PinAndTrigger.py-00.slurm"));
        QCOMPARE(job.value(QStringLiteral("ReqNodeList")), QStringLiteral("(null)"));
    }

    void oneLinePerJobAndGpuSpellings()
    {
        const QByteArray text = "JobId=1 JobName=a JobState=PENDING Reason=Resources NodeList=(null) NumNodes=4-4 "
                                "TimeLimit=3-00:00:00 ReqTRES=cpu=144,mem=1920G,node=4,billing=128,gres/gpu=16 "
                                "TresPerNode=gres/gpu:4\n"
                                "JobId=2 JobName=b c JobState=RUNNING NumNodes=2 TresPerNode=gres/gpu:a6000:1 "
                                "TimeLimit=UNLIMITED\n"
                                "JobId=3 JobName=x NumNodes=1 TresPerJob=gres/gpu:2 Power=\n";
        const ScontrolJobResult r = ScontrolJobParser::parse(text);
        QCOMPARE(r.jobs.size(), 3);
        QCOMPARE(r.jobs[0].gpus().value_or(-1), 16);
        QVERIFY(r.jobs[0].nodeList().isEmpty());
        QCOMPARE(r.jobs[0].numNodes().value_or(-1), 4);
        QCOMPARE(r.jobs[1].name(), QStringLiteral("b c"));
        QCOMPARE(r.jobs[1].gpus().value_or(-1), 2);
        QVERIFY(!r.jobs[1].timeLimitSeconds());
        QCOMPARE(r.jobs[2].gpus().value_or(-1), 2);
        QVERIFY(r.jobs[2].fields.contains(QStringLiteral("Power")));
    }

    void error()
    {
        const ScontrolJobResult r = ScontrolJobParser::parse("slurm_load_jobs error: Invalid job id specified\n");
        QVERIFY(r.jobs.isEmpty());
        QCOMPARE(r.error, QStringLiteral("slurm_load_jobs error: Invalid job id specified"));
    }
};

QTEST_GUILESS_MAIN(TestScontrolJobParser)
#include "tst_scontroljobparser.moc"
