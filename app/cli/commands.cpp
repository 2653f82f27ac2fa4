#include "app/cli/commands.h"

#include <array>

namespace TuneDeck::Cli {

std::span<const Command> commands()
{
    static const std::array table {
        Command { "render", "write job.sbatch, accelerate.yaml and train.yaml for a job design", &runRender },
        Command { "import", "turn existing sbatch scripts and accelerate YAMLs into a job spec", &runImport },
        Command { "inspect", "summarise dmon, vmstat, training logs, trainer_log.jsonl or sacct output", &runInspect },
    };
    return table;
}

} // namespace TuneDeck::Cli
