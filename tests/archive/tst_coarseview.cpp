// The archive's coarse chart view: exact extremes, short series kept whole, damage detected.
#include "core/archive/coarseview.h"
#include "core/telemetry/metricstore.h"

#include <QRandomGenerator>
#include <QTest>

#include <limits>

using namespace TuneDeck;
using namespace TuneDeck::Telemetry;

namespace {

constexpr qint64 T0 = std::numeric_limits<qint64>::min() / 2;
constexpr qint64 T1 = std::numeric_limits<qint64>::max() / 2;

} // namespace

class TestCoarseView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void extremesAreExactAndShortSeriesWhole()
    {
        MetricStore store;
        QRandomGenerator random(11);
        // A long series with one-sample spikes, and a short one.
        const int axis = store.timeAxis(QStringLiteral("r"), QStringLiteral("n1"), QStringLiteral("dmon/gpu0"));
        const int sm = store.series(axis, { QStringLiteral("r"), QStringLiteral("n1"), 0, QStringLiteral("sm") });
        for (qint64 i = 0; i < 200000; ++i) {
            store.appendTime(axis, 1000 * i);
            float v = float(random.bounded(40, 60));
            if (i == 123457)
                v = 100; // a spike
            if (i == 77)
                v = 0;
            store.append(sm, v);
        }
        const int host = store.timeAxis(QStringLiteral("r"), QStringLiteral("n1"), QStringLiteral("vmstat"));
        const int free = store.series(host, { QStringLiteral("r"), QStringLiteral("n1"), -1, QStringLiteral("free") });
        for (qint64 i = 0; i < 50; ++i) {
            store.appendTime(host, 1000 * i);
            store.append(free, float(1000 - i));
        }

        const QByteArray bytes = Archive::encodeCoarseView(store);
        MetricStore coarse;
        QVERIFY(Archive::decodeCoarseView(bytes, coarse));
        const auto coarseSm = coarse.findSeries(store.key(sm));
        QVERIFY(coarseSm);
        QVERIFY(coarse.sampleCount(*coarseSm) <= 2 * 2048); // not the 200 000 samples
        const auto a = store.stats(sm, T0, T1);
        const auto b = coarse.stats(*coarseSm, T0, T1);
        QCOMPARE(b->min, a->min);
        QCOMPARE(b->max, a->max);
        QCOMPARE(coarse.timeRange(*coarseSm)->first, store.timeRange(sm)->first);
        // The spike is where it was, within one column.
        const auto view = coarse.view(*coarseSm, 0, 200000000, 1000);
        const auto spike = std::find_if(view.cbegin(), view.cend(), [](const ViewColumn& c) { return c.max == 100; });
        QVERIFY(spike != view.cend());
        QVERIFY(qAbs(spike->t - 123457000) <= 200000);

        const auto coarseFree = coarse.findSeries(store.key(free));
        QVERIFY(coarseFree);
        QCOMPARE(coarse.samples(*coarseFree, T0, T1), store.samples(free, T0, T1));
    }

    void damageIsDetected()
    {
        MetricStore store;
        QVERIFY(!Archive::decodeCoarseView(QByteArray("not a view"), store));
        MetricStore source;
        const int axis = source.timeAxis(QStringLiteral("r"), QStringLiteral("n"), QStringLiteral("s"));
        const int id = source.series(axis, { QStringLiteral("r"), QStringLiteral("n"), 0, QStringLiteral("sm") });
        source.appendTime(axis, 0);
        source.append(id, 1);
        QByteArray bytes = qUncompress(Archive::encodeCoarseView(source));
        bytes.chop(3); // cut short
        QVERIFY(!Archive::decodeCoarseView(qCompress(bytes), store));
    }
};

QTEST_GUILESS_MAIN(TestCoarseView)
#include "tst_coarseview.moc"
