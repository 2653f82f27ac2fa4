#pragma once

#include "core/telemetry/linesplitter.h"
#include "core/telemetry/parseissues.h"
#include "core/util/coreonly.h"

#include <QByteArrayList>

#include <optional>
#include <vector>

namespace TuneDeck::Telemetry {

class VmstatSink
{
public:
    virtual ~VmstatSink() = default;
    virtual void vmstatColumns(const QByteArrayList& names) = 0;
    // sinceBoot: the first row after vmstat starts averages since boot, not the interval; kept but flagged.
    virtual void vmstatRow(qint64 timeMs, qint64 index, const float* values, int count, bool sinceBoot) = 0;
};

// Incremental reader for `vmstat [-t] [-w] [-n] [-y] N` logs (FORMATS.md §2): procps 3.2 (16 columns),
// 3.3 (+st) and 4.0 (+gu); -t adds "YYYY-MM-DD HH:MM:SS" and a time-zone abbreviation under the banner;
// headers repeat; some logs have no header at all (columns then come from the count of fields).
//
// Since-boot rows: vmstat prints one as its first row unless -y is given, which the output does not reveal.
// The first row of the log is flagged, and so is the first row after a header that is not a periodic repeat:
// procps re-prints the header after every `height` rows, and with stdout redirected to a file (how a job
// script runs it) the height is 24 - 3 = 21 rows (procps vmstat.c), so a header after any other number of
// rows means vmstat was started again (cron-style wrappers).
class VmstatReader
{
public:
    static constexpr int RedirectedHeaderPeriod = 21;

    VmstatReader();
    void setSink(VmstatSink* sink) { m_sink = sink; }
    void feed(QByteArrayView bytes);
    void finish();

    const QByteArrayList& columns() const { return m_names; }
    QByteArray timeZone() const { return m_timeZone; } // "UTC", "CST", ...; empty without -t
    qint64 rows() const { return m_rows; }
    qint64 sinceBootRows() const { return m_sinceBootRows; }
    qint64 skipped() const { return m_issues.count(); }
    const ParseIssues& issues() const { return m_issues; }
    // Mean over the interval rows (since-boot rows excluded unless there is nothing else); nullopt for an
    // unknown column or no rows.
    std::optional<double> mean(QByteArrayView column) const;

private:
    void line(QByteArrayView text, qint64 lineNumber);
    void setColumns(const QByteArrayList& names);

    LineSplitter m_splitter;
    VmstatSink* m_sink = nullptr;
    QByteArrayList m_names;
    QByteArray m_timeZone;
    bool m_hasTimestamp = false;
    bool m_explicitHeader = false;
    std::vector<float> m_values;
    std::vector<double> m_sums;
    std::vector<double> m_bootSums;
    qint64 m_bootRowsForColumns = 0;
    qint64 m_rows = 0;
    qint64 m_meanRows = 0;
    qint64 m_sinceBootRows = 0;
    qint64 m_rowsSinceHeader = 0;
    bool m_nextIsSinceBoot = true;
    ParseIssues m_issues;
};

} // namespace TuneDeck::Telemetry
