#pragma once

#include "core/ssh/sshconfig.h"
#include "core/ssh/sshtarget.h"

#include <QMetaType>
#include <QString>

#include <chrono>

namespace TuneDeck {

enum class SshState {
    Disconnected, // not started, or closed by the caller
    Connecting, // TCP, key exchange, host key
    Authenticating,
    Connected,
    Reconnecting, // dropped; trying again by itself after a backoff (no human answer needed)
    // Dropped, and logging in again needs a human (a one-time code): "disconnected — reconnect?" was
    // asked once through a Reconnect prompt; nothing happens until it is answered.
    WaitingForReconnect,
    Failed, // gave up: host key refused, authentication failed, ... (the message says why)
};

QString sshStateName(SshState state);

struct SshConnectionOptions
{
    SshTarget target;
    QString knownHostsFile; // empty: ~/.ssh/known_hosts
    QString identityAgent; // empty: $SSH_AUTH_SOCK; "none": do not use an agent
    bool identitiesOnly = false;
    // The OpenSSH client configuration TuneDeck resolved the target with. ProxyJump runs `ssh -W`, which
    // gets `-F <this file>` so that both read the same settings (ssh itself takes ~ from the passwd entry,
    // not from $HOME). Empty: ssh's own default.
    QString sshConfigFile;

    // A keepalive goes out when the server has been silent for one interval; the connection counts as
    // dead after keepaliveCountMax intervals without a byte from the server (OpenSSH's
    // ServerAliveInterval/ServerAliveCountMax). Tests shorten the interval.
    std::chrono::milliseconds keepaliveInterval { 15000 };
    int keepaliveCountMax = 3;

    // Automatic reconnects (key or agent logins only): exponential backoff with +-25% jitter.
    bool autoReconnect = true;
    std::chrono::milliseconds reconnectInitialDelay { 1000 };
    std::chrono::milliseconds reconnectMaxDelay { 60000 };

    std::chrono::milliseconds connectTimeout { 30000 }; // TCP + key exchange
    std::chrono::milliseconds commandTimeout { 300000 }; // one exec command, start to exit
    // OpenSSH's sshd allows 10 sessions per connection by default (MaxSessions); stay well below.
    int maxConcurrentCommands = 4;

    // The libssh log level (SSH_LOG_*); 0 keeps libssh quiet. Never above SSH_LOG_PROTOCOL (2): higher
    // levels could dump packets, which may carry secrets.
    int libsshLogLevel = 0;

    std::chrono::milliseconds deadAfter() const { return keepaliveInterval * keepaliveCountMax; }
};

// Options for a resolved ~/.ssh/config entry (keepalive settings from ServerAlive* when given).
SshConnectionOptions sshOptionsFromConfig(const SshConfigResult& config);

} // namespace TuneDeck

Q_DECLARE_METATYPE(TuneDeck::SshState)
