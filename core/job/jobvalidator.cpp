#include "core/job/jobvalidator.h"

#include "core/job/generators.h"
#include "core/job/memoryestimate.h"
#include "core/job/trainingplan.h"
#include "core/util/shellquote.h"
#include "core/util/slurmvalues.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace TuneDeck {
namespace {

const qsizetype MaxJobNameBytes = 255;
const double MaxEpochs = 100000; // as the spec loader's range

class Checker
{
public:
    void error(const char* field, const QString& message) { add(Severity::Error, field, message); }
    void error(const QString& field, const QString& message)
    {
        m_diagnostics.append(Diagnostic { Severity::Error, field, message });
    }
    void warning(const char* field, const QString& message) { add(Severity::Warning, field, message); }
    void info(const char* field, const QString& message) { add(Severity::Info, field, message); }
    Diagnostics take() { return std::move(m_diagnostics); }

private:
    void add(Severity severity, const char* field, const QString& message)
    {
        m_diagnostics.append(Diagnostic { severity, QString::fromLatin1(field), message });
    }
    Diagnostics m_diagnostics;
};

bool hasControlCharacter(const QString& text)
{
    for (QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    }
    return false;
}

// "0", "0G", "00M": what sbatch reads as "all of each node's memory".
bool isZeroMemory(QStringView text)
{
    text = text.trimmed();
    if (!text.isEmpty() && text.back().isLetter())
        text.chop(1);
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](QChar c) { return c == u'0'; });
}

void checkIdentifier(Checker& check, const char* field, const QString& value, bool required, const char* what)
{
    if (value.isEmpty()) {
        if (required)
            check.error(field, QStringLiteral("%1 is required").arg(QLatin1StringView(what)));
        return;
    }
    if (!isSlurmIdentifier(value))
        check.error(field,
            QStringLiteral("'%1' is not a valid %2: use letters, digits, '_', '.' and '-', not starting with '-'")
                .arg(value, QLatin1StringView(what)));
}

