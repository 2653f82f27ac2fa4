#include "core/remote/slurmclient.h"

#include "core/job/generators.h"
#include "core/job/jobrenderer.h"
#include "core/job/jobspec.h"
#include "core/job/jobspecio.h"
#include "core/slurm/sacctparser.h"
#include "core/slurm/squeueparser.h"
#include "core/ssh/remotecommand.h"
#include "core/ssh/sshconnection.h"

#include <QRandomGenerator>
#include <QSet>

namespace TuneDeck {
namespace {

// Section markers of the probe's one command: fixed lines no Slurm tool prints.
constexpr QByteArrayView kVersionMark = "@@tunedeck-version";
constexpr QByteArrayView kIdMark = "@@tunedeck-id";
constexpr QByteArrayView kAssocMark = "@@tunedeck-assoc";
constexpr QByteArrayView kGresMark = "@@tunedeck-gres";

// sacct fields, JobName last: it is the one user-chosen text and may contain anything but a newline,
// so the line is split on the first separators only (the same idea as squeueparser.h).
const QStringList& sacctColumns()
{
    static const QStringList columns { QStringLiteral("JobID"), QStringLiteral("State"), QStringLiteral("ExitCode"),
        QStringLiteral("Elapsed"), QStringLiteral("Start"), QStringLiteral("End"), QStringLiteral("AllocTRES"),
        QStringLiteral("NodeList"), QStringLiteral("Reason"), QStringLiteral("Timelimit") };
    return columns;
}

QString commandError(const QString& what, const SshCommandResult& result)
{
    if (!result.error.isEmpty())
        return what % u": " % result.error;
    const QString stderrText = QString::fromUtf8(result.standardError.trimmed());
    return what % u" failed (exit " % QString::number(result.exitStatus) % u")"
        % (stderrText.isEmpty() ? QString() : u": " % stderrText);
}

} // namespace

SlurmClient::SlurmClient(SshConnection* connection, QObject* parent)
    : QObject(parent)
    , m_connection(connection)
{
    connect(connection, &SshConnection::commandFinished, this, &SlurmClient::onCommandFinished);
    connect(connection, &SshConnection::readFinished, this, &SlurmClient::onReadFinished);
    connect(connection, &SshConnection::uploadFinished, this, &SlurmClient::onUploadFinished);
}

bool SlurmClient::isValidJobId(QStringView jobId)
{
    if (jobId.isEmpty() || !jobId.front().isDigit())
        return false;
    int underscores = 0;
    for (QChar c : jobId) {
        if (c == u'_')
            ++underscores;
        else if (!(c >= u'0' && c <= u'9'))
            return false;
    }
    return underscores <= 1 && !jobId.endsWith(u'_');
}

QString SlurmClient::fieldName(Slurm::SbatchErrorField field)
{
    using F = Slurm::SbatchErrorField;
    switch (field) {
    case F::None:
        return QString();
    case F::Account:
        return QStringLiteral("account");
    case F::Qos:
        return QStringLiteral("qos");
    case F::Partition:
        return QStringLiteral("partition");
    case F::Constraint:
        return QStringLiteral("constraint (gpu_type)");
    case F::NodeConfiguration:
        return QStringLiteral("nodes/gpus_per_node/mem");
    case F::Memory:
        return QStringLiteral("mem");
    case F::TimeLimit:
        return QStringLiteral("time");
    case F::Gres:
        return QStringLiteral("gpus_per_node");
    case F::Script:
        return QStringLiteral("script");
    case F::Other:
        return QString();
    }
    return QString();
}

QString SlurmClient::newRunDir(const JobSpec& spec, const QDateTime& nowUtc)
{
    return TuneDeck::newRunDir(spec, runDirSuffix(nowUtc, QRandomGenerator::global()->generate()));
}

quint64 SlurmClient::runScheduler(
    const QString& what, const QString& command, std::function<void(const SshCommandResult&)> done)
{
    ++m_schedulerQueries;
    Q_EMIT schedulerQueryIssued(what);
    const quint64 sshId = m_connection->runCommand(command);
    m_commands.emplace(sshId, std::move(done));
    return sshId;
}

void SlurmClient::onCommandFinished(quint64 id, const SshCommandResult& result)
{
    const auto found = m_commands.find(id);
    if (found == m_commands.end())
        return; // another user of the connection
    auto done = std::move(found->second);
    m_commands.erase(found);
    done(result);
}

void SlurmClient::onReadFinished(quint64 id, const SftpReadResult& result)
{
    const auto found = m_reads.find(id);
    if (found == m_reads.end())
        return;
    auto done = std::move(found->second);
    m_reads.erase(found);
    done(result);
}

void SlurmClient::onUploadFinished(quint64 id, const SftpUploadResult& result)
{
    const auto found = m_uploads.find(id);
    if (found == m_uploads.end())
        return;
    auto done = std::move(found->second);
    m_uploads.erase(found);
    done(result);
}

quint64 SlurmClient::probe()
{
    const quint64 id = ++m_nextId;
    auto mark = [](QByteArrayView m) -> QString { return u"printf '%s\\n' '" % QString::fromLatin1(m) % u"'; "; };
    // One exec for everything, sections separated by marker lines. $USER is expanded remotely: it is the
    // login user, not a value from TuneDeck's side.
    const QString command = mark(kVersionMark) % u"sinfo --version 2>&1; " % mark(kIdMark) % u"id -u; id -un; "
        % mark(kAssocMark) % u"sacctmgr -nP show assoc user=\"$USER\" format=account,qos 2>&1; " % mark(kGresMark)
        % u"sinfo -h -o '%G|%f' 2>&1";
    runScheduler(QStringLiteral("sinfo+sacctmgr"), command, [this, id](const SshCommandResult& result) {
        SlurmProbe probe;
        if (!result.started || !result.error.isEmpty()) {
            probe.error = commandError(QStringLiteral("probe"), result);
            Q_EMIT probeFinished(id, probe);
            return;
        }
        QByteArrayView section;
        QSet<QString> gpuTypes, features;
        for (const QByteArray& rawLine : result.standardOutput.split('\n')) {
            const QByteArray line = rawLine.trimmed();
            if (line.startsWith("@@tunedeck-")) {
                section = line == kVersionMark ? kVersionMark
                    : line == kIdMark          ? kIdMark
                    : line == kAssocMark       ? kAssocMark
                                               : kGresMark;
                continue;
            }
            if (line.isEmpty())
                continue;
            if (section == kVersionMark) {
                // "slurm 22.05.8", or "slurm-wlm 22.05.8" from Debian's packages: the version is the last word.
                probe.slurmVersion = QString::fromUtf8(line.mid(line.lastIndexOf(' ') + 1));
            } else if (section == kIdMark) {
                bool isNumber = false;
                const qint64 uid = line.toLongLong(&isNumber);
                if (isNumber)
                    probe.uid = uid;
                else
                    probe.user = QString::fromUtf8(line);
            } else if (section == kAssocMark) {
                const QList<QByteArray> fields = line.split('|');
                if (fields.size() < 2 || fields[0].isEmpty()) {
                    if (line.contains("rror"))
                        probe.error = u"sacctmgr: " % QString::fromUtf8(line);
                    continue;
                }
                const QString account = QString::fromUtf8(fields[0]);
                QStringList qos = QString::fromUtf8(fields[1]).split(u',', Qt::SkipEmptyParts);
                bool merged = false;
                for (SlurmAssociation& association : probe.associations) {
                    if (association.account == account) {
                        for (const QString& q : std::as_const(qos))
                            if (!association.qos.contains(q))
                                association.qos.append(q);
                        merged = true;
                    }
                }
                if (!merged)
                    probe.associations.append({ account, qos });
            } else if (section == kGresMark) {
                const QList<QByteArray> fields = line.split('|');
                // %G: "gpu:a100_40:4" or "gpu:a100_40:4(S:0-1)", several comma-separated.
                for (const QByteArray& gres : fields.value(0).split(',')) {
                    const QList<QByteArray> parts = gres.split(':');
                    if (parts.size() >= 3 && parts[0] == "gpu")
                        gpuTypes.insert(QString::fromUtf8(parts[1]));
                }
                for (const QByteArray& feature : fields.value(1).split(','))
                    if (!feature.isEmpty() && feature != "(null)")
                        features.insert(QString::fromUtf8(feature));
            }
        }
        probe.gpuTypes = QStringList(gpuTypes.begin(), gpuTypes.end());
        probe.gpuTypes.sort();
        probe.features = QStringList(features.begin(), features.end());
        probe.features.sort();
        if (probe.slurmVersion.isEmpty() && probe.error.isEmpty())
            probe.error
                = QStringLiteral("Slurm's commands were not found on the login node (sinfo --version printed nothing)");
        Q_EMIT probeFinished(id, probe);
    });
    return id;
}

quint64 SlurmClient::submit(const JobSpec& specIn, const ClusterProfile& profile, const QDateTime& nowUtc)
{
    const quint64 id = ++m_nextId;
    JobSpec spec = specIn;
    SubmitResult failed;
    auto failLater = [this, id](SubmitResult result) {
        // Keep the contract "results come later" even for errors found at once.
        QMetaObject::invokeMethod(
            this, [this, id, result]() { Q_EMIT submitFinished(id, result); }, Qt::QueuedConnection);
    };
    if (spec.environment.runDir.isEmpty()) {
        if (!spec.environment.projectPath.startsWith(u'/')) {
            failed.error = QStringLiteral("environment.project_path must be an absolute path on the cluster");
            failLater(failed);
            return id;
        }
        // Chosen before rendering: the script's --chdir/--output and the YAMLs' paths all point into it.
        spec.environment.runDir = newRunDir(spec, nowUtc);
    }
    const QString runDir = spec.environment.runDir;
    if (!runDir.startsWith(u'/') || runDir.contains(u'\n') || runDir.contains(QChar(0))) {
        failed.error = u"the run directory must be an absolute path without line breaks: " % runDir;
        failLater(failed);
        return id;
    }
    const RenderedJob rendered = renderJob(spec, profile);
    if (rendered.hasErrors()) {
        QStringList messages;
        for (const Diagnostic& diagnostic : rendered.diagnostics)
            if (diagnostic.severity == Severity::Error)
                messages.append(diagnostic.field % u": " % diagnostic.message);
        failed.error = u"the job design has errors:\n  " % messages.join(QStringLiteral("\n  "));
        failLater(failed);
        return id;
    }
    const QList<SftpUploadFile> files {
        { QString::fromLatin1(SbatchFileName), rendered.sbatchScript, 0755 },
        { QString::fromLatin1(AccelerateFileName), rendered.accelerateYaml, 0644 },
        { QString::fromLatin1(TrainFileName), rendered.trainYaml, 0644 },
        { QStringLiteral("tunedeck-job.yaml"), saveJobSpecToYaml(spec), 0644 },
    };
    const quint64 uploadId = m_connection->upload(runDir, files);
    m_uploads.emplace(uploadId, [this, id, runDir](const SftpUploadResult& upload) {
        SubmitResult result;
        result.runDir = runDir;
        if (!upload.ok()) {
            result.error = u"uploading the job files to " % runDir % u" failed: " % upload.error;
            Q_EMIT submitFinished(id, result);
            return;
        }
        const RemoteCommand command
            = RemoteCommand(QStringLiteral("cd")).fixed(u"--").arg(runDir).fixed(u"&& sbatch --parsable job.sbatch");
        runScheduler(
            QStringLiteral("sbatch"), command.toString(), [this, id, result](const SshCommandResult& run) mutable {
                if (!run.started || !run.error.isEmpty()) {
                    result.error = commandError(QStringLiteral("sbatch"), run);
                    Q_EMIT submitFinished(id, result);
                    return;
                }
                const auto submission = Slurm::SbatchOutput::parseJobId(run.standardOutput);
                if (run.exitStatus != 0 || !submission) {
                    const Slurm::SbatchError error = Slurm::SbatchOutput::parseError(run.standardError);
                    result.field = error.field;
                    result.fieldName = fieldName(error.field);
                    const QString reason
                        = error.reason.isEmpty() ? QString::fromUtf8(run.standardError.trimmed()) : error.reason;
                    result.error = u"Slurm rejected the job"
                        % (result.fieldName.isEmpty() ? QString() : u" (check " % result.fieldName % u')') % u": "
                        % (reason.isEmpty() ? u"sbatch exited with " % QString::number(run.exitStatus) : reason);
                    Q_EMIT submitFinished(id, result);
                    return;
                }
                result.jobId = QString::number(submission->jobId);
                result.outputFile = result.runDir % u"/slurm-" % result.jobId % u".out";
                Q_EMIT submitFinished(id, result);
            });
    });
    return id;
}

quint64 SlurmClient::cancel(const QString& jobId)
{
    const quint64 id = ++m_nextId;
    if (!isValidJobId(jobId)) {
        QMetaObject::invokeMethod(
            this, [this, id, jobId]() { Q_EMIT cancelFinished(id, jobId, u"not a Slurm job id: " % jobId); },
            Qt::QueuedConnection);
        return id;
    }
    runScheduler(QStringLiteral("scancel"), RemoteCommand(QStringLiteral("scancel")).arg(jobId).toString(),
        [this, id, jobId](const SshCommandResult& result) {
            const QString error = result.ok() && result.standardError.trimmed().isEmpty()
                ? QString()
                : commandError(QStringLiteral("scancel"), result);
            Q_EMIT cancelFinished(id, jobId, error);
        });
    return id;
}

quint64 SlurmClient::queryQueue()
{
    const quint64 id = ++m_nextId;
    // The format holds 0x1F separators; inside single quotes a shell passes them through unchanged.
    const QString command
        = u"squeue -h -u \"$USER\" -o '" % QString::fromLatin1(Slurm::SqueueParser::formatArgument()) % u'\'';
    runScheduler(QStringLiteral("squeue"), command, [this, id](const SshCommandResult& result) {
        QueueSnapshot snapshot;
        if (!result.ok()) {
            snapshot.error = commandError(QStringLiteral("squeue"), result);
            snapshot.connectionLost = result.connectionLost;
        } else {
            const Slurm::SqueueResult parsed = Slurm::SqueueParser::parse(result.standardOutput);
            for (const Slurm::SqueueRow& row : parsed.rows)
                snapshot.jobs.append(statusFromSqueue(row));
        }
        Q_EMIT queueQueried(id, snapshot);
    });
    return id;
}

quint64 SlurmClient::queryAccounting(const QStringList& jobIds)
{
    const quint64 id = ++m_nextId;
    for (const QString& jobId : jobIds) {
        if (!isValidJobId(jobId)) {
            QMetaObject::invokeMethod(
                this,
                [this, id, jobId]() {
                    AccountingSnapshot snapshot;
                    snapshot.error = u"not a Slurm job id: " % jobId;
                    Q_EMIT accountingQueried(id, snapshot);
                },
                Qt::QueuedConnection);
            return id;
        }
    }
    const QString separator = QString(QChar(char16_t(Slurm::SqueueParser::Separator)));
    // -X: allocations only; -D: every attempt of a requeued job; -n: no header.
    const QString command = u"sacct -X -P -D -n --delimiter='" % separator % u"' --format=" % sacctColumns().join(u',')
        % u",JobName -j " % jobIds.join(u',');
    runScheduler(QStringLiteral("sacct"), command, [this, id](const SshCommandResult& result) {
        AccountingSnapshot snapshot;
        if (!result.ok()) {
            // e.g. "sacct: error: Problem talking to the database: Connection refused" while slurmdbd is down.
            snapshot.error = commandError(QStringLiteral("sacct"), result);
            snapshot.connectionLost = result.connectionLost;
            Q_EMIT accountingQueried(id, snapshot);
            return;
        }
        // Turn each line into sacct's usual '|' form for SacctParser, keeping the job name aside.
        const int fixedFields = int(sacctColumns().size());
        QByteArray fixedText;
        QStringList names;
        for (const QByteArray& line : result.standardOutput.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            qsizetype at = 0;
            int seen = 0;
            while (seen < fixedFields && (at = line.indexOf(Slurm::SqueueParser::Separator, at)) >= 0) {
                ++seen;
                if (seen < fixedFields)
                    ++at;
            }
            if (seen < fixedFields)
                continue; // not a data line
            QByteArray fixed = line.left(at);
            fixed.replace(Slurm::SqueueParser::Separator, '|');
            fixedText += fixed + '\n';
            names.append(QString::fromUtf8(line.mid(at + 1)));
        }
        const Slurm::SacctResult parsed = Slurm::SacctParser::parse(fixedText, sacctColumns());
        QMap<QString, QList<Slurm::SacctRow>> attempts;
        QStringList order;
        for (qsizetype i = 0; i < parsed.rows.size(); ++i) {
            Slurm::SacctRow row = parsed.rows.at(i);
            if (row.isStep())
                continue;
            row.fields.insert(QStringLiteral("JobName"), names.value(i));
            if (!attempts.contains(row.jobId))
                order.append(row.jobId);
            attempts[row.jobId].append(row);
        }
        for (const QString& jobId : std::as_const(order))
            snapshot.jobs.insert(jobId, statusFromSacct(attempts.value(jobId)));
        Q_EMIT accountingQueried(id, snapshot);
    });
    return id;
}

quint64 SlurmClient::readTail(const QString& path, qint64 bytes)
{
    const quint64 id = ++m_nextId;
    // A zero-byte read returns the file's attributes (fstat); then read the last `bytes` bytes.
    m_reads.emplace(m_connection->read(path, 0, 0), [this, id, path, bytes](const SftpReadResult& probe) {
        if (!probe.ok()) {
            Q_EMIT tailRead(id, path, {}, probe.error);
            return;
        }
        const qint64 from = std::max<qint64>(0, probe.info.size - bytes);
        m_reads.emplace(m_connection->read(path, from, bytes),
            [this, id, path](const SftpReadResult& tail) { Q_EMIT tailRead(id, path, tail.data, tail.error); });
    });
    return id;
}

} // namespace TuneDeck
