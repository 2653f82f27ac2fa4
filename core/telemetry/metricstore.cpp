#include "core/telemetry/metricstore.h"

#include <cmath>
#include <limits>
#include <tuple>

namespace TuneDeck::Telemetry {

namespace {

constexpr int FanOutBits = 3; // 8 children per pyramid bucket
constexpr qsizetype FanOutMask = (qsizetype(1) << FanOutBits) - 1;
constexpr float Inf = std::numeric_limits<float>::infinity();

QString axisName(const QString& run, const QString& node, const QString& stream)
{
    return run + QLatin1Char('\n') + node + QLatin1Char('\n') + stream;
}

// A software prefetch GCC cannot drop: GCC 12 at -O3 removed every __builtin_prefetch of this file's view
// loop (none was in the object code), so the pyramid's few lines per column were fetched one miss at a time.
inline void prefetchLine(const void* p)
{
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
    __builtin_prefetch(p);
#endif
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
    struct MinMax
    {
        float min;
        float max;
    };
    // levels[k] holds min/max of 8^(k+1) samples per bucket; min and max side by side, one cache line read.
    std::vector<ChunkedArray<MinMax, 10>> levels;
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
    // The hot path of ingest: store the value; the pyramid is built once a group of 8 is complete. Views
    // only ever read complete buckets (minMax reads the unaligned ends from the level below), so nothing
    // is lost by not keeping a partial one.
    s.values.append(value);
    if ((s.values.size() & FanOutMask) == 0)
        foldGroups(s, s.values.size());
}

void MetricStore::foldGroups(Series& s, qsizetype end)
{
    // A group of 8 never straddles a block (block sizes are multiples of 8), so each is 8 contiguous entries.
    // std::min(m, NaN) is m: missing samples drop out by themselves.
    const float* v = &s.values[end - (FanOutMask + 1)];
    Series::MinMax m { Inf, -Inf };
    for (int i = 0; i <= FanOutMask; ++i) {
        m.min = std::min(m.min, v[i]);
        m.max = std::max(m.max, v[i]);
    }
    if (s.levels.empty())
        s.levels.emplace_back();
    s.levels[0].append(m);
    // Fold each level's newest 8 buckets into the level above once they are complete.
    for (size_t level = 1; (s.levels[level - 1].size() & FanOutMask) == 0; ++level) {
        const auto& below = s.levels[level - 1];
        const Series::MinMax* c = &below[below.size() - (FanOutMask + 1)];
        Series::MinMax up { Inf, -Inf };
        for (int i = 0; i <= FanOutMask; ++i) {
            up.min = std::min(up.min, c[i].min);
            up.max = std::max(up.max, c[i].max);
        }
        if (s.levels.size() <= level)
            s.levels.emplace_back();
        s.levels[level].append(up);
    }
}

void MetricStore::appendRow(int axis, qint64 timeMs, const int* series, const float* values, int count)
{
    const qsizetype index = appendTime(axis, timeMs);
    for (int i = 0; i < count; ++i) {
        Series& s = *m_series[size_t(series[i])];
        if (s.values.size() == index && s.axis == axis)
            push(s, values[i]);
        else
            append(series[i], values[i]); // a series that missed instants: padded with missing values
    }
}

void MetricStore::appendRows(
    int axis, const qint64* timesMs, qsizetype rows, const int* series, const float* values, int count)
{
    if (rows <= 0)
        return;
    Axis& a = *m_axes[size_t(axis)];
    const qsizetype first = a.times.size();
    for (qsizetype r = 0; r < rows; ++r)
        appendTime(axis, timesMs[r]);
    for (int i = 0; i < count; ++i) {
        Series& s = *m_series[size_t(series[i])];
        if (s.values.size() == first && s.axis == axis) {
            // The column in one go, then every group of 8 it completed folded into the pyramid, in order.
            s.values.appendStrided(values + i, count, rows);
            for (qsizetype end = (first | FanOutMask) + 1; end <= first + rows; end += FanOutMask + 1)
                foldGroups(s, end);
        } else {
            // A series that missed instants: row by row through append(), which pads with missing values.
            for (qsizetype r = 0; r < rows; ++r) {
                const qsizetype target = first + r;
                if (s.values.size() <= target && s.axis == axis) {
                    while (s.values.size() < target)
                        push(s, std::nanf(""));
                    push(s, values[r * count + i]);
                }
            }
        }
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

std::pair<float, float> MetricStore::minMax(const Series& s, qsizetype lo, qsizetype hi) const
{
    // Climb the pyramid from both ends: at each level take the up to 7 unaligned entries on either side,
    // then continue one level up with 8 times fewer, until what is left is short enough to read directly.
    // A group of 8 never straddles a storage block, so each side is one address computation and a short
    // contiguous loop. std::min(m, NaN) and std::max(m, NaN) return m: missing samples drop out by themselves.
    float mn = Inf, mx = -Inf;
    constexpr qsizetype Direct = 2 * (FanOutMask + 1);
    const auto raw = [&mn, &mx](const float* v, qsizetype n) {
        for (qsizetype i = 0; i < n; ++i) {
            mn = std::min(mn, v[i]);
            mx = std::max(mx, v[i]);
        }
    };
    const auto pairs = [&mn, &mx](const Series::MinMax* v, qsizetype n) {
        for (qsizetype i = 0; i < n; ++i) {
            mn = std::min(mn, v[i].min);
            mx = std::max(mx, v[i].max);
        }
    };
    if (hi - lo < Direct || s.levels.empty()) {
        for (; lo < hi; ++lo)
            raw(&s.values[lo], 1);
        return { mn, mx };
    }
    if (const qsizetype head = (FanOutMask + 1 - (lo & FanOutMask)) & FanOutMask) {
        raw(&s.values[lo], head);
        lo += head;
    }
    if (const qsizetype tail = hi & FanOutMask) {
        hi -= tail;
        raw(&s.values[hi], tail);
    }
    lo >>= FanOutBits;
    hi >>= FanOutBits;
    for (size_t level = 0; lo < hi; ++level) {
        const auto& l = s.levels[level];
        if (hi - lo < Direct || level + 1 >= s.levels.size()) {
            for (; lo < hi; ++lo)
                pairs(&l[lo], 1);
            break;
        }
        if (const qsizetype head = (FanOutMask + 1 - (lo & FanOutMask)) & FanOutMask) {
            pairs(&l[lo], head);
            lo += head;
        }
        if (const qsizetype tail = hi & FanOutMask) {
            hi -= tail;
            pairs(&l[hi], tail);
        }
        lo >>= FanOutBits;
        hi >>= FanOutBits;
    }
    return { mn, mx };
}

qsizetype MetricStore::boundary(const Axis& axis, qint64 rawTime, qsizetype guess, qsizetype from, qsizetype to) const
{
    // First index in [from, to] whose time is >= rawTime, starting from an interpolated guess and galloping:
    // evenly sampled series need two or three probes instead of a full binary search.
    guess = std::clamp(guess, from, to);
    qsizetype lo, hi;
    if (guess < to && axis.times[guess] < rawTime) {
        qsizetype step = 1;
        lo = guess + 1;
        while (guess + step < to && axis.times[guess + step] < rawTime) {
            lo = guess + step + 1;
            step *= 2;
        }
        hi = std::min(guess + step, to);
    } else {
        qsizetype step = 1;
        hi = guess;
        while (guess - step >= from && axis.times[guess - step] >= rawTime) {
            hi = guess - step;
            step *= 2;
        }
        lo = std::max(guess - step + 1, from);
    }
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (axis.times[mid] < rawTime)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

QList<std::pair<qint64, float>> MetricStore::samples(int series, qint64 t0, qint64 t1) const
{
    const Series& s = *m_series[size_t(series)];
    const Axis& a = *m_axes[size_t(s.axis)];
    const qint64 offset = m_offsets.value(nodeName(a.run, a.node));
    QList<std::pair<qint64, float>> out;
    const qsizetype end = s.values.size();
    for (qsizetype i = std::min(lowerBound(a, t0 - offset), end); i < end && a.times[i] + offset < t1; ++i)
        out.append({ a.times[i] + offset, s.values[i] });
    return out;
}

std::optional<std::pair<qint64, float>> MetricStore::sampleNear(int series, qint64 t, qint64 maxDistanceMs) const
{
    const Series& s = *m_series[size_t(series)];
    const Axis& a = *m_axes[size_t(s.axis)];
    const qint64 offset = m_offsets.value(nodeName(a.run, a.node));
    const qsizetype end = s.values.size();
    if (end == 0)
        return std::nullopt;
    const qsizetype i = std::min(lowerBound(a, t - offset), end - 1);
    qsizetype best = i;
    if (i > 0 && std::abs(a.times[i - 1] + offset - t) <= std::abs(a.times[i] + offset - t))
        best = i - 1;
    const qint64 at = a.times[best] + offset;
    if (std::abs(at - t) > maxDistanceMs)
        return std::nullopt;
    return std::make_pair(at, s.values[best]);
}

QList<ViewColumn> MetricStore::view(int series, qint64 t0, qint64 t1, int pixelColumns) const
{
    return decimate(series, t0, t1, pixelColumns, true);
}

QList<ViewColumn> MetricStore::viewFromRaw(int series, qint64 t0, qint64 t1, int pixelColumns) const
{
    return decimate(series, t0, t1, pixelColumns, false);
}

QList<ViewColumn> MetricStore::decimate(int series, qint64 t0, qint64 t1, int pixelColumns, bool pyramid) const
{
    QList<ViewColumn> out;
    if (pixelColumns <= 0 || t1 <= t0)
        return out;
    const Series& s = *m_series[size_t(series)];
    const Axis& a = *m_axes[size_t(s.axis)];
    const qint64 offset = m_offsets.value(nodeName(a.run, a.node));
    const qsizetype n = s.values.size();
    const qsizetype first = std::min(lowerBound(a, t0 - offset), n);
    const qsizetype last = std::min(lowerBound(a, t1 - offset), n);
    if (first >= last)
        return out;
    out.reserve(std::min<qsizetype>(pixelColumns, last - first));
    const double samplesPerMs = double(last - first) / double(t1 - t0);
    const double samplesPerColumn = double(last - first) / pixelColumns;
    qsizetype i0 = first;
    // A wide window touches a few cache lines per column (time axis, values, one per pyramid level) far
    // apart from the previous column's: fetch a later column's while this one is computed.
    const auto prefetch = [&](int column) {
        const qsizetype i
            = std::clamp<qsizetype>(first + qsizetype(double(column) * samplesPerColumn), first, last - 1);
        prefetchLine(&a.times[i]);
        prefetchLine(&s.values[i]);
        if (pyramid) {
            for (size_t level = 0; level < s.levels.size(); ++level) {
                const qsizetype j = i >> (FanOutBits * int(level + 1));
                if (j < s.levels[level].size())
                    prefetchLine(&s.levels[level][j]);
            }
        }
    };
    constexpr int Ahead = 4; // columns; 3-16 measured alike on the test VM, fewer leave misses exposed
    qint64 ct1 = t0;
    for (int c = 0; c < pixelColumns && i0 < last; ++c) {
        if (c == 0)
            for (int k = 1; k < Ahead; ++k)
                prefetch(k);
        if (c + Ahead <= pixelColumns)
            prefetch(c + Ahead);
        // One 64-bit division per column: the previous column's end is this one's start.
        const qint64 ct0 = ct1;
        ct1 = t0 + (t1 - t0) * (c + 1) / pixelColumns;
        const qsizetype guess = first + qsizetype(double(ct1 - t0) * samplesPerMs);
        const qsizetype i1 = c + 1 == pixelColumns ? last : boundary(a, ct1 - offset, guess, i0, last);
        if (i0 < i1) {
            float mn = Inf, mx = -Inf;
            if (pyramid) {
                std::tie(mn, mx) = minMax(s, i0, i1);
            } else {
                for (qsizetype i = i0; i < i1; ++i) {
                    mn = std::min(mn, s.values[i]);
                    mx = std::max(mx, s.values[i]);
                }
            }
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
        bytes += sizeof(Series) + s->values.memoryBytes() + s->levels.capacity() * sizeof(s->levels[0]);
        for (const auto& l : s->levels)
            bytes += l.memoryBytes();
    }
    return bytes;
}

} // namespace TuneDeck::Telemetry
