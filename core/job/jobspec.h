#pragma once

#include "core/util/coreonly.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QDateTime;

namespace TuneDeck {

// A job design: everything a researcher chooses for one finetuning run, from which the three files
// (sbatch script, accelerate YAML, LLaMA-Factory YAML) are generated. A plain value type: the wizard
// wraps it in a QObject with change signals, the CLI and the tests use it directly. Defaults are the
// walkthrough's job (Llama 3 70B, LoRA, FSDP1 on 4 x 4 A100-40 on Baskerville), corrected.
// The YAML key of each field is given in the comment; jobspecio.cpp holds the mapping.

enum class FinetuningMethod { Lora, Qlora, Full };
enum class Precision { Bf16, Fp16, Fp32 };

struct SlurmSettings
{
    QString account; // slurm.account (a project code, e.g. vjgo8416-llm-tune)
    QString qos = QStringLiteral("turing"); // slurm.qos
    QString partition; // slurm.partition (empty: the cluster's default)
    QString jobName = QStringLiteral("llama3-70b-ft"); // slurm.job_name
    QString time = QStringLiteral("3:00:00"); // slurm.time, any sbatch --time format, kept as written
    int nodes = 4; // slurm.nodes
    QString gpuType = QStringLiteral("a100_40"); // slurm.gpu_type: a GPU type name of the cluster profile
    int gpusPerNode = 4; // slurm.gpus_per_node
    QString mem = QStringLiteral("491520"); // slurm.mem, sbatch --mem syntax (MiB without a suffix)
    int cpusPerTask = 0; // slurm.cpus_per_task (0: not set)
    // slurm.extra_directives: further `#SBATCH` options kept verbatim from an imported script,
    // e.g. {"--mail-type", "END"}. Names are validated, values quoted.
    QList<QPair<QString, QString>> extraDirectives;
};

struct EnvironmentSettings
{
    QString projectPath; // environment.project_path, e.g. /bask/projects/v/vjgo8416-llm-tune
    // environment.run_dir: where the three files, the Slurm output, the telemetry and the training output
    // of this run live. Empty: <project_path>/tunedeck/runs/<job name slug>.
    QString runDir;
    QString llamaFactoryDir; // environment.llama_factory_dir (empty: <project_path>/llama-factory/LLaMA-Factory)
    QString venv; // environment.venv (empty: <llama_factory_dir>/venv)
    QString hfHome; // environment.hf_home (empty: not exported; the walkthrough symlinks ~/.cache instead)
    QStringList modules; // environment.modules (empty: the cluster profile's module lines)
    bool installRequirements = false; // environment.install_requirements: pip install inside the GPU job
};

struct TrainingSettings
{
    QString model = QStringLiteral("meta-llama/Meta-Llama-3-70B-Instruct"); // training.model (HF id or path)
    double modelParamsBillions = 0; // training.model_params_b (0: read from the model name, e.g. "70B")
    FinetuningMethod method = FinetuningMethod::Lora; // training.method: lora | qlora | full
    int loraRank = 8; // training.lora_rank
    QString loraTarget = QStringLiteral("all"); // training.lora_target
    int quantizationBit = 4; // training.quantization_bit (QLoRA only)
    QString dataset = QStringLiteral("identity,alpaca_en_demo"); // training.dataset (comma list, LLaMA-Factory)
    QString datasetDir; // training.dataset_dir (empty: LLaMA-Factory's data/)
    int datasetExamples = 0; // training.dataset_examples: examples after filtering (0: unknown)
    QString templateName = QStringLiteral("llama3"); // training.template
    double epochs = 3.0; // training.epochs
    int perDeviceBatch = 1; // training.per_device_batch
    int gradientAccumulation = 8; // training.gradient_accumulation
    int cutoffLen = 2048; // training.cutoff_len
    QString learningRate = QStringLiteral("1.0e-4"); // training.learning_rate, kept as text (see llamafactory)
    int loggingSteps = 10; // training.logging_steps
    int saveSteps = 500; // training.save_steps (LLaMA-Factory examples' default)
    QString outputDir = QStringLiteral("output"); // training.output_dir, relative to the run directory
    Precision precision = Precision::Bf16; // training.precision
    bool gradientCheckpointing = true; // training.gradient_checkpointing (LLaMA-Factory enables it by default)
    double expectedSecondsPerStep = 0; // training.expected_sec_per_step, from an earlier run (0: unknown)
};

struct FsdpSettings
{
    int version = 1; // fsdp.version: 1 or 2
    QString shardingStrategy = QStringLiteral("FULL_SHARD"); // fsdp.sharding_strategy (v1)
    bool reshardAfterForward = true; // fsdp.reshard_after_forward (v2)
    bool offloadParams = false; // fsdp.offload_params
    bool activationCheckpointing = false; // fsdp.activation_checkpointing
    QString stateDictType = QStringLiteral("SHARDED_STATE_DICT"); // fsdp.state_dict_type
    bool cpuRamEfficientLoading = true; // fsdp.cpu_ram_efficient_loading
    QString autoWrapPolicy = QStringLiteral("TRANSFORMER_BASED_WRAP"); // fsdp.auto_wrap_policy
    QString transformerLayerClsToWrap; // fsdp.transformer_layer_cls_to_wrap (empty: from the model)
    QString backwardPrefetch = QStringLiteral("BACKWARD_PRE"); // fsdp.backward_prefetch (v1)
    bool forwardPrefetch = false; // fsdp.forward_prefetch (v1)
    bool syncModuleStates = true; // fsdp.sync_module_states (v1)
    bool useOrigParams = true; // fsdp.use_orig_params (v1)
};

struct LaunchSettings
{
    // launch.port: the rendezvous port of rank 0. 0 derives it from the job id, so that two jobs that
    // share a node do not both take the walkthrough's fixed 12340.
    int port = 0;
};

struct ResumeSettings
{
    bool enabled = false; // resume.enabled: requeue before the time limit and resume from the last checkpoint
    int signalLeadSeconds = 600; // resume.signal_lead_seconds: --signal=B:USR1@<lead>
    int maxRestarts = 3; // resume.max_restarts: cap on requeues (SLURM_RESTART_COUNT)
};

struct JobSpec
{
    QString profile = QStringLiteral("baskerville"); // profile: the cluster profile's name
    SlurmSettings slurm;
    EnvironmentSettings environment;
    TrainingSettings training;
    FsdpSettings fsdp;
    LaunchSettings launch;
    ResumeSettings resume;
    // accelerate_extra: accelerate config keys TuneDeck does not model, kept from an imported file and
    // written back unchanged: key (dotted for fsdp_config.*), value as a YAML flow scalar/collection.
    QList<QPair<QString, QString>> accelerateExtra;
};

QString methodName(FinetuningMethod method); // "lora" | "qlora" | "full"
QString precisionName(Precision precision); // "bf16" | "fp16" | "fp32"
std::optional<FinetuningMethod> methodFromName(QStringView name);
std::optional<Precision> precisionFromName(QStringView name);

// Paths with their defaults applied (see the field comments above).
QString effectiveRunDir(const JobSpec& spec);
// A fresh run directory: <project>/tunedeck/runs/<job-name-slug>-<suffix>, the suffix being the UTC time
// and 4 random hex digits (runDirSuffix) so two submissions in the same second stay apart. Chosen
// before rendering: the script's --chdir/--output and the YAMLs' paths all point into it.
QString runDirSuffix(const QDateTime& nowUtc, quint32 random);
QString newRunDir(const JobSpec& spec, const QString& suffix);
QString effectiveLlamaFactoryDir(const JobSpec& spec);
QString effectiveVenv(const JobSpec& spec);
QString effectiveOutputDir(const JobSpec& spec); // absolute
// A file-name-safe version of the job name: [A-Za-z0-9_.-], other characters replaced by '-'.
QString jobNameSlug(const QString& jobName);

// The processes accelerate launches: one per GPU on every node.
inline int worldSize(const JobSpec& spec)
{
    return spec.slurm.nodes * spec.slurm.gpusPerNode;
}

} // namespace TuneDeck
