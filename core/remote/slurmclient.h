#pragma once

#include "core/remote/jobstatus.h"
#include "core/slurm/sbatchoutput.h"
#include "core/ssh/sshconnection.h"
#include "core/util/coreonly.h"

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <map>

namespace TuneDeck {

struct ClusterProfile;
struct JobSpec;

struct SlurmAssociation
{
    QString account;
    QStringList qos;
};

// What `tunedeck connect` and the job forms learn about a cluster, in one round trip.
struct SlurmProbe
{
    QString slurmVersion; // "22.05.8"
    QString user;
    std::optional<qint64> uid;
    QList<SlurmAssociation> associations; // sacctmgr -nP show assoc user=$USER format=account,qos
    QStringList gpuTypes; // from sinfo %G: "a100_40", "a100_80"
    QStringList features; // from sinfo %f
    QString error;
    bool ok() const { return error.isEmpty(); }
};

struct SubmitResult
{
    QString jobId;
    QString runDir;
    QString outputFile; // the Slurm output file the generated script names (slurm-<id>.out)
    QString error;
    Slurm::SbatchErrorField field = Slurm::SbatchErrorField::None; // which part of the design Slurm rejected
    QString fieldName; // "account", "qos", "constraint", ... for messages; empty when not field-specific
    bool ok() const { return error.isEmpty() && !jobId.isEmpty(); }
};

struct QueueSnapshot
{
    QList<JobStatus> jobs; // every job of the user that squeue lists
    QString error;
    bool connectionLost = false;
    bool ok() const { return error.isEmpty(); }
};

struct AccountingSnapshot
{
    QMap<QString, JobStatus> jobs; // by job id, for the ids accounting knows
    QString error; // accounting unreachable (slurmdbd down) etc.
    bool connectionLost = false;
    bool ok() const { return error.isEmpty(); }
};

// The Slurm commands TuneDeck runs on a cluster, over one SshConnection. Every command string is fixed
// here; the only user values (run directory, job ids) are validated and single-quoted. Each call
// returns a request id at once; the result arrives with the matching *Finished signal.
class SlurmClient : public QObject
{
    Q_OBJECT
public:
    explicit SlurmClient(SshConnection* connection, QObject* parent = nullptr);

    SshConnection* connection() const { return m_connection; }

    quint64 probe();
    // Renders the job (with a fresh run directory when the spec names none), creates the directory,
    // uploads job.sbatch, accelerate.yaml, train.yaml and the spec (tunedeck-job.yaml) by SFTP, and
    // runs `sbatch --parsable job.sbatch` there.
    quint64 submit(
        const JobSpec& spec, const ClusterProfile& profile, const QDateTime& nowUtc = QDateTime::currentDateTimeUtc());
    quint64 cancel(const QString& jobId);
    // One squeue for all of the user's jobs.
    quint64 queryQueue();
    // One `sacct -X -P -D` for these jobs (every attempt of each).
    quint64 queryAccounting(const QStringList& jobIds);
    // The last `bytes` bytes of a remote file (for log hints).
    quint64 readTail(const QString& path, qint64 bytes);

    // Commands that reach slurmctld/slurmdbd so far (squeue, sacct, sbatch, scancel, sinfo, sacctmgr).
    int schedulerQueries() const { return m_schedulerQueries; }

    // A unique run directory: <project>/tunedeck/runs/<job-name-slug>-<UTC yyyyMMdd-HHmmss>-<4 hex digits>.
    static QString newRunDir(const JobSpec& spec, const QDateTime& nowUtc);
    static bool isValidJobId(QStringView jobId); // "123" or "123_4"
    static QString fieldName(Slurm::SbatchErrorField field);

Q_SIGNALS:
    void probeFinished(quint64 id, const TuneDeck::SlurmProbe& probe);
    void submitFinished(quint64 id, const TuneDeck::SubmitResult& result);
    void cancelFinished(quint64 id, const QString& jobId, const QString& error);
    void queueQueried(quint64 id, const TuneDeck::QueueSnapshot& snapshot);
    void accountingQueried(quint64 id, const TuneDeck::AccountingSnapshot& snapshot);
    void tailRead(quint64 id, const QString& path, const QByteArray& data, const QString& error);
    void schedulerQueryIssued(const QString& command);

private:
    quint64 runScheduler(
        const QString& what, const QString& command, std::function<void(const SshCommandResult&)> done);
    void onCommandFinished(quint64 id, const SshCommandResult& result);
    void onReadFinished(quint64 id, const SftpReadResult& result);
    void onUploadFinished(quint64 id, const SftpUploadResult& result);

    QPointer<SshConnection> m_connection;
    quint64 m_nextId = 0;
    int m_schedulerQueries = 0;
    std::map<quint64, std::function<void(const SshCommandResult&)>> m_commands; // ssh id -> continuation
    std::map<quint64, std::function<void(const SftpReadResult&)>> m_reads;
    std::map<quint64, std::function<void(const SftpUploadResult&)>> m_uploads;
};

} // namespace TuneDeck

Q_DECLARE_METATYPE(TuneDeck::SlurmProbe)
Q_DECLARE_METATYPE(TuneDeck::SubmitResult)
Q_DECLARE_METATYPE(TuneDeck::QueueSnapshot)
Q_DECLARE_METATYPE(TuneDeck::AccountingSnapshot)
