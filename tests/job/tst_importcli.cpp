// `tunedeck import FILE... --save-spec FILE`, run as a user would: the built executable in a scratch folder.
#include "core/job/jobspecio.h"
#include "testsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;

namespace {

QString walkthroughFile(const QString& name)
{
    return QStringLiteral(TUNEDECK_TESTDATA_DIR "/import/walkthrough/") + name;
}

} // namespace

class TestImportCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void walkthroughFiles();
    void renderImportRender();
    void printsSpecWithoutSaveSpec();
    void refusals_data();
    void refusals();
};

void TestImportCli::walkthroughFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString specPath = dir.filePath(QStringLiteral("imported.yaml"));
    // The YAML first: the kind comes from the content, and the script is imported first anyway.
    const Test::ProcessResult run
        = Test::runTunedeck({ QStringLiteral("import"), walkthroughFile(QStringLiteral("config_node02gpu04.yaml")),
            walkthroughFile(QStringLiteral("batch-llama3-70b-ft.sh")), QStringLiteral("--save-spec"), specPath });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    // Messages on stderr, the result on stdout.
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.contains(QStringLiteral("config_node02gpu04.yaml: read as accelerate config\n")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("batch-llama3-70b-ft.sh: read as sbatch script\n")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("batch-llama3-70b-ft.sh:37: fixed port 12340")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("batch-llama3-70b-ft.sh:48: `nvidia-smi dmon")), qPrintable(err));
    QCOMPARE(QString::fromUtf8(run.out), QStringLiteral("wrote ") + specPath + u'\n');

    const JobSpecLoadResult loaded = loadJobSpecFromFile(specPath);
    QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));
    QCOMPARE(loaded.spec.slurm.nodes, 4);
    QCOMPARE(loaded.spec.slurm.gpusPerNode, 4);
    QCOMPARE(loaded.spec.slurm.mem, QStringLiteral("491520"));
    QCOMPARE(loaded.spec.slurm.time, QStringLiteral("3:00:0"));
    QCOMPARE(loaded.spec.slurm.qos, QStringLiteral("turing"));
    QCOMPARE(loaded.spec.slurm.jobName, QStringLiteral("llama3-70b-ft"));
    QCOMPARE(loaded.spec.slurm.account, QStringLiteral("vjgo8416-llm-tune"));
    QCOMPARE(loaded.spec.environment.projectPath, QStringLiteral("/bask/projects/v/vjgo8416-llm-tune"));
    QCOMPARE(loaded.spec.fsdp.shardingStrategy, QStringLiteral("FULL_SHARD"));
    QCOMPARE(loaded.spec.launch.port, 12340);
}

void TestImportCli::renderImportRender()
{
    // render -> import -> render through the executable gives the same three files.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString first = dir.filePath(QStringLiteral("first"));
    const QString second = dir.filePath(QStringLiteral("second"));
    const QString spec = dir.filePath(QStringLiteral("spec.yaml"));
    Test::ProcessResult run = Test::runTunedeck({ QStringLiteral("render"), QStringLiteral("--account"),
        QStringLiteral("vjgo8416-llm-tune"), QStringLiteral("--job-name"), QStringLiteral("x'; touch pwned #"),
        QStringLiteral("--resume"), QStringLiteral("true"), QStringLiteral("--save-steps"), QStringLiteral("1"),
        QStringLiteral("--out"), first });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QStringList names { QStringLiteral("job.sbatch"), QStringLiteral("accelerate.yaml"),
        QStringLiteral("train.yaml") };
    QStringList inputs { QStringLiteral("import") };
    for (const QString& name : names)
        inputs.append(QDir(first).filePath(name));
    run = Test::runTunedeck(inputs + QStringList { QStringLiteral("--save-spec"), spec });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    run = Test::runTunedeck(
        { QStringLiteral("render"), QStringLiteral("--spec"), spec, QStringLiteral("--out"), second });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    for (const QString& name : names)
        QCOMPARE(QString::fromUtf8(Test::readFile(QDir(second).filePath(name))),
            QString::fromUtf8(Test::readFile(QDir(first).filePath(name))));
}

void TestImportCli::printsSpecWithoutSaveSpec()
{
    const Test::ProcessResult run
        = Test::runTunedeck({ QStringLiteral("import"), walkthroughFile(QStringLiteral("config_node02gpu04.yaml")) });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("tunedeck_job_spec: 1\n"), run.out.constData());
    QVERIFY2(run.out.contains("\n  sharding_strategy: FULL_SHARD\n"), run.out.constData());
}

void TestImportCli::refusals_data()
{
    QTest::addColumn<QByteArray>("content"); // written to input.sh; empty: the file does not exist
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("stderr");

    QTest::newRow("unmatched quote") << QByteArray("#!/bin/bash\n#SBATCH -N 2\n#SBATCH -J \"oops\nsrun x\n")
                                     << QStringList() << QStringLiteral("input.sh:3: unmatched \"");
    QTest::newRow("broken accelerate YAML") << QByteArray("distributed_type: FSDP\nfsdp_config:\n  a: [1\nuse_cpu: x\n")
                                            << QStringList() << QStringLiteral("input.sh:4: YAML syntax error");
    QTest::newRow("bad value") << QByteArray("#!/bin/bash\n#SBATCH --gpus-per-node=lots\n") << QStringList()
                               << QStringLiteral("input.sh:2: --gpus-per-node: 'lots' is not a GPU count");
    QTest::newRow("not a job file") << QByteArray("hello\n") << QStringList()
                                    << QStringLiteral("input.sh: not an sbatch script");
    QTest::newRow("unreadable") << QByteArray() << QStringList() << QStringLiteral("input.sh: cannot read");
    QTest::newRow("unknown profile") << QByteArray("#!/bin/bash\n#SBATCH -N 1\n")
                                     << QStringList { QStringLiteral("--profile"), QStringLiteral("nowhere") }
                                     << QStringLiteral("no cluster profile named 'nowhere'");
}

void TestImportCli::refusals()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, extra);
    QFETCH(QString, stderr);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString input = dir.filePath(QStringLiteral("input.sh"));
    if (!content.isEmpty())
        Test::writeFile(input, content);
    // An existing spec must survive a refused import untouched.
    const QString specPath = dir.filePath(QStringLiteral("spec.yaml"));
    Test::writeFile(specPath, "slurm: {account: keep}\n");
    const Test::ProcessResult run = Test::runTunedeck(
        QStringList { QStringLiteral("import"), QStringLiteral("input.sh"), QStringLiteral("--save-spec"), specPath }
            + extra,
        dir.path());
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(stderr), run.err.constData());
    QCOMPARE(Test::readFile(specPath), QByteArray("slurm: {account: keep}\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), content.isEmpty() ? 1 : 2);
}

QTEST_GUILESS_MAIN(TestImportCli)
#include "tst_importcli.moc"
