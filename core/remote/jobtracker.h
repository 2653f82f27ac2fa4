#pragma once

#include "core/remote/jobstatus.h"
#include "core/remote/slurmclient.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <map>

namespace TuneDeck {

// How often the tracker asks the scheduler. The defaults keep TuneDeck at or below two scheduler
// queries per minute per cluster in steady state, whatever the number of jobs: one batched squeue per
// cycle, every 30 s while a job runs and every 60 s while all wait. Tests shrink them.
struct JobTrackerIntervals
{
    std::chrono::milliseconds running { 30000 };
    std::chrono::milliseconds pending { 60000 };
    // After a job left the queue and accounting did not know it yet (or slurmdbd is down).
    std::chrono::milliseconds accountingRetry { 120000 };
    std::chrono::milliseconds maxBackoff { 600000 }; // errors double the interval up to this
    qint64 logTailBytes = 64 * 1024; // read from the Slurm output file to explain a failure
};

// Follows the state of submitted jobs on one cluster: one squeue per cycle for all of them; when a job
// leaves the queue, one `sacct -X -P -D` (batched too) and the final state is kept for good, never asked
// again. Accounting that is down gives "final state unknown" and a later retry, never a guess.
class JobTracker : public QObject
{
    Q_OBJECT
public:
    explicit JobTracker(SlurmClient* client, QObject* parent = nullptr);

    void setIntervals(const JobTrackerIntervals& intervals) { m_intervals = intervals; }
    const JobTrackerIntervals& intervals() const { return m_intervals; }
    void setOwnUid(std::optional<qint64> uid) { m_ownUid = uid; }

    // Starts following a job. outputFile: its Slurm output file, for log hints (may be empty).
    // A status that is already terminal is kept as is and never queried.
    void track(const JobStatus& status, const QString& outputFile = QString());
    void untrack(const QString& jobId);
    QList<JobStatus> jobs() const;
    std::optional<JobStatus> job(const QString& jobId) const;
    bool allTerminal() const;
    // True while a query or a log read is waiting for its answer.
    bool busy() const { return m_queueRequest != 0 || m_accountingRequest != 0 || !m_tailRequests.empty(); }

    // Starts the cycle timer (the first cycle runs at once).
    void start();
    void stop();
    // One cycle now, unless one is running.
    void pollNow();

Q_SIGNALS:
    void jobChanged(const TuneDeck::JobStatus& status);
    // A cycle finished (whether or not anything changed); error is empty when the scheduler answered.
    void cycleFinished(const QString& error);

private:
    struct Tracked
    {
        JobStatus status;
        QString outputFile;
        qint64 accountingDueMs = 0; // FinalStateUnknown or name unsettled: when to ask accounting again
        bool seenInQueue = false;
        // slurmdbd records a job it has no name for yet as "allocation" (accounting_storage/mysql); when
        // a final record still says so, the name alone is asked again a few times.
        bool nameUnsettled = false;
        int nameRefreshes = 0;
    };

    void onQueue(quint64 id, const QueueSnapshot& snapshot);
    void onAccounting(quint64 id, const AccountingSnapshot& snapshot);
    void onTail(quint64 id, const QString& path, const QByteArray& data, const QString& error);
    void askAccounting(const QStringList& jobIds);
    void update(Tracked& tracked, const JobStatus& status);
    void finishCycle(const QString& error);
    void scheduleNext();
    qint64 nowMs() const;

    QPointer<SlurmClient> m_client;
    JobTrackerIntervals m_intervals;
    std::optional<qint64> m_ownUid;
    QTimer m_timer;
    std::map<QString, Tracked> m_jobs;
    quint64 m_queueRequest = 0;
    quint64 m_accountingRequest = 0;
    QStringList m_accountingAsked;
    QStringList m_pendingAccounting; // due in this cycle, besides the jobs that leave the queue
    std::map<quint64, QString> m_tailRequests; // request -> job id
    int m_errorStreak = 0;
    bool m_running = false;
};

} // namespace TuneDeck
