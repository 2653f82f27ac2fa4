#pragma once

#include "core/remote/jobstatefile.h"
#include "core/util/coreonly.h"

#include <optional>

namespace TuneDeck {

// What to tell the user when a tracked job changes state: it started, it completed, or it failed (timed
// out, ran out of memory, lost a node, was cancelled) with the reason. Nothing for changes a user does
// not wait for (submitted -> pending, completing), and nothing twice for the same state.
struct JobNotification
{
    // The last three come from the live monitor (core/remote/monitoralerts.h).
    enum class Kind { Started, Completed, Failed, IdleGpu, StalledLog, NearTimeLimit };
    Kind kind = Kind::Started;
    QString title; // "Job 123 (llama3-70b-ft) started"
    QString text; // the explanation: "running on gpu[01-04]", "killed by the time limit after 3:00:00"
};

std::optional<JobNotification> jobNotification(const JobRecord& record, JobPhase before);
// The settings key that switches a kind off ("started", "completed", "failed", "idle_gpu", "stalled_log",
// "time_limit").
QString notificationSettingKey(JobNotification::Kind kind);
// "Job 123 (name)" or "Job 123".
QString jobTitle(const JobStatus& status);

} // namespace TuneDeck
