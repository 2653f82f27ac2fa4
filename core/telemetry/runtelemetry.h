#pragma once

#include "core/telemetry/derivedfigures.h"
#include "core/telemetry/metricstore.h"
#include "core/util/coreonly.h"

#include <QHash>
#include <QString>

#include <memory>

namespace TuneDeck::Telemetry {

class TrainerLogReader;
class TrainerJsonlReader;

enum class TelemetryFile { Dmon, Vmstat, TrainerLog, TrainerJsonl };

// Everything followed for one job: the entry point for the remote follower (issue 5 part 1), which hands
// over the bytes of each file as they arrive, and for the charts, which read store() and figures().
//
// A file that shrinks or is replaced (a requeued job rewrites its files) must not be appended to what was
// read before: the follower calls restart(), which finishes the old reader and starts a new attempt. An
// attempt's samples go to the store under the run id "<run>" for the first attempt and "<run>#<n>" after,
// so a requeue never mixes two runs' values on one axis.
class RunTelemetry
{
public:
    explicit RunTelemetry(QString runId, qint64 dmonIntervalMs = 1000, qint64 vmstatIntervalMs = 1000);
    ~RunTelemetry();
    RunTelemetry(const RunTelemetry&) = delete;
    RunTelemetry& operator=(const RunTelemetry&) = delete;

    // node: the Slurm node name for per-node files (dmon, vmstat); ignored for the training outputs.
    void feed(TelemetryFile file, const QString& node, QByteArrayView bytes);
    void finish(TelemetryFile file, const QString& node);
    void restart(TelemetryFile file, const QString& node);
    int attempt(TelemetryFile file, const QString& node) const; // 1-based

    // Off: dmon files are read by the portable paths only, as on a CPU without AVX-512 (benchmarks and
    // tests compare the two). Applies to dmon files first fed after the call.
    void setVectorKernel(bool enabled) { m_vectorKernel = enabled; }

    MetricStore& store() { return m_store; }
    const MetricStore& store() const { return m_store; }
    const TrainerLogReader* trainerLog() const;
    const TrainerJsonlReader* trainerJsonl() const;
    RunFigures figures(const RunTiming& timing) const;
    // Bytes fed per file, for the follower's bookkeeping and the stalled-log flag.
    qint64 bytesFed(TelemetryFile file, const QString& node) const;

private:
    struct Source;
    Source& source(TelemetryFile file, const QString& node);
    QString key(TelemetryFile file, const QString& node) const;

    QString m_runId;
    qint64 m_dmonIntervalMs;
    qint64 m_vmstatIntervalMs;
    bool m_vectorKernel = true;
    MetricStore m_store;
    QHash<QString, std::shared_ptr<Source>> m_sources;
};

} // namespace TuneDeck::Telemetry
