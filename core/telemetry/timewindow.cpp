#include "core/telemetry/timewindow.h"

#include <algorithm>
#include <cmath>

namespace TuneDeck::Telemetry {

void TimeWindow::follow(qint64 spanMs)
{
    m_following = true;
    m_span = std::max<qint64>(0, spanMs);
}

std::pair<qint64, qint64> TimeWindow::resolve(qint64 first, qint64 last) const
{
    const qint64 end = last + 1;
    if (m_following)
        return { m_span > 0 ? std::max(first, end - m_span) : first, end };
    return { m_t0, m_t1 };
}

void TimeWindow::fix(qint64 t0, qint64 t1, qint64 first, qint64 last)
{
    const qint64 end = last + 1;
    const qint64 all = end - first;
    qint64 span = std::clamp<qint64>(t1 - t0, std::min(MinimumSpanMs, all), std::max<qint64>(all, 1));
    if (span >= all) {
        follow(0); // the whole data: keep following it as it grows
        return;
    }
    t0 = std::clamp(t0, first, end - span);
    if (t0 + span >= end) {
        follow(span); // at the newest sample: follow it, at this width
        return;
    }
    m_following = false;
    m_t0 = t0;
    m_t1 = t0 + span;
}

void TimeWindow::zoom(double factor, double anchor, qint64 first, qint64 last)
{
    if (!(factor > 0) || !std::isfinite(factor))
        return;
    const auto [t0, t1] = resolve(first, last);
    anchor = std::clamp(anchor, 0.0, 1.0);
    const double at = double(t0) + anchor * double(t1 - t0);
    const double span = std::max(double(MinimumSpanMs), double(t1 - t0) * factor);
    const qint64 n0 = qint64(std::llround(at - anchor * span));
    // Zooming in while following the newest data keeps following (the right edge is the anchor's).
    if (m_following && anchor >= 1.0 && factor < 1.0) {
        follow(qint64(span));
        return;
    }
    fix(n0, n0 + qint64(span), first, last);
}

void TimeWindow::pan(double fraction, qint64 first, qint64 last)
{
    const auto [t0, t1] = resolve(first, last);
    const qint64 shift = qint64(std::llround(fraction * double(t1 - t0)));
    fix(t0 + shift, t1 + shift, first, last);
}

void TimeWindow::show(qint64 t0, qint64 t1, qint64 first, qint64 last)
{
    if (t1 < t0)
        std::swap(t0, t1);
    fix(t0, t1, first, last);
}

} // namespace TuneDeck::Telemetry
