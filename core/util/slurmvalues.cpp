#include "core/util/slurmvalues.h"

#include <QList>

namespace TuneDeck {
namespace {

std::optional<qint64> parseUnsigned(QStringView text)
{
    if (text.isEmpty() || text.size() > 9)
        return std::nullopt;
    qint64 value = 0;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

} // namespace

std::optional<qint64> parseSlurmDuration(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    qint64 days = 0;
    bool hasDays = false;
    if (const auto dash = text.indexOf(u'-'); dash >= 0) {
        const auto d = parseUnsigned(text.left(dash));
        if (!d)
            return std::nullopt;
        days = *d;
        hasDays = true;
        text = text.mid(dash + 1);
    }
    const QList<QStringView> parts = text.split(u':');
    if (parts.size() > 3)
        return std::nullopt;
    QList<qint64> numbers;
    for (QStringView part : parts) {
        const auto n = parseUnsigned(part);
        if (!n)
            return std::nullopt;
        numbers.append(*n);
    }
    qint64 seconds = 0;
    if (hasDays) {
        // days-hours[:minutes[:seconds]]
        const qint64 hours = numbers.value(0);
        const qint64 minutes = numbers.value(1);
        const qint64 secs = numbers.value(2);
        if (minutes >= 60 || secs >= 60)
            return std::nullopt;
        seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs;
    } else if (numbers.size() == 1) {
        seconds = numbers[0] * 60; // plain minutes
    } else if (numbers.size() == 2) {
        if (numbers[1] >= 60)
            return std::nullopt;
        seconds = numbers[0] * 60 + numbers[1]; // minutes:seconds
    } else {
        if (numbers[1] >= 60 || numbers[2] >= 60)
            return std::nullopt;
        seconds = (numbers[0] * 60 + numbers[1]) * 60 + numbers[2];
    }
    if (seconds <= 0)
        return std::nullopt;
    return seconds;
}

QString formatSlurmDuration(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const qint64 hours = (seconds / 3600) % 24;
    const qint64 minutes = (seconds / 60) % 60;
    const qint64 secs = seconds % 60;
    const auto two = [](qint64 v) { return QString::number(v).rightJustified(2, u'0'); };
    if (days > 0)
        return QString::number(days) + u'-' + two(hours) + u':' + two(minutes) + u':' + two(secs);
    return QString::number(hours) + u':' + two(minutes) + u':' + two(secs);
}

std::optional<qint64> parseSlurmMemoryMiB(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    qint64 factorKiB = 1024; // MiB expressed in KiB, so K rounds up cleanly
    const QChar last = text.back().toUpper();
    if (!last.isDigit()) {
        if (last == u'K')
            factorKiB = 1;
        else if (last == u'M')
            factorKiB = 1024;
        else if (last == u'G')
            factorKiB = 1024 * 1024;
        else if (last == u'T')
            factorKiB = qint64(1024) * 1024 * 1024;
        else
            return std::nullopt;
        text.chop(1);
    }
    const auto number = parseUnsigned(text);
    if (!number || *number == 0)
        return std::nullopt;
    const qint64 kib = *number * factorKiB;
    return (kib + 1023) / 1024;
}

} // namespace TuneDeck
