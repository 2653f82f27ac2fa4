#pragma once

#include "core/job/clusterprofile.h"
#include "core/job/jobspec.h"

#include <QByteArray>

namespace TuneDeck {

// The three files of a job, as pure functions of the design. They assume a spec that validateJob()
// accepted: user text is quoted here, but only validation can refuse what cannot be quoted.

// File names inside the run directory; the script refers to the other two by these names.
inline constexpr char SbatchFileName[] = "job.sbatch";
inline constexpr char AccelerateFileName[] = "accelerate.yaml";
inline constexpr char TrainFileName[] = "train.yaml";

// The batch script: the walkthrough's, corrected (see docs/generated-script.md for each change).
QByteArray generateSbatchScript(const JobSpec& spec, const ClusterProfile& profile);
// accelerate's config: FSDP1 with the walkthrough's key set, or FSDP2 without the v1-only keys.
QByteArray generateAccelerateConfig(const JobSpec& spec);
// LLaMA-Factory's training arguments, with the keys of its examples/train_lora/*.yaml.
QByteArray generateTrainConfig(const JobSpec& spec);

} // namespace TuneDeck
