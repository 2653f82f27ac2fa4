#include "app/cli/commands.h"

#include <array>

namespace TuneDeck::Cli {

std::span<const Command> commands()
{
    static const std::array table {
        Command { "render", "write job.sbatch, accelerate.yaml and train.yaml for a job design", &runRender },
        Command { "import", "turn existing sbatch scripts and accelerate YAMLs into a job spec", &runImport },
    };
    return table;
}

} // namespace TuneDeck::Cli
