#pragma once

#include "core/util/coreonly.h"

#include <QString>

#include <optional>

namespace TuneDeck {

// Slurm's time formats for --time (sbatch(1)): "minutes", "minutes:seconds", "hours:minutes:seconds",
// "days-hours", "days-hours:minutes" and "days-hours:minutes:seconds". Returns seconds, or nullopt when
// the text is none of those. "UNLIMITED"/"INFINITE" are rejected: a job design always has a limit.
std::optional<qint64> parseSlurmDuration(QStringView text);

// Formats seconds the way Slurm prints limits: "H:MM:SS", or "D-HH:MM:SS" from one day on.
QString formatSlurmDuration(qint64 seconds);

// sbatch --mem: a positive integer with an optional unit suffix K, M, G or T (default M, as sbatch's).
// Returns MiB (rounded up for K), or nullopt when malformed.
std::optional<qint64> parseSlurmMemoryMiB(QStringView text);

} // namespace TuneDeck
