#pragma once

#include "core/job/jobspec.h"
#include "core/job/modelshape.h"

#include <QString>

#include <optional>

namespace TuneDeck {

// Per-GPU memory of a FSDP finetuning job, term by term, in GiB. The formula and its sources are in
// docs/memory-estimate.md; the terms are shown to the user so a surprising total can be checked.
struct MemoryEstimate
{
    ModelShape shape;
    int shardDegree = 1; // how many ranks share one copy of the parameters and optimizer state
    double trainableParameters = 0;
    double weightsGiB = 0; // this rank's shard of the frozen or trained weights
    double gatheredLayersGiB = 0; // whole layers FSDP all-gathers for compute (current + prefetched)
    double trainableStateGiB = 0; // trainable weights in fp32, their gradients, AdamW moments (sharded)
    double activationsGiB = 0; // saved activations (checkpointed or not) for one micro-batch
    double logitsGiB = 0; // fp32 logits and their gradient for one micro-batch
    double overheadGiB = 0; // CUDA context, NCCL buffers, allocator fragmentation
    double totalGiB = 0;
    double gpuGiB = 0;

    double fraction() const { return gpuGiB > 0 ? totalGiB / gpuGiB : 0; }
    // "weights 8.2 + gathered layers 3.3 + ... = 20.3 GiB of 40 GiB (51%)"
    QString breakdown() const;
};

std::optional<MemoryEstimate> estimateGpuMemory(const JobSpec& spec, double gpuMemoryGiB);

} // namespace TuneDeck
