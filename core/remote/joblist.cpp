#include "core/remote/joblist.h"

#include "core/remote/clustersessions.h"
#include "core/remote/jobtracker.h"

namespace TuneDeck {

JobList::JobList(ClusterSessions* sessions, const QString& stateFile, QObject* parent)
    : QObject(parent)
    , m_sessions(sessions)
    , m_file(stateFile)
{
    for (ClusterSession* session : sessions->sessions())
        watch(session);
    connect(sessions, &ClusterSessions::sessionAdded, this, &JobList::watch);
}

JobList::~JobList() = default;

QString JobList::load()
{
    return m_file.load();
}

void JobList::watch(ClusterSession* session)
{
    connect(session, &ClusterSession::stateChanged, this, [this, session]() { onSessionState(session); });
    connect(session, &QObject::destroyed, this, [this, session]() {
        m_trackers.remove(session);
        m_waiting.remove(session);
    });
    if (session->state() == ClusterSession::State::Connected)
        onSessionState(session);
}

JobTracker* JobList::trackerFor(ClusterSession* session)
{
    QPointer<JobTracker>& tracker = m_trackers[session];
    if (tracker && tracker->parent() == session->client())
        return tracker;
    // Parented to the client: a new login (a new client) gets a new tracker, the old one goes with it.
    tracker = new JobTracker(session->client(), session->client());
    tracker->setIntervals(m_intervals);
    const QString cluster = session->name();
    connect(tracker, &JobTracker::jobChanged, this,
        [this, cluster](const JobStatus& status) { onJobChanged(cluster, status); });
    for (const JobRecord& record : m_file.records()) {
        if (record.cluster == cluster && !record.status.isTerminal())
            tracker->track(record.status, record.outputFile);
    }
    return tracker;
}

void JobList::onSessionState(ClusterSession* session)
{
    switch (session->state()) {
    case ClusterSession::State::Connected: {
        JobTracker* tracker = trackerFor(session);
        tracker->start();
        const QList<PendingSubmit> waiting = m_waiting.take(session);
        for (const PendingSubmit& pending : waiting)
            startSubmit(session, pending);
        return;
    }
    case ClusterSession::State::Failed:
    case ClusterSession::State::Disconnected: {
        if (JobTracker* tracker = m_trackers.value(session))
            tracker->stop();
        const QList<PendingSubmit> waiting = m_waiting.take(session);
        for (const PendingSubmit& pending : waiting) {
            SubmitResult failed;
            failed.error = tr("cannot log in to %1: %2")
                               .arg(session->displayName(),
                                   session->errorMessage().isEmpty() ? tr("cancelled") : session->errorMessage());
            Q_EMIT submitFinished(pending.id, failed);
        }
        return;
    }
    case ClusterSession::State::Connecting:
        return;
    }
}

quint64 JobList::submit(const QString& cluster, const JobSpec& spec, const ClusterProfile& profile)
{
    const quint64 id = ++m_nextId;
    ClusterSession* session = m_sessions->session(cluster);
    const PendingSubmit pending { id, spec, profile };
    if (session->state() == ClusterSession::State::Connected) {
        // Queued, so the caller has the id before anything is reported about it.
        QMetaObject::invokeMethod(
            this, [this, session, pending]() { startSubmit(session, pending); }, Qt::QueuedConnection);
        return id;
    }
    m_waiting[session].append(pending);
    QMetaObject::invokeMethod(
        this, [this, id, session]() { Q_EMIT submitProgress(id, tr("Logging in to %1…").arg(session->displayName())); },
        Qt::QueuedConnection);
    session->connectToCluster();
    return id;
}

void JobList::startSubmit(ClusterSession* session, const PendingSubmit& pending)
{
    SlurmClient* client = session->client();
    Q_EMIT submitProgress(
        pending.id, tr("Uploading the job's files to %1 and running sbatch…").arg(pending.spec.environment.runDir));
    const QString cluster = session->name();
    const quint64 clientId = client->submit(pending.spec, pending.profile);
    auto link = std::make_shared<QMetaObject::Connection>();
    *link = connect(client, &SlurmClient::submitFinished, this,
        [this, link, clientId, id = pending.id, cluster, session, spec = pending.spec](
            quint64 finished, const SubmitResult& result) {
            if (finished != clientId)
                return;
            disconnect(*link);
            if (result.ok()) {
                JobRecord record;
                record.cluster = cluster;
                record.runDir = result.runDir;
                record.outputFile = result.outputFile;
                record.submittedUtc = QDateTime::currentDateTimeUtc();
                record.status.jobId = result.jobId;
                record.status.name = spec.slurm.jobName;
                record.nodes = spec.slurm.nodes;
                record.gpusPerNode = spec.slurm.gpusPerNode;
                m_file.upsert(record);
                save();
                Q_EMIT recordAdded(int(m_file.records().size()) - 1);
                trackerFor(session)->track(record.status, record.outputFile);
                trackerFor(session)->pollNow();
            }
            Q_EMIT submitFinished(id, result);
        });
}

void JobList::cancel(const QString& cluster, const QString& jobId)
{
    ClusterSession* session = m_sessions->find(cluster);
    if (!session || session->state() != ClusterSession::State::Connected || !session->client()) {
        Q_EMIT errorIssued(tr("connect to %1 to cancel job %2").arg(cluster, jobId));
        return;
    }
    session->client()->cancel(jobId);
}

void JobList::refresh()
{
    for (auto it = m_trackers.cbegin(); it != m_trackers.cend(); ++it) {
        if (it.value() && it.key()->state() == ClusterSession::State::Connected)
            it.value()->pollNow();
    }
}

void JobList::onJobChanged(const QString& cluster, const JobStatus& status)
{
    QList<JobRecord>& records = m_file.records();
    for (int row = 0; row < records.size(); ++row) {
        if (records[row].cluster == cluster && records[row].status.jobId == status.jobId) {
            if (records[row].status == status)
                return;
            const JobPhase before = records[row].status.phase;
            records[row].status = status;
            save();
            Q_EMIT recordChanged(row);
            if (before != status.phase)
                Q_EMIT phaseChanged(row, before);
            return;
        }
    }
}

void JobList::save()
{
    if (const QString error = m_file.save(); !error.isEmpty())
        Q_EMIT errorIssued(error);
}

} // namespace TuneDeck
