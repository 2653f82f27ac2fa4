#pragma once

#include "core/util/coreonly.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace TuneDeck {

// A GPU kind of a cluster, requested through a Slurm constraint (Baskerville: --constraint=a100_80).
struct GpuType
{
    QString name; // what users pick, e.g. "a100_40"
    QString constraint; // the Slurm feature, usually the same text
    double memoryGiB = 0; // memory of one GPU
    bool isDefault = false; // what the cluster gives when no constraint is set
};

// What TuneDeck knows about one Slurm cluster: how to log in, what its nodes offer, what the
// environment set-up looks like. Loaded from YAML (resources/profiles/*.yaml bundled, plus user files);
// see profileloader.h for the format.
struct ClusterProfile
{
    QString name; // short id, e.g. "baskerville"
    QString displayName;
    QString sourceFile; // where it was loaded from, for messages

    QString loginHost;
    int loginPort = 22;
    QString loginUser; // empty: from ~/.ssh/config or the local user name
    bool needsOneTimeCode = false; // keyboard-interactive second factor after the key (Baskerville's TOTP)

    int gpusPerNode = 4;
    int cpusPerNode = 0;
    qint64 memoryPerNodeMiB = 0; // the largest --mem a job can get on one node
    int maxNodes = 0; // 0: no limit known
    QString maxTime; // sbatch --time format; empty: no limit known
    QList<GpuType> gpuTypes;

    QStringList qosChoices;
    QString defaultQos;
    QStringList modules; // `module load` lines, in order (after `module purge`)
    // Where a project's shared space lives; {project} is the account, {project0} its first letter.
    QString projectPathPattern;

    const GpuType* gpuType(const QString& name) const;
    const GpuType* defaultGpuType() const;
    QString projectPathFor(const QString& account) const;
};

} // namespace TuneDeck
