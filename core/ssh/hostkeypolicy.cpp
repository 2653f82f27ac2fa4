#include "core/ssh/hostkeypolicy.h"

#include "core/ssh/sshconfig.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <libssh/libssh.h>

namespace TuneDeck {

HostKeyAction hostKeyAction(KnownHostState state)
{
    switch (state) {
    case KnownHostState::Ok:
        return HostKeyAction::Proceed;
    case KnownHostState::NotFound:
    case KnownHostState::Unknown:
        return HostKeyAction::AskUser;
    case KnownHostState::Changed:
    case KnownHostState::OtherType:
    case KnownHostState::Error:
        return HostKeyAction::Refuse;
    }
    return HostKeyAction::Refuse;
}

KnownHostState knownHostStateFromLibssh(int value)
{
    switch (static_cast<ssh_known_hosts_e>(value)) {
    case SSH_KNOWN_HOSTS_OK:
        return KnownHostState::Ok;
    case SSH_KNOWN_HOSTS_CHANGED:
        return KnownHostState::Changed;
    case SSH_KNOWN_HOSTS_OTHER:
        return KnownHostState::OtherType;
    case SSH_KNOWN_HOSTS_NOT_FOUND:
        return KnownHostState::NotFound;
    case SSH_KNOWN_HOSTS_UNKNOWN:
        return KnownHostState::Unknown;
    case SSH_KNOWN_HOSTS_ERROR:
        return KnownHostState::Error;
    }
    return KnownHostState::Error;
}

QString HostKeyInfo::hostForKnownHosts() const
{
    return port == 22 ? host : u'[' % host % u"]:" % QString::number(port);
}

namespace {

bool hostFieldMatches(QByteArrayView field, const QString& name)
{
    if (field.startsWith("|1|")) {
        const QList<QByteArray> parts = field.toByteArray().split('|'); // "", "1", salt, hash
        if (parts.size() != 4)
            return false;
        const QByteArray salt = QByteArray::fromBase64(parts[2]);
        const QByteArray expected = QByteArray::fromBase64(parts[3]);
        return QMessageAuthenticationCode::hash(name.toUtf8(), salt, QCryptographicHash::Sha1) == expected;
    }
    for (const QByteArray& pattern : field.toByteArray().split(',')) {
        if (!pattern.startsWith('!') && sshHostPatternMatches(QString::fromUtf8(pattern), name))
            return true;
    }
    return false;
}

} // namespace

QList<KnownHostsLine> knownHostsEntriesFor(const QByteArray& fileContent, const QString& host, int port)
{
    const QString name = port == 22 ? host : u'[' % host % u"]:" % QString::number(port);
    QList<KnownHostsLine> lines;
    int number = 0;
    for (const QByteArray& rawLine : fileContent.split('\n')) {
        ++number;
        QList<QByteArray> fields = rawLine.simplified().split(' ');
        if (fields.isEmpty() || fields.front().isEmpty() || fields.front().startsWith('#'))
            continue;
        if (fields.front().startsWith('@'))
            continue; // @revoked / @cert-authority: not a host key of this host
        if (fields.size() < 3 || !hostFieldMatches(fields[0], name))
            continue;
        lines.append({ number, QString::fromLatin1(fields[1]), fields[2] });
    }
    return lines;
}

QString hostKeyRefusalMessage(const HostKeyInfo& info)
{
    const QString who = info.hostForKnownHosts();
    switch (info.state) {
    case KnownHostState::Changed:
    case KnownHostState::OtherType: {
        QString message = u"The host key of " % who
            % u" has changed. Someone could be intercepting the connection "
              u"(man-in-the-middle), or the host key was replaced.\n"
            % u"  key on record (" % info.knownHostsFile % u"): "
            % (info.knownKeyType.isEmpty() ? QString() : info.knownKeyType % u' ')
            % (info.knownFingerprint.isEmpty() ? QStringLiteral("(fingerprint not available)") : info.knownFingerprint)
            % u"\n  key offered now: " % info.keyType % u' ' % info.fingerprint
            % u"\nTuneDeck will not connect. If the change is expected (ask the cluster's administrators), remove "
              u"the old entry, e.g. with: ssh-keygen -R '"
            % who % u"'";
        return message;
    }
    case KnownHostState::Error:
        return u"Cannot check the host key of " % who % u": the known hosts file " % info.knownHostsFile
            % u" could not be read";
    case KnownHostState::Ok:
    case KnownHostState::NotFound:
    case KnownHostState::Unknown:
        break;
    }
    return u"The host key of " % who % u" was not accepted";
}

} // namespace TuneDeck
