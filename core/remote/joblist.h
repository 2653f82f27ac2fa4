#pragma once

#include "core/job/clusterprofile.h"
#include "core/job/jobspec.h"
#include "core/remote/jobstatefile.h"
#include "core/remote/jobtracker.h"
#include "core/remote/slurmclient.h"
#include "core/util/coreonly.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace TuneDeck {

class ClusterSession;
class ClusterSessions;
class JobTracker;

// The jobs TuneDeck follows, from the window or the CLI alike: the job list file (JobStateFile, shared
// with `tunedeck jobs`), one JobTracker per connected cluster, and submission. A cluster's unfinished
// jobs are re-attached as soon as its session connects; every change is saved to the file at once.
class JobList : public QObject
{
    Q_OBJECT
public:
    explicit JobList(
        ClusterSessions* sessions, const QString& stateFile = JobStateFile::defaultPath(), QObject* parent = nullptr);
    ~JobList() override;

    // Reads the file; returns an error message for an unreadable one (the list then starts empty).
    QString load();
    const QList<JobRecord>& records() const { return m_file.records(); }
    QString stateFilePath() const { return m_file.path(); }
    // Shorter tracker intervals (tests).
    void setTrackerIntervals(const JobTrackerIntervals& intervals) { m_intervals = intervals; }

    // Submits the spec (its run directory already chosen, see JobDesign::submitSpec) to `cluster`,
    // logging in first when the session is not connected. The result comes as submitFinished().
    quint64 submit(const QString& cluster, const JobSpec& spec, const ClusterProfile& profile);
    // scancel; the tracker then sees the job end.
    void cancel(const QString& cluster, const QString& jobId);
    // One tracker cycle now on every connected cluster.
    void refresh();

Q_SIGNALS:
    void recordAdded(int row);
    void recordChanged(int row);
    // The job's phase changed (from `before`): what notifications are made of.
    void phaseChanged(int row, TuneDeck::JobPhase before);
    // "Logging in to …", "Uploading the files and running sbatch…"
    void submitProgress(quint64 id, const QString& text);
    void submitFinished(quint64 id, const TuneDeck::SubmitResult& result);
    void errorIssued(const QString& message);

private:
    struct PendingSubmit
    {
        quint64 id = 0;
        JobSpec spec;
        ClusterProfile profile;
    };

    void watch(ClusterSession* session);
    void onSessionState(ClusterSession* session);
    JobTracker* trackerFor(ClusterSession* session);
    void startSubmit(ClusterSession* session, const PendingSubmit& pending);
    void onJobChanged(const QString& cluster, const JobStatus& status);
    void save();

    QPointer<ClusterSessions> m_sessions;
    JobStateFile m_file;
    JobTrackerIntervals m_intervals;
    QHash<ClusterSession*, QPointer<JobTracker>> m_trackers;
    QHash<ClusterSession*, QList<PendingSubmit>> m_waiting; // for the login
    quint64 m_nextId = 0;
};

} // namespace TuneDeck
