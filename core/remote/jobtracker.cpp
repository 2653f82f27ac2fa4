#include "core/remote/jobtracker.h"

#include <QDateTime>

#include <limits>
#include <utility>

namespace TuneDeck {

JobTracker::JobTracker(SlurmClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_timer(this)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &JobTracker::pollNow);
    connect(client, &SlurmClient::queueQueried, this, &JobTracker::onQueue);
    connect(client, &SlurmClient::accountingQueried, this, &JobTracker::onAccounting);
    connect(client, &SlurmClient::tailRead, this, &JobTracker::onTail);
}

qint64 JobTracker::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void JobTracker::track(const JobStatus& status, const QString& outputFile)
{
    Tracked tracked;
    tracked.status = status;
    tracked.outputFile = outputFile;
    m_jobs[status.jobId] = tracked;
    if (m_running && !m_timer.isActive() && m_queueRequest == 0 && m_accountingRequest == 0)
        scheduleNext();
}

void JobTracker::untrack(const QString& jobId)
{
    m_jobs.erase(jobId);
}

QList<JobStatus> JobTracker::jobs() const
{
    QList<JobStatus> result;
    for (const auto& [id, tracked] : m_jobs)
        result.append(tracked.status);
    return result;
}

std::optional<JobStatus> JobTracker::job(const QString& jobId) const
{
    const auto found = m_jobs.find(jobId);
    return found == m_jobs.end() ? std::nullopt : std::optional<JobStatus>(found->second.status);
}

bool JobTracker::allTerminal() const
{
    for (const auto& [id, tracked] : m_jobs)
        if (!tracked.status.isTerminal())
            return false;
    return true;
}

void JobTracker::start()
{
    m_running = true;
    pollNow();
}

void JobTracker::stop()
{
    m_running = false;
    m_timer.stop();
}

void JobTracker::pollNow()
{
    if (!m_client || m_queueRequest != 0 || m_accountingRequest != 0)
        return;
    m_timer.stop();
    bool needQueue = false;
    QStringList accountingDue;
    for (const auto& [id, tracked] : m_jobs) {
        if (tracked.status.isTerminal()) {
            if (tracked.nameUnsettled && tracked.accountingDueMs <= nowMs())
                accountingDue.append(id);
            continue;
        }
        if (tracked.status.phase == JobPhase::FinalStateUnknown) {
            if (tracked.accountingDueMs <= nowMs())
                accountingDue.append(id);
        } else {
            needQueue = true;
        }
    }
    m_pendingAccounting = accountingDue;
    if (needQueue)
        m_queueRequest = m_client->queryQueue();
    else if (!accountingDue.isEmpty())
        askAccounting(accountingDue);
    else
        finishCycle(QString());
}

void JobTracker::update(Tracked& tracked, const JobStatus& status)
{
    if (tracked.status == status)
        return;
    tracked.status = status;
    Q_EMIT jobChanged(status);
}

void JobTracker::onQueue(quint64 id, const QueueSnapshot& snapshot)
{
    if (id != m_queueRequest)
        return;
    m_queueRequest = 0;
    if (!snapshot.ok()) {
        finishCycle(snapshot.error);
        return;
    }
    QMap<QString, JobStatus> listed;
    for (const JobStatus& status : snapshot.jobs)
        listed.insert(status.jobId, status);
    QStringList departed;
    for (auto& [jobId, tracked] : m_jobs) {
        if (tracked.status.isTerminal())
            continue;
        const auto found = listed.constFind(jobId);
        if (found == listed.constEnd()) {
            if (tracked.status.phase != JobPhase::FinalStateUnknown || tracked.accountingDueMs <= nowMs())
                departed.append(jobId);
            continue;
        }
        JobStatus status = *found;
        status.attempts = tracked.status.attempts;
        status.logHint = tracked.status.logHint;
        const JobPhase before = tracked.status.phase;
        // A job seen running that is pending again was requeued (scontrol requeue, node failure, or
        // the --requeue-before-time-limit chain): a new attempt of the same job id.
        if (status.phase == JobPhase::Pending && (before == JobPhase::Running || before == JobPhase::Completing)) {
            status.phase = JobPhase::Requeued;
            status.attempts = tracked.status.attempts + 1;
        } else if (status.phase == JobPhase::Pending && before == JobPhase::Requeued) {
            status.phase = JobPhase::Requeued;
        } else if (status.phase == JobPhase::Requeued && before != JobPhase::Requeued) {
            status.attempts = tracked.status.attempts + 1;
        }
        tracked.seenInQueue = true;
        update(tracked, status);
    }
    for (const QString& jobId : std::as_const(m_pendingAccounting))
        if (!departed.contains(jobId) && m_jobs.count(jobId) && m_jobs.at(jobId).status.isTerminal())
            departed.append(jobId); // a name refresh rides along with this cycle's sacct
    if (!departed.isEmpty()) {
        askAccounting(departed);
        return;
    }
    finishCycle(QString());
}

namespace {
// What slurmdbd stores for a job whose name it does not know yet (src/plugins/accounting_storage/mysql/
// as_mysql_job.c: `jname = xstrdup("allocation")`); seen here for jobs that end within a second.
const QString kPlaceholderName = QStringLiteral("allocation");
} // namespace

