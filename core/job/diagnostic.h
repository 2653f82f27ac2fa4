#pragma once

#include "core/util/coreonly.h"

#include <QList>
#include <QString>

namespace TuneDeck {

enum class Severity { Error, Warning, Info };

// One finding about a job design, attached to the spec field it is about (the YAML path used in job
// spec files, e.g. "slurm.time" or "training.save_steps"), so the CLI can print `field: message` and
// the wizard can focus the widget.
struct Diagnostic
{
    Severity severity = Severity::Error;
    QString field;
    QString message;

    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

using Diagnostics = QList<Diagnostic>;

bool hasErrors(const Diagnostics& diagnostics);
QString severityName(Severity severity);
// "error: slurm.time: ..." — one line, for terminals and logs.
QString formatDiagnostic(const Diagnostic& diagnostic);

} // namespace TuneDeck
