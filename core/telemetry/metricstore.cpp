#include "core/telemetry/metricstore.h"

#include <cmath>
#include <limits>

namespace TuneDeck::Telemetry {

namespace {

constexpr int FanOutBits = 4; // 16 children per pyramid bucket
constexpr float Inf = std::numeric_limits<float>::infinity();

QString axisName(const QString& run, const QString& node, const QString& stream)
{
    return run + QLatin1Char('\n') + node + QLatin1Char('\n') + stream;
}

QString nodeName(const QString& run, const QString& node)
{
    return run + QLatin1Char('\n') + node;
}

} // namespace

size_t qHash(const SeriesKey& key, size_t seed)
{
    return qHashMulti(seed, key.run, key.node, key.gpu, key.metric);
}

struct MetricStore::Axis
{
    QString run;
    QString node;
    ChunkedArray<qint64> times;
};

struct MetricStore::Series
{
    int axis = 0;
    SeriesKey key;
    ChunkedArray<float> values;
    struct Level
    {
        ChunkedArray<float, 10> min;
        ChunkedArray<float, 10> max;
    };
    std::vector<Level> levels; // levels[k] covers 16^(k+1) samples per bucket
};

MetricStore::MetricStore() = default;
MetricStore::~MetricStore() = default;

int MetricStore::timeAxis(const QString& run, const QString& node, const QString& stream)
{
    const QString name = axisName(run, node, stream);
    if (const auto it = m_axisIds.constFind(name); it != m_axisIds.cend())
        return it.value();
    auto axis = std::make_unique<Axis>();
    axis->run = run;
    axis->node = node;
    m_axes.push_back(std::move(axis));
    const int id = int(m_axes.size() - 1);
    m_axisIds.insert(name, id);
    return id;
}

int MetricStore::series(int axis, const SeriesKey& key)
{
    if (const auto it = m_seriesIds.constFind(key); it != m_seriesIds.cend())
        return it.value();
    auto s = std::make_unique<Series>();
    s->axis = axis;
    s->key = key;
    m_series.push_back(std::move(s));
    const int id = int(m_series.size() - 1);
    m_seriesIds.insert(key, id);
    return id;
}

std::optional<int> MetricStore::findSeries(const SeriesKey& key) const
{
    const auto it = m_seriesIds.constFind(key);
    return it == m_seriesIds.cend() ? std::nullopt : std::optional<int>(it.value());
}

QList<SeriesKey> MetricStore::seriesKeys() const
{
    QList<SeriesKey> keys;
    keys.reserve(qsizetype(m_series.size()));
    for (const auto& s : m_series)
        keys.append(s->key);
    return keys;
}

const SeriesKey& MetricStore::key(int series) const
{
    return m_series[size_t(series)]->key;
}

qint64 MetricStore::appendTime(int axis, qint64 timeMs)
{
    Axis& a = *m_axes[size_t(axis)];
    if (!a.times.isEmpty() && timeMs < a.times.last())
        timeMs = a.times.last();
    a.times.append(timeMs);
    return a.times.size() - 1;
}

void MetricStore::push(Series& s, float value)
{
    const qsizetype idx = s.values.size();
    s.values.append(value);
    if ((idx & 15) == 0) {
        if (s.levels.empty())
            s.levels.emplace_back();
        s.levels[0].min.append(Inf);
        s.levels[0].max.append(-Inf);
    }
    if (value == value) { // NaN (missing) never enters min/max
        const qsizetype b = idx >> FanOutBits;
        float& mn = s.levels[0].min[b];
        float& mx = s.levels[0].max[b];
        mn = std::min(mn, value);
        mx = std::max(mx, value);
    }
    // Fold each bucket into its parent once it is complete (once per 16 samples, once per 256, ...).
    const qsizetype n = idx + 1;
    for (size_t level = 1;; ++level) {
        const int childBits = int(level) * FanOutBits;
        if ((n & ((qsizetype(1) << childBits) - 1)) != 0)
            break;
        const qsizetype child = (n >> childBits) - 1;
        if (s.levels.size() <= level)
            s.levels.emplace_back();
        Series::Level& up = s.levels[level];
        if ((child & 15) == 0) {
            up.min.append(Inf);
            up.max.append(-Inf);
        }
        const qsizetype parent = child >> FanOutBits;
        up.min[parent] = std::min(up.min[parent], s.levels[level - 1].min[child]);
        up.max[parent] = std::max(up.max[parent], s.levels[level - 1].max[child]);
    }
}

void MetricStore::append(int series, float value)
{
    Series& s = *m_series[size_t(series)];
    const qsizetype target = m_axes[size_t(s.axis)]->times.size() - 1;
    if (target < 0 || s.values.size() > target)
        return; // no instant yet, or this instant already has its value
    while (s.values.size() < target)
        push(s, std::nanf(""));
    push(s, value);
}

void MetricStore::setClockOffset(const QString& run, const QString& node, qint64 offsetMs)
{
    m_offsets.insert(nodeName(run, node), offsetMs);
}

qint64 MetricStore::sampleCount(int series) const
{
    return m_series[size_t(series)]->values.size();
}

std::optional<std::pair<qint64, qint64>> MetricStore::timeRange(int series) const
{
    const Series& s = *m_series[size_t(series)];
    const Axis& a = *m_axes[size_t(s.axis)];
    if (s.values.isEmpty())
        return std::nullopt;
    const qint64 offset = m_offsets.value(nodeName(a.run, a.node));
    return std::make_pair(a.times[0] + offset, a.times[s.values.size() - 1] + offset);
}

qsizetype MetricStore::lowerBound(const Axis& axis, qint64 rawTime) const
{
    qsizetype lo = 0, hi = axis.times.size();
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (axis.times[mid] < rawTime)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

std::pair<float, float> MetricStore::minMax(const Series& s, qsizetype i, qsizetype i1) const
{
    float mn = Inf, mx = -Inf;
    const size_t levels = s.levels.size();
    while (i < i1) {
        // The largest complete bucket that starts at i and ends inside the range.
        size_t level = 0;
        while (level < levels) {
            const int bits = int(level + 1) * FanOutBits;
            const qsizetype span = qsizetype(1) << bits;
            if ((i & (span - 1)) != 0 || i + span > i1 || (i >> bits) >= s.levels[level].min.size())
                break;
            ++level;
        }
        if (level == 0) {
            const float v = s.values[i];
            if (v == v) {
                mn = std::min(mn, v);
                mx = std::max(mx, v);
            }
            ++i;
        } else {
            const int bits = int(level) * FanOutBits;
            const qsizetype b = i >> bits;
            mn = std::min(mn, s.levels[level - 1].min[b]);
            mx = std::max(mx, s.levels[level - 1].max[b]);
            i += qsizetype(1) << bits;
        }
    }
    return { mn, mx };
}

QList<ViewColumn> MetricStore::view(int series, qint64 t0, qint64 t1, int pixelColumns) const
{
    QList<ViewColumn> out;
    if (pixelColumns <= 0 || t1 <= t0)
        return out;
    const Series& s = *m_series[size_t(series)];
    const Axis& a = *m_axes[size_t(s.axis)];
    const qint64 offset = m_offsets.value(nodeName(a.run, a.node));
    const qsizetype n = s.values.size();
    qsizetype i0 = std::min(lowerBound(a, t0 - offset), n);
    for (int c = 0; c < pixelColumns; ++c) {
        const qint64 ct0 = t0 + (t1 - t0) * c / pixelColumns;
        const qint64 ct1 = t0 + (t1 - t0) * (c + 1) / pixelColumns;
        const qsizetype i1 = std::min(lowerBound(a, ct1 - offset), n);
        if (i0 < i1) {
            const auto [mn, mx] = minMax(s, i0, i1);
            if (mn <= mx) {
                qsizetype f = i0;
                while (!(s.values[f] == s.values[f]))
                    ++f;
                qsizetype l = i1 - 1;
                while (!(s.values[l] == s.values[l]))
                    --l;
                out.append({ ct0, s.values[f], mn, mx, s.values[l] });
            }
        }
        i0 = std::max(i0, i1);
    }
    return out;
}

QList<ViewColumn> MetricStore::viewFromRaw(int series, qint64 t0, qint64 t1, int pixelColumns) const
{
    QList<ViewColumn> out;
    if (pixelColumns <= 0 || t1 <= t0)
        return out;
    const Series& s = *m_series[size_t(series)];
    const Axis& a = *m_axes[size_t(s.axis)];
    const qint64 offset = m_offsets.value(nodeName(a.run, a.node));
    const qsizetype n = s.values.size();
    std::vector<ViewColumn> cols(static_cast<size_t>(pixelColumns));
    std::vector<bool> used(size_t(pixelColumns), false);
    for (qsizetype i = 0; i < n; ++i) {
        const qint64 t = a.times[i] + offset;
        if (t < t0 || t >= t1)
            continue;
        const float v = s.values[i];
        if (!(v == v))
            continue;
        // The column whose [ct0, ct1) holds t, with the same integer boundaries as view().
        qint64 c = ((t - t0) * pixelColumns) / (t1 - t0);
        while (c + 1 < pixelColumns && t0 + (t1 - t0) * (c + 1) / pixelColumns <= t)
            ++c;
        while (c > 0 && t0 + (t1 - t0) * c / pixelColumns > t)
            --c;
        ViewColumn& col = cols[size_t(c)];
        if (!used[size_t(c)]) {
            used[size_t(c)] = true;
            col = { t0 + (t1 - t0) * c / pixelColumns, v, v, v, v };
        } else {
            col.min = std::min(col.min, v);
            col.max = std::max(col.max, v);
            col.last = v;
        }
    }
    for (int c = 0; c < pixelColumns; ++c) {
        if (used[size_t(c)])
            out.append(cols[size_t(c)]);
    }
    return out;
}

std::optional<MetricStore::Stats> MetricStore::stats(int series, qint64 t0, qint64 t1) const
{
    const Series& s = *m_series[size_t(series)];
    const Axis& a = *m_axes[size_t(s.axis)];
    const qint64 offset = m_offsets.value(nodeName(a.run, a.node));
    const qsizetype n = s.values.size();
    Stats st;
    st.min = Inf;
    st.max = -Inf;
    double sum = 0;
    for (qsizetype i = std::min(lowerBound(a, t0 - offset), n); i < n && a.times[i] + offset < t1; ++i) {
        const float v = s.values[i];
        if (!(v == v))
            continue;
        ++st.count;
        sum += v;
        st.min = std::min(st.min, v);
        st.max = std::max(st.max, v);
    }
    if (st.count == 0)
        return std::nullopt;
    st.mean = sum / double(st.count);
    return st;
}

qint64 MetricStore::storedValues() const
{
    qint64 total = 0;
    for (const auto& s : m_series)
        total += s->values.size();
    return total;
}

size_t MetricStore::memoryBytes() const
{
    size_t bytes = 0;
    for (const auto& a : m_axes)
        bytes += sizeof(Axis) + a->times.memoryBytes();
    for (const auto& s : m_series) {
        bytes += sizeof(Series) + s->values.memoryBytes() + s->levels.capacity() * sizeof(Series::Level);
        for (const auto& l : s->levels)
            bytes += l.min.memoryBytes() + l.max.memoryBytes();
    }
    return bytes;
}

} // namespace TuneDeck::Telemetry
