#pragma once

#include "core/archive/archivedrun.h"
#include "core/archive/runsummary.h"
#include "core/util/coreonly.h"

#include <QJsonArray>
#include <QList>

#include <utility>

namespace TuneDeck {
struct ClusterProfile;
}

namespace TuneDeck::Archive {

// One finding of the efficiency report (issue 11 part 4), from TuneDeck's own data only: what was seen,
// and what to change, in numbers where the data gives them.
struct ReportFinding
{
    QString topic; // stable key: "time_limit", "checkpoints", "idle_gpus", "gpu_memory", "host_memory", "recording",
                   // "gpu_hours"
    QString title;
    QString finding;
    QString suggestion; // empty when there is nothing to change
};

// Other archived runs with their figures: a run of the same training on another shape that cost fewer
// GPU-hours per 1 000 steps turns into a suggestion ("2 × 4 a100_80 would have needed N GPU-hours fewer").
using ArchivedRunFigures = QList<std::pair<ArchivedRun, RunSummary>>;

// profile: the cluster's profile where known (GPU memory per type, the longest time allowed).
QList<ReportFinding> efficiencyReport(const ArchivedRun& run, const RunSummary& summary, const ClusterProfile* profile,
    const ArchivedRunFigures& others = {});
// The same with the run's cluster profile looked up (ProfileRegistry; Baskerville for an imported run,
// which names no cluster), as `tunedeck report` and the window's report show it.
QList<ReportFinding> efficiencyReport(
    const ArchivedRun& run, const RunSummary& summary, const ArchivedRunFigures& others = {});
QJsonArray reportJson(const QList<ReportFinding>& findings);

} // namespace TuneDeck::Archive
