// Benchmarks for issue 5 (not part of ctest): see run-benchmarks.sh and docs/benchmarks.md.
//
//   tunedeck_bench generate FILE [HOURS] [GPUS]   write a `nvidia-smi dmon -o TD -s puct` log
//   tunedeck_bench parse-file FILE                read, parse, print the sum of the sm column (what mawk does)
//   tunedeck_bench parse FILE                     read+parse from the file; then whole vs random chunks in memory
//   tunedeck_bench view                           decimated view of a 3M-point series vs the raw samples
//   tunedeck_bench ingest-file FILE [--portable]  the app's path into the store: sm sum, CPU s, MB/s, values
//   tunedeck_bench memory FILE                    metric store size for the file vs raw float payload

#include "core/telemetry/dmonreader.h"
#include "core/telemetry/dmonstorewriter.h"
#include "core/telemetry/metricstore.h"
#include "core/telemetry/runtelemetry.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>

#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace TuneDeck::Telemetry;

namespace {

int generate(const char* path, int hours, int gpus)
{
    std::FILE* f = std::fopen(path, "wb");
    if (!f)
        return 2;
    // The current driver's wide layout for -s puct (FORMATS.md §1).
    std::fputs(
        "#Date       Time        gpu    pwr  gtemp  mtemp     sm    mem    enc    dec    jpg    ofa   mclk   pclk"
        "  rxpci  txpci \n",
        f);
    std::fputs(
        "#YYYYMMDD   HH:MM:SS    Idx      W      C      C      %      %      %      %      %      %    MHz    MHz"
        "   MB/s   MB/s \n",
        f);
    QRandomGenerator rng(42);
    std::vector<char> buf(1 << 20);
    size_t used = 0;
    const qint64 seconds = qint64(hours) * 3600;
    int day = 17, hour = 23, minute = 35, second = 34;
    for (qint64 s = 0; s < seconds; ++s) {
        for (int g = 0; g < gpus; ++g) {
            const bool busy = rng.bounded(100) < 93;
            const int sm = busy ? 85 + rng.bounded(16) : rng.bounded(5);
            char line[256];
            const int n = std::snprintf(line, sizeof line,
                " 202409%02d   %02d:%02d:%02d %6d %6d %6d %6d %6d %6d %6d %6d %6d %6d %6d %6d %6d %6d \n", day, hour,
                minute, second, g, busy ? 250 + rng.bounded(150) : 60 + rng.bounded(10), 40 + rng.bounded(30),
                50 + rng.bounded(30), sm, busy ? 20 + rng.bounded(60) : 0, 0, 0, 0, 0, 1593, 1410, rng.bounded(30000),
                rng.bounded(30000));
            if (used + size_t(n) > buf.size()) {
                std::fwrite(buf.data(), 1, used, f);
                used = 0;
            }
            std::memcpy(buf.data() + used, line, size_t(n));
            used += size_t(n);
        }
        if (++second == 60) {
            second = 0;
            if (++minute == 60) {
                minute = 0;
                if (++hour == 24) {
                    hour = 0;
                    ++day;
                }
            }
        }
    }
    std::fwrite(buf.data(), 1, used, f);
    std::fclose(f);
    return 0;
}

QByteArray signature(const DmonReader& r)
{
    QByteArray s = QByteArray::number(r.rows()) + ' ' + QByteArray::number(r.skipped()) + ' ' + r.firstTimestamp() + ' '
        + r.lastTimestamp();
    for (int g : r.gpus()) {
        for (const QByteArray& c : r.allValueNames())
            s += ' ' + QByteArray::number(r.mean(g, c).value_or(-1), 'g', 15);
    }
    return s;
}

double smSum(const DmonReader& r)
{
    // Sum of the "sm" column over all rows, to check against mawk's.
    double sum = 0;
    for (int g : r.gpus())
        sum += r.mean(g, "sm").value_or(0) * double(r.rows() / qint64(r.gpus().size()));
    return sum;
}

// Only what mawk and pandas do: read the file, parse every row, sum one column (sm).
int parseFile(const char* path)
{
    // read(2) into a 128 KiB buffer that stays in L2, like mawk. TUNEDECK_BENCH_MMAP=1 maps the file instead,
    // which was slower on the test VM: first touches of mapped page-cache pages cost more than the copy.
    const int fd = ::open(path, O_RDONLY);
    if (fd < 0)
        return 2;
    DmonReader reader;
    if (!qEnvironmentVariableIsSet("TUNEDECK_BENCH_MMAP")) {
        std::vector<char> block(128 << 10);
        for (ssize_t n; (n = ::read(fd, block.data(), block.size())) > 0;)
            reader.feed(QByteArrayView(block.data(), n));
        reader.finish();
        ::close(fd);
        std::printf("%.0f\n", smSum(reader));
        return 0;
    }
    struct stat st;
    if (::fstat(fd, &st) != 0)
        return 2;
    const size_t size = size_t(st.st_size);
    void* map = size ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : nullptr;
    if (size && map == MAP_FAILED)
        return 2;
    ::madvise(map, size, MADV_SEQUENTIAL);
    const char* data = static_cast<const char*>(map);
    for (size_t pos = 0; pos < size; pos += 1 << 20)
        reader.feed(QByteArrayView(data + pos, qsizetype(std::min<size_t>(1 << 20, size - pos))));
    reader.finish();
    ::munmap(map, size);
    ::close(fd);
    std::printf("%.0f\n", smSum(reader));
    return 0;
}

int parse(const char* path)
{
    // 1. From the file, as mawk and pandas read it: read(2) in 256 KiB blocks, fed as they come.
    const int fd = ::open(path, O_RDONLY);
    if (fd < 0)
        return 2;
    std::vector<char> block(256 << 10); // stays in L2 between read(2) and parsing
    DmonReader fromFile;
    QElapsedTimer timer;
    timer.start();
    qint64 total = 0;
    for (;;) {
        const ssize_t n = ::read(fd, block.data(), block.size());
        if (n <= 0)
            break;
        fromFile.feed(QByteArrayView(block.data(), n));
        total += n;
    }
    fromFile.finish();
    const double fileSeconds = double(timer.nsecsElapsed()) / 1e9;
    ::close(fd);
    std::printf("tunedeck_file_seconds %.4f\n", fileSeconds);
    std::printf("tunedeck_file_mb_per_s %.1f\n", double(total) / 1e6 / fileSeconds);
    std::printf("tunedeck_rows %lld\n", static_cast<long long>(fromFile.rows()));
    std::printf("tunedeck_vector_kernel_rows %lld\n", static_cast<long long>(fromFile.vectorKernelRows()));
    std::printf("tunedeck_sm_sum %.0f\n", smSum(fromFile));

    // 2. The same bytes in memory, whole vs random chunks of 1 B - 64 KiB (best of 3 each).
    QFile file(QString::fromLocal8Bit(path));
    if (!file.open(QIODevice::ReadOnly))
        return 2;
    const QByteArray bytes = file.readAll();
    double whole = 1e9, chunked = 1e9;
    QByteArray wholeSig, chunkSig;
    for (int round = 0; round < 3; ++round) {
        {
            DmonReader r;
            timer.restart();
            r.feed(bytes);
            r.finish();
            whole = std::min(whole, double(timer.nsecsElapsed()) / 1e9);
            wholeSig = signature(r);
        }
        {
            // Chunk sizes are drawn before timing so the generator is not measured.
            QRandomGenerator rng(quint32(round + 1));
            std::vector<int> sizes;
            for (qsizetype pos = 0; pos < bytes.size();) {
                const int n = 1 + int(rng.bounded(65536));
                sizes.push_back(n);
                pos += n;
            }
            DmonReader r;
            timer.restart();
            qsizetype pos = 0;
            for (int n : sizes) {
                const qsizetype len = std::min<qsizetype>(n, bytes.size() - pos);
                r.feed(QByteArrayView(bytes).sliced(pos, len));
                pos += len;
            }
            r.finish();
            chunked = std::min(chunked, double(timer.nsecsElapsed()) / 1e9);
            chunkSig = signature(r);
        }
    }
    std::printf("tunedeck_memory_whole_mb_per_s %.1f\n", double(bytes.size()) / 1e6 / whole);
    {
        // Parsing speed alone: the first 512 KiB of rows (kept in L2) fed 700 times.
        const qsizetype cut = bytes.lastIndexOf('\n', 512 * 1024) + 1;
        const QByteArrayView hot = QByteArrayView(bytes).first(cut);
        DmonReader r;
        r.feed(hot.first(hot.indexOf('\n', hot.indexOf('\n') + 1) + 1)); // the header pair
        timer.restart();
        for (int i = 0; i < 700; ++i)
            r.feed(hot.sliced(hot.indexOf('\n', hot.indexOf('\n') + 1) + 1));
        r.finish();
        std::printf(
            "tunedeck_in_cache_mb_per_s %.1f\n", double(cut) * 700 / 1e6 / (double(timer.nsecsElapsed()) / 1e9));
    }
    std::printf("tunedeck_memory_chunked_mb_per_s %.1f\n", double(bytes.size()) / 1e6 / chunked);
    {
        // The portable paths alone (what a CPU without AVX-512 VBMI2 runs): same bytes, same results.
        DmonReader r;
        r.setVectorKernel(false);
        timer.restart();
        r.feed(bytes);
        r.finish();
        std::printf(
            "tunedeck_portable_mb_per_s %.1f\n", double(bytes.size()) / 1e6 / (double(timer.nsecsElapsed()) / 1e9));
        std::printf("portable_identical %s\n", signature(r) == wholeSig ? "yes" : "no");
    }
    std::printf("chunked_over_whole %.3f\n", whole / chunked);
    std::printf("chunked_identical %s\n", chunkSig == wholeSig && wholeSig == signature(fromFile) ? "yes" : "no");
    return 0;
}

int view()
{
    constexpr int Samples = 3'000'000;
    constexpr int Columns = 1920;
    MetricStore store;
    const int axis = store.timeAxis(QStringLiteral("bench"), QStringLiteral("n1"), QStringLiteral("dmon/gpu0"));
    const int s = store.series(axis, { QStringLiteral("bench"), QStringLiteral("n1"), 0, QStringLiteral("sm") });
    QRandomGenerator rng(3);
    for (int i = 0; i < Samples; ++i) {
        store.appendTime(axis, qint64(i) * 1000);
        store.append(s, float(rng.bounded(100)));
    }
    const qint64 end = qint64(Samples) * 1000;
    // Windows: everything, the middle half, an unaligned third.
    const qint64 windows[3][2] = { { 0, end }, { end / 4, end * 3 / 4 }, { 1234567, 1234567 + end / 3 } };
    double worstFast = 0, worstRatio = 1e9;
    bool same = true;
    QElapsedTimer timer;
    for (const auto& w : windows) {
        double fast = 1e9, slow = 1e9;
        QList<ViewColumn> a, b;
        for (int round = 0; round < 15; ++round) {
            timer.restart();
            a = store.view(s, w[0], w[1], Columns);
            fast = std::min(fast, double(timer.nsecsElapsed()) / 1e6);
            timer.restart();
            b = store.viewFromRaw(s, w[0], w[1], Columns);
            slow = std::min(slow, double(timer.nsecsElapsed()) / 1e6);
        }
        for (qsizetype i = 0; i < a.size() && same; ++i)
            same = a.size() == b.size() && a[i].min == b[i].min && a[i].max == b[i].max && a[i].first == b[i].first
                && a[i].last == b[i].last;
        std::printf("view_window_ms %.4f raw_ms %.3f ratio %.1f\n", fast, slow, slow / fast);
        worstFast = std::max(worstFast, fast);
        worstRatio = std::min(worstRatio, slow / fast);
    }
    std::printf("view_worst_ms %.4f\n", worstFast);
    std::printf("view_worst_speedup %.1f\n", worstRatio);
    std::printf("view_identical %s\n", same ? "yes" : "no");
    return 0;
}

int memory(const char* path)
{
    MetricStore store;
    DmonStoreWriter writer(store, QStringLiteral("bench"), QStringLiteral("n1"));
    DmonReader reader;
    reader.setSink(&writer);
    const int fd = ::open(path, O_RDONLY);
    if (fd < 0)
        return 2;
    std::vector<char> block(256 << 10); // stays in L2 between read(2) and parsing
    QElapsedTimer timer;
    timer.start();
    qint64 total = 0;
    for (;;) {
        const ssize_t n = ::read(fd, block.data(), block.size());
        if (n <= 0)
            break;
        reader.feed(QByteArrayView(block.data(), n));
        total += n;
    }
    reader.finish();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    ::close(fd);
    const double raw = double(store.storedValues()) * 4.0;
    std::printf("store_ingest_mb_per_s %.1f\n", double(total) / 1e6 / seconds);
    std::printf("store_values %lld\n", static_cast<long long>(store.storedValues()));
    std::printf("store_bytes %zu\n", store.memoryBytes());
    std::printf("store_bytes_per_value %.3f\n", double(store.memoryBytes()) / double(store.storedValues()));
    std::printf("store_over_raw_payload %.3f\n", double(store.memoryBytes()) / raw);
    return 0;
}

// What the app does with a dmon file: bytes in 128 KiB blocks (the follower's reads) -> RunTelemetry::feed ->
// DmonReader -> DmonStoreWriter -> MetricStore, every column of every row stored with its pyramid. Prints
// the CPU seconds of the ingest alone and, computed afterwards from the store, the sum of the sm column
// (which must equal mawk's).
int ingestFile(const char* path, bool portable)
{
    const int fd = ::open(path, O_RDONLY);
    if (fd < 0)
        return 2;
    RunTelemetry telemetry(QStringLiteral("bench"));
    telemetry.setVectorKernel(!portable);
    const QString node = QStringLiteral("gpu-01");
    std::vector<char> block(128 << 10);
    timespec c0, c1;
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    qint64 total = 0;
    for (ssize_t n; (n = ::read(fd, block.data(), block.size())) > 0; total += n)
        telemetry.feed(TelemetryFile::Dmon, node, QByteArrayView(block.data(), n));
    telemetry.finish(TelemetryFile::Dmon, node);
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    ::close(fd);
    const double seconds = double(c1.tv_sec - c0.tv_sec) + double(c1.tv_nsec - c0.tv_nsec) / 1e9;
    double sum = 0;
    const MetricStore& store = telemetry.store();
    const QList<SeriesKey> keys = store.seriesKeys();
    for (int id = 0; id < keys.size(); ++id)
        if (keys[id].metric == u"sm")
            for (const auto& [t, v] :
                store.samples(id, std::numeric_limits<qint64>::min() / 2, std::numeric_limits<qint64>::max() / 2))
                if (v == v)
                    sum += v;
    std::printf("%.0f %.4f %.1f %lld\n", sum, seconds, double(total) / 1e6 / seconds,
        static_cast<long long>(store.storedValues()));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    const QByteArray cmd = argc > 1 ? QByteArray(argv[1]) : QByteArray();
    if (cmd == "generate" && argc >= 3)
        return generate(argv[2], argc > 3 ? std::atoi(argv[3]) : 50, argc > 4 ? std::atoi(argv[4]) : 16);
    if (cmd == "parse" && argc >= 3)
        return parse(argv[2]);
    if (cmd == "parse-file" && argc >= 3)
        return parseFile(argv[2]);
    if (cmd == "ingest-file" && argc >= 3)
        return ingestFile(argv[2], argc > 3 && QByteArray(argv[3]) == "--portable");
    if (cmd == "view")
        return view();
    if (cmd == "memory" && argc >= 3)
        return memory(argv[2]);
    std::fprintf(stderr,
        "usage: tunedeck_bench generate FILE [HOURS] [GPUS] | parse-file FILE | parse FILE | view | memory FILE\n");
    return 2;
}
