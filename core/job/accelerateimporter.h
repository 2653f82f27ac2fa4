#pragma once

#include "core/job/importresult.h"

#include <QByteArray>
#include <QString>

#include <yaml-cpp/yaml.h>

namespace TuneDeck {

// Imports an accelerate config YAML (what `accelerate config` writes, and hand-edited variants) into
// result.spec: FSDP settings (FSDP1 and FSDP2, legacy integer sharding strategies and the old
// fsdp_backward_prefetch_policy name), mixed precision, and num_machines/num_processes — which is the
// total over all machines, so GPUs per node = num_processes / num_machines. DeepSpeed and MULTI_GPU
// configs are mapped to the nearest FSDP settings with a note, since TuneDeck generates FSDP only.
// Keys TuneDeck does not model are kept in spec.accelerateExtra (as YAML flow text, nested fsdp_config
// keys as "fsdp_config.KEY") and written back by the generator; keys whose value TuneDeck fixes are noted.
void importAccelerateConfig(const QByteArray& text, const QString& sourceName, ImportResult& result);

// A YAML node as one line of flow-style YAML that PyYAML reads back as the same value: plain scalars as
// written, quoted ones re-quoted, sequences as [a, b], mappings as {k: v}.
QString yamlFlowText(const YAML::Node& node);

} // namespace TuneDeck
