#include "core/telemetry/dmonreader.h"

#include "core/telemetry/wallclock.h"

#include <QtEndian>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cmath>
#include <cstring>
#include <utility>

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

// Skips blanks eight bytes at a time: in dmon's padded columns most bytes are spaces. A word XOR 0x20 in
// every byte is zero exactly where the bytes are spaces, so the lowest set bit marks the first other byte
// (little-endian load). Tabs and '\r' are rare and handled by the byte loop.
inline const char* skipBlanks(const char* p, const char* e)
{
    while (e - p >= 8) {
        quint64 w;
        std::memcpy(&w, p, 8);
        const quint64 x = qFromLittleEndian(w) ^ 0x2020202020202020ULL;
        if (x != 0) {
            p += qCountTrailingZeroBits(x) >> 3;
            break;
        }
        p += 8;
    }
    while (p < e && isSpace(*p))
        ++p;
    return p;
}

using DmonRowKernel::MaxGpuIndex;
// A backwards step in an -o T log larger than this is midnight, not a clock adjustment (DST is one hour).
constexpr int RolloverThresholdSeconds = 3 * 3600;

// Length of the run of ASCII digits at the start of an 8-byte little-endian word (0-8), without branches:
// a byte is a digit when its high nibble and that of byte+6 are both 3 (0x30-0x39).
inline int digitRun(quint64 w)
{
    const quint64 t = (w & 0xF0F0F0F0F0F0F0F0ULL) | (((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4);
    const quint64 other = t ^ 0x3333333333333333ULL;
    return other == 0 ? 8 : int(qCountTrailingZeroBits(other) >> 3);
}

// The value of the first n (1-8) digits of w (simdjson's eight-digit SWAR conversion, left-aligned so
// the missing positions read as leading zeros).
inline quint32 digitsValue(quint64 w, int n)
{
    quint64 v = (w - 0x3030303030303030ULL) << (8 * (8 - n));
    v = (v * 10 + (v >> 8)) & 0x00FF00FF00FF00FFULL;
    v = (v * 100 + (v >> 16)) & 0x0000FFFF0000FFFFULL;
    v = (v * 10000 + (v >> 32)) & 0xFFFFFFFFULL;
    return quint32(v);
}

} // namespace

DmonReader::DmonReader() = default;

void DmonReader::feed(QByteArrayView bytes)
{
    feedBytes(bytes);
    if (m_sink)
        m_sink->dmonFlush();
}

void DmonReader::feedBytes(QByteArrayView bytes)
{
    if (m_lineEnds == LineEnds::Unknown && !bytes.isEmpty()) {
        // Decided at the first line end: '\n' (or "\r\n") as nvidia-smi writes, or a bare '\r'. Until then
        // nothing has been parsed: every byte so far sits in the carry, so it can still be translated.
        if (!m_carry.isEmpty() && m_carry.back() == '\r') {
            m_lineEnds = bytes[0] == '\n' ? LineEnds::Newline : LineEnds::CarriageReturnOnly;
        } else {
            for (qsizetype i = 0; i < bytes.size(); ++i) {
                if (bytes[i] == '\n') {
                    m_lineEnds = LineEnds::Newline;
                    break;
                }
                if (bytes[i] == '\r' && i + 1 < bytes.size()) {
                    m_lineEnds = bytes[i + 1] == '\n' ? LineEnds::Newline : LineEnds::CarriageReturnOnly;
                    break;
                }
            }
        }
    }
    if (m_lineEnds != LineEnds::CarriageReturnOnly) {
        feedNewlineEnded(bytes);
        return;
    }
    // Rare: translated to '\n' in a copy (with what was carried) so the fast paths stay as they are.
    QByteArray translated = std::exchange(m_carry, QByteArray()) + bytes.toByteArray();
    translated.replace('\r', '\n');
    feedNewlineEnded(translated);
}

void DmonReader::feedNewlineEnded(QByteArrayView bytes)
{
    const char* p = bytes.data();
    const char* const end = p + bytes.size();
    if (p == end)
        return;
    if (!m_carry.isEmpty()) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
        if (!nl) {
            m_carry.append(p, end - p);
            return;
        }
        m_carry.append(p, nl - p);
        carriedLine();
        p = nl + 1;
    }
    // Every line up to the last newline is complete and is parsed where it lies, without copying.
    const char* lastNl = static_cast<const char*>(memrchr(p, '\n', size_t(end - p)));
    if (!lastNl) {
        m_carry.append(p, end - p);
        return;
    }
    const char* const blockEnd = lastNl + 1;
    while (p < blockEnd) {
        if (m_simpleLayout) {
            // Most rows: tokens are scanned up to the '\n' directly, no separate search for the line end.
            int date = -1, timeOfDay = -1, gpu = -1;
            const float* values = m_values.data();
            const char* next = nullptr;
            DmonRowKernel::Row row;
            const int tokens = int(m_kinds.size());
            if (m_vectorKernel && blockEnd - p >= DmonRowKernel::ReadBytes
                && DmonRowKernel::parse(p, tokens, m_hasDate, m_hasTime, m_tokenValues, row)) {
                next = p + row.length;
                date = row.date;
                timeOfDay = row.timeOfDay;
                gpu = row.gpu;
                values = m_tokenValues + (tokens - int(m_values.size()));
                ++m_vectorKernelRows;
            }
#if defined(__SSE2__)
            if (!next)
                next = simdRow(p, blockEnd, date, timeOfDay, gpu);
#endif
            if (!next) {
                date = timeOfDay = gpu = -1;
                next = simpleRow(p, blockEnd, date, timeOfDay, gpu);
            }
            if (next) {
                ++m_lineNumber;
                if (commitRow(date, timeOfDay, gpu, values, int(m_values.size()))) {
                    p = next;
                    continue;
                }
                --m_lineNumber;
            }
        }
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(blockEnd - p)));
        const char* e = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
        line(p, e, ++m_lineNumber);
        p = nl + 1;
    }
    m_carry = QByteArray(blockEnd, end - blockEnd);
}

