#include "core/archive/coarseview.h"

#include "core/telemetry/metricstore.h"

#include <QDataStream>
#include <QIODevice>

#include <cmath>

namespace TuneDeck::Archive {

namespace {

constexpr quint32 Magic = 0x54444356; // "TDCV"
constexpr quint32 Version = 2;

} // namespace

QByteArray encodeCoarseView(const Telemetry::MetricStore& store, int columns)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    const QList<Telemetry::SeriesKey> keys = store.seriesKeys();
    out << Magic << Version << quint32(keys.size());
    std::vector<qint64> times;
    std::vector<float> mins;
    std::vector<float> maxs;
    std::vector<quint8> rising;
    for (int id = 0; id < keys.size(); ++id) {
        const Telemetry::SeriesKey& k = keys[id];
        const auto range = store.timeRange(id);
        // A series with fewer samples than columns is kept whole (a column per sample).
        const int wanted = int(std::min<qint64>(columns, std::max<qint64>(1, store.sampleCount(id))));
        const QList<Telemetry::ViewColumn> view = range && store.sampleCount(id) > columns
            ? store.view(id, range->first, range->second + 1, wanted)
            : QList<Telemetry::ViewColumn>();
        const qint64 width = range ? std::max<qint64>(1, (range->second + 1 - range->first + wanted - 1) / wanted) : 1;
        times.clear();
        mins.clear();
        maxs.clear();
        rising.clear();
        if (store.sampleCount(id) <= columns) {
            // Kept whole: each sample at its own time (a view column starts before its sample).
            for (const auto& [t, v] : store.samples(id, range ? range->first : 0, range ? range->second + 1 : 0)) {
                times.push_back(t);
                mins.push_back(v);
                maxs.push_back(v);
                rising.push_back(1);
            }
        } else {
            for (const Telemetry::ViewColumn& c : view) {
                times.push_back(c.t);
                mins.push_back(c.min);
                maxs.push_back(c.max);
                rising.push_back(c.first > c.last ? 0 : 1);
            }
        }
        const quint32 n = quint32(times.size());
        out << k.run << k.node << qint32(k.gpu) << k.metric << qint64(width) << n;
        // The arrays as they are in memory (this machine's byte order, checked by the magic number).
        out.writeRawData(reinterpret_cast<const char*>(times.data()), int(n * sizeof(qint64)));
        out.writeRawData(reinterpret_cast<const char*>(mins.data()), int(n * sizeof(float)));
        out.writeRawData(reinterpret_cast<const char*>(maxs.data()), int(n * sizeof(float)));
        out.writeRawData(reinterpret_cast<const char*>(rising.data()), int(n));
    }
    return qCompress(bytes, 1);
}

bool decodeCoarseView(const QByteArray& compressed, Telemetry::MetricStore& store)
{
    const QByteArray bytes = qUncompress(compressed);
    if (bytes.isEmpty())
        return false;
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0, version = 0, count = 0;
    in >> magic >> version >> count;
    if (magic != Magic || version != Version)
        return false;
    std::vector<qint64> columnTimes;
    std::vector<float> mins;
    std::vector<float> maxs;
    std::vector<quint8> rising;
    std::vector<qint64> times;
    std::vector<float> values;
    for (quint32 s = 0; s < count && in.status() == QDataStream::Ok; ++s) {
        Telemetry::SeriesKey key;
        qint32 gpu = -1;
        qint64 width = 1;
        quint32 n = 0;
        in >> key.run >> key.node >> gpu >> key.metric >> width >> n;
        key.gpu = gpu;
        if (in.status() != QDataStream::Ok || n > (1u << 24))
            return false;
        columnTimes.resize(n);
        mins.resize(n);
        maxs.resize(n);
        rising.resize(n);
        const auto read = [&in](void* to, qsizetype size) {
            return in.readRawData(static_cast<char*>(to), int(size)) == int(size);
        };
        if (!read(columnTimes.data(), qsizetype(n * sizeof(qint64))) || !read(mins.data(), qsizetype(n * sizeof(float)))
            || !read(maxs.data(), qsizetype(n * sizeof(float))) || !read(rising.data(), qsizetype(n)))
            return false;
        // Each series on its own axis: columns of different series need not share instants.
        const int axis = store.timeAxis(key.run, key.node, QStringLiteral("coarse/%1/%2").arg(gpu).arg(key.metric));
        const int id = store.series(axis, key);
        times.clear();
        values.clear();
        const qint64 half = std::max<qint64>(1, width / 2);
        for (quint32 i = 0; i < n; ++i) {
            // One value where the column has one; otherwise its min and max, the one that came first first.
            if (mins[i] == maxs[i] || width <= 1) {
                times.push_back(columnTimes[i]);
                values.push_back(mins[i] == maxs[i] ? mins[i] : maxs[i]);
                continue;
            }
            times.push_back(columnTimes[i]);
            values.push_back(rising[i] ? mins[i] : maxs[i]);
            times.push_back(columnTimes[i] + half);
            values.push_back(rising[i] ? maxs[i] : mins[i]);
        }
        store.appendRows(axis, times.data(), qsizetype(times.size()), &id, values.data(), 1);
    }
    return in.status() == QDataStream::Ok;
}

} // namespace TuneDeck::Archive
