#include "core/telemetry/derivedfigures.h"

#include "core/telemetry/trainerjsonlreader.h"
#include "core/telemetry/trainerlogreader.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace TuneDeck::Telemetry {

RunFigures computeRunFigures(const TrainerLogReader* log, const TrainerJsonlReader* jsonl, const RunTiming& timing)
{
    RunFigures f;
    std::optional<qint64> elapsed;
    if (log) {
        if (const auto p = log->lastProgress()) {
            f.stepsDone = p->step;
            f.totalSteps = p->total;
            f.secondsPerStep = p->secondsPerStep;
            f.etaSeconds = p->remainingSeconds;
            elapsed = p->elapsedSeconds;
        }
        if (!f.totalSteps)
            f.totalSteps = log->setup().totalSteps;
    }
    if (jsonl && !jsonl->entries().isEmpty()) {
        const TrainerLogEntry& e = jsonl->entries().last();
        if (!f.stepsDone)
            f.stepsDone = jsonl->currentSteps();
        if (!f.totalSteps)
            f.totalSteps = jsonl->totalSteps();
        if (!f.etaSeconds)
            f.etaSeconds = e.remainingSeconds;
        if (!elapsed)
            elapsed = e.elapsedSeconds;
        if (!f.secondsPerStep && e.elapsedSeconds && e.currentSteps && *e.currentSteps > 0)
            f.secondsPerStep = double(*e.elapsedSeconds) / double(*e.currentSteps);
        f.tokensPerSecond = e.throughput;
    }
    if (!f.etaSeconds && f.secondsPerStep && f.stepsDone && f.totalSteps)
        f.etaSeconds = qint64(std::llround(*f.secondsPerStep * double(*f.totalSteps - *f.stepsDone)));
    if (log && f.secondsPerStep && *f.secondsPerStep > 0) {
        if (const auto batch = log->setup().totalBatchSize)
            f.samplesPerSecond = double(*batch) / *f.secondsPerStep;
    }
    // The training bar's elapsed time starts after model loading, so the projection uses the job's own clock
    // where there is one: finish = start + (time already spent up to the last update) + ETA.
    if (timing.jobStartMs && f.etaSeconds && elapsed) {
        f.projectedFinishMs = *timing.jobStartMs + (*elapsed + *f.etaSeconds) * 1000;
        if (timing.timeLimitSeconds) {
            const qint64 limitMs = *timing.jobStartMs + *timing.timeLimitSeconds * 1000;
            f.shortfallSeconds = (*f.projectedFinishMs - limitMs) / 1000;
            f.exceedsTimeLimit = *f.projectedFinishMs > limitMs;
        }
    }
    return f;
}

QList<MetricSummary> summarize(
    const MetricStore& store, const QString& run, const QString& metric, qint64 t0, qint64 t1)
{
    QList<MetricSummary> out;
    const QList<SeriesKey> keys = store.seriesKeys();
    for (int id = 0; id < keys.size(); ++id) {
        const SeriesKey& k = keys[id];
        if (k.run != run || k.metric != metric)
            continue;
        if (const auto st = store.stats(id, t0, t1))
            out.append({ k.node, k.gpu, k.metric, *st });
    }
    std::sort(out.begin(), out.end(), [](const MetricSummary& a, const MetricSummary& b) {
        return a.node != b.node ? a.node < b.node : a.gpu < b.gpu;
    });
    return out;
}

QList<Flag> utilisationFlags(
    const MetricStore& store, const QString& run, qint64 t0, qint64 t1, const FlagThresholds& thresholds)
{
    QList<Flag> flags;
    const QList<MetricSummary> sm = summarize(store, run, QStringLiteral("sm"), t0, t1);
    QHash<QString, std::pair<double, int>> perNode;
    bool anyBusy = false;
    // "While the others work": most GPUs busy, not merely one above the idle line (loading a model, every
    // GPU sits at a few per cent, and one at 6 % must not make the rest "idle").
    std::vector<double> gpuMeans;
    for (const MetricSummary& s : sm)
        gpuMeans.push_back(s.stats.mean);
    if (!gpuMeans.empty()) {
        std::sort(gpuMeans.begin(), gpuMeans.end());
        anyBusy = gpuMeans[gpuMeans.size() / 2] >= thresholds.workingUtilisation;
    }
    // A node's pace is that of its working GPUs: one idle GPU is flagged as such, not as a slow node.
    for (const MetricSummary& s : sm) {
        if (anyBusy && s.stats.mean < thresholds.idleUtilisation)
            continue;
        auto& acc = perNode[s.node];
        acc.first += s.stats.mean;
        ++acc.second;
    }
    // An idle GPU matters when the others work: a run that is loading its model has every GPU at 0 %.
    if (anyBusy) {
        for (const MetricSummary& s : sm) {
            if (s.stats.mean < thresholds.idleUtilisation)
                flags.append({ FlagKind::IdleGpu, s.node, s.gpu,
                    QStringLiteral("mean SM utilisation %1 %").arg(s.stats.mean, 0, 'f', 1) });
        }
    }
    if (perNode.size() >= 2) {
        std::vector<double> means;
        for (auto it = perNode.cbegin(); it != perNode.cend(); ++it)
            means.push_back(it.value().first / it.value().second);
        std::sort(means.begin(), means.end());
        const double median
            = means.size() % 2 ? means[means.size() / 2] : (means[means.size() / 2 - 1] + means[means.size() / 2]) / 2;
        for (auto it = perNode.cbegin(); it != perNode.cend(); ++it) {
            const double mean = it.value().first / it.value().second;
            if (median > thresholds.idleUtilisation && mean < thresholds.stragglerRatio * median)
                flags.append({ FlagKind::StragglingNode, it.key(), -1,
                    QStringLiteral("mean SM utilisation %1 % against a median of %2 %")
                        .arg(mean, 0, 'f', 1)
                        .arg(median, 0, 'f', 1) });
        }
    }
    return flags;
}

std::optional<Flag> stalledLogFlag(
    qint64 lastUpdateMs, qint64 nowMs, std::optional<double> secondsPerStep, const FlagThresholds& thresholds)
{
    const double allowed
        = std::max(double(thresholds.stallMinimumSeconds), secondsPerStep.value_or(0) * thresholds.stallSteps);
    const double silent = double(nowMs - lastUpdateMs) / 1000.0;
    if (silent <= allowed)
        return std::nullopt;
    return Flag { FlagKind::StalledLog, {}, -1,
        QStringLiteral("no new output for %1 s (allowed %2 s)").arg(qint64(silent)).arg(qint64(allowed)) };
}

} // namespace TuneDeck::Telemetry
