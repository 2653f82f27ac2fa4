// Cluster profiles: the bundled Baskerville profile, user profiles, and messages for broken files.
#include "core/job/profileloader.h"
#include "core/job/profileregistry.h"
#include "core/util/slurmvalues.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;

class TestProfiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bundledBaskerville()
    {
        const ProfileRegistry registry(QString {});
        QVERIFY2(registry.errors().isEmpty(), qPrintable(registry.errors().join(u'\n')));
        const std::optional<ClusterProfile> profile = registry.find(QStringLiteral("baskerville"));
        QVERIFY(profile);
        QCOMPARE(profile->loginHost, QStringLiteral("login.baskerville.ac.uk"));
        QVERIFY(profile->needsOneTimeCode);
        QCOMPARE(profile->gpusPerNode, 4);
        QCOMPARE(profile->cpusPerNode, 72);
        // The walkthrough's --mem 491520 must fit.
        QVERIFY(profile->memoryPerNodeMiB >= parseSlurmMemoryMiB(u"491520").value());
        QCOMPARE(profile->defaultGpuType()->name, QStringLiteral("a100_40"));
        QCOMPARE(profile->gpuType(QStringLiteral("a100_40"))->memoryGiB, 40.0);
        QCOMPARE(profile->gpuType(QStringLiteral("a100_80"))->memoryGiB, 80.0);
        QCOMPARE(profile->gpuType(QStringLiteral("a100_80"))->constraint, QStringLiteral("a100_80"));
        QCOMPARE(profile->qosChoices, QStringList { QStringLiteral("turing") });
        QCOMPARE(profile->modules,
            QStringList({ QStringLiteral("baskerville"), QStringLiteral("bask-apps/live"),
                QStringLiteral("PyTorch/2.1.2-foss-2022b-CUDA-11.8.0") }));
        QCOMPARE(profile->projectPathFor(QStringLiteral("vjgo8416-llm-tune")),
            QStringLiteral("/bask/projects/v/vjgo8416-llm-tune"));
    }

    void userProfileAddsAndOverrides()
    {
        QTemporaryDir dir;
        QByteArray text = Test::readFile(QStringLiteral(TUNEDECK_SOURCE_DIR "/resources/profiles/baskerville.yaml"));
        text.replace("memory_mib: 491520", "memory_mib: 500000");
        Test::writeFile(dir.filePath(QStringLiteral("baskerville.yaml")), text);
        text.replace("name: baskerville", "name: mycluster");
        Test::writeFile(dir.filePath(QStringLiteral("mine.yaml")), text);
        const ProfileRegistry registry(dir.path());
        QVERIFY(registry.errors().isEmpty());
        QCOMPARE(registry.find(QStringLiteral("baskerville"))->memoryPerNodeMiB, 500000);
        QVERIFY(registry.find(QStringLiteral("mycluster")));
        QCOMPARE(registry.names().size(), 2);
    }

    void brokenProfile_data()
    {
        QTest::addColumn<QByteArray>("replace");
        QTest::addColumn<QByteArray>("with");
        QTest::addColumn<QString>("expected"); // a substring of the one error: "line: key: message"
        QTest::newRow("typo in key") << QByteArray("max_time:") << QByteArray("max_tmie:")
                                     << QStringLiteral("baskerville.yaml:17: max_tmie: unknown key");
        QTest::newRow("gpus not a number") << QByteArray("gpus: 4") << QByteArray("gpus: four")
                                           << QStringLiteral(":13: node.gpus: expected a whole number");
        QTest::newRow("missing host") << QByteArray("  host: login.baskerville.ac.uk\n") << QByteArray()
                                      << QStringLiteral(": login.host: missing required key");
        QTest::newRow("bad constraint") << QByteArray("constraint: a100_80") << QByteArray("constraint: \"a100 80\"")
                                        << QStringLiteral(":24: gpu_types[1].constraint: 'a100 80' is not a valid");
        QTest::newRow("two defaults") << QByteArray("memory_gib: 80 }") << QByteArray("memory_gib: 80, default: true }")
                                      << QStringLiteral("gpu_types: more than one GPU type is marked default");
        QTest::newRow("bad time") << QByteArray("\"10-00:00:00\"") << QByteArray("ten days")
                                  << QStringLiteral(":17: max_time: 'ten days' is not a Slurm time");
        QTest::newRow("syntax error") << QByteArray("qos: [turing]") << QByteArray("qos: [turing")
                                      << QStringLiteral("YAML syntax error");
        QTest::newRow("not a mapping") << QByteArray("node:\n  gpus: 4") << QByteArray("node: 4\n  gpus: 4")
                                       << QStringLiteral("YAML syntax error");
        QTest::newRow("wrong version") << QByteArray("tunedeck_cluster_profile: 1")
                                       << QByteArray("tunedeck_cluster_profile: 7")
                                       << QStringLiteral(
                                              ":4: tunedeck_cluster_profile: this TuneDeck reads profile format 1");
    }
    void brokenProfile()
    {
        QFETCH(QByteArray, replace);
        QFETCH(QByteArray, with);
        QFETCH(QString, expected);
        QByteArray text = Test::readFile(QStringLiteral(TUNEDECK_SOURCE_DIR "/resources/profiles/baskerville.yaml"));
        QVERIFY2(text.contains(replace), replace.constData());
        text.replace(replace, with);
        const ProfileLoadResult result = loadProfileFromYaml(text, QStringLiteral("/home/u/baskerville.yaml"));
        QVERIFY(!result.ok());
        QVERIFY2(result.errors.join(u'\n').contains(expected), qPrintable(result.errors.join(u'\n')));
        QVERIFY(result.errors.constFirst().startsWith(QStringLiteral("/home/u/baskerville.yaml:")));
    }

    void brokenUserFileIsReportedNotFatal()
    {
        QTemporaryDir dir;
        Test::writeFile(dir.filePath(QStringLiteral("bad.yaml")), "name: [");
        const ProfileRegistry registry(dir.path());
        QVERIFY(registry.find(QStringLiteral("baskerville")));
        QCOMPARE(registry.errors().size(), 1);
        QVERIFY(registry.errors().constFirst().startsWith(dir.filePath(QStringLiteral("bad.yaml:"))));
    }
};

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
