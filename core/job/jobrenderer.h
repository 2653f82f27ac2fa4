#pragma once

#include "core/job/clusterprofile.h"
#include "core/job/diagnostic.h"
#include "core/job/jobspec.h"

#include <QByteArray>

namespace TuneDeck {

// What the CLI writes, the wizard previews and the submitter uploads: the three files plus everything
// validation found. The files are empty when there are errors, so nothing invalid can be written.
struct RenderedJob
{
    QByteArray sbatchScript;
    QByteArray accelerateYaml;
    QByteArray trainYaml;
    Diagnostics diagnostics;

    bool hasErrors() const { return TuneDeck::hasErrors(diagnostics); }
};

RenderedJob renderJob(const JobSpec& spec, const ClusterProfile& profile);

} // namespace TuneDeck