void JobTracker::askAccounting(const QStringList& jobIds)
{
    m_accountingAsked = jobIds;
    m_accountingRequest = m_client->queryAccounting(jobIds);
}

void JobTracker::onAccounting(quint64 id, const AccountingSnapshot& snapshot)
{
    if (id != m_accountingRequest)
        return;
    m_accountingRequest = 0;
    const QStringList asked = std::exchange(m_accountingAsked, {});
    const qint64 retryAt = nowMs() + m_intervals.accountingRetry.count();
    for (const QString& jobId : asked) {
        const auto entry = m_jobs.find(jobId);
        if (entry == m_jobs.end())
            continue;
        Tracked& tracked = entry->second;
        const auto found = snapshot.jobs.constFind(jobId);
        if (tracked.status.isTerminal()) {
            // Only the name was asked again; the final state stays as it was.
            if (!tracked.nameUnsettled)
                continue;
            if (snapshot.ok() && found != snapshot.jobs.constEnd() && found->name != kPlaceholderName) {
                tracked.nameUnsettled = false;
                JobStatus status = tracked.status;
                status.name = found->name;
                update(tracked, status);
            } else if (++tracked.nameRefreshes >= 3) {
                tracked.nameUnsettled = false; // keep what we have
            } else {
                tracked.accountingDueMs = retryAt;
            }
            continue;
        }
        if (snapshot.ok() && found != snapshot.jobs.constEnd() && found->isTerminal()) {
            JobStatus status = *found;
            status.attempts = std::max(status.attempts, tracked.status.attempts);
            if (status.name.isEmpty() || status.name == kPlaceholderName) {
                if (!tracked.status.name.isEmpty() && tracked.status.name != kPlaceholderName) {
                    status.name = tracked.status.name; // squeue showed the real one
                } else {
                    tracked.nameUnsettled = true;
                    tracked.accountingDueMs = retryAt;
                }
            }
            update(tracked, status);
            // Kept for good from here on; one read of the log's end to explain a failure.
            if (status.phase != JobPhase::Completed && !tracked.outputFile.isEmpty())
                m_tailRequests.emplace(m_client->readTail(tracked.outputFile, m_intervals.logTailBytes), jobId);
            continue;
        }
        if (snapshot.ok() && found != snapshot.jobs.constEnd()) {
            // Accounting still has it as running (queue and database disagree for a moment around the
            // end of a job): squeue is asked again next cycle.
            continue;
        }
        // Not in accounting (yet), or accounting unreachable: say so and ask again later; never guess.
        JobStatus status = tracked.status;
        status.phase = JobPhase::FinalStateUnknown;
        status.reason = snapshot.ok() ? QStringLiteral("not in Slurm's accounting yet") : snapshot.error;
        tracked.accountingDueMs = retryAt;
        update(tracked, status);
    }
    finishCycle(snapshot.ok() ? QString() : snapshot.error);
}

void JobTracker::onTail(quint64 id, const QString& path, const QByteArray& data, const QString& error)
{
    Q_UNUSED(path);
    const auto request = m_tailRequests.find(id);
    if (request == m_tailRequests.end())
        return;
    const QString jobId = request->second;
    m_tailRequests.erase(request);
    const auto found = m_jobs.find(jobId);
    if (found == m_jobs.end() || !error.isEmpty())
        return;
    JobStatus status = found->second.status;
    status.logHint = logHintFromOutput(data);
    update(found->second, status);
}

void JobTracker::finishCycle(const QString& error)
{
    m_errorStreak = error.isEmpty() ? 0 : m_errorStreak + 1;
    Q_EMIT cycleFinished(error);
    scheduleNext();
}

void JobTracker::scheduleNext()
{
    if (!m_running)
        return;
    qint64 next = -1;
    for (const auto& [id, tracked] : m_jobs) {
        qint64 wait = -1;
        switch (tracked.status.phase) {
        case JobPhase::Running:
        case JobPhase::Completing:
        case JobPhase::Suspended:
            wait = m_intervals.running.count();
            break;
        case JobPhase::Submitted:
        case JobPhase::Pending:
        case JobPhase::Requeued:
            wait = m_intervals.pending.count();
            break;
        case JobPhase::FinalStateUnknown:
            wait = std::max<qint64>(0, tracked.accountingDueMs - nowMs());
            break;
        default:
            // Terminal: never asked again, except (a few times) for a name accounting did not have yet.
            if (tracked.nameUnsettled)
                wait = std::max<qint64>(0, tracked.accountingDueMs - nowMs());
            break;
        }
        if (wait >= 0 && (next < 0 || wait < next))
            next = wait;
    }
    if (next < 0)
        return; // nothing left to follow
    if (m_errorStreak > 0) {
        // Back off while the scheduler (or the link) is failing: double per failed cycle.
        const qint64 factor = qint64(1) << std::min(m_errorStreak, 10);
        next = std::min<qint64>(
            std::max<qint64>(next, m_intervals.running.count()) * factor, m_intervals.maxBackoff.count());
    }
    m_timer.start(int(std::min<qint64>(next, std::numeric_limits<int>::max())));
}

} // namespace TuneDeck
