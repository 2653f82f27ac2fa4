#include "core/telemetry/runtelemetry.h"
#include "core/telemetry/trainerlogreader.h"
#include "testsupport.h"

#include <QTest>

#include <limits>

using namespace TuneDeck::Telemetry;

class TestRunTelemetry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followedFilesArriveInTheStore()
    {
        RunTelemetry run(QStringLiteral("890671"));
        const QByteArray dmon
            = TuneDeck::Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/dmon-TD-mutc-wide.txt"));
        const QByteArray log = TuneDeck::Test::readFile(
            QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/trainer-baskerville-walkthrough.log"));
        // Two nodes, bytes in odd pieces as SFTP reads return them.
        for (const QString& node : { QStringLiteral("bask-pg01"), QStringLiteral("bask-pg02") }) {
            for (qsizetype pos = 0; pos < dmon.size(); pos += 37)
                run.feed(TelemetryFile::Dmon, node,
                    QByteArrayView(dmon).sliced(pos, std::min<qsizetype>(37, dmon.size() - pos)));
        }
        run.feed(TelemetryFile::TrainerLog, {}, log);
        QCOMPARE(run.bytesFed(TelemetryFile::Dmon, QStringLiteral("bask-pg02")), dmon.size());
        const auto sm = run.store().findSeries(
            { QStringLiteral("890671"), QStringLiteral("bask-pg02"), 0, QStringLiteral("sm") });
        QVERIFY(sm);
        QCOMPARE(run.store().sampleCount(*sm), 6);
        QVERIFY(run.trainerLog());
        QCOMPARE(run.trainerLog()->termination(), Termination::TimeLimit);
        QCOMPARE(run.figures({}).stepsDone.value_or(-1), 3);
    }

    void restartStartsANewAttempt()
    {
        RunTelemetry run(QStringLiteral("7"));
        const QByteArray head = "#Date       Time        gpu     sm\n#YYYYMMDD   HH:MM:SS    Idx      %\n";
        run.feed(TelemetryFile::Dmon, QStringLiteral("n1"),
            QByteArray(head + " 20240917   10:00:00      0     50\n 20240917   10:00:0"));
        QCOMPARE(run.attempt(TelemetryFile::Dmon, QStringLiteral("n1")), 1);
        // The job was requeued: the file was rewritten from the start. The held-back partial row is dropped
        // with the old attempt, and the new rows land in a separate run "7#2".
        run.restart(TelemetryFile::Dmon, QStringLiteral("n1"));
        run.feed(TelemetryFile::Dmon, QStringLiteral("n1"), QByteArray(head + " 20240917   09:00:00      0     90\n"));
        QCOMPARE(run.attempt(TelemetryFile::Dmon, QStringLiteral("n1")), 2);
        const auto first
            = run.store().findSeries({ QStringLiteral("7"), QStringLiteral("n1"), 0, QStringLiteral("sm") });
        const auto second
            = run.store().findSeries({ QStringLiteral("7#2"), QStringLiteral("n1"), 0, QStringLiteral("sm") });
        QVERIFY(first && second);
        QCOMPARE(run.store().sampleCount(*first), 1); // the cut-off partial row is never parsed
        QCOMPARE(run.store().sampleCount(*second), 1);
        QCOMPARE(run.store().stats(*second, 0, std::numeric_limits<qint64>::max())->mean, 90.0);
    }
};

QTEST_GUILESS_MAIN(TestRunTelemetry)
#include "tst_runtelemetry.moc"
