#pragma once

#include "core/telemetry/dmonrowkernel.h"
#include "core/telemetry/parseissues.h"
#include "core/util/coreonly.h"

#include <QByteArrayList>
#include <QList>

#include <limits>
#include <optional>
#include <vector>

namespace TuneDeck::Telemetry {

// Receives the rows of a dmon log. values[i] belongs to valueNames()[i] of the latest columns() call and
// is NaN where dmon printed "-" or "N/A".
class DmonSink
{
public:
    virtual ~DmonSink() = default;
    virtual void dmonColumns(const QByteArrayList& valueNames) = 0;
    // timeMs: WallClock ms, or WallClock::Missing without -o T/D. sample counts dmon's sampling rounds (it
    // advances when the GPU index does not increase), for logs without timestamps.
    virtual void dmonRow(int gpu, qint64 timeMs, qint64 sample, const float* values, int count) = 0;
    // The end of a feed() or finish(): rows a sink batched must be visible now.
    virtual void dmonFlush() { }
};

// Incremental reader for `nvidia-smi dmon` output (FORMATS.md §1).
//
// The column map comes from every "#" header pair, so any -s letters in any order, -o D/T/DT/TD, the old
// 5-character layout and the wide one (jpg/ofa/ccpm), and headers re-printed mid-file all work; values are
// split on runs of whitespace because 5-digit values eat the separating spaces. "-"/"N/A" are missing values,
// blank lines are ignored, ^C debris is dropped from a row (a trailing "^C[root@host ~]#" line is counted as
// skipped). With -o T only, the day is inferred: a time more than three hours earlier than the previous one
// is the next day (a small step back is a clock adjustment, not midnight).
//
// The hot path scans bytes with pointers (no QString, no regex): a 50-hour, 16-GPU log is ~300 MB.
class DmonReader
{
public:
    enum class ColumnKind : quint8 { Date, Time, Gpu, Value };

    DmonReader();
    void setSink(DmonSink* sink) { m_sink = sink; }
    // For -o T logs: the date of the first row (days since 1970-01-01). Default 0.
    void setStartDay(qint64 daysSinceEpoch) { m_dayOffsetMs = daysSinceEpoch * 86400000; }

    // Lines end in '\n' or "\r\n"; a file whose lines end in a bare '\r' (written by old Mac tools, or
    // converted badly) is recognised from its first line end and read the same.
    void feed(QByteArrayView bytes);
    void finish();

    // The AVX-512 row kernel (DmonRowKernel) is used where the CPU has it; tests and benchmarks turn it off
    // to compare it with the portable paths. Turning it on has no effect on a CPU without it.
    void setVectorKernel(bool enabled) { m_vectorKernel = enabled && DmonRowKernel::supported(); }
    qint64 vectorKernelRows() const { return m_vectorKernelRows; } // rows the kernel parsed

    // Summary (what `tunedeck inspect` prints).
    const QByteArrayList& columns() const { return m_columnNames; } // lower case, as in the latest header
    QList<int> gpus() const; // ascending
    qint64 rows() const { return m_rows; }
    qint64 skipped() const { return m_issues.count(); }
    qint64 headerLines() const { return m_headerLines; }
    const ParseIssues& issues() const { return m_issues; }
    bool hasTimestamps() const { return m_hasDate || m_hasTime; }
    QByteArray firstTimestamp() const { return formatStamp(m_firstDate, m_firstTime); } // as printed; empty if none
    QByteArray lastTimestamp() const { return formatStamp(m_lastDate, m_lastTime); }
    // Mean of the numeric values of column `name` for `gpu`; nullopt when there were none.
    std::optional<double> mean(int gpu, QByteArrayView name) const;
    // Every value column ever seen, in first-seen order.
    const QByteArrayList& allValueNames() const { return m_allValueNames; }

private:
    enum class LineEnds : quint8 { Unknown, Newline, CarriageReturnOnly };
    void feedNewlineEnded(QByteArrayView bytes);
    void feedBytes(QByteArrayView bytes);
    void line(const char* b, const char* e, qint64 lineNumber);
    void header(const char* b, const char* e);
    bool dataRow(const char* b, const char* e);
    const char* simpleRow(const char* p, const char* bufEnd, int& date, int& timeOfDay, int& gpu);
    const char* simdRow(const char* p, const char* bufEnd, int& date, int& timeOfDay, int& gpu);
    bool commitRow(int date, int timeOfDay, int gpu, const float* values, int valueCount);
    void carriedLine();
    QByteArray formatStamp(int date, int time) const;

    QByteArray m_carry; // a partial last line, until its '\n' arrives
    LineEnds m_lineEnds = LineEnds::Unknown;
    qint64 m_lineNumber = 0;
    DmonSink* m_sink = nullptr;

    // Current column map.
    QByteArrayList m_columnNames;
    std::vector<ColumnKind> m_kinds;
    std::vector<int> m_slotOfValue; // value index -> summary slot (index into m_allValueNames)
    QByteArrayList m_valueNames;
    std::vector<float> m_values;
    bool m_hasDate = false;
    bool m_hasTime = false;
    bool m_simpleLayout = false;
    bool m_vectorKernel = DmonRowKernel::supported();
    qint64 m_vectorKernelRows = 0;
    alignas(32) float m_tokenValues[DmonRowKernel::MaxTokens];

    // Summary.
    QByteArrayList m_allValueNames;
    struct GpuSums
    {
        std::vector<double> sum;
        std::vector<qint64> count;
        bool seen = false;
    };
    std::vector<GpuSums> m_sums; // indexed by GPU
    qint64 m_rows = 0;
    qint64 m_headerLines = 0;
    ParseIssues m_issues;
    int m_firstDate = -1, m_firstTime = -1, m_lastDate = -1, m_lastTime = -1;

    // Time reconstruction.
    qint64 m_dayOffsetMs = 0;
    int m_cachedDate = -1;
    qint64 m_cachedDayMs = 0;
    int m_prevTimeOfDay = -1;
    int m_prevGpu = std::numeric_limits<int>::max();
    qint64 m_sample = -1;
};

} // namespace TuneDeck::Telemetry
