// `tunedeck render` as a user runs it: the walkthrough's settings in, three files out; bad input in,
// `field: message` lines out, exit 2 and nothing written.
#include "core/job/jobspecio.h"
#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <yaml-cpp/yaml.h>

using namespace TuneDeck;

namespace {

const QStringList walkthroughOptions {
    QStringLiteral("render"),
    QStringLiteral("--nodes"),
    QStringLiteral("4"),
    QStringLiteral("--gpu-type"),
    QStringLiteral("a100_40"),
    QStringLiteral("--gpus-per-node"),
    QStringLiteral("4"),
    QStringLiteral("--mem"),
    QStringLiteral("491520"),
    QStringLiteral("--time"),
    QStringLiteral("3:00:00"),
    QStringLiteral("--qos"),
    QStringLiteral("turing"),
    QStringLiteral("--account"),
    QStringLiteral("vjgo8416-llm-tune"),
    QStringLiteral("--job-name"),
    QStringLiteral("llama3-70b-ft"),
    QStringLiteral("--profile"),
    QStringLiteral("baskerville"),
};

YAML::Node loadYaml(const QString& path)
{
    return YAML::Load(Test::readFile(path).toStdString());
}

} // namespace

class TestRenderCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Keep the user's own profiles folder out of the test.
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    }

    void walkthroughJob()
    {
        QTemporaryDir out;
        const Test::ProcessResult result
            = Test::runTunedeck(walkthroughOptions + QStringList { QStringLiteral("--out"), out.path() });
        QVERIFY2(result.exitCode == 0, result.err.constData());
        // Messages on stderr, results on stdout.
        QVERIFY(result.err.contains("info: slurm.nodes: 4 x 4 a100_40"));
        QString wrote;
        for (const char* name : { "job.sbatch", "accelerate.yaml", "train.yaml" })
            wrote += u"wrote " + out.filePath(QString::fromLatin1(name)) + u'\n';
        QCOMPARE(QString::fromUtf8(result.out), wrote);
        const QByteArray script = Test::readFile(out.filePath(QStringLiteral("job.sbatch")));
        for (const char* line :
            { "#SBATCH --qos turing\n", "#SBATCH --account vjgo8416-llm-tune\n", "#SBATCH --time 3:00:00\n",
                "#SBATCH --nodes 4\n", "#SBATCH --gpus-per-node 4\n", "#SBATCH --ntasks-per-node 1\n",
                "#SBATCH --mem 491520\n", "#SBATCH --job-name=\"llama3-70b-ft\"\n", "#SBATCH --constraint a100_40\n" })
            QVERIFY2(script.contains(line), line);
        const YAML::Node ours = loadYaml(out.filePath(QStringLiteral("accelerate.yaml")));
        const YAML::Node theirs
            = loadYaml(QStringLiteral(TUNEDECK_TESTDATA_DIR "/walkthrough/config_node02gpu04.yaml"));
        QCOMPARE(ours.size(), theirs.size());
        for (const auto& entry : theirs) {
            const std::string key = entry.first.as<std::string>();
            QVERIFY2(ours[key].IsDefined(), key.c_str());
            if (entry.second.IsScalar())
                QCOMPARE(ours[key].Scalar(), entry.second.Scalar());
        }
        QCOMPARE(ours["fsdp_config"].size(), theirs["fsdp_config"].size());
        QCOMPARE(ours["num_machines"].as<int>(), 4);
        QCOMPARE(ours["num_processes"].as<int>(), 16);
        QVERIFY(QFile::exists(out.filePath(QStringLiteral("train.yaml"))));
    }

    void invalidWritesNothing_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("expected");
        QTest::newRow("account") << QStringList { QStringLiteral("--account"), QStringLiteral("x;y") }
                                 << QStringLiteral("slurm.account: 'x;y' is not a valid account");
        QTest::newRow("one node does not fit") << QStringList { QStringLiteral("--nodes"), QStringLiteral("1") }
                                               << QStringLiteral("slurm.nodes: 1 x 4 a100_40");
        QTest::newRow("time") << QStringList { QStringLiteral("--time"), QStringLiteral("forever") }
                              << QStringLiteral("slurm.time: 'forever' is not a Slurm time");
        QTest::newRow("mem") << QStringList { QStringLiteral("--mem"), QStringLiteral("2T") }
                             << QStringLiteral("slurm.mem: 2097152 MiB per node is more than");
        QTest::newRow("job name newline") << QStringList { QStringLiteral("--job-name"), QStringLiteral("a\nb") }
                                          << QStringLiteral("slurm.job_name: contains a line break");
        QTest::newRow("nodes not a number") << QStringList { QStringLiteral("--nodes"), QStringLiteral("four") }
                                            << QStringLiteral("--nodes: expected a whole number");
        QTest::newRow("unknown option") << QStringList { QStringLiteral("--nodez"), QStringLiteral("4") }
                                        << QStringLiteral("Unknown option 'nodez'");
        QTest::newRow("no time limit") << QStringList { QStringLiteral("--time"), QStringLiteral("0") }
                                       << QStringLiteral("slurm.time: '0' asks for no time limit");
        QTest::newRow("unlimited") << QStringList { QStringLiteral("--time"), QStringLiteral("UNLIMITED") }
                                   << QStringLiteral("slurm.time: 'UNLIMITED' asks for no time limit");
        QTest::newRow("all of the memory") << QStringList { QStringLiteral("--mem"), QStringLiteral("0") }
                                           << QStringLiteral("slurm.mem: '0' asks for all of each node's memory");
        QTest::newRow("unknown profile") << QStringList { QStringLiteral("--profile"), QStringLiteral("archer2") }
                                         << QStringLiteral("profile: no cluster profile named 'archer2'");
    }
    void invalidWritesNothing()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("out"));
        const Test::ProcessResult result = Test::runTunedeck(walkthroughOptions + options
            + QStringList {
                QStringLiteral("--out"), out, QStringLiteral("--save-spec"), tmp.filePath(QStringLiteral("s.yaml")) });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(QString::fromUtf8(result.err).contains(expected), result.err.constData());
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("s.yaml"))));
    }

    void saveSpecThenRenderFromIt()
    {
        QTemporaryDir tmp;
        const QString spec = tmp.filePath(QStringLiteral("job.yaml"));
        Test::ProcessResult result = Test::runTunedeck(walkthroughOptions
            + QStringList {
                QStringLiteral("--out"), tmp.filePath(QStringLiteral("a")), QStringLiteral("--save-spec"), spec });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(loadJobSpecFromFile(spec).ok());
        result = Test::runTunedeck({ QStringLiteral("render"), QStringLiteral("--spec"), spec, QStringLiteral("--out"),
            tmp.filePath(QStringLiteral("b")) });
        QVERIFY2(result.exitCode == 0, result.err.constData());
        for (const char* file : { "job.sbatch", "accelerate.yaml", "train.yaml" })
            QCOMPARE(Test::readFile(tmp.filePath(QStringLiteral("b/") + QLatin1StringView(file))),
                Test::readFile(tmp.filePath(QStringLiteral("a/") + QLatin1StringView(file))));
        // An option on top of a spec overrides it.
        result = Test::runTunedeck({ QStringLiteral("render"), QStringLiteral("--spec"), spec,
            QStringLiteral("--nodes"), QStringLiteral("2"), QStringLiteral("--gpu-type"), QStringLiteral("a100_80"),
            QStringLiteral("--out"), tmp.filePath(QStringLiteral("c")) });
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(loadYaml(tmp.filePath(QStringLiteral("c/accelerate.yaml")))["num_processes"].as<int>(), 8);
        QVERIFY(
            Test::readFile(tmp.filePath(QStringLiteral("c/job.sbatch"))).contains("#SBATCH --constraint a100_80\n"));
    }

    void brokenSpecAndProfileFiles()
    {
        QTemporaryDir tmp;
        const QString spec = tmp.filePath(QStringLiteral("job.yaml"));
        Test::writeFile(spec, "slurm:\n  account: p\n  nodse: 4\n");
        Test::ProcessResult result = Test::runTunedeck({ QStringLiteral("render"), QStringLiteral("--spec"), spec,
            QStringLiteral("--out"), tmp.filePath(QStringLiteral("o")) });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains((spec + u":3: slurm.nodse: unknown key").toUtf8()), result.err.constData());
        const QString profile = tmp.filePath(QStringLiteral("cluster.yaml"));
        Test::writeFile(profile, "tunedeck_cluster_profile: 1\nname: c\nnode:\n  gpus: 4\n");
        result = Test::runTunedeck(walkthroughOptions
            + QStringList { QStringLiteral("--profile-file"), profile, QStringLiteral("--out"),
                tmp.filePath(QStringLiteral("o")) });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains((profile + u":4: node.memory_mib: missing required key").toUtf8()),
            result.err.constData());
        QVERIFY(result.err.contains(": login: missing required key"));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("o"))));
    }

    void helpAndVersion()
    {
        Test::ProcessResult result = Test::runTunedeck({ QStringLiteral("--version") });
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, QByteArray("tunedeck " TUNEDECK_VERSION "\n"));
        result = Test::runTunedeck({ QStringLiteral("--help") });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("render"));
        result = Test::runTunedeck({ QStringLiteral("render"), QStringLiteral("--help") });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("--gpus-per-node"));
        result = Test::runTunedeck({ QStringLiteral("render"), QStringLiteral("--help-all") });
        QCOMPARE(result.exitCode, 0); // listed by --help, so it must work
        QVERIFY(result.out.contains("--gpus-per-node"));
        result = Test::runTunedeck({ QStringLiteral("render") });
        QCOMPARE(result.exitCode, 2);
    }

    // An empty --out (an unset shell variable) must not write into the current folder.
    void emptyOutputFolderIsRefused()
    {
        QTemporaryDir tmp;
        const Test::ProcessResult result
            = Test::runTunedeck(walkthroughOptions + QStringList { QStringLiteral("--out"), QString() }, tmp.path());
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("--out needs a folder name"), result.err.constData());
        QVERIFY(QDir(tmp.path()).isEmpty());
    }

private:
    QTemporaryDir m_config;
};

QTEST_GUILESS_MAIN(TestRenderCli)
#include "tst_rendercli.moc"
