#pragma once

#include "core/remote/jobnotification.h"
#include "core/remote/jobstatefile.h"
#include "core/remote/monitoralerts.h"
#include "core/remote/runmonitor.h"
#include "core/telemetry/derivedfigures.h"
#include "core/util/coreonly.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace TuneDeck {

class ClusterSession;

// One job as the live monitor shows it: follows the run's files (every node's dmon and vmstat, the
// Slurm output, trainer_log.jsonl) over the cluster's session once the job has nodes, and answers what
// the monitor draws — which GPUs there are, the decimated series, the node x GPU utilisation of the
// last minute, the flags, progress and ETA — so the widgets only draw. updated() is coalesced to at most
// ten a second however fast data arrives.
class JobMonitor : public QObject
{
    Q_OBJECT
public:
    // followHook: called whenever the run's files are set and before the follower polls again (the run
    // archive resumes files from what it stored, RunMonitor::resume, and records what arrives,
    // RunMonitor::linesFed). It is a constructor argument because following may start right here.
    JobMonitor(ClusterSession* session, const JobRecord& record, QObject* parent = nullptr,
        std::function<void(RunMonitor&)> followHook = {});
    // A run already on disk (a recorded or archived run): the same answers, offline. The nodes are the
    // record's node list.
    JobMonitor(const JobRecord& record, std::unique_ptr<Telemetry::RunTelemetry> recorded, QObject* parent = nullptr);
    ~JobMonitor() override;

    const JobRecord& record() const { return m_record; }
    // Offline: puts the full run in place of what the monitor stood over until now (an archived run
    // opens from its coarse view while the raw text is read; this swaps in the result).
    void replaceRecorded(std::unique_ptr<Telemetry::RunTelemetry> recorded);
    // A newer state of the job (from the tracker): nodes appear, the state changes.
    void setRecord(const JobRecord& record);
    // The nodes whose files are followed; empty until Slurm has allocated them.
    const QStringList& nodes() const { return m_nodes; }
    bool isFollowing() const { return m_monitor != nullptr || m_recorded != nullptr; }
    // The live follower once following has started (nullptr offline or before); tests wait on its polls.
    RunMonitor* liveMonitor() const { return m_monitor.get(); }
    // Why nothing is followed yet ("waiting for nodes", "not connected"), empty while following.
    QString waitingReason() const;
    // While following: that the connection dropped and the charts stop at what arrived before; empty
    // while connected, and offline (an archived run).
    QString connectionNote() const;

    // nullptr until following starts.
    const Telemetry::RunTelemetry* telemetry() const;
    // The store's run id of the job's samples (the job id).
    QString runId() const { return m_record.status.jobId; }
    // Per-GPU metrics present (dmon's column names: "sm", "mem", "fb", "pwr", ...), in a fixed order.
    QStringList gpuMetrics() const;
    // Series ids of `metric` for every node:GPU, sorted by node then GPU.
    QList<int> gpuSeries(const QString& metric) const;
    // First and last sample time over the dmon series (ms), for the shared time axis.
    std::optional<std::pair<qint64, qint64>> timeRange() const;
    // Mean of `metric` per node:GPU over the last windowMs of the data (the heat-map).
    QList<Telemetry::MetricSummary> recentSummary(
        const QString& metric = QStringLiteral("sm"), qint64 windowMs = 60000) const;
    QList<Telemetry::Flag> flags(qint64 windowMs = 300000) const;
    Telemetry::RunFigures figures() const;
    // Node-level metrics from vmstat ("us", "sy", "wa", "free", ...) and their series, sorted by node.
    QStringList hostMetrics() const;
    QList<int> hostSeries(const QString& metric) const;
    // Training loss by optimizer step: trainer_log.jsonl where it exists, else the loss dicts of the
    // Slurm output. evalLoss: the eval_loss entries instead.
    QList<std::pair<qint64, double>> lossByStep(bool evalLoss = false) const;
    // Another trainer metric by optimizer step: "learning_rate", "grad_norm" (logged dicts), or
    // "seconds_per_step" (the progress bar's rate, else trainer_log.jsonl's elapsed time per step).
    QList<std::pair<qint64, double>> trainingByStep(const QString& metric) const;
    // The end of the Slurm output as it grows (the last 256 KiB), for the log pane.
    const QByteArray& slurmOutputTail() const { return m_outputTail; }

    // One line for the header: "step 3 of 21 · 2988 s/step · ETA 15 h 0 min", or what is missing.
    QString progressText() const;
    // Whether the run finishes within its time limit, and what a checkpoint carries over when not.
    QString timeLimitText() const;
    std::optional<qint64> lastCheckpointStep() const;
    // The clock for the stalled-log flag (tests set it); WallClock ms.
    void setClock(std::function<qint64()> now) { m_now = std::move(now); }
    // Marks the training output as having grown now (the follower does this as lines arrive).
    void noteLogGrowth() { m_lastLogGrowthMs = m_now(); }
    // When a GPU counts as idle, a node as slow, the log as stalled (tests shorten the stall time).
    void setFlagThresholds(const Telemetry::FlagThresholds& thresholds) { m_thresholds = thresholds; }

Q_SIGNALS:
    void updated();
    void followingStarted();
    // An idle GPU, a stalled log, the time limit near without a checkpoint: each once (MonitorAlerts).
    void alert(const TuneDeck::JobNotification& notification);

private:
    void startIfReady();
    void publish();

    QPointer<ClusterSession> m_session;
    JobRecord m_record;
    QStringList m_nodes;
    std::unique_ptr<RunMonitor> m_monitor;
    QTimer m_coalesce;
    QByteArray m_outputTail;
    std::unique_ptr<Telemetry::RunTelemetry> m_recorded;
    MonitorAlerts m_alerts;
    std::function<qint64()> m_now;
    qint64 m_lastLogGrowthMs = 0;
    Telemetry::FlagThresholds m_thresholds;
    std::function<void(RunMonitor&)> m_followHook;
};

} // namespace TuneDeck
