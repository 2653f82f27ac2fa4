#pragma once

#include "core/ssh/sshtarget.h"

#include <QString>
#include <QStringList>

namespace TuneDeck {

// What TuneDeck takes from an OpenSSH client configuration (ssh_config(5)) for one host.
//
// We parse the file ourselves instead of relying on libssh's ssh_options_parse_config() alone:
// libssh silently ignores many options and lets `StrictHostKeyChecking no` switch host-key checking
// off, while TuneDeck must tell the user which settings it does not honour and must always check host
// keys. Rules follow ssh_config(5): the first obtained value of an option wins (IdentityFile
// accumulates), `Host` takes several patterns with `*`, `?` and `!` negation, keywords are
// case-insensitive and may be followed by `=`.
struct SshConfigResult
{
    SshTarget target;
    QString knownHostsFile; // UserKnownHostsFile (the first one); empty: ~/.ssh/known_hosts
    QString identityAgent; // IdentityAgent; empty: $SSH_AUTH_SOCK; "none": no agent
    bool identitiesOnly = false;
    int serverAliveIntervalS = 0; // 0: not set
    int serverAliveCountMax = 0; // 0: not set
    QString configFile; // the file read (resolveSshConfigFile), passed on to `ssh` for ProxyJump
    QStringList warnings; // options seen but not honoured, with file:line
    QString error; // non-empty: the configuration cannot be used (bad Port, ...)
};

struct SshConfigContext
{
    QString homeDir; // for ~ and %d
    QString localUser; // default User and %u
    QString fileName = QStringLiteral("~/.ssh/config"); // for messages
};

// Resolves `alias` against the configuration text. A missing file is an empty text: the alias is then
// the host name, the user the local user and the port 22.
SshConfigResult resolveSshConfig(const QString& configText, const QString& alias, const SshConfigContext& context);

// Reads `path` (usually ~/.ssh/config; missing is fine) and resolves `alias` in it.
SshConfigResult resolveSshConfigFile(const QString& path, const QString& alias, const SshConfigContext& context);

// The host names a user can pick from the configuration: every name on a Host line that is not a
// pattern (*, ?) or a negation (!), in file order, without repeats.
QStringList sshConfigHostAliases(const QString& configText);

// The context of the current process: $HOME and the login name.
SshConfigContext currentSshConfigContext();

// True when `pattern` (one ssh_config Host pattern, without `!`) matches `host`: `*` any run of
// characters, `?` one character, case-insensitive.
bool sshHostPatternMatches(QStringView pattern, QStringView host);

} // namespace TuneDeck