void DmonReader::carriedLine()
{
    qsizetype n = m_carry.size();
    if (n > 0 && m_carry[n - 1] == '\r')
        --n;
    line(m_carry.constData(), m_carry.constData() + n, ++m_lineNumber);
    m_carry.clear();
}

void DmonReader::finish()
{
    if (!m_carry.isEmpty())
        carriedLine();
    if (m_sink)
        m_sink->dmonFlush();
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
    // The usual layout, [date] [time] gpu value..., gets a parser without per-column dispatch.
    size_t lead = (m_hasDate ? 1 : 0) + (m_hasTime ? 1 : 0);
    m_simpleLayout = m_kinds.size() > lead && m_kinds[lead] == ColumnKind::Gpu
        && (!m_hasDate || m_kinds[0] == ColumnKind::Date) && (!m_hasTime || m_kinds[lead - 1] == ColumnKind::Time)
        && size_t(m_valueNames.size()) == m_kinds.size() - lead - 1;
    if (m_sink)
        m_sink->dmonColumns(m_valueNames);
}

#if defined(__SSE2__)
namespace {

// Bits set where 64 bytes at p are a blank (' ') and where they are a newline; every lane is loaded once.
inline void byteMasks64(const char* p, quint64& blanks, quint64& newlines)
{
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i newline = _mm_set1_epi8('\n');
    blanks = newlines = 0;
    for (int i = 0; i < 4; ++i) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
        blanks |= quint64(quint32(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)))) << (16 * i);
        newlines |= quint64(quint32(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)))) << (16 * i);
    }
}

} // namespace

// The whole row at once: SSE2 compares give bit masks of blanks and the newline for 128 bytes, token
// starts fall out of the masks, and every token is then converted independently of the others (no chain
// of "skip blanks, parse, skip blanks" through the row), which lets the CPU overlap them. Rows longer than
// 128 bytes, tabs, '\r', "N/A", decimals or debris return nullptr and take the byte-wise paths.
const char* DmonReader::simdRow(const char* p, const char* bufEnd, int& date, int& timeOfDay, int& gpu)
{
    if (bufEnd - p < 144)
        return nullptr;
    quint64 blankLo, nlLo, blankHi, nlHi;
    byteMasks64(p, blankLo, nlLo);
    int rowLength;
    if (nlLo) {
        rowLength = int(qCountTrailingZeroBits(nlLo));
        blankHi = ~quint64(0);
        nlHi = 0;
    } else {
        byteMasks64(p + 64, blankHi, nlHi);
        if (!nlHi)
            return nullptr;
        rowLength = 64 + int(qCountTrailingZeroBits(nlHi));
    }
    // Everything from the newline on counts as separator.
    __extension__ typedef unsigned __int128 u128; // GCC and Clang; the SSE2 path is x86-64 only
    const u128 sep = (((u128(blankHi | nlHi) << 64) | u128(blankLo | nlLo)) | (~u128(0) << rowLength));
    u128 starts = ~sep & ((sep << 1) | 1);
    // A token ends at a blank or at the newline; reading the byte is cheaper than shifting the 128-bit mask.
    const auto isSep = [p](int i) { return p[i] == ' ' || p[i] == '\n'; };
    const auto next = [&starts]() {
        const quint64 lo = quint64(starts);
        const int at = lo ? int(qCountTrailingZeroBits(lo)) : 64 + int(qCountTrailingZeroBits(quint64(starts >> 64)));
        starts &= starts - 1;
        return at;
    };
    const auto word = [p](int at) {
        quint64 w;
        std::memcpy(&w, p + at, 8);
        return qFromLittleEndian(w);
    };

    bool ok = true;
    if (m_hasDate) {
        if (!starts)
            return nullptr;
        const int at = next();
        const quint64 w = word(at);
        ok = digitRun(w) == 8 && isSep(at + 8);
        date = int(digitsValue(w, 8));
    }
    if (m_hasTime) {
        if (!starts)
            return nullptr;
        const int at = next();
        const char* t = p + at;
        ok = ok && isDigit(t[0]) && isDigit(t[1]) && t[2] == ':' && isDigit(t[3]) && isDigit(t[4]) && t[5] == ':'
            && isDigit(t[6]) && isDigit(t[7]) && isSep(at + 8);
        timeOfDay = ((t[0] - '0') * 10 + (t[1] - '0')) * 3600 + ((t[3] - '0') * 10 + (t[4] - '0')) * 60
            + (t[6] - '0') * 10 + (t[7] - '0');
    }
    if (!starts)
        return nullptr;
    {
        const int at = next();
        const quint64 w = word(at);
        const int n = digitRun(w);
        ok = ok && n > 0 && n < 5 && isSep(at + n);
        gpu = int(digitsValue(w, n + (n == 0)));
    }
    float* values = m_values.data();
    const size_t count = m_values.size();
    size_t k = 0;
    for (; starts && k < count; ++k) {
        const int at = next();
        const quint64 w = word(at);
        if (p[at] == '-' && isSep(at + 1)) {
            values[k] = std::nanf("");
            continue;
        }
        const int n = digitRun(w);
        ok = ok && n > 0 && isSep(at + n);
        values[k] = float(digitsValue(w, n + (n == 0)));
    }
    if (!ok || starts || k != count || gpu > MaxGpuIndex)
        return nullptr;
    return p + rowLength + 1;
}
#endif

