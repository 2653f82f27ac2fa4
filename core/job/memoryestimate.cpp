#include "core/job/memoryestimate.h"

#include <QStringList>

namespace TuneDeck {
namespace {

constexpr double GiB = 1024.0 * 1024.0 * 1024.0;

// Context + NCCL communicators + caching-allocator slack seen on A100s: about 2 GiB, plus 10% of the
// rest for fragmentation (PyTorch memory notes; see docs/memory-estimate.md).
constexpr double FixedOverheadGiB = 2.0;
constexpr double FragmentationFactor = 0.10;

// Activation bytes of one transformer layer per token and hidden unit with bf16 and a fused attention
// kernel: 34 * s * b * h (Korthikanti et al. 2022, "Reducing Activation Recomputation in Large
// Transformer Models", eq. 1 without the 5*a*s/h term that flash/SDPA attention does not materialise).
constexpr double ActivationBytesPerTokenHidden = 34.0;

double bytesPerWeight(const JobSpec& spec)
{
    if (spec.training.method == FinetuningMethod::Qlora)
        return spec.training.quantizationBit / 8.0 * 1.1; // + quantisation constants (double quant ~ 0.127 bit)
    return spec.training.precision == Precision::Fp32 ? 4.0 : 2.0;
}

// LoRA adds r * (in + out) parameters per adapted linear layer.
double loraParameters(const JobSpec& spec, const ModelShape& shape)
{
    const double h = shape.hiddenSize;
    const double kv = h / shape.kvHeadsRatio;
    const double i = shape.intermediateSize;
    struct Projection
    {
        const char* name;
        double inPlusOut;
    };
    const Projection projections[] = {
        { "q_proj", h + h },
        { "k_proj", h + kv },
        { "v_proj", h + kv },
        { "o_proj", h + h },
        { "gate_proj", h + i },
        { "up_proj", h + i },
        { "down_proj", i + h },
    };
    const QString target = spec.training.loraTarget.trimmed();
    const QStringList targets = target.split(u',', Qt::SkipEmptyParts);
    double perLayer = 0;
    for (const Projection& p : projections) {
        const bool selected = target.isEmpty() || target == u"all" || targets.contains(QString::fromLatin1(p.name));
        if (selected)
            perLayer += spec.training.loraRank * p.inPlusOut;
    }
    return perLayer * shape.layers;
}

int shardDegree(const JobSpec& spec)
{
    const int world = worldSize(spec);
    if (spec.fsdp.version == 2)
        return world; // FSDP2 always shards parameters over the mesh
    const QString& strategy = spec.fsdp.shardingStrategy;
    if (strategy == u"NO_SHARD")
        return 1;
    if (strategy == u"HYBRID_SHARD" || strategy == u"HYBRID_SHARD_ZERO2")
        return spec.slurm.gpusPerNode; // sharded within a node, replicated across nodes
    return world; // FULL_SHARD, SHARD_GRAD_OP (parameters gathered, but optimizer state sharded)
}

} // namespace

QString MemoryEstimate::breakdown() const
{
    const auto n = [](double v) { return QString::number(v, 'f', 1); };
    return QStringLiteral("weights %1 + gathered layers %2 + trainable state %3 + activations %4 + logits %5 "
                          "+ overhead %6 = %7 GiB of %8 GiB (%9%)")
        .arg(n(weightsGiB), n(gatheredLayersGiB), n(trainableStateGiB), n(activationsGiB), n(logitsGiB), n(overheadGiB),
            n(totalGiB), n(gpuGiB), QString::number(qRound(fraction() * 100)));
}

std::optional<MemoryEstimate> estimateGpuMemory(const JobSpec& spec, double gpuMemoryGiB)
{
    const std::optional<ModelShape> shape = modelShapeFor(spec.training.model, spec.training.modelParamsBillions);
    if (!shape || worldSize(spec) <= 0)
        return std::nullopt;
    MemoryEstimate e;
    e.shape = *shape;
    e.gpuGiB = gpuMemoryGiB;
    e.shardDegree = shardDegree(spec);
    const double p = shape->parameters;
    const double weightBytes = bytesPerWeight(spec);
    const bool full = spec.training.method == FinetuningMethod::Full;

    // SHARD_GRAD_OP keeps whole parameters between forward and backward; otherwise only a shard.
    const bool paramsStayGathered = spec.fsdp.version == 1 && spec.fsdp.shardingStrategy == u"SHARD_GRAD_OP";
    const int paramShards = paramsStayGathered ? 1 : e.shardDegree;
    e.weightsGiB = spec.fsdp.offloadParams ? 0 : p * weightBytes / paramShards / GiB;
    // FSDP all-gathers one wrapped decoder layer for compute and prefetches the next one.
    const int gatheredLayers = (paramShards > 1 || spec.fsdp.offloadParams) ? 2 : 0;
    e.gatheredLayersGiB = gatheredLayers * (p / shape->layers) * weightBytes / GiB;

    // Mixed-precision AdamW: trainable weights kept in fp32 (4) + gradients (4) + two moments (8).
    // For a full finetune the bf16 working copy is already counted in weights, so 14 more bytes.
    e.trainableParameters = full ? p : loraParameters(spec, *shape);
    const double stateBytes = full ? 14.0 : 16.0;
    e.trainableStateGiB = spec.fsdp.offloadParams ? 0 : e.trainableParameters * stateBytes / e.shardDegree / GiB;

    const double tokens = double(spec.training.perDeviceBatch) * spec.training.cutoffLen;
    const double h = shape->hiddenSize;
    const bool checkpointed = spec.training.gradientCheckpointing || spec.fsdp.activationCheckpointing;
    if (checkpointed) {
        // Only each layer's input is kept (bf16), plus one layer's full activations during recompute.
        e.activationsGiB = (tokens * h * 2.0 * shape->layers + tokens * h * ActivationBytesPerTokenHidden) / GiB;
    } else {
        e.activationsGiB = tokens * h * ActivationBytesPerTokenHidden * shape->layers / GiB;
    }
    // transformers upcasts logits to fp32 for the loss; the logits and their gradient coexist.
    e.logitsGiB = tokens * shape->vocabulary * 4.0 * 2.0 / GiB;

    const double variable = e.weightsGiB + e.gatheredLayersGiB + e.trainableStateGiB + e.activationsGiB + e.logitsGiB;
    e.overheadGiB = FixedOverheadGiB + FragmentationFactor * variable;
    e.totalGiB = variable + e.overheadGiB;
    return e;
}

} // namespace TuneDeck
