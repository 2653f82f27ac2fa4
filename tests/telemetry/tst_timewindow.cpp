// Zoom and pan of a monitor chart's window (core/telemetry/timewindow.h), and the CSV export of its
// samples (core/telemetry/samplescsv.h).
#include "core/telemetry/samplescsv.h"
#include "core/telemetry/timewindow.h"

#include <QTest>

#include <cmath>

using namespace TuneDeck::Telemetry;
using Window = std::pair<qint64, qint64>;

class TestTimeWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsTheNewestDataByDefault()
    {
        TimeWindow w;
        QCOMPARE(w.resolve(1000, 60999), Window(1000, 61000));
        w.follow(10000);
        QCOMPARE(w.resolve(1000, 60999), Window(51000, 61000));
        QCOMPARE(w.resolve(1000, 70999), Window(61000, 71000)); // data grows: the window moves with it
        QCOMPARE(w.resolve(1000, 4999), Window(1000, 5000)); // less data than the span: all of it
    }

    void zoomKeepsTheAnchorAndFixesTheWindow()
    {
        TimeWindow w;
        w.zoom(0.5, 0.5, 0, 99999); // [0, 100000) halved around its middle
        QVERIFY(!w.isFollowing());
        QCOMPARE(w.resolve(0, 99999), Window(25000, 75000));
        QCOMPARE(w.resolve(0, 199999), Window(25000, 75000)); // a fixed window stays while data arrives
        w.zoom(0.5, 0.0, 0, 199999); // left edge kept
        QCOMPARE(w.resolve(0, 199999), Window(25000, 50000));
        w.zoom(1e-9, 0.5, 0, 199999); // never narrower than the minimum
        const auto [t0, t1] = w.resolve(0, 199999);
        QCOMPARE(t1 - t0, TimeWindow::MinimumSpanMs);
        QVERIFY(t0 >= 25000 && t1 <= 50000);
    }

    void zoomingOutToEverythingFollowsAgain()
    {
        TimeWindow w;
        w.zoom(0.25, 0.5, 0, 99999);
        QVERIFY(!w.isFollowing());
        w.zoom(100, 0.5, 0, 99999);
        QVERIFY(w.isFollowing());
        QCOMPARE(w.followSpan(), 0);
        QCOMPARE(w.resolve(0, 199999), Window(0, 200000));
    }

    void zoomInAtTheRightEdgeKeepsFollowing()
    {
        TimeWindow w;
        w.zoom(0.1, 1.0, 0, 99999);
        QVERIFY(w.isFollowing());
        QCOMPARE(w.resolve(0, 99999), Window(90000, 100000));
        QCOMPARE(w.resolve(0, 109999), Window(100000, 110000));
    }

    void panStaysWithinTheDataAndFollowsAtTheEnd()
    {
        TimeWindow w;
        w.show(20000, 30000, 0, 99999);
        w.pan(-5.0, 0, 99999); // far back: stops at the first sample
        QCOMPARE(w.resolve(0, 99999), Window(0, 10000));
        w.pan(0.5, 0, 99999);
        QCOMPARE(w.resolve(0, 99999), Window(5000, 15000));
        w.pan(100.0, 0, 99999); // to the newest sample: follows it at the same width
        QVERIFY(w.isFollowing());
        QCOMPARE(w.followSpan(), 10000);
        QCOMPARE(w.resolve(0, 149999), Window(140000, 150000));
    }

    void rubberBandInEitherDirection()
    {
        TimeWindow w;
        w.show(60000, 40000, 0, 99999);
        QCOMPARE(w.resolve(0, 99999), Window(40000, 60000));
        w.reset();
        QVERIFY(w.isFollowing());
        QCOMPARE(w.resolve(0, 99999), Window(0, 100000));
    }

    void csvHoldsEveryRawSampleOfTheWindow()
    {
        MetricStore store;
        const int axis = store.timeAxis(QStringLiteral("r"), QStringLiteral("gpu-01"), QStringLiteral("dmon/gpu1"));
        const int sm = store.series(axis, { QStringLiteral("r"), QStringLiteral("gpu-01"), 1, QStringLiteral("sm") });
        const int hostAxis = store.timeAxis(QStringLiteral("r"), QStringLiteral("odd,name"), QStringLiteral("vmstat"));
        const int us
            = store.series(hostAxis, { QStringLiteral("r"), QStringLiteral("odd,name"), -1, QStringLiteral("us") });
        for (int i = 0; i < 10; ++i) {
            store.appendTime(axis, 5000 + i * 1000);
            if (i != 4) // sample 4 is missing
                store.append(sm, float(i) + 0.1f);
            store.appendTime(hostAxis, 5000 + i * 1000);
            store.append(us, float(10 * i));
        }
        const QByteArray csv = samplesCsv(store, { sm, us }, 7000, 10000, 5000);
        const QList<QByteArray> lines = csv.split('\n');
        QCOMPARE(lines.value(0), QByteArray("seconds,node,gpu,metric,value"));
        // 7000, 8000 (missing: empty value), 9000 for each series; 10000 is outside [t0, t1).
        QCOMPARE(lines.size(), 1 + 6 + 1);
        QCOMPARE(lines.value(1), QByteArray("2.000,gpu-01,1,sm,2.0999999"));
        QCOMPARE(lines.value(2), QByteArray("3.000,gpu-01,1,sm,3.0999999"));
        QCOMPARE(lines.value(3), QByteArray("4.000,gpu-01,1,sm,"));
        QCOMPARE(lines.value(4), QByteArray("2.000,\"odd,name\",,us,20"));
        QCOMPARE(lines.value(6), QByteArray("4.000,\"odd,name\",,us,40"));
        QCOMPARE(lines.value(7), QByteArray());
        // Nine significant digits give back the stored float exactly.
        QCOMPARE(lines.value(1).split(',').last().toFloat(), 2.1f);
    }

    void sampleNearFindsTheClosestWithinReach()
    {
        MetricStore store;
        const int axis = store.timeAxis(QStringLiteral("r"), QStringLiteral("n"), QStringLiteral("dmon/gpu0"));
        const int sm = store.series(axis, { QStringLiteral("r"), QStringLiteral("n"), 0, QStringLiteral("sm") });
        for (int i = 0; i < 5; ++i) {
            store.appendTime(axis, i * 1000);
            store.append(sm, float(i));
        }
        QCOMPARE(store.sampleNear(sm, 2400, 1000), std::make_optional(std::pair<qint64, float>(2000, 2.0f)));
        QCOMPARE(store.sampleNear(sm, 2600, 1000), std::make_optional(std::pair<qint64, float>(3000, 3.0f)));
        QCOMPARE(store.sampleNear(sm, 9000, 1000), std::nullopt);
        QCOMPARE(store.sampleNear(sm, -500, 1000), std::make_optional(std::pair<qint64, float>(0, 0.0f)));
    }
};

QTEST_GUILESS_MAIN(TestTimeWindow)
#include "tst_timewindow.moc"
