#pragma once

#include "core/telemetry/metricstore.h"
#include "core/util/coreonly.h"

#include <QList>
#include <QString>

#include <optional>

namespace TuneDeck::Telemetry {

class TrainerLogReader;
class TrainerJsonlReader;

// Progress figures of one run, from whichever of its logs are available. Nothing is guessed: a figure the
// logs cannot give stays nullopt.
struct RunFigures
{
    std::optional<double> secondsPerStep;
    std::optional<double> samplesPerSecond; // total train batch size / seconds per step
    std::optional<double> tokensPerSecond; // LLaMA-Factory's "throughput"
    std::optional<qint64> stepsDone;
    std::optional<qint64> totalSteps;
    std::optional<qint64> etaSeconds; // from the last update
    std::optional<qint64> projectedFinishMs; // WallClock ms: job start + elapsed + ETA
    std::optional<bool> exceedsTimeLimit; // projected finish after start + time limit
    std::optional<qint64> shortfallSeconds; // how much later than the limit (positive) or earlier (negative)
};

struct RunTiming
{
    std::optional<qint64> jobStartMs; // WallClock ms, from sacct/squeue Start
    std::optional<qint64> timeLimitSeconds;
};

RunFigures computeRunFigures(const TrainerLogReader* log, const TrainerJsonlReader* jsonl, const RunTiming& timing);

// Per-GPU (gpu >= 0) or per-node (gpu == -1) summary of one metric over a window.
struct MetricSummary
{
    QString node;
    int gpu = -1;
    QString metric;
    MetricStore::Stats stats;
};
QList<MetricSummary> summarize(
    const MetricStore& store, const QString& run, const QString& metric, qint64 t0, qint64 t1);

enum class FlagKind { IdleGpu, StragglingNode, StalledLog };
struct Flag
{
    FlagKind kind;
    QString node;
    int gpu = -1;
    QString detail;
};

struct FlagThresholds
{
    double idleUtilisation = 5.0; // mean SM % below this while the run is training
    double workingUtilisation = 30.0; // "the others work": the median GPU's mean SM % at least this
    qint64 idleMinimumSeconds = 300; // idle for this long (JobMonitor: the window must hold this much data)
    double stragglerRatio = 0.75; // node mean SM utilisation below this fraction of the median of the nodes
    qint64 stallMinimumSeconds = 600; // a log is stalled after max(this, stallSteps x seconds per step)
    double stallSteps = 5.0;
};

// Idle GPUs and straggling nodes from dmon's "sm" series over [t0, t1).
QList<Flag> utilisationFlags(
    const MetricStore& store, const QString& run, qint64 t0, qint64 t1, const FlagThresholds& thresholds = {});
// A log that has not advanced for much longer than a step takes.
std::optional<Flag> stalledLogFlag(
    qint64 lastUpdateMs, qint64 nowMs, std::optional<double> secondsPerStep, const FlagThresholds& thresholds = {});

} // namespace TuneDeck::Telemetry
