#include "core/telemetry/dmonreader.h"

#include "core/telemetry/wallclock.h"

#include <cmath>

namespace TuneDeck::Telemetry {

namespace {

inline bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

inline bool isDigit(char c)
{
    return unsigned(c - '0') < 10u;
}

// Largest GPU index accepted; anything above is a garbled row rather than a real device.
constexpr int MaxGpuIndex = 1023;
// A backwards step in an -o T log larger than this is midnight, not a clock adjustment (DST is one hour).
constexpr int RolloverThresholdSeconds = 3 * 3600;

} // namespace

DmonReader::DmonReader()
    : m_splitter(false)
{ }

void DmonReader::feed(QByteArrayView bytes)
{
    m_splitter.feed(bytes, [this](QByteArrayView l, qint64 n) { line(l.data(), l.data() + l.size(), n); });
}

void DmonReader::finish()
{
    m_splitter.finish([this](QByteArrayView l, qint64 n) { line(l.data(), l.data() + l.size(), n); });
}

void DmonReader::line(const char* b, const char* e, qint64 lineNumber)
{
    const char* p = b;
    while (p < e && isSpace(*p))
        ++p;
    if (p == e)
        return; // blank lines separate rows in some logs; they are not "skipped"
    if (*p == '#') {
        ++m_headerLines;
        header(p + 1, e);
        return;
    }
    if (m_kinds.empty()) {
        m_issues.add(lineNumber, QByteArrayView(b, e - b), "data before the first header");
        return;
    }
    if (!dataRow(p, e))
        m_issues.add(lineNumber, QByteArrayView(b, e - b), "not a data row for the current header");
}

void DmonReader::header(const char* b, const char* e)
{
    QByteArrayList tokens;
    const char* p = b;
    while (p < e) {
        while (p < e && isSpace(*p))
            ++p;
        const char* s = p;
        while (p < e && !isSpace(*p))
            ++p;
        if (p > s)
            tokens.append(QByteArray(s, p - s).toLower());
    }
    // The second line of the pair holds units ("# Idx W C ..." or "#YYYYMMDD HH:MM:SS Idx ..."): nothing to map.
    if (!tokens.contains("gpu") || tokens == m_columnNames)
        return;

    m_columnNames = tokens;
    m_kinds.clear();
    m_valueNames.clear();
    m_slotOfValue.clear();
    m_hasDate = m_hasTime = false;
    for (const QByteArray& name : std::as_const(tokens)) {
        if (name == "date") {
            m_kinds.push_back(ColumnKind::Date);
            m_hasDate = true;
        } else if (name == "time") {
            m_kinds.push_back(ColumnKind::Time);
            m_hasTime = true;
        } else if (name == "gpu") {
            m_kinds.push_back(ColumnKind::Gpu);
        } else {
            m_kinds.push_back(ColumnKind::Value);
            m_valueNames.append(name);
            qsizetype slot = m_allValueNames.indexOf(name);
            if (slot < 0) {
                slot = m_allValueNames.size();
                m_allValueNames.append(name);
            }
            m_slotOfValue.push_back(int(slot));
        }
    }
    m_values.assign(size_t(m_valueNames.size()), 0.0f);
    if (m_sink)
        m_sink->dmonColumns(m_valueNames);
}

bool DmonReader::dataRow(const char* p, const char* e)
{
    const size_t columns = m_kinds.size();
    size_t col = 0;
    int vi = 0;
    int date = -1;
    int timeOfDay = -1;
    int gpu = -1;
    float* const values = m_values.data();

    for (;;) {
        while (p < e && isSpace(*p))
            ++p;
        if (p >= e)
            break;
        if (*p == '^') {
            // ^C echoed into the log by an interactive stop: drop the token, keep the row.
            while (p < e && !isSpace(*p))
                ++p;
            continue;
        }
        if (col >= columns)
            return false;
        switch (m_kinds[col]) {
        case ColumnKind::Value: {
            if (isDigit(*p)) {
                quint32 v = 0;
                do {
                    v = v * 10 + quint32(*p - '0');
                    ++p;
                } while (p < e && isDigit(*p));
                float f = float(v);
                if (p < e && *p == '.') {
                    ++p;
                    float scale = 0.1f;
                    while (p < e && isDigit(*p)) {
                        f += float(*p - '0') * scale;
                        scale *= 0.1f;
                        ++p;
                    }
                }
                values[vi++] = f;
            } else if (*p == '-') {
                ++p;
                values[vi++] = std::nanf("");
            } else if (e - p >= 3 && p[0] == 'N' && p[1] == '/' && p[2] == 'A') {
                p += 3;
                values[vi++] = std::nanf("");
            } else {
                return false;
            }
            break;
        }
        case ColumnKind::Gpu: {
            if (!isDigit(*p))
                return false;
            int v = 0;
            do {
                v = v * 10 + (*p - '0');
                ++p;
            } while (p < e && isDigit(*p) && v <= MaxGpuIndex);
            if (v > MaxGpuIndex)
                return false;
            gpu = v;
            break;
        }
        case ColumnKind::Date: {
            if (e - p < 8)
                return false;
            int v = 0;
            for (int i = 0; i < 8; ++i) {
                if (!isDigit(p[i]))
                    return false;
                v = v * 10 + (p[i] - '0');
            }
            p += 8;
            date = v;
            break;
        }
        case ColumnKind::Time: {
            // HH:MM:SS
            if (e - p < 8 || !isDigit(p[0]) || !isDigit(p[1]) || p[2] != ':' || !isDigit(p[3]) || !isDigit(p[4])
                || p[5] != ':' || !isDigit(p[6]) || !isDigit(p[7]))
                return false;
            timeOfDay = ((p[0] - '0') * 10 + (p[1] - '0')) * 3600 + ((p[3] - '0') * 10 + (p[4] - '0')) * 60
                + (p[6] - '0') * 10 + (p[7] - '0');
            p += 8;
            break;
        }
        }
        if (p < e && !isSpace(*p))
            return false;
        ++col;
    }
    if (col != columns || gpu < 0)
        return false;

    // Time axis.
    qint64 timeMs = WallClock::Missing;
    if (date >= 0) {
        const int y = date / 10000, m = (date / 100) % 100, d = date % 100;
        if (m < 1 || m > 12 || d < 1 || d > 31)
            return false;
        timeMs = WallClock::daysFromCivil(y, unsigned(m), unsigned(d)) * 86400000;
        if (timeOfDay >= 0)
            timeMs += qint64(timeOfDay) * 1000;
    } else if (timeOfDay >= 0) {
        if (m_prevTimeOfDay >= 0 && timeOfDay + RolloverThresholdSeconds < m_prevTimeOfDay)
            m_dayOffsetMs += 86400000;
        timeMs = m_dayOffsetMs + qint64(timeOfDay) * 1000;
    }
    if (timeOfDay >= 0)
        m_prevTimeOfDay = timeOfDay;
    if (gpu <= m_prevGpu)
        ++m_sample;
    m_prevGpu = gpu;

    // Summary.
    if (m_firstDate < 0 && m_firstTime < 0 && m_rows == 0) {
        m_firstDate = date;
        m_firstTime = timeOfDay;
    }
    m_lastDate = date;
    m_lastTime = timeOfDay;
    ++m_rows;
    if (size_t(gpu) >= m_sums.size())
        m_sums.resize(size_t(gpu) + 1);
    GpuSums& sums = m_sums[size_t(gpu)];
    sums.seen = true;
    if (sums.sum.size() < size_t(m_allValueNames.size())) {
        sums.sum.resize(size_t(m_allValueNames.size()), 0.0);
        sums.count.resize(size_t(m_allValueNames.size()), 0);
    }
    const int* slots = m_slotOfValue.data();
    for (int i = 0; i < vi; ++i) {
        const float v = values[i];
        if (v == v) { // not NaN
            sums.sum[size_t(slots[i])] += v;
            ++sums.count[size_t(slots[i])];
        }
    }
    if (m_sink)
        m_sink->dmonRow(gpu, timeMs, m_sample, values, vi);
    return true;
}

QList<int> DmonReader::gpus() const
{
    QList<int> result;
    for (size_t i = 0; i < m_sums.size(); ++i) {
        if (m_sums[i].seen)
            result.append(int(i));
    }
    return result;
}

std::optional<double> DmonReader::mean(int gpu, QByteArrayView name) const
{
    const qsizetype slot = m_allValueNames.indexOf(name);
    if (gpu < 0 || size_t(gpu) >= m_sums.size() || slot < 0)
        return std::nullopt;
    const GpuSums& sums = m_sums[size_t(gpu)];
    if (size_t(slot) >= sums.count.size() || sums.count[size_t(slot)] == 0)
        return std::nullopt;
    return sums.sum[size_t(slot)] / double(sums.count[size_t(slot)]);
}

QByteArray DmonReader::formatStamp(int date, int time) const
{
    QByteArray out;
    if (date >= 0)
        out = QByteArray::number(date);
    if (time >= 0) {
        if (!out.isEmpty())
            out += ' ';
        char buf[16];
        std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", time / 3600, (time / 60) % 60, time % 60);
        out += buf;
    }
    return out;
}

} // namespace TuneDeck::Telemetry
