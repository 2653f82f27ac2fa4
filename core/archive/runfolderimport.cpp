#include "core/archive/runfolderimport.h"

#include "core/archive/runarchive.h"
#include "core/archive/runloader.h"
#include "core/job/importresult.h"
#include "core/job/jobspecio.h"
#include "core/job/profileregistry.h"
#include "core/telemetry/dmonreader.h"
#include "core/telemetry/formatdetector.h"
#include "core/telemetry/runtelemetry.h"
#include "core/telemetry/trainerjsonlreader.h"
#include "core/telemetry/trainerlogreader.h"
#include "core/telemetry/vmstatreader.h"
#include "core/telemetry/wallclock.h"
#include "core/util/inputfile.h"
#include "core/util/slurmvalues.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace TuneDeck::Archive {

using namespace TuneDeck::Telemetry;

namespace {

constexpr qint64 LogLimit = qint64(1) << 30; // one file held in memory whole; a 50 h dmon log is ~300 MB
constexpr qint64 DetectBytes = 64 * 1024;
const QString BatchHost = QStringLiteral("batch-host");

// Names that are worth opening in a folder: telemetry, Slurm output, trainer logs, job files.
bool interestingName(const QString& name)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^(dmon.*|cpu.*|vmstat.*|.*\.out|.*\.log|trainer_log\.jsonl|.*\.sh|.*\.sbatch|.*\.ya?ml)$)"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(name).hasMatch();
}

