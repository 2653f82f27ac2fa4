#pragma once

#include "core/remote/remotefilefollower.h"
#include "core/telemetry/runtelemetry.h"

#include <QObject>
#include <QStringList>

#include <map>

namespace TuneDeck {

// The files a TuneDeck job writes in its run directory (see core/job/sbatchgenerator.cpp).
struct RunFiles
{
    QString runDir;
    QString outputDir; // LLaMA-Factory's output_dir (trainer_log.jsonl, checkpoint-N)
    QString jobId;

    QString slurmOutput() const { return runDir + u"/slurm-" + jobId + u".out"; }
    QString dmon(const QString& node) const { return runDir + u"/telemetry/dmon-" + jobId + u'-' + node + u".txt"; }
    QString vmstat(const QString& node) const { return runDir + u"/telemetry/vmstat-" + jobId + u'-' + node + u".txt"; }
    QString trainerLog() const { return outputDir + u"/trainer_log.jsonl"; }
};

// Follows one running job over the cluster's one SSH session: every node's dmon and vmstat file, the
// Slurm output and trainer_log.jsonl, fed as they arrive into the job's RunTelemetry (readers, metric
// store, derived figures). A file that restarts (a requeued job rewrites it) starts a new attempt
// there, so nothing of the old attempt is mixed in.
class RunMonitor : public QObject
{
    Q_OBJECT
public:
    RunMonitor(SshConnection* connection, const QString& runName, QObject* parent = nullptr);

    // The nodes of the job (from squeue/sacct once it runs); calling again with more nodes adds them.
    void setRun(const RunFiles& files, const QStringList& nodes);
    RemoteFileFollower& follower() { return m_follower; }
    const Telemetry::RunTelemetry& telemetry() const { return m_telemetry; }
    // Bytes of `path` handed to the readers in its current segment.
    qint64 bytesReceived(const QString& path) const;
    // Continues a file where an earlier run of TuneDeck stopped (the run archive): `segments` are the
    // bytes already read of each segment, fed to the readers now; following goes on from `state`.
    // Call after setRun() and before the follower starts.
    void resume(const QString& path, const FollowedFile& state, const QList<QByteArray>& segments);

Q_SIGNALS:
    // New data reached the readers and the store (coalesce repaints on this).
    void updated();
    // The same lines with where they lie in their file, for the run archive: they start at
    // `offset` of `segment`; state is the follower's after them.
    void linesFed(const QString& path, Telemetry::TelemetryFile kind, const QString& node, qint64 offset,
        const QByteArray& lines, const TuneDeck::FollowedFile& state);

private:
    struct Source
    {
        Telemetry::TelemetryFile kind;
        QString node;
    };
    void onLines(const QString& path, int segment, const QByteArray& lines);
    void onSegment(const QString& path, int segment);

    RemoteFileFollower m_follower;
    Telemetry::RunTelemetry m_telemetry;
    std::map<QString, Source> m_sources; // by remote path
};

} // namespace TuneDeck