void checkSlurm(Checker& check, const JobSpec& spec, const ClusterProfile& profile)
{
    const SlurmSettings& s = spec.slurm;
    checkIdentifier(check, "slurm.account", s.account, true, "account");
    checkIdentifier(check, "slurm.qos", s.qos, false, "QoS");
    if (!s.qos.isEmpty() && !profile.qosChoices.isEmpty() && !profile.qosChoices.contains(s.qos))
        check.warning("slurm.qos",
            QStringLiteral("'%1' is not one of %2's QoS (%3)")
                .arg(s.qos, profile.displayName, profile.qosChoices.join(QStringLiteral(", "))));
    checkIdentifier(check, "slurm.partition", s.partition, false, "partition");
    if (const QString problem = jobNameProblem(s.jobName); !problem.isEmpty())
        check.error("slurm.job_name", problem);

    const std::optional<qint64> limit = parseSlurmDuration(s.time);
    const QString time = s.time.trimmed();
    if (time == u"0" || time.compare(u"UNLIMITED", Qt::CaseInsensitive) == 0
        || time.compare(u"INFINITE", Qt::CaseInsensitive) == 0) {
        // sbatch reads these as "no time limit"; the QoS then imposes its own, and TuneDeck could not
        // check the run and its checkpoints against it.
        check.error("slurm.time",
            QStringLiteral("'%1' asks for no time limit; give the limit the job needs (e.g. 3:00:00) so TuneDeck can "
                           "check that the run and its checkpoints fit, and the QoS does not cut it shorter")
                .arg(s.time));
    } else if (!limit) {
        check.error("slurm.time",
            QStringLiteral("'%1' is not a Slurm time: use minutes, H:MM:SS, D-HH or D-HH:MM:SS").arg(s.time));
    } else if (const auto max = parseSlurmDuration(profile.maxTime); max && *limit > *max) {
        check.error("slurm.time",
            QStringLiteral("%1 is longer than %2's limit of %3").arg(s.time, profile.displayName, profile.maxTime));
    }

    if (s.nodes < 1)
        check.error("slurm.nodes", QStringLiteral("at least one node is needed"));
    else if (profile.maxNodes > 0 && s.nodes > profile.maxNodes)
        check.error(
            "slurm.nodes", QStringLiteral("%1 has at most %2 nodes").arg(profile.displayName).arg(profile.maxNodes));

    const GpuType* gpu = profile.gpuType(s.gpuType);
    if (!gpu) {
        QStringList names;
        for (const GpuType& type : profile.gpuTypes)
            names.append(type.name);
        check.error("slurm.gpu_type",
            QStringLiteral("'%1' is not a GPU type of %2 (%3)").arg(s.gpuType, profile.displayName, names.join(u", ")));
    }
    if (s.gpusPerNode < 1 || s.gpusPerNode > profile.gpusPerNode)
        check.error("slurm.gpus_per_node",
            QStringLiteral("%1's nodes have 1 to %2 GPUs, not %3")
                .arg(profile.displayName)
                .arg(profile.gpusPerNode)
                .arg(s.gpusPerNode));
    else if (s.gpusPerNode < profile.gpusPerNode && s.nodes > 1)
        check.info("slurm.gpus_per_node",
            QStringLiteral("%1 of %2 GPUs per node on %3 nodes: fewer, fuller nodes communicate faster")
                .arg(s.gpusPerNode)
                .arg(profile.gpusPerNode)
                .arg(s.nodes));

    const std::optional<qint64> mem = parseSlurmMemoryMiB(s.mem);
    if (isZeroMemory(s.mem))
        // sbatch: --mem=0 is all of each node's memory, which TuneDeck cannot check against the design.
        check.error("slurm.mem",
            QStringLiteral(
                "'%1' asks for all of each node's memory; give the amount (e.g. 491520 or 480G) so it can be "
                "checked against %2's nodes")
                .arg(s.mem, profile.displayName));
    else if (!mem)
        check.error("slurm.mem", QStringLiteral("'%1' is not an sbatch --mem size (e.g. 491520, 480G)").arg(s.mem));
    else if (profile.memoryPerNodeMiB > 0 && *mem > profile.memoryPerNodeMiB)
        check.error("slurm.mem",
            QStringLiteral("%1 MiB per node is more than %2's nodes offer (%3 MiB); Slurm would reply "
                           "\"Requested node configuration is not available\"")
                .arg(*mem)
                .arg(profile.displayName)
                .arg(profile.memoryPerNodeMiB));
    if (s.cpusPerTask < 0 || (profile.cpusPerNode > 0 && s.cpusPerTask > profile.cpusPerNode))
        check.error("slurm.cpus_per_task",
            QStringLiteral("%1's nodes have %2 cores").arg(profile.displayName).arg(profile.cpusPerNode));

    static const QRegularExpression optionName(QStringLiteral("^--[a-z][a-z0-9-]*\\z"));
    // Options the generated script relies on; an imported value for them would silently break it.
    static const QStringList owned { QStringLiteral("--output"), QStringLiteral("--error"), QStringLiteral("--chdir"),
        QStringLiteral("--nodes"), QStringLiteral("--ntasks-per-node"), QStringLiteral("--gpus-per-node"),
        QStringLiteral("--job-name"), QStringLiteral("--account"), QStringLiteral("--qos"), QStringLiteral("--time"),
        QStringLiteral("--mem"), QStringLiteral("--constraint"), QStringLiteral("--signal"),
        QStringLiteral("--requeue"), QStringLiteral("--open-mode"), QStringLiteral("--partition") };
    for (const auto& [name, value] : s.extraDirectives) {
        if (!optionName.match(name).hasMatch())
            check.error(
                "slurm.extra_directives", QStringLiteral("'%1' is not an sbatch long option (--name)").arg(name));
        else if (owned.contains(name))
            check.error("slurm.extra_directives",
                QStringLiteral("%1 is set by TuneDeck from the job design; change that field instead").arg(name));
        else if (!sbatchQuote(value))
            check.error("slurm.extra_directives", QStringLiteral("the value of %1 contains a line break").arg(name));
    }
}

