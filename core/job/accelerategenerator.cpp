#include "core/job/generators.h"
#include "core/job/yamlreader.h"
#include "core/job/yamltext.h"

#include <QRegularExpression>

#include <QList>
#include <QPair>

#include <algorithm>

namespace TuneDeck {
namespace {

using Entries = QList<QPair<QString, QString>>;

void sortByKey(Entries& entries)
{
    // accelerate writes its config with yaml.safe_dump's sorted keys; we keep that order so a generated
    // file diffs cleanly against one from `accelerate config`.
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

Entries fsdpEntries(const FsdpSettings& f)
{
    Entries entries {
        { QStringLiteral("fsdp_activation_checkpointing"), yamlBool(f.activationCheckpointing) },
        { QStringLiteral("fsdp_auto_wrap_policy"), f.autoWrapPolicy },
        { QStringLiteral("fsdp_cpu_ram_efficient_loading"), yamlBool(f.cpuRamEfficientLoading) },
        { QStringLiteral("fsdp_offload_params"), yamlBool(f.offloadParams) },
        { QStringLiteral("fsdp_state_dict_type"), f.stateDictType },
    };
    if (!f.transformerLayerClsToWrap.isEmpty())
        entries.append({ QStringLiteral("fsdp_transformer_layer_cls_to_wrap"), f.transformerLayerClsToWrap });
    if (f.version == 2) {
        // FSDP2 (accelerate >= 1.6): no sharding strategy, prefetch, sync or orig-params keys.
        entries.append({ QStringLiteral("fsdp_reshard_after_forward"), yamlBool(f.reshardAfterForward) });
        entries.append({ QStringLiteral("fsdp_version"), QStringLiteral("2") });
    } else {
        entries.append({ QStringLiteral("fsdp_backward_prefetch"), f.backwardPrefetch });
        entries.append({ QStringLiteral("fsdp_forward_prefetch"), yamlBool(f.forwardPrefetch) });
        entries.append({ QStringLiteral("fsdp_sharding_strategy"), f.shardingStrategy });
        entries.append({ QStringLiteral("fsdp_sync_module_states"), yamlBool(f.syncModuleStates) });
        entries.append({ QStringLiteral("fsdp_use_orig_params"), yamlBool(f.useOrigParams) });
    }
    return entries;
}

QString mixedPrecision(Precision precision)
{
    switch (precision) {
    case Precision::Bf16:
        return QStringLiteral("'bf16'");
    case Precision::Fp16:
        return QStringLiteral("'fp16'");
    case Precision::Fp32:
        return QStringLiteral("'no'");
    }
    return {};
}

// Every key the generator writes, in either FSDP version: an extra key may not repeat one.
const QStringList& generatedTopKeys()
{
    static const QStringList keys { QStringLiteral("compute_environment"), QStringLiteral("debug"),
        QStringLiteral("distributed_type"), QStringLiteral("downcast_bf16"), QStringLiteral("enable_cpu_affinity"),
        QStringLiteral("main_training_function"), QStringLiteral("mixed_precision"), QStringLiteral("num_machines"),
        QStringLiteral("num_processes"), QStringLiteral("rdzv_backend"), QStringLiteral("same_network"),
        QStringLiteral("tpu_env"), QStringLiteral("tpu_use_cluster"), QStringLiteral("tpu_use_sudo"),
        QStringLiteral("use_cpu"), QStringLiteral("fsdp_config") };
    return keys;
}

const QStringList& generatedFsdpKeys()
{
    static const QStringList keys { QStringLiteral("fsdp_activation_checkpointing"),
        QStringLiteral("fsdp_auto_wrap_policy"), QStringLiteral("fsdp_cpu_ram_efficient_loading"),
        QStringLiteral("fsdp_offload_params"), QStringLiteral("fsdp_state_dict_type"),
        QStringLiteral("fsdp_transformer_layer_cls_to_wrap"), QStringLiteral("fsdp_reshard_after_forward"),
        QStringLiteral("fsdp_version"), QStringLiteral("fsdp_backward_prefetch"),
        QStringLiteral("fsdp_backward_prefetch_policy"), QStringLiteral("fsdp_forward_prefetch"),
        QStringLiteral("fsdp_sharding_strategy"), QStringLiteral("fsdp_sync_module_states"),
        QStringLiteral("fsdp_use_orig_params") };
    return keys;
}

} // namespace

QString accelerateExtraProblem(const QString& key, const QString& value)
{
    static const QRegularExpression plainKey(QStringLiteral("^(fsdp_config\\.)?[A-Za-z_][A-Za-z0-9_]*\\z"));
    if (!plainKey.match(key).hasMatch())
        return QStringLiteral("'%1' is not an accelerate config key (letters, digits and '_', or fsdp_config.NAME)")
            .arg(key);
    const bool inFsdp = key.startsWith(u"fsdp_config.");
    const QString name = inFsdp ? key.mid(12) : key;
    if (inFsdp ? generatedFsdpKeys().contains(name) : generatedTopKeys().contains(name))
        return QStringLiteral("%1 is written by TuneDeck from the design; set it through the design, not "
                              "accelerate_extra")
            .arg(key);
    for (QChar c : value) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            return QStringLiteral("the value must be one line of YAML without control characters");
    }
    // Parsed as the line it will be, it must give exactly this one key.
    const YamlDocument document = loadYamlDocument((name + u": " + value + u'\n').toUtf8());
    if (!document.ok() || !document.root.IsMap() || document.root.size() != 1)
        return QStringLiteral("'%1' is not a YAML value on its own (quote it, or write a [list] or {mapping})")
            .arg(value);
    return {};
}

QByteArray generateAccelerateConfig(const JobSpec& spec)
{
    Entries top {
        { QStringLiteral("compute_environment"), QStringLiteral("LOCAL_MACHINE") },
        { QStringLiteral("debug"), QStringLiteral("false") },
        { QStringLiteral("distributed_type"), QStringLiteral("FSDP") },
        { QStringLiteral("downcast_bf16"), QStringLiteral("'no'") },
        { QStringLiteral("enable_cpu_affinity"), QStringLiteral("false") },
        { QStringLiteral("main_training_function"), QStringLiteral("main") },
        { QStringLiteral("mixed_precision"), mixedPrecision(spec.training.precision) },
        // num_processes is the total over all machines, not per machine.
        { QStringLiteral("num_machines"), QString::number(spec.slurm.nodes) },
        { QStringLiteral("num_processes"), QString::number(worldSize(spec)) },
        { QStringLiteral("rdzv_backend"), QStringLiteral("static") },
        { QStringLiteral("same_network"), QStringLiteral("true") },
        { QStringLiteral("tpu_env"), QStringLiteral("[]") },
        { QStringLiteral("tpu_use_cluster"), QStringLiteral("false") },
        { QStringLiteral("tpu_use_sudo"), QStringLiteral("false") },
        { QStringLiteral("use_cpu"), QStringLiteral("false") },
    };
    Entries fsdp = fsdpEntries(spec.fsdp);
    // Keys kept from an imported file go back where they came from.
    for (const auto& [key, value] : spec.accelerateExtra) {
        // validateJob() reports these; never written, even for a spec that skipped validation.
        if (!accelerateExtraProblem(key, value).isEmpty())
            continue;
        if (key.startsWith(u"fsdp_config."))
            fsdp.append({ key.mid(int(qstrlen("fsdp_config."))), value });
        else
            top.append({ key, value });
    }
    top.append({ QStringLiteral("fsdp_config"), QString() });
    sortByKey(top);
    sortByKey(fsdp);

    QString text;
    for (const auto& [key, value] : std::as_const(top)) {
        if (key == u"fsdp_config") {
            text += u"fsdp_config:\n";
            for (const auto& [fsdpKey, fsdpValue] : std::as_const(fsdp))
                text += u"  " + fsdpKey + u": " + fsdpValue + u'\n';
        } else {
            text += key + u": " + value + u'\n';
        }
    }
    return text.toUtf8();
}

} // namespace TuneDeck
