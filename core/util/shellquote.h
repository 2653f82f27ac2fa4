#pragma once

#include "core/util/coreonly.h"

#include <QString>

#include <optional>

namespace TuneDeck {

// Quoting for the two places user text can reach in a generated job: a bash command line and an
// `#SBATCH` directive. The two have different rules, so they get different functions.

// A bash word that expands to exactly `text`: single quotes, with each ' written as '\''.
// Safe for any text; bash cannot expand anything inside single quotes.
QString shellSingleQuote(QStringView text);

// The value of an `#SBATCH --option=VALUE` line, quoted by sbatch's own rules (src/sbatch/opt.c,
// _get_argument): an unquoted space ends the value, an unquoted `#` starts a comment, and a backslash
// escapes the next character inside or outside quotes. We wrap in double quotes and backslash-escape
// `"` and `\`. Returns nullopt for text sbatch cannot carry at all: a line break or a NUL ends the
// directive line whatever the quoting.
std::optional<QString> sbatchQuote(QStringView text);

// True when text only uses [A-Za-z0-9_.-] and does not start with '-', the allow-list for Slurm
// account, QoS, partition and constraint names (safe unquoted in a shell and in an #SBATCH line).
bool isSlurmIdentifier(QStringView text);

} // namespace TuneDeck
