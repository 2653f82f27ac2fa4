#include "core/job/jobspecfields.h"

#include <QCoreApplication>

namespace TuneDeck {
namespace {

// Written by hand in YAML order (the order saveJobSpecToYaml writes); the wizard regroups by `group`.
// Bounds are what the tools accept, not what is sensible: validateJob says what is sensible.
const QList<JobSpecField>& table()
{
    static const QList<JobSpecField> fields {
        { QStringLiteral("profile"), FieldKind::Text, FieldGroup::Hidden,
            QT_TRANSLATE_NOOP("JobSpecField", "Cluster profile"),
            QT_TRANSLATE_NOOP("JobSpecField", "The cluster profile the design is for"), "", nullptr, "NAME", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.profile); },
            [](JobSpec& s, const QVariant& v) { s.profile = v.value<QString>(); }, {} },
        { QStringLiteral("slurm.account"), FieldKind::Text, FieldGroup::Project,
            QT_TRANSLATE_NOOP("JobSpecField", "Account"),
            QT_TRANSLATE_NOOP("JobSpecField", "Slurm account (project code) the GPU hours are charged to"), "",
            "account", "A", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.slurm.account); },
            [](JobSpec& s, const QVariant& v) { s.slurm.account = v.value<QString>(); }, {} },
        { QStringLiteral("slurm.qos"), FieldKind::Text, FieldGroup::Project, QT_TRANSLATE_NOOP("JobSpecField", "QoS"),
            QT_TRANSLATE_NOOP("JobSpecField", "Slurm quality of service"), "", "qos", "QOS", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.slurm.qos); },
            [](JobSpec& s, const QVariant& v) { s.slurm.qos = v.value<QString>(); }, {} },
        { QStringLiteral("slurm.partition"), FieldKind::Text, FieldGroup::Project,
            QT_TRANSLATE_NOOP("JobSpecField", "Partition"),
            QT_TRANSLATE_NOOP("JobSpecField", "Slurm partition (empty: the cluster's default)"), "", "partition", "P",
            0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.slurm.partition); },
            [](JobSpec& s, const QVariant& v) { s.slurm.partition = v.value<QString>(); }, {} },
        { QStringLiteral("slurm.job_name"), FieldKind::Text, FieldGroup::Project,
            QT_TRANSLATE_NOOP("JobSpecField", "Job name"),
            QT_TRANSLATE_NOOP("JobSpecField", "Name shown by squeue; also names the run directory"), "", "job-name",
            "NAME", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.slurm.jobName); },
            [](JobSpec& s, const QVariant& v) { s.slurm.jobName = v.value<QString>(); }, {} },
        { QStringLiteral("slurm.time"), FieldKind::Text, FieldGroup::Resources,
            QT_TRANSLATE_NOOP("JobSpecField", "Time limit"),
            QT_TRANSLATE_NOOP("JobSpecField", "Wall-clock limit in sbatch --time format (e.g. 3:00:00 or 1-12:00:00)"),
            "", "time", "T", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.slurm.time); },
            [](JobSpec& s, const QVariant& v) { s.slurm.time = v.value<QString>(); }, {} },
        { QStringLiteral("slurm.nodes"), FieldKind::Integer, FieldGroup::Resources,
            QT_TRANSLATE_NOOP("JobSpecField", "Nodes"), QT_TRANSLATE_NOOP("JobSpecField", "Number of nodes"), "",
            "nodes", "N", 1.0, 100000.0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.slurm.nodes); },
            [](JobSpec& s, const QVariant& v) { s.slurm.nodes = v.value<int>(); }, {} },
        { QStringLiteral("slurm.gpu_type"), FieldKind::Text, FieldGroup::Resources,
            QT_TRANSLATE_NOOP("JobSpecField", "GPU type"),
            QT_TRANSLATE_NOOP("JobSpecField", "GPU type of the cluster profile (requested as a constraint)"), "",
            "gpu-type", "TYPE", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.slurm.gpuType); },
            [](JobSpec& s, const QVariant& v) { s.slurm.gpuType = v.value<QString>(); }, {} },
        { QStringLiteral("slurm.gpus_per_node"), FieldKind::Integer, FieldGroup::Resources,
            QT_TRANSLATE_NOOP("JobSpecField", "GPUs per node"),
            QT_TRANSLATE_NOOP("JobSpecField", "GPUs on each node; accelerate starts one process per GPU"), "",
            "gpus-per-node", "N", 1.0, 64.0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.slurm.gpusPerNode); },
            [](JobSpec& s, const QVariant& v) { s.slurm.gpusPerNode = v.value<int>(); }, {} },
        { QStringLiteral("slurm.mem"), FieldKind::Text, FieldGroup::Resources,
            QT_TRANSLATE_NOOP("JobSpecField", "Memory per node"),
            QT_TRANSLATE_NOOP(
                "JobSpecField", "Host memory per node in sbatch --mem format (MiB without a suffix, or 480G)"),
            "", "mem", "SIZE", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.slurm.mem); },
            [](JobSpec& s, const QVariant& v) { s.slurm.mem = v.value<QString>(); }, {} },
        { QStringLiteral("slurm.cpus_per_task"), FieldKind::Integer, FieldGroup::Resources,
            QT_TRANSLATE_NOOP("JobSpecField", "CPUs per task"),
            QT_TRANSLATE_NOOP("JobSpecField", "CPU cores per task (0: not set)"), "", "cpus-per-task", "N", 0, 4096.0,
            {}, [](const JobSpec& s) { return QVariant::fromValue(s.slurm.cpusPerTask); },
            [](JobSpec& s, const QVariant& v) { s.slurm.cpusPerTask = v.value<int>(); }, {} },
        { QStringLiteral("slurm.extra_directives"), FieldKind::KeyValues, FieldGroup::Hidden,
            QT_TRANSLATE_NOOP("JobSpecField", "Extra #SBATCH options"),
            QT_TRANSLATE_NOOP("JobSpecField", "Further sbatch options kept from an imported script"), "", nullptr, "",
            0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.slurm.extraDirectives); },
            [](JobSpec& s, const QVariant& v) { s.slurm.extraDirectives = v.value<QList<QPair<QString, QString>>>(); },
            {} },
        { QStringLiteral("environment.project_path"), FieldKind::Text, FieldGroup::Project,
            QT_TRANSLATE_NOOP("JobSpecField", "Project path"),
            QT_TRANSLATE_NOOP("JobSpecField", "The project's shared folder on the cluster"), "", "project-path", "PATH",
            0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.environment.projectPath); },
            [](JobSpec& s, const QVariant& v) { s.environment.projectPath = v.value<QString>(); }, {} },
        { QStringLiteral("environment.run_dir"), FieldKind::Text, FieldGroup::Environment,
            QT_TRANSLATE_NOOP("JobSpecField", "Run directory"),
            QT_TRANSLATE_NOOP("JobSpecField",
                "Where this run's files live on the cluster (empty: chosen by TuneDeck under the project path)"),
            "", "run-dir", "PATH", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.environment.runDir); },
            [](JobSpec& s, const QVariant& v) { s.environment.runDir = v.value<QString>(); }, {} },
        { QStringLiteral("environment.llama_factory_dir"), FieldKind::Text, FieldGroup::Environment,
            QT_TRANSLATE_NOOP("JobSpecField", "LLaMA-Factory checkout"),
            QT_TRANSLATE_NOOP(
                "JobSpecField", "LLaMA-Factory checkout on the cluster (empty: <project>/llama-factory/LLaMA-Factory)"),
            "", "llama-factory-dir", "PATH", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.environment.llamaFactoryDir); },
            [](JobSpec& s, const QVariant& v) { s.environment.llamaFactoryDir = v.value<QString>(); }, {} },
        { QStringLiteral("environment.venv"), FieldKind::Text, FieldGroup::Environment,
            QT_TRANSLATE_NOOP("JobSpecField", "Virtual environment"),
            QT_TRANSLATE_NOOP(
                "JobSpecField", "Python virtual environment on the cluster (empty: <LLaMA-Factory>/venv)"),
            "", "venv", "PATH", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.environment.venv); },
            [](JobSpec& s, const QVariant& v) { s.environment.venv = v.value<QString>(); }, {} },
        { QStringLiteral("environment.hf_home"), FieldKind::Text, FieldGroup::Environment,
            QT_TRANSLATE_NOOP("JobSpecField", "HF_HOME"),
            QT_TRANSLATE_NOOP("JobSpecField", "Hugging Face cache folder to export (empty: not exported)"), "",
            "hf-home", "PATH", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.environment.hfHome); },
            [](JobSpec& s, const QVariant& v) { s.environment.hfHome = v.value<QString>(); }, {} },
        { QStringLiteral("environment.modules"), FieldKind::TextList, FieldGroup::Environment,
            QT_TRANSLATE_NOOP("JobSpecField", "Modules"),
            QT_TRANSLATE_NOOP("JobSpecField", "module load lines, comma-separated (empty: the cluster profile's)"), "",
            "modules", "LIST", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.environment.modules); },
            [](JobSpec& s, const QVariant& v) { s.environment.modules = v.value<QStringList>(); }, {} },
        { QStringLiteral("environment.install_requirements"), FieldKind::Boolean, FieldGroup::Environment,
            QT_TRANSLATE_NOOP("JobSpecField", "Install requirements in the job"),
            QT_TRANSLATE_NOOP(
                "JobSpecField", "pip install inside the GPU job (spends GPU hours; prefer the login node)"),
            "", "install-requirements", "BOOL", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.environment.installRequirements); },
            [](JobSpec& s, const QVariant& v) { s.environment.installRequirements = v.value<bool>(); }, {} },
        { QStringLiteral("training.model"), FieldKind::Text, FieldGroup::Model,
            QT_TRANSLATE_NOOP("JobSpecField", "Model"),
            QT_TRANSLATE_NOOP("JobSpecField", "Hugging Face model id or a path on the cluster"), "", "model", "ID", 0,
            0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.training.model); },
            [](JobSpec& s, const QVariant& v) { s.training.model = v.value<QString>(); }, {} },
        { QStringLiteral("training.model_params_b"), FieldKind::Number, FieldGroup::Model,
            QT_TRANSLATE_NOOP("JobSpecField", "Parameters"),
            QT_TRANSLATE_NOOP("JobSpecField", "Model size in billions of parameters (0: read from the model name)"),
            "B", "model-params-b", "B", 0, 100000.0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.modelParamsBillions); },
            [](JobSpec& s, const QVariant& v) { s.training.modelParamsBillions = v.value<double>(); }, {} },
        { QStringLiteral("training.method"), FieldKind::Choice, FieldGroup::Model,
            QT_TRANSLATE_NOOP("JobSpecField", "Method"),
            QT_TRANSLATE_NOOP("JobSpecField", "LoRA, QLoRA (quantized base model) or full finetuning"), "", "method",
            "M", 0, 0, { QStringLiteral("lora"), QStringLiteral("qlora"), QStringLiteral("full") },
            [](const JobSpec& s) { return QVariant(methodName(s.training.method)); },
            [](JobSpec& s, const QVariant& v) {
                s.training.method = methodFromName(v.toString()).value_or(s.training.method);
            },
            {} },
        { QStringLiteral("training.lora_rank"), FieldKind::Integer, FieldGroup::Model,
            QT_TRANSLATE_NOOP("JobSpecField", "LoRA rank"),
            QT_TRANSLATE_NOOP("JobSpecField", "Rank of the LoRA adapters"), "", "lora-rank", "N", 1.0, 4096.0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.loraRank); },
            [](JobSpec& s, const QVariant& v) { s.training.loraRank = v.value<int>(); },
            [](const JobSpec& s) { return s.training.method != FinetuningMethod::Full; } },
        { QStringLiteral("training.lora_target"), FieldKind::Text, FieldGroup::Model,
            QT_TRANSLATE_NOOP("JobSpecField", "LoRA target"),
            QT_TRANSLATE_NOOP("JobSpecField", "Modules that get adapters: all, or names like q_proj,v_proj"), "",
            "lora-target", "NAMES", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.loraTarget); },
            [](JobSpec& s, const QVariant& v) { s.training.loraTarget = v.value<QString>(); },
            [](const JobSpec& s) { return s.training.method != FinetuningMethod::Full; } },
        { QStringLiteral("training.quantization_bit"), FieldKind::Integer, FieldGroup::Model,
            QT_TRANSLATE_NOOP("JobSpecField", "Quantization bits"),
            QT_TRANSLATE_NOOP("JobSpecField", "Bits of the quantized base model (QLoRA: 4 or 8)"), "",
            "quantization-bit", "N", 2.0, 8.0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.quantizationBit); },
            [](JobSpec& s, const QVariant& v) { s.training.quantizationBit = v.value<int>(); },
            [](const JobSpec& s) { return s.training.method == FinetuningMethod::Qlora; } },
        { QStringLiteral("training.dataset"), FieldKind::Text, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Dataset"),
            QT_TRANSLATE_NOOP("JobSpecField", "LLaMA-Factory dataset names, comma-separated"), "", "dataset", "NAMES",
            0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.training.dataset); },
            [](JobSpec& s, const QVariant& v) { s.training.dataset = v.value<QString>(); }, {} },
        { QStringLiteral("training.dataset_dir"), FieldKind::Text, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Dataset folder"),
            QT_TRANSLATE_NOOP("JobSpecField", "Folder with dataset_info.json (empty: LLaMA-Factory's data/)"), "",
            "dataset-dir", "PATH", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.datasetDir); },
            [](JobSpec& s, const QVariant& v) { s.training.datasetDir = v.value<QString>(); }, {} },
        { QStringLiteral("training.dataset_examples"), FieldKind::Integer, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Dataset examples"),
            QT_TRANSLATE_NOOP("JobSpecField", "Examples after filtering, for the step count (0: unknown)"), "",
            "dataset-examples", "N", 0, 2000000000.0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.datasetExamples); },
            [](JobSpec& s, const QVariant& v) { s.training.datasetExamples = v.value<int>(); }, {} },
        { QStringLiteral("training.template"), FieldKind::Text, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Template"),
            QT_TRANSLATE_NOOP("JobSpecField", "LLaMA-Factory chat template"), "", "template", "NAME", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.templateName); },
            [](JobSpec& s, const QVariant& v) { s.training.templateName = v.value<QString>(); }, {} },
        { QStringLiteral("training.epochs"), FieldKind::Number, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Epochs"), QT_TRANSLATE_NOOP("JobSpecField", "Training epochs"), "",
            "epochs", "E", 0, 100000.0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.training.epochs); },
            [](JobSpec& s, const QVariant& v) { s.training.epochs = v.value<double>(); }, {} },
        { QStringLiteral("training.per_device_batch"), FieldKind::Integer, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Batch per GPU"),
            QT_TRANSLATE_NOOP("JobSpecField", "Per-device training batch size"), "", "per-device-batch", "N", 1.0,
            1048576.0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.training.perDeviceBatch); },
            [](JobSpec& s, const QVariant& v) { s.training.perDeviceBatch = v.value<int>(); }, {} },
        { QStringLiteral("training.gradient_accumulation"), FieldKind::Integer, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Gradient accumulation"),
            QT_TRANSLATE_NOOP("JobSpecField", "Gradient accumulation steps"), "", "gradient-accumulation", "N", 1.0,
            1048576.0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.training.gradientAccumulation); },
            [](JobSpec& s, const QVariant& v) { s.training.gradientAccumulation = v.value<int>(); }, {} },
        { QStringLiteral("training.cutoff_len"), FieldKind::Integer, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Cutoff length"),
            QT_TRANSLATE_NOOP("JobSpecField", "Longest sequence in tokens"), "tokens", "cutoff-len", "N", 1.0,
            16777216.0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.training.cutoffLen); },
            [](JobSpec& s, const QVariant& v) { s.training.cutoffLen = v.value<int>(); }, {} },
        { QStringLiteral("training.learning_rate"), FieldKind::Text, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Learning rate"),
            QT_TRANSLATE_NOOP("JobSpecField", "Learning rate (e.g. 1.0e-4)"), "", "learning-rate", "LR", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.learningRate); },
            [](JobSpec& s, const QVariant& v) { s.training.learningRate = v.value<QString>(); }, {} },
        { QStringLiteral("training.logging_steps"), FieldKind::Integer, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Logging steps"), QT_TRANSLATE_NOOP("JobSpecField", "Log every N steps"),
            "steps", "logging-steps", "N", 1.0, 1073741824.0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.loggingSteps); },
            [](JobSpec& s, const QVariant& v) { s.training.loggingSteps = v.value<int>(); }, {} },
        { QStringLiteral("training.save_steps"), FieldKind::Integer, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Save steps"),
            QT_TRANSLATE_NOOP("JobSpecField", "Checkpoint every N steps"), "steps", "save-steps", "N", 1.0,
            1073741824.0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.training.saveSteps); },
            [](JobSpec& s, const QVariant& v) { s.training.saveSteps = v.value<int>(); }, {} },
        { QStringLiteral("training.output_dir"), FieldKind::Text, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Output folder"),
            QT_TRANSLATE_NOOP("JobSpecField", "Training output folder, relative to the run directory"), "",
            "output-dir", "DIR", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.training.outputDir); },
            [](JobSpec& s, const QVariant& v) { s.training.outputDir = v.value<QString>(); }, {} },
        { QStringLiteral("training.precision"), FieldKind::Choice, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Precision"), QT_TRANSLATE_NOOP("JobSpecField", "Training precision"), "",
            "precision", "P", 0, 0, { QStringLiteral("bf16"), QStringLiteral("fp16"), QStringLiteral("fp32") },
            [](const JobSpec& s) { return QVariant(precisionName(s.training.precision)); },
            [](JobSpec& s, const QVariant& v) {
                s.training.precision = precisionFromName(v.toString()).value_or(s.training.precision);
            },
            {} },
        { QStringLiteral("training.gradient_checkpointing"), FieldKind::Boolean, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Gradient checkpointing"),
            QT_TRANSLATE_NOOP("JobSpecField", "Recompute activations in the backward pass to save GPU memory"), "",
            "gradient-checkpointing", "BOOL", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.gradientCheckpointing); },
            [](JobSpec& s, const QVariant& v) { s.training.gradientCheckpointing = v.value<bool>(); }, {} },
        { QStringLiteral("training.expected_sec_per_step"), FieldKind::Number, FieldGroup::Training,
            QT_TRANSLATE_NOOP("JobSpecField", "Seconds per step"),
            QT_TRANSLATE_NOOP(
                "JobSpecField", "Seconds per step seen in an earlier run, for the time-limit check (0: unknown)"),
            "s", "expected-sec-per-step", "S", 0, 10000000.0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.training.expectedSecondsPerStep); },
            [](JobSpec& s, const QVariant& v) { s.training.expectedSecondsPerStep = v.value<double>(); }, {} },
        { QStringLiteral("fsdp.version"), FieldKind::Integer, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "FSDP version"), QT_TRANSLATE_NOOP("JobSpecField", "FSDP 1 or FSDP 2"),
            "", "fsdp-version", "V", 1.0, 2.0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.version); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.version = v.value<int>(); }, {} },
        { QStringLiteral("fsdp.sharding_strategy"), FieldKind::Text, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "Sharding strategy"),
            QT_TRANSLATE_NOOP("JobSpecField", "How FSDP 1 shards parameters, gradients and optimizer state"), "",
            "fsdp-sharding-strategy", "S", 0, 0,
            { QStringLiteral("FULL_SHARD"), QStringLiteral("SHARD_GRAD_OP"), QStringLiteral("NO_SHARD"),
                QStringLiteral("HYBRID_SHARD"), QStringLiteral("HYBRID_SHARD_ZERO2") },
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.shardingStrategy); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.shardingStrategy = v.value<QString>(); },
            [](const JobSpec& s) { return s.fsdp.version == 1; } },
        { QStringLiteral("fsdp.reshard_after_forward"), FieldKind::Boolean, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "Reshard after forward"),
            QT_TRANSLATE_NOOP("JobSpecField", "FSDP 2: free gathered parameters after the forward pass"), "",
            "fsdp-reshard-after-forward", "BOOL", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.reshardAfterForward); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.reshardAfterForward = v.value<bool>(); },
            [](const JobSpec& s) { return s.fsdp.version == 2; } },
        { QStringLiteral("fsdp.offload_params"), FieldKind::Boolean, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "Offload parameters to CPU"),
            QT_TRANSLATE_NOOP("JobSpecField", "Keep parameters in host memory (slower, less GPU memory)"), "",
            "fsdp-offload-params", "BOOL", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.offloadParams); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.offloadParams = v.value<bool>(); }, {} },
        { QStringLiteral("fsdp.activation_checkpointing"), FieldKind::Boolean, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "FSDP activation checkpointing"),
            QT_TRANSLATE_NOOP("JobSpecField", "Let FSDP checkpoint activations (instead of the trainer)"), "",
            "fsdp-activation-checkpointing", "BOOL", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.activationCheckpointing); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.activationCheckpointing = v.value<bool>(); }, {} },
        { QStringLiteral("fsdp.state_dict_type"), FieldKind::Text, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "State dict type"),
            QT_TRANSLATE_NOOP("JobSpecField", "How checkpoints are written"), "", "fsdp-state-dict-type", "T", 0, 0,
            { QStringLiteral("SHARDED_STATE_DICT"), QStringLiteral("FULL_STATE_DICT") },
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.stateDictType); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.stateDictType = v.value<QString>(); }, {} },
        { QStringLiteral("fsdp.cpu_ram_efficient_loading"), FieldKind::Boolean, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "CPU-RAM-efficient loading"),
            QT_TRANSLATE_NOOP("JobSpecField", "Load the model on rank 0 only and broadcast it"), "",
            "fsdp-cpu-ram-efficient-loading", "BOOL", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.cpuRamEfficientLoading); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.cpuRamEfficientLoading = v.value<bool>(); }, {} },
        { QStringLiteral("fsdp.auto_wrap_policy"), FieldKind::Text, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "Auto-wrap policy"),
            QT_TRANSLATE_NOOP("JobSpecField", "How FSDP splits the model into units"), "", "fsdp-auto-wrap-policy", "P",
            0, 0,
            { QStringLiteral("TRANSFORMER_BASED_WRAP"), QStringLiteral("SIZE_BASED_WRAP"), QStringLiteral("NO_WRAP") },
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.autoWrapPolicy); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.autoWrapPolicy = v.value<QString>(); }, {} },
        { QStringLiteral("fsdp.transformer_layer_cls_to_wrap"), FieldKind::Text, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "Layer class to wrap"),
            QT_TRANSLATE_NOOP("JobSpecField", "Transformer layer class names, comma-separated (empty: from the model)"),
            "", "fsdp-transformer-layer-cls-to-wrap", "NAMES", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.transformerLayerClsToWrap); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.transformerLayerClsToWrap = v.value<QString>(); }, {} },
        { QStringLiteral("fsdp.backward_prefetch"), FieldKind::Text, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "Backward prefetch"),
            QT_TRANSLATE_NOOP("JobSpecField", "FSDP 1: when to prefetch the next parameters in the backward pass"), "",
            "fsdp-backward-prefetch", "P", 0, 0,
            { QStringLiteral("BACKWARD_PRE"), QStringLiteral("BACKWARD_POST"), QStringLiteral("NO_PREFETCH") },
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.backwardPrefetch); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.backwardPrefetch = v.value<QString>(); },
            [](const JobSpec& s) { return s.fsdp.version == 1; } },
        { QStringLiteral("fsdp.forward_prefetch"), FieldKind::Boolean, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "Forward prefetch"),
            QT_TRANSLATE_NOOP("JobSpecField", "FSDP 1: prefetch in the forward pass"), "", "fsdp-forward-prefetch",
            "BOOL", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.forwardPrefetch); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.forwardPrefetch = v.value<bool>(); },
            [](const JobSpec& s) { return s.fsdp.version == 1; } },
        { QStringLiteral("fsdp.sync_module_states"), FieldKind::Boolean, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "Sync module states"),
            QT_TRANSLATE_NOOP("JobSpecField", "FSDP 1: broadcast rank 0's weights at start"), "",
            "fsdp-sync-module-states", "BOOL", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.syncModuleStates); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.syncModuleStates = v.value<bool>(); },
            [](const JobSpec& s) { return s.fsdp.version == 1; } },
        { QStringLiteral("fsdp.use_orig_params"), FieldKind::Boolean, FieldGroup::Distribution,
            QT_TRANSLATE_NOOP("JobSpecField", "Use original parameters"),
            QT_TRANSLATE_NOOP("JobSpecField", "FSDP 1: keep the original parameters (needed for LoRA)"), "",
            "fsdp-use-orig-params", "BOOL", 0, 0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.fsdp.useOrigParams); },
            [](JobSpec& s, const QVariant& v) { s.fsdp.useOrigParams = v.value<bool>(); },
            [](const JobSpec& s) { return s.fsdp.version == 1; } },
        { QStringLiteral("launch.port"), FieldKind::Integer, FieldGroup::Environment,
            QT_TRANSLATE_NOOP("JobSpecField", "Rendezvous port"),
            QT_TRANSLATE_NOOP("JobSpecField", "Rank 0's port (0: derived from the job id)"), "", "port", "PORT", 0,
            65535.0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.launch.port); },
            [](JobSpec& s, const QVariant& v) { s.launch.port = v.value<int>(); }, {} },
        { QStringLiteral("resume.enabled"), FieldKind::Boolean, FieldGroup::Resume,
            QT_TRANSLATE_NOOP("JobSpecField", "Resume on time limit"),
            QT_TRANSLATE_NOOP("JobSpecField", "Requeue before the time limit and resume from the last checkpoint"), "",
            "resume", "BOOL", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.resume.enabled); },
            [](JobSpec& s, const QVariant& v) { s.resume.enabled = v.value<bool>(); }, {} },
        { QStringLiteral("resume.signal_lead_seconds"), FieldKind::Integer, FieldGroup::Resume,
            QT_TRANSLATE_NOOP("JobSpecField", "Signal lead time"),
            QT_TRANSLATE_NOOP("JobSpecField", "Seconds before the limit at which Slurm signals the job"), "s",
            "resume-signal-lead-seconds", "S", 1.0, 16777216.0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.resume.signalLeadSeconds); },
            [](JobSpec& s, const QVariant& v) { s.resume.signalLeadSeconds = v.value<int>(); },
            [](const JobSpec& s) { return s.resume.enabled; } },
        { QStringLiteral("resume.max_restarts"), FieldKind::Integer, FieldGroup::Resume,
            QT_TRANSLATE_NOOP("JobSpecField", "Maximum restarts"),
            QT_TRANSLATE_NOOP("JobSpecField", "Requeues at most"), "", "resume-max-restarts", "N", 0, 1000.0, {},
            [](const JobSpec& s) { return QVariant::fromValue(s.resume.maxRestarts); },
            [](JobSpec& s, const QVariant& v) { s.resume.maxRestarts = v.value<int>(); },
            [](const JobSpec& s) { return s.resume.enabled; } },
        { QStringLiteral("accelerate_extra"), FieldKind::KeyValues, FieldGroup::Hidden,
            QT_TRANSLATE_NOOP("JobSpecField", "Extra accelerate keys"),
            QT_TRANSLATE_NOOP(
                "JobSpecField", "accelerate config keys TuneDeck does not model, kept from an imported file"),
            "", nullptr, "", 0, 0, {}, [](const JobSpec& s) { return QVariant::fromValue(s.accelerateExtra); },
            [](JobSpec& s, const QVariant& v) { s.accelerateExtra = v.value<QList<QPair<QString, QString>>>(); }, {} },
    };
    return fields;
}

