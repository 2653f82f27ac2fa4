#include "chunking.h"
#include "core/telemetry/metricstore.h"
#include "core/telemetry/vmstatreader.h"
#include "core/telemetry/vmstatstorewriter.h"
#include "core/telemetry/wallclock.h"
#include "testsupport.h"

#include <QTest>

using namespace TuneDeck::Telemetry;

namespace {

QByteArray real(const char* name)
{
    return TuneDeck::Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/") + QLatin1StringView(name));
}

struct Collect : VmstatSink
{
    QList<qint64> times;
    QList<bool> sinceBoot;
    void vmstatColumns(const QByteArrayList&) override { }
    void vmstatRow(qint64 t, qint64, const float*, int, bool boot) override
    {
        times << t;
        sinceBoot << boot;
    }
};

QByteArray signature(const VmstatReader& r)
{
    QByteArray s = r.columns().join(',') + '|' + r.timeZone() + '|' + QByteArray::number(r.rows()) + '|'
        + QByteArray::number(r.sinceBootRows()) + '|' + QByteArray::number(r.skipped());
    for (const QByteArray& c : r.columns())
        s += '|' + QByteArray::number(r.mean(c).value_or(-1), 'g', 12);
    return s;
}

} // namespace

class TestVmstatReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realSamples_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<int>("columnCount");
        QTest::addColumn<QByteArray>("lastColumn");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<QByteArray>("zone");
        QTest::addColumn<double>("meanId");
        QTest::newRow("procps 3.3") << QByteArray("vmstat-procps3.txt") << 17 << QByteArray("st") << qint64(4)
                                    << QByteArray() << 100.0; // since-boot row (id 99) excluded
        QTest::newRow("procps 4 gu") << QByteArray("vmstat-procps4-gu.txt") << 18 << QByteArray("gu") << qint64(1)
                                     << QByteArray() << 99.0; // only the since-boot row: used as is
        QTest::newRow("-t UTC") << QByteArray("vmstat-t-utc.txt") << 17 << QByteArray("st") << qint64(2)
                                << QByteArray("UTC") << 100.0;
        QTest::newRow("procps 3.2 no st")
            << QByteArray("vmstat-procps32-no-st.txt") << 16 << QByteArray("wa") << qint64(1) << QByteArray() << 27.0;
    }
    void realSamples()
    {
        QFETCH(QByteArray, file);
        QFETCH(int, columnCount);
        QFETCH(QByteArray, lastColumn);
        QFETCH(qint64, rows);
        QFETCH(QByteArray, zone);
        QFETCH(double, meanId);
        VmstatReader r;
        r.feed(real(file.constData()));
        r.finish();
        QCOMPARE(r.columns().size(), columnCount);
        QCOMPARE(r.columns().last(), lastColumn);
        QCOMPARE(r.rows(), rows);
        QCOMPARE(r.timeZone(), zone);
        QCOMPARE(r.sinceBootRows(), 1);
        QCOMPARE(r.mean("id").value_or(-1), meanId);
    }

    void freeColumnIsWholeNumber()
    {
        VmstatReader r;
        r.feed(real("vmstat-procps4-gu.txt"));
        r.finish();
        QCOMPARE(r.mean("free").value_or(-1), 11151708.0); // 8 digits glued to "61044" by one space
        QCOMPARE(r.skipped(), 0);
    }

    void timestampsAndSinceBootFlag()
    {
        VmstatReader r;
        Collect sink;
        r.setSink(&sink);
        r.feed(real("vmstat-t-utc.txt"));
        r.finish();
        QCOMPARE(sink.times,
            (QList<qint64> { WallClock::toMs(2023, 1, 24, 10, 27, 12), WallClock::toMs(2023, 1, 24, 10, 27, 13) }));
        QCOMPARE(sink.sinceBoot, (QList<bool> { true, false }));
    }

    void chunkingDoesNotMatter_data()
    {
        QTest::addColumn<QByteArray>("file");
        for (const char* f : { "vmstat-procps3.txt", "vmstat-t-utc.txt", "vmstat-procps32-no-st.txt" })
            QTest::newRow(f) << QByteArray(f);
    }
    void chunkingDoesNotMatter()
    {
        QFETCH(QByteArray, file);
        const auto sigs = TuneDeck::Test::signaturesOverChunkings<VmstatReader>(real(file.constData()), &signature);
        for (const QByteArray& s : sigs)
            QCOMPARE(s, sigs.first());
    }

    void repeatedHeadersAndRestarts()
    {
        const QByteArray banner = "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n"
                                  " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n";
        const QByteArray row = " 1  0      0 2448924 384428 734696    0    0     0     0   42   68  5  1 94  0  0\n";
        QByteArray text = banner;
        for (int i = 0; i < VmstatReader::RedirectedHeaderPeriod; ++i)
            text += row;
        text += banner + row + row; // periodic repeat: no new since-boot row
        text += "Tue Nov 25 07:00:01 UTC 2026\n"; // a wrapper script's date line
        text += banner + row; // restarted after 2 rows: since-boot again
        VmstatReader r;
        r.feed(text);
        r.finish();
        QCOMPARE(r.rows(), 24);
        QCOMPARE(r.sinceBootRows(), 2);
        QCOMPARE(r.skipped(), 1);
        QCOMPARE(r.mean("us").value_or(-1), 5.0);
    }

    void wideProcps4()
    {
        // `vmstat -w` from procps-ng 4 (vmstat.c's wide format strings): wider columns, same names.
        const QByteArray text
            = "--procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- "
              "----------cpu----------\n"
              " r  b         swpd         free         buff        cache   si   so    bi    bo   in   cs  us  sy  "
              "id  wa  st  gu\n"
              " 1  0            0     11151708        61044      1767400    0    0   499    74 1401    2   1   0  "
              "99   0   0   0\n"
              " 3  0            0     11151000        61044      1767400    0    0     0     0 1500  900  10   2  "
              "88   0   0   0\n";
        VmstatReader r;
        r.feed(text);
        r.finish();
        QCOMPARE(r.columns().size(), 18);
        QCOMPARE(r.rows(), 2);
        QCOMPARE(r.mean("us").value_or(-1), 10.0);
        QCOMPARE(r.mean("free").value_or(-1), 11151000.0);
    }

    void headerless()
    {
        VmstatReader r;
        r.feed(" 1  0      0 2448924 384428 734696    0    0     0     0   42   68  5  1 94  0  0  0\n"
               " 2  0      0 2448924 384428 734696    0    0     0     0   42   68  7  1 92  0  0  0\n");
        r.finish();
        QCOMPARE(r.columns().size(), 18);
        QCOMPARE(r.rows(), 2);
        QCOMPARE(r.mean("us").value_or(-1), 7.0);
    }

    void sinceBootRowIsNotStored()
    {
        MetricStore store;
        VmstatStoreWriter w(store, QStringLiteral("run"), QStringLiteral("n1"));
        VmstatReader r;
        r.setSink(&w);
        r.feed(real("vmstat-procps3.txt"));
        r.finish();
        const auto id = store.findSeries({ QStringLiteral("run"), QStringLiteral("n1"), -1, QStringLiteral("id") });
        QVERIFY(id);
        QCOMPARE(store.sampleCount(*id), 3);
    }
};

QTEST_GUILESS_MAIN(TestVmstatReader)
#include "tst_vmstatreader.moc"
