#include "core/job/generators.h"

#include "core/util/shellquote.h"

namespace TuneDeck {
namespace {

// `#SBATCH --name value` for values validation restricted to [A-Za-z0-9_.:-] (no quoting needed, and
// the walkthrough's own spelling is kept), `#SBATCH --name="value"` for anything else.
QString directive(const QString& name, const QString& value)
{
    return QStringLiteral("#SBATCH ") + name + u' ' + value + u'\n';
}

QString quotedDirective(const QString& name, const QString& value)
{
    return QStringLiteral("#SBATCH ") + name + u'=' + sbatchQuote(value).value_or(QStringLiteral("\"\"")) + u'\n';
}

QString header(const JobSpec& spec, const ClusterProfile& profile)
{
    const SlurmSettings& s = spec.slurm;
    const QString runDir = effectiveRunDir(spec);
    QString text = QStringLiteral("#!/bin/bash\n");
    if (!s.qos.isEmpty())
        text += directive(QStringLiteral("--qos"), s.qos);
    text += directive(QStringLiteral("--account"), s.account);
    text += directive(QStringLiteral("--time"), s.time);
    text += directive(QStringLiteral("--nodes"), QString::number(s.nodes));
    text += directive(QStringLiteral("--gpus-per-node"), QString::number(s.gpusPerNode));
    // One task per node: accelerate starts the per-GPU processes itself.
    text += directive(QStringLiteral("--ntasks-per-node"), QStringLiteral("1"));
    text += directive(QStringLiteral("--mem"), s.mem);
    text += quotedDirective(QStringLiteral("--job-name"), s.jobName);
    if (const GpuType* gpu = profile.gpuType(s.gpuType))
        text += directive(QStringLiteral("--constraint"), gpu->constraint);
    if (!s.partition.isEmpty())
        text += directive(QStringLiteral("--partition"), s.partition);
    if (s.cpusPerTask > 0)
        text += directive(QStringLiteral("--cpus-per-task"), QString::number(s.cpusPerTask));
    // Slurm does not create missing folders for --output; the run directory exists before sbatch.
    text += quotedDirective(QStringLiteral("--chdir"), runDir);
    text += quotedDirective(QStringLiteral("--output"), runDir + u"/slurm-%j.out");
    text += quotedDirective(QStringLiteral("--error"), runDir + u"/slurm-%j.out");
    if (spec.resume.enabled) {
        // B: signals only the batch shell, whose trap requeues the job; the training step is then
        // stopped by Slurm and LLaMA-Factory resumes from output_dir's last checkpoint next time.
        text += directive(QStringLiteral("--signal"), QStringLiteral("B:USR1@%1").arg(spec.resume.signalLeadSeconds));
        text += QStringLiteral("#SBATCH --requeue\n");
        text += directive(QStringLiteral("--open-mode"), QStringLiteral("append"));
    }
    // A flag such as --exclusive has no value: `--exclusive=""` would give sbatch an empty one it refuses.
    for (const auto& [name, value] : s.extraDirectives)
        text += value.isEmpty() ? QStringLiteral("#SBATCH ") + name + u'\n' : quotedDirective(name, value);
    return text;
}

QString environmentSetup(const JobSpec& spec, const ClusterProfile& profile)
{
    const QStringList& modules = spec.environment.modules.isEmpty() ? profile.modules : spec.environment.modules;
    QString text = QStringLiteral("\nmodule purge\n");
    for (const QString& module : modules)
        text += QStringLiteral("module load ") + module + u'\n';
    text += QStringLiteral(R"SH(
cd "$LLAMA_FACTORY_DIR" || { echo "TuneDeck: LLaMA-Factory checkout $LLAMA_FACTORY_DIR not found" >&2; exit 1; }
)SH");
    if (spec.environment.installRequirements) {
        text += QStringLiteral(R"SH(if [ ! -f "$VENV_DIR/bin/activate" ]; then
    echo "TuneDeck: creating the virtual environment $VENV_DIR"
    python3 -m venv "$VENV_DIR" || exit 1
    # shellcheck source=/dev/null
    . "$VENV_DIR/bin/activate"
    pip install --upgrade pip && pip install -r requirements.txt && pip install -e ".[torch,metrics]" || exit 1
else
    # shellcheck source=/dev/null
    . "$VENV_DIR/bin/activate"
fi
)SH");
    } else {
        // Installing inside the GPU job spends GPU hours on every start; the venv is made on the login node.
        text += QStringLiteral(R"SH(if [ ! -f "$VENV_DIR/bin/activate" ]; then
    echo "TuneDeck: virtual environment $VENV_DIR not found; create it on the login node first" >&2
    exit 1
fi
# shellcheck source=/dev/null
. "$VENV_DIR/bin/activate"
)SH");
    }
    if (!spec.environment.hfHome.isEmpty())
        text += QStringLiteral("export HF_HOME=") + shellSingleQuote(spec.environment.hfHome) + u'\n';
    return text;
}

QString rendezvous(const JobSpec& spec)
{
    QString text = QStringLiteral(R"SH(
# Rank 0's address: the first node of the allocation.
PRIMARY_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
)SH");
    if (spec.launch.port == 0) {
        text += QStringLiteral(
            R"SH(# Derived from the job id, so two jobs sharing a node do not both take one fixed port.
PRIMARY_PORT=$((20000 + SLURM_JOB_ID % 20000))
)SH");
    } else {
        text += QStringLiteral("PRIMARY_PORT=%1\n").arg(spec.launch.port);
    }
    text += QStringLiteral(R"SH(# Nodes x GPUs per node, fixed by the design: SLURM_GPUS_PER_NODE is unset when GPUs are
# requested with --gpus, which made the walkthrough's $((SLURM_JOB_NUM_NODES*SLURM_GPUS_PER_NODE)) fail.
NUM_MACHINES=%1
NUM_PROCESSES=%2
export PRIMARY_ADDR PRIMARY_PORT NUM_MACHINES NUM_PROCESSES RUN_DIR TELEMETRY_DIR
)SH")
                .arg(spec.slurm.nodes)
                .arg(worldSize(spec));
    return text;
}

QString recorders(const JobSpec& spec)
{
    // One background step with one task per node records every node, not only the batch node. It asks
    // for the node's GPUs (with --overlap) because cgroup device limits hide GPUs from a step that
    // asked for none. It stops when the stop file appears, so its end is not a "CANCELLED" step. The
    // files are created before the recorders start, so even a job that fails at once has them.
    return QStringLiteral(R"SH(
# Record GPU and CPU use on every node: one dmon and one vmstat file per job and node.
mkdir -p "$TELEMETRY_DIR"
STOP_FILE="$TELEMETRY_DIR/.stop-$SLURM_JOB_ID"
rm -f "$STOP_FILE"
export STOP_FILE
srun --overlap --ntasks-per-node=1 --gpus-per-node=%1 bash -c '
    dmon_log="$TELEMETRY_DIR/dmon-$SLURM_JOB_ID-$SLURMD_NODENAME.txt"
    vmstat_log="$TELEMETRY_DIR/vmstat-$SLURM_JOB_ID-$SLURMD_NODENAME.txt"
    : > "$dmon_log"
    : > "$vmstat_log"
    stdbuf -o0 nvidia-smi dmon -o TD -s puct -d 1 >> "$dmon_log" 2>&1 &
    dmon=$!
    stdbuf -o0 vmstat -t 1 -y >> "$vmstat_log" 2>&1 &
    vmstat=$!
    while [ ! -e "$STOP_FILE" ]; do sleep 2; done
    kill "$dmon" "$vmstat" 2>/dev/null
    wait
' &
RECORDER_PID=$!
)SH")
        .arg(spec.slurm.gpusPerNode);
}

QString resumeTrap(const JobSpec& spec)
{
    if (!spec.resume.enabled)
        return {};
    return QStringLiteral(R"SH(
# Slurm sends USR1 %1 s before the time limit (--signal=B:USR1@%1). Requeue the job so it resumes from
# its last checkpoint, at most MAX_RESTARTS times; SLURM_RESTART_COUNT counts the requeues so far.
MAX_RESTARTS=%2
requeue_before_time_limit() {
    local restarts="${SLURM_RESTART_COUNT:-0}"
    if [ "$restarts" -lt "$MAX_RESTARTS" ]; then
        echo "TuneDeck: time limit near, requeueing job $SLURM_JOB_ID (restart $((restarts + 1)) of $MAX_RESTARTS)"
        scontrol requeue "$SLURM_JOB_ID"
    else
        echo "TuneDeck: time limit near and $MAX_RESTARTS restarts used; not requeueing"
    fi
}
trap requeue_before_time_limit USR1
)SH")
        .arg(spec.resume.signalLeadSeconds)
        .arg(spec.resume.maxRestarts);
}

QString training(const JobSpec& spec)
{
    // bash runs a trap only between commands, so the training step runs in the background and the
    // script waits for it: `wait` returns early when USR1 arrives, and the loop waits again.
    return QStringLiteral(R"SH(
echo "TuneDeck: starting $NUM_PROCESSES processes on $NUM_MACHINES nodes, rank 0 at $PRIMARY_ADDR:$PRIMARY_PORT"
# Single quotes: each node's bash expands SLURM_PROCID itself, so every node gets its own rank.
srun --ntasks-per-node=1 --gpus-per-node=%1 --kill-on-bad-exit=1 bash -c 'accelerate launch \
    --config_file "$RUN_DIR/accelerate.yaml" \
    --main_process_ip "$PRIMARY_ADDR" \
    --main_process_port "$PRIMARY_PORT" \
    --machine_rank "$SLURM_PROCID" \
    --num_processes "$NUM_PROCESSES" \
    --num_machines "$NUM_MACHINES" \
    src/train.py "$RUN_DIR/train.yaml"' &
TRAIN_PID=$!
status=0
while true; do
    wait "$TRAIN_PID"
    status=$?
    kill -0 "$TRAIN_PID" 2>/dev/null || break
done

touch "$STOP_FILE"
wait "$RECORDER_PID" 2>/dev/null
echo "TuneDeck: training finished with exit status $status"
exit "$status"
)SH")
        .arg(spec.slurm.gpusPerNode);
}

} // namespace

QByteArray generateSbatchScript(const JobSpec& spec, const ClusterProfile& profile)
{
    QString text = header(spec, profile);
    text += QStringLiteral("\n# Generated by TuneDeck %1 for cluster profile '%2'. Edit the job spec, not this file.\n")
                .arg(QStringLiteral(TUNEDECK_VERSION), profile.name);
    text += QStringLiteral("RUN_DIR=") + shellSingleQuote(effectiveRunDir(spec)) + u'\n';
    text += QStringLiteral("TELEMETRY_DIR=\"$RUN_DIR/telemetry\"\n");
    text += QStringLiteral("LLAMA_FACTORY_DIR=") + shellSingleQuote(effectiveLlamaFactoryDir(spec)) + u'\n';
    text += QStringLiteral("VENV_DIR=") + shellSingleQuote(effectiveVenv(spec)) + u'\n';
    text += environmentSetup(spec, profile);
    text += rendezvous(spec);
    text += resumeTrap(spec);
    text += recorders(spec);
    text += training(spec);
    return text.toUtf8();
}

} // namespace TuneDeck
