#pragma once

#include "core/remote/jobnotification.h"
#include "core/telemetry/derivedfigures.h"

#include <QSet>

namespace TuneDeck {

// What the live monitor of one job notifies beside the state changes: a GPU idle while the others work,
// the training log stalled, and the time limit close with no recent checkpoint. Each event is told once;
// it is told again only after it cleared and came back (a GPU that idles, recovers and idles again).
class MonitorAlerts
{
public:
    struct Inputs
    {
        JobRecord record;
        QList<Telemetry::Flag> flags; // idle GPUs, straggling nodes, a stalled log
        Telemetry::RunFigures figures;
        std::optional<qint64> lastCheckpointStep;
    };
    // Warn this long before the time limit (or two steps, when a step takes longer).
    static constexpr qint64 TimeLimitLeadSeconds = 15 * 60;
    // ... when the last checkpoint is older than this much training (or there is none).
    static constexpr qint64 CheckpointAgeSeconds = 30 * 60;

    QList<JobNotification> update(const Inputs& in);

private:
    QSet<QString> m_active;
};

// The header's sentence about the time limit: whether the run finishes in time and, when not, what a
// checkpoint carries over. Empty while there is nothing to say (no limit, no step time yet).
QString timeLimitSentence(
    const JobRecord& record, const Telemetry::RunFigures& figures, std::optional<qint64> lastCheckpointStep);

} // namespace TuneDeck
