#include "core/slurm/sbatchoutput.h"

#include <QTest>

using namespace TuneDeck::Slurm;

Q_DECLARE_METATYPE(TuneDeck::Slurm::SbatchErrorField)

class TestSbatchOutput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jobId_data()
    {
        QTest::addColumn<QByteArray>("out");
        QTest::addColumn<qint64>("id"); // -1: none
        QTest::addColumn<QString>("cluster");
        QTest::newRow("plain") << QByteArray("Submitted batch job 45194596\n") << qint64(45194596) << QString();
        QTest::newRow("parsable") << QByteArray("890671\n") << qint64(890671) << QString();
        QTest::newRow("parsable with cluster")
            << QByteArray("890671;baskerville\n") << qint64(890671) << QStringLiteral("baskerville");
        QTest::newRow("banner before") << QByteArray("Loading module baskerville\r\nSubmitted batch job 7\r\n")
                                       << qint64(7) << QString();
        QTest::newRow("federation") << QByteArray("Submitted batch job 12 on cluster c2\n") << qint64(12)
                                    << QStringLiteral("c2");
        QTest::newRow("empty") << QByteArray() << qint64(-1) << QString();
        QTest::newRow("words only") << QByteArray("sbatch: error: Batch job submission failed\n") << qint64(-1)
                                    << QString();
    }
    void jobId()
    {
        QFETCH(QByteArray, out);
        QFETCH(qint64, id);
        QFETCH(QString, cluster);
        const auto s = SbatchOutput::parseJobId(out);
        QCOMPARE(s ? s->jobId : -1, id);
        if (s)
            QCOMPARE(s->cluster, cluster);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("err");
        QTest::addColumn<SbatchErrorField>("field");
        QTest::addColumn<QString>("reason");
        QTest::newRow("account") << QByteArray("sbatch: error: Batch job submission failed: Invalid account or "
                                               "account/partition combination specified\n")
                                 << SbatchErrorField::Account
                                 << QStringLiteral("Invalid account or account/partition combination specified");
        QTest::newRow("qos spec") << QByteArray(
            "sbatch: error: Batch job submission failed: Invalid qos specification\n")
                                  << SbatchErrorField::Qos << QStringLiteral("Invalid qos specification");
        QTest::newRow("qos policy, two lines")
            << QByteArray("sbatch: error: QOSMaxSubmitJobPerUserLimit\nsbatch: error: Batch job submission failed: Job "
                          "violates accounting/QOS policy (job submit limit, user's size and/or time limits)\n")
            << SbatchErrorField::Qos
            << QStringLiteral("Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)");
        QTest::newRow("feature") << QByteArray("sbatch: error: Batch job submission failed: Invalid feature "
                                               "specification\n")
                                 << SbatchErrorField::Constraint << QStringLiteral("Invalid feature specification");
        QTest::newRow("node configuration")
            << QByteArray("sbatch: error: Batch job submission failed: Requested node configuration is not available\n")
            << SbatchErrorField::NodeConfiguration << QStringLiteral("Requested node configuration is not available");
        QTest::newRow("memory") << QByteArray("sbatch: error: Memory specification can not be satisfied\nsbatch: "
                                              "error: Batch job submission failed: Requested node configuration is "
                                              "not available\n")
                                << SbatchErrorField::NodeConfiguration
                                << QStringLiteral("Requested node configuration is not available");
        QTest::newRow("memory only") << QByteArray("sbatch: error: Memory required by task is not available\n")
                                     << SbatchErrorField::Memory
                                     << QStringLiteral("Memory required by task is not available");
        QTest::newRow("time limit") << QByteArray("sbatch: error: Batch job submission failed: Requested time limit "
                                                  "is invalid (missing or exceeds some limit)\n")
                                    << SbatchErrorField::TimeLimit
                                    << QStringLiteral(
                                           "Requested time limit is invalid (missing or exceeds some limit)");
        QTest::newRow("partition") << QByteArray("sbatch: error: Batch job submission failed: Invalid partition name "
                                                 "specified\n")
                                   << SbatchErrorField::Partition << QStringLiteral("Invalid partition name specified");
        QTest::newRow("unknown") << QByteArray("sbatch: error: Batch job submission failed: Zero Bytes were "
                                               "transmitted or received\n")
                                 << SbatchErrorField::Other
                                 << QStringLiteral("Zero Bytes were transmitted or received");
        QTest::newRow("no error") << QByteArray("Submitted batch job 3\n") << SbatchErrorField::None << QString();
    }
    void errors()
    {
        QFETCH(QByteArray, err);
        QFETCH(SbatchErrorField, field);
        QFETCH(QString, reason);
        const SbatchError e = SbatchOutput::parseError(err);
        QCOMPARE(e.field, field);
        QCOMPARE(e.reason, reason);
    }
};

QTEST_GUILESS_MAIN(TestSbatchOutput)
#include "tst_sbatchoutput.moc"