void checkEnvironment(Checker& check, const JobSpec& spec, const ClusterProfile& profile)
{
    const EnvironmentSettings& e = spec.environment;
    if (e.projectPath.isEmpty())
        check.error("environment.project_path", QStringLiteral("the project's shared folder is required"));
    else if (const QString problem = absolutePathProblem(e.projectPath); !problem.isEmpty())
        check.error("environment.project_path", problem);
    const auto optionalPath = [&check](const char* field, const QString& path) {
        if (!path.isEmpty())
            if (const QString problem = absolutePathProblem(path); !problem.isEmpty())
                check.error(field, problem);
    };
    optionalPath("environment.run_dir", e.runDir);
    // sbatch expands %j, %x, %N... in --output, so a '%' in the run directory would name another file.
    if (effectiveRunDir(spec).contains(u'%'))
        check.error(e.runDir.isEmpty() ? "environment.project_path" : "environment.run_dir",
            QStringLiteral("the run directory cannot contain '%': sbatch reads it as a file name pattern"));
    optionalPath("environment.llama_factory_dir", e.llamaFactoryDir);
    optionalPath("environment.venv", e.venv);
    optionalPath("environment.hf_home", e.hfHome);
    for (const QString& module : e.modules.isEmpty() ? profile.modules : e.modules) {
        if (const QString problem = moduleNameProblem(module); !problem.isEmpty())
            check.error("environment.modules", problem);
    }
    if (e.installRequirements)
        check.warning("environment.install_requirements",
            QStringLiteral("pip install runs inside the GPU job, on every start: it spends GPU hours and can "
                           "fail without network on compute nodes; prefer creating the venv on the login node"));
}

void checkTraining(Checker& check, const JobSpec& spec)
{
    const TrainingSettings& t = spec.training;
    static const QRegularExpression listText(QStringLiteral("^[A-Za-z0-9_.,/-]+\\z"));
    if (t.model.trimmed().isEmpty())
        check.error("training.model", QStringLiteral("a Hugging Face model id or a path is required"));
    else if (hasControlCharacter(t.model))
        check.error("training.model", QStringLiteral("contains a control character"));
    if (!listText.match(t.dataset).hasMatch())
        check.error("training.dataset",
            QStringLiteral("'%1': dataset names are comma-separated names from dataset_info.json").arg(t.dataset));
    if (!listText.match(t.templateName).hasMatch())
        check.error(
            "training.template", QStringLiteral("'%1' is not a LLaMA-Factory template name").arg(t.templateName));
    if (!t.datasetDir.isEmpty() && hasControlCharacter(t.datasetDir))
        check.error("training.dataset_dir", QStringLiteral("contains a control character"));
    if (!listText.match(t.loraTarget).hasMatch())
        check.error("training.lora_target",
            QStringLiteral("'%1': use 'all' or module names like q_proj,v_proj").arg(t.loraTarget));
    // Non-finite numbers would reach train.yaml as text PyYAML does not read as a number (nan, inf).
    if (!std::isfinite(t.epochs) || t.epochs <= 0 || t.epochs > MaxEpochs)
        check.error("training.epochs", QStringLiteral("must be a number more than 0 and at most %1").arg(MaxEpochs));
    if (!std::isfinite(t.expectedSecondsPerStep) || t.expectedSecondsPerStep < 0)
        check.error("training.expected_sec_per_step", QStringLiteral("must be a number of seconds, 0 or more"));
    if (!std::isfinite(t.modelParamsBillions) || t.modelParamsBillions < 0)
        check.error("training.model_params_b", QStringLiteral("must be a number of billions, 0 or more"));
    if (t.perDeviceBatch < 1)
        check.error("training.per_device_batch", QStringLiteral("must be at least 1"));
    if (t.gradientAccumulation < 1)
        check.error("training.gradient_accumulation", QStringLiteral("must be at least 1"));
    if (t.cutoffLen < 16)
        check.error("training.cutoff_len", QStringLiteral("must be at least 16 tokens"));
    if (t.loraRank < 1 && t.method != FinetuningMethod::Full)
        check.error("training.lora_rank", QStringLiteral("must be at least 1"));
    if (t.method == FinetuningMethod::Qlora && t.quantizationBit != 4 && t.quantizationBit != 8)
        check.error("training.quantization_bit", QStringLiteral("QLoRA uses 4 or 8 bits"));
    bool lrOk = false;
    const double lr = t.learningRate.toDouble(&lrOk);
    if (!lrOk || !std::isfinite(lr) || lr <= 0 || lr >= 1)
        check.error(
            "training.learning_rate", QStringLiteral("'%1' is not a learning rate (e.g. 1.0e-4)").arg(t.learningRate));
    if (t.loggingSteps < 1)
        check.error("training.logging_steps", QStringLiteral("must be at least 1"));
    if (t.saveSteps < 1)
        check.error("training.save_steps", QStringLiteral("must be at least 1"));
    if (t.outputDir.isEmpty() || hasControlCharacter(t.outputDir) || t.outputDir.split(u'/').contains(u".."))
        check.error("training.output_dir",
            QStringLiteral("use a folder name inside the run directory (or an absolute path), without '..'"));
}

