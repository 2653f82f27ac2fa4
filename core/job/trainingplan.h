#pragma once

#include "core/job/jobspec.h"

#include <optional>

namespace TuneDeck {

// How many optimizer steps a run has and how they sit against the time limit.
struct TrainingPlan
{
    std::optional<int> stepsPerEpoch; // unknown without training.dataset_examples
    std::optional<int> totalSteps;
    std::optional<qint64> timeLimitSeconds;
    std::optional<int> stepsBeforeTimeLimit; // needs training.expected_sec_per_step
    std::optional<double> projectedSeconds; // totalSteps * expected_sec_per_step
};

// HF Trainer's arithmetic: batches per rank = ceil(N / (batch * world)), optimizer steps per epoch =
// max(1, batches // accumulation), total = ceil(epochs * steps per epoch) (transformers Trainer,
// _inner_training_loop). The walkthrough's 981 examples on 16 ranks with batch 1 and accumulation 8
// give 7 steps per epoch, 21 in all, as its log shows.
TrainingPlan planTraining(const JobSpec& spec);

} // namespace TuneDeck
