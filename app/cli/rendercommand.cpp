#include "app/cli/cli.h"
#include "app/cli/commands.h"

namespace TuneDeck::Cli {
int runRender(const QStringList&) { return UsageOrInvalid; }
} // namespace TuneDeck::Cli
