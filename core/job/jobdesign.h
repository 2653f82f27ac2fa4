#pragma once

#include "core/job/clusterprofile.h"
#include "core/job/jobrenderer.h"
#include "core/job/jobspec.h"
#include "core/job/jobspecfields.h"
#include "core/job/memoryestimate.h"
#include "core/job/trainingplan.h"
#include "core/util/coreonly.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <optional>

namespace TuneDeck {

// What the resources of a design add up to, for the wizard's summary line.
struct ResourceSummary
{
    int totalGpus = 0;
    double gpuMemoryGiB = 0; // of one GPU of the chosen type; 0 when the profile does not know the type
    double totalGpuMemoryGiB = 0;
    std::optional<double> gpuHoursRequested; // total GPUs x time limit; unknown for an unparsable --time
};

// The job being designed, observable: a job spec plus its cluster profile, changed one field at a time
// (setField / setFieldText with the field table's paths), re-rendered through renderJob() a moment after
// the last change. The wizard's controls bind to it and show what it says; nothing here knows a widget,
// so every decision (what is valid, what Submit may do, what the preview shows) is tested headless.
//
// What is previewed is what is submitted: the run directory is chosen when the design starts (or after
// each submission, newRunDirectory()), so the rendered files carry the real paths; submitSpec() is the
// spec they were rendered from.
class JobDesign : public QObject
{
    Q_OBJECT
public:
    explicit JobDesign(QObject* parent = nullptr);

    // The spec as the user designed it (what "Save spec" writes): no run directory unless they set one.
    const JobSpec& spec() const { return m_spec; }
    // Replaces the whole design (open, import, "new job"): every field changes, a render follows.
    void setSpec(const JobSpec& spec);

    const std::optional<ClusterProfile>& profile() const { return m_profile; }
    // The cluster the job is designed for. Fields the user left empty take the profile's defaults
    // (withProfileDefaults): QoS, GPU type, project path.
    void setProfile(const ClusterProfile& profile);

    // Sets one field by its path ("slurm.nodes"). Returns an error message, empty on success; on error
    // the spec keeps its last good value and the error shows as a diagnostic on that field until a good
    // value arrives, as a form shows a bad entry in red until it is corrected.
    QString setField(const QString& path, const QVariant& value);
    // The same with text as typed in a form.
    QString setFieldText(const QString& path, const QString& text);
    QString fieldText(const QString& path) const;
    QVariant fieldValue(const QString& path) const;
    // Whether the field matters for this design (QLoRA bits only with QLoRA, v1-only FSDP keys, ...).
    bool fieldApplies(const QString& path) const;

    // The run directory the preview and the submission use.
    QString runDirectory() const;
    // A new run directory for the next submission (the last one is taken).
    void newRunDirectory();
    // The spec the preview was rendered from: spec() with the run directory and the profile's defaults.
    JobSpec submitSpec() const;

    // The last render, with the form's input errors added to its diagnostics.
    const RenderedJob& rendered() const { return m_rendered; }
    const Diagnostics& diagnostics() const { return m_rendered.diagnostics; }
    // The most severe diagnostic on a field, or nullptr.
    const Diagnostic* diagnosticFor(const QString& path) const;
    // No errors in the current (not pending) render: what enables Submit.
    bool isValid() const { return !m_renderPending && !m_rendered.hasErrors(); }
    bool isRenderPending() const { return m_renderPending; }

    ResourceSummary resourceSummary() const;
    std::optional<MemoryEstimate> memoryEstimate() const;
    TrainingPlan trainingPlan() const;

    // How long after the last change the render runs (default 100 ms: within 150 ms of the last key).
    int renderDelayMs() const { return m_timer.interval(); }
    void setRenderDelayMs(int ms) { m_timer.setInterval(ms); }
    // Renders now instead of after the delay (tests, Submit, Save files).
    void renderNow();

Q_SIGNALS:
    // One per field set successfully, and for every field after setSpec()/setProfile() (path empty).
    void fieldChanged(const QString& path);
    void profileChanged();
    void renderPendingChanged(bool pending);
    // A render finished: preview, diagnostics and figures may all have changed.
    void renderedChanged();
    void validityChanged(bool valid);

private:
    void scheduleRender();
    const JobSpecField* field(const QString& path) const;

    JobSpec m_spec;
    std::optional<ClusterProfile> m_profile;
    QString m_runDirSuffix;
    QHash<QString, QString> m_inputErrors; // path -> why the last typed value was refused
    RenderedJob m_rendered;
    QTimer m_timer;
    bool m_renderPending = false;
    bool m_lastValid = false;
};

} // namespace TuneDeck
