#include "core/archive/runsummary.h"

#include "core/telemetry/runtelemetry.h"
#include "core/telemetry/trainerlogreader.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace TuneDeck::Archive {

using namespace TuneDeck::Telemetry;

namespace {

constexpr qint64 AllTime0 = std::numeric_limits<qint64>::min() / 2;
constexpr qint64 AllTime1 = std::numeric_limits<qint64>::max() / 2;

template<class T> QJsonValue orNull(const std::optional<T>& v)
{
    if (!v || !std::isfinite(double(*v)))
        return QJsonValue(QJsonValue::Null);
    return QJsonValue(double(*v));
}

std::optional<double> readDouble(const QJsonObject& o, const char* key)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

std::optional<qint64> readInt(const QJsonObject& o, const char* key)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    return v.isDouble() ? std::optional<qint64>(qint64(std::llround(v.toDouble()))) : std::nullopt;
}

// The p-th percentile (0..1) by nearest rank: a value that was really recorded.
double percentile(std::vector<float>& values, double p)
{
    const size_t rank = size_t(std::clamp(std::ceil(p * double(values.size())), 1.0, double(values.size()))) - 1;
    std::nth_element(values.begin(), values.begin() + qsizetype(rank), values.end());
    return values[rank];
}

} // namespace

QJsonObject RunSummary::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("version"), Version);
    o.insert(QStringLiteral("steps_done"), orNull(stepsDone));
    o.insert(QStringLiteral("total_steps"), orNull(totalSteps));
    o.insert(QStringLiteral("seconds_per_step"), orNull(secondsPerStep));
    o.insert(QStringLiteral("samples_per_second"), orNull(samplesPerSecond));
    o.insert(QStringLiteral("tokens_per_second"), orNull(tokensPerSecond));
    o.insert(QStringLiteral("final_loss"), orNull(finalLoss));
    o.insert(QStringLiteral("sm_mean_pct"), orNull(smMean));
    o.insert(QStringLiteral("sm_p10_pct"), orNull(smP10));
    o.insert(QStringLiteral("power_mean_w"), orNull(powerMeanW));
    o.insert(QStringLiteral("fb_peak_mib"), orNull(fbPeakMiB));
    o.insert(QStringLiteral("host_free_min_mib"), orNull(hostFreeMinMiB));
    o.insert(QStringLiteral("duration_s"), orNull(durationSeconds));
    o.insert(QStringLiteral("gpu_hours"), orNull(gpuHours));
    o.insert(QStringLiteral("gpu_hours_per_1000_steps"), orNull(gpuHoursPer1000Steps));
    o.insert(QStringLiteral("samples_per_second_per_gpu"), orNull(samplesPerSecondPerGpu));
    o.insert(QStringLiteral("queue_wait_s"), orNull(queueWaitSeconds));
    o.insert(QStringLiteral("gpus_recorded"), gpusRecorded);
    o.insert(QStringLiteral("last_checkpoint_step"),
        lastCheckpointStep >= 0 ? QJsonValue(double(lastCheckpointStep)) : QJsonValue());
    QJsonArray idle;
    for (const IdleGpu& g : idleGpus)
        idle.append(QJsonObject { { QStringLiteral("node"), g.node }, { QStringLiteral("gpu"), g.gpu },
            { QStringLiteral("seconds"), double(g.seconds) } });
    o.insert(QStringLiteral("idle_gpus"), idle);
    return o;
}

std::optional<RunSummary> RunSummary::fromJson(const QJsonObject& o)
{
    if (o.value(QStringLiteral("version")).toInt(-1) != Version)
        return std::nullopt;
    RunSummary s;
    s.stepsDone = readInt(o, "steps_done");
    s.totalSteps = readInt(o, "total_steps");
    s.secondsPerStep = readDouble(o, "seconds_per_step");
    s.samplesPerSecond = readDouble(o, "samples_per_second");
    s.tokensPerSecond = readDouble(o, "tokens_per_second");
    s.finalLoss = readDouble(o, "final_loss");
    s.smMean = readDouble(o, "sm_mean_pct");
    s.smP10 = readDouble(o, "sm_p10_pct");
    s.powerMeanW = readDouble(o, "power_mean_w");
    s.fbPeakMiB = readDouble(o, "fb_peak_mib");
    s.hostFreeMinMiB = readDouble(o, "host_free_min_mib");
    s.durationSeconds = readInt(o, "duration_s");
    s.gpuHours = readDouble(o, "gpu_hours");
    s.gpuHoursPer1000Steps = readDouble(o, "gpu_hours_per_1000_steps");
    s.samplesPerSecondPerGpu = readDouble(o, "samples_per_second_per_gpu");
    s.queueWaitSeconds = readInt(o, "queue_wait_s");
    s.gpusRecorded = o.value(QStringLiteral("gpus_recorded")).toInt();
    s.lastCheckpointStep = readInt(o, "last_checkpoint_step").value_or(-1);
    for (const QJsonValue& v : o.value(QStringLiteral("idle_gpus")).toArray()) {
        const QJsonObject g = v.toObject();
        s.idleGpus.append({ g.value(QStringLiteral("node")).toString(), g.value(QStringLiteral("gpu")).toInt(-1),
            qint64(g.value(QStringLiteral("seconds")).toDouble()) });
    }
    return s;
}

