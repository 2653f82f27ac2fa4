// Job spec files: save/load round trip, short specs, and file:line:key messages for broken ones.
#include "core/job/jobspecio.h"
#include "testsupport.h"
#include "walkthroughspec.h"

#include <QTest>

using namespace TuneDeck;

class TestJobSpecIo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("jobName");
        QTest::addColumn<int>("fsdpVersion");
        QTest::newRow("walkthrough") << QStringLiteral("llama3-70b-ft") << 1;
        QTest::newRow("fsdp2") << QStringLiteral("llama3-70b-ft") << 2;
        QTest::newRow("quote and hash") << QStringLiteral("x\"; touch pwned #") << 1;
        QTest::newRow("yaml specials") << QStringLiteral("yes: [no] {} & *a !b %c @d") << 1;
        QTest::newRow("unicode") << QStringLiteral("données ✓") << 1;
        QTest::newRow("looks like a number") << QStringLiteral("1e3") << 1;
    }
    void roundTrip()
    {
        QFETCH(QString, jobName);
        QFETCH(int, fsdpVersion);
        JobSpec spec = Test::walkthroughSpec();
        spec.slurm.jobName = jobName;
        spec.fsdp.version = fsdpVersion;
        spec.slurm.extraDirectives = { { QStringLiteral("--mail-type"), QStringLiteral("END,FAIL") } };
        spec.environment.modules = { QStringLiteral("baskerville"), QStringLiteral("bask-apps/live") };
        spec.training.method = FinetuningMethod::Qlora;
        spec.training.precision = Precision::Fp16;
        spec.training.expectedSecondsPerStep = 2987.9;
        spec.resume.enabled = true;
        spec.accelerateExtra = { { QStringLiteral("dynamo_backend"), QStringLiteral("'no'") } };
        const QByteArray saved = saveJobSpecToYaml(spec);
        const JobSpecLoadResult loaded = loadJobSpecFromYaml(saved, QStringLiteral("spec.yaml"));
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));
        QCOMPARE(loaded.spec.slurm.jobName, jobName);
        // Saving what was loaded gives the same bytes: nothing is lost or reinterpreted.
        QCOMPARE(saveJobSpecToYaml(loaded.spec), saved);
        QCOMPARE(loaded.spec.training.method, FinetuningMethod::Qlora);
        QCOMPARE(loaded.spec.training.expectedSecondsPerStep, 2987.9);
        QCOMPARE(loaded.spec.slurm.time, QStringLiteral("3:00:0"));
        QCOMPARE(loaded.spec.accelerateExtra, spec.accelerateExtra);
    }

    void shortSpecKeepsDefaults()
    {
        const JobSpecLoadResult loaded = loadJobSpecFromYaml(
            "slurm:\n  account: proj\n  nodes: 2\n  gpu_type: a100_80\n", QStringLiteral("s.yaml"));
        QVERIFY(loaded.ok());
        QCOMPARE(loaded.spec.slurm.nodes, 2);
        QCOMPARE(loaded.spec.slurm.gpuType, QStringLiteral("a100_80"));
        QCOMPARE(loaded.spec.slurm.gpusPerNode, 4);
        QCOMPARE(loaded.spec.fsdp.shardingStrategy, QStringLiteral("FULL_SHARD"));
    }

    void brokenSpec_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("typo") << QByteArray("slurm:\n  acount: x\n")
                              << QStringLiteral("s.yaml:2: slurm.acount: unknown key");
        QTest::newRow("nodes text") << QByteArray("slurm:\n  nodes: four\n")
                                    << QStringLiteral("s.yaml:2: slurm.nodes: expected a whole number");
        QTest::newRow("nodes zero") << QByteArray("slurm:\n  nodes: 0\n") << QStringLiteral("s.yaml:2: slurm.nodes");
        QTest::newRow("method") << QByteArray("\ntraining:\n  method: dora\n")
                                << QStringLiteral("s.yaml:3: training.method: 'dora' is not one of lora, qlora, full");
        QTest::newRow("bool") << QByteArray("resume:\n  enabled: maybe\n")
                              << QStringLiteral("s.yaml:2: resume.enabled: expected true or false");
        QTest::newRow("section not mapping")
            << QByteArray("fsdp: 2\n") << QStringLiteral("s.yaml:1: fsdp: expected a mapping");
        QTest::newRow("list not list") << QByteArray("environment:\n  modules: baskerville\n")
                                       << QStringLiteral("s.yaml:2: environment.modules: expected a list");
        QTest::newRow("syntax") << QByteArray("slurm: {account: x\n") << QStringLiteral("s.yaml:2: YAML syntax error");
        QTest::newRow("top-level list") << QByteArray("- a\n") << QStringLiteral("must be a YAML mapping");
        QTest::newRow("future format") << QByteArray("tunedeck_job_spec: 9\n")
                                       << QStringLiteral("reads job spec format 1, the file is format 9");
    }
    void brokenSpec()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const JobSpecLoadResult loaded = loadJobSpecFromYaml(text, QStringLiteral("s.yaml"));
        QVERIFY(!loaded.ok());
        QVERIFY2(loaded.errors.join(u'\n').contains(expected), qPrintable(loaded.errors.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestJobSpecIo)
#include "tst_jobspecio.moc"
