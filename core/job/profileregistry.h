#pragma once

#include "core/job/clusterprofile.h"

#include <QStringList>

#include <optional>

namespace TuneDeck {

// Where cluster profiles come from: the ones bundled with TuneDeck (resources/profiles, compiled in)
// and the user's own YAML files in the profiles folder of TuneDeck's config location. A user file with
// the same name as a bundled profile replaces it, so a site can fix a bundled value without a release.
class ProfileRegistry
{
public:
    // Loads the bundled profiles and every *.yaml in userFolder (default: userProfilesFolder()).
    explicit ProfileRegistry(const QString& userFolder = userProfilesFolder());

    static QString userProfilesFolder();

    QStringList names() const;
    std::optional<ClusterProfile> find(const QString& name) const;
    // Problems with files in the user folder ("file:line: key: message"); bundled ones are tested.
    const QStringList& errors() const { return m_errors; }

private:
    void add(const ClusterProfile& profile);

    QList<ClusterProfile> m_profiles;
    QStringList m_errors;
};

} // namespace TuneDeck
