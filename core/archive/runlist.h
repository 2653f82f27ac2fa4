#pragma once

#include "core/archive/archivedrun.h"
#include "core/archive/efficiencyreport.h"
#include "core/archive/runcomparison.h"
#include "core/archive/runfolderimport.h"
#include "core/archive/runsummary.h"
#include "core/util/coreonly.h"

#include <QObject>

#include <functional>
#include <memory>

namespace TuneDeck {
class JobMonitor;
struct JobRecord;
} // namespace TuneDeck
namespace TuneDeck::Telemetry {
class RunTelemetry;
}

namespace TuneDeck::Archive {

class RunArchive;

// The archived runs as the Runs page shows them: each run with its summary, reloaded when the archive
// changes through this object (import, remove) or reload() (another process wrote). The page's model and
// the comparison view bind to it; everything here works without a screen.
class RunList : public QObject
{
    Q_OBJECT
public:
    struct Entry
    {
        ArchivedRun run;
        RunSummary summary;
    };

    explicit RunList(RunArchive* archive, QObject* parent = nullptr);
    RunArchive* archive() const { return m_archive; }
    const QList<Entry>& entries() const { return m_entries; }
    const Entry* find(qint64 runId) const;

    void reload();
    // Imports run folders or files (readRunFiles + archiveImport); the result says what happened.
    struct ImportOutcome
    {
        qint64 runId = 0;
        bool alreadyArchived = false;
        int files = 0; // logs read
        QStringList errors;
        QStringList notes;
    };
    ImportOutcome importPaths(const QStringList& paths, const QString& name = {});
    // The same on a worker thread with its own archive connection (a 50 h folder takes seconds to read),
    // so the window stays responsive: `done` runs on this object's thread afterwards, after reload(),
    // and not at all when this object is gone by then.
    void startImport(const QStringList& paths, const QString& name, std::function<void(const ImportOutcome&)> done);
    bool importRunning() const { return m_importsRunning > 0; }
    QString remove(qint64 runId);

    RunComparison compare(const QList<qint64>& runIds) const;
    // The efficiency report of a run with its cluster's profile, the other archived runs as the shapes to
    // weigh it against; empty for an unknown run.
    QList<ReportFinding> report(qint64 runId) const;
    // What the offline monitor stands over: the run's job record (nodes, state, limit) and its telemetry.
    std::unique_ptr<Telemetry::RunTelemetry> loadTelemetry(qint64 runId, QString* error = nullptr) const;
    // The coarse view for a first chart in milliseconds (loadRunPreview); nullptr when the run has none.
    std::unique_ptr<Telemetry::RunTelemetry> loadPreview(qint64 runId) const;
    // Stores the coarse view of a run loaded in full (one that had none, or a damaged one).
    void rebuildPreview(qint64 runId, const Telemetry::RunTelemetry& telemetry);
    JobRecord jobRecord(qint64 runId) const;

Q_SIGNALS:
    void changed();

private:
    RunArchive* m_archive;
    QList<Entry> m_entries;
    int m_importsRunning = 0;
};

// A metric of several runs on one axis, for the comparison's overlaid chart.
enum class OverlayAxis { Step, SecondsSinceStart, WallClock };
enum class OverlayMetric { Loss, SmUtilisation, PowerPerGpu, SecondsPerStep };
QString overlayAxisName(OverlayAxis axis);
QString overlayMetricName(OverlayMetric metric);
// Points (x, y) of one run (through its offline JobMonitor): the training metrics by step, the GPU
// metrics as the mean over the recorded GPUs per minute, by time. A metric that cannot be placed on the
// axis (GPU samples have no step, the Slurm output's steps no time) gives no points: overlayFits() says so.
// x: the step, seconds since the run's first sample, or wall-clock ms (Telemetry::WallClock).
bool overlayFits(OverlayMetric metric, OverlayAxis axis);
QList<std::pair<double, double>> overlayPoints(const JobMonitor& monitor, OverlayMetric metric, OverlayAxis axis);

} // namespace TuneDeck::Archive
