#pragma once

#include "core/telemetry/chunkedarray.h"
#include "core/util/coreonly.h"

#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace TuneDeck::Telemetry {

struct SeriesKey
{
    QString run;
    QString node;
    int gpu = -1; // -1 for node-level series (vmstat) and run-level ones (loss)
    QString metric; // "sm", "pwr", "us", "loss", ...
    friend bool operator==(const SeriesKey&, const SeriesKey&) = default;
};
size_t qHash(const SeriesKey& key, size_t seed = 0);

// One pixel column of a decimated view: the first, smallest, largest and last value of the samples whose
// time falls in [t, t + column width). Columns without samples are left out.
struct ViewColumn
{
    qint64 t = 0;
    float first = 0;
    float min = 0;
    float max = 0;
    float last = 0;
};

// Samples of every run, node, GPU and metric on one time axis.
//
// Layout: series that are sampled together (all metrics of one GPU in a dmon log, all vmstat columns of a
// node) share one *time axis* (ms, 8 bytes per sample, shared by 10-20 series), and each series stores its
// values as float32 in fixed blocks. Each series also keeps a min/max pyramid with fan-out 8 (level 1 holds
// min/max of 8 samples, level 2 of 64, ...): 8 bytes per 8 samples, so about 6 bytes per stored value in
// total for a dmon log. A view of any window costs O(columns × (log n + 8 × levels)) whatever the number of
// samples, and min/max are exact, so a one-sample spike is never decimated away.
//
// Nodes' clocks may differ by seconds: setClockOffset() shifts a node's axes when they are viewed; stored
// times stay as logged. Times within one axis must not decrease; an earlier time is clamped to the latest
// one (a requeued job's rewritten file gets a new axis from the follower, not a jump back in time).
class MetricStore
{
public:
    MetricStore();
    ~MetricStore();
    MetricStore(const MetricStore&) = delete;
    MetricStore& operator=(const MetricStore&) = delete;

    // A time axis for (run, node, stream); stream names the sampling source, e.g. "dmon/gpu3", "vmstat".
    int timeAxis(const QString& run, const QString& node, const QString& stream);
    // A series on an axis; the same key always gives the same id.
    int series(int axis, const SeriesKey& key);
    std::optional<int> findSeries(const SeriesKey& key) const;
    QList<SeriesKey> seriesKeys() const;
    const SeriesKey& key(int series) const;

    // Appends one sampling instant to an axis; values for it follow with append(). Returns the sample index.
    qint64 appendTime(int axis, qint64 timeMs);
    // The value of `series` at its axis' latest instant; a series not given a value at some instant reads
    // NaN there (missing), and so does NaN itself ("-"/"N/A" in dmon).
    void append(int series, float value);
    // One instant of an axis and the values of `count` of its series at once (a reader's row): the same as
    // appendTime() and append() for each, with the checks done once per row.
    void appendRow(int axis, qint64 timeMs, const int* series, const float* values, int count);
    // `rows` such instants at once, values row-major (`count` per row), stored a series at a time.
    void appendRows(int axis, const qint64* timesMs, qsizetype rows, const int* series, const float* values, int count);

    void setClockOffset(const QString& run, const QString& node, qint64 offsetMs);

    qint64 sampleCount(int series) const;
    std::optional<std::pair<qint64, qint64>> timeRange(int series) const; // first, last (offset applied)

    // The decimated view the charts use.
    QList<ViewColumn> view(int series, qint64 t0, qint64 t1, int pixelColumns) const;
    // The same computed by reading every raw sample of the window (no pyramid): the reference for tests and
    // the benchmark's baseline.
    QList<ViewColumn> viewFromRaw(int series, qint64 t0, qint64 t1, int pixelColumns) const;

    struct Stats
    {
        qint64 count = 0; // non-missing values
        double mean = 0;
        float min = 0;
        float max = 0;
    };
    std::optional<Stats> stats(int series, qint64 t0, qint64 t1) const;
    // Every raw sample of [t0, t1) in time order (offset applied), missing ones included as NaN: the
    // full-resolution export of what a chart shows decimated.
    QList<std::pair<qint64, float>> samples(int series, qint64 t0, qint64 t1) const;
    // The sample nearest to t (offset applied) within maxDistanceMs, for a hover crosshair.
    std::optional<std::pair<qint64, float>> sampleNear(int series, qint64 t, qint64 maxDistanceMs) const;

    qint64 storedValues() const; // over all series, missing ones included
    size_t memoryBytes() const; // everything this store allocated for samples, index included

private:
    struct Axis;
    struct Series;
    qsizetype lowerBound(const Axis& axis, qint64 rawTime) const;
    std::pair<float, float> minMax(const Series& s, qsizetype i0, qsizetype i1) const;
    qsizetype boundary(const Axis& axis, qint64 rawTime, qsizetype guess, qsizetype from, qsizetype to) const;
    QList<ViewColumn> decimate(int series, qint64 t0, qint64 t1, int pixelColumns, bool pyramid) const;
    static void push(Series& s, float value);
    static void foldGroups(Series& s, qsizetype end); // the group of 8 ending at `end`

    std::vector<std::unique_ptr<Axis>> m_axes;
    std::vector<std::unique_ptr<Series>> m_series;
    QHash<SeriesKey, int> m_seriesIds;
    QHash<QString, int> m_axisIds; // "run\nnode\nstream"
    QHash<QString, qint64> m_offsets; // "run\nnode"
};

} // namespace TuneDeck::Telemetry