bool parseBool(const QString& text, bool& out)
{
    // YAML 1.1's spellings (PyYAML's), case-insensitive as there, plus 1/0 for shells.
    const QString lower = text.trimmed().toLower();
    if (lower == u"true" || lower == u"yes" || lower == u"on" || lower == u"1") {
        out = true;
        return true;
    }
    if (lower == u"false" || lower == u"no" || lower == u"off" || lower == u"0") {
        out = false;
        return true;
    }
    return false;
}

} // namespace

QString JobSpecField::section() const
{
    const qsizetype dot = path.indexOf(u'.');
    return dot < 0 ? QString() : path.left(dot);
}

QString JobSpecField::key() const
{
    return path.mid(path.indexOf(u'.') + 1);
}

const QList<JobSpecField>& jobSpecFields()
{
    return table();
}

const JobSpecField* findJobSpecField(QStringView path)
{
    for (const JobSpecField& field : table()) {
        if (field.path == path)
            return &field;
    }
    return nullptr;
}

QStringList jobSpecSections()
{
    QStringList sections;
    for (const JobSpecField& field : table()) {
        const QString section = field.section();
        if (!section.isEmpty() && !sections.contains(section))
            sections.append(section);
    }
    return sections;
}

QString fieldLabel(const JobSpecField& field)
{
    return QCoreApplication::translate("JobSpecField", field.label);
}

