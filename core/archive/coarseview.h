#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>

namespace TuneDeck::Telemetry {
class MetricStore;
}

namespace TuneDeck::Archive {

// The archive's derived form of a run's samples: every series reduced to at most `columns` columns of
// min/max and which came first (the store's own min/max pyramid answers this without reading the samples). A
// (2048: a full-range chart on a 1920 px screen needs nothing finer), so an archived run opens from this in
// milliseconds while its raw text is read in the background. Min and max are exact over each column, so no spike is
// lost.
QByteArray encodeCoarseView(const Telemetry::MetricStore& store, int columns = 2048);
// Fills an empty store with two samples per column (its min and its max, in the order first/last
// suggest). False when the bytes are not a coarse view of this version (the archive then rebuilds it).
bool decodeCoarseView(const QByteArray& bytes, Telemetry::MetricStore& store);

} // namespace TuneDeck::Archive
