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
// Why an accelerate_extra entry cannot go into accelerate.yaml, or empty when it can. The key must be a
// plain name (fsdp_config.NAME for the FSDP section) that TuneDeck does not generate itself, so an
// extra key can never shadow the design (a second num_processes or fsdp_sharding_strategy); the value
// must be one line of YAML flow text that parses on its own, so it cannot add lines or break the file.
QString accelerateExtraProblem(const QString& key, const QString& value);

// LLaMA-Factory's training arguments, with the keys of its examples/train_lora/*.yaml.
QByteArray generateTrainConfig(const JobSpec& spec);

} // namespace TuneDeck
