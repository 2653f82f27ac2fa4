#include "core/job/diagnostic.h"

#include <algorithm>

namespace TuneDeck {

bool hasErrors(const Diagnostics& diagnostics)
{
    return std::any_of(
        diagnostics.cbegin(), diagnostics.cend(), [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QStringLiteral("error");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Info:
        return QStringLiteral("info");
    }
    return {};
}

QString formatDiagnostic(const Diagnostic& diagnostic)
{
    return severityName(diagnostic.severity) + u": " + diagnostic.field + u": " + diagnostic.message;
}

} // namespace TuneDeck
