#pragma once

#include "core/archive/archivedrun.h"
#include "core/util/coreonly.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <map>

namespace TuneDeck {
class JobMonitor;
class RunMonitor;
struct JobRecord;
} // namespace TuneDeck

namespace TuneDeck::Archive {

class RunArchive;

// The archive's source key of a job TuneDeck submitted or tracks: "cluster:<cluster>:<job id>".
QString trackedRunSource(const QString& cluster, const QString& jobId);

// Records a submitted job's design in the archive (the spec and the three generated files), so the run
// can later be compared field by field and turned into a new job. Returns an error message or empty.
QString archiveSubmission(RunArchive& archive, const JobRecord& record, const QByteArray& specYaml,
    const QByteArray& sbatch, const QByteArray& accelerate, const QByteArray& train);

// Archives a followed run as it streams (issue 11 part 1): every line that reaches the monitor's readers
// is stored, in its own transaction, with the follower's offset; on the next start following resumes from
// those offsets, after the stored text was fed to the readers again, so nothing is lost or read twice.
// When the job ends the figures are computed and the streamed chunks merged.
class RunRecorder : public QObject
{
    Q_OBJECT
public:
    // Made before the monitor, whose constructor may start following: pass followHook() to it, then attach().
    RunRecorder(RunArchive* archive, const JobRecord& record, QObject* parent = nullptr);
    std::function<void(RunMonitor&)> followHook();
    void attach(JobMonitor* monitor);
    qint64 runId() const { return m_run.id; }
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    // Writing failed (a full disk): the message names the archive and the file. Following goes on.
    void archiveError(const QString& message);
    // The run's row changed (state, nodes, figures at the end): the runs list reloads.
    void runSaved();

private:
    void onFollow(RunMonitor& runMonitor);
    void saveRecord(const JobRecord& record);
    void finishIfEnded();
    void fail(const QString& message);

    RunArchive* m_archive;
    QPointer<JobMonitor> m_monitor;
    ArchivedRun m_run;
    std::map<QString, qint64> m_fileIds; // remote path -> archive file id
    QSet<QString> m_resumed;
    bool m_connected = false;
    bool m_finished = false;
    bool m_dirty = false; // lines stored since the figures were computed
    QString m_lastError;
};

} // namespace TuneDeck::Archive
