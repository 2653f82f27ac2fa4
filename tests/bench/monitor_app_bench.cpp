// The monitor as the app runs it, on a real-sized run: a dmon file (run-benchmarks.sh generates 50 h x 16
// GPUs) read through RunTelemetry (the follower's path), a JobMonitor over it and the real MonitorPage at
// 1366x768 offscreen. Prints the refresh time of the page (feed + render, best of ROUNDS) and the memory
// the run adds to the process (VmRSS after, minus VmRSS with Qt up and no run) against the store's payload.
//
//   monitor_app_bench FILE [ROUNDS]
#include "core/remote/jobmonitor.h"
#include "core/telemetry/runtelemetry.h"
#include "ui/monitor/monitorpage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

using namespace TuneDeck;

namespace {

double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc < 2) {
        std::fprintf(stderr, "usage: monitor_app_bench FILE [ROUNDS]\n");
        return 2;
    }
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 10;
    {
        QWidget warm; // Qt's own first-widget costs (fonts, style) belong to the baseline
        warm.show();
        warm.grab();
    }
    const double baseline = rssMb();

    auto telemetry = std::make_unique<Telemetry::RunTelemetry>(QStringLiteral("bench"));
    const int fd = ::open(argv[1], O_RDONLY);
    if (fd < 0)
        return 2;
    std::vector<char> block(128 << 10);
    QElapsedTimer timer;
    timer.start();
    for (ssize_t n; (n = ::read(fd, block.data(), block.size())) > 0;)
        telemetry->feed(Telemetry::TelemetryFile::Dmon, QStringLiteral("gpu-01"), QByteArrayView(block.data(), n));
    telemetry->finish(Telemetry::TelemetryFile::Dmon, QStringLiteral("gpu-01"));
    ::close(fd);
    std::printf("app_load_seconds %.3f\n", double(timer.nsecsElapsed()) / 1e9);
    const double payloadMb = double(telemetry->store().storedValues()) * 4.0 / (1024.0 * 1024.0);

    JobRecord record;
    record.cluster = QStringLiteral("bench");
    record.status.jobId = QStringLiteral("bench");
    record.status.phase = JobPhase::Running;
    record.status.nodeList = QStringLiteral("gpu-01");
    JobMonitor monitor(record, std::move(telemetry));
    Ui::MonitorPage page(&monitor);
    page.resize(1366, 768);
    page.show();
    page.refresh();
    double best = 1e18;
    for (int r = 0; r < rounds; ++r) {
        timer.restart();
        page.refresh();
        const QPixmap frame = page.grab(); // everything a repaint of the page draws
        best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
    }
    const double rss = rssMb();
    std::printf("app_series %lld\n", static_cast<long long>(page.seriesNames().size()));
    std::printf("app_refresh_ms %.3f\n", best);
    std::printf("app_store_payload_mb %.1f\n", payloadMb);
    std::printf("app_rss_mb %.1f (baseline with Qt and no run %.1f)\n", rss, baseline);
    std::printf("app_memory_over_payload %.3f\n", (rss - baseline) / payloadMb);
    return 0;
}
