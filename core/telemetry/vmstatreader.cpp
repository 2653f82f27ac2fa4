#include "core/telemetry/vmstatreader.h"

#include "core/telemetry/wallclock.h"

#include <cmath>

namespace TuneDeck::Telemetry {

namespace {

const QByteArrayList& standardColumns()
{
    static const QByteArrayList names { "r", "b", "swpd", "free", "buff", "cache", "si", "so", "bi", "bo", "in", "cs",
        "us", "sy", "id", "wa", "st", "gu" };
    return names;
}

QList<QByteArrayView> tokens(QByteArrayView line)
{
    QList<QByteArrayView> out;
    const char* p = line.data();
    const char* e = p + line.size();
    while (p < e) {
        while (p < e && (*p == ' ' || *p == '\t'))
            ++p;
        const char* s = p;
        while (p < e && *p != ' ' && *p != '\t')
            ++p;
        if (p > s)
            out.append(QByteArrayView(s, p - s));
    }
    return out;
}

std::optional<float> number(QByteArrayView t)
{
    bool ok = false;
    const double v = t.toByteArray().toDouble(&ok);
    return ok ? std::optional<float>(float(v)) : std::nullopt;
}

// "2023-01-24" + "10:27:12"
qint64 parseStamp(QByteArrayView date, QByteArrayView time)
{
    if (date.size() != 10 || time.size() != 8 || date[4] != '-' || date[7] != '-' || time[2] != ':' || time[5] != ':')
        return WallClock::Missing;
    const auto num = [](QByteArrayView v) {
        int n = 0;
        for (char c : v) {
            if (c < '0' || c > '9')
                return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    };
    const int y = num(date.first(4)), mo = num(date.sliced(5, 2)), d = num(date.sliced(8, 2));
    const int h = num(time.first(2)), mi = num(time.sliced(3, 2)), s = num(time.sliced(6, 2));
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || mi < 0 || s < 0)
        return WallClock::Missing;
    return WallClock::toMs(y, mo, d, h, mi, s);
}

} // namespace

VmstatReader::VmstatReader()
    : m_splitter(false)
{ }

void VmstatReader::feed(QByteArrayView bytes)
{
    m_splitter.feed(bytes, [this](QByteArrayView l, qint64 n) { line(l, n); });
}

void VmstatReader::finish()
{
    m_splitter.finish([this](QByteArrayView l, qint64 n) { line(l, n); });
}

void VmstatReader::setColumns(const QByteArrayList& names)
{
    if (names == m_names)
        return;
    m_names = names;
    m_values.assign(size_t(names.size()), 0.0f);
    m_sums.assign(size_t(names.size()), 0.0);
    m_bootSums.assign(size_t(names.size()), 0.0);
    m_meanRows = 0;
    m_bootRowsForColumns = 0;
    if (m_sink)
        m_sink->vmstatColumns(names);
}

void VmstatReader::line(QByteArrayView text, qint64 lineNumber)
{
    const QList<QByteArrayView> t = tokens(text);
    if (t.isEmpty())
        return;

    // Banner: "procs -----------memory---------- ... -----timestamp-----" (3.x) or "--procs-- ..." (4.x -w).
    if (t.first().startsWith("procs") || t.first().startsWith("--procs")) {
        m_hasTimestamp = text.contains("timestamp");
        return;
    }
    // Column header: " r  b   swpd   free ..." with the zone abbreviation last under -t.
    if (t.first() == "r" && t.size() > 1 && t[1] == "b") {
        QByteArrayList names;
        m_timeZone.clear();
        for (QByteArrayView v : t) {
            if (standardColumns().contains(v) || (v.size() <= 5 && v == v.toByteArray().toLower()))
                names.append(v.toByteArray());
            else
                m_timeZone = v.toByteArray(); // upper-case abbreviation: "UTC", "CEST"
        }
        m_hasTimestamp = m_hasTimestamp || !m_timeZone.isEmpty();
        setColumns(names);
        m_explicitHeader = true;
        if (m_rowsSinceHeader != 0 && m_rowsSinceHeader != RedirectedHeaderPeriod)
            m_nextIsSinceBoot = true;
        m_rowsSinceHeader = 0;
        return;
    }

    // Data row. Without any header, the layout follows from the field count (16/17/18, +2 with -t).
    const bool stampLike = t.size() >= 2 && t[t.size() - 2].size() == 10 && t[t.size() - 2][4] == '-';
    if (!m_explicitHeader) {
        const qsizetype n = t.size() - (stampLike ? 2 : 0);
        if (n >= 16 && n <= 18) {
            m_hasTimestamp = stampLike;
            setColumns(standardColumns().first(n));
        }
    }
    const qsizetype expected = m_names.size() + (m_hasTimestamp ? 2 : 0);
    if (m_names.isEmpty() || t.size() != expected) {
        m_issues.add(lineNumber, text, "not a vmstat row");
        return;
    }
    for (qsizetype i = 0; i < m_names.size(); ++i) {
        const auto v = number(t[i]);
        if (!v) {
            m_issues.add(lineNumber, text, "non-numeric field");
            return;
        }
        m_values[size_t(i)] = *v;
    }
    const qint64 timeMs = m_hasTimestamp ? parseStamp(t[t.size() - 2], t[t.size() - 1]) : WallClock::Missing;
    const bool sinceBoot = m_nextIsSinceBoot;
    m_nextIsSinceBoot = false;
    ++m_rowsSinceHeader;
    if (sinceBoot) {
        ++m_sinceBootRows;
        ++m_bootRowsForColumns;
        for (size_t i = 0; i < m_values.size(); ++i)
            m_bootSums[i] += m_values[i];
    } else {
        for (size_t i = 0; i < m_values.size(); ++i)
            m_sums[i] += m_values[i];
        ++m_meanRows;
    }
    if (m_sink)
        m_sink->vmstatRow(timeMs, m_rows, m_values.data(), int(m_values.size()), sinceBoot);
    ++m_rows;
}

std::optional<double> VmstatReader::mean(QByteArrayView column) const
{
    const qsizetype i = m_names.indexOf(column);
    if (i < 0)
        return std::nullopt;
    if (m_meanRows > 0)
        return m_sums[size_t(i)] / double(m_meanRows);
    // A pasted one-shot `vmstat` has only the since-boot row: that is then the best figure there is.
    if (m_bootRowsForColumns > 0)
        return m_bootSums[size_t(i)] / double(m_bootRowsForColumns);
    return std::nullopt;
}

} // namespace TuneDeck::Telemetry
