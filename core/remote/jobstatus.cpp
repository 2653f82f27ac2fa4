#include "core/remote/jobstatus.h"

#include "core/slurm/slurmtext.h"

#include <QRegularExpression>

namespace TuneDeck {

bool JobStatus::isTerminal() const
{
    switch (phase) {
    case JobPhase::Completed:
    case JobPhase::Failed:
    case JobPhase::OutOfMemory:
    case JobPhase::Timeout:
    case JobPhase::Cancelled:
    case JobPhase::NodeFail:
    case JobPhase::Preempted:
        return true;
    case JobPhase::Submitted:
    case JobPhase::Pending:
    case JobPhase::Running:
    case JobPhase::Completing:
    case JobPhase::Suspended:
    case JobPhase::Requeued:
    case JobPhase::FinalStateUnknown:
        return false;
    }
    return false;
}

namespace {

struct PhaseName
{
    JobPhase phase;
    const char16_t* name;
};

constexpr PhaseName kPhaseNames[] = {
    { JobPhase::Submitted, u"SUBMITTED" },
    { JobPhase::Pending, u"PENDING" },
    { JobPhase::Running, u"RUNNING" },
    { JobPhase::Completing, u"COMPLETING" },
    { JobPhase::Suspended, u"SUSPENDED" },
    { JobPhase::Requeued, u"REQUEUED" },
    { JobPhase::Completed, u"COMPLETED" },
    { JobPhase::Failed, u"FAILED" },
    { JobPhase::OutOfMemory, u"OUT_OF_MEMORY" },
    { JobPhase::Timeout, u"TIMEOUT" },
    { JobPhase::Cancelled, u"CANCELLED" },
    { JobPhase::NodeFail, u"NODE_FAIL" },
    { JobPhase::Preempted, u"PREEMPTED" },
    { JobPhase::FinalStateUnknown, u"FINAL STATE UNKNOWN" },
};

QString formatDuration(qint64 seconds)
{
    const qint64 h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
    return QString::asprintf("%lld:%02lld:%02lld", h, m, s);
}

} // namespace

QString jobPhaseName(JobPhase phase)
{
    for (const PhaseName& entry : kPhaseNames)
        if (entry.phase == phase)
            return QString::fromUtf16(entry.name);
    return QString();
}

std::optional<JobPhase> jobPhaseFromName(QStringView name)
{
    for (const PhaseName& entry : kPhaseNames)
        if (name == QStringView(entry.name))
            return entry.phase;
    return std::nullopt;
}

QString logHintName(LogHint hint)
{
    switch (hint) {
    case LogHint::None:
        return QString();
    case LogHint::CudaOutOfMemory:
        return QStringLiteral("cuda_oom");
    case LogHint::Nccl:
        return QStringLiteral("nccl");
    case LogHint::HostOutOfMemory:
        return QStringLiteral("host_oom");
    case LogHint::TimeLimit:
        return QStringLiteral("time_limit");
    case LogHint::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QString();
}

JobPhase phaseFromSlurmState(QStringView state)
{
    // sacct prints "CANCELLED by 1234"; squeue and sacct may abbreviate nothing in long form, but a
    // trailing "+" marks states Slurm truncated to the column width.
    QStringView word = state.trimmed();
    if (const qsizetype space = word.indexOf(u' '); space >= 0)
        word = word.left(space);
    while (word.endsWith(u'+'))
        word.chop(1);
    if (word == u"PENDING" || word == u"PD" || word == u"CONFIGURING" || word == u"CF" || word == u"RESV_DEL_HOLD")
        return JobPhase::Pending;
    if (word == u"RUNNING" || word == u"R" || word == u"SIGNALING" || word == u"STAGE_OUT" || word == u"RESIZING")
        return JobPhase::Running;
    if (word == u"COMPLETING" || word == u"CG")
        return JobPhase::Completing;
    if (word == u"SUSPENDED" || word == u"S" || word == u"STOPPED" || word == u"ST")
        return JobPhase::Suspended;
    if (word == u"REQUEUED" || word == u"RQ" || word == u"REQUEUE_HOLD" || word == u"REQUEUE_FED")
        return JobPhase::Requeued;
    if (word == u"COMPLETED" || word == u"CD")
        return JobPhase::Completed;
    if (word == u"FAILED" || word == u"F" || word == u"BOOT_FAIL" || word == u"BF" || word == u"DEADLINE"
        || word == u"DL" || word == u"SPECIAL_EXIT" || word == u"SE" || word == u"REVOKED" || word == u"RV")
        return JobPhase::Failed;
    if (word == u"OUT_OF_MEMORY" || word == u"OOM")
        return JobPhase::OutOfMemory;
    if (word == u"TIMEOUT" || word == u"TO")
        return JobPhase::Timeout;
    if (word == u"CANCELLED" || word == u"CA")
        return JobPhase::Cancelled;
    if (word == u"NODE_FAIL" || word == u"NF")
        return JobPhase::NodeFail;
    if (word == u"PREEMPTED" || word == u"PR")
        return JobPhase::Preempted;
    return JobPhase::FinalStateUnknown;
}

JobStatus statusFromSqueue(const Slurm::SqueueRow& row)
{
    JobStatus status;
    status.jobId = row.jobId;
    status.slurmState = row.state;
    status.phase = phaseFromSlurmState(row.state);
    // squeue only lists jobs that are still in the system: a state it shows is never final.
    if (status.isTerminal())
        status.phase = JobPhase::Completing;
    status.reason = row.reason == u"None" ? QString() : row.reason;
    status.name = row.name;
    status.nodeList = row.nodeList;
    status.elapsedSeconds = row.elapsedSeconds;
    status.timeLimitSeconds = row.timeLimitSeconds;
    return status;
}

JobStatus statusFromSacct(const QList<Slurm::SacctRow>& attempts)
{
    JobStatus status;
    if (attempts.isEmpty()) {
        status.phase = JobPhase::FinalStateUnknown;
        return status;
    }
    const Slurm::SacctRow& last = attempts.back();
    status.jobId = last.jobId;
    status.slurmState = last.fields.value(QStringLiteral("State"), last.state);
    status.phase = phaseFromSlurmState(last.state);
    status.exit = last.exit;
    status.cancelledByUid = last.cancelledBy;
    status.elapsedSeconds = last.elapsedSeconds;
    status.timeLimitSeconds = Slurm::parseDurationSeconds(last.fields.value(QStringLiteral("Timelimit")).toUtf8());
    status.name = last.fields.value(QStringLiteral("JobName"));
    status.nodeList = last.fields.value(QStringLiteral("NodeList"));
    const QString reason = last.fields.value(QStringLiteral("Reason"));
    status.reason = reason == u"None" ? QString() : reason;
    status.attempts = int(attempts.size());
    return status;
}

LogHint logHintFromOutput(QByteArrayView outputTail)
{
    struct Pattern
    {
        LogHint hint;
        QRegularExpression expression;
    };
    // Wordings from real logs: PyTorch's "CUDA out of memory. Tried to allocate ..." and
    // torch.cuda.OutOfMemoryError; NCCL's "NCCL error" / "ncclUnhandledCudaError" / "NCCL WARN";
    // slurmstepd's "Detected 1 oom-kill event(s)", "oom_kill event", "Exceeded job memory limit",
    // "Some of your processes may have been killed by the cgroup out-of-memory handler";
    // "*** JOB 12 ON node CANCELLED AT ... DUE TO TIME LIMIT ***" and "... CANCELLED AT ... ***"
    // (shared/FORMATS.md section 4 lists the variants by Slurm version).
    static const QList<Pattern> patterns = {
        { LogHint::CudaOutOfMemory,
            QRegularExpression(QStringLiteral("CUDA out of memory|OutOfMemoryError|CUDA error: out of memory")) },
        { LogHint::Nccl,
            QRegularExpression(QStringLiteral("NCCL error|NCCL WARN|ncclUnhandledCudaError|ncclSystemError|"
                                              "ncclInternalError|ncclRemoteError|NCCL communicator was aborted|"
                                              "DistBackendError")) },
        { LogHint::HostOutOfMemory,
            QRegularExpression(QStringLiteral("oom-kill event|oom_kill event|Exceeded job memory limit|"
                                              "out-of-memory handler|Out Of Memory|OOM Killed")) },
        { LogHint::TimeLimit, QRegularExpression(QStringLiteral("CANCELLED (AT \\S+ )?DUE TO TIME LIMIT")) },
        // JOB lines only: TuneDeck's own script stops its recording step, which prints a STEP line.
        { LogHint::Cancelled,
            QRegularExpression(QStringLiteral("\\*\\*\\* JOB \\d+ ON \\S+ CANCELLED AT \\S+ \\*\\*\\*")) },
    };
    const QString text = QString::fromUtf8(outputTail);
    LogHint best = LogHint::None;
    qsizetype bestAt = -1;
    for (const Pattern& pattern : patterns) {
        QRegularExpressionMatchIterator it = pattern.expression.globalMatch(text);
        qsizetype lastAt = -1;
        while (it.hasNext())
            lastAt = it.next().capturedStart();
        if (lastAt > bestAt) {
            bestAt = lastAt;
            best = pattern.hint;
        }
    }
    return best;
}

QString pendingReasonText(QStringView reason)
{
    struct Text
    {
        const char16_t* code;
        const char16_t* text;
    };
    static constexpr Text texts[] = {
        { u"Resources", u"waiting for nodes to become free" },
        { u"Priority", u"other jobs have higher priority" },
        { u"Dependency", u"waiting for a job it depends on" },
        { u"DependencyNeverSatisfied", u"a job it depends on failed: it will never start; cancel it" },
        { u"BeginTime", u"its earliest start time has not come yet (requeued jobs wait a little)" },
        { u"BadConstraints", u"no node has the requested features (--constraint): it cannot start as asked" },
        { u"ReqNodeNotAvail", u"a required node is down, drained or reserved" },
        { u"PartitionNodeLimit", u"it asks for more nodes than the partition allows" },
        { u"PartitionTimeLimit", u"its time limit is longer than the partition allows" },
        { u"QOSMaxGRESPerUser", u"your QoS limit on GPUs in use is reached" },
        { u"QOSMaxJobsPerUserLimit", u"your QoS limit on running jobs is reached" },
        { u"QOSMaxWallDurationPerJobLimit", u"its time limit is longer than the QoS allows" },
        { u"AssocGrpGRES", u"the project's GPU limit is reached" },
        { u"AssocGrpGRESMinutes", u"the project's GPU-hours allocation is used up" },
        { u"AssocGrpCPUMinutesLimit", u"the project's CPU-hours allocation is used up" },
        { u"AssocMaxJobsLimit", u"the project's limit on running jobs is reached" },
        { u"JobHeldUser", u"held by you (scontrol release to start it)" },
        { u"JobHeldAdmin", u"held by an administrator" },
        { u"InvalidQOS", u"the QoS is not valid for this account" },
        { u"InvalidAccount", u"the account is not valid" },
        { u"NodeDown", u"a node it needs is down" },
        { u"launch failed requeued held", u"the launch failed and the job was held" },
    };
    for (const Text& entry : texts)
        if (reason == QStringView(entry.code))
            return QString::fromUtf16(entry.text);
    return reason.isEmpty() ? QString() : reason.toString();
}

QString explainJob(const JobStatus& status, std::optional<qint64> ownUid)
{
    QString text;
    switch (status.phase) {
    case JobPhase::Submitted:
        text = QStringLiteral("submitted; the scheduler has not been asked yet");
        break;
    case JobPhase::Pending:
        text = status.reason.isEmpty()
            ? QStringLiteral("waiting in the queue")
            : u"waiting in the queue: " % pendingReasonText(status.reason) % u" (" % status.reason % u')';
        break;
    case JobPhase::Running:
        text = u"running" % (status.nodeList.isEmpty() ? QString() : u" on " % status.nodeList);
        if (status.elapsedSeconds)
            text += u" for " % formatDuration(*status.elapsedSeconds);
        break;
    case JobPhase::Completing:
        text = QStringLiteral("finishing (Slurm is cleaning up the nodes)");
        break;
    case JobPhase::Suspended:
        text = QStringLiteral("suspended by the scheduler");
        break;
    case JobPhase::Requeued:
        text = QStringLiteral("requeued: a new attempt of the same job will start (the training resumes from its last "
                              "checkpoint if it saved one)");
        break;
    case JobPhase::Completed:
        text = QStringLiteral("completed successfully");
        break;
    case JobPhase::Failed:
        text = u"failed" % (status.exit ? u" with exit code " % QString::number(status.exit->code) : QString());
        if (status.exit && status.exit->signal)
            text += u" (signal " % QString::number(status.exit->signal) % u')';
        if (status.slurmState.startsWith(u"BOOT_FAIL"))
            text += QStringLiteral(": a node failed to boot");
        else if (status.slurmState.startsWith(u"DEADLINE"))
            text += QStringLiteral(": it missed its deadline");
        break;
    case JobPhase::OutOfMemory:
        text = QStringLiteral("ran out of host memory: Slurm's memory limit killed it (ask for more --mem, or lower "
                              "the data loader workers / CPU offloading)");
        break;
    case JobPhase::Timeout:
        text = QStringLiteral("reached its time limit and was stopped (ask for more --time, or enable requeue with "
                              "resume from checkpoints)");
        break;
    case JobPhase::Cancelled:
        text = QStringLiteral("cancelled");
        if (status.cancelledByUid) {
            if (ownUid && *ownUid == *status.cancelledByUid)
                text += QStringLiteral(" by you");
            else
                text += u" by uid " % QString::number(*status.cancelledByUid)
                    % QStringLiteral(" (an administrator or another user)");
        }
        break;
    case JobPhase::NodeFail:
        text = QStringLiteral("stopped because a node failed (not your job's fault; resubmit)");
        break;
    case JobPhase::Preempted:
        text = QStringLiteral("preempted by a higher-priority job");
        break;
    case JobPhase::FinalStateUnknown:
        text = QStringLiteral("final state unknown: it left the queue but Slurm's accounting has not said how it "
                              "ended yet; TuneDeck asks again later");
        break;
    }
    switch (status.logHint) {
    case LogHint::CudaOutOfMemory:
        text += QStringLiteral("; the log shows CUDA out of memory on a GPU (lower the per-device batch size or "
                               "cutoff length, enable gradient checkpointing or more sharding)");
        break;
    case LogHint::Nccl:
        text += QStringLiteral("; the log shows NCCL errors (communication between GPUs or nodes failed)");
        break;
    case LogHint::HostOutOfMemory:
        if (status.phase != JobPhase::OutOfMemory)
            text += QStringLiteral("; the log shows the out-of-memory killer at work (host memory)");
        break;
    case LogHint::TimeLimit:
    case LogHint::Cancelled:
    case LogHint::None:
        break;
    }
    if (status.attempts > 1)
        text += u" (after " % QString::number(status.attempts - 1)
            % (status.attempts == 2 ? u" requeue)" : u" requeues)");
    return text;
}

} // namespace TuneDeck
