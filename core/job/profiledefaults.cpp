#include "core/job/profiledefaults.h"

namespace TuneDeck {

JobSpec withProfileDefaults(JobSpec spec, const ClusterProfile& profile)
{
    if (spec.slurm.qos.isEmpty())
        spec.slurm.qos = profile.defaultQos;
    if (spec.slurm.gpuType.isEmpty())
        if (const GpuType* gpu = profile.defaultGpuType())
            spec.slurm.gpuType = gpu->name;
    if (spec.environment.projectPath.isEmpty())
        spec.environment.projectPath = profile.projectPathFor(spec.slurm.account);
    return spec;
}

} // namespace TuneDeck
