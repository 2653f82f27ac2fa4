#include "core/remote/clusteraddress.h"

#include "core/job/profileregistry.h"

namespace TuneDeck {

ClusterAddress resolveClusterAddress(
    const QString& name, const ProfileRegistry& registry, const SshConfigContext& context, const QString& sshConfigFile)
{
    ClusterAddress address;
    address.name = name;
    if (name.trimmed().isEmpty()) {
        address.error = QStringLiteral("no cluster given");
        return address;
    }
    QString alias = name;
    QString user;
    int port = 0;
    address.profile = registry.find(name);
    if (address.profile) {
        alias = address.profile->loginHost;
        port = address.profile->loginPort;
        user = address.profile->loginUser;
    } else {
        // user@host[:port], as people type it for ssh.
        if (const qsizetype at = alias.indexOf(u'@'); at > 0) {
            user = alias.left(at);
            alias = alias.mid(at + 1);
        }
        if (const qsizetype colon = alias.lastIndexOf(u':'); colon > 0 && !alias.contains(u']')) {
            bool ok = false;
            port = alias.mid(colon + 1).toInt(&ok);
            if (!ok || port < 1 || port > 65535) {
                address.error = u"'" + name + u"' is neither a cluster profile nor user@host[:port]";
                return address;
            }
            alias = alias.left(colon);
        }
    }
    const QString configPath
        = sshConfigFile.isEmpty() ? context.homeDir + QStringLiteral("/.ssh/config") : sshConfigFile;
    SshConfigResult config = resolveSshConfigFile(configPath, alias, context);
    address.warnings = config.warnings;
    if (!config.error.isEmpty()) {
        address.error = config.error;
        return address;
    }
    // The profile or the name says what ~/.ssh/config left at its defaults.
    if (!user.isEmpty() && config.target.user == context.localUser)
        config.target.user = user;
    if (port > 0 && config.target.port == 22)
        config.target.port = port;
    address.options = sshOptionsFromConfig(config);
    return address;
}

} // namespace TuneDeck
