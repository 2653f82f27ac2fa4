#pragma once

#include "core/archive/archivedrun.h"
#include "core/archive/runsummary.h"
#include "core/util/coreonly.h"

#include <memory>

namespace TuneDeck::Telemetry {
class RunTelemetry;
}

namespace TuneDeck::Archive {

class RunArchive;

// An archived run's raw text fed through the same readers a live run uses, into a RunTelemetry that an
// offline JobMonitor (and so the monitor's view) stands over. The store's run id is the run's job id, or
// "run-<id>" for runs without one. nullptr with *error set when the text cannot be read.
std::unique_ptr<Telemetry::RunTelemetry> loadRunTelemetry(
    const RunArchive& archive, const ArchivedRun& run, QString* error = nullptr);
QString telemetryRunId(const ArchivedRun& run);

// What a first full-range chart needs, fast: the derived coarse view of the samples (coarseview.h) and
// the training logs (small) read in full. nullptr when the run has no readable coarse view yet: load the
// whole run with loadRunTelemetry() and storeCoarseView() it.
std::unique_ptr<Telemetry::RunTelemetry> loadRunPreview(const RunArchive& archive, const ArchivedRun& run);
QString storeCoarseView(RunArchive& archive, const ArchivedRun& run, const Telemetry::RunTelemetry& telemetry);

// Start and end from the samples where the run does not have them yet (an imported folder).
void completeRunTimes(ArchivedRun& run, const Telemetry::RunTelemetry& telemetry);

// The run's summary: the stored derived form, or, when it is missing, damaged or of another version,
// recomputed from the raw text and stored again. error set when neither works.
RunSummary runSummary(RunArchive& archive, ArchivedRun& run, QString* error = nullptr);

} // namespace TuneDeck::Archive
