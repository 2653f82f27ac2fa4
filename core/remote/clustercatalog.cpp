#include "core/remote/clustercatalog.h"

#include "core/job/profileregistry.h"
#include "core/remote/clustersessions.h"
#include "core/util/inputfile.h"

#include <QCoreApplication>
#include <QFile>

namespace TuneDeck {
namespace {

QString loginText(const ClusterAddress& address)
{
    if (!address.ok())
        return address.error;
    const SshTarget& target = address.options.target;
    const QString host = target.host + (target.port == 22 ? QString() : u':' + QString::number(target.port));
    return target.user.isEmpty() ? host : target.user + u'@' + host;
}

} // namespace

QList<ClusterEntry> listClusters(const ClusterSessions& sessions, QStringList* profileErrors)
{
    QList<ClusterEntry> entries;
    const ProfileRegistry registry(sessions.userProfilesFolder());
    if (profileErrors)
        *profileErrors = registry.errors();
    QStringList profileHosts;
    for (const QString& name : registry.names()) {
        const std::optional<ClusterProfile> profile = registry.find(name);
        if (!profile)
            continue;
        ClusterEntry entry;
        entry.name = name;
        entry.title = profile->displayName.isEmpty() ? name : profile->displayName;
        entry.source = profile->sourceFile.startsWith(u':') ? ClusterEntry::Source::BundledProfile
                                                            : ClusterEntry::Source::UserProfile;
        entry.sourceFile = profile->sourceFile;
        const ClusterAddress address = sessions.resolve(name);
        entry.login = loginText(address);
        entry.resolves = address.ok();
        profileHosts.append(profile->loginHost);
        entries.append(entry);
    }
    // ~/.ssh/config is read with the same limits as every other input (a FIFO there must not hang us).
    const QString configPath = sessions.sshConfigFile();
    QString configText;
    if (QFile::exists(configPath)) {
        const InputFile read = readInputFile(configPath, 1 << 20, QStringLiteral("SSH configuration"));
        if (read.ok())
            configText = QString::fromUtf8(read.bytes);
    }
    for (const QString& alias : sshConfigHostAliases(configText)) {
        if (registry.find(alias) || profileHosts.contains(alias))
            continue; // already listed as the profile that logs in through it
        ClusterEntry entry;
        entry.name = alias;
        entry.title = alias;
        entry.source = ClusterEntry::Source::SshConfig;
        entry.sourceFile = configPath;
        const ClusterAddress address = sessions.resolve(alias);
        entry.login = loginText(address);
        entry.resolves = address.ok();
        entries.append(entry);
    }
    return entries;
}

QString clusterSourceName(ClusterEntry::Source source)
{
    switch (source) {
    case ClusterEntry::Source::BundledProfile:
        return QCoreApplication::translate("ClusterEntry", "Bundled profile");
    case ClusterEntry::Source::UserProfile:
        return QCoreApplication::translate("ClusterEntry", "Your profile");
    case ClusterEntry::Source::SshConfig:
        return QCoreApplication::translate("ClusterEntry", "~/.ssh/config");
    }
    return {};
}

} // namespace TuneDeck
