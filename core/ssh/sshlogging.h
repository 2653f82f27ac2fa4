#pragma once

#include <QLoggingCategory>

namespace TuneDeck {
// tunedeck.ssh: connection states and failures. Never secrets: prompts' answers are not logged anywhere.
Q_DECLARE_LOGGING_CATEGORY(lcSsh)
} // namespace TuneDeck
