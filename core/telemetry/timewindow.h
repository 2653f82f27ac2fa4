#pragma once

#include "core/util/coreonly.h"

#include <QtGlobal>

#include <utility>

namespace TuneDeck::Telemetry {

// The time window a monitor chart shows, and how zoom and pan move it. Either it *follows* the data
// (the last `span` ms up to the newest sample, or everything when span is 0) or it is *fixed* to a
// window the user zoomed or panned to. Times are the store's (ms); every operation takes the data's
// current [first, last] so a window never leaves the data and never gets narrower than minimumSpanMs.
// Panning a fixed window back to the newest sample follows again, at the same width.
class TimeWindow
{
public:
    static constexpr qint64 MinimumSpanMs = 2000;

    // Follow the newest `spanMs` (0: all of the data). The time-range presets.
    void follow(qint64 spanMs);
    bool isFollowing() const { return m_following; }
    qint64 followSpan() const { return m_span; }

    // [t0, t1) to draw for data from `first` to `last` (inclusive).
    std::pair<qint64, qint64> resolve(qint64 first, qint64 last) const;

    // Zoom by `factor` (< 1 in, > 1 out) keeping the time at `anchor` (0 = left edge, 1 = right edge)
    // where it is. Zooming out to the whole data follows all of it again.
    void zoom(double factor, double anchor, qint64 first, qint64 last);
    // Move by `fraction` of the window's width (negative: back in time).
    void pan(double fraction, qint64 first, qint64 last);
    // Show [t0, t1) (a rubber band).
    void show(qint64 t0, qint64 t1, qint64 first, qint64 last);
    // Back to following everything.
    void reset() { follow(0); }

private:
    void fix(qint64 t0, qint64 t1, qint64 first, qint64 last);

    bool m_following = true;
    qint64 m_span = 0;
    qint64 m_t0 = 0;
    qint64 m_t1 = 0;
};

} // namespace TuneDeck::Telemetry
