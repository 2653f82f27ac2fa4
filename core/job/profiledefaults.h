#pragma once

#include "core/job/clusterprofile.h"
#include "core/job/jobspec.h"

namespace TuneDeck {

// Fills what the user left empty from the cluster profile, the way the wizard pre-fills its form:
// the QoS from default_qos, the GPU type from the default one, the project path from
// project_path_pattern and the account. Fields the user set are never changed.
JobSpec withProfileDefaults(JobSpec spec, const ClusterProfile& profile);

} // namespace TuneDeck
