#pragma once

#include "core/slurm/sacctparser.h"
#include "core/slurm/squeueparser.h"
#include "core/util/coreonly.h"

#include <QMetaType>
#include <QString>

#include <optional>

namespace TuneDeck {

// What TuneDeck tells the user about a job: a small set of phases that map Slurm's many states, plus
// the details needed to explain them (exit code, pending reason, who cancelled, what the log says).
enum class JobPhase {
    Submitted, // sbatch returned the id; the scheduler has not been asked yet
    Pending,
    Running,
    Completing,
    Suspended,
    Requeued, // back in the queue for another attempt of the same job id
    Completed,
    Failed,
    OutOfMemory, // host memory: Slurm's OUT_OF_MEMORY (the cgroup OOM killer)
    Timeout,
    Cancelled,
    NodeFail,
    Preempted,
    FinalStateUnknown, // left the queue, but accounting did not (yet) say how it ended: asked again later
};

// Hints read from the end of the job's output file (only for the final explanation).
enum class LogHint { None, CudaOutOfMemory, Nccl, HostOutOfMemory, TimeLimit, Cancelled };

struct JobStatus
{
    QString jobId;
    JobPhase phase = JobPhase::Submitted;
    QString slurmState; // as Slurm printed it: "PENDING", "CANCELLED", "OUT_OF_MEMORY", ...
    QString reason; // squeue %r / sacct Reason: "Resources", "BadConstraints", ...
    QString name;
    QString nodeList;
    std::optional<Slurm::ExitStatus> exit;
    std::optional<qint64> cancelledByUid;
    std::optional<qint64> elapsedSeconds;
    std::optional<qint64> timeLimitSeconds; // squeue %l / sacct Timelimit; nullopt when unknown or UNLIMITED
    int attempts = 1; // > 1 after requeues (sacct -D lists every attempt)
    LogHint logHint = LogHint::None;

    bool isTerminal() const;
    friend bool operator==(const JobStatus&, const JobStatus&) = default;
};

// "PENDING", "RUNNING", "COMPLETED", ... "FINAL STATE UNKNOWN": Slurm-like upper-case names.
QString jobPhaseName(JobPhase phase);
std::optional<JobPhase> jobPhaseFromName(QStringView name);
QString logHintName(LogHint hint); // "cuda_oom", "nccl", "host_oom", "time_limit", "cancelled", ""

// Slurm's job state (long form, any of squeue's or sacct's spellings, "CANCELLED by 123" included).
JobPhase phaseFromSlurmState(QStringView state);

// Live state from one squeue row.
JobStatus statusFromSqueue(const Slurm::SqueueRow& row);

// Final state from the `sacct -X -D` rows of one job id (every attempt, oldest first).
JobStatus statusFromSacct(const QList<Slurm::SacctRow>& attempts);

// Looks for the known causes of failure at the end of a Slurm output file: CUDA out of memory, NCCL
// errors, Slurm's OOM-killer and time-limit lines, cancellation. The last match wins: the log's end
// tells how it ended.
// TODO(telemetry): the trainer-log reader in core/telemetry detects the same endings for `inspect`;
// use it here once it exposes a termination API for a byte tail.
LogHint logHintFromOutput(QByteArrayView outputTail);

// One or two sentences for people: what happened and what to do about it. ownUid: the login user's
// uid, to say "cancelled by you".
QString explainJob(const JobStatus& status, std::optional<qint64> ownUid = std::nullopt);

// Why a job waits, in words (squeue's reason codes, see squeue(1) "JOB REASON CODES").
QString pendingReasonText(QStringView reason);

} // namespace TuneDeck

Q_DECLARE_METATYPE(TuneDeck::JobStatus)
Q_DECLARE_METATYPE(TuneDeck::JobPhase)
