#pragma once

#include "core/remote/remotefilefollower.h"
#include "core/telemetry/metricstore.h"
#include "core/telemetry/trainerjsonlreader.h"
#include "core/telemetry/trainerlogreader.h"

#include <QObject>
#include <QStringList>

#include <map>
#include <memory>

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

// Follows one running job: every node's dmon and vmstat file into the metric store, the Slurm output
// into a trainer-log reader (progress, loss, what ended the run) and trainer_log.jsonl into its reader,
// all over the cluster's one SSH session. A file that restarts (a requeued job rewrites it) gets fresh
// readers, so its header is read again and nothing of the old attempt is mixed in.
class RunMonitor : public QObject
{
    Q_OBJECT
public:
    RunMonitor(SshConnection* connection, Telemetry::MetricStore& store, QString runName, QObject* parent = nullptr);
    ~RunMonitor() override;

    // The nodes of the job (from squeue/sacct once it runs); files of nodes added later are followed too.
    void setRun(const RunFiles& files, const QStringList& nodes);
    RemoteFileFollower& follower() { return m_follower; }

    const Telemetry::TrainerLogReader& trainerOutput() const { return *m_trainerOutput; }
    const Telemetry::TrainerJsonlReader& trainerLog() const { return *m_trainerLog; }
    // Bytes received per followed file and segment: what the monitor has seen, for checks and the archive.
    qint64 bytesReceived(const QString& path) const;

Q_SIGNALS:
    // New data went into the store or the readers (coalesce repaints on this).
    void updated();

private:
    struct Followed;
    void onLines(const QString& path, int segment, const QByteArray& lines);
    void onSegment(const QString& path, int segment);
    void resetReaders(Followed& followed);

    RemoteFileFollower m_follower;
    Telemetry::MetricStore& m_store;
    QString m_runName;
    RunFiles m_files;
    std::map<QString, std::unique_ptr<Followed>> m_followed;
    std::unique_ptr<Telemetry::TrainerLogReader> m_trainerOutput;
    std::unique_ptr<Telemetry::TrainerJsonlReader> m_trainerLog;
};

} // namespace TuneDeck
