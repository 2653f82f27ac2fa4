#include "app/cli/profilelookup.h"

#include "core/job/profileloader.h"
#include "core/job/profileregistry.h"
#include "core/util/terminaltext.h"

namespace TuneDeck::Cli {

void ProfileOptions::addTo(QCommandLineParser& parser) const
{
    parser.addOption(m_name);
    parser.addOption(m_file);
}

std::optional<ClusterProfile> ProfileOptions::resolve(
    const QCommandLineParser& parser, const QString& fallbackName, QTextStream& err) const
{
    if (parser.isSet(m_file)) {
        const ProfileLoadResult loaded = loadProfileFromFile(parser.value(m_file));
        for (const QString& error : loaded.errors)
            err << terminalSafe(error) << '\n';
        return loaded.ok() ? std::optional(loaded.profile) : std::nullopt;
    }
    const QString name = parser.isSet(m_name) ? parser.value(m_name) : fallbackName;
    const ProfileLookup found = ProfileRegistry().lookup(name);
    for (const QString& warning : found.warnings)
        err << "warning: " << terminalSafe(warning) << '\n';
    for (const QString& error : found.errors)
        err << terminalSafe(error) << '\n';
    return found.profile;
}

} // namespace TuneDeck::Cli
