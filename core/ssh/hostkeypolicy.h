#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace TuneDeck {

// libssh's ssh_known_hosts_e, mirrored so that callers need not include libssh.
enum class KnownHostState {
    Ok, // the key matches an entry
    Changed, // an entry of the same type holds another key: possible man-in-the-middle
    OtherType, // the host is known with a key of another type: treated like Changed
    NotFound, // the known_hosts file has no entry for this host
    Unknown, // there is no known_hosts file yet
    Error, // the file could not be read or parsed
};

// What to do about the server's host key. There is deliberately no "accept anyway" for Changed and
// OtherType: libssh's examples/knownhosts.c refuses these, and so do we (kio_sftp's override button
// is the counter-example named in STYLE.md).
enum class HostKeyAction {
    Proceed, // known and matching: go on to authentication
    AskUser, // new host: show the fingerprint, write known_hosts only after the user agrees
    Refuse, // changed, other type, or unreadable known_hosts: stop before any credential is sent
};

HostKeyAction hostKeyAction(KnownHostState state);

// Maps libssh's enum ssh_known_hosts_e (passed as int so this header stays libssh-free). Values
// libssh may add later map to Error, i.e. refusal.
KnownHostState knownHostStateFromLibssh(int value);

// What the user sees when asked, and what a refusal says.
struct HostKeyInfo
{
    QString host;
    int port = 22;
    QString keyType; // e.g. "ssh-ed25519"
    QString fingerprint; // "SHA256:..." as OpenSSH prints it
    QString knownKeyType; // Changed/OtherType: the type on record
    QString knownFingerprint; // Changed/OtherType: the fingerprint on record, when libssh gives it
    QString knownHostsFile;
    KnownHostState state = KnownHostState::Error;

    // "[host]:port" for a non-default port, as known_hosts writes it.
    QString hostForKnownHosts() const;
};

// One key line of an OpenSSH known_hosts file.
struct KnownHostsLine
{
    int lineNumber = 0;
    QString keyType; // e.g. "ssh-ed25519"
    QByteArray base64Key;
};

// The lines of a known_hosts file (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT") that name `host` on `port`:
// plain names and patterns, "[host]:port" for other ports, and hashed names ("|1|salt|hash", an
// HMAC-SHA1 of the name keyed with the salt). @revoked and @cert-authority lines are not host keys and
// are left out. Used to show the fingerprint on record when a key changed.
QList<KnownHostsLine> knownHostsEntriesFor(const QByteArray& fileContent, const QString& host, int port);

// The message for a refused host key: names host, port, file, and old and new fingerprints.
QString hostKeyRefusalMessage(const HostKeyInfo& info);

} // namespace TuneDeck

Q_DECLARE_METATYPE(TuneDeck::HostKeyInfo)