QString fieldHelp(const JobSpecField& field)
{
    return QCoreApplication::translate("JobSpecField", field.help);
}

QString fieldGroupTitle(FieldGroup group)
{
    switch (group) {
    case FieldGroup::Project:
        return QCoreApplication::translate("JobSpecField", "Project");
    case FieldGroup::Resources:
        return QCoreApplication::translate("JobSpecField", "Resources");
    case FieldGroup::Model:
        return QCoreApplication::translate("JobSpecField", "Model and method");
    case FieldGroup::Training:
        return QCoreApplication::translate("JobSpecField", "Training");
    case FieldGroup::Distribution:
        return QCoreApplication::translate("JobSpecField", "Distribution (FSDP)");
    case FieldGroup::Environment:
        return QCoreApplication::translate("JobSpecField", "Environment");
    case FieldGroup::Resume:
        return QCoreApplication::translate("JobSpecField", "Resume on time limit");
    case FieldGroup::Hidden:
        break;
    }
    return {};
}

QString checkFieldValue(const JobSpecField& field, const QVariant& value)
{
    switch (field.kind) {
    case FieldKind::Integer: {
        bool ok = false;
        const qlonglong number = value.toLongLong(&ok);
        if (!ok || number < field.minimum || number > field.maximum)
            return QStringLiteral("expected a whole number from %1 to %2, got '%3'")
                .arg(qlonglong(field.minimum))
                .arg(qlonglong(field.maximum))
                .arg(value.toString());
        return {};
    }
    case FieldKind::Number: {
        bool ok = false;
        const double number = value.toDouble(&ok);
        // NaN fails both comparisons' negations, so it is refused here too.
        if (!ok || !(number >= field.minimum && number <= field.maximum))
            return QStringLiteral("expected a number from %1 to %2, got '%3'")
                .arg(field.minimum)
                .arg(field.maximum)
                .arg(value.toString());
        return {};
    }
    case FieldKind::Choice:
        if (!field.choices.contains(value.toString()))
            return QStringLiteral("'%1' is not one of %2").arg(value.toString(), field.choices.join(u", "));
        return {};
    case FieldKind::Boolean:
        if (value.typeId() != QMetaType::Bool)
            return QStringLiteral("expected true or false, got '%1'").arg(value.toString());
        return {};
    case FieldKind::Text:
    case FieldKind::TextList:
    case FieldKind::KeyValues:
        return {};
    }
    return {};
}

