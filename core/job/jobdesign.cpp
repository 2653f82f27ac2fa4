#include "core/job/jobdesign.h"

#include "core/job/profiledefaults.h"
#include "core/util/slurmvalues.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <algorithm>

namespace TuneDeck {

JobDesign::JobDesign(QObject* parent)
    : QObject(parent)
    , m_runDirSuffix(runDirSuffix(QDateTime::currentDateTimeUtc(), QRandomGenerator::global()->generate()))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &JobDesign::renderNow);
    scheduleRender();
}

const JobSpecField* JobDesign::field(const QString& path) const
{
    return findJobSpecField(path);
}

void JobDesign::setSpec(const JobSpec& spec)
{
    m_spec = spec;
    m_inputErrors.clear();
    Q_EMIT fieldChanged(QString());
    scheduleRender();
}

void JobDesign::setProfile(const ClusterProfile& profile)
{
    m_profile = profile;
    m_spec.profile = profile.name;
    Q_EMIT profileChanged();
    Q_EMIT fieldChanged(QString());
    scheduleRender();
}

QString JobDesign::setField(const QString& path, const QVariant& value)
{
    const JobSpecField* f = field(path);
    if (!f)
        return tr("no such field: %1").arg(path);
    QString error = checkFieldValue(*f, value);
    if (error.isEmpty()) {
        const bool hadError = m_inputErrors.remove(path) > 0;
        const QVariant before = f->get(m_spec);
        f->set(m_spec, value);
        if (before == f->get(m_spec) && !hadError)
            return {}; // an unchanged value costs no render (a spin box re-emitting on focus-out)
    } else {
        m_inputErrors.insert(path, error);
    }
    Q_EMIT fieldChanged(path);
    scheduleRender();
    return error;
}

QString JobDesign::setFieldText(const QString& path, const QString& text)
{
    const JobSpecField* f = field(path);
    if (!f)
        return tr("no such field: %1").arg(path);
    JobSpec probe = m_spec;
    QString error = setFieldFromText(probe, *f, text);
    if (!error.isEmpty()) {
        m_inputErrors.insert(path, error);
        Q_EMIT fieldChanged(path);
        scheduleRender();
        return error;
    }
    return setField(path, f->get(probe));
}

QString JobDesign::fieldText(const QString& path) const
{
    const JobSpecField* f = field(path);
    return f ? TuneDeck::fieldText(m_spec, *f) : QString();
}

QVariant JobDesign::fieldValue(const QString& path) const
{
    const JobSpecField* f = field(path);
    return f ? f->get(m_spec) : QVariant();
}

bool JobDesign::fieldApplies(const QString& path) const
{
    const JobSpecField* f = field(path);
    return f && f->appliesTo(submitSpec());
}

QString JobDesign::runDirectory() const
{
    return submitSpec().environment.runDir;
}

void JobDesign::newRunDirectory()
{
    m_runDirSuffix = runDirSuffix(QDateTime::currentDateTimeUtc(), QRandomGenerator::global()->generate());
    scheduleRender();
}

JobSpec JobDesign::submitSpec() const
{
    JobSpec spec = m_profile ? withProfileDefaults(m_spec, *m_profile) : m_spec;
    if (spec.environment.runDir.isEmpty() && spec.environment.projectPath.startsWith(u'/'))
        spec.environment.runDir = newRunDir(spec, m_runDirSuffix);
    return spec;
}

const Diagnostic* JobDesign::diagnosticFor(const QString& path) const
{
    const Diagnostic* best = nullptr;
    for (const Diagnostic& diagnostic : m_rendered.diagnostics) {
        if (diagnostic.field == path && (!best || int(diagnostic.severity) < int(best->severity)))
            best = &diagnostic;
    }
    return best;
}

ResourceSummary JobDesign::resourceSummary() const
{
    const JobSpec spec = submitSpec();
    ResourceSummary summary;
    summary.totalGpus = spec.slurm.nodes * spec.slurm.gpusPerNode;
    if (m_profile) {
        if (const GpuType* gpu = m_profile->gpuType(spec.slurm.gpuType))
            summary.gpuMemoryGiB = gpu->memoryGiB;
    }
    summary.totalGpuMemoryGiB = summary.gpuMemoryGiB * summary.totalGpus;
    if (const std::optional<qint64> seconds = parseSlurmDuration(spec.slurm.time))
        summary.gpuHoursRequested = double(summary.totalGpus) * double(*seconds) / 3600.0;
    return summary;
}

std::optional<MemoryEstimate> JobDesign::memoryEstimate() const
{
    const ResourceSummary summary = resourceSummary();
    if (summary.gpuMemoryGiB <= 0)
        return std::nullopt;
    return estimateGpuMemory(submitSpec(), summary.gpuMemoryGiB);
}

TrainingPlan JobDesign::trainingPlan() const
{
    return planTraining(submitSpec());
}

void JobDesign::scheduleRender()
{
    if (!m_renderPending) {
        m_renderPending = true;
        Q_EMIT renderPendingChanged(true);
        if (m_lastValid) {
            m_lastValid = false;
            Q_EMIT validityChanged(false);
        }
    }
    m_timer.start(); // restarts: the render follows the last of a burst of changes
}

void JobDesign::renderNow()
{
    m_timer.stop();
    const JobSpec spec = submitSpec();
    if (m_profile) {
        m_rendered = renderJob(spec, *m_profile);
    } else {
        m_rendered = RenderedJob {};
        m_rendered.diagnostics.append({ Severity::Error, QStringLiteral("profile"),
            tr("no cluster profile named '%1'; pick a cluster").arg(spec.profile) });
    }
    // A refused entry keeps the last good value in the spec, so the render alone would look fine: the
    // entry's error goes first and keeps Submit off until it is corrected.
    Diagnostics inputErrors;
    for (auto it = m_inputErrors.cbegin(); it != m_inputErrors.cend(); ++it)
        inputErrors.append({ Severity::Error, it.key(), it.value() });
    std::sort(inputErrors.begin(), inputErrors.end(),
        [](const Diagnostic& a, const Diagnostic& b) { return a.field < b.field; });
    if (!inputErrors.isEmpty()) {
        m_rendered.diagnostics = inputErrors + m_rendered.diagnostics;
        m_rendered.sbatchScript.clear();
        m_rendered.accelerateYaml.clear();
        m_rendered.trainYaml.clear();
    }
    const bool wasPending = m_renderPending;
    m_renderPending = false;
    if (wasPending)
        Q_EMIT renderPendingChanged(false);
    Q_EMIT renderedChanged();
    const bool valid = isValid();
    if (valid != m_lastValid) {
        m_lastValid = valid;
        Q_EMIT validityChanged(valid);
    }
}

} // namespace TuneDeck
