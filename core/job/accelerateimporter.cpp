#include "core/job/accelerateimporter.h"

#include "core/job/yamltext.h"

#include <QRegularExpression>

#include <optional>

namespace TuneDeck {
namespace {

int lineOf(const YAML::Node& node)
{
    return node.IsDefined() && node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
}

// A key that is not there is a zombie node in yaml-cpp, whose every query but IsDefined() throws; each
// helper asks IsDefined() first.
QString scalarText(const YAML::Node& node)
{
    return node.IsDefined() && node.IsScalar() ? QString::fromStdString(node.Scalar()) : QString();
}

// yaml-cpp tags a quoted scalar "!" and a plain one "?"; PyYAML (YAML 1.1) resolves only plain scalars
// to booleans, numbers and null.
bool isQuoted(const YAML::Node& node)
{
    return node.IsDefined() && node.IsScalar() && node.Tag() == "!";
}

std::optional<bool> yaml11Bool(const QString& text)
{
    static const QRegularExpression yes(QStringLiteral("^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$"));
    static const QRegularExpression no(QStringLiteral("^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$"));
    if (yes.match(text).hasMatch())
        return true;
    if (no.match(text).hasMatch())
        return false;
    return std::nullopt;
}

QString flowText(const YAML::Node& node, bool inFlow)
{
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return QStringLiteral("null");
    case YAML::NodeType::Scalar: {
        const QString text = scalarText(node);
        if (isQuoted(node))
            return yamlString(text);
        static const QRegularExpression flowSafe(QStringLiteral("^[A-Za-z0-9_./+-]+$"));
        if (!inFlow || flowSafe.match(text).hasMatch())
            return text;
        return yamlString(text);
    }
    case YAML::NodeType::Sequence: {
        QStringList items;
        for (const YAML::Node& item : node)
            items.append(flowText(item, true));
        return u'[' + items.join(QStringLiteral(", ")) + u']';
    }
    case YAML::NodeType::Map: {
        QStringList items;
        for (const auto& entry : node)
            items.append(flowText(entry.first, true) + u": " + flowText(entry.second, true));
        return u'{' + items.join(QStringLiteral(", ")) + u'}';
    }
    }
    return {};
}

bool isEmptyCollection(const YAML::Node& node)
{
    return !node.IsDefined() || node.IsNull() || ((node.IsMap() || node.IsSequence()) && node.size() == 0);
}

class AccelerateImporter
{
public:
    AccelerateImporter(const QString& source, ImportResult& result)
        : m_source(source)
        , m_result(result)
        , m_spec(result.spec)
    { }

    void run(const YAML::Node& root);

private:
    void note(const YAML::Node& at, const QString& text) { m_result.note(m_source, lineOf(at), text); }
    void error(const YAML::Node& at, const QString& text) { m_result.error(m_source, lineOf(at), text); }

    std::optional<bool> readBool(const YAML::Node& node, const QString& key);
    std::optional<int> readInt(const YAML::Node& node, const QString& key, int min, int max);
    void claimText(const char* field, const YAML::Node& at, QString& target, const QString& value);
    void claimBool(const char* field, const YAML::Node& at, bool& target, bool value);
    void claimInt(const char* field, const YAML::Node& at, int& target, int value);

    void fixedValue(const QString& key, const YAML::Node& value);
    void counts(const YAML::Node& root);
    void fsdp(const YAML::Node& config, bool isFsdp);
    void deepspeed(const YAML::Node& config);
    void keepExtra(const QString& key, const YAML::Node& value, const YAML::Node& at);