QString setFieldFromText(JobSpec& spec, const JobSpecField& field, const QString& text)
{
    QVariant value;
    switch (field.kind) {
    case FieldKind::Integer: {
        bool ok = false;
        const qlonglong number = text.trimmed().toLongLong(&ok);
        value = ok ? QVariant(number) : QVariant(text);
        break;
    }
    case FieldKind::Number: {
        bool ok = false;
        const double number = text.trimmed().toDouble(&ok);
        value = ok ? QVariant(number) : QVariant(text);
        break;
    }
    case FieldKind::Boolean: {
        bool flag = false;
        value = parseBool(text, flag) ? QVariant(flag) : QVariant(text);
        break;
    }
    case FieldKind::TextList: {
        QStringList items;
        for (const QString& item : text.split(u',', Qt::SkipEmptyParts))
            items.append(item.trimmed());
        value = items;
        break;
    }
    case FieldKind::KeyValues:
        return QStringLiteral("cannot be set from text");
    case FieldKind::Text:
    case FieldKind::Choice:
        value = text;
        break;
    }
    if (const QString problem = checkFieldValue(field, value); !problem.isEmpty())
        return problem;
    if (field.kind == FieldKind::Integer)
        value = QVariant(int(value.toLongLong()));
    field.set(spec, value);
    return {};
}

QString fieldText(const JobSpec& spec, const JobSpecField& field)
{
    const QVariant value = field.get(spec);
    switch (field.kind) {
    case FieldKind::Boolean:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case FieldKind::Number:
        return QString::number(value.toDouble(), 'g', 15);
    case FieldKind::TextList:
        return value.toStringList().join(QStringLiteral(", "));
    case FieldKind::KeyValues: {
        QStringList entries;
        for (const auto& [key, item] : value.value<QList<QPair<QString, QString>>>())
            entries.append(key + u'=' + item);
        return entries.join(QStringLiteral(", "));
    }
    case FieldKind::Text:
    case FieldKind::Choice:
    case FieldKind::Integer:
        break;
    }
    return value.toString();
}

} // namespace TuneDeck
