#pragma once

#include "core/job/clusterprofile.h"
#include "core/job/diagnostic.h"
#include "core/job/jobspec.h"

namespace TuneDeck {

// Everything TuneDeck can check about a job design before it reaches the scheduler: values Slurm
// would reject, user text that cannot be carried safely into the script, whether the model fits in
// GPU memory, and whether the run can finish (or at least checkpoint) within its time limit.
// Pure function: the wizard calls it on every change.
Diagnostics validateJob(const JobSpec& spec, const ClusterProfile& profile);

// The checks on user text shared with the importers and the CLI.
// Job names: anything sbatch can carry in a quoted #SBATCH value and sacct gives back unchanged: no line
// breaks or control characters, no '"' and nothing beyond Latin-1 (slurmdbd rewrites them), at most 255
// bytes (slurmdbd keeps job names in a TINYTEXT column, so longer names come back cut).
QString jobNameProblem(const QString& name);
// Absolute POSIX paths without control characters (they are single-quoted, so anything else is safe).
QString absolutePathProblem(const QString& path);
// Module names as Lmod spells them: [A-Za-z0-9_./+-], not starting with '-'.
QString moduleNameProblem(const QString& name);

} // namespace TuneDeck
