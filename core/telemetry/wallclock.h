#pragma once

#include "core/util/coreonly.h"

#include <QtGlobal>

#include <limits>

namespace TuneDeck::Telemetry {

// Timestamps in the logs are local wall-clock time without a zone (dmon's YYYYMMDD HH:MM:SS, vmstat -t's
// date under a zone *abbreviation*, the trainer's "2024-09-17 23:35:34,372"). They are kept as that wall
// clock counted in milliseconds from 1970-01-01 00:00, as if it were UTC; nodes' clock offsets are applied in
// the MetricStore, never here. Pure integer arithmetic: this runs once per dmon row.
namespace WallClock {

constexpr qint64 Missing = std::numeric_limits<qint64>::min();

// Days from 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr qint64 daysFromCivil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

constexpr qint64 toMs(int year, int month, int day, int hour, int minute, int second, int millis = 0)
{
    return ((daysFromCivil(year, unsigned(month), unsigned(day)) * 24 + hour) * 60 + minute) * 60000
        + qint64(second) * 1000 + millis;
}

} // namespace WallClock
} // namespace TuneDeck::Telemetry
