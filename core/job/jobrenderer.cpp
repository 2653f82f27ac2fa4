#include "core/job/jobrenderer.h"

#include "core/job/generators.h"
#include "core/job/jobvalidator.h"

namespace TuneDeck {

RenderedJob renderJob(const JobSpec& spec, const ClusterProfile& profile)
{
    RenderedJob job;
    job.diagnostics = validateJob(spec, profile);
    if (job.hasErrors())
        return job;
    job.sbatchScript = generateSbatchScript(spec, profile);
    job.accelerateYaml = generateAccelerateConfig(spec);
    job.trainYaml = generateTrainConfig(spec);
    return job;
}

} // namespace TuneDeck
