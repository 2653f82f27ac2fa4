// Monitor refresh benchmark (issue on live monitoring): 16 GPUs with HOURS of history each, rendered
// offscreen at two chart widths, against the anchors a naive Qt Charts monitor would use: one
// full-resolution replace() and per-sample append(). Prints one `key value` line per figure; run by
// tests/bench/run-benchmarks.sh (full size) and by ctest (--smoke, small) so it cannot rot.
//
//   monitor_bench [--smoke] [HOURS] [SAMPLE_MS]
#include "core/telemetry/metricstore.h"
#include "ui/monitor/chartfeed.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QRandomGenerator>
#include <QValueAxis>

#include <cstdio>

using namespace TuneDeck;

namespace {

struct Chart
{
    QChart* chart = new QChart;
    QChartView view { chart };
    QValueAxis* x = new QValueAxis;
    QValueAxis* y = new QValueAxis;
    QList<std::pair<int, QLineSeries*>> series;

    Chart(int width, const QList<int>& ids)
    {
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        chart->legend()->hide();
        for (int id : ids) {
            auto* line = new QLineSeries;
            chart->addSeries(line);
            line->attachAxis(x);
            line->attachAxis(y);
            series.append({ id, line });
        }
        view.resize(width, 600);
        view.show();
    }
};

// Milliseconds per refresh, the best of `rounds`: the app's path (decimated views at the plot's width,
// one replace() per series) and the render.
double refreshMs(
    Chart& c, const Telemetry::MetricStore& store, qint64 t1, int rounds, qsizetype* points, double* feedMs)
{
    double best = 1e18;
    *feedMs = 1e18;
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer timer;
        timer.start();
        const int columns = std::max(50, int(c.chart->plotArea().width()));
        Ui::feedChartSeries(store, c.series, 0, 0, t1, columns);
        c.x->setRange(0, double(t1) / 1000.0);
        c.y->setRange(0, 100);
        *feedMs = std::min(*feedMs, double(timer.nsecsElapsed()) / 1e6);
        const QPixmap frame = c.view.grab(); // everything a repaint draws
        best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
        Q_UNUSED(frame);
    }
    *points = 0;
    for (const auto& [id, line] : c.series)
        *points = std::max(*points, qsizetype(line->count()));
    return best;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each figure as soon as it is measured
    QStringList args = app.arguments().mid(1);
    const bool smoke = args.removeAll(QStringLiteral("--smoke")) > 0;
    const double hours = args.value(0, smoke ? QStringLiteral("0.2") : QStringLiteral("50")).toDouble();
    const int sampleMs = args.value(1, QStringLiteral("60")).toInt(); // 60 ms: 3 M samples in 50 h
    const int gpus = 16;
    const qint64 samples = qint64(hours * 3600.0 * 1000.0 / sampleMs);

    Telemetry::MetricStore store;
    QList<int> ids;
    QRandomGenerator rng(42);
    for (int g = 0; g < gpus; ++g) {
        const QString node = QStringLiteral("node%1").arg(g / 4);
        const int axis = store.timeAxis(QStringLiteral("bench"), node, QStringLiteral("dmon/gpu%1").arg(g % 4));
        const int id = store.series(axis, { QStringLiteral("bench"), node, g % 4, QStringLiteral("sm") });
        ids.append(id);
        for (qint64 i = 0; i < samples; ++i) {
            store.appendTime(axis, i * sampleMs);
            store.append(id, float(60 + rng.bounded(40)));
        }
    }
    const qint64 t1 = samples * sampleMs;
    std::printf("monitor_samples_per_series %lld\n", static_cast<long long>(samples));

    // TuneDeck's refresh at two widths, and with a tenth of the history at the wider one.
    qsizetype points = 0;
    double feedMs = 0;
    Chart narrow(700, ids);
    const double narrowMs = refreshMs(narrow, store, t1, smoke ? 3 : 20, &points, &feedMs);
    std::printf("monitor_refresh_ms_700px %.3f\n", narrowMs);
    std::printf("monitor_feed_ms_700px %.3f\n", feedMs);
    Chart wide(1400, ids);
    const double wideMs = refreshMs(wide, store, t1, smoke ? 3 : 20, &points, &feedMs);
    std::printf("monitor_refresh_ms_1400px %.3f\n", wideMs);
    std::printf("monitor_feed_ms_1400px %.3f\n", feedMs);
    std::printf("monitor_points_per_series %lld\n", static_cast<long long>(points));
    std::printf(
        "monitor_points_within_width %s\n", points <= std::max(50, int(wide.chart->plotArea().width())) ? "yes" : "no");
    const double tenthMs = refreshMs(wide, store, t1 / 10, smoke ? 3 : 20, &points, &feedMs);
    std::printf("monitor_refresh_ms_1400px_tenth_history %.3f\n", tenthMs);

    // Anchor 1: a full-resolution replace() of one series and its render (the naive "give Qt Charts all
    // the data" monitor), extrapolated to 16 series.
    {
        Chart one(1400, {});
        auto* line = new QLineSeries;
        one.chart->addSeries(line);
        line->attachAxis(one.x);
        line->attachAxis(one.y);
        QList<QPointF> all;
        all.reserve(samples);
        QElapsedTimer timer;
        timer.start();
        for (qint64 i = 0; i < samples; ++i)
            all.append(QPointF(double(i * sampleMs) / 1000.0, 60.0 + double(i % 40)));
        line->replace(all);
        one.x->setRange(0, double(t1) / 1000.0);
        one.y->setRange(0, 100);
        const QPixmap frame = one.view.grab();
        Q_UNUSED(frame);
        const double fullMs = double(timer.nsecsElapsed()) / 1e6 * gpus;
        std::printf("naive_full_replace_ms_16_series %.1f\n", fullMs);
        std::printf("refresh_speedup_vs_full_replace %.1f\n", fullMs / wideMs);
    }
    // Anchor 2: per-sample append() (each emits pointAdded), timed on a slice and extrapolated.
    {
        Chart one(1400, {});
        auto* line = new QLineSeries;
        one.chart->addSeries(line);
        // Each append() re-lays the whole line (LineChartItem::updateGeometry), so the cost per sample grows with
        // the series: timed on the first few thousand and extrapolated linearly, which flatters the anchor.
        const qint64 slice = std::min<qint64>(samples, smoke ? 1000 : 5000);
        QElapsedTimer timer;
        timer.start();
        for (qint64 i = 0; i < slice; ++i)
            line->append(double(i * sampleMs) / 1000.0, 60.0 + double(i % 40));
        const double perSampleUs = double(timer.nsecsElapsed()) / 1e3 / double(slice);
        const double appendMs = perSampleUs * double(samples) * gpus / 1000.0;
        std::printf("naive_append_us_per_sample %.3f\n", perSampleUs);
        std::printf("naive_append_ms_16_series_extrapolated %.0f\n", appendMs);
    }
    return 0;
}
