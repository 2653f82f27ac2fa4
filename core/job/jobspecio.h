#pragma once

#include "core/job/jobspec.h"

#include <QByteArray>
#include <QStringList>

namespace TuneDeck {

struct JobSpecLoadResult
{
    JobSpec spec;
    QStringList errors; // "file:line: key: message"
    bool ok() const { return errors.isEmpty(); }
};

// Job spec files: YAML with the sections slurm, environment, training, fsdp, launch, resume (keys as
// in the comments of jobspec.h). Keys that are absent keep their defaults, so a spec can be as short as
// `slurm: {account: myproject}`; unknown keys are errors, so a typo is never silently ignored.
JobSpecLoadResult loadJobSpecFromYaml(const QByteArray& text, const QString& sourceName);
JobSpecLoadResult loadJobSpecFromFile(const QString& path);
// Every field, defaults included, so a saved spec reads the same after a TuneDeck upgrade.
QByteArray saveJobSpecToYaml(const JobSpec& spec);

} // namespace TuneDeck