void checkAccelerateExtra(Checker& check, const JobSpec& spec)
{
    QStringList seen;
    for (const auto& [key, value] : spec.accelerateExtra) {
        if (const QString problem = accelerateExtraProblem(key, value); !problem.isEmpty())
            check.error(QStringLiteral("accelerate_extra.") + key, problem);
        else if (seen.contains(key))
            check.error(QStringLiteral("accelerate_extra.") + key, QStringLiteral("set twice"));
        seen.append(key);
    }
}

void checkFsdp(Checker& check, const JobSpec& spec)
{
    const FsdpSettings& f = spec.fsdp;
    const auto oneOf = [&check](const char* field, const QString& value, const QStringList& allowed) {
        if (!allowed.contains(value))
            check.error(field, QStringLiteral("'%1' is not one of %2").arg(value, allowed.join(u", ")));
    };
    if (f.version != 1 && f.version != 2)
        check.error("fsdp.version", QStringLiteral("FSDP version is 1 or 2"));
    if (f.version == 1) {
        oneOf("fsdp.sharding_strategy", f.shardingStrategy,
            { QStringLiteral("FULL_SHARD"), QStringLiteral("SHARD_GRAD_OP"), QStringLiteral("NO_SHARD"),
                QStringLiteral("HYBRID_SHARD"), QStringLiteral("HYBRID_SHARD_ZERO2") });
        oneOf("fsdp.backward_prefetch", f.backwardPrefetch,
            { QStringLiteral("BACKWARD_PRE"), QStringLiteral("BACKWARD_POST"), QStringLiteral("NO_PREFETCH") });
    }
    oneOf("fsdp.state_dict_type", f.stateDictType,
        { QStringLiteral("SHARDED_STATE_DICT"), QStringLiteral("FULL_STATE_DICT") });
    oneOf("fsdp.auto_wrap_policy", f.autoWrapPolicy,
        { QStringLiteral("TRANSFORMER_BASED_WRAP"), QStringLiteral("SIZE_BASED_WRAP"), QStringLiteral("NO_WRAP") });
    static const QRegularExpression classNames(QStringLiteral("^[A-Za-z0-9_,]*\\z"));
    if (!classNames.match(f.transformerLayerClsToWrap).hasMatch())
        check.error("fsdp.transformer_layer_cls_to_wrap",
            QStringLiteral("'%1' is not a list of Python class names").arg(f.transformerLayerClsToWrap));
    if (spec.launch.port != 0 && (spec.launch.port < 1024 || spec.launch.port > 65535))
        check.error("launch.port", QStringLiteral("use 0 (derived from the job id) or a port from 1024 to 65535"));
    else if (spec.launch.port != 0)
        check.info("launch.port",
            QStringLiteral(
                "a fixed port fails when another job on the same node uses it; 0 derives it from the job id"));
}

