#include "core/ssh/sshlogging.h"

namespace TuneDeck {
Q_LOGGING_CATEGORY(lcSsh, "tunedeck.ssh", QtWarningMsg)
} // namespace TuneDeck
