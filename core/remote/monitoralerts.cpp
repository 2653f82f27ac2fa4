#include "core/remote/monitoralerts.h"

#include <QCoreApplication>

#include <cmath>

namespace TuneDeck {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("MonitorAlerts", text);
}

QString duration(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min").arg((seconds + 30) / 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600 + 30) / 60);
}

// Seconds of training since the last checkpoint (all of it when there is none), or nullopt.
std::optional<qint64> unsavedSeconds(const Telemetry::RunFigures& f, std::optional<qint64> lastCheckpointStep)
{
    if (!f.stepsDone || !f.secondsPerStep)
        return std::nullopt;
    const qint64 steps = *f.stepsDone - lastCheckpointStep.value_or(0);
    return qint64(std::llround(double(std::max<qint64>(0, steps)) * *f.secondsPerStep));
}

QString checkpointClause(std::optional<qint64> lastCheckpointStep, std::optional<qint64> unsaved)
{
    if (!lastCheckpointStep)
        return unsaved ? tr("no checkpoint has been saved, so %1 of training would be lost").arg(duration(*unsaved))
                       : tr("no checkpoint has been saved");
    return unsaved
        ? tr("the last checkpoint is from step %1, %2 of training ago").arg(*lastCheckpointStep).arg(duration(*unsaved))
        : tr("the last checkpoint is from step %1").arg(*lastCheckpointStep);
}

} // namespace

QList<JobNotification> MonitorAlerts::update(const Inputs& in)
{
    QList<JobNotification> out;
    QSet<QString> now;
    const QString who = jobTitle(in.record.status);
    const bool running = in.record.status.phase == JobPhase::Running;
    const auto raise = [&](const QString& key, JobNotification n) {
        now.insert(key);
        if (!m_active.contains(key))
            out.append(std::move(n));
    };
    if (running) {
        for (const Telemetry::Flag& flag : in.flags) {
            if (flag.kind == Telemetry::FlagKind::IdleGpu) {
                raise(u"idle\n" + flag.node + u'\n' + QString::number(flag.gpu),
                    { JobNotification::Kind::IdleGpu, tr("%1: a GPU is idle").arg(who),
                        tr("GPU %1 on %2 is idle while the others work (%3)")
                            .arg(flag.gpu)
                            .arg(flag.node, flag.detail) });
            } else if (flag.kind == Telemetry::FlagKind::StalledLog) {
                raise(QStringLiteral("stalled"),
                    { JobNotification::Kind::StalledLog, tr("%1: the training log has stalled").arg(who),
                        tr("Nothing new in the training output for %1").arg(flag.detail) });
            }
        }
        const JobStatus& s = in.record.status;
        const Telemetry::RunFigures& f = in.figures;
        const bool finishesInTime = f.exceedsTimeLimit && !*f.exceedsTimeLimit;
        if (s.timeLimitSeconds && s.elapsedSeconds && !finishesInTime) {
            const qint64 left = *s.timeLimitSeconds - *s.elapsedSeconds;
            const qint64 lead = std::max<qint64>(
                TimeLimitLeadSeconds, f.secondsPerStep ? qint64(std::llround(2 * *f.secondsPerStep)) : 0);
            const std::optional<qint64> unsaved = unsavedSeconds(f, in.lastCheckpointStep);
            const bool stale = !in.lastCheckpointStep || (unsaved && *unsaved > CheckpointAgeSeconds);
            if (left <= lead && stale)
                raise(QStringLiteral("timelimit"),
                    { JobNotification::Kind::NearTimeLimit, tr("%1 reaches its time limit soon").arg(who),
                        tr("%1 left of %2; %3.")
                            .arg(duration(left), duration(*s.timeLimitSeconds),
                                checkpointClause(in.lastCheckpointStep, unsaved)) });
        }
    }
    m_active = now;
    return out;
}

QString timeLimitSentence(
    const JobRecord& record, const Telemetry::RunFigures& f, std::optional<qint64> lastCheckpointStep)
{
    const JobStatus& s = record.status;
    if (!s.timeLimitSeconds)
        return {};
    if (s.isTerminal()) // what happened, not a projection
        return s.elapsedSeconds
            ? tr("Ran %1 of its time limit of %2.").arg(duration(*s.elapsedSeconds), duration(*s.timeLimitSeconds))
            : QString();
    if (!f.exceedsTimeLimit || !f.shortfallSeconds) {
        if (s.elapsedSeconds)
            return tr("Time limit %1, %2 used.").arg(duration(*s.timeLimitSeconds), duration(*s.elapsedSeconds));
        return tr("Time limit %1.").arg(duration(*s.timeLimitSeconds));
    }
    if (!*f.exceedsTimeLimit)
        return tr("Finishes %1 before its time limit of %2.")
            .arg(duration(-*f.shortfallSeconds), duration(*s.timeLimitSeconds));
    QString text = tr("At this pace the run cannot finish in time: it needs %1 more than its time limit of %2")
                       .arg(duration(*f.shortfallSeconds), duration(*s.timeLimitSeconds));
    if (f.stepsDone && f.totalSteps && f.secondsPerStep) {
        const double perStep = *f.secondsPerStep;
        const qint64 stepsInTime = s.elapsedSeconds
            ? std::min<qint64>(
                *f.totalSteps, *f.stepsDone + qint64((double(*s.timeLimitSeconds - *s.elapsedSeconds)) / perStep))
            : -1;
        if (stepsInTime >= 0)
            text += tr(" and will stop near step %1 of %2").arg(stepsInTime).arg(*f.totalSteps);
    }
    text += u"; ";
    text += lastCheckpointStep
        ? tr("the last checkpoint (step %1) lets a resubmitted or requeued job carry on from there.")
              .arg(*lastCheckpointStep)
        : tr("no checkpoint has been saved yet, so only a checkpoint saved before the limit lets a resumed job "
             "carry on.");
    return text;
}

} // namespace TuneDeck
