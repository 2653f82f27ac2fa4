#include "core/telemetry/derivedfigures.h"
#include "core/telemetry/trainerjsonlreader.h"
#include "core/telemetry/trainerlogreader.h"
#include "testsupport.h"

#include <QTest>

using namespace TuneDeck::Telemetry;

class TestDerivedFigures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void walkthroughProjectsPastTheLimit()
    {
        TrainerLogReader log;
        log.feed(TuneDeck::Test::readFile(
            QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/trainer-baskerville-walkthrough.log")));
        log.finish();
        RunTiming timing;
        timing.jobStartMs = 0;
        timing.timeLimitSeconds = 3 * 3600; // the walkthrough's --time 3:00:00
        const RunFigures f = computeRunFigures(&log, nullptr, timing);
        QCOMPARE(f.secondsPerStep.value_or(-1), 2962.79);
        QCOMPARE(f.samplesPerSecond.value_or(-1), 128 / 2962.79);
        QCOMPARE(f.stepsDone.value_or(-1), 3);
        QCOMPARE(f.totalSteps.value_or(-1), 21);
        QCOMPARE(f.etaSeconds.value_or(-1), 14 * 3600 + 48 * 60 + 50);
        QVERIFY(f.exceedsTimeLimit.value_or(false));
        QCOMPARE(f.shortfallSeconds.value_or(0), (2 * 3600 + 28 * 60 + 37) + (14 * 3600 + 48 * 60 + 50) - 3 * 3600);
        QVERIFY(!f.tokensPerSecond); // the log does not say
    }

    void jsonlOnly()
    {
        TrainerJsonlReader j;
        j.feed("{\"current_steps\": 50, \"total_steps\": 100, \"loss\": 1.0, \"elapsed_time\": \"0:10:00\", "
               "\"remaining_time\": \"0:10:00\", \"throughput\": 900.5}\n");
        j.finish();
        const RunFigures f = computeRunFigures(nullptr, &j, {});
        QCOMPARE(f.secondsPerStep.value_or(-1), 12.0);
        QCOMPARE(f.etaSeconds.value_or(-1), 600);
        QCOMPARE(f.tokensPerSecond.value_or(-1), 900.5);
        QVERIFY(!f.samplesPerSecond);
        QVERIFY(!f.projectedFinishMs); // no job start known
    }

    void flags()
    {
        MetricStore store;
        const QString run = QStringLiteral("r");
        // Three nodes x 2 GPUs; n3 straggles, n2's GPU 1 idles.
        const double sm[3][2] = { { 95, 97 }, { 96, 0 }, { 30, 32 } };
        for (int n = 0; n < 3; ++n) {
            for (int g = 0; g < 2; ++g) {
                const QString node = QStringLiteral("n%1").arg(n + 1);
                const int axis = store.timeAxis(run, node, QStringLiteral("dmon/gpu%1").arg(g));
                const int s = store.series(axis, { run, node, g, QStringLiteral("sm") });
                for (int i = 0; i < 60; ++i) {
                    store.appendTime(axis, i * 1000);
                    store.append(s, float(sm[n][g]));
                }
            }
        }
        const QList<Flag> flags = utilisationFlags(store, run, 0, 60000);
        QStringList found;
        for (const Flag& f : flags)
            found << QStringLiteral("%1:%2:%3").arg(int(f.kind)).arg(f.node).arg(f.gpu);
        found.sort();
        QCOMPARE(found, (QStringList { QStringLiteral("0:n2:1"), QStringLiteral("1:n3:-1") }));

        const QList<MetricSummary> sums = summarize(store, run, QStringLiteral("sm"), 0, 60000);
        QCOMPARE(sums.size(), 6);
        QCOMPARE(sums[0].node, QStringLiteral("n1"));
        QCOMPARE(sums[0].stats.mean, 95.0);
    }

    void noIdleFlagsWhileEveryGpuLoads()
    {
        // Loading the model: every GPU at a few per cent, one at 9 %. Nobody works, so nobody idles
        // (this flagged 15 GPUs of a real 16-GPU run on the test cluster).
        MetricStore store;
        const QString run = QStringLiteral("r");
        for (int g = 0; g < 16; ++g) {
            const QString node = QStringLiteral("n%1").arg(g / 4);
            const int axis = store.timeAxis(run, node, QStringLiteral("dmon/gpu%1").arg(g % 4));
            const int s = store.series(axis, { run, node, g % 4, QStringLiteral("sm") });
            for (int i = 0; i < 30; ++i) {
                store.appendTime(axis, i * 1000);
                store.append(s, g == 5 ? 9.0f : float(i % 4));
            }
        }
        QVERIFY(utilisationFlags(store, run, 0, 30000).isEmpty());
    }

    void stalledLog()
    {
        QVERIFY(!stalledLogFlag(0, 500 * 1000, 30.0)); // within the 10-minute floor
        QVERIFY(stalledLogFlag(0, 700 * 1000, 30.0));
        QVERIFY(!stalledLogFlag(0, 14000 * 1000, 2962.79)); // 5 steps of ~50 min
        QVERIFY(stalledLogFlag(0, 16000 * 1000, 2962.79));
    }
};

QTEST_GUILESS_MAIN(TestDerivedFigures)
#include "tst_derivedfigures.moc"