void checkMemory(Checker& check, const JobSpec& spec, const ClusterProfile& profile)
{
    const GpuType* gpu = profile.gpuType(spec.slurm.gpuType);
    if (!gpu || worldSize(spec) < 1)
        return;
    const std::optional<MemoryEstimate> estimate = estimateGpuMemory(spec, gpu->memoryGiB);
    if (!estimate) {
        check.warning("training.model_params_b",
            QStringLiteral("the model size cannot be read from '%1'; set training.model_params_b to check GPU memory")
                .arg(spec.training.model));
        return;
    }
    const QString where = QStringLiteral("%1 x %2 %3 (FSDP over %4 ranks): ")
                              .arg(spec.slurm.nodes)
                              .arg(spec.slurm.gpusPerNode)
                              .arg(gpu->name)
                              .arg(estimate->shardDegree);
    if (estimate->fraction() > 1.0)
        check.error("slurm.nodes",
            where + QStringLiteral("does not fit in GPU memory: ") + estimate->breakdown()
                + QStringLiteral(". Use more nodes, a bigger GPU type, QLoRA, or a shorter cutoff_len."));
    else if (estimate->fraction() > 0.9)
        check.warning("slurm.nodes", where + QStringLiteral("fits with little headroom: ") + estimate->breakdown());
    else
        check.info("slurm.nodes", where + QStringLiteral("fits in GPU memory: ") + estimate->breakdown());
}

void checkTimeLimit(Checker& check, const JobSpec& spec)
{
    const TrainingPlan plan = planTraining(spec);
    const TrainingSettings& t = spec.training;
    if (!plan.timeLimitSeconds)
        return; // reported by checkSlurm
    const QString limit = spec.slurm.time;
    if (plan.totalSteps)
        check.info("training.dataset_examples",
            QStringLiteral(
                "%1 examples, %2 epochs on %3 ranks x batch %4 x accumulation %5: %6 steps per epoch, %7 in all")
                .arg(t.datasetExamples)
                .arg(t.epochs)
                .arg(worldSize(spec))
                .arg(t.perDeviceBatch)
                .arg(t.gradientAccumulation)
                .arg(*plan.stepsPerEpoch)
                .arg(*plan.totalSteps));
    if (plan.projectedSeconds && *plan.projectedSeconds > *plan.timeLimitSeconds) {
        check.warning("slurm.time",
            QStringLiteral("%1 steps x %2 s = %3 will not finish within %4%5")
                .arg(*plan.totalSteps)
                .arg(t.expectedSecondsPerStep)
                .arg(formatSlurmDuration(qint64(*plan.projectedSeconds)), limit,
                    spec.resume.enabled ? QStringLiteral("; resume will requeue it from its checkpoints")
                                        : QStringLiteral("; enable resume or ask for more time")));
    }
    // A run killed by the time limit keeps only what it checkpointed.
    if (plan.stepsBeforeTimeLimit && t.saveSteps > *plan.stepsBeforeTimeLimit
        && (!plan.totalSteps || *plan.totalSteps > *plan.stepsBeforeTimeLimit)) {
        const QString message
            = QStringLiteral("no checkpoint before the time limit: about %1 steps fit in %2 at %3 s per step, and the "
                             "first checkpoint is at step %4; set save_steps to %5 or less")
                  .arg(*plan.stepsBeforeTimeLimit)
                  .arg(limit)
                  .arg(t.expectedSecondsPerStep)
                  .arg(t.saveSteps)
                  .arg(std::max<qint64>(1, *plan.stepsBeforeTimeLimit));
        if (spec.resume.enabled)
            check.error("training.save_steps", message + QStringLiteral(" (each requeued attempt would start over)"));
        else
            check.warning("training.save_steps", message);
    } else if (!plan.stepsBeforeTimeLimit && plan.totalSteps && t.saveSteps > *plan.totalSteps) {
        check.warning("training.save_steps",
            QStringLiteral("save_steps %1 is more than the %2 steps of the run: nothing is checkpointed until the end, "
                           "so a run stopped by the time limit keeps nothing")
                .arg(t.saveSteps)
                .arg(*plan.totalSteps));
    }
    if (spec.resume.enabled) {
        if (spec.resume.signalLeadSeconds < 60 || spec.resume.signalLeadSeconds > *plan.timeLimitSeconds / 2)
            check.error("resume.signal_lead_seconds",
                QStringLiteral("use 60 s to half the time limit, so a checkpoint can be noted before Slurm's kill"));
        if (spec.resume.maxRestarts < 1 || spec.resume.maxRestarts > 50)
            check.error("resume.max_restarts", QStringLiteral("use 1 to 50 requeues"));
    }
}

} // namespace