const char* DmonReader::simpleRow(const char* p, const char* bufEnd, int& date, int& timeOfDay, int& gpu)
{
    // Scans one row that ends with '\n' somewhere before bufEnd; 8-byte loads stay inside [p, bufEnd).
    const auto endsToken = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    const auto parseWord = [&p, bufEnd, &endsToken](quint32& out) {
        if (bufEnd - p >= 9) {
            quint64 w;
            std::memcpy(&w, p, 8);
            w = qFromLittleEndian(w);
            const int n = digitRun(w);
            if (n == 0 || !endsToken(p[n]))
                return false;
            out = digitsValue(w, n);
            p += n;
            return true;
        }
        if (!isDigit(*p))
            return false;
        quint32 v = 0;
        int n = 0;
        do {
            v = v * 10 + quint32(*p - '0');
            ++p;
        } while (p < bufEnd && isDigit(*p) && ++n < 9);
        out = v;
        return p < bufEnd && endsToken(*p);
    };
    quint32 v = 0;
    if (m_hasDate) {
        p = skipBlanks(p, bufEnd);
        const char* start = p;
        if (!parseWord(v) || p - start != 8)
            return nullptr;
        date = int(v);
    }
    if (m_hasTime) {
        p = skipBlanks(p, bufEnd);
        if (bufEnd - p < 9 || !isDigit(p[0]) || !isDigit(p[1]) || p[2] != ':' || !isDigit(p[3]) || !isDigit(p[4])
            || p[5] != ':' || !isDigit(p[6]) || !isDigit(p[7]) || !endsToken(p[8]))
            return nullptr;
        timeOfDay = ((p[0] - '0') * 10 + (p[1] - '0')) * 3600 + ((p[3] - '0') * 10 + (p[4] - '0')) * 60
            + (p[6] - '0') * 10 + (p[7] - '0');
        p += 8;
    }
    p = skipBlanks(p, bufEnd);
    if (!parseWord(v) || v > quint32(MaxGpuIndex))
        return nullptr;
    gpu = int(v);
    float* values = m_values.data();
    const size_t count = m_values.size();
    for (size_t i = 0; i < count; ++i) {
        p = skipBlanks(p, bufEnd);
        if (*p == '-' && endsToken(p[1])) {
            values[i] = std::nanf("");
            ++p;
            continue;
        }
        if (!parseWord(v))
            return nullptr; // "N/A", decimals, ^C debris, a short row: the general path decides
        values[i] = float(v);
    }
    p = skipBlanks(p, bufEnd);
    return *p == '\n' ? p + 1 : nullptr;
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
        p = skipBlanks(p, e);
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
    return commitRow(date, timeOfDay, gpu, values, vi);
}

bool DmonReader::commitRow(int date, int timeOfDay, int gpu, const float* values, int vi)
{
    // Time axis.
    qint64 timeMs = WallClock::Missing;
    if (date >= 0) {
        // Every GPU of every sample of a day repeats the date: convert it once.
        if (date != m_cachedDate) {
            const int y = date / 10000, m = (date / 100) % 100, d = date % 100;
            if (m < 1 || m > 12 || d < 1 || d > 31)
                return false;
            m_cachedDate = date;
            m_cachedDayMs = WallClock::daysFromCivil(y, unsigned(m), unsigned(d)) * 86400000;
        }
        timeMs = m_cachedDayMs;
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
    double* sum = sums.sum.data();
    qint64* count = sums.count.data();
    for (int i = 0; i < vi; ++i) {
        const float v = values[i];
        const bool present = v == v; // NaN is "-" or "N/A"
        sum[slots[i]] += present ? double(v) : 0.0;
        count[slots[i]] += present;
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
