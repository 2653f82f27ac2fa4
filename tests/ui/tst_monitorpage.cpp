// The live monitor's page, offscreen, fed from a recorded run of 4 nodes x 4 GPUs (one GPU idle) and the
// walkthrough's real trainer output: a series per node:GPU, the idle GPU flagged in the header, the chart
// and the heat-map, zoom narrowing the decimated window, PNG/SVG/CSV export, the alert told once.
#include "core/remote/jobmonitor.h"
#include "core/telemetry/runtelemetry.h"
#include "ui/monitor/heatmapwidget.h"
#include "ui/monitor/monitorchartview.h"
#include "ui/monitor/monitorpage.h"

#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;

namespace {

constexpr int Seconds = 600;
const QStringList Nodes { QStringLiteral("bask-pg0001"), QStringLiteral("bask-pg0002"), QStringLiteral("bask-pg0003"),
    QStringLiteral("bask-pg0004") };

// `nvidia-smi dmon -s pu -o TD` of one node, GPU 2 of the last node idle.
QByteArray dmonText(const QString& node)
{
    QByteArray out = "#Date       Time        gpu    pwr  gtemp  mtemp     sm    mem    enc    dec\n"
                     "#YYYYMMDD   HH:MM:SS    Idx      W      C      C      %      %      %      %\n";
    for (int s = 0; s < Seconds; ++s) {
        const int minute = 35 + s / 60, second = s % 60;
        for (int gpu = 0; gpu < 4; ++gpu) {
            const bool idle = node == Nodes.last() && gpu == 2;
            out += QStringLiteral(" 20240917   23:%1:%2  %3  %4  %5  %6  %7  %8  0  0\n")
                       .arg(minute, 2, 10, QLatin1Char('0'))
                       .arg(second, 2, 10, QLatin1Char('0'))
                       .arg(gpu, 5)
                       .arg(idle ? 60 : 300 + (s * 7 + gpu) % 90, 5)
                       .arg(idle ? 35 : 62, 5)
                       .arg(idle ? 38 : 65, 5)
                       .arg(idle ? 0 : 90 + (s + gpu) % 10, 5)
                       .arg(idle ? 0 : 40 + s % 20, 5)
                       .toLatin1();
        }
    }
    return out;
}

std::unique_ptr<JobMonitor> recordedMonitor()
{
    auto telemetry = std::make_unique<Telemetry::RunTelemetry>(QStringLiteral("890671"));
    for (const QString& node : Nodes) {
        telemetry->feed(Telemetry::TelemetryFile::Dmon, node, dmonText(node));
        telemetry->finish(Telemetry::TelemetryFile::Dmon, node);
    }
    QFile log(QStringLiteral(TUNEDECK_SOURCE_DIR "/tests/telemetry/data/real/trainer-baskerville-walkthrough.log"));
    if (!log.open(QIODevice::ReadOnly))
        qFatal("walkthrough log missing");
    const QByteArray text = log.readAll();
    // Without its last line: the job is still running, 10 minutes before its 3-hour limit.
    telemetry->feed(Telemetry::TelemetryFile::TrainerLog, {}, text.left(text.lastIndexOf("slurmstepd")));
    JobRecord record;
    record.cluster = QStringLiteral("baskerville");
    record.status.jobId = QStringLiteral("890671");
    record.status.name = QStringLiteral("llama3-70b-lora");
    record.status.phase = JobPhase::Running;
    record.status.nodeList = QStringLiteral("bask-pg[0001-0004]");
    record.status.timeLimitSeconds = 3 * 3600;
    record.status.elapsedSeconds = 3 * 3600 - 600;
    return std::make_unique<JobMonitor>(record, std::move(telemetry));
}

} // namespace

class TestMonitorPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_monitor = recordedMonitor();
        m_page = std::make_unique<Ui::MonitorPage>(m_monitor.get());
        m_page->resize(1366, 700);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        m_page->refresh();
    }
    void cleanup()
    {
        m_page.reset();
        m_monitor.reset();
    }

    void aSeriesPerNodeAndGpu()
    {
        QStringList names = m_page->seriesNames();
        QCOMPARE(names.size(), 16);
        for (const QString& node : Nodes)
            for (int gpu = 0; gpu < 4; ++gpu)
                QVERIFY2(names.contains(QStringLiteral("%1:%2").arg(node).arg(gpu)), qPrintable(names.join(u' ')));
        const int width = int(m_page->chart()->plotArea().width());
        for (const QString& name : names) {
            QVERIFY(m_page->pointCount(name) > 0);
            QVERIFY(m_page->pointCount(name) <= std::max(50, width));
        }
    }

    void idleGpuFlaggedInHeaderHeatmapAndChart()
    {
        const QLabel* flags = m_page->findChild<QLabel*>(QStringLiteral("monitorFlags"));
        QVERIFY(flags);
        QVERIFY2(flags->text().contains(u"idle GPU: bask-pg0004 GPU 2"), qPrintable(flags->text()));
        QCOMPARE(m_page->heatmap()->flagAt(Nodes.last(), 2), QStringLiteral("idle"));
        QVERIFY(m_page->heatmap()->flagAt(Nodes.last(), 1).isEmpty());
        QVERIFY(m_page->heatmap()->accessibleDescription().contains(u"flagged: bask-pg0004 GPU 2 idle"));
        for (QAbstractSeries* s : m_page->chart()->series()) {
            const auto* line = static_cast<QLineSeries*>(s);
            QCOMPARE(line->pen().style() == Qt::DashLine, line->name() == u"bask-pg0004:2");
        }
    }

    void headerSaysProgressAndTheTimeLimit()
    {
        const QLabel* progress = m_page->findChild<QLabel*>(QStringLiteral("monitorProgress"));
        QVERIFY2(progress->text().contains(u"step 3 of 21"), qPrintable(progress->text()));
        QVERIFY2(progress->text().contains(u"cannot finish in time"), qPrintable(progress->text()));
        QVERIFY2(progress->text().contains(u"will stop near step 3 of 21"), qPrintable(progress->text()));
    }

    void trainingMetricsBesideTheLoss()
    {
        // The walkthrough's bar: 2987.90, 3005.47 and 2962.79 s/it for steps 1-3.
        const QList<std::pair<qint64, double>> pace = m_monitor->trainingByStep(QStringLiteral("seconds_per_step"));
        QCOMPARE(pace.size(), 3);
        QCOMPARE(pace[0], std::make_pair(qint64(1), 2987.90));
        QCOMPARE(pace[2], std::make_pair(qint64(3), 2962.79));
        auto* metric = m_page->findChild<QComboBox*>(QStringLiteral("trainingMetric"));
        QVERIFY(metric);
        metric->setCurrentIndex(metric->findData(QStringLiteral("seconds_per_step")));
        const auto* line = static_cast<QLineSeries*>(m_page->lossChart()->series().first());
        QCOMPARE(line->count(), 3);
        QCOMPARE(line->name(), QStringLiteral("Seconds per step"));
        QCOMPARE(line->at(1), QPointF(2, 3005.47));
    }

    void zoomNarrowsTheDecimatedWindow()
    {
        const auto [t0, t1] = m_page->shownWindow();
        QCOMPARE(t1 - t0, qint64(Seconds - 1) * 1000 + 1);
        m_page->zoom(0.25, 0.5);
        const auto [z0, z1] = m_page->shownWindow();
        QVERIFY(!m_page->timeWindow().isFollowing());
        QVERIFY(z0 > t0 && z1 < t1);
        QVERIFY(std::abs((z1 - z0) - (t1 - t0) / 4) < 1000);
        // Every drawn point lies in the zoomed window, and at most one per pixel column.
        const auto* line = static_cast<QLineSeries*>(m_page->chart()->series().first());
        for (const QPointF& p : line->points())
            QVERIFY(p.x() * 1000 >= double(z0 - t0) - 1 && p.x() * 1000 <= double(z1 - t0));
        QVERIFY(line->count() <= std::max(50, int(m_page->chart()->plotArea().width())));
        // A quarter of 600 s at one sample a second is ~150 samples: all of them are drawn.
        QVERIFY2(line->count() >= 145, qPrintable(QString::number(line->count())));

        // Keyboard: 0 shows everything again; the wheel zooms around the pointer.
        QTest::keyClick(m_page->chartView(), Qt::Key_0);
        QVERIFY(m_page->timeWindow().isFollowing());
        QCOMPARE(m_page->shownWindow(), std::make_pair(t0, t1));
        QTest::keyClick(m_page->chartView(), Qt::Key_Plus);
        QVERIFY(!m_page->timeWindow().isFollowing());
        QTest::keyClick(m_page->chartView(), Qt::Key_Left);
        QCOMPARE(m_page->shownWindow().first, t0); // panned back to the first sample
    }

    void crosshairNamesEveryVisibleSeries()
    {
        const QString text = m_page->crosshairText(0.5);
        QVERIFY2(text.startsWith(u"at 29"), qPrintable(text));
        QCOMPARE(text.count(u'\n'), 16);
        QVERIFY2(text.contains(u"bask-pg0004:2  0.0"), qPrintable(text));
        QVERIFY(m_page->crosshairText(-1).isEmpty());
    }

    void exportsPngSvgAndCsv()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("chart.png"));
        const QString svg = dir.filePath(QStringLiteral("chart.svg"));
        const QString csv = dir.filePath(QStringLiteral("chart.csv"));
        QCOMPARE(m_page->exportImage(png), QString());
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 300 && image.height() > 150);
        QCOMPARE(m_page->exportImage(svg), QString());
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QCOMPARE(m_page->exportCsv(csv), QString());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray("seconds,node,gpu,metric,value"));
        QCOMPARE(lines.size(), 1 + 16 * Seconds + 1); // full resolution: every sample of every series
        QVERIFY(lines.contains("0.000,bask-pg0004,2,sm,0"));
        // Zoomed: only the visible range.
        m_page->zoom(0.5, 0.0);
        QCOMPARE(m_page->exportCsv(csv), QString());
        file.close(); // the export replaced the file: read the new one
        QVERIFY(file.open(QIODevice::ReadOnly));
        const qsizetype zoomed = file.readAll().count('\n') - 1;
        QVERIFY2(std::abs(zoomed - 16 * Seconds / 2) <= 32, qPrintable(QString::number(zoomed)));
        // Refused, not half-written: a folder where the file should go.
        QVERIFY(!m_page->exportCsv(dir.path()).isEmpty());
    }

    void idleGpuAlertIsToldOnce()
    {
        QSignalSpy alerts(m_monitor.get(), &JobMonitor::alert);
        m_monitor->setRecord(m_monitor->record());
        QVERIFY(alerts.wait(2000)); // returns once publish() is done: every alert of that refresh is in
        QList<JobNotification::Kind> kinds;
        for (const QList<QVariant>& a : alerts)
            kinds.append(a.at(0).value<JobNotification>().kind);
        QCOMPARE(kinds.count(JobNotification::Kind::IdleGpu), 1);
        QCOMPARE(kinds.count(JobNotification::Kind::NearTimeLimit), 1);
        alerts.clear();
        m_monitor->setRecord(m_monitor->record());
        QSignalSpy updated(m_monitor.get(), &JobMonitor::updated);
        QVERIFY(updated.wait(2000));
        QCOMPARE(alerts.size(), 0); // the same events: not again
    }

private:
    std::unique_ptr<JobMonitor> m_monitor;
    std::unique_ptr<Ui::MonitorPage> m_page;
};

QTEST_MAIN(TestMonitorPage)
#include "tst_monitorpage.moc"
