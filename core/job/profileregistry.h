#pragma once

#include "core/job/clusterprofile.h"

#include <QStringList>

#include <optional>

namespace TuneDeck {

// Where cluster profiles come from: the ones bundled with TuneDeck (resources/profiles, compiled in)
// and the user's own YAML files in the profiles folder of TuneDeck's config location. A user file with
// the same name as a bundled profile replaces it, so a site can fix a bundled value without a release.
// The outcome of looking a profile up by name (ProfileRegistry::lookup).
struct ProfileLookup
{
    std::optional<ClusterProfile> profile;
    // Why there is no profile: the asked-for file is broken ("file:line: key: message"), or no profile
    // has that name. Empty when `profile` is set.
    QStringList errors;
    // Broken files in the user folder that are not the one asked for: skipped, reported as warnings so
    // one bad file does not break every command.
    QStringList warnings;
};

class ProfileRegistry
{
public:
    // Loads the bundled profiles and every *.yaml in userFolder (default: userProfilesFolder()).
    explicit ProfileRegistry(const QString& userFolder = userProfilesFolder());

    static QString userProfilesFolder();

    QStringList names() const;
    std::optional<ClusterProfile> find(const QString& name) const;
    // find(), with what the caller should print: a broken user file named NAME.yaml (or whose name: is
    // NAME) is the error for NAME, never silently replaced by a bundled profile of the same name.
    ProfileLookup lookup(const QString& name) const;
    // Problems with files in the user folder ("file:line: key: message"); bundled ones are tested.
    const QStringList& errors() const { return m_errors; }

private:
    void add(const ClusterProfile& profile);

    struct BrokenFile
    {
        QString baseName; // NAME of NAME.yaml
        QString declaredName; // its name: key, when that much could be read
        QStringList errors;
    };

    QList<ClusterProfile> m_profiles;
    QList<BrokenFile> m_broken;
    QString m_userFolder;
    QStringList m_errors;
};

} // namespace TuneDeck
