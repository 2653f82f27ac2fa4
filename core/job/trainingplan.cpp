#include "core/job/trainingplan.h"

#include "core/util/slurmvalues.h"

#include <cmath>
#include <limits>

namespace TuneDeck {
namespace {

// A non-negative count from a double, saturating instead of overflowing (and 0 for NaN).
qint64 saturatingCount(double value)
{
    constexpr double max = double(std::numeric_limits<qint64>::max());
    if (!(value > 0))
        return 0;
    return value >= max ? std::numeric_limits<qint64>::max() : qint64(value);
}

} // namespace

TrainingPlan planTraining(const JobSpec& spec)
{
    TrainingPlan plan;
    plan.timeLimitSeconds = parseSlurmDuration(spec.slurm.time);
    const TrainingSettings& t = spec.training;
    // Products in 64 bits: each factor is an int, so no product of two overflows.
    const qint64 world = qint64(spec.slurm.nodes) * spec.slurm.gpusPerNode;
    if (t.datasetExamples > 0 && world > 0 && t.perDeviceBatch > 0 && t.gradientAccumulation > 0) {
        const qint64 globalBatch = qint64(t.perDeviceBatch) * world;
        const qint64 perRankBatches = (qint64(t.datasetExamples) + globalBatch - 1) / globalBatch;
        plan.stepsPerEpoch = std::max<qint64>(1, perRankBatches / t.gradientAccumulation);
        plan.totalSteps = saturatingCount(std::ceil(t.epochs * double(*plan.stepsPerEpoch)));
    }
    if (t.expectedSecondsPerStep > 0 && std::isfinite(t.expectedSecondsPerStep)) {
        if (plan.timeLimitSeconds)
            plan.stepsBeforeTimeLimit = saturatingCount(double(*plan.timeLimitSeconds) / t.expectedSecondsPerStep);
        if (plan.totalSteps)
            plan.projectedSeconds = double(*plan.totalSteps) * t.expectedSecondsPerStep;
    }
    return plan;
}

} // namespace TuneDeck
