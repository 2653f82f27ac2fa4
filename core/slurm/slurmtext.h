#pragma once

#include "core/util/coreonly.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace TuneDeck::Slurm {

// Small value parsers shared by the sacct/squeue/scontrol readers. All accept the text exactly as Slurm
// prints it and return nullopt for the sentinels ("", "N/A", "Unknown", "None", "(null)", "INVALID").

// Durations as printed by sacct Elapsed, squeue %M/%l and scontrol RunTime/TimeLimit:
// "MM:SS", "HH:MM:SS", "D-HH:MM:SS", "D-HH", plus "MM:SS.mmm" (TotalCPU). "UNLIMITED"/"INFINITE" give nullopt.
std::optional<qint64> parseDurationSeconds(QByteArrayView text);

// GPUs in a TRES list ("billing=8,cpu=8,gres/gpu:a100=4,gres/gpu=4,mem=60G,node=1"). Slurm lists the untyped
// total and one entry per type; the untyped entry wins, typed entries are summed only when it is absent, so
// a GPU is never counted twice. Returns 0 for a TRES list without GPUs and nullopt for an empty/sentinel one.
std::optional<int> gpuCountFromTres(QByteArrayView tres);

// "code:signal" (sacct ExitCode, scontrol ExitCode). Both parts must be integers.
struct ExitStatus
{
    int code = 0;
    int signal = 0;
    friend bool operator==(const ExitStatus&, const ExitStatus&) = default;
};
std::optional<ExitStatus> parseExitStatus(QByteArrayView text);

// True for Slurm's "no value" spellings.
bool isSentinel(QByteArrayView text);

} // namespace TuneDeck::Slurm
