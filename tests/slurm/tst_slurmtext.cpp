#include "core/slurm/slurmtext.h"

#include <QTest>

using namespace TuneDeck::Slurm;

class TestSlurmText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void duration_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("seconds"); // -1: nullopt
        QTest::newRow("mm:ss") << QByteArray("04:11") << qint64(251);
        QTest::newRow("hh:mm:ss") << QByteArray("2:36:49") << qint64(9409);
        QTest::newRow("days") << QByteArray("3-00:00:28") << qint64(3 * 86400 + 28);
        QTest::newRow("days-hours") << QByteArray("14-00") << qint64(14 * 86400);
        QTest::newRow("fraction (TotalCPU)") << QByteArray("00:00.004") << qint64(0);
        QTest::newRow("bare minutes") << QByteArray("90") << qint64(5400);
        QTest::newRow("padded") << QByteArray("  00:00:00 ") << qint64(0);
        QTest::newRow("UNLIMITED") << QByteArray("UNLIMITED") << qint64(-1);
        QTest::newRow("N/A") << QByteArray("N/A") << qint64(-1);
        QTest::newRow("empty") << QByteArray() << qint64(-1);
        QTest::newRow("garbage") << QByteArray("1:2:3:4") << qint64(-1);
        QTest::newRow("letters") << QByteArray("ab:cd") << qint64(-1);
    }
    void duration()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, seconds);
        QCOMPARE(parseDurationSeconds(text).value_or(-1), seconds);
    }

    void gpus_data()
    {
        QTest::addColumn<QByteArray>("tres");
        QTest::addColumn<int>("gpus"); // -1: nullopt
        QTest::newRow("typed and untyped counted once")
            << QByteArray("billing=8,cpu=8,gres/gpu:a100=4,gres/gpu=4,mem=60G,node=1") << 4;
        QTest::newRow("scontrol order") << QByteArray("cpu=8,mem=60G,node=1,billing=8,gres/gpu=2,gres/gpu:h100=2") << 2;
        QTest::newRow("typed only, two types") << QByteArray("cpu=2,gres/gpu:a100=1,gres/gpu:v100=2") << 3;
        QTest::newRow("MIG type") << QByteArray("cpu=1,gres/gpu:1g.10gb=1,gres/gpu=1") << 1;
        QTest::newRow("no gpu") << QByteArray("cpu=1,mem=4G,node=1,billing=1") << 0;
        QTest::newRow("gpumem is not a count") << QByteArray("gres/gpumem=38888M,gres/gpuutil=100") << 0;
        QTest::newRow("empty (pending)") << QByteArray("") << -1;
    }
    void gpus()
    {
        QFETCH(QByteArray, tres);
        QFETCH(int, gpus);
        QCOMPARE(gpuCountFromTres(tres).value_or(-1), gpus);
    }

    void exitStatus()
    {
        QCOMPARE(parseExitStatus("0:125"), (ExitStatus { 0, 125 }));
        QCOMPARE(parseExitStatus("1:0"), (ExitStatus { 1, 0 }));
        QVERIFY(!parseExitStatus("1"));
        QVERIFY(!parseExitStatus(""));
    }
};

QTEST_GUILESS_MAIN(TestSlurmText)
#include "tst_slurmtext.moc"
