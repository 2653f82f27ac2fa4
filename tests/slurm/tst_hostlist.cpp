// Slurm's compressed host lists as squeue and sacct print them, expanded for the per-node files.
#include "core/slurm/hostlist.h"

#include <QTest>

using namespace TuneDeck::Slurm;

class TestHostList : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void expands_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("hosts");
        QTest::newRow("one") << QStringLiteral("bask-pg0308u18a") << QStringList { QStringLiteral("bask-pg0308u18a") };
        // Baskerville's node names, as in the walkthrough's squeue output.
        QTest::newRow("baskerville") << QStringLiteral("bask-pg0308u[18-19]a")
                                     << QStringList { QStringLiteral("bask-pg0308u18a"),
                                            QStringLiteral("bask-pg0308u19a") };
        QTest::newRow("ranges and singles") << QStringLiteral("gpu[01-03,07]")
                                            << QStringList { QStringLiteral("gpu01"), QStringLiteral("gpu02"),
                                                   QStringLiteral("gpu03"), QStringLiteral("gpu07") };
        QTest::newRow("padding kept past 9") << QStringLiteral(
            "n[08-10]") << QStringList { QStringLiteral("n08"), QStringLiteral("n09"), QStringLiteral("n10") };
        QTest::newRow("several lists") << QStringLiteral("a[1-2],b,c[5]")
                                       << QStringList { QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("b"),
                                              QStringLiteral("c5") };
        QTest::newRow("two brackets") << QStringLiteral("r[1-2]n[3-4]")
                                      << QStringList { QStringLiteral("r1n3"), QStringLiteral("r1n4"),
                                             QStringLiteral("r2n3"), QStringLiteral("r2n4") };
        QTest::newRow("not yet assigned") << QStringLiteral("None assigned") << QStringList();
        QTest::newRow("empty") << QString() << QStringList();
    }
    void expands()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, hosts);
        const std::optional<QStringList> expanded = expandHostList(text);
        QVERIFY(expanded);
        QCOMPARE(*expanded, hosts);
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("text");
        for (const char* bad :
            { "gpu[01-", "gpu[3-1]", "gpu[a-b]", "gpu]1[", "gpu[[1]]", "a,,b", "gpu[1-2] x", "[1-2]x[" })
            QTest::newRow(bad) << QString::fromLatin1(bad);
        // A bound, so a hostile or broken reply cannot make us allocate millions of names.
        QTest::newRow("too many") << QStringLiteral("n[0-99999999]");
        QTest::newRow("too many multiplied") << QStringLiteral("n[0-999]x[0-999]");
    }
    void refuses()
    {
        QFETCH(QString, text);
        QVERIFY(!expandHostList(text).has_value());
    }
};

QTEST_GUILESS_MAIN(TestHostList)
#include "tst_hostlist.moc"
