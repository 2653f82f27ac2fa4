#pragma once

#include "core/job/jobspec.h"

#include <optional>

namespace TuneDeck {

// How many optimizer steps a run has and how they sit against the time limit.
struct TrainingPlan
{
    // 64-bit: 2e9 examples x 1e5 epochs is far beyond int, and a wrapped count silenced the time-limit
    // warning. Counts that would not fit even here saturate at the qint64 maximum.
    std::optional<qint64> stepsPerEpoch; // unknown without training.dataset_examples
    std::optional<qint64> totalSteps;
    std::optional<qint64> timeLimitSeconds;
    std::optional<qint64> stepsBeforeTimeLimit; // needs training.expected_sec_per_step
    std::optional<double> projectedSeconds; // totalSteps * expected_sec_per_step
};

// HF Trainer's arithmetic: batches per rank = ceil(N / (batch * world)), optimizer steps per epoch =
// max(1, batches // accumulation), total = ceil(epochs * steps per epoch) (transformers Trainer,
// _inner_training_loop). The walkthrough's 981 examples on 16 ranks with batch 1 and accumulation 8
// give 7 steps per epoch, 21 in all, as its log shows.
TrainingPlan planTraining(const JobSpec& spec);

} // namespace TuneDeck
