#include "core/job/jobspecio.h"

#include "core/job/yamlreader.h"
#include "core/job/yamltext.h"

#include <QFile>

namespace TuneDeck {
namespace {

const int FormatVersion = 1;

template<typename Enum> struct EnumName
{
    Enum value;
    const char* name;
};

const EnumName<FinetuningMethod> MethodNames[] = {
    { FinetuningMethod::Lora, "lora" },
    { FinetuningMethod::Qlora, "qlora" },
    { FinetuningMethod::Full, "full" },
};
const EnumName<Precision> PrecisionNames[] = {
    { Precision::Bf16, "bf16" },
    { Precision::Fp16, "fp16" },
    { Precision::Fp32, "fp32" },
};

template<typename Enum, std::size_t N>
void readEnum(YamlReader& reader, const YAML::Node& map, const QString& path, const char* key, Enum& out,
    const EnumName<Enum> (&names)[N])
{
    QString text;
    if (!reader.readString(map, path, key, text))
        return;
    QStringList choices;
    for (const auto& entry : names) {
        if (text == QLatin1StringView(entry.name)) {
            out = entry.value;
            return;
        }
        choices.append(QString::fromLatin1(entry.name));
    }
    reader.error(map[key], joinPath(path, key), QStringLiteral("'%1' is not one of %2").arg(text, choices.join(u", ")));
}

template<typename Enum, std::size_t N> QString enumName(Enum value, const EnumName<Enum> (&names)[N])
{
    for (const auto& entry : names) {
        if (entry.value == value)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

QList<QPair<QString, QString>> readPairs(
    YamlReader& reader, const YAML::Node& map, const QString& path, const char* key)
{
    QList<QPair<QString, QString>> pairs;
    const YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull())
        return pairs;
    if (!node.IsMap()) {
        reader.error(node, joinPath(path, key), QStringLiteral("expected a mapping"));
        return pairs;
    }
    for (const auto& entry : node) {
        const QString name = QString::fromStdString(entry.first.Scalar());
        if (!entry.second.IsScalar()) {
            reader.error(entry.second, joinPath(path, key) + u'.' + name, QStringLiteral("expected a text value"));
            continue;
        }
        pairs.append({ name, QString::fromStdString(entry.second.Scalar()) });
    }
    return pairs;
}

void readSlurm(YamlReader& r, const YAML::Node& root, SlurmSettings& s)
{
    const YAML::Node m = r.mapping(root, {}, "slurm");
    if (!m.IsMap())
        return;
    const QString p = QStringLiteral("slurm");
    r.rejectUnknownKeys(m, p,
        { QStringLiteral("account"), QStringLiteral("qos"), QStringLiteral("partition"), QStringLiteral("job_name"),
            QStringLiteral("time"), QStringLiteral("nodes"), QStringLiteral("gpu_type"),
            QStringLiteral("gpus_per_node"), QStringLiteral("mem"), QStringLiteral("cpus_per_task"),
            QStringLiteral("extra_directives") });
    r.readString(m, p, "account", s.account);
    r.readString(m, p, "qos", s.qos);
    r.readString(m, p, "partition", s.partition);
    r.readString(m, p, "job_name", s.jobName);
    r.readString(m, p, "time", s.time);
    r.readInt(m, p, "nodes", s.nodes, 1, 100000);
    r.readString(m, p, "gpu_type", s.gpuType);
    r.readInt(m, p, "gpus_per_node", s.gpusPerNode, 1, 64);
    r.readString(m, p, "mem", s.mem);
    r.readInt(m, p, "cpus_per_task", s.cpusPerTask, 0, 4096);
    s.extraDirectives = readPairs(r, m, p, "extra_directives");
}

void readEnvironment(YamlReader& r, const YAML::Node& root, EnvironmentSettings& e)
{
    const YAML::Node m = r.mapping(root, {}, "environment");
    if (!m.IsMap())
        return;
    const QString p = QStringLiteral("environment");
    r.rejectUnknownKeys(m, p,
        { QStringLiteral("project_path"), QStringLiteral("run_dir"), QStringLiteral("llama_factory_dir"),
            QStringLiteral("venv"), QStringLiteral("hf_home"), QStringLiteral("modules"),
            QStringLiteral("install_requirements") });
    r.readString(m, p, "project_path", e.projectPath);
    r.readString(m, p, "run_dir", e.runDir);
    r.readString(m, p, "llama_factory_dir", e.llamaFactoryDir);
    r.readString(m, p, "venv", e.venv);
    r.readString(m, p, "hf_home", e.hfHome);
    r.readStringList(m, p, "modules", e.modules);
    r.readBool(m, p, "install_requirements", e.installRequirements);
}

void readTraining(YamlReader& r, const YAML::Node& root, TrainingSettings& t)
{
    const YAML::Node m = r.mapping(root, {}, "training");
    if (!m.IsMap())
        return;
    const QString p = QStringLiteral("training");
    r.rejectUnknownKeys(m, p,
        { QStringLiteral("model"), QStringLiteral("model_params_b"), QStringLiteral("method"),
            QStringLiteral("lora_rank"), QStringLiteral("lora_target"), QStringLiteral("quantization_bit"),
            QStringLiteral("dataset"), QStringLiteral("dataset_dir"), QStringLiteral("dataset_examples"),
            QStringLiteral("template"), QStringLiteral("epochs"), QStringLiteral("per_device_batch"),
            QStringLiteral("gradient_accumulation"), QStringLiteral("cutoff_len"), QStringLiteral("learning_rate"),
            QStringLiteral("logging_steps"), QStringLiteral("save_steps"), QStringLiteral("output_dir"),
            QStringLiteral("precision"), QStringLiteral("gradient_checkpointing"),
            QStringLiteral("expected_sec_per_step") });
    r.readString(m, p, "model", t.model);
    r.readDouble(m, p, "model_params_b", t.modelParamsBillions, 0, 100000);
    readEnum(r, m, p, "method", t.method, MethodNames);
    r.readInt(m, p, "lora_rank", t.loraRank, 1, 4096);
    r.readString(m, p, "lora_target", t.loraTarget);
    r.readInt(m, p, "quantization_bit", t.quantizationBit, 2, 8);
    r.readString(m, p, "dataset", t.dataset);
    r.readString(m, p, "dataset_dir", t.datasetDir);
    r.readInt(m, p, "dataset_examples", t.datasetExamples, 0, 2000000000);
    r.readString(m, p, "template", t.templateName);
    r.readDouble(m, p, "epochs", t.epochs, 0, 100000);
    r.readInt(m, p, "per_device_batch", t.perDeviceBatch, 1, 1 << 20);
    r.readInt(m, p, "gradient_accumulation", t.gradientAccumulation, 1, 1 << 20);
    r.readInt(m, p, "cutoff_len", t.cutoffLen, 1, 1 << 24);
    r.readString(m, p, "learning_rate", t.learningRate);
    r.readInt(m, p, "logging_steps", t.loggingSteps, 1, 1 << 30);
    r.readInt(m, p, "save_steps", t.saveSteps, 1, 1 << 30);
    r.readString(m, p, "output_dir", t.outputDir);
    readEnum(r, m, p, "precision", t.precision, PrecisionNames);
    r.readBool(m, p, "gradient_checkpointing", t.gradientCheckpointing);
    r.readDouble(m, p, "expected_sec_per_step", t.expectedSecondsPerStep, 0, 1e7);
}

void readFsdp(YamlReader& r, const YAML::Node& root, FsdpSettings& f)
{
    const YAML::Node m = r.mapping(root, {}, "fsdp");
    if (!m.IsMap())
        return;
    const QString p = QStringLiteral("fsdp");
    r.rejectUnknownKeys(m, p,
        { QStringLiteral("version"), QStringLiteral("sharding_strategy"), QStringLiteral("reshard_after_forward"),
            QStringLiteral("offload_params"), QStringLiteral("activation_checkpointing"),
            QStringLiteral("state_dict_type"), QStringLiteral("cpu_ram_efficient_loading"),
            QStringLiteral("auto_wrap_policy"), QStringLiteral("transformer_layer_cls_to_wrap"),
            QStringLiteral("backward_prefetch"), QStringLiteral("forward_prefetch"),
            QStringLiteral("sync_module_states"), QStringLiteral("use_orig_params") });
    r.readInt(m, p, "version", f.version, 1, 2);
    r.readString(m, p, "sharding_strategy", f.shardingStrategy);
    r.readBool(m, p, "reshard_after_forward", f.reshardAfterForward);
    r.readBool(m, p, "offload_params", f.offloadParams);
    r.readBool(m, p, "activation_checkpointing", f.activationCheckpointing);
    r.readString(m, p, "state_dict_type", f.stateDictType);
    r.readBool(m, p, "cpu_ram_efficient_loading", f.cpuRamEfficientLoading);
    r.readString(m, p, "auto_wrap_policy", f.autoWrapPolicy);
    r.readString(m, p, "transformer_layer_cls_to_wrap", f.transformerLayerClsToWrap);
    r.readString(m, p, "backward_prefetch", f.backwardPrefetch);
    r.readBool(m, p, "forward_prefetch", f.forwardPrefetch);
    r.readBool(m, p, "sync_module_states", f.syncModuleStates);
    r.readBool(m, p, "use_orig_params", f.useOrigParams);
}

void readLaunchAndResume(YamlReader& r, const YAML::Node& root, JobSpec& spec)
{
    if (const YAML::Node m = r.mapping(root, {}, "launch"); m.IsMap()) {
        r.rejectUnknownKeys(m, QStringLiteral("launch"), { QStringLiteral("port") });
        r.readInt(m, QStringLiteral("launch"), "port", spec.launch.port, 0, 65535);
    }
    if (const YAML::Node m = r.mapping(root, {}, "resume"); m.IsMap()) {
        const QString p = QStringLiteral("resume");
        r.rejectUnknownKeys(
            m, p, { QStringLiteral("enabled"), QStringLiteral("signal_lead_seconds"), QStringLiteral("max_restarts") });
        r.readBool(m, p, "enabled", spec.resume.enabled);
        r.readInt(m, p, "signal_lead_seconds", spec.resume.signalLeadSeconds, 1, 1 << 24);
        r.readInt(m, p, "max_restarts", spec.resume.maxRestarts, 0, 1000);
    }
}

} // namespace

JobSpecLoadResult loadJobSpecFromYaml(const QByteArray& text, const QString& sourceName)
{
    YamlReader reader(sourceName);
    JobSpecLoadResult result;
    const YAML::Node root = reader.parse(text);
    if (!reader.errors().isEmpty()) {
        result.errors = reader.errors();
        return result;
    }
    reader.rejectUnknownKeys(root, {},
        { QStringLiteral("tunedeck_job_spec"), QStringLiteral("profile"), QStringLiteral("slurm"),
            QStringLiteral("environment"), QStringLiteral("training"), QStringLiteral("fsdp"), QStringLiteral("launch"),
            QStringLiteral("resume"), QStringLiteral("accelerate_extra") });
    int version = FormatVersion;
    if (reader.readInt(root, {}, "tunedeck_job_spec", version, 1, 1000) && version != FormatVersion)
        reader.error(root["tunedeck_job_spec"], QStringLiteral("tunedeck_job_spec"),
            QStringLiteral("this TuneDeck reads job spec format %1, the file is format %2")
                .arg(FormatVersion)
                .arg(version));
    JobSpec& spec = result.spec;
    reader.readString(root, {}, "profile", spec.profile);
    readSlurm(reader, root, spec.slurm);
    readEnvironment(reader, root, spec.environment);
    readTraining(reader, root, spec.training);
    readFsdp(reader, root, spec.fsdp);
    readLaunchAndResume(reader, root, spec);
    spec.accelerateExtra = readPairs(reader, root, {}, "accelerate_extra");
    result.errors = reader.errors();
    return result;
}

JobSpecLoadResult loadJobSpecFromFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        JobSpecLoadResult result;
        result.errors.append(path + u": cannot read: " + file.errorString());
        return result;
    }
    return loadJobSpecFromYaml(file.readAll(), path);
}

