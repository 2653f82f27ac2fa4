#pragma once

#include "core/util/coreonly.h"

#include <QString>
#include <QStringList>

namespace TuneDeck {

// Where to log in: the value that identifies one SSH connection (and keys a connection pool).
// `host` is the name actually dialled (after ~/.ssh/config's HostName), `alias` what the user typed.
struct SshTarget
{
    QString alias;
    QString host;
    int port = 22;
    QString user;
    QStringList identityFiles; // in the order they are tried; empty: ~/.ssh/id_ed25519, id_ecdsa, id_rsa
    QString proxyJump; // OpenSSH ProxyJump syntax ([user@]host[:port][,...]); empty: direct

    bool isValid() const { return !host.isEmpty() && port > 0 && port < 65536 && !user.isEmpty(); }
    // "user@host:port" (plus the jump host), for messages.
    QString displayName() const;

    friend bool operator==(const SshTarget&, const SshTarget&) = default;
};

} // namespace TuneDeck
