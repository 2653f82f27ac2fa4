#pragma once

#include "core/util/coreonly.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <optional>

namespace TuneDeck::Slurm {

struct SbatchSubmission
{
    qint64 jobId = 0;
    QString cluster; // only with `--parsable` on a multi-cluster setup: "<id>;<cluster>"
};

// Which part of the job design a rejected submission points at, so the wizard can highlight the field.
enum class SbatchErrorField {
    None, // no error line
    Account, // "Invalid account or account/partition combination specified"
    Qos, // "Invalid qos specification", "Job violates accounting/QOS policy", QOSMax* limits
    Partition, // "Invalid partition name specified"
    Constraint, // "Invalid feature specification" (--constraint)
    NodeConfiguration, // "Requested node configuration is not available": nodes/CPUs/GPUs/--mem do not fit a node
    Memory, // "Memory required by task is not available", "Memory specification can not be satisfied"
    TimeLimit, // "Requested time limit is invalid", "Invalid time limit specification"
    Gres, // "Invalid generic resource (gres) specification"
    Script, // the script itself: unreadable, not a batch script, bad #SBATCH line
    Other,
};

struct SbatchError
{
    SbatchErrorField field = SbatchErrorField::None;
    QString reason; // Slurm's text after "Batch job submission failed: " (or the last error line)
    QStringList errorLines; // every "sbatch: error: ..." message, in order, without the prefix
};

class SbatchOutput
{
public:
    // stdout of `sbatch --parsable` ("45194596" or "45194596;cluster") or plain sbatch
    // ("Submitted batch job 45194596"). Other lines (module banners, warnings) are ignored.
    static std::optional<SbatchSubmission> parseJobId(QByteArrayView stdoutText);

    // stderr of a failed sbatch.
    static SbatchError parseError(QByteArrayView stderrText);
};

} // namespace TuneDeck::Slurm