RunSummary computeRunSummary(const ArchivedRun& run, const RunTelemetry& telemetry)
{
    RunSummary s;
    const RunFigures f = telemetry.figures(RunTiming { run.startedMs, run.timeLimitSeconds });
    s.stepsDone = f.stepsDone;
    s.totalSteps = f.totalSteps;
    s.secondsPerStep = f.secondsPerStep;
    s.samplesPerSecond = f.samplesPerSecond;
    s.tokensPerSecond = f.tokensPerSecond;
    if (const TrainerLogReader* log = telemetry.trainerLog()) {
        s.finalLoss = log->finalLoss();
        if (!s.finalLoss && !log->losses().isEmpty())
            s.finalLoss = log->losses().last().value(QLatin1StringView("loss"));
        s.lastCheckpointStep = log->lastCheckpointStep().value_or(-1);
    }

    // GPU figures over every recorded sample of every GPU, whatever the attempt.
    const MetricStore& store = telemetry.store();
    const QList<SeriesKey> keys = store.seriesKeys();
    std::vector<float> sm;
    double powerSum = 0;
    qint64 powerCount = 0;
    std::optional<double> fbPeak;
    std::optional<double> freeMin;
    std::optional<qint64> first;
    std::optional<qint64> last;
    QSet<QString> gpus;
    struct GpuSm
    {
        QString node;
        int gpu;
        QList<std::pair<qint64, float>> samples;
    };
    QList<GpuSm> perGpu;
    for (int id = 0; id < keys.size(); ++id) {
        const SeriesKey& k = keys[id];
        if (const auto range = store.timeRange(id)) {
            first = first ? std::min(*first, range->first) : range->first;
            last = last ? std::max(*last, range->second) : range->second;
        }
        if (k.gpu >= 0 && k.metric == u"sm") {
            const auto samples = store.samples(id, AllTime0, AllTime1);
            for (const auto& [t, v] : samples) {
                if (!std::isnan(v))
                    sm.push_back(v);
            }
            gpus.insert(k.node + u':' + QString::number(k.gpu));
            perGpu.append({ k.node, k.gpu, samples });
        } else if (k.gpu >= 0 && k.metric == u"pwr") {
            if (const auto st = store.stats(id, AllTime0, AllTime1)) {
                powerSum += st->mean * double(st->count);
                powerCount += st->count;
            }
        } else if (k.gpu >= 0 && k.metric == u"fb") {
            if (const auto st = store.stats(id, AllTime0, AllTime1))
                fbPeak = std::max(fbPeak.value_or(0), double(st->max));
        } else if (k.gpu < 0 && k.metric == u"free") {
            // vmstat's default unit is KiB.
            if (const auto st = store.stats(id, AllTime0, AllTime1))
                freeMin = std::min(freeMin.value_or(1e300), double(st->min) / 1024.0);
        }
    }
    s.gpusRecorded = int(gpus.size());
    if (!sm.empty()) {
        double sum = 0;
        for (float v : sm)
            sum += v;
        s.smMean = sum / double(sm.size());
        s.smP10 = percentile(sm, 0.10);
    }
    if (powerCount > 0)
        s.powerMeanW = powerSum / double(powerCount);
    s.fbPeakMiB = fbPeak;
    s.hostFreeMinMiB = freeMin;

    // Idle: below 5 % SM at instants where the median of all GPUs was at least 30 % (loading the model
    // idles every GPU and is no GPU's fault). Each sample counts as one dmon interval, one second here.
    if (perGpu.size() > 1) {
        QHash<qint64, std::vector<float>> byInstant;
        for (const GpuSm& g : std::as_const(perGpu)) {
            for (const auto& [t, v] : g.samples) {
                if (!std::isnan(v))
                    byInstant[t / 1000].push_back(v);
            }
        }
        QHash<qint64, float> median;
        for (auto it = byInstant.begin(); it != byInstant.end(); ++it)
            median.insert(it.key(), float(percentile(it.value(), 0.5)));
        for (const GpuSm& g : std::as_const(perGpu)) {
            qint64 idle = 0;
            for (const auto& [t, v] : g.samples) {
                if (!std::isnan(v) && v < 5.0f && median.value(t / 1000) >= 30.0f)
                    ++idle;
            }
            if (idle >= 60)
                s.idleGpus.append({ g.node, g.gpu, idle });
        }
    }

    const std::optional<qint64> start = run.startedMs ? run.startedMs : first;
    const std::optional<qint64> end = run.endedMs ? run.endedMs : last;
    if (start && end && *end >= *start)
        s.durationSeconds = (*end - *start) / 1000;
    if (s.durationSeconds && run.gpus() > 0)
        s.gpuHours = double(run.gpus()) * double(*s.durationSeconds) / 3600.0;
    if (s.gpuHours && s.stepsDone && *s.stepsDone > 0)
        s.gpuHoursPer1000Steps = *s.gpuHours / double(*s.stepsDone) * 1000.0;
    if (s.samplesPerSecond && run.gpus() > 0)
        s.samplesPerSecondPerGpu = *s.samplesPerSecond / double(run.gpus());
    s.queueWaitSeconds = run.queueWaitSeconds;
    return s;
}

} // namespace TuneDeck::Archive
