#include "core/archive/runcomparison.h"

#include "core/job/jobspecfields.h"
#include "core/job/jobspecio.h"
#include "core/telemetry/wallclock.h"

#include <QDateTime>
#include <QJsonArray>
#include <QObject>

#include <cmath>

namespace TuneDeck::Archive {

namespace {

const QString Unknown = QStringLiteral("–");

QJsonValue jsonNumber(std::optional<double> v)
{
    return v && std::isfinite(*v) ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonValue jsonInt(std::optional<qint64> v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue(QJsonValue::Null);
}

QJsonValue jsonText(const QString& s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QString wallClockText(std::optional<qint64> ms)
{
    if (!ms)
        return Unknown;
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QByteArray csvField(const QString& text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')) {
        bytes.replace('"', "\"\"");
        bytes = '"' + bytes + '"';
    }
    return bytes;
}

} // namespace

QString formatSeconds(std::optional<qint64> seconds)
{
    if (!seconds)
        return Unknown;
    const qint64 s = *seconds;
    if (s < 120)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min").arg(s / 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QString formatNumber(std::optional<double> value, int decimals)
{
    if (!value || !std::isfinite(*value))
        return Unknown;
    return QString::number(*value, 'f', decimals);
}

QList<ComparisonRow> RunComparison::visibleRows(bool differencesOnly) const
{
    if (!differencesOnly)
        return rows;
    QList<ComparisonRow> out;
    for (const ComparisonRow& r : rows) {
        if (r.differs)
            out.append(r);
    }
    return out;
}

RunComparison compareRuns(const QList<ArchivedRun>& runs, const QList<RunSummary>& summaries)
{
    RunComparison c;
    c.runs = runs;
    c.summaries = summaries;
    const auto add = [&c](const QString& key, const QString& label, auto value) {
        ComparisonRow row;
        row.key = key;
        row.label = label;
        for (qsizetype i = 0; i < c.runs.size(); ++i) {
            const auto [text, json] = value(c.runs[i], c.summaries.value(i));
            row.texts << text;
            row.values << json;
        }
        for (const QString& t : std::as_const(row.texts))
            row.differs = row.differs || t != row.texts.constFirst();
        c.rows.append(row);
    };
    using Pair = std::pair<QString, QJsonValue>;
    add(QStringLiteral("shape"), QObject::tr("Shape"), [](const ArchivedRun& r, const RunSummary&) {
        return Pair { r.shapeText(), jsonText(r.shapeText()) };
    });
    add(QStringLiteral("gpus"), QObject::tr("GPUs allocated"), [](const ArchivedRun& r, const RunSummary&) {
        return Pair { r.gpus() > 0 ? QString::number(r.gpus()) : Unknown,
            r.gpus() > 0 ? QJsonValue(r.gpus()) : QJsonValue() };
    });
    add(QStringLiteral("gpus_recorded"), QObject::tr("GPUs recorded"), [](const ArchivedRun&, const RunSummary& s) {
        return Pair { QString::number(s.gpusRecorded), QJsonValue(s.gpusRecorded) };
    });
    add(QStringLiteral("cluster"), QObject::tr("Cluster"), [](const ArchivedRun& r, const RunSummary&) {
        // An imported folder names no cluster: said as the Runs page says it (the JSON keeps null).
        return Pair { r.cluster.isEmpty() ? QObject::tr("imported") : r.cluster, jsonText(r.cluster) };
    });
    add(QStringLiteral("started"), QObject::tr("Started (cluster time)"), [](const ArchivedRun& r, const RunSummary&) {
        return Pair { wallClockText(r.startedMs), r.startedMs ? QJsonValue(wallClockText(r.startedMs)) : QJsonValue() };
    });
    add(QStringLiteral("time_limit_s"), QObject::tr("Time limit"), [](const ArchivedRun& r, const RunSummary&) {
        return Pair { formatSeconds(r.timeLimitSeconds), jsonInt(r.timeLimitSeconds) };
    });
    add(QStringLiteral("state"), QObject::tr("State"), [](const ArchivedRun& r, const RunSummary&) {
        return Pair { r.state.isEmpty() ? Unknown : r.state, jsonText(r.state) };
    });
    add(QStringLiteral("ended_by"), QObject::tr("Ended by"), [](const ArchivedRun& r, const RunSummary&) {
        return Pair { r.endedBy.isEmpty() ? Unknown : r.endedBy, jsonText(r.endedBy) };
    });
    add(QStringLiteral("steps_done"), QObject::tr("Steps done"), [](const ArchivedRun&, const RunSummary& s) {
        const QString text = s.stepsDone
            ? (s.totalSteps ? QStringLiteral("%1 of %2").arg(*s.stepsDone).arg(*s.totalSteps)
                            : QString::number(*s.stepsDone))
            : Unknown;
        return Pair { text, jsonInt(s.stepsDone) };
    });
    add(QStringLiteral("total_steps"), QObject::tr("Total steps"), [](const ArchivedRun&, const RunSummary& s) {
        return Pair { s.totalSteps ? QString::number(*s.totalSteps) : Unknown, jsonInt(s.totalSteps) };
    });
    add(QStringLiteral("seconds_per_step"), QObject::tr("Seconds per step"),
        [](const ArchivedRun&, const RunSummary& s) {
            return Pair { formatNumber(s.secondsPerStep, 2), jsonNumber(s.secondsPerStep) };
        });
    add(QStringLiteral("samples_per_second"), QObject::tr("Samples/s"), [](const ArchivedRun&, const RunSummary& s) {
        return Pair { formatNumber(s.samplesPerSecond, 4), jsonNumber(s.samplesPerSecond) };
    });
    add(QStringLiteral("tokens_per_second"), QObject::tr("Tokens/s"), [](const ArchivedRun&, const RunSummary& s) {
        return Pair { formatNumber(s.tokensPerSecond, 1), jsonNumber(s.tokensPerSecond) };
    });
    add(QStringLiteral("samples_per_second_per_gpu"), QObject::tr("Samples/s per GPU"),
        [](const ArchivedRun&, const RunSummary& s) {
            return Pair { formatNumber(s.samplesPerSecondPerGpu, 5), jsonNumber(s.samplesPerSecondPerGpu) };
        });
    add(QStringLiteral("sm_mean_pct"), QObject::tr("SM utilisation, mean %"),
        [](const ArchivedRun&, const RunSummary& s) {
            return Pair { formatNumber(s.smMean), jsonNumber(s.smMean) };
        });
    add(QStringLiteral("sm_p10_pct"), QObject::tr("SM utilisation, p10 %"),
        [](const ArchivedRun&, const RunSummary& s) {
            return Pair { formatNumber(s.smP10), jsonNumber(s.smP10) };
        });
    add(QStringLiteral("power_mean_w"), QObject::tr("Power per GPU, mean W"),
        [](const ArchivedRun&, const RunSummary& s) {
            return Pair { formatNumber(s.powerMeanW), jsonNumber(s.powerMeanW) };
        });
    add(QStringLiteral("fb_peak_mib"), QObject::tr("GPU memory peak, MiB"),
        [](const ArchivedRun&, const RunSummary& s) {
            return Pair { formatNumber(s.fbPeakMiB, 0), jsonNumber(s.fbPeakMiB) };
        });
    add(QStringLiteral("duration_s"), QObject::tr("Duration"), [](const ArchivedRun&, const RunSummary& s) {
        return Pair { formatSeconds(s.durationSeconds), jsonInt(s.durationSeconds) };
    });
    add(QStringLiteral("gpu_hours"), QObject::tr("GPU-hours used"), [](const ArchivedRun&, const RunSummary& s) {
        return Pair { formatNumber(s.gpuHours, 2), jsonNumber(s.gpuHours) };
    });
    add(QStringLiteral("gpu_hours_per_1000_steps"), QObject::tr("GPU-hours per 1 000 steps"),
        [](const ArchivedRun&, const RunSummary& s) {
            return Pair { formatNumber(s.gpuHoursPer1000Steps, 0), jsonNumber(s.gpuHoursPer1000Steps) };
        });
    add(QStringLiteral("queue_wait_s"), QObject::tr("Queue wait"), [](const ArchivedRun&, const RunSummary& s) {
        return Pair { formatSeconds(s.queueWaitSeconds), jsonInt(s.queueWaitSeconds) };
    });

    // The designs, field by field, where the runs have one.
    QList<std::optional<JobSpec>> specs;
    for (const ArchivedRun& r : std::as_const(c.runs)) {
        if (r.specYaml.isEmpty()) {
            specs.append(std::nullopt);
            continue;
        }
        const JobSpecLoadResult loaded = loadJobSpecFromYaml(r.specYaml, r.name);
        specs.append(loaded.ok() ? std::optional<JobSpec>(loaded.spec) : std::nullopt);
    }
    for (const JobSpecField& field : jobSpecFields()) {
        ComparisonRow row;
        row.key = QStringLiteral("spec.") + field.path;
        row.label = field.path;
        row.isSpecField = true;
        for (const auto& spec : std::as_const(specs)) {
            const QString text = spec ? fieldText(*spec, field) : QString();
            row.texts << (text.isEmpty() ? Unknown : text);
            row.values << jsonText(text);
        }
        for (const QString& t : std::as_const(row.texts))
            row.differs = row.differs || t != row.texts.constFirst();
        c.rows.append(row);
    }
    return c;
}

QJsonObject comparisonJson(const RunComparison& c)
{
    QJsonArray runs;
    for (qsizetype i = 0; i < c.runs.size(); ++i) {
        QJsonObject figures;
        for (const ComparisonRow& row : c.rows) {
            if (!row.isSpecField)
                figures.insert(row.key, row.values.value(i));
        }
        runs.append(
            QJsonObject { { QStringLiteral("id"), double(c.runs[i].id) }, { QStringLiteral("name"), c.runs[i].name },
                { QStringLiteral("job_id"), jsonText(c.runs[i].jobId) }, { QStringLiteral("figures"), figures } });
    }
    QJsonArray differences;
    for (const ComparisonRow& row : c.rows) {
        if (!row.isSpecField || !row.differs)
            continue;
        QJsonArray values;
        for (const QJsonValue& v : row.values)
            values.append(v);
        differences.append(
            QJsonObject { { QStringLiteral("field"), row.key.mid(5) }, { QStringLiteral("values"), values } });
    }
    return QJsonObject { { QStringLiteral("runs"), runs }, { QStringLiteral("spec_differences"), differences } };
}

QByteArray comparisonCsv(const RunComparison& c, bool differencesOnly)
{
    QByteArray out = "figure";
    for (const ArchivedRun& r : c.runs)
        out += ',' + csvField(QStringLiteral("%1 (run %2)").arg(r.name).arg(r.id));
    out += '\n';
    for (const ComparisonRow& row : c.visibleRows(differencesOnly)) {
        out += csvField(row.label);
        for (const QString& t : row.texts)
            out += ',' + csvField(t);
        out += '\n';
    }
    return out;
}

} // namespace TuneDeck::Archive
