#include "core/job/profileregistry.h"

#include "core/job/profileloader.h"

#include <QDir>
#include <QStandardPaths>

// The bundled profiles are compiled into tunedeck_job as Qt resources (core/job/CMakeLists.txt).
static void initBundledProfiles()
{
    Q_INIT_RESOURCE(profiles);
}

namespace TuneDeck {

ProfileRegistry::ProfileRegistry(const QString& userFolder)
{
    initBundledProfiles();
    const QDir bundled(QStringLiteral(":/tunedeck/profiles"));
    for (const QString& file : bundled.entryList({ QStringLiteral("*.yaml") }, QDir::Files, QDir::Name)) {
        const ProfileLoadResult result = loadProfileFromFile(bundled.filePath(file));
        if (result.ok())
            add(result.profile);
        else
            m_errors.append(result.errors);
    }
    if (userFolder.isEmpty())
        return;
    const QDir user(userFolder);
    for (const QString& file :
        user.entryList({ QStringLiteral("*.yaml"), QStringLiteral("*.yml") }, QDir::Files, QDir::Name)) {
        const ProfileLoadResult result = loadProfileFromFile(user.filePath(file));
        if (result.ok())
            add(result.profile);
        else
            m_errors.append(result.errors);
    }
}

QString ProfileRegistry::userProfilesFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/profiles";
}

void ProfileRegistry::add(const ClusterProfile& profile)
{
    for (ClusterProfile& existing : m_profiles) {
        if (existing.name == profile.name) {
            existing = profile;
            return;
        }
    }
    m_profiles.append(profile);
}

QStringList ProfileRegistry::names() const
{
    QStringList result;
    for (const ClusterProfile& profile : m_profiles)
        result.append(profile.name);
    return result;
}

std::optional<ClusterProfile> ProfileRegistry::find(const QString& name) const
{
    for (const ClusterProfile& profile : m_profiles) {
        if (profile.name == name)
            return profile;
    }
    return std::nullopt;
}

} // namespace TuneDeck
