#include "core/slurm/squeueparser.h"

#include <QTest>

using namespace TuneDeck::Slurm;

class TestSqueueParser : public QObject
{
    Q_OBJECT
private:
    static QByteArray row(std::initializer_list<const char*> fields)
    {
        QByteArray line;
        for (const char* f : fields) {
            if (!line.isEmpty())
                line.append(SqueueParser::Separator);
            line.append(f);
        }
        return line + '\n';
    }

private Q_SLOTS:
    void formatArgument()
    {
        const QByteArray f = SqueueParser::formatArgument();
        QCOMPARE(f.count(SqueueParser::Separator), 9);
        QVERIFY(f.endsWith("%j")); // the only free-text field goes last
        QVERIFY(!f.contains('\'')); // safe inside single quotes
    }

    void rows()
    {
        QByteArray text = row({ "890671", "RUNNING", "2:28:37", "3-00:00:00", "4", "gpu", "None", "bask-pg[01-04]",
            "2024-09-17T23:20:01", "llama 70b | ft" });
        text += row({ "890673_[1-3]", "PENDING", "0:00", "1:00:00", "1", "gpu", "QOSMaxJobsPerUserLimit", "", "N/A",
            "name\x1fwith separator" });
        text += "garbage line without separators\n";
        const SqueueResult r = SqueueParser::parse(text);
        QCOMPARE(r.rows.size(), 2);
        QCOMPARE(r.badLines, 1);
        QCOMPARE(r.rows[0].jobId, QStringLiteral("890671"));
        QCOMPARE(r.rows[0].state, QStringLiteral("RUNNING"));
        QCOMPARE(r.rows[0].elapsedSeconds.value_or(-1), 2 * 3600 + 28 * 60 + 37);
        QCOMPARE(r.rows[0].timeLimitSeconds.value_or(-1), 3 * 86400);
        QCOMPARE(r.rows[0].nodes.value_or(-1), 4);
        QCOMPARE(r.rows[0].nodeList, QStringLiteral("bask-pg[01-04]"));
        QCOMPARE(r.rows[0].name, QStringLiteral("llama 70b | ft"));
        QCOMPARE(r.rows[1].reason, QStringLiteral("QOSMaxJobsPerUserLimit"));
        QVERIFY(r.rows[1].nodeList.isEmpty());
        QVERIFY(r.rows[1].startTime.isEmpty());
        QCOMPARE(r.rows[1].name, QString::fromUtf8("name\x1fwith separator"));
    }

    void unlimitedAndEmpty()
    {
        const SqueueResult r = SqueueParser::parse(
            row({ "7", "COMPLETING", "1-02:03:04", "UNLIMITED", "x", "p", "None", "n1", "", "" }));
        QCOMPARE(r.rows.size(), 1);
        QCOMPARE(r.rows[0].elapsedSeconds.value_or(-1), 86400 + 2 * 3600 + 3 * 60 + 4);
        QVERIFY(!r.rows[0].timeLimitSeconds);
        QVERIFY(!r.rows[0].nodes);
        QVERIFY(SqueueParser::parse(QByteArray()).rows.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSqueueParser)
#include "tst_squeueparser.moc"
