#include "core/job/trainingplan.h"

#include "core/util/slurmvalues.h"

#include <cmath>

namespace TuneDeck {

TrainingPlan planTraining(const JobSpec& spec)
{
    TrainingPlan plan;
    plan.timeLimitSeconds = parseSlurmDuration(spec.slurm.time);
    const TrainingSettings& t = spec.training;
    const int world = worldSize(spec);
    if (t.datasetExamples > 0 && world > 0 && t.perDeviceBatch > 0 && t.gradientAccumulation > 0) {
        const qint64 perRankBatches
            = (qint64(t.datasetExamples) + qint64(t.perDeviceBatch) * world - 1) / (qint64(t.perDeviceBatch) * world);
        plan.stepsPerEpoch = int(std::max<qint64>(1, perRankBatches / t.gradientAccumulation));
        plan.totalSteps = int(std::ceil(t.epochs * *plan.stepsPerEpoch));
    }
    if (t.expectedSecondsPerStep > 0) {
        if (plan.timeLimitSeconds)
            plan.stepsBeforeTimeLimit = int(double(*plan.timeLimitSeconds) / t.expectedSecondsPerStep);
        if (plan.totalSteps)
            plan.projectedSeconds = *plan.totalSteps * t.expectedSecondsPerStep;
    }
    return plan;
}

} // namespace TuneDeck