// The node a per-node file belongs to, from its name or its folder: dmon-<job>-<node>.txt (TuneDeck's
// layout), dmon-<node>.txt, dmon_<node>.txt, cpu-<node>.txt, vmstat-<node>.txt, or <node>/dmon.txt.
QString nodeFromName(const QFileInfo& info, const QString& topFolder, const QString& jobId)
{
    static const QRegularExpression perNode(
        QStringLiteral(R"(^(?:dmon|cpu|vmstat)[-_](.+?)(?:\.(?:txt|log|dmon|out))?$)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = perNode.match(info.fileName());
    if (m.hasMatch()) {
        QString node = m.captured(1);
        // TuneDeck's own layout puts the job id first: dmon-<job>-<node>.txt.
        static const QRegularExpression jobFirst(QStringLiteral(R"(^(\d+)-(.+)$)"));
        if (const QRegularExpressionMatch j = jobFirst.match(node);
            j.hasMatch() && (jobId.isEmpty() || j.captured(1) == jobId))
            node = j.captured(2);
        return node;
    }
    const QString folder = info.absoluteDir().absolutePath();
    if (!topFolder.isEmpty() && folder != topFolder && folder.startsWith(topFolder)) {
        const QString name = info.absoluteDir().dirName();
        if (name != u"telemetry")
            return name;
    }
    return {};
}

std::optional<qint64> cancelledAtMs(const QByteArray& line)
{
    static const QRegularExpression at(QStringLiteral(R"(CANCELLED AT (\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d))"));
    const QRegularExpressionMatch m = at.match(QString::fromUtf8(line));
    if (!m.hasMatch())
        return std::nullopt;
    return WallClock::toMs(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt(), m.captured(4).toInt(),
        m.captured(5).toInt(), m.captured(6).toInt());
}

QString stateFromLog(const TrainerLogReader& log)
{
    switch (log.termination()) {
    case Termination::TimeLimit:
        return QStringLiteral("TIMEOUT");
    case Termination::HostOom:
        return QStringLiteral("OUT_OF_MEMORY");
    case Termination::CudaOom:
    case Termination::Nccl:
        return QStringLiteral("FAILED");
    case Termination::Cancelled:
        return QStringLiteral("CANCELLED");
    case Termination::None:
        break;
    }
    return log.completed() ? QStringLiteral("COMPLETED") : QString();
}

void noteIssues(RunFolderImport& out, const QString& path, const ParseIssues& issues)
{
    for (const ParseIssues::Example& e : issues.examples())
        out.notes << QStringLiteral("%1:%2: skipped (%3): %4")
                         .arg(path)
                         .arg(e.line)
                         .arg(e.reason, QString::fromUtf8(e.text).simplified());
    if (issues.count() > issues.examples().size())
        out.notes
            << QStringLiteral("%1: %2 more line(s) skipped").arg(path).arg(issues.count() - issues.examples().size());
}

} // namespace

RunFolderImport readRunFiles(const QStringList& paths, const QString& name)
{
    RunFolderImport out;
    // Every candidate file with the folder it was found under (for node names from folders).
    struct Candidate
    {
        QString path;
        QString topFolder;
        bool explicitlyNamed;
    };
    QList<Candidate> candidates;
    QStringList sourceParts;
    for (const QString& given : paths) {
        const QFileInfo info(given);
        if (info.isDir()) {
            const QString top = info.canonicalFilePath();
            sourceParts << QStringLiteral("folder:") + top;
            QStringList found;
            const QDir dir(top);
            for (const QFileInfo& f : dir.entryInfoList(QDir::Files, QDir::Name))
                found << f.absoluteFilePath();
            for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
                if (sub.isSymLink())
                    continue;
                for (const QFileInfo& f : QDir(sub.absoluteFilePath()).entryInfoList(QDir::Files, QDir::Name))
                    found << f.absoluteFilePath();
            }
            for (const QString& f : std::as_const(found)) {
                if (interestingName(QFileInfo(f).fileName()))
                    candidates.append({ f, top, false });
            }
        } else if (info.exists()) {
            sourceParts << QStringLiteral("file:") + info.canonicalFilePath();
            candidates.append({ info.absoluteFilePath(), info.absolutePath(), true });
        } else {
            out.errors << QStringLiteral("%1: no such file or folder").arg(given);
        }
    }
    std::sort(sourceParts.begin(), sourceParts.end());
    out.run.source = sourceParts.join(u'|');
    if (!out.errors.isEmpty())
        return out;

    // Slurm output names carry the job id: stdout-890671.out, slurm-890671.out, llama-890671_3.out.
    static const QRegularExpression jobIdInName(QStringLiteral(R"((\d{2,})(?:_\d+)?\.out$)"));
    for (const Candidate& c : std::as_const(candidates)) {
        if (const auto m = jobIdInName.match(QFileInfo(c.path).fileName()); m.hasMatch()) {
            out.run.jobId = m.captured(1);
            break;
        }
    }

    QList<QPair<QString, QByteArray>> jobFiles;
    QSet<QString> dmonNodes;
    int gpusPerDmonFile = 0;
    std::optional<TrainerLogReader> log;
    for (const Candidate& c : std::as_const(candidates)) {
        const InputFile file = readInputFile(c.path, LogLimit, QStringLiteral("a run file"));
        if (!file.ok()) {
            out.errors << file.error;
            continue;
        }
        const QFileInfo info(c.path);
        const LogFormat format
            = detectFormat(QByteArrayView(file.bytes).first(std::min<qsizetype>(file.bytes.size(), DetectBytes)));
        const ImportKind jobKind = format == LogFormat::Unknown ? detectImportKind(file.bytes) : ImportKind::Unknown;
        ArchivedFile archived;
        archived.path = c.path;
        switch (format) {
        case LogFormat::Dmon: {
            archived.kind = FileKind::Dmon;
            DmonReader reader;
            reader.feed(file.bytes);
            reader.finish();
            noteIssues(out, c.path, reader.issues());
            if (reader.rows() == 0) {
                out.errors << QStringLiteral("%1: an nvidia-smi dmon log without a single sample row").arg(c.path);
                continue;
            }
            gpusPerDmonFile = std::max(gpusPerDmonFile, int(reader.gpus().size()));
            break;
        }
        case LogFormat::Vmstat: {
            archived.kind = FileKind::Vmstat;
            VmstatReader reader;
            reader.feed(file.bytes);
            reader.finish();
            noteIssues(out, c.path, reader.issues());
            break;
        }
        case LogFormat::TrainerLog: {
            archived.kind = FileKind::TrainerLog;
            if (log) {
                out.notes << QStringLiteral("%1: left out: a second training log (only the first is read)").arg(c.path);
                continue;
            }
            log.emplace();
            log->feed(file.bytes);
            log->finish();
            noteIssues(out, c.path, log->issues());
            break;
        }
        case LogFormat::TrainerJsonl: {
            archived.kind = FileKind::TrainerJsonl;
            TrainerJsonlReader reader;
            reader.feed(file.bytes);
            reader.finish();
            noteIssues(out, c.path, reader.issues());
            break;
        }
        case LogFormat::Sacct:
        case LogFormat::Unknown:
            if (jobKind != ImportKind::Unknown)
                out.notes << QStringLiteral("%1: read as %2").arg(c.path, importKindName(jobKind));
            if (jobKind == ImportKind::SbatchScript) {
                out.run.sbatchScript = file.bytes;
                jobFiles.append({ c.path, file.bytes });
            } else if (jobKind == ImportKind::AccelerateConfig) {
                out.run.accelerateConfig = file.bytes;
                jobFiles.append({ c.path, file.bytes });
            } else if (jobKind == ImportKind::TrainConfig) {
                out.run.trainConfig = file.bytes;
                jobFiles.append({ c.path, file.bytes });
            } else if (c.explicitlyNamed) {
                out.errors << QStringLiteral("%1: cannot tell what it holds (not nvidia-smi dmon, vmstat, a training "
                                             "log, trainer_log.jsonl, an sbatch script or a job YAML)")
                                  .arg(c.path);
            } else if (!file.bytes.isEmpty()) {
                out.notes << QStringLiteral("%1: left out: not a log or job file TuneDeck reads").arg(c.path);
            }
            continue;
        }
        if (archived.kind == FileKind::Dmon || archived.kind == FileKind::Vmstat) {
            archived.node = nodeFromName(info, c.topFolder, out.run.jobId);
            if (archived.node.isEmpty()) {
                archived.node = BatchHost;
                out.notes << QStringLiteral("%1: no node name in the file or folder name; shown as the '%2' (where an "
                                            "sbatch script's own commands run: the job's first node)")
                                 .arg(c.path, BatchHost);
            }
            if (archived.kind == FileKind::Dmon)
                dmonNodes.insert(archived.node);
        }
        // Two files for the same reader and node (dmon.txt and dmon-old.txt): read both would mix them.
        const bool duplicate = std::any_of(out.files.cbegin(), out.files.cend(), [&](const RunFolderImport::File& f) {
            return f.file.kind == archived.kind && f.file.node == archived.node;
        });
        if (duplicate) {
            out.errors << QStringLiteral("%1: a second %2 file for node '%3'; import the runs separately")
                              .arg(c.path, fileKindName(archived.kind), archived.node);
            continue;
        }
        out.notes << QStringLiteral("%1: read as %2%3")
                         .arg(c.path, formatName(format),
                             archived.node.isEmpty() ? QString() : QStringLiteral(" of ") + archived.node);
        out.files.append({ archived, file.bytes });
    }

    if (out.files.isEmpty() && out.errors.isEmpty())
        out.errors << QStringLiteral("%1: no nvidia-smi dmon, vmstat or training log found").arg(paths.join(u", "));

    // The design, where its files are here: through the importers, so the shape is what sbatch would run.
    if (!jobFiles.isEmpty()) {
        const auto profile = ProfileRegistry().find(QStringLiteral("baskerville"));
        const ImportResult imported = profile ? importJobFiles(jobFiles, *profile) : ImportResult {};
        for (const ImportMessage& m : imported.errors)
            out.notes << QStringLiteral("%1 (the design is not kept)").arg(m.toString());
        if (imported.ok()) {
            out.run.specYaml = saveJobSpecToYaml(imported.spec);
            const SlurmSettings& s = imported.spec.slurm;
            if (imported.origins.contains(QStringLiteral("slurm.nodes")))
                out.run.nodes = s.nodes;
            if (imported.origins.contains(QStringLiteral("slurm.gpus_per_node")))
                out.run.gpusPerNode = s.gpusPerNode;
            if (imported.origins.contains(QStringLiteral("slurm.gpu_type")))
                out.run.gpuType = s.gpuType;
            if (imported.origins.contains(QStringLiteral("slurm.time")))
                out.run.timeLimitSeconds = parseSlurmDuration(s.time);
            if (out.run.name.isEmpty() && imported.origins.contains(QStringLiteral("slurm.job_name")))
                out.run.name = s.jobName;
        }
    }
    // Without a script, the shape is what was recorded.
    if (out.run.nodes == 0 && !dmonNodes.isEmpty()) {
        out.run.nodes = int(dmonNodes.size());
        out.notes << QStringLiteral(
            "the shape (%1 node(s)) is that of the recorded dmon files; no sbatch script was found")
                         .arg(out.run.nodes);
    }
    if (out.run.gpusPerNode == 0)
        out.run.gpusPerNode = gpusPerDmonFile;

    if (log) {
        out.run.state = stateFromLog(*log);
        out.run.endedBy = terminationName(log->termination());
        out.run.endedMs = cancelledAtMs(log->terminationLine());
    }
    if (!name.isEmpty())
        out.run.name = name;
    if (out.run.name.isEmpty() && !paths.isEmpty())
        out.run.name = QFileInfo(paths.first()).fileName();
    return out;
}

