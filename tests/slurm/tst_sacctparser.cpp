#include "core/slurm/sacctparser.h"
#include "testsupport.h"

#include <QTest>

using namespace TuneDeck::Slurm;

class TestSacctParser : public QObject
{
    Q_OBJECT
private:
    static QByteArray data(const char* name)
    {
        return TuneDeck::Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/") + QLatin1StringView(name));
    }

private Q_SLOTS:
    void realStepsWithSignal()
    {
        const SacctResult r = SacctParser::parse(data("real/sacct-P-steps-cancelled.txt"));
        QCOMPARE(r.badLines, 0);
        QCOMPARE(r.columns,
            (QStringList { QStringLiteral("JobID"), QStringLiteral("NodeList"), QStringLiteral("State"),
                QStringLiteral("ExitCode") }));
        QCOMPARE(r.rows.size(), 8);
        QCOMPARE(r.rows[3].jobId, QStringLiteral("239023.0"));
        QVERIFY(r.rows[3].isStep());
        QCOMPARE(r.rows[3].allocationId(), QStringLiteral("239023"));
        QCOMPARE(r.rows[3].state, QStringLiteral("CANCELLED"));
        QCOMPARE(r.rows[3].exit, (ExitStatus { 0, 10 }));
        QVERIFY(!r.rows[3].elapsedSeconds); // no Elapsed column: missing, not zero
        QVERIFY(!r.rows[3].gpus);
        QCOMPARE(r.rows[3].fields.value(QStringLiteral("NodeList")), QStringLiteral("galvani-cn001"));
    }

    void realCancelledBy()
    {
        const SacctResult r = SacctParser::parse(data("real/sacct-P-cancelled-by-user.txt"));
        QCOMPARE(r.rows.size(), 3);
        QCOMPARE(r.rows[0].state, QStringLiteral("CANCELLED"));
        QCOMPARE(r.rows[0].cancelledBy.value_or(-1), 54321);
        QVERIFY(!r.rows[1].cancelledBy);
        QCOMPARE(r.rows[2].state, QStringLiteral("COMPLETED"));
    }

    void realTerminalStates()
    {
        const SacctResult r = SacctParser::parse(data("real/sacct-P-terminal-states.txt"));
        QStringList states;
        for (const SacctRow& row : r.rows)
            states << row.state;
        QCOMPARE(states,
            (QStringList { QStringLiteral("TIMEOUT"), QStringLiteral("OUT_OF_MEMORY"), QStringLiteral("NODE_FAIL"),
                QStringLiteral("FAILED") }));
    }

    void parsableWithTrailingDelimiterAndTres()
    {
        const SacctResult r = SacctParser::parse(data("sacct-p-alloctres.txt"));
        QCOMPARE(r.badLines, 0);
        QCOMPARE(r.columns.size(), 6);
        QCOMPARE(r.rows.size(), 7);
        QCOMPARE(r.rows[0].gpus.value_or(-1), 16);
        QCOMPARE(r.rows[0].elapsedSeconds.value_or(-1), 3 * 86400 + 28);
        QCOMPARE(r.rows[1].gpus.value_or(-1), 4);
        QCOMPARE(r.rows[4].gpus.value_or(-1), 1); // typed only
        QCOMPARE(r.rows[4].exit, (ExitStatus { 0, 125 }));
        QCOMPARE(r.rows[5].jobId, QStringLiteral("890673_[1-3]"));
        QVERIFY(!r.rows[5].gpus); // pending: no allocation yet, so no count is invented
        QCOMPARE(r.rows[6].gpus.value_or(-1), 0);
        QCOMPARE(r.rows[6].exit, (ExitStatus { 1, 0 }));
    }

    void headerlessNeedsColumns()
    {
        const QByteArray text("42|RUNNING|00:01:02\n42.batch|RUNNING|00:01:02\n");
        const SacctResult none = SacctParser::parse(text);
        QCOMPARE(none.rows.size(), 0);
        QCOMPARE(none.badLines, 2);
        const SacctResult r
            = SacctParser::parse(text, { QStringLiteral("JobID"), QStringLiteral("State"), QStringLiteral("Elapsed") });
        QCOMPARE(r.rows.size(), 2);
        QCOMPARE(r.rows[1].elapsedSeconds.value_or(-1), 62);
    }

    void brokenLinesCounted()
    {
        const SacctResult r = SacctParser::parse(
            "JobID|State\r\n1|COMPLETED\r\n2|FAILED|extra\r\n\r\nsacct: error: x\r\n3|RUNNING\r\n");
        QCOMPARE(r.rows.size(), 2);
        QCOMPARE(r.badLines, 2);
        QCOMPARE(r.rows[1].jobId, QStringLiteral("3"));
    }
};

QTEST_GUILESS_MAIN(TestSacctParser)
#include "tst_sacctparser.moc"
