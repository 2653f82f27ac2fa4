#include "core/ssh/sshconnectionoptions.h"

namespace TuneDeck {

QString sshStateName(SshState state)
{
    switch (state) {
    case SshState::Disconnected:
        return QStringLiteral("disconnected");
    case SshState::Connecting:
        return QStringLiteral("connecting");
    case SshState::Authenticating:
        return QStringLiteral("authenticating");
    case SshState::Connected:
        return QStringLiteral("connected");
    case SshState::Reconnecting:
        return QStringLiteral("reconnecting");
    case SshState::WaitingForReconnect:
        return QStringLiteral("disconnected — reconnect?");
    case SshState::Failed:
        return QStringLiteral("failed");
    }
    return QString();
}

SshConnectionOptions sshOptionsFromConfig(const SshConfigResult& config)
{
    SshConnectionOptions options;
    options.target = config.target;
    options.knownHostsFile = config.knownHostsFile;
    options.identityAgent = config.identityAgent;
    options.identitiesOnly = config.identitiesOnly;
    options.sshConfigFile = config.configFile;
    if (config.serverAliveIntervalS > 0)
        options.keepaliveInterval = std::chrono::seconds(config.serverAliveIntervalS);
    if (config.serverAliveCountMax > 0)
        options.keepaliveCountMax = config.serverAliveCountMax;
    return options;
}

} // namespace TuneDeck
