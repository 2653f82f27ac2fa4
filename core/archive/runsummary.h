#pragma once

#include "core/archive/archivedrun.h"
#include "core/util/coreonly.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace TuneDeck::Telemetry {
class RunTelemetry;
}

namespace TuneDeck::Archive {

// The figures of one run that the runs list, the comparison and the report show: the archive's derived
// form, computed from the raw text (computeRunSummary) and kept as JSON so listing and comparing many runs
// never re-reads their logs. A figure the logs cannot give stays nullopt ("null" in JSON, "–" on screen).
struct RunSummary
{
    static constexpr int Version = 1;

    std::optional<qint64> stepsDone;
    std::optional<qint64> totalSteps;
    std::optional<double> secondsPerStep;
    std::optional<double> samplesPerSecond;
    std::optional<double> tokensPerSecond;
    std::optional<double> finalLoss;
    std::optional<double> smMean; // % over every GPU sample recorded
    std::optional<double> smP10; // 10th percentile of the per-sample SM %, all GPUs together
    std::optional<double> powerMeanW; // per GPU
    std::optional<double> fbPeakMiB; // largest framebuffer use of any GPU
    std::optional<double> hostFreeMinMiB; // vmstat's smallest "free" of any node
    std::optional<qint64> durationSeconds; // started → ended (or the last sample)
    std::optional<double> gpuHours; // allocated GPUs × duration
    std::optional<double> gpuHoursPer1000Steps;
    std::optional<double> samplesPerSecondPerGpu;
    std::optional<qint64> queueWaitSeconds;
    int gpusRecorded = 0; // GPUs with dmon samples (the walkthrough recorded 4 of 16)
    qint64 lastCheckpointStep = -1; // -1: none seen
    struct IdleGpu
    {
        QString node;
        int gpu = -1;
        qint64 seconds = 0; // samples below 5 % SM while the median GPU worked
    };
    QList<IdleGpu> idleGpus;

    QJsonObject toJson() const;
    // nullopt when the JSON is not a summary of this version (then the loader rebuilds it).
    static std::optional<RunSummary> fromJson(const QJsonObject& json);
};

RunSummary computeRunSummary(const ArchivedRun& run, const Telemetry::RunTelemetry& telemetry);

} // namespace TuneDeck::Archive
