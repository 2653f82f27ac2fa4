#include "core/telemetry/metricstore.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using namespace TuneDeck::Telemetry;

namespace {

bool sameColumns(const QList<ViewColumn>& a, const QList<ViewColumn>& b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].t != b[i].t || a[i].first != b[i].first || a[i].min != b[i].min || a[i].max != b[i].max
            || a[i].last != b[i].last)
            return false;
    }
    return true;
}

} // namespace

class TestMetricStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pyramidMatchesRawSamples_data()
    {
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("columns");
        QTest::newRow("tiny") << 5 << 10;
        QTest::newRow("one bucket edge") << 16 << 3;
        QTest::newRow("many per column") << 70000 << 97;
        QTest::newRow("fewer samples than columns") << 300 << 1000;
    }
    void pyramidMatchesRawSamples()
    {
        QFETCH(int, samples);
        QFETCH(int, columns);
        MetricStore store;
        const int axis = store.timeAxis(QStringLiteral("r"), QStringLiteral("n"), QStringLiteral("dmon/gpu0"));
        const int sm = store.series(axis, { QStringLiteral("r"), QStringLiteral("n"), 0, QStringLiteral("sm") });
        const int mt = store.series(axis, { QStringLiteral("r"), QStringLiteral("n"), 0, QStringLiteral("mtemp") });
        QRandomGenerator rng(7);
        qint64 t = 1000000;
        for (int i = 0; i < samples; ++i) {
            t += 500 + rng.bounded(1500); // uneven spacing, as with -d 1 under load
            store.appendTime(axis, t);
            store.append(sm, rng.bounded(4) == 0 ? std::nanf("") : float(rng.bounded(100)));
            if (i % 3 == 0)
                store.append(mt, float(i)); // sometimes no value at all at an instant
        }
        QCOMPARE(store.sampleCount(sm), samples);
        for (int series : { sm, mt }) {
            const auto range = *store.timeRange(sm);
            for (int k = 0; k < 5; ++k) {
                const qint64 a
                    = range.first - 3000 + rng.bounded(int(std::min<qint64>(range.second - range.first, 2000000000)));
                const qint64 b = a + 1 + rng.bounded(int(std::min<qint64>(range.second - a + 5000, 2000000000)));
                const QList<ViewColumn> fast = store.view(series, a, b, columns);
                const QList<ViewColumn> slow = store.viewFromRaw(series, a, b, columns);
                QVERIFY2(sameColumns(fast, slow), qPrintable(QStringLiteral("window %1..%2").arg(a).arg(b)));
            }
        }
    }

    void spikeSurvivesDecimation()
    {
        MetricStore store;
        const int axis = store.timeAxis(QStringLiteral("r"), QStringLiteral("n"), QStringLiteral("vmstat"));
        const int s = store.series(axis, { QStringLiteral("r"), QStringLiteral("n"), -1, QStringLiteral("us") });
        for (int i = 0; i < 1000000; ++i) {
            store.appendTime(axis, qint64(i) * 1000);
            store.append(s, i == 654321 ? 99.0f : 1.0f);
        }
        const QList<ViewColumn> v = store.view(s, 0, 1000000LL * 1000, 300);
        float top = 0;
        for (const ViewColumn& c : v)
            top = std::max(top, c.max);
        QCOMPARE(top, 99.0f);
        QCOMPARE(v.size(), 300);
    }

    void memoryPerValue()
    {
        // 13 dmon columns sharing one axis, as for one GPU of `dmon -s puct`.
        MetricStore store;
        const int axis = store.timeAxis(QStringLiteral("r"), QStringLiteral("n"), QStringLiteral("dmon/gpu0"));
        QList<int> series;
        for (int c = 0; c < 13; ++c)
            series << store.series(axis, { QStringLiteral("r"), QStringLiteral("n"), 0, QString::number(c) });
        for (int i = 0; i < 180000; ++i) {
            store.appendTime(axis, qint64(i) * 1000);
            for (int s : series)
                store.append(s, float(i % 100));
        }
        const double perValue = double(store.memoryBytes()) / double(store.storedValues());
        QVERIFY2(perValue <= 8.0, qPrintable(QString::number(perValue)));
        QVERIFY2(perValue <= 2 * 4.0, "at most twice the raw float payload");
    }

    void clockOffsetsAlignNodes()
    {
        MetricStore store;
        const int a1 = store.timeAxis(QStringLiteral("r"), QStringLiteral("n1"), QStringLiteral("vmstat"));
        const int a2 = store.timeAxis(QStringLiteral("r"), QStringLiteral("n2"), QStringLiteral("vmstat"));
        const int s1 = store.series(a1, { QStringLiteral("r"), QStringLiteral("n1"), -1, QStringLiteral("us") });
        const int s2 = store.series(a2, { QStringLiteral("r"), QStringLiteral("n2"), -1, QStringLiteral("us") });
        for (int i = 0; i < 10; ++i) {
            store.appendTime(a1, i * 1000);
            store.append(s1, float(i));
            store.appendTime(a2, i * 1000 + 3000); // n2's clock runs 3 s ahead
            store.append(s2, float(i));
        }
        store.setClockOffset(QStringLiteral("r"), QStringLiteral("n2"), -3000);
        QCOMPARE(store.timeRange(s2)->first, 0);
        const QList<ViewColumn> v = store.view(s2, 0, 10000, 10);
        QCOMPARE(v.size(), 10);
        QCOMPARE(v[4].first, 4.0f);
        QCOMPARE(store.stats(s1, 0, 10000)->mean, 4.5);
    }

    void timeNeverGoesBack()
    {
        MetricStore store;
        const int a = store.timeAxis(QStringLiteral("r"), QStringLiteral("n"), QStringLiteral("x"));
        const int s = store.series(a, { QStringLiteral("r"), QStringLiteral("n"), -1, QStringLiteral("v") });
        store.appendTime(a, 5000);
        store.append(s, 1);
        store.appendTime(a, 4000);
        store.append(s, 2);
        store.append(s, 3); // second value for the same instant is ignored
        QCOMPARE(store.sampleCount(s), 2);
        QCOMPARE(store.timeRange(s)->second, 5000);
        QVERIFY(store.view(s, 0, 0, 10).isEmpty());
        QVERIFY(store.view(s, 0, 10000, 0).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMetricStore)
#include "tst_metricstore.moc"
