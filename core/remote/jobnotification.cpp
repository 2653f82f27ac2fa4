#include "core/remote/jobnotification.h"

#include <QCoreApplication>

namespace TuneDeck {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("JobNotification", text);
}

} // namespace

QString jobTitle(const JobStatus& status)
{
    return status.name.isEmpty() ? tr("Job %1").arg(status.jobId) : tr("Job %1 (%2)").arg(status.jobId, status.name);
}

QString notificationSettingKey(JobNotification::Kind kind)
{
    switch (kind) {
    case JobNotification::Kind::Started:
        return QStringLiteral("started");
    case JobNotification::Kind::Completed:
        return QStringLiteral("completed");
    case JobNotification::Kind::Failed:
        return QStringLiteral("failed");
    case JobNotification::Kind::IdleGpu:
        return QStringLiteral("idle_gpu");
    case JobNotification::Kind::StalledLog:
        return QStringLiteral("stalled_log");
    case JobNotification::Kind::NearTimeLimit:
        return QStringLiteral("time_limit");
    }
    return {};
}

std::optional<JobNotification> jobNotification(const JobRecord& record, JobPhase before)
{
    const JobStatus& status = record.status;
    if (status.phase == before)
        return std::nullopt;
    const QString who = jobTitle(status);
    JobNotification n;
    n.text = explainJob(status, record.ownerUid);
    switch (status.phase) {
    case JobPhase::Running:
        // A requeued job starting again is news too; running after completing/suspended is not.
        if (before == JobPhase::Completing || before == JobPhase::Suspended)
            return std::nullopt;
        n.kind = JobNotification::Kind::Started;
        n.title = tr("%1 started").arg(who);
        return n;
    case JobPhase::Completed:
        n.kind = JobNotification::Kind::Completed;
        n.title = tr("%1 completed").arg(who);
        return n;
    case JobPhase::Failed:
    case JobPhase::OutOfMemory:
    case JobPhase::Timeout:
    case JobPhase::NodeFail:
    case JobPhase::Preempted:
    case JobPhase::Cancelled:
        n.kind = JobNotification::Kind::Failed;
        n.title = tr("%1 ended: %2").arg(who, jobPhaseName(status.phase));
        return n;
    case JobPhase::Submitted:
    case JobPhase::Pending:
    case JobPhase::Completing:
    case JobPhase::Suspended:
    case JobPhase::Requeued:
    case JobPhase::FinalStateUnknown:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace TuneDeck