QByteArray saveJobSpecToYaml(const JobSpec& spec)
{
    QString text;
    const auto section = [&text](const char* name) { text += u'\n' + QLatin1StringView(name) + u":\n"; };
    const auto str = [&text](const char* key, const QString& value) {
        text += u"  " + QLatin1StringView(key) + u": " + yamlString(value) + u'\n';
    };
    const auto raw = [&text](const char* key, const QString& value) {
        text += u"  " + QLatin1StringView(key) + u": " + value + u'\n';
    };
    const auto num = [&raw](const char* key, double value) { raw(key, QString::number(value, 'g', 12)); };
    const auto pairs = [&text](const QList<QPair<QString, QString>>& entries, const QString& indent) {
        for (const auto& [key, value] : entries)
            text += indent + yamlString(key) + u": " + yamlString(value) + u'\n';
    };

    text += QStringLiteral("# TuneDeck job spec: render it with `tunedeck render --spec FILE --out DIR`.\n");
    text += QStringLiteral("tunedeck_job_spec: %1\nprofile: %2\n").arg(FormatVersion).arg(yamlString(spec.profile));
    const SlurmSettings& s = spec.slurm;
    section("slurm");
    str("account", s.account);
    str("qos", s.qos);
    str("partition", s.partition);
    str("job_name", s.jobName);
    str("time", s.time);
    num("nodes", s.nodes);
    str("gpu_type", s.gpuType);
    num("gpus_per_node", s.gpusPerNode);
    str("mem", s.mem);
    num("cpus_per_task", s.cpusPerTask);
    if (s.extraDirectives.isEmpty()) {
        raw("extra_directives", QStringLiteral("{}"));
    } else {
        text += u"  extra_directives:\n";
        pairs(s.extraDirectives, QStringLiteral("    "));
    }
    const EnvironmentSettings& e = spec.environment;
    section("environment");
    str("project_path", e.projectPath);
    str("run_dir", e.runDir);
    str("llama_factory_dir", e.llamaFactoryDir);
    str("venv", e.venv);
    str("hf_home", e.hfHome);
    QStringList modules;
    for (const QString& module : e.modules)
        modules.append(yamlString(module));
    raw("modules", u'[' + modules.join(u", ") + u']');
    raw("install_requirements", yamlBool(e.installRequirements));
    const TrainingSettings& t = spec.training;
    section("training");
    str("model", t.model);
    num("model_params_b", t.modelParamsBillions);
    raw("method", enumName(t.method, MethodNames));
    num("lora_rank", t.loraRank);
    str("lora_target", t.loraTarget);
    num("quantization_bit", t.quantizationBit);
    str("dataset", t.dataset);
    str("dataset_dir", t.datasetDir);
    num("dataset_examples", t.datasetExamples);
    str("template", t.templateName);
    num("epochs", t.epochs);
    num("per_device_batch", t.perDeviceBatch);
    num("gradient_accumulation", t.gradientAccumulation);
    num("cutoff_len", t.cutoffLen);
    str("learning_rate", t.learningRate);
    num("logging_steps", t.loggingSteps);
    num("save_steps", t.saveSteps);
    str("output_dir", t.outputDir);
    raw("precision", enumName(t.precision, PrecisionNames));
    raw("gradient_checkpointing", yamlBool(t.gradientCheckpointing));
    num("expected_sec_per_step", t.expectedSecondsPerStep);
    const FsdpSettings& f = spec.fsdp;
    section("fsdp");
    num("version", f.version);
    str("sharding_strategy", f.shardingStrategy);
    raw("reshard_after_forward", yamlBool(f.reshardAfterForward));
    raw("offload_params", yamlBool(f.offloadParams));
    raw("activation_checkpointing", yamlBool(f.activationCheckpointing));
    str("state_dict_type", f.stateDictType);
    raw("cpu_ram_efficient_loading", yamlBool(f.cpuRamEfficientLoading));
    str("auto_wrap_policy", f.autoWrapPolicy);
    str("transformer_layer_cls_to_wrap", f.transformerLayerClsToWrap);
    str("backward_prefetch", f.backwardPrefetch);
    raw("forward_prefetch", yamlBool(f.forwardPrefetch));
    raw("sync_module_states", yamlBool(f.syncModuleStates));
    raw("use_orig_params", yamlBool(f.useOrigParams));
    section("launch");
    num("port", spec.launch.port);
    section("resume");
    raw("enabled", yamlBool(spec.resume.enabled));
    num("signal_lead_seconds", spec.resume.signalLeadSeconds);
    num("max_restarts", spec.resume.maxRestarts);
    if (!spec.accelerateExtra.isEmpty()) {
        text += u"\naccelerate_extra:\n";
        pairs(spec.accelerateExtra, QStringLiteral("  "));
    }
    return text.toUtf8();
}

} // namespace TuneDeck
