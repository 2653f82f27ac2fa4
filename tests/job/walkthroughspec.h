#pragma once

// The walkthrough's job as a JobSpec: 4 nodes x 4 A100-40 on Baskerville, Llama 3 70B, LoRA, FSDP1,
// 981 examples, 3 epochs, ~2988 s per step (its log), a 3 hour limit.
#include "core/job/jobspec.h"
#include "core/job/profileregistry.h"

namespace TuneDeck::Test {

inline JobSpec walkthroughSpec()
{
    JobSpec spec;
    spec.slurm.account = QStringLiteral("vjgo8416-llm-tune");
    spec.slurm.time = QStringLiteral("3:00:0");
    spec.environment.projectPath = QStringLiteral("/bask/projects/v/vjgo8416-llm-tune");
    spec.training.datasetExamples = 981;
    return spec;
}

inline ClusterProfile baskerville()
{
    return ProfileRegistry(QString {}).find(QStringLiteral("baskerville")).value();
}

} // namespace TuneDeck::Test
