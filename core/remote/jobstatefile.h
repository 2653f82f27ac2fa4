#pragma once

#include "core/remote/jobstatus.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace TuneDeck {

// A job TuneDeck submitted, as remembered between CLI invocations (and later by the run archive).
// No secrets: cluster names, paths, ids and states only.
struct JobRecord
{
    QString cluster; // profile name or SSH host alias, as given to `tunedeck submit --cluster`
    QString runDir;
    QString outputFile;
    QDateTime submittedUtc;
    std::optional<qint64> ownerUid; // the login user's uid on the cluster, to say "cancelled by you"
    int nodes = 0; // as designed (0: not known, e.g. a job tracked by id only)
    int gpusPerNode = 0;
    JobStatus status;
};

// The small JSON file that holds the records: <AppDataLocation>/jobs.json by default
// (~/.local/share/TuneDeck/tunedeck/jobs.json; $XDG_DATA_HOME moves it). Written atomically.
class JobStateFile
{
public:
    explicit JobStateFile(QString path = defaultPath());
    static QString defaultPath();

    QString path() const { return m_path; }
    // Reads the file; a missing file is an empty list. Returns an error message for an unreadable one.
    QString load();
    QString save() const;

    QList<JobRecord>& records() { return m_records; }
    const QList<JobRecord>& records() const { return m_records; }
    JobRecord* find(const QString& jobId, const QString& cluster = QString());
    void upsert(const JobRecord& record);

private:
    QString m_path;
    QList<JobRecord> m_records;
};

} // namespace TuneDeck
