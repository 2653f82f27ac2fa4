#include "core/archive/efficiencyreport.h"

#include "core/archive/runcomparison.h"
#include "core/job/clusterprofile.h"
#include "core/job/jobspecio.h"
#include "core/job/profileregistry.h"
#include "core/util/slurmvalues.h"

#include <QJsonObject>

#include <cmath>

namespace TuneDeck::Archive {

namespace {

QString hours(double h)
{
    return QString::number(h, 'f', h < 10 ? 1 : 0);
}

std::optional<JobSpec> specOf(const ArchivedRun& run)
{
    if (run.specYaml.isEmpty())
        return std::nullopt;
    JobSpecLoadResult loaded = loadJobSpecFromYaml(run.specYaml, run.name);
    return loaded.ok() ? std::optional<JobSpec>(loaded.spec) : std::nullopt;
}

// The run of the same training (the same number of steps, the same model where both specs say) on
// another shape, known from its job spec, with the fewest GPU-hours per 1 000 steps below this run's.
const std::pair<ArchivedRun, RunSummary>* cheaperShape(
    const ArchivedRun& run, const RunSummary& s, const std::optional<JobSpec>& spec, const ArchivedRunFigures& others)
{
    if (!s.gpuHoursPer1000Steps || !s.totalSteps)
        return nullptr;
    const std::pair<ArchivedRun, RunSummary>* best = nullptr;
    for (const auto& other : others) {
        const auto& [o, os] = other;
        if (o.id == run.id || !os.gpuHoursPer1000Steps || os.totalSteps != s.totalSteps)
            continue;
        if (o.specYaml.isEmpty())
            continue; // a shape read off what was recorded is no shape to recommend
        if (o.nodes == run.nodes && o.gpusPerNode == run.gpusPerNode && o.gpuType == run.gpuType)
            continue; // the same shape: no lesson about the shape
        if (const auto otherSpec = specOf(o); spec && otherSpec && otherSpec->training.model != spec->training.model)
            continue;
        if (*os.gpuHoursPer1000Steps < *s.gpuHoursPer1000Steps
            && (!best || *os.gpuHoursPer1000Steps < *best->second.gpuHoursPer1000Steps))
            best = &other;
    }
    return best;
}

} // namespace

QList<ReportFinding> efficiencyReport(
    const ArchivedRun& run, const RunSummary& s, const ClusterProfile* profile, const ArchivedRunFigures& others)
{
    QList<ReportFinding> out;
    const std::optional<JobSpec> spec = specOf(run);

    // Time limit against what the run needed: every step at the measured pace, plus what the job spent
    // before its first step (loading), which the bar's elapsed time leaves out.
    if (s.secondsPerStep && s.totalSteps) {
        const double trainingSeconds = *s.secondsPerStep * double(*s.totalSteps);
        ReportFinding f { QStringLiteral("time_limit"), QObject::tr("Time limit"), {}, {} };
        const double needHours = trainingSeconds / 3600.0;
        if (run.timeLimitSeconds) {
            const double limitHours = double(*run.timeLimitSeconds) / 3600.0;
            f.finding = QObject::tr("All %1 steps at %2 s/step need about %3 h of training; the limit was %4 h.")
                            .arg(*s.totalSteps)
                            .arg(*s.secondsPerStep, 0, 'f', 0)
                            .arg(hours(needHours), hours(limitHours));
            if (trainingSeconds > double(*run.timeLimitSeconds)) {
                const qint64 suggested = qint64(std::ceil(trainingSeconds * 1.1 / 3600.0)) * 3600;
                const auto maxTime = profile ? parseSlurmDuration(profile->maxTime) : std::nullopt;
                if (maxTime && suggested > *maxTime) {
                    const qint64 jobs = qint64(std::ceil(double(suggested) / double(*maxTime)));
                    f.suggestion = QObject::tr("More than the cluster's longest job (%1): run it as %2 jobs of %1 "
                                               "that resume from checkpoints, or on more GPUs.")
                                       .arg(formatSlurmDuration(*maxTime))
                                       .arg(jobs);
                } else {
                    f.suggestion
                        = QObject::tr("Ask for --time %1 (the need plus 10 %).").arg(formatSlurmDuration(suggested));
                }
            }
        } else {
            f.finding
                = QObject::tr("All %1 steps at %2 s/step need about %3 h of training; the time limit is not known.")
                      .arg(*s.totalSteps)
                      .arg(*s.secondsPerStep, 0, 'f', 0)
                      .arg(hours(needHours));
        }
        out.append(f);
    }

    // Checkpoints against the limit: a run stopped by its limit keeps only what its last checkpoint has.
    if (run.endedBy == u"time_limit" && s.secondsPerStep && run.timeLimitSeconds) {
        ReportFinding f { QStringLiteral("checkpoints"), QObject::tr("Checkpoints"), {}, {} };
        const qint64 stepsPerLimit = qint64(double(*run.timeLimitSeconds) / *s.secondsPerStep);
        const qint64 every = std::max<qint64>(1, stepsPerLimit / 2);
        if (s.lastCheckpointStep < 0) {
            f.finding
                = QObject::tr("The time limit stopped the run at step %1 with no checkpoint saved: the next job "
                              "starts again from step 0%2.")
                      .arg(s.stepsDone.value_or(0))
                      .arg(s.gpuHours ? QObject::tr(", and %1 GPU-hours are lost").arg(hours(*s.gpuHours)) : QString());
        } else {
            f.finding = QObject::tr("The time limit stopped the run at step %1; the last checkpoint was at step %2.")
                            .arg(s.stepsDone.value_or(0))
                            .arg(s.lastCheckpointStep);
        }
        const int saveSteps = spec ? spec->training.saveSteps : 0;
        if (saveSteps <= 0 || saveSteps > every)
            f.suggestion = QObject::tr("Set save_steps to %1 or less so that one lands in every half of the limit%2.")
                               .arg(every)
                               .arg(saveSteps > 0 ? QObject::tr(" (it was %1)").arg(saveSteps) : QString());
        out.append(f);
    }

    // Idle GPUs while the others worked.
    {
        ReportFinding f { QStringLiteral("idle_gpus"), QObject::tr("Idle GPUs"), {}, {} };
        if (s.idleGpus.isEmpty()) {
            f.finding = s.gpusRecorded > 1 ? QObject::tr("No GPU sat idle while the others worked.")
                                           : QObject::tr("Too few GPUs were recorded to tell.");
        } else {
            QStringList which;
            for (const RunSummary::IdleGpu& g : s.idleGpus)
                which << QObject::tr("%1 GPU %2 for %3").arg(g.node).arg(g.gpu).arg(formatSeconds(g.seconds));
            f.finding = QObject::tr("Idle while the others worked: %1.").arg(which.join(QStringLiteral("; ")));
            f.suggestion = QObject::tr(
                "Check that every GPU gets a process (accelerate's num_processes = nodes × GPUs per node).");
        }
        out.append(f);
    }

    // GPU memory use against what the GPU type has.
    if (s.fbPeakMiB && profile && !run.gpuType.isEmpty()) {
        for (const GpuType& type : profile->gpuTypes) {
            if (type.name != run.gpuType || type.memoryGiB <= 0)
                continue;
            const double usedGiB = *s.fbPeakMiB / 1024.0;
            ReportFinding f { QStringLiteral("gpu_memory"), QObject::tr("GPU memory"),
                QObject::tr("Peak %1 GiB of %2 GiB per GPU.").arg(usedGiB, 0, 'f', 1).arg(type.memoryGiB, 0, 'f', 0),
                {} };
            if (usedGiB < type.memoryGiB * 0.5)
                f.suggestion = QObject::tr("Less than half used: a larger per-device batch, or fewer GPUs, would fit.");
            out.append(f);
        }
    }

    // Host memory: what was asked for against the least that stayed free.
    if (spec && s.hostFreeMinMiB) {
        if (const auto requested = parseSlurmMemoryMiB(spec->slurm.mem)) {
            ReportFinding f { QStringLiteral("host_memory"), QObject::tr("Host memory"),
                QObject::tr("Requested %1 GiB per node; at least %2 GiB stayed free on every recorded node.")
                    .arg(double(*requested) / 1024.0, 0, 'f', 0)
                    .arg(*s.hostFreeMinMiB / 1024.0, 0, 'f', 0),
                {} };
            // The job used at most (request - least free) where the node has no more memory than was
            // requested; more than that is the node's memory outside the allocation.
            if (*s.hostFreeMinMiB > double(*requested) * 0.25)
                f.suggestion = QObject::tr("About --mem %1G would do (at most %2 GiB were in use, plus 20 %), if the "
                                           "nodes have little memory beyond the request.")
                                   .arg(qint64(std::ceil((double(*requested) - *s.hostFreeMinMiB) * 1.2 / 1024.0)))
                                   .arg(qint64(std::ceil((double(*requested) - *s.hostFreeMinMiB) / 1024.0)));
            out.append(f);
        }
    }

    // What was recorded at all: the walkthrough's dmon ran on the first node only.
    if (run.gpus() > 0 && s.gpusRecorded < run.gpus()) {
        out.append({ QStringLiteral("recording"), QObject::tr("Recording"),
            QObject::tr("Only %1 of the %2 GPUs were recorded, so the GPU figures speak for those only.")
                .arg(s.gpusRecorded)
                .arg(run.gpus()),
            QObject::tr(
                "Record nvidia-smi dmon on every node (srun --ntasks-per-node=1 …, as TuneDeck's scripts do).") });
    }

    if (s.gpuHours) {
        ReportFinding f { QStringLiteral("gpu_hours"), QObject::tr("GPU-hours"),
            QObject::tr("%1 GPU-hours used%2.")
                .arg(hours(*s.gpuHours))
                .arg(s.gpuHoursPer1000Steps
                        ? QObject::tr(", %1 per 1 000 steps").arg(*s.gpuHoursPer1000Steps, 0, 'f', 0)
                        : QString()),
            {} };
        if (s.smMean && *s.smMean < 50 && s.gpusRecorded > 0)
            f.suggestion = QObject::tr("The recorded GPUs were busy only %1 % of the time on average: look at the "
                                       "input pipeline or the per-device batch before adding GPUs.")
                               .arg(*s.smMean, 0, 'f', 0);
        if (const auto* cheaper = cheaperShape(run, s, spec, others)) {
            const auto& [o, os] = *cheaper;
            const double fewer = (*s.gpuHoursPer1000Steps - *os.gpuHoursPer1000Steps) * double(*s.totalSteps) / 1000.0;
            const QString shape = o.shapeText();
            f.suggestion += (f.suggestion.isEmpty() ? QString() : QStringLiteral(" "))
                + QObject::tr("%1 would have needed about %2 GPU-hours fewer for all %3 steps: run '%4' of the "
                              "same training took %5 GPU-hours per 1 000 steps there.")
                      .arg(shape, hours(fewer))
                      .arg(*s.totalSteps)
                      .arg(o.name)
                      .arg(*os.gpuHoursPer1000Steps, 0, 'f', 0);
        }
        out.append(f);
    }
    return out;
}

QJsonArray reportJson(const QList<ReportFinding>& findings)
{
    QJsonArray a;
    for (const ReportFinding& f : findings)
        a.append(QJsonObject { { QStringLiteral("topic"), f.topic }, { QStringLiteral("title"), f.title },
            { QStringLiteral("finding"), f.finding },
            { QStringLiteral("suggestion"), f.suggestion.isEmpty() ? QJsonValue() : QJsonValue(f.suggestion) } });
    return a;
}

QList<ReportFinding> efficiencyReport(
    const ArchivedRun& run, const RunSummary& summary, const ArchivedRunFigures& others)
{
    const auto profile = ProfileRegistry().find(run.cluster.isEmpty() ? QStringLiteral("baskerville") : run.cluster);
    return efficiencyReport(run, summary, profile ? &*profile : nullptr, others);
}

} // namespace TuneDeck::Archive
