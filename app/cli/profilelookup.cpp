#include "app/cli/profilelookup.h"

#include "core/job/profileloader.h"
#include "core/job/profileregistry.h"

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
            err << error << '\n';
        return loaded.ok() ? std::optional(loaded.profile) : std::nullopt;
    }
    const QString name = parser.isSet(m_name) ? parser.value(m_name) : fallbackName;
    const ProfileRegistry registry;
    if (auto profile = registry.find(name))
        return profile;
    // A broken user file may be the profile asked for: show why it could not be read.
    for (const QString& error : registry.errors())
        err << error << '\n';
    err << "profile: no cluster profile named '" << name << "' (known: " << registry.names().join(u", ")
        << "; user profiles go in " << ProfileRegistry::userProfilesFolder() << ")\n";
    return std::nullopt;
}

} // namespace TuneDeck::Cli