QString jobNameProblem(const QString& name)
{
    if (name.isEmpty())
        return QStringLiteral("a job name is required");
    for (QChar c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return QStringLiteral("contains a line break or control character, which cannot go into an #SBATCH line");
    }
    // Slurm 22.05's accounting (slurmdbd) stores a job name's '"' as '`' and characters beyond Latin-1 as
    // '?', so sacct would not give such a name back: refuse it rather than let the job come back renamed.
    if (name.contains(u'"'))
        return QStringLiteral("contains '\"', which Slurm's accounting stores as '`' (sacct would show another name)");
    for (QChar c : name) {
        if (c.unicode() > 0xff)
            return QStringLiteral("contains '%1', which Slurm's accounting cannot store (sacct would show '?')").arg(c);
    }
    if (name.toUtf8().size() > MaxJobNameBytes)
        return QStringLiteral("is %1 bytes long; Slurm's accounting keeps at most %2, so sacct would show it cut")
            .arg(name.toUtf8().size())
            .arg(MaxJobNameBytes);
    return {};
}

QString absolutePathProblem(const QString& path)
{
    if (!path.startsWith(u'/'))
        return QStringLiteral("'%1' is not an absolute path").arg(path);
    if (hasControlCharacter(path))
        return QStringLiteral("contains a line break or control character");
    // The path is single-quoted in the script, so these would be safe, but they would still be read as
    // quoting by people and by tools (shellcheck SC2089) that look at the script; no HPC site uses them.
    for (const QChar c : { QChar(u'\''), QChar(u'"'), QChar(u'`'), QChar(u'$'), QChar(u'\\') }) {
        if (path.contains(c))
            return QStringLiteral("contains %1, which TuneDeck does not allow in cluster paths").arg(c);
    }
    return {};
}

QString moduleNameProblem(const QString& name)
{
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9_.+][A-Za-z0-9_./+-]*\\z"));
    if (!allowed.match(name).hasMatch())
        return QStringLiteral("'%1' is not a module name (letters, digits, '_', '.', '/', '+', '-')").arg(name);
    return {};
}

Diagnostics validateJob(const JobSpec& spec, const ClusterProfile& profile)
{
    Checker check;
    if (spec.profile != profile.name)
        check.warning("profile",
            QStringLiteral("the job was designed for '%1' but is checked against '%2'")
                .arg(spec.profile, profile.name));
    checkSlurm(check, spec, profile);
    checkEnvironment(check, spec, profile);
    checkTraining(check, spec);
    checkFsdp(check, spec);
    checkAccelerateExtra(check, spec);
    checkMemory(check, spec, profile);
    checkTimeLimit(check, spec);
    return check.take();
}

} // namespace TuneDeck
