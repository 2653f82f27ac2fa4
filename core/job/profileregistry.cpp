#include "core/job/profileregistry.h"

#include "core/job/profileloader.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

// The bundled profiles are compiled into tunedeck_job as Qt resources (core/job/CMakeLists.txt).
static void initBundledProfiles()
{
    Q_INIT_RESOURCE(profiles);
}

namespace TuneDeck {

ProfileRegistry::ProfileRegistry(const QString& userFolder)
    : m_userFolder(userFolder)
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
    // QDir::System too: a FIFO, device or dangling link named *.yaml is reported, not silently invisible.
    for (const QString& file :
        user.entryList({ QStringLiteral("*.yaml"), QStringLiteral("*.yml") }, QDir::Files | QDir::System, QDir::Name)) {
        const ProfileLoadResult result = loadProfileFromFile(user.filePath(file));
        if (result.ok()) {
            add(result.profile);
        } else {
            m_errors.append(result.errors);
            m_broken.append({ QFileInfo(file).completeBaseName(), result.profile.name, result.errors });
        }
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

ProfileLookup ProfileRegistry::lookup(const QString& name) const
{
    ProfileLookup result;
    for (const BrokenFile& broken : m_broken) {
        if (broken.baseName == name || broken.declaredName == name)
            result.errors.append(broken.errors);
        else
            for (const QString& error : broken.errors)
                result.warnings.append(error + QStringLiteral(" (profile file skipped)"));
    }
    if (!result.errors.isEmpty())
        return result;
    result.profile = find(name);
    if (!result.profile)
        result.errors.append(
            QStringLiteral("profile: no cluster profile named '%1' (known: %2; user profiles go in %3)")
                .arg(name, names().join(u", "), m_userFolder));
    return result;
}

} // namespace TuneDeck
