#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>

namespace TuneDeck::Telemetry {

// Splits a byte stream into lines however it is chunked (STYLE.md item 9): complete lines are handed out
// straight from the caller's chunk without copying; only a partial last line is kept until the rest arrives.
// Lines are given without the '\n'; a '\r' before it is removed. With splitOnCarriageReturn a bare '\r' also
// ends a line, which is how tqdm's in-place updates reach a Slurm output file.
class LineSplitter
{
public:
    explicit LineSplitter(bool splitOnCarriageReturn = false)
        : m_splitOnCr(splitOnCarriageReturn)
    { }

    // onLine(QByteArrayView line, qint64 lineNumber), line numbers 1-based.
    template<class F> void feed(QByteArrayView chunk, F&& onLine)
    {
        const char* p = chunk.data();
        const char* const end = p + chunk.size();
        if (p == end)
            return;
        if (m_pendingCr) {
            // "\r\n" split across chunks: the '\r' already ended the line.
            m_pendingCr = false;
            if (*p == '\n' && ++p == end)
                return;
        }
        if (!m_carry.isEmpty()) {
            const char* nl = findEnd(p, end);
            if (!nl) {
                m_carry.append(p, end - p);
                return;
            }
            m_carry.append(p, nl - p);
            emitLine(QByteArrayView(m_carry), onLine);
            m_carry.clear();
            p = advance(nl, end);
        }
        while (p < end) {
            const char* nl = findEnd(p, end);
            if (!nl) {
                m_carry.append(p, end - p);
                return;
            }
            emitLine(QByteArrayView(p, nl - p), onLine);
            p = advance(nl, end);
        }
    }

    // A last line without a final newline.
    template<class F> void finish(F&& onLine)
    {
        if (!m_carry.isEmpty())
            emitLine(QByteArrayView(m_carry), onLine);
        m_carry.clear();
        m_pendingCr = false;
    }

    qint64 linesSeen() const { return m_lineNumber; }
    qsizetype pendingBytes() const { return m_carry.size(); }

private:
    const char* findEnd(const char* p, const char* end) const
    {
        if (!m_splitOnCr)
            return static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
        for (; p < end; ++p) {
            if (*p == '\n' || *p == '\r')
                return p;
        }
        return nullptr;
    }

    // Steps over the terminator; for "\r\n" in CR mode both bytes, remembering a '\r' at the chunk end.
    const char* advance(const char* nl, const char* end)
    {
        if (m_splitOnCr && *nl == '\r') {
            if (nl + 1 < end) {
                return nl[1] == '\n' ? nl + 2 : nl + 1;
            }
            m_pendingCr = true;
        }
        return nl + 1;
    }

    template<class F> void emitLine(QByteArrayView line, F& onLine)
    {
        if (!line.isEmpty() && line.back() == '\r')
            line.chop(1);
        onLine(line, ++m_lineNumber);
    }

    QByteArray m_carry;
    qint64 m_lineNumber = 0;
    bool m_splitOnCr = false;
    bool m_pendingCr = false;
};

} // namespace TuneDeck::Telemetry
