#include "app/cli/commands.h"

#include <array>

namespace TuneDeck::Cli {

std::span<const Command> commands()
{
    static const std::array table {
        Command { "render", "write job.sbatch, accelerate.yaml and train.yaml for a job design", &runRender },
        Command { "import", "turn existing sbatch scripts and accelerate YAMLs into a job spec", &runImport },
        Command { "inspect", "summarise dmon, vmstat, training logs, trainer_log.jsonl or sacct output", &runInspect },
        Command {
            "connect", "log in to a cluster (profile or host) and show its accounts, QoS and GPU types", &runConnect },
        Command { "submit", "upload a job design to a new run directory and sbatch it; prints the job id", &runSubmit },
        Command { "jobs", "the state of the jobs submitted with TuneDeck, and why (--json, --watch)", &runJobs },
        Command { "cancel", "cancel a job (scancel)", &runCancel },
        Command { "import-run", "add existing run folders or files (dmon, vmstat, Slurm output) to the run archive",
            &runImportRun },
        Command { "runs", "list the archived runs (--json)", &runRuns },
        Command {
            "compare", "compare archived runs: throughput, utilisation, GPU-hours, design (--json)", &runCompare },
        Command { "report", "the efficiency report of one archived run (--json)", &runReport },
        Command { "rm-run", "remove a run from the archive", &runRemoveRun },
    };
    return table;
}

} // namespace TuneDeck::Cli