    const QString& m_source;
    ImportResult& m_result;
    JobSpec& m_spec;
};

std::optional<bool> AccelerateImporter::readBool(const YAML::Node& node, const QString& key)
{
    const QString text = scalarText(node);
    const std::optional<bool> value = node.IsDefined() && node.IsScalar() ? yaml11Bool(text) : std::nullopt;
    if (!value) {
        error(node, QStringLiteral("%1: expected true or false, got '%2'").arg(key, flowText(node, false)));
        return std::nullopt;
    }
    if (isQuoted(node))
        note(node,
            QStringLiteral("%1: '%2' is quoted, so PyYAML reads a string, not a boolean; TuneDeck writes %3")
                .arg(key, text, yamlBool(*value)));
    return value;
}

std::optional<int> AccelerateImporter::readInt(const YAML::Node& node, const QString& key, int min, int max)
{
    bool ok = false;
    const int value = scalarText(node).toInt(&ok);
    if (!node.IsDefined() || !node.IsScalar() || !ok || value < min || value > max) {
        error(node,
            QStringLiteral("%1: expected a whole number from %2 to %3, got '%4'")
                .arg(key)
                .arg(min)
                .arg(max)
                .arg(flowText(node, false)));
        return std::nullopt;
    }
    return value;
}

void AccelerateImporter::claimText(const char* field, const YAML::Node& at, QString& target, const QString& value)
{
    if (m_result.claim(QString::fromLatin1(field), m_source, lineOf(at), target, value))
        target = value;
}

void AccelerateImporter::claimBool(const char* field, const YAML::Node& at, bool& target, bool value)
{
    if (m_result.claim(QString::fromLatin1(field), m_source, lineOf(at), yamlBool(target), yamlBool(value)))
        target = value;
}

void AccelerateImporter::claimInt(const char* field, const YAML::Node& at, int& target, int value)
{
    if (m_result.claim(
            QString::fromLatin1(field), m_source, lineOf(at), QString::number(target), QString::number(value)))
        target = value;
}

void AccelerateImporter::keepExtra(const QString& key, const YAML::Node& value, const YAML::Node& at)
{
    const QString text = flowText(value, false);
    m_spec.accelerateExtra.append({ key, text });
    note(at, QStringLiteral("%1: %2 is not modelled by TuneDeck; kept as accelerate_extra").arg(key, text));
}

// Keys the generator always writes with one value (the walkthrough's).
void AccelerateImporter::fixedValue(const QString& key, const YAML::Node& value)
{
    struct Fixed
    {
        const char* key;
        const char* value;
        bool isBool;
    };
    static const Fixed fixed[] = {
        { "compute_environment", "LOCAL_MACHINE", false },
        { "debug", "false", true },
        { "downcast_bf16", "no", false },
        { "enable_cpu_affinity", "false", true },
        { "main_training_function", "main", false },
        { "rdzv_backend", "static", false },
        { "same_network", "true", true },
        { "tpu_use_cluster", "false", true },
        { "tpu_use_sudo", "false", true },
        { "use_cpu", "false", true },
    };
    for (const Fixed& entry : fixed) {
        if (key != QLatin1StringView(entry.key))
            continue;
        const QString expected = QLatin1StringView(entry.value).toString();
        const QString text = scalarText(value);
        bool same = false;
        if (entry.isBool) {
            const std::optional<bool> parsed = value.IsScalar() && !isQuoted(value) ? yaml11Bool(text) : std::nullopt;
            same = parsed && yamlBool(*parsed) == expected;
        } else {
            // downcast_bf16 is compared case-insensitively: 'no' and 'NO' both appear in the wild, and an
            // unquoted no (YAML 1.1 false) means the same to accelerate.
            same = text.compare(expected, Qt::CaseInsensitive) == 0;
        }
        if (!same)
            note(value,
                QStringLiteral("%1: %2 is replaced by TuneDeck's %3").arg(key, flowText(value, false), expected));
        return;
    }
}

void AccelerateImporter::counts(const YAML::Node& root)
{
    const YAML::Node machines = root["num_machines"];
    const YAML::Node processes = root["num_processes"];
    std::optional<int> nm;
    std::optional<int> np;
    if (machines.IsDefined() && !machines.IsNull())
        nm = readInt(machines, QStringLiteral("num_machines"), 1, 100000);
    if (processes.IsDefined() && !processes.IsNull())
        np = readInt(processes, QStringLiteral("num_processes"), 1, 10000000);
    if (nm)
        claimInt("slurm.nodes", machines, m_spec.slurm.nodes, *nm);
    if (!np)
        return;
    // num_processes is the total over all machines (accelerate's launch divides it by num_machines).
    const int nodes = m_spec.slurm.nodes;
    if (*np % nodes != 0) {
        note(processes,
            QStringLiteral("num_processes %1 does not divide over %2 machines; TuneDeck writes nodes x GPUs per "
                           "node, with %3 GPUs per node")
                .arg(*np)
                .arg(nodes)
                .arg(m_spec.slurm.gpusPerNode));
        return;
    }
    const int perNode = *np / nodes;
    if (!nm && !m_result.origins.contains(QStringLiteral("slurm.nodes")))
        note(processes,
            QStringLiteral("num_processes %1 without num_machines: taken as %2 node(s) x %3 GPUs")
                .arg(*np)
                .arg(nodes)
                .arg(perNode));
    if (!m_result.claim(QStringLiteral("slurm.gpus_per_node"), m_source, lineOf(processes),
            QString::number(m_spec.slurm.gpusPerNode), QString::number(perNode)))
        return;
    m_spec.slurm.gpusPerNode = perNode;
}

void AccelerateImporter::fsdp(const YAML::Node& config, bool isFsdp)
{
    FsdpSettings& f = m_spec.fsdp;
    const QString prefix = QStringLiteral("fsdp_config.");
    int version = 1;
    if (const YAML::Node v = config["fsdp_version"]; v.IsDefined()) {
        if (const auto parsed = readInt(v, prefix + u"fsdp_version", 1, 2))
            version = *parsed;
    }
    claimInt("fsdp.version", config["fsdp_version"].IsDefined() ? config["fsdp_version"] : config, f.version, version);
    static const QStringList v1Only { QStringLiteral("fsdp_sharding_strategy"),
        QStringLiteral("fsdp_backward_prefetch"), QStringLiteral("fsdp_backward_prefetch_policy"),
        QStringLiteral("fsdp_forward_prefetch"), QStringLiteral("fsdp_sync_module_states"),
        QStringLiteral("fsdp_use_orig_params") };
    // The sharding strategy by its legacy number, as torch's ShardingStrategy enum counts from 1.
    static const QStringList strategies { QStringLiteral("FULL_SHARD"), QStringLiteral("SHARD_GRAD_OP"),
        QStringLiteral("NO_SHARD"), QStringLiteral("HYBRID_SHARD"), QStringLiteral("HYBRID_SHARD_ZERO2") };
    QStringList seen;
    for (const auto& entry : config) {
        const QString key = QString::fromStdString(entry.first.Scalar());
        const YAML::Node& value = entry.second;
        const QString path = prefix + key;
        seen.append(key);
        if (key == u"fsdp_version")
            continue;
        if (version == 2 && v1Only.contains(key)) {
            note(entry.first,
                QStringLiteral("%1: %2 is an FSDP1 setting, not used with fsdp_version 2; not carried over")
                    .arg(path, flowText(value, false)));
            continue;
        }
        const auto flag = [&](const char* field, bool& target) {
            if (const auto parsed = readBool(value, path))
                claimBool(field, value, target, *parsed);
        };
        if (key == u"fsdp_activation_checkpointing") {
            flag("fsdp.activation_checkpointing", f.activationCheckpointing);
        } else if (key == u"fsdp_cpu_ram_efficient_loading") {
            flag("fsdp.cpu_ram_efficient_loading", f.cpuRamEfficientLoading);
        } else if (key == u"fsdp_offload_params") {
            flag("fsdp.offload_params", f.offloadParams);
        } else if (key == u"fsdp_forward_prefetch") {
            flag("fsdp.forward_prefetch", f.forwardPrefetch);
        } else if (key == u"fsdp_sync_module_states") {
            flag("fsdp.sync_module_states", f.syncModuleStates);
        } else if (key == u"fsdp_use_orig_params") {
            flag("fsdp.use_orig_params", f.useOrigParams);
        } else if (key == u"fsdp_auto_wrap_policy") {
            claimText("fsdp.auto_wrap_policy", value, f.autoWrapPolicy, scalarText(value));
        } else if (key == u"fsdp_state_dict_type") {
            claimText("fsdp.state_dict_type", value, f.stateDictType, scalarText(value));
        } else if (key == u"fsdp_backward_prefetch" || key == u"fsdp_backward_prefetch_policy") {
            if (key == u"fsdp_backward_prefetch_policy")
                note(entry.first,
                    QStringLiteral("%1 is the old name of fsdp_backward_prefetch; TuneDeck writes the new name")
                        .arg(path));
            claimText("fsdp.backward_prefetch", value, f.backwardPrefetch, scalarText(value));
        } else if (key == u"fsdp_transformer_layer_cls_to_wrap") {
            QString classes = scalarText(value);
            if (value.IsSequence()) {
                QStringList names;
                for (const YAML::Node& item : value)
                    names.append(scalarText(item));
                classes = names.join(u',');
                note(value,
                    QStringLiteral("%1: the list is written as the comma-separated text accelerate reads").arg(path));
            }
            claimText("fsdp.transformer_layer_cls_to_wrap", value, f.transformerLayerClsToWrap, classes);
        } else if (key == u"fsdp_sharding_strategy") {
            QString strategy = scalarText(value);
            bool isNumber = false;
            const int number = strategy.toInt(&isNumber);
            if (isNumber) {
                if (number < 1 || number > strategies.size()) {
                    error(value, QStringLiteral("%1: %2 is not a sharding strategy (1 to 5)").arg(path, strategy));
                    continue;
                }
                note(value,
                    QStringLiteral("%1: legacy number %2 is %3; TuneDeck writes the name")
                        .arg(path, strategy, strategies[number - 1]));
                strategy = strategies[number - 1];
            }
            claimText("fsdp.sharding_strategy", value, f.shardingStrategy, strategy);
        } else if (key == u"fsdp_reshard_after_forward") {
            const QString text = scalarText(value);
            if (version == 1 && strategies.contains(text)) {
                // accelerate >= 1.6 takes FSDP1's sharding strategy under this key.
                note(value,
                    QStringLiteral("%1: %2 is FSDP1's sharding strategy; TuneDeck writes it as "
                                   "fsdp_sharding_strategy")
                        .arg(path, text));
                claimText("fsdp.sharding_strategy", value, f.shardingStrategy, text);
            } else if (const auto parsed = readBool(value, path)) {
                if (version == 2) {
                    claimBool("fsdp.reshard_after_forward", value, f.reshardAfterForward, *parsed);
                } else {
                    const QString mapped = *parsed ? QStringLiteral("FULL_SHARD") : QStringLiteral("SHARD_GRAD_OP");
                    note(value,
                        QStringLiteral("%1: %2 with FSDP1 means %3; TuneDeck writes fsdp_sharding_strategy")
                            .arg(path, text, mapped));
                    claimText("fsdp.sharding_strategy", value, f.shardingStrategy, mapped);
                }
            }
        } else {
            keepExtra(path, value, entry.first);
        }
    }
    if (!isFsdp)
        return;
    // What accelerate would have defaulted differs from TuneDeck's walkthrough defaults: say so.
    struct Expected
    {
        const char* key;
        int version; // 0: both
        QString value;
    };
    const Expected expected[] = {
        { "fsdp_activation_checkpointing", 0, yamlBool(f.activationCheckpointing) },
        { "fsdp_auto_wrap_policy", 0, f.autoWrapPolicy },
        { "fsdp_cpu_ram_efficient_loading", 0, yamlBool(f.cpuRamEfficientLoading) },
        { "fsdp_offload_params", 0, yamlBool(f.offloadParams) },
        { "fsdp_state_dict_type", 0, f.stateDictType },
        { "fsdp_backward_prefetch", 1, f.backwardPrefetch },
        { "fsdp_forward_prefetch", 1, yamlBool(f.forwardPrefetch) },
        { "fsdp_sharding_strategy", 1, f.shardingStrategy },
        { "fsdp_sync_module_states", 1, yamlBool(f.syncModuleStates) },
        { "fsdp_use_orig_params", 1, yamlBool(f.useOrigParams) },
        { "fsdp_reshard_after_forward", 2, yamlBool(f.reshardAfterForward) },
    };
    QStringList missing;
    for (const Expected& entry : expected) {
        const QString key = QLatin1StringView(entry.key).toString();
        if (entry.version != 0 && entry.version != version)
            continue;
        if (seen.contains(key) || (key == u"fsdp_backward_prefetch" && seen.contains(u"fsdp_backward_prefetch_policy"))
            || (key == u"fsdp_sharding_strategy" && seen.contains(u"fsdp_reshard_after_forward")))
            continue;
        missing.append(key + u": " + entry.value);
    }
    if (!missing.isEmpty())
        note(config,
            QStringLiteral("fsdp_config does not set %1; TuneDeck writes them with its defaults")
                .arg(missing.join(u", ")));
}

void AccelerateImporter::deepspeed(const YAML::Node& config)
{
    for (const auto& entry : config) {
        const QString key = QString::fromStdString(entry.first.Scalar());
        const YAML::Node& value = entry.second;
        const QString path = QStringLiteral("deepspeed_config.") + key;
        const QString text = flowText(value, false);
        if (key == u"zero_stage") {
            const auto stage = readInt(value, path, 0, 3);
            if (!stage)
                continue;
            // ZeRO-3 shards parameters, gradients and optimizer state like FSDP's FULL_SHARD; ZeRO-2 (and
            // ZeRO-1, which FSDP has no exact match for) like SHARD_GRAD_OP; ZeRO-0 is plain data parallel.
            const QString strategy = *stage == 3 ? QStringLiteral("FULL_SHARD")
                : *stage == 0                    ? QStringLiteral("NO_SHARD")
                                                 : QStringLiteral("SHARD_GRAD_OP");
            note(value, QStringLiteral("%1: ZeRO stage %2 becomes FSDP %3").arg(path).arg(*stage).arg(strategy));
            claimText("fsdp.sharding_strategy", value, m_spec.fsdp.shardingStrategy, strategy);
        } else if (key == u"offload_param_device") {
            const bool offload = scalarText(value) != u"none" && !value.IsNull();
            note(value,
                QStringLiteral("%1: %2 becomes fsdp.offload_params %3 (FSDP offloads parameters and optimizer "
                               "state together)")
                    .arg(path, text, yamlBool(offload)));
            claimBool("fsdp.offload_params", value, m_spec.fsdp.offloadParams, offload);
        } else {
            note(entry.first,
                QStringLiteral("%1: %2 is a DeepSpeed setting; not carried over (TuneDeck generates FSDP)")
                    .arg(path, text));
        }
    }
}

void AccelerateImporter::run(const YAML::Node& root)
{
    const YAML::Node typeNode = root["distributed_type"];
    const QString type = scalarText(typeNode);
    // accelerate's DistributedType(value): exact, case-sensitive names; anything else and `accelerate
    // launch` refuses the config, so the import must not carry it over as if it were FSDP.
    static const QStringList knownTypes { QStringLiteral("NO"), QStringLiteral("MULTI_CPU"),
        QStringLiteral("MULTI_GPU"), QStringLiteral("MULTI_NPU"), QStringLiteral("MULTI_MLU"),
        QStringLiteral("MULTI_SDAA"), QStringLiteral("MULTI_MUSA"), QStringLiteral("MULTI_XPU"),
        QStringLiteral("MULTI_HPU"), QStringLiteral("DEEPSPEED"), QStringLiteral("FSDP"), QStringLiteral("XLA"),
        QStringLiteral("MEGATRON_LM") };
    bool isFsdp = true;
    if (typeNode.IsDefined() && (!typeNode.IsScalar() || !knownTypes.contains(type))) {
        error(typeNode,
            QStringLiteral("distributed_type: '%1' is not an accelerate distributed type (%2); accelerate refuses "
                           "the config")
                .arg(flowText(typeNode, false), knownTypes.join(u", ")));
        return;
    }
    if (!typeNode.IsDefined()) {
        note(root, QStringLiteral("no distributed_type; TuneDeck generates FSDP"));
    } else if (type == u"DEEPSPEED") {
        isFsdp = false;
        note(typeNode,
            QStringLiteral("distributed_type DEEPSPEED: TuneDeck generates FSDP only; the DeepSpeed settings are "
                           "mapped to the nearest FSDP ones below"));
    } else if (type == u"MULTI_GPU") {
        isFsdp = false;
        note(typeNode,
            QStringLiteral("distributed_type MULTI_GPU (DDP) keeps a whole model copy on every GPU; TuneDeck "
                           "generates FSDP, which shards it (fsdp.sharding_strategy %1)")
                .arg(m_spec.fsdp.shardingStrategy));
    } else if (type != u"FSDP") {
        isFsdp = false;
        note(typeNode,
            QStringLiteral("distributed_type %1: TuneDeck generates FSDP for multi-GPU training")
                .arg(scalarText(typeNode)));
    }
    counts(root);

    for (const auto& entry : root) {
        const QString key = QString::fromStdString(entry.first.Scalar());
        const YAML::Node& value = entry.second;
        if (key == u"distributed_type" || key == u"num_machines" || key == u"num_processes")
            continue;
        if (key == u"mixed_precision") {
            const QString text = scalarText(value).toLower();
            Precision precision = Precision::Bf16;
            if (!isQuoted(value) && yaml11Bool(scalarText(value)) == false) {
                note(value,
                    QStringLiteral("mixed_precision: unquoted %1 is the boolean false in YAML 1.1; read as 'no'")
                        .arg(scalarText(value)));
                precision = Precision::Fp32;
            } else if (text == u"no") {
                precision = Precision::Fp32;
            } else if (text == u"fp16") {
                precision = Precision::Fp16;
            } else if (text == u"bf16") {
                precision = Precision::Bf16;
            } else {
                note(value,
                    QStringLiteral("mixed_precision: %1 is not supported by TuneDeck; keeping %2")
                        .arg(scalarText(value), precisionName(m_spec.training.precision)));
                continue;
            }
            if (m_result.claim(QStringLiteral("training.precision"), m_source, lineOf(value),
                    precisionName(m_spec.training.precision), precisionName(precision)))
                m_spec.training.precision = precision;
        } else if (key == u"fsdp_config") {
            if (value.IsMap())
                fsdp(value, isFsdp);
            else if (!isEmptyCollection(value))
                error(value, QStringLiteral("fsdp_config: expected a mapping"));
        } else if (key == u"deepspeed_config") {
            if (value.IsMap() && value.size() > 0)
                deepspeed(value);
            else if (!isEmptyCollection(value))
                error(value, QStringLiteral("deepspeed_config: expected a mapping"));
            else
                note(entry.first, QStringLiteral("deepspeed_config is empty; not carried over"));
        } else if (key == u"machine_rank" || key == u"main_process_ip" || key == u"main_process_port") {
            note(entry.first,
                QStringLiteral("%1: %2 is not carried over: the script passes it to accelerate launch for each node")
                    .arg(key, flowText(value, false)));
        } else if (key == u"gpu_ids") {
            if (scalarText(value) != u"all" && !value.IsNull())
                note(value,
                    QStringLiteral("gpu_ids: %1 is not carried over: TuneDeck uses every GPU Slurm gives the job")
                        .arg(flowText(value, false)));
        } else if (key == u"tpu_env") {
            if (!isEmptyCollection(value))
                note(value, QStringLiteral("tpu_env: %1 is replaced by TuneDeck's []").arg(flowText(value, false)));
        } else if (key == u"compute_environment" || key == u"debug" || key == u"downcast_bf16"
            || key == u"enable_cpu_affinity" || key == u"main_training_function" || key == u"rdzv_backend"
            || key == u"same_network" || key == u"tpu_use_cluster" || key == u"tpu_use_sudo" || key == u"use_cpu") {
            fixedValue(key, value);
        } else if (isEmptyCollection(value) && key.endsWith(u"_config")) {
            note(entry.first, QStringLiteral("%1 is empty; not carried over").arg(key));
        } else {
            keepExtra(key, value, entry.first);
        }
    }
    if (isFsdp && (!root["fsdp_config"] || isEmptyCollection(root["fsdp_config"])))
        note(root,
            QStringLiteral("no fsdp_config settings: TuneDeck writes its FSDP%1 defaults (%2, %3)")
                .arg(m_spec.fsdp.version)
                .arg(m_spec.fsdp.shardingStrategy, m_spec.fsdp.stateDictType));
}

} // namespace

QString yamlFlowText(const YAML::Node& node)
{
    return flowText(node, false);
}

void importAccelerateConfig(const QByteArray& text, const QString& sourceName, ImportResult& result)
{
    const std::optional<YAML::Node> root = loadYamlMapping(
        text, sourceName, result, QStringLiteral("an accelerate config is a YAML mapping of keys to values"));
    if (!root)
        return;
    try {
        AccelerateImporter(sourceName, result).run(*root);
    } catch (const YAML::Exception& e) {
        // A safety net: no input may abort the program. The message is yaml-cpp's, with its line.
        result.error(sourceName, e.mark.is_null() ? 0 : e.mark.line + 1,
            QStringLiteral("cannot be read as an accelerate config: %1").arg(QString::fromStdString(e.msg)));
    }
}

} // namespace TuneDeck