ArchiveImportResult archiveImport(RunArchive& archive, RunFolderImport& import)
{
    ArchiveImportResult result;
    if (!import.ok()) {
        result.error = import.errors.join(u'\n');
        return result;
    }
    if (const auto existing = archive.runBySource(import.run.source)) {
        result.runId = existing->id;
        result.alreadyArchived = true;
        return result;
    }
    // All or nothing, in one transaction: a half-imported run would compare wrongly, and a crash leaves none.
    result.error = archive.inTransaction([&]() -> QString {
        if (QString error = archive.saveRun(import.run); !error.isEmpty())
            return error;
        for (RunFolderImport::File& f : import.files) {
            if (QString error = archive.addFileWithBytes(import.run.id, f.file, f.bytes); !error.isEmpty())
                return error;
        }
        // Times and figures from the stored text: the same path a reopened run takes.
        QString error;
        const auto loaded = loadRunTelemetry(archive, import.run, &error);
        if (!loaded)
            return error;
        completeRunTimes(import.run, *loaded);
        import.run.summary = computeRunSummary(import.run, *loaded).toJson();
        if (QString error = archive.saveRun(import.run); !error.isEmpty())
            return error;
        return storeCoarseView(archive, import.run, *loaded);
    });
    result.runId = result.error.isEmpty() ? import.run.id : 0;
    return result;
}

} // namespace TuneDeck::Archive
