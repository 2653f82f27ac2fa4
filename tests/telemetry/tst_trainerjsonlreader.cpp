#include "chunking.h"
#include "core/telemetry/trainerjsonlreader.h"
#include "testsupport.h"

#include <QTest>

using namespace TuneDeck::Telemetry;

class TestTrainerJsonlReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timedelta_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("seconds");
        QTest::newRow("h:mm:ss") << QByteArray("0:03:29") << qint64(209);
        QTest::newRow("days") << QByteArray("4 days, 5:06:09") << qint64(4 * 86400 + 5 * 3600 + 6 * 60 + 9);
        QTest::newRow("one day") << QByteArray("1 day, 0:00:01") << qint64(86401);
        QTest::newRow("fraction") << QByteArray("0:00:01.500000") << qint64(1);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
        QTest::newRow("empty") << QByteArray("") << qint64(-1);
    }
    void timedelta()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, seconds);
        QCOMPARE(parseTimedeltaSeconds(text).value_or(-1), seconds);
    }

    void realOldFields()
    {
        TrainerJsonlReader r;
        r.feed(TuneDeck::Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/trainer_log-old-fields.jsonl")));
        r.finish();
        QCOMPARE(r.entries().size(), 5);
        QCOMPARE(r.currentSteps().value_or(-1), 91);
        QCOMPARE(r.totalSteps().value_or(-1), 11250);
        QCOMPARE(r.finalLoss().value_or(-1), 0.0);
        QCOMPARE(r.remainingSeconds().value_or(-1), 7 * 86400 + 4 * 3600 + 49 * 60 + 13);
        QCOMPARE(r.entries().first().learningRate.value_or(-1), 6.96e-05);
        QVERIFY(!r.entries().first().evalLoss); // null
    }

    void newFieldsNullsAndBadLines()
    {
        const QByteArray text
            = "{\"current_steps\": 5, \"total_steps\": 10, \"loss\": 1.5, \"lr\": 2e-05, \"epoch\": 0.5, "
              "\"percentage\": 50.0, \"elapsed_time\": \"0:00:10\", \"remaining_time\": \"0:00:10\", \"throughput\": "
              "812.5, \"total_tokens\": 40960}\n"
              "not json\n"
              "{\"current_steps\": 10, \"total_steps\": 10, \"eval_loss\": 1.2, \"epoch\": 1.0, \"percentage\": 100.0, "
              "\"elapsed_time\": \"0:00:20\", \"remaining_time\": \"0:00:00\"}\n";
        TrainerJsonlReader r;
        r.feed(text);
        r.finish();
        QCOMPARE(r.entries().size(), 2);
        QCOMPARE(r.issues().count(), 1);
        QCOMPARE(r.issues().examples().first().line, 2);
        QCOMPARE(r.entries()[0].learningRate.value_or(-1), 2e-05);
        QCOMPARE(r.entries()[0].throughput.value_or(-1), 812.5);
        QCOMPARE(r.finalLoss().value_or(-1), 1.5); // the eval line has no loss
        QCOMPARE(r.remainingSeconds().value_or(-1), 0);
        const auto sigs = TuneDeck::Test::signaturesOverChunkings<TrainerJsonlReader>(
            text, [](const TrainerJsonlReader& x) -> QByteArray {
                return QByteArray::number(x.entries().size()) + '|' + QByteArray::number(x.currentSteps().value_or(-1))
                    + '|' + QByteArray::number(x.issues().count());
            });
        for (const QByteArray& s : sigs)
            QCOMPARE(s, sigs.first());
    }
};

QTEST_GUILESS_MAIN(TestTrainerJsonlReader)
#include "tst_trainerjsonlreader.moc"
