#pragma once

#include "core/job/clusterprofile.h"

#include <QByteArray>
#include <QStringList>

namespace TuneDeck {

struct ProfileLoadResult
{
    ClusterProfile profile;
    // "file:line: key: message" lines; the profile is usable only when this is empty.
    QStringList errors;
    bool ok() const { return errors.isEmpty(); }
};

// Reads a cluster profile. The format (see resources/profiles/baskerville.yaml for a full example):
//
//   tunedeck_cluster_profile: 1
//   name: baskerville
//   display_name: Baskerville
//   login: { host: login.baskerville.ac.uk, port: 22, user: "", one_time_code: true }
//   node: { gpus: 4, cpus: 72, memory_mib: 491520 }
//   max_nodes: 0
//   max_time: "10-00:00:00"
//   gpu_types:
//     - { name: a100_40, constraint: a100_40, memory_gib: 40, default: true }
//   qos: [turing]
//   default_qos: turing
//   modules: [baskerville, bask-apps/live, PyTorch/2.1.2-foss-2022b-CUDA-11.8.0]
//   project_path_pattern: /bask/projects/{project0}/{project}
ProfileLoadResult loadProfileFromYaml(const QByteArray& text, const QString& sourceName);
ProfileLoadResult loadProfileFromFile(const QString& path);

} // namespace TuneDeck
