#include "core/slurm/slurmtext.h"

#include <QList>

namespace TuneDeck::Slurm {

namespace {

std::optional<qint64> parseUnsigned(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 12)
        return std::nullopt;
    qint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

bool isSentinel(QByteArrayView text)
{
    const QByteArrayView t = text.trimmed();
    return t.isEmpty() || t == "N/A" || t == "Unknown" || t == "None" || t == "(null)" || t == "INVALID" || t == "n/a";
}

std::optional<qint64> parseDurationSeconds(QByteArrayView text)
{
    QByteArrayView t = text.trimmed();
    if (isSentinel(t) || t == "UNLIMITED" || t == "INFINITE")
        return std::nullopt;
    qint64 days = 0;
    if (const qsizetype dash = t.indexOf('-'); dash >= 0) {
        const auto d = parseUnsigned(t.first(dash));
        if (!d)
            return std::nullopt;
        days = *d;
        t = t.sliced(dash + 1);
        // "D-HH" has hours only (sbatch(1): "days-hours").
        if (t.indexOf(':') < 0) {
            const auto h = parseUnsigned(t);
            if (!h)
                return std::nullopt;
            return days * 86400 + *h * 3600;
        }
    }
    // TotalCPU prints fractions ("00:00.004"); keep whole seconds.
    if (const qsizetype dot = t.indexOf('.'); dot >= 0) {
        if (!parseUnsigned(t.sliced(dot + 1)))
            return std::nullopt;
        t = t.first(dot);
    }
    qint64 parts[3] = { 0, 0, 0 };
    int count = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= t.size(); ++i) {
        if (i == t.size() || t[i] == ':') {
            if (count == 3)
                return std::nullopt;
            const auto v = parseUnsigned(t.sliced(start, i - start));
            if (!v)
                return std::nullopt;
            parts[count++] = *v;
            start = i + 1;
        }
    }
    qint64 seconds = 0;
    if (count == 1)
        seconds = parts[0] * 60; // squeue/sbatch: a bare number is minutes
    else if (count == 2)
        seconds = parts[0] * 60 + parts[1];
    else
        seconds = parts[0] * 3600 + parts[1] * 60 + parts[2];
    return days * 86400 + seconds;
}

std::optional<int> gpuCountFromTres(QByteArrayView tres)
{
    if (isSentinel(tres))
        return std::nullopt;
    std::optional<int> untyped;
    int typedSum = 0;
    bool anyTyped = false;
    for (QByteArrayView item : QByteArrayView(tres.trimmed()).toByteArray().split(',')) {
        item = item.trimmed();
        const qsizetype eq = item.indexOf('=');
        if (eq < 0)
            continue;
        const QByteArrayView key = item.first(eq);
        const QByteArrayView value = item.sliced(eq + 1);
        if (key != "gres/gpu" && !key.startsWith("gres/gpu:"))
            continue;
        // "gres/gpumem" and "gres/gpuutil" (TRESUsageInMax) are not GPU counts; the prefix check above
        // already excludes them because they lack the '=' or ':' right after "gpu".
        const auto n = parseUnsigned(value);
        if (!n)
            continue;
        if (key == "gres/gpu")
            untyped = int(*n);
        else {
            anyTyped = true;
            typedSum += int(*n);
        }
    }
    if (untyped)
        return untyped;
    if (anyTyped)
        return typedSum;
    return 0;
}

std::optional<ExitStatus> parseExitStatus(QByteArrayView text)
{
    const QByteArrayView t = text.trimmed();
    const qsizetype colon = t.indexOf(':');
    if (colon < 0)
        return std::nullopt;
    const auto code = parseUnsigned(t.first(colon));
    const auto signal = parseUnsigned(t.sliced(colon + 1));
    if (!code || !signal)
        return std::nullopt;
    return ExitStatus { int(*code), int(*signal) };
}

} // namespace TuneDeck::Slurm
