#include "core/remote/jobstatefile.h"

#include "core/util/atomicfiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace TuneDeck {
namespace {

constexpr int kFormatVersion = 1;

QJsonObject toJson(const JobRecord& record)
{
    const JobStatus& s = record.status;
    QJsonObject status {
        { QStringLiteral("phase"), jobPhaseName(s.phase) },
        { QStringLiteral("slurm_state"), s.slurmState },
        { QStringLiteral("reason"), s.reason },
        { QStringLiteral("name"), s.name },
        { QStringLiteral("node_list"), s.nodeList },
        { QStringLiteral("attempts"), s.attempts },
        { QStringLiteral("log_hint"), logHintName(s.logHint) },
    };
    if (s.exit) {
        status.insert(QStringLiteral("exit_code"), s.exit->code);
        status.insert(QStringLiteral("exit_signal"), s.exit->signal);
    }
    if (s.cancelledByUid)
        status.insert(QStringLiteral("cancelled_by_uid"), double(*s.cancelledByUid));
    if (s.elapsedSeconds)
        status.insert(QStringLiteral("elapsed_s"), double(*s.elapsedSeconds));
    if (s.timeLimitSeconds)
        status.insert(QStringLiteral("time_limit_s"), double(*s.timeLimitSeconds));
    QJsonObject object {
        { QStringLiteral("job_id"), s.jobId },
        { QStringLiteral("cluster"), record.cluster },
        { QStringLiteral("run_dir"), record.runDir },
        { QStringLiteral("output_file"), record.outputFile },
        { QStringLiteral("submitted_utc"), record.submittedUtc.toString(Qt::ISODate) },
        { QStringLiteral("status"), status },
    };
    if (record.ownerUid)
        object.insert(QStringLiteral("owner_uid"), double(*record.ownerUid));
    if (record.nodes > 0)
        object.insert(QStringLiteral("nodes"), record.nodes);
    if (record.gpusPerNode > 0)
        object.insert(QStringLiteral("gpus_per_node"), record.gpusPerNode);
    return object;
}

JobRecord fromJson(const QJsonObject& object)
{
    JobRecord record;
    record.cluster = object.value(QStringLiteral("cluster")).toString();
    record.runDir = object.value(QStringLiteral("run_dir")).toString();
    record.outputFile = object.value(QStringLiteral("output_file")).toString();
    record.submittedUtc = QDateTime::fromString(object.value(QStringLiteral("submitted_utc")).toString(), Qt::ISODate);
    if (object.contains(QStringLiteral("owner_uid")))
        record.ownerUid = qint64(object.value(QStringLiteral("owner_uid")).toDouble());
    record.nodes = std::max(0, object.value(QStringLiteral("nodes")).toInt());
    record.gpusPerNode = std::max(0, object.value(QStringLiteral("gpus_per_node")).toInt());
    const QJsonObject status = object.value(QStringLiteral("status")).toObject();
    JobStatus& s = record.status;
    s.jobId = object.value(QStringLiteral("job_id")).toString();
    s.phase = jobPhaseFromName(status.value(QStringLiteral("phase")).toString()).value_or(JobPhase::Submitted);
    s.slurmState = status.value(QStringLiteral("slurm_state")).toString();
    s.reason = status.value(QStringLiteral("reason")).toString();
    s.name = status.value(QStringLiteral("name")).toString();
    s.nodeList = status.value(QStringLiteral("node_list")).toString();
    s.attempts = status.value(QStringLiteral("attempts")).toInt(1);
    const QString hint = status.value(QStringLiteral("log_hint")).toString();
    for (LogHint h :
        { LogHint::CudaOutOfMemory, LogHint::Nccl, LogHint::HostOutOfMemory, LogHint::TimeLimit, LogHint::Cancelled })
        if (hint == logHintName(h))
            s.logHint = h;
    if (status.contains(QStringLiteral("exit_code")))
        s.exit = Slurm::ExitStatus { status.value(QStringLiteral("exit_code")).toInt(),
            status.value(QStringLiteral("exit_signal")).toInt() };
    if (status.contains(QStringLiteral("cancelled_by_uid")))
        s.cancelledByUid = qint64(status.value(QStringLiteral("cancelled_by_uid")).toDouble());
    if (status.contains(QStringLiteral("elapsed_s")))
        s.elapsedSeconds = qint64(status.value(QStringLiteral("elapsed_s")).toDouble());
    if (status.contains(QStringLiteral("time_limit_s")))
        s.timeLimitSeconds = qint64(status.value(QStringLiteral("time_limit_s")).toDouble());
    return record;
}

} // namespace

JobStateFile::JobStateFile(QString path)
    : m_path(std::move(path))
{ }

QString JobStateFile::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/jobs.json");
}

QString JobStateFile::load()
{
    m_records.clear();
    QFile file(m_path);
    if (!file.exists())
        return QString();
    if (!file.open(QIODevice::ReadOnly))
        return u"cannot read " % m_path % u": " % file.errorString();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return m_path % u": not a TuneDeck job list (" % error.errorString() % u')';
    for (const QJsonValue& value : document.object().value(QStringLiteral("jobs")).toArray())
        m_records.append(fromJson(value.toObject()));
    return QString();
}

QString JobStateFile::save() const
{
    QJsonArray jobs;
    for (const JobRecord& record : m_records)
        jobs.append(toJson(record));
    const QJsonObject root { { QStringLiteral("tunedeck_jobs"), kFormatVersion }, { QStringLiteral("jobs"), jobs } };
    return writeFilesAtomically({ { m_path, QJsonDocument(root).toJson(QJsonDocument::Indented) } });
}

JobRecord* JobStateFile::find(const QString& jobId, const QString& cluster)
{
    for (JobRecord& record : m_records)
        if (record.status.jobId == jobId && (cluster.isEmpty() || record.cluster == cluster))
            return &record;
    return nullptr;
}

void JobStateFile::upsert(const JobRecord& record)
{
    if (JobRecord* existing = find(record.status.jobId, record.cluster))
        *existing = record;
    else
        m_records.append(record);
}

} // namespace TuneDeck
