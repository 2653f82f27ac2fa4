#pragma once

#include "core/slurm/slurmtext.h"
#include "core/util/coreonly.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace TuneDeck::Slurm {

// One job of `scontrol show job [-o] [--details]`: Key=Value tokens, wrapped over lines indented by three
// spaces (or one line per job with -o). Keys differ between Slurm versions (TRES= before ReqTRES=/AllocTRES=),
// so everything is kept by name and the accessors try the known spellings.
struct ScontrolJob
{
    QHash<QString, QString> fields; // first occurrence of every key; sentinels kept as printed

    QString value(const QString& key) const { return fields.value(key); }
    QString jobId() const { return value(QStringLiteral("JobId")); }
    QString name() const { return value(QStringLiteral("JobName")); }
    QString state() const { return value(QStringLiteral("JobState")); }
    QString reason() const { return value(QStringLiteral("Reason")); }
    QString nodeList() const; // empty for "(null)"
    std::optional<qint64> runTimeSeconds() const;
    std::optional<qint64> timeLimitSeconds() const; // nullopt for UNLIMITED
    std::optional<int> numNodes() const;
    std::optional<ExitStatus> exit() const;
    // AllocTRES, else the old TRES=, else ReqTRES, else TresPerNode × NumNodes, else TresPerJob.
    std::optional<int> gpus() const;
    QString stdOut() const { return value(QStringLiteral("StdOut")); }
    QString workDir() const { return value(QStringLiteral("WorkDir")); }
};

struct ScontrolJobResult
{
    QList<ScontrolJob> jobs;
    QString error; // "slurm_load_jobs error: Invalid job id specified" and similar lines
};

class ScontrolJobParser
{
public:
    static ScontrolJobResult parse(QByteArrayView text);
};

} // namespace TuneDeck::Slurm
