#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace TuneDeck::Archive {

// What the archive keeps of one file of a run: which reader it is for, whose node it is, and where
// following it stands (so a restart continues there: RemoteFileFollower's FollowedFile).
enum class FileKind { Dmon, Vmstat, TrainerLog, TrainerJsonl };
QString fileKindName(FileKind kind); // "dmon", "vmstat", "trainer_log", "trainer_jsonl"
std::optional<FileKind> fileKindFromName(QStringView name);

struct ArchivedFile
{
    qint64 id = 0;
    FileKind kind = FileKind::Dmon;
    QString node; // per-node files (dmon, vmstat); empty for the training outputs
    QString path; // as it was read: a local path, or the remote path on the cluster
    int segment = 1; // the follower's segment (a file that restarted is a new attempt)
    qint64 offset = 0; // bytes stored of the current segment
    QByteArray tail; // the follower's overlap bytes, to resume without a gap or a repeat
    qint64 storedBytes = 0; // raw bytes over all segments
};

// One run as the archive lists it. Times are the logs' wall clock in ms (Telemetry::WallClock), except
// submittedMs, which is UTC ms since the epoch as TuneDeck recorded the submission (the queue wait is
// measured in UTC when the job is seen starting, never across the two clocks).
struct ArchivedRun
{
    qint64 id = 0;
    QString source; // what makes a run unique: "folder:/abs/path" or "cluster:NAME:JOBID"
    QString name;
    QString cluster;
    QString jobId;
    int attempts = 1;
    int nodes = 0;
    int gpusPerNode = 0;
    QString gpuType;
    QString state; // Slurm's final state where known ("TIMEOUT", "COMPLETED"), else "RUNNING" or ""
    QString endedBy; // Telemetry::terminationName(): "time_limit", "cuda_oom", ... ; empty: nothing abnormal
    std::optional<qint64> submittedMs;
    std::optional<qint64> startedMs;
    std::optional<qint64> endedMs;
    std::optional<qint64> timeLimitSeconds;
    std::optional<qint64> queueWaitSeconds; // submitted → started, from TuneDeck's own records (both UTC)
    QByteArray specYaml; // the job spec (saveJobSpecToYaml), when the design is known
    QByteArray sbatchScript;
    QByteArray accelerateConfig;
    QByteArray trainConfig;
    qint64 archivedMs = 0; // UTC ms when the run entered the archive
    QJsonObject summary; // the derived figures (RunSummary::toJson); rebuilt from the raw text when bad

    QString shapeText() const; // "4 × 4 a100_40"
    int gpus() const { return nodes * gpusPerNode; }
};

} // namespace TuneDeck::Archive
