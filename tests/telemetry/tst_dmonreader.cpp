#include "chunking.h"
#include "core/telemetry/dmonreader.h"
#include "core/telemetry/dmonstorewriter.h"
#include "core/telemetry/metricstore.h"
#include "core/telemetry/wallclock.h"
#include "testsupport.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <memory>

using namespace TuneDeck::Telemetry;

namespace {

QByteArray real(const char* name)
{
    return TuneDeck::Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/") + QLatin1StringView(name));
}

struct Collect : DmonSink
{
    QByteArrayList names;
    QList<int> gpus;
    QList<qint64> times;
    QList<QList<float>> rows;
    void dmonColumns(const QByteArrayList& n) override { names = n; }
    void dmonRow(int gpu, qint64 t, qint64, const float* v, int count) override
    {
        gpus << gpu;
        times << t;
        rows << QList<float>(v, v + count);
    }
};

QByteArray signature(const DmonReader& r)
{
    QByteArray s = r.columns().join(',') + '|' + QByteArray::number(r.rows()) + '|' + QByteArray::number(r.skipped())
        + '|' + r.firstTimestamp() + '|' + r.lastTimestamp();
    for (int gpu : r.gpus()) {
        for (const QByteArray& name : r.allValueNames())
            s += '|' + QByteArray::number(r.mean(gpu, name).value_or(-1), 'g', 12);
    }
    return s;
}

} // namespace

class TestDmonReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realSamples_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QByteArray>("columns");
        QTest::addColumn<QList<int>>("gpus");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("skipped");
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QByteArray>("last");
        QTest::addColumn<QByteArray>("meanColumn");
        QTest::addColumn<double>("mean0");

        QTest::newRow("old layout, repeated headers")
            << QByteArray("dmon-v100-repeated-headers.dmon") << QByteArray("gpu,pwr,temp,sm,mem,enc,dec,mclk,pclk")
            << QList<int> { 0 } << qint64(90) << qint64(0) << QByteArray() << QByteArray() << QByteArray("sm")
            << 70.88888888888889;
        QTest::newRow("2016 pucvmet 4 GPUs")
            << QByteArray("dmon-2016-pucvmet-4gpu.txt")
            << QByteArray("gpu,pwr,temp,sm,mem,enc,dec,mclk,pclk,pviol,tviol,fb,bar1,sbecc,dbecc,pci,rxpci,txpci")
            << QList<int> { 0, 1, 2, 3 } << qint64(4) << qint64(0) << QByteArray() << QByteArray() << QByteArray("fb")
            << 11651.0;
        QTest::newRow("-o TD -s mutc wide layout")
            << QByteArray("dmon-TD-mutc-wide.txt")
            << QByteArray("date,time,gpu,fb,bar1,ccpm,sm,mem,enc,dec,jpg,ofa,rxpci,txpci,mclk,pclk") << QList<int> { 0 }
            << qint64(6) << qint64(0) << QByteArray("20240104 13:54:35") << QByteArray("20240104 13:54:40")
            << QByteArray("fb") << 145.33333333333334;
        QTest::newRow("-s u") << QByteArray("dmon-s-u.txt") << QByteArray("gpu,sm,mem,enc,dec") << QList<int> { 0 }
                              << qint64(9) << qint64(0) << QByteArray() << QByteArray() << QByteArray("sm") << 0.0;
    }
    void realSamples()
    {
        QFETCH(QByteArray, file);
        QFETCH(QByteArray, columns);
        QFETCH(QList<int>, gpus);
        QFETCH(qint64, rows);
        QFETCH(qint64, skipped);
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, last);
        QFETCH(QByteArray, meanColumn);
        QFETCH(double, mean0);
        DmonReader r;
        r.feed(real(file.constData()));
        r.finish();
        QCOMPARE(r.columns().join(','), columns);
        QCOMPARE(r.gpus(), gpus);
        QCOMPARE(r.rows(), rows);
        QCOMPARE(r.skipped(), skipped);
        QCOMPARE(r.firstTimestamp(), first);
        QCOMPARE(r.lastTimestamp(), last);
        QVERIFY(r.mean(0, meanColumn).has_value());
        QCOMPARE(*r.mean(0, meanColumn), mean0);
    }

    void missingValuesAreNotZero()
    {
        DmonReader r;
        r.feed(real("dmon-2016-pucvmet-4gpu.txt"));
        r.finish();
        QVERIFY(!r.mean(0, "sbecc").has_value()); // only "-": no mean, not 0
        QCOMPARE(r.mean(3, "rxpci").value_or(-1), 62.0);
    }

    void chunkingDoesNotMatter_data()
    {
        QTest::addColumn<QByteArray>("file");
        for (const char* f :
            { "dmon-v100-repeated-headers.dmon", "dmon-2016-pucvmet-4gpu.txt", "dmon-TD-mutc-wide.txt" })
            QTest::newRow(f) << QByteArray(f);
    }
    void chunkingDoesNotMatter()
    {
        QFETCH(QByteArray, file);
        const QList<QByteArray> sigs
            = TuneDeck::Test::signaturesOverChunkings<DmonReader>(real(file.constData()), &signature);
        for (const QByteArray& s : sigs)
            QCOMPARE(s, sigs.first());
    }

    // The same real log with its line ends turned into bare '\r' reads the same rows, however chunked.
    void carriageReturnOnlyLineEnds()
    {
        const QByteArray lf = real("dmon-2016-pucvmet-4gpu.txt");
        QByteArray cr = lf;
        cr.replace('\n', '\r');
        DmonReader plain;
        plain.feed(lf);
        plain.finish();
        QVERIFY(plain.rows() > 0);
        for (const qsizetype chunk : { qsizetype(1), qsizetype(7), cr.size() }) {
            DmonReader r;
            for (qsizetype at = 0; at < cr.size(); at += chunk)
                r.feed(QByteArrayView(cr).sliced(at, std::min(chunk, cr.size() - at)));
            r.finish();
            QCOMPARE(r.rows(), plain.rows());
            QCOMPARE(r.skipped(), plain.skipped());
            QCOMPARE(r.mean(0, "sm"), plain.mean(0, "sm"));
        }
    }

    void timeOnlyRollsOverMidnight()
    {
        const QByteArray text = "#Time        gpu   pwr gtemp mtemp    sm\n"
                                "#HH:MM:SS    Idx     W     C     C     %\n"
                                " 23:59:58      0    60    40     -    10\n"
                                " 23:59:59      0    61    40     -    11\n"
                                " 00:00:00      0    62    40     -    12\n"
                                " 23:59:30      0    63    40     -    13\n" // 30 s back: clock step, same day
                                " 00:00:01      0    64    40     -    14\n";
        DmonReader r;
        Collect sink;
        r.setSink(&sink);
        r.setStartDay(WallClock::daysFromCivil(2024, 9, 17));
        r.feed(text);
        r.finish();
        QCOMPARE(sink.times.size(), 5);
        const qint64 day = WallClock::daysFromCivil(2024, 9, 17) * 86400000;
        QCOMPARE(sink.times[0], day + (23 * 3600 + 59 * 60 + 58) * 1000LL);
        QCOMPARE(sink.times[2], day + 86400000);
        QCOMPARE(sink.times[3], day + 86400000 + (23 * 3600 + 59 * 60 + 30) * 1000LL);
        QCOMPARE(sink.times[4], day + 2 * 86400000 + 1000);
        QVERIFY(std::isnan(sink.rows[0][2]));
        QCOMPARE(r.firstTimestamp(), QByteArray("23:59:58"));
    }

    void dateOnlyAndDateTime()
    {
        DmonReader d;
        Collect sink;
        d.setSink(&sink);
        d.feed("#Date       gpu   pwr\n#YYYYMMDD   Idx     W\n 20240917     0    61\n 20240918     0    62\n");
        d.finish();
        QCOMPARE(d.rows(), 2);
        QCOMPARE(sink.times[1], WallClock::daysFromCivil(2024, 9, 18) * 86400000);
        QCOMPARE(d.lastTimestamp(), QByteArray("20240918"));
        // -o DT prints the same layout as -o TD (FORMATS.md §1).
        DmonReader dt;
        dt.feed("#Date       Time        gpu   pwr\n#YYYYMMDD   HH:MM:SS    Idx     W\n"
                " 20240917   23:59:59      0    61\n 20240918   00:00:00      0    62\n");
        dt.finish();
        QCOMPARE(dt.rows(), 2);
        QCOMPARE(dt.firstTimestamp(), QByteArray("20240917 23:59:59"));
    }

    void debrisAndBrokenLines()
    {
        const QByteArray text = "junk before header\n"
                                "# gpu   pwr gtemp mtemp    sm   mem   enc   dec  mclk  pclk\n"
                                "# Idx     W     C     C     %     %     %     %   MHz   MHz\n"
                                "    0    31    34     -     0     0     0     0   715  1189\n"
                                "\n"
                                "    1    32    31   N/A     0     0     0 ^C     0   715  1189\n"
                                "    0    31    34     -     0     0     0     0   715\n" // short row
                                "    0    31    34     x     0     0     0     0   715  1189\n" // garbage
                                "^C[root@host ~]#\n";
        DmonReader r;
        Collect sink;
        r.setSink(&sink);
        r.feed(text);
        r.finish();
        QCOMPARE(r.rows(), 2);
        QCOMPARE(r.skipped(), 4);
        QCOMPARE(r.issues().examples().size(), 4);
        QCOMPARE(r.issues().examples()[0].line, 1);
        QCOMPARE(r.issues().examples()[3].line, 9);
        QCOMPARE(sink.gpus, (QList<int> { 0, 1 }));
        QCOMPARE(sink.rows[1][8], 1189.0f);
    }

    void columnMapFollowsEveryHeader()
    {
        // -s um puts sm first; a later header with -s pucm moves it (FORMATS.md §1).
        const QByteArray text = "# gpu    sm   mem   enc   dec    fb  bar1\n"
                                "# Idx     %     %     %     %    MB    MB\n"
                                "    0    50    10     0     0  1000     2\n"
                                "# gpu   pwr gtemp mtemp    sm   mem   enc   dec  mclk  pclk    fb  bar1\n"
                                "# Idx     W     C     C     %     %     %     %   MHz   MHz    MB    MB\n"
                                "    0   300    60    70    70    10     0     0   715  1189  3000     2\n";
        DmonReader r;
        r.feed(text);
        r.finish();
        QCOMPARE(r.rows(), 2);
        QCOMPARE(r.mean(0, "sm").value_or(-1), 60.0);
        QCOMPARE(r.mean(0, "fb").value_or(-1), 2000.0);
        QCOMPARE(r.mean(0, "pwr").value_or(-1), 300.0);
    }

    void fastPathsAgreeWithPlainSplitting()
    {
        // Enough rows for the 128-byte SIMD row scanner, with every width from 1 to 8 digits, "-", and rows that
        // must fall back (N/A, ^C, a decimal): each row is checked against whitespace splitting.
        QRandomGenerator rng(11);
        QByteArray text
            = "#Date       Time        gpu    pwr  gtemp  mtemp     sm    mem    enc    dec    jpg    ofa   mclk"
              "   pclk  rxpci  txpci \n#YYYYMMDD   HH:MM:SS    Idx      W      C      C      %      %      %      %"
              "      %      %    MHz    MHz   MB/s   MB/s \n";
        QList<QByteArrayList> expected;
        for (int i = 0; i < 3000; ++i) {
            QByteArrayList fields { "20240917", QByteArray("23:59:") + QByteArray::number(10 + i % 50),
                QByteArray::number(i % 16) };
            for (int c = 0; c < 13; ++c) {
                const int kind = int(rng.bounded(20));
                if (kind == 0)
                    fields << "-";
                else
                    fields << QByteArray::number(rng.bounded(quint32(1) << (kind + 3)));
            }
            if (i % 97 == 5)
                fields[5] = "N/A";
            if (i % 89 == 7)
                fields[9] = "12.5";
            QByteArrayList printed = fields;
            if (i % 83 == 3)
                printed.insert(8, "^C"); // debris as its own token, as an interactive stop leaves it
            const QByteArray line = " " + printed.join(QByteArray(rng.bounded(1, 4), ' ')) + " ";
            text += line + "\n";
            expected << fields;
        }
        DmonReader r;
        Collect sink;
        r.setSink(&sink);
        for (qsizetype pos = 0; pos < text.size(); pos += 4096)
            r.feed(QByteArrayView(text).sliced(pos, std::min<qsizetype>(4096, text.size() - pos)));
        r.finish();
        QCOMPARE(r.skipped(), 0);
        QCOMPARE(sink.rows.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QCOMPARE(sink.gpus[i], expected[i][2].toInt());
            for (int c = 0; c < 13; ++c) {
                const QByteArray& f = expected[i][3 + c];
                const float v = sink.rows[i][c];
                if (f == "-" || f == "N/A")
                    QVERIFY2(std::isnan(v), qPrintable(QString::number(i)));
                else
                    QCOMPARE(v, f.toFloat());
            }
        }
    }

    void vectorKernelAgreesWithPortablePaths_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("lead"); // date/time columns before gpu
        QTest::addColumn<int>("values");
        QTest::newRow("-o TD -s puct wide") << QByteArray("#Date Time gpu pwr gtemp mtemp sm mem enc dec jpg ofa mclk "
                                                          "pclk rxpci txpci\n")
                                            << 2 << 13;
        QTest::newRow("-o T -s pu") << QByteArray("#Time gpu pwr gtemp mtemp sm mem enc dec\n") << 1 << 7;
        QTest::newRow("no -o, -s u") << QByteArray("# gpu sm mem enc dec\n") << 0 << 4;
        QTest::newRow("-o D, 28 values (31 tokens)")
            << QByteArray("#Date gpu " + QByteArrayList(28, "x").join(' ') + "\n") << 1 << 28;
        QTest::newRow("-o TD, 31 values (34 tokens: too many for the kernel)")
            << QByteArray("#Date Time gpu " + QByteArrayList(31, "x").join(' ') + "\n") << 2 << 31;
    }

    void vectorKernelAgreesWithPortablePaths()
    {
        // Rows built to probe the kernel's edges: tokens across the 64-byte half, rows of 126-130 bytes, no
        // leading blank, 1-9 digit values, "-" anywhere (also in date, time or gpu), stray ':' '-' '.', GPU
        // 1023/1024, short dates and times, a token too many or too few. Parsed with the kernel and without,
        // in 4 KiB chunks: every row's values, time and GPU, and the summary must be the same.
        QFETCH(QByteArray, header);
        QFETCH(int, lead);
        QFETCH(int, values);
        QRandomGenerator rng(7);
        QByteArray text = header;
        for (int i = 0; i < 6000; ++i) {
            QByteArrayList f;
            if (lead == 2 || (lead == 1 && !header.contains("Time")))
                f << QByteArray("202409") + QByteArray::number(10 + i % 20);
            if (header.contains("Time"))
                f << QByteArray("23:59:") + QByteArray::number(10 + i % 50);
            f << QByteArray::number(i % 16);
            for (int c = 0; c < values; ++c) {
                const int kind = int(rng.bounded(24));
                const int bits = std::min(kind + 2, values > 16 ? 6 : 30); // many columns: short values, rows <= 128 B
                f << (kind == 0 ? QByteArray("-") : QByteArray::number(rng.bounded(quint32(1) << bits)));
            }
            const int damage = int(rng.bounded(40));
            const int at = int(rng.bounded(f.size()));
            switch (damage) {
            case 0:
                f[at] = "-";
                break;
            case 1:
                f[at] += ':';
                break;
            case 2:
                f[at] = "-" + f[at];
                break;
            case 3:
                f[at] += ".5";
                break;
            case 4:
                f.removeAt(at);
                break;
            case 5:
                f.insert(at, "7");
                break;
            case 6:
                f[lead] = "1023";
                break;
            case 7:
                f[lead] = "1024";
                break;
            case 8:
                f[0] = f[0].mid(1);
                break;
            case 9:
                f[at] = "123456789";
                break;
            case 10:
                f[at] = "12345678";
                break;
            default:
                break;
            }
            const int gap = damage == 11 ? 0 : int(rng.bounded(1, damage == 12 ? 9 : (values > 16 ? 2 : 4)));
            QByteArray line = (damage == 13 ? QByteArray() : QByteArray(int(rng.bounded(1, 3)), ' '))
                + f.join(QByteArray(std::max(gap, 1), ' '));
            if (damage == 14)
                line = line.leftJustified(int(rng.bounded(126, 131)), ' ');
            text += line + "\n";
        }
        const auto parse = [&text](bool vector, Collect& sink) {
            auto r = std::make_unique<DmonReader>();
            r->setVectorKernel(vector);
            r->setSink(&sink);
            for (qsizetype pos = 0; pos < text.size(); pos += 4096)
                r->feed(QByteArrayView(text).sliced(pos, std::min<qsizetype>(4096, text.size() - pos)));
            r->finish();
            return r;
        };
        Collect withKernel, portable;
        const auto a = parse(true, withKernel);
        const auto b = parse(false, portable);
        QCOMPARE(b->vectorKernelRows(), 0);
        QCOMPARE(signature(*a), signature(*b));
        QCOMPARE(withKernel.gpus, portable.gpus);
        QCOMPARE(withKernel.times, portable.times);
        QCOMPARE(withKernel.rows.size(), portable.rows.size());
        for (qsizetype i = 0; i < portable.rows.size(); ++i) {
            for (qsizetype c = 0; c < portable.rows[i].size(); ++c) {
                const float x = withKernel.rows[i][c], y = portable.rows[i][c];
                QVERIFY2(x == y || (std::isnan(x) && std::isnan(y)), qPrintable(QStringLiteral("row %1").arg(i)));
            }
        }
        QVERIFY(a->skipped() > 100); // the damaged rows are really there
        // The kernel must really have taken most rows where the CPU has it (unless a row has too many tokens).
        if (DmonRowKernel::supported() && lead + 1 + values <= DmonRowKernel::MaxTokens)
            QVERIFY2(a->vectorKernelRows() > a->rows() / 2, qPrintable(QString::number(a->vectorKernelRows())));
        else
            QCOMPARE(a->vectorKernelRows(), 0);
    }

    void intoTheStore()
    {
        MetricStore store;
        DmonStoreWriter writer(store, QStringLiteral("run"), QStringLiteral("node1"));
        DmonReader r;
        r.setSink(&writer);
        r.feed(real("dmon-TD-mutc-wide.txt"));
        r.finish();
        const auto sm = store.findSeries({ QStringLiteral("run"), QStringLiteral("node1"), 0, QStringLiteral("sm") });
        QVERIFY(sm);
        QCOMPARE(store.sampleCount(*sm), 6);
        const qint64 t0 = WallClock::toMs(2024, 1, 4, 13, 54, 35);
        QCOMPARE(store.timeRange(*sm)->first, t0);
        const QList<ViewColumn> v = store.view(*sm, t0, t0 + 6000, 3);
        QCOMPARE(v.size(), 3);
        QCOMPARE(v[0].first, 6.0f);
        QCOMPARE(v[0].last, 0.0f);
        QCOMPARE(v[1].max, 13.0f);
    }
};

QTEST_GUILESS_MAIN(TestDmonReader)
#include "tst_dmonreader.moc"
