#pragma once

#include "core/archive/archivedrun.h"
#include "core/archive/runsummary.h"
#include "core/util/coreonly.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QStringList>

namespace TuneDeck::Archive {

// Two or more runs side by side (issue 11 part 3): one row per figure, one column per run, then the job
// specs field by field. GPU-hours per 1 000 steps and samples/s per GPU make runs of different shapes
// comparable; `differs` drives the "differences only" switch.
struct ComparisonRow
{
    QString key; // stable JSON key: "seconds_per_step", or "spec.slurm.nodes" for a spec field
    QString label; // "Seconds per step"
    QStringList texts; // per run, as shown ("–" when unknown)
    QList<QJsonValue> values; // per run, as in the JSON (null when unknown)
    bool differs = false;
    bool isSpecField = false;
};

struct RunComparison
{
    QList<ArchivedRun> runs;
    QList<RunSummary> summaries;
    QList<ComparisonRow> rows;
    QList<ComparisonRow> visibleRows(bool differencesOnly) const;
};

RunComparison compareRuns(const QList<ArchivedRun>& runs, const QList<RunSummary>& summaries);
// {"runs": [{"id", "name", "figures": {key: value}}], "spec_differences": [{"field", "values"}]}
QJsonObject comparisonJson(const RunComparison& comparison);
// One line per row: label, then each run's text (RFC 4180 quoting).
QByteArray comparisonCsv(const RunComparison& comparison, bool differencesOnly);

// Shared display helpers.
QString formatSeconds(std::optional<qint64> seconds); // "2 h 28 min", "45 s", "–"
QString formatNumber(std::optional<double> value, int decimals = 1); // "–" when unknown

} // namespace TuneDeck::Archive
