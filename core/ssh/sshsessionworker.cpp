#include "core/ssh/sshsessionworker.h"

#include "core/ssh/sshlogging.h"
#include "core/util/shellquote.h"

#include <libssh/server.h> // ssh_send_keepalive is declared there but works for clients too

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <cmath>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace TuneDeck {
namespace {

constexpr int kPumpIntervalMs = 50; // while a handshake or a command is in progress
constexpr qsizetype kReadChunk = 32 * 1024;
constexpr int kReadsInFlight = 16; // SFTP read requests kept in flight while catching up a backlog

QString fingerprintOf(ssh_key key)
{
    unsigned char* rawHash = nullptr;
    size_t length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &rawHash, &length) != SSH_OK)
        return QString();
    SshHandles::Hash hash(rawHash);
    SshHandles::CString text(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash.get(), length));
    return text ? QString::fromLatin1(text.get()) : QString();
}

QString keyTypeOf(ssh_key key)
{
    const char* name = ssh_key_type_to_char(ssh_key_type(key));
    return name ? QString::fromLatin1(name) : QStringLiteral("unknown");
}

// libssh asks this for the passphrase of an encrypted key when we pass no passphrase; returning an
// error makes the import fail instead of libssh reading the terminal itself.
int refusePassphrase(const char*, char*, size_t, int, int, void*)
{
    return -1;
}

QString defaultKnownHostsFile()
{
    return QDir::homePath() + QStringLiteral("/.ssh/known_hosts");
}

QByteArray stripThroughMarker(const QByteArray& data, const QByteArray& marker)
{
    const QByteArray line = marker + '\n';
    const qsizetype at = data.indexOf(line);
    return at < 0 ? data : data.mid(at + line.size());
}

} // namespace

SshSessionWorker::SshSessionWorker(const SshConnectionOptions& options, std::shared_ptr<SshWatchdogState> watchdog)
    : m_options(options)
    , m_watchdog(std::move(watchdog))
    , m_pumpTimer(this) // children, so that moveToThread() takes them along
    , m_keepaliveTimer(this)
    , m_reconnectTimer(this)
{
    m_pumpTimer.setInterval(kPumpIntervalMs);
    connect(&m_pumpTimer, &QTimer::timeout, this, &SshSessionWorker::pump);
    // Check four times per interval so a dead link is noticed within a quarter interval of the limit.
    m_keepaliveTimer.setInterval(std::max<int>(50, int(m_options.keepaliveInterval.count() / 4)));
    connect(&m_keepaliveTimer, &QTimer::timeout, this, &SshSessionWorker::keepaliveTick);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &SshSessionWorker::startSession);
}

SshSessionWorker::~SshSessionWorker()
{
    failAll(QStringLiteral("the connection was closed"), false, true);
    teardownSession();
}

void SshSessionWorker::setState(SshState state, const QString& message)
{
    if (state == m_state && message.isEmpty())
        return;
    m_state = state;
    qCInfo(lcSsh) << "state" << sshStateName(state) << message;
    Q_EMIT stateChanged(state, message);
}

quint64 SshSessionWorker::ask(SshPrompt prompt)
{
    prompt.id = ++m_promptCounter;
    prompt.target = m_options.target;
    m_pendingPromptId = prompt.id;
    m_pendingPromptKind = prompt.kind;
    Q_EMIT promptRequested(prompt);
    return prompt.id;
}

void SshSessionWorker::open()
{
    if (m_phase != Phase::Idle && m_phase != Phase::Failed)
        return;
    m_everConnected = false;
    m_loginNeededHuman = false;
    m_reconnectAttempt = 0;
    m_closed = false;
    startSession();
}

void SshSessionWorker::close()
{
    m_reconnectTimer.stop();
    failAll(QStringLiteral("the connection was closed"), false, true);
    teardownSession();
    m_phase = Phase::Idle;
    m_closed = true;
    setState(SshState::Disconnected, QStringLiteral("closed"));
}

void SshSessionWorker::startSession()
{
    teardownSession();
    const SshTarget& target = m_options.target;
    if (!target.isValid()) {
        fail(u"Incomplete SSH target '" % target.displayName() % u"': host, port and user are needed");
        return;
    }
    m_session.reset(ssh_new());
    ssh_session s = m_session.get();
    const QByteArray host = target.host.toUtf8();
    const QByteArray user = target.user.toUtf8();
    const unsigned int port = unsigned(target.port);
    const QByteArray knownHosts
        = QDir::cleanPath(m_options.knownHostsFile.isEmpty() ? defaultKnownHostsFile() : m_options.knownHostsFile)
              .toUtf8();
    int verbosity = std::min(m_options.libsshLogLevel, int(SSH_LOG_PROTOCOL));
    const long timeoutS = std::max<long>(1, long(m_options.deadAfter().count() / 1000));
    ssh_options_set(s, SSH_OPTIONS_HOST, host.constData());
    ssh_options_set(s, SSH_OPTIONS_PORT, &port);
    ssh_options_set(s, SSH_OPTIONS_USER, user.constData());
    ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, knownHosts.constData());
    ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
    ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeoutS);
    if (!m_options.identityAgent.isEmpty() && m_options.identityAgent != u"none") {
        const QByteArray agent = m_options.identityAgent.toUtf8();
        ssh_options_set(s, SSH_OPTIONS_IDENTITY_AGENT, agent.constData());
    }
    // We never call ssh_options_parse_config() (sshconfig.cpp resolves ~/.ssh/config itself), and we set
    // strict checking explicitly so nothing can have turned it off: libssh only reads it for
    // ssh_session_is_known_server()'s callers, and ours refuses changed keys regardless.
    int strict = 1;
    ssh_options_set(s, SSH_OPTIONS_STRICTHOSTKEYCHECK, &strict);
    if (!target.proxyJump.isEmpty()) {
        // libssh 0.10 implements ProxyJump by running OpenSSH's client as a ProxyCommand.
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty()) {
            fail(u"ProxyJump " % target.proxyJump
                % u" needs the OpenSSH client program 'ssh' on PATH (libssh 0.10 runs the jump through it), "
                  u"and it was not found");
            return;
        }
        // The command goes through /bin/sh: allow only host-list characters.
        for (QChar c : target.proxyJump) {
            const bool ok = c.isLetterOrNumber() || QStringView(u"._-@:,[]").contains(c);
            if (!ok) {
                fail(u"ProxyJump '" % target.proxyJump % u"' contains characters TuneDeck does not pass on");
                return;
            }
        }
        // `ssh -W` through the last jump host; earlier hops of a chain go to its own -J.
        QByteArray command = "ssh -W '[%h]:%p' ";
        // libssh expands %-tokens in the whole proxy command, so a path with '%' cannot be passed safely.
        if (!m_options.sshConfigFile.isEmpty() && !m_options.sshConfigFile.contains(u'%'))
            command += "-F " + shellSingleQuote(m_options.sshConfigFile).toUtf8() + ' ';
        if (target.proxyJump.contains(u','))
            command += "-J " + target.proxyJump.section(u',', 0, -2).toUtf8() + ' ';
        command += target.proxyJump.section(u',', -1).toUtf8();
        ssh_options_set(s, SSH_OPTIONS_PROXYCOMMAND, command.constData());
    }
    ssh_set_blocking(s, 0);

    m_methods = 0;
    m_agentTried = m_kbdintTried = m_passwordTried = m_publicKeyDone = false;
    m_kbdintAnsweredRounds = 0;
    m_passphraseAttempts = 0;
    m_keys.clear();
    m_keyIndex = 0;
    m_keysPrepared = false;
    m_triedMethods.clear();
    m_phase = Phase::Connecting;
    m_phaseClock.start();
    setState(SshState::Connecting, target.displayName());
    m_pumpTimer.start();
    pump();
}

void SshSessionWorker::teardownSession()
{
    m_pumpTimer.stop();
    m_keepaliveTimer.stop();
    m_readNotifier.reset();
    m_writeNotifier.reset();
    m_watchdog->fd = -1;
    m_watchdog->blockingSinceMs = 0;
    m_execs.clear(); // channels before the session that owns them
    m_sftp.reset();
    if (m_event && m_session)
        ssh_event_remove_session(m_event.get(), m_session.get());
    m_event.reset();
    m_session.reset();
}

bool SshSessionWorker::sessionAlive() const
{
    return m_session && ssh_is_connected(m_session.get()) != 0
        && (ssh_get_status(m_session.get()) & (SSH_CLOSED | SSH_CLOSED_ERROR)) == 0;
}

QString SshSessionWorker::sessionError() const
{
    return m_session ? QString::fromUtf8(ssh_get_error(m_session.get())) : QString();
}

void SshSessionWorker::updateNotifiers()
{
    if (!m_session)
        return;
    const int fd = ssh_get_fd(m_session.get());
    if (fd < 0)
        return;
    if (!m_readNotifier || m_readNotifier->socket() != fd) {
        m_watchdog->fd = fd;
        m_readNotifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
        connect(m_readNotifier.get(), &QSocketNotifier::activated, this, &SshSessionWorker::onReadable);
        m_writeNotifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Write);
        connect(m_writeNotifier.get(), &QSocketNotifier::activated, this, &SshSessionWorker::pump);
    }
    // Only wake on writability while libssh has unsent bytes; otherwise the notifier would fire forever.
    m_writeNotifier->setEnabled((ssh_get_poll_flags(m_session.get()) & SSH_WRITE_PENDING) != 0);
}

void SshSessionWorker::onReadable()
{
    m_activityClock.restart();
    pump();
}

void SshSessionWorker::noteActivityIfPending()
{
    // Bytes waiting in the socket are server activity the read notifier may not have reported yet
    // (libssh reads the socket itself inside any call we make).
    int pending = 0;
    if (m_watchdog->fd >= 0 && ::ioctl(m_watchdog->fd, FIONREAD, &pending) == 0 && pending > 0)
        m_activityClock.restart();
}

void SshSessionWorker::pump()
{
    if (m_pumping || !m_session)
        return;
    m_pumping = true;
    noteActivityIfPending();
    switch (m_phase) {
    case Phase::Connecting:
        stepConnect();
        break;
    case Phase::AuthNone:
    case Phase::AuthAgent:
    case Phase::AuthKeyOffer:
    case Phase::AuthKeySign:
    case Phase::AuthKbdint:
    case Phase::AuthPassword:
        stepAuth();
        break;
    case Phase::Connected:
        if (m_event && ssh_event_dopoll(m_event.get(), 0) == SSH_ERROR && sessionAlive())
            qCDebug(lcSsh) << "poll error:" << sessionError();
        if (!sessionAlive()) {
            m_pumping = false;
            connectionLost(
                sessionError().isEmpty() ? QStringLiteral("the server closed the connection") : sessionError());
            return;
        }
        driveExecs();
        startQueued();
        break;
    default:
        break;
    }
    if (m_session) {
        updateNotifiers();
        const bool busy = m_phase == Phase::Connecting || m_phase == Phase::AuthNone || m_phase == Phase::AuthAgent
            || m_phase == Phase::AuthKeyOffer || m_phase == Phase::AuthKeySign || m_phase == Phase::AuthKbdint
            || m_phase == Phase::AuthPassword || (m_phase == Phase::Connected && !m_execs.empty());
        // The timer covers libssh's internal timeouts and state changes that arrive without new bytes.
        if (busy && !m_pumpTimer.isActive())
            m_pumpTimer.start();
        else if (!busy)
            m_pumpTimer.stop();
    }
    m_pumping = false;
}

void SshSessionWorker::stepConnect()
{
    const int rc = ssh_connect(m_session.get());
    if (rc == SSH_AGAIN) {
        if (m_phaseClock.elapsed() > m_options.connectTimeout.count())
            connectionLost(u"no answer from " % m_options.target.host % u':' % QString::number(m_options.target.port)
                % u" within " % QString::number(m_options.connectTimeout.count() / 1000) % u" s");
        return;
    }
    if (rc != SSH_OK) {
        connectionLost(u"cannot connect to " % m_options.target.displayName() % u": " % sessionError());
        return;
    }
    m_activityClock.start();
    checkHostKey();
}

void SshSessionWorker::checkHostKey()
{
    ssh_session s = m_session.get();
    ssh_key rawKey = nullptr;
    if (ssh_get_server_publickey(s, &rawKey) != SSH_OK) {
        fail(u"The server sent no host key: " % sessionError());
        return;
    }
    SshHandles::Key serverKey(rawKey);
    HostKeyInfo info;
    info.host = m_options.target.host;
    info.port = m_options.target.port;
    info.keyType = keyTypeOf(serverKey.get());
    info.fingerprint = fingerprintOf(serverKey.get());
    info.knownHostsFile = m_options.knownHostsFile.isEmpty() ? defaultKnownHostsFile() : m_options.knownHostsFile;
    info.state = knownHostStateFromLibssh(ssh_session_is_known_server(s));
    if (info.state == KnownHostState::Changed || info.state == KnownHostState::OtherType) {
        ssh_knownhosts_entry* rawEntry = nullptr;
        ssh_session_get_known_hosts_entry(s, &rawEntry);
        SshHandles::KnownHostsEntry entry(rawEntry);
        if (entry && entry->publickey) {
            info.knownKeyType = keyTypeOf(entry->publickey);
            info.knownFingerprint = fingerprintOf(entry->publickey);
        } else {
            // libssh 0.10 does not hand out the entry of a changed key: read the file ourselves.
            QFile file(info.knownHostsFile);
            const QList<KnownHostsLine> lines = file.open(QIODevice::ReadOnly)
                ? knownHostsEntriesFor(file.readAll(), info.host, info.port)
                : QList<KnownHostsLine>();
            const KnownHostsLine* chosen = lines.isEmpty() ? nullptr : &lines.front();
            for (const KnownHostsLine& line : lines)
                if (line.keyType == info.keyType)
                    chosen = &line;
            if (chosen) {
                ssh_key raw = nullptr;
                const QByteArray type = chosen->keyType.toLatin1();
                if (ssh_pki_import_pubkey_base64(
                        chosen->base64Key.constData(), ssh_key_type_from_name(type.constData()), &raw)
                    == SSH_OK) {
                    SshHandles::Key known(raw);
                    info.knownKeyType = chosen->keyType;
                    info.knownFingerprint
                        = fingerprintOf(known.get()) % u" (line " % QString::number(chosen->lineNumber) % u')';
                }
            }
        }
    }
    switch (hostKeyAction(info.state)) {
    case HostKeyAction::Proceed:
        m_phase = Phase::AuthNone;
        setState(SshState::Authenticating);
        stepAuth();
        return;
    case HostKeyAction::AskUser: {
        if (m_everConnected) {
            // The key was accepted when we first connected; it vanishing from known_hosts meanwhile is
            // not something to ask about in the middle of an automatic reconnect.
            fail(u"The host key of " % info.hostForKnownHosts() % u" is no longer in " % info.knownHostsFile);
            return;
        }
        SshPrompt prompt;
        prompt.kind = SshPrompt::Kind::HostKey;
        prompt.hostKey = info;
        m_phase = Phase::WaitingHostKeyAnswer;
        ask(prompt);
        return;
    }
    case HostKeyAction::Refuse:
        Q_EMIT hostKeyRefused(info); // before the failure, so a window can show both fingerprints
        fail(hostKeyRefusalMessage(info));
        return;
    }
}

void SshSessionWorker::answer(SshPromptAnswer reply)
{
    if (reply.id != m_pendingPromptId || m_pendingPromptId == 0) {
        wipeSecrets(reply.answers); // stale (e.g. answered after a cancel): drop it
        return;
    }
    m_pendingPromptId = 0;
    switch (m_phase) {
    case Phase::WaitingHostKeyAnswer:
        if (!reply.accepted) {
            fail(QStringLiteral("The host key was not accepted; nothing was sent to the server"));
            return;
        }
        if (ssh_session_update_known_hosts(m_session.get()) != SSH_OK) {
            fail(u"Cannot write the host key to the known hosts file: " % sessionError());
            return;
        }
        m_phase = Phase::AuthNone;
        setState(SshState::Authenticating);
        break;
    case Phase::WaitingPassphrase: {
        if (!reply.accepted || reply.answers.isEmpty()) {
            wipeSecrets(reply.answers);
            ++m_keyIndex; // skip this key, try the next method
            m_phase = Phase::AuthKeyOffer;
            break;
        }
        QByteArray passphrase = reply.answers.front();
        const bool loaded = loadPrivateKey(&passphrase);
        wipeSecret(passphrase);
        wipeSecrets(reply.answers);
        if (!loaded) {
            if (++m_passphraseAttempts < 3) {
                SshPrompt prompt;
                prompt.kind = SshPrompt::Kind::Passphrase;
                prompt.keyFile = m_keys[m_keyIndex].path;
                prompt.instruction = QStringLiteral("Wrong passphrase, try again.");
                prompt.fields.append({ u"Passphrase for " % prompt.keyFile % u": ", false });
                ask(prompt);
                return;
            }
            Q_EMIT warningIssued(u"Could not decrypt " % m_keys[m_keyIndex].path % u" (wrong passphrase)");
            ++m_keyIndex;
            m_phase = Phase::AuthKeyOffer;
            break;
        }
        m_phase = Phase::AuthKeySign;
        break;
    }
    case Phase::WaitingKbdintAnswer: {
        if (!reply.accepted) {
            wipeSecrets(reply.answers);
            fail(QStringLiteral("Login cancelled"));
            return;
        }
        ssh_session s = m_session.get();
        const int count = ssh_userauth_kbdint_getnprompts(s);
        for (int i = 0; i < count; ++i) {
            static const QByteArray empty;
            const QByteArray& value = i < reply.answers.size() ? reply.answers.at(i) : empty;
            // QByteArray data is NUL-terminated; libssh copies the answer and burns its copy later.
            ssh_userauth_kbdint_setanswer(s, unsigned(i), value.constData());
        }
        wipeSecrets(reply.answers);
        ++m_kbdintAnsweredRounds;
        m_loginNeededHuman = true;
        m_phase = Phase::AuthKbdint;
        break;
    }
    case Phase::WaitingPassword: {
        if (!reply.accepted || reply.answers.isEmpty()) {
            wipeSecrets(reply.answers);
            fail(QStringLiteral("Login cancelled"));
            return;
        }
        QByteArray password = reply.answers.front();
        m_loginNeededHuman = true;
        m_phase = Phase::AuthPassword;
        int rc = ssh_userauth_password(m_session.get(), nullptr, password.constData());
        wipeSecret(password);
        wipeSecrets(reply.answers);
        // Later calls while SSH_AUTH_AGAIN resume libssh's pending state and ignore the password.
        if (rc == SSH_AUTH_SUCCESS)
            authSucceeded();
        else if (rc == SSH_AUTH_PARTIAL) {
            m_methods = ssh_userauth_list(m_session.get(), nullptr);
            nextAuthMethod();
        } else if (rc == SSH_AUTH_DENIED)
            fail(QStringLiteral("The password was not accepted"));
        else if (rc == SSH_AUTH_ERROR)
            fail(u"Password login failed: " % sessionError());
        pump();
        return;
    }
    case Phase::WaitingReconnectAnswer:
        wipeSecrets(reply.answers);
        if (!reply.accepted) {
            failAll(QStringLiteral("not connected"), true, true);
            m_phase = Phase::Idle;
            m_closed = true;
            setState(SshState::Disconnected, QStringLiteral("not reconnected"));
            return;
        }
        m_reconnectAttempt = 0;
        startSession();
        return;
    default:
        wipeSecrets(reply.answers);
        return;
    }
    pump();
}

void SshSessionWorker::prepareKeyCandidates()
{
    m_keys.clear();
    m_keyIndex = 0;
    QStringList paths = m_options.target.identityFiles;
    if (paths.isEmpty()) {
        const QString ssh = QDir::homePath() + QStringLiteral("/.ssh/");
        paths
            = { ssh + QStringLiteral("id_ed25519"), ssh + QStringLiteral("id_ecdsa"), ssh + QStringLiteral("id_rsa") };
    }
    for (const QString& path : std::as_const(paths)) {
        if (!QFileInfo::exists(path))
            continue;
        KeyCandidate candidate;
        candidate.path = path;
        ssh_key pub = nullptr;
        const QByteArray pubPath = (path + QStringLiteral(".pub")).toUtf8();
        if (ssh_pki_import_pubkey_file(pubPath.constData(), &pub) == SSH_OK) {
            candidate.publicKey.reset(pub);
        } else {
            // No .pub: derive it from the private key when that is not encrypted.
            ssh_key priv = nullptr;
            const QByteArray privPath = path.toUtf8();
            if (ssh_pki_import_privkey_file(privPath.constData(), nullptr, refusePassphrase, nullptr, &priv)
                == SSH_OK) {
                SshHandles::Key owned(priv);
                if (ssh_pki_export_privkey_to_pubkey(owned.get(), &pub) == SSH_OK)
                    candidate.publicKey.reset(pub);
            }
        }
        m_keys.push_back(std::move(candidate));
    }
}

bool SshSessionWorker::loadPrivateKey(const QByteArray* passphrase)
{
    if (m_keyIndex >= m_keys.size())
        return false;
    const QString& path = m_keys[m_keyIndex].path;
    if (m_privateKeys.count(path))
        return true;
    ssh_key key = nullptr;
    const QByteArray file = path.toUtf8();
    const int rc = ssh_pki_import_privkey_file(file.constData(), passphrase ? passphrase->constData() : nullptr,
        passphrase ? nullptr : refusePassphrase, nullptr, &key);
    if (rc != SSH_OK)
        return false;
    m_privateKeys[path].reset(key);
    return true;
}

void SshSessionWorker::nextAuthMethod()
{
    const bool agentAvailable = m_options.identityAgent != u"none"
        && (!m_options.identityAgent.isEmpty() || !qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK"));
    if ((m_methods & SSH_AUTH_METHOD_PUBLICKEY) && !m_publicKeyDone) {
        if (!m_agentTried && agentAvailable) {
            m_phase = Phase::AuthAgent;
            return;
        }
        if (!m_keysPrepared) {
            prepareKeyCandidates();
            m_keysPrepared = true;
            if (!m_keys.empty())
                m_triedMethods.append(QStringLiteral("publickey"));
        }
        if (m_keyIndex < m_keys.size()) {
            m_phase = Phase::AuthKeyOffer;
            return;
        }
    }
    if ((m_methods & SSH_AUTH_METHOD_INTERACTIVE) && !m_kbdintTried) {
        m_kbdintTried = true;
        m_triedMethods.append(QStringLiteral("keyboard-interactive"));
        m_phase = Phase::AuthKbdint;
        return;
    }
    if ((m_methods & SSH_AUTH_METHOD_PASSWORD) && !m_passwordTried) {
        m_passwordTried = true;
        m_triedMethods.append(QStringLiteral("password"));
        SshPrompt prompt;
        prompt.kind = SshPrompt::Kind::Password;
        prompt.fields.append({ m_options.target.user % u'@' % m_options.target.host % u"'s password: ", false });
        m_phase = Phase::WaitingPassword;
        ask(prompt);
        return;
    }
    QString message = u"Permission denied for " % m_options.target.displayName();
    if (!m_triedMethods.isEmpty())
        message += u" (tried: " % m_triedMethods.join(QStringLiteral(", ")) % u')';
    if (m_publicKeyDone && !(m_methods & (SSH_AUTH_METHOD_INTERACTIVE | SSH_AUTH_METHOD_PASSWORD)))
        message += QStringLiteral("; the key was accepted but the server asks for a method TuneDeck does not offer");
    else if ((m_methods & SSH_AUTH_METHOD_PUBLICKEY) && !m_publicKeyDone)
        message += QStringLiteral("; no key was accepted (check IdentityFile and ssh-agent)");
    fail(message);
}

void SshSessionWorker::stepAuth()
{
    ssh_session s = m_session.get();
    for (int guard = 0; guard < 64; ++guard) {
        int rc = SSH_AUTH_ERROR;
        const Phase phase = m_phase;
        switch (phase) {
        case Phase::AuthNone:
            rc = ssh_userauth_none(s, nullptr);
            break;
        case Phase::AuthAgent:
            if (!m_triedMethods.contains(u"agent"))
                m_triedMethods.append(QStringLiteral("agent"));
            rc = ssh_userauth_agent(s, nullptr);
            break;
        case Phase::AuthKeyOffer: {
            if (m_keyIndex >= m_keys.size()) {
                nextAuthMethod(); // every key file was tried
                continue;
            }
            KeyCandidate& key = m_keys[m_keyIndex];
            if (!key.publicKey) {
                // Encrypted key without a .pub: we cannot ask the server first, so ask for the passphrase.
                if (!m_privateKeys.count(key.path)) {
                    SshPrompt prompt;
                    prompt.kind = SshPrompt::Kind::Passphrase;
                    prompt.keyFile = key.path;
                    prompt.fields.append({ u"Passphrase for " % key.path % u": ", false });
                    m_passphraseAttempts = 0;
                    m_phase = Phase::WaitingPassphrase;
                    ask(prompt);
                    return;
                }
                m_phase = Phase::AuthKeySign;
                continue;
            }
            rc = ssh_userauth_try_publickey(s, nullptr, key.publicKey.get());
            break;
        }
        case Phase::AuthKeySign: {
            const QString& path = m_keys[m_keyIndex].path;
            auto found = m_privateKeys.find(path);
            if (found == m_privateKeys.end()) {
                if (!loadPrivateKey(nullptr)) {
                    SshPrompt prompt;
                    prompt.kind = SshPrompt::Kind::Passphrase;
                    prompt.keyFile = path;
                    prompt.fields.append({ u"Passphrase for " % path % u": ", false });
                    m_passphraseAttempts = 0;
                    m_phase = Phase::WaitingPassphrase;
                    ask(prompt);
                    return;
                }
                found = m_privateKeys.find(path);
            }
            rc = ssh_userauth_publickey(s, nullptr, found->second.get());
            break;
        }
        case Phase::AuthKbdint:
            rc = ssh_userauth_kbdint(s, nullptr, nullptr);
            break;
        case Phase::AuthPassword:
            rc = ssh_userauth_password(s, nullptr, nullptr);
            break;
        default:
            return;
        }

        if (rc == SSH_AUTH_AGAIN)
            return; // more bytes needed; the notifier or the pump timer calls us again
        if (rc == SSH_AUTH_ERROR) {
            if (phase == Phase::AuthAgent && sessionAlive()) {
                // No agent, or it failed: not fatal, the key files come next.
                m_agentTried = true;
                nextAuthMethod();
                continue;
            }
            fail(u"Authentication failed: " % sessionError());
            return;
        }
        if (rc == SSH_AUTH_SUCCESS && phase == Phase::AuthKeyOffer) {
            m_phase = Phase::AuthKeySign; // the server would take this key: prove we hold it
            continue;
        }
        if (rc == SSH_AUTH_SUCCESS) {
            authSucceeded();
            return;
        }
        if (rc == SSH_AUTH_INFO) {
            // A keyboard-interactive round. PAM often sends a round with no prompts: answer it at once.
            const int count = ssh_userauth_kbdint_getnprompts(s);
            if (count <= 0)
                continue;
            SshPrompt prompt;
            prompt.kind = SshPrompt::Kind::KeyboardInteractive;
            prompt.name = QString::fromUtf8(ssh_userauth_kbdint_getname(s));
            prompt.instruction = QString::fromUtf8(ssh_userauth_kbdint_getinstruction(s));
            for (int i = 0; i < count; ++i) {
                char echo = 0;
                const char* text = ssh_userauth_kbdint_getprompt(s, unsigned(i), &echo);
                prompt.fields.append({ QString::fromUtf8(text), echo != 0 });
            }
            m_phase = Phase::WaitingKbdintAnswer;
            ask(prompt);
            return;
        }
        // DENIED or PARTIAL: the server's list of acceptable methods may have changed.
        m_methods = ssh_userauth_list(s, nullptr);
        if (rc == SSH_AUTH_PARTIAL) {
            // Baskerville: the key is accepted with partial success, then a TOTP code is asked for.
            if (phase == Phase::AuthAgent || phase == Phase::AuthKeySign)
                m_publicKeyDone = true;
            if (phase == Phase::AuthKbdint)
                m_kbdintTried = true;
            nextAuthMethod();
            continue;
        }
        switch (phase) {
        case Phase::AuthAgent:
            m_agentTried = true;
            break;
        case Phase::AuthKeyOffer:
        case Phase::AuthKeySign:
            ++m_keyIndex;
            break;
        case Phase::AuthKbdint:
            if (m_kbdintAnsweredRounds > 0) {
                // A wrong one-time code: stop here instead of asking again and again.
                fail(QStringLiteral("The server did not accept the answer (wrong or expired one-time code?). "
                                    "Nothing more is tried; connect again to enter a new code."));
                return;
            }
            break;
        default:
            break;
        }
        nextAuthMethod();
    }
}

void SshSessionWorker::authSucceeded()
{
    m_phase = Phase::Connected;
    m_everConnected = true;
    m_reconnectAttempt = 0;
    m_activityClock.restart();
    m_event.reset(ssh_event_new());
    ssh_event_add_session(m_event.get(), m_session.get());
    m_keepaliveTimer.start();
    setState(SshState::Connected, m_options.target.displayName());
    startQueued();
}

void SshSessionWorker::fail(const QString& message)
{
    qCWarning(lcSsh) << "giving up:" << message;
    m_reconnectTimer.stop();
    m_pendingPromptId = 0;
    failAll(message, false, true);
    teardownSession();
    m_phase = Phase::Failed;
    setState(SshState::Failed, message);
}

void SshSessionWorker::connectionLost(const QString& reason)
{
    if (!m_everConnected) {
        // Never got in: nothing to resume, and retrying blindly would hide a wrong host or port.
        fail(reason);
        return;
    }
    qCWarning(lcSsh) << "connection lost:" << reason;
    failAll(u"connection lost: " % reason, true, false);
    teardownSession();
    if (m_loginNeededHuman) {
        // Logging in again needs a new one-time code: ask once, never loop.
        m_phase = Phase::WaitingReconnectAnswer;
        setState(SshState::WaitingForReconnect, reason);
        SshPrompt prompt;
        prompt.kind = SshPrompt::Kind::Reconnect;
        prompt.instruction
            = u"The connection to " % m_options.target.displayName() % u" was lost (" % reason % u"). Reconnect?";
        ask(prompt);
        return;
    }
    if (!m_options.autoReconnect) {
        failAll(u"connection lost: " % reason, true, true);
        m_phase = Phase::Idle;
        m_closed = true;
        setState(SshState::Disconnected, reason);
        return;
    }
    scheduleReconnect();
    setState(SshState::Reconnecting, reason);
}

void SshSessionWorker::scheduleReconnect()
{
    m_phase = Phase::Reconnecting;
    const double base
        = double(m_options.reconnectInitialDelay.count()) * std::pow(2.0, std::min(m_reconnectAttempt, 16));
    const double capped = std::min(base, double(m_options.reconnectMaxDelay.count()));
    const double jitter = 0.75 + 0.5 * QRandomGenerator::global()->generateDouble(); // +-25%
    ++m_reconnectAttempt;
    m_reconnectTimer.start(int(capped * jitter));
}

void SshSessionWorker::enqueue(const SshRequest& request)
{
    // Before open() requests wait for the login; after close() or a declined reconnect nothing will run them.
    if (m_phase == Phase::Failed || (m_phase == Phase::Idle && m_closed)) {
        m_queue.push_back(request);
        failAll(u"not connected: " % sshStateName(m_state), false, true);
        return;
    }
    m_queue.push_back(request);
    if (m_phase == Phase::Connected)
        pump();
}

void SshSessionWorker::startQueued()
{
    while (m_phase == Phase::Connected && !m_queue.empty()) {
        const SshRequest& next = m_queue.front();
        if (next.kind == SshRequest::Kind::Command) {
            if (int(m_execs.size()) >= m_options.maxConcurrentCommands)
                return;
            auto exec = std::make_unique<Exec>();
            exec->request = next;
            m_queue.pop_front();
            exec->started.start();
            exec->channel.reset(ssh_channel_new(m_session.get()));
            // A line no login script prints: output before it (banners from .bashrc) is dropped.
            exec->marker = "TUNEDECK-BEGIN-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
            m_execs.push_back(std::move(exec));
            continue;
        }
        SshRequest request = next;
        m_queue.pop_front();
        runSftp(request);
        if (!m_session)
            return; // the connection dropped during the SFTP call
    }
    driveExecs();
}

void SshSessionWorker::driveExecs()
{
    char buffer[16384];
    for (size_t i = 0; i < m_execs.size();) {
        Exec& exec = *m_execs[i];
        ssh_channel ch = exec.channel.get();
        SshCommandResult result;
        bool done = false;
        if (!ch) {
            result.error = u"cannot open a channel: " % sessionError();
            done = true;
        }
        if (!done && exec.step == Exec::Step::Open) {
            const int rc = ssh_channel_open_session(ch);
            if (rc == SSH_OK)
                exec.step = Exec::Step::Request;
            else if (rc != SSH_AGAIN && sessionAlive() && m_execs.size() > 1) {
                // The server refused one more session (sshd's MaxSessions is per connection): wait for
                // one of the others to finish and try again.
                m_options.maxConcurrentCommands = std::max(1, int(m_execs.size()) - 1);
                m_queue.push_front(exec.request);
                m_execs.erase(m_execs.begin() + qsizetype(i));
                continue;
            } else if (rc != SSH_AGAIN) {
                result.error = u"cannot open a channel: " % sessionError();
                done = true;
            }
        }
        if (!done && exec.step == Exec::Step::Request) {
            const QByteArray quotedMarker = '\'' + exec.marker + '\'';
            const QByteArray command = "printf '%s\\n' " + quotedMarker + "; printf '%s\\n' " + quotedMarker + " >&2; "
                + exec.request.command.toUtf8();
            const int rc = ssh_channel_request_exec(ch, command.constData());
            if (rc == SSH_OK) {
                ssh_channel_send_eof(ch);
                exec.step = Exec::Step::Read;
            } else if (rc != SSH_AGAIN) {
                result.error = u"cannot start the command: " % sessionError();
                done = true;
            }
        }
        if (!done && exec.step == Exec::Step::Read) {
            // Look at EOF before draining: reading processes packets, so data can arrive during the
            // reads; once EOF was seen first, what the reads return is all there is.
            const bool endSeen = ssh_channel_is_eof(ch) || ssh_channel_is_closed(ch);
            for (int stream = 0; stream < 2 && !done; ++stream) {
                for (;;) {
                    const int n = ssh_channel_read_nonblocking(ch, buffer, sizeof buffer, stream);
                    if (n > 0) {
                        (stream ? exec.err : exec.out).append(buffer, n);
                        continue;
                    }
                    if (n < 0 && n != SSH_EOF && !endSeen) {
                        result.error = u"reading the command's output failed: " % sessionError();
                        done = true;
                    }
                    break;
                }
            }
            if (!done && endSeen) {
                const int status = ssh_channel_get_exit_status(ch);
                if (status >= 0 || ssh_channel_is_closed(ch)) {
                    result.started = true;
                    result.exitStatus = status;
                    if (status < 0)
                        result.error = QStringLiteral("the command ended without an exit status (killed by a signal?)");
                    done = true;
                }
            }
        }
        if (!done && exec.started.elapsed() > m_options.commandTimeout.count()) {
            result.error = u"the command did not finish within "
                % QString::number(m_options.commandTimeout.count() / 1000) % u" s";
            done = true;
        }
        if (!done && !sessionAlive()) {
            ++i;
            continue; // pump() notices the dead session and fails everything
        }
        if (done) {
            finishExec(exec, std::move(result));
            m_execs.erase(m_execs.begin() + qsizetype(i));
            continue;
        }
        ++i;
    }
}

void SshSessionWorker::finishExec(Exec& exec, SshCommandResult result)
{
    result.standardOutput = stripThroughMarker(exec.out, exec.marker);
    result.standardError = stripThroughMarker(exec.err, exec.marker);
    Q_EMIT commandFinished(exec.request.id, result);
}

void SshSessionWorker::failAll(const QString& error, bool connectionLost, bool includeQueued)
{
    auto failOne = [this, &error, connectionLost](const SshRequest& request) {
        switch (request.kind) {
        case SshRequest::Kind::Command: {
            SshCommandResult result;
            result.error = error;
            result.connectionLost = connectionLost;
            Q_EMIT commandFinished(request.id, result);
            break;
        }
        case SshRequest::Kind::Stat: {
            SftpStatResult result { request.path, {}, error, connectionLost };
            Q_EMIT statFinished(request.id, result);
            break;
        }
        case SshRequest::Kind::Read: {
            SftpReadResult result;
            result.path = request.path;
            result.offset = request.offset;
            result.error = error;
            result.connectionLost = connectionLost;
            Q_EMIT readFinished(request.id, result);
            break;
        }
        case SshRequest::Kind::Upload: {
            SftpUploadResult result;
            result.directory = request.path;
            result.error = error;
            result.connectionLost = connectionLost;
            Q_EMIT uploadFinished(request.id, result);
            break;
        }
        }
    };
    std::vector<std::unique_ptr<Exec>> execs;
    execs.swap(m_execs);
    for (const auto& exec : execs)
        failOne(exec->request);
    if (includeQueued) {
        std::deque<SshRequest> queue;
        queue.swap(m_queue);
        for (const SshRequest& request : queue)
            failOne(request);
    }
}

void SshSessionWorker::keepaliveTick()
{
    if (m_phase != Phase::Connected || !m_session)
        return;
    noteActivityIfPending();
    const qint64 silentMs = m_activityClock.elapsed();
    if (silentMs >= m_options.deadAfter().count()) {
        connectionLost(u"no reply from the server for " % QString::number(silentMs / 1000.0, 'f', 1) % u" s ("
            % QString::number(m_options.keepaliveCountMax) % u" keepalives missed)");
        return;
    }
    if (silentMs >= m_options.keepaliveInterval.count()) {
        // ssh_send_keepalive sends keepalive@openssh.com with want-reply set, so a live server must answer
        // (RFC 4254 section 4). While a previous one is unanswered libssh only polls; the first call
        // collects an answer that arrived, the second then sends a fresh request.
        ssh_send_keepalive(m_session.get());
        ssh_send_keepalive(m_session.get());
        updateNotifiers();
    }
    if (!sessionAlive())
        connectionLost(sessionError().isEmpty() ? QStringLiteral("the server closed the connection") : sessionError());
}

bool SshSessionWorker::ensureSftp(QString* error)
{
    if (m_sftp)
        return true;
    SshHandles::Sftp sftp(sftp_new(m_session.get()));
    if (!sftp || sftp_init(sftp.get()) != SSH_OK) {
        *error = u"cannot start SFTP: " % sessionError();
        return false;
    }
    m_sftp = std::move(sftp);
    return true;
}

namespace {

SftpFileInfo infoFrom(sftp_attributes attributes)
{
    SftpFileInfo info;
    if (!attributes)
        return info;
    info.exists = true;
    info.size = qint64(attributes->size);
    info.permissions = attributes->permissions;
    info.modified
        = QDateTime::fromSecsSinceEpoch(qint64(attributes->mtime64 ? attributes->mtime64 : attributes->mtime), Qt::UTC);
    return info;
}

QString sftpErrorText(sftp_session sftp, ssh_session session)
{
    const int code = sftp ? sftp_get_error(sftp) : 0;
    switch (code) {
    case SSH_FX_NO_SUCH_FILE:
        return QStringLiteral("no such file");
    case SSH_FX_PERMISSION_DENIED:
        return QStringLiteral("permission denied");
    case SSH_FX_FILE_ALREADY_EXISTS:
        return QStringLiteral("file already exists");
    default:
        break;
    }
    const QString text = QString::fromUtf8(ssh_get_error(session));
    return text.isEmpty() ? u"SFTP error " % QString::number(code) : text;
}

} // namespace

void SshSessionWorker::runSftp(const SshRequest& request)
{
    ssh_session s = m_session.get();
    // libssh 0.10's SFTP calls wait for their replies; run them blocking (in this thread only) and let
    // the caller's watchdog cut the socket if the network goes silent meanwhile.
    ssh_set_blocking(s, 1);
    m_watchdog->blockingSinceMs = QDateTime::currentMSecsSinceEpoch();
    QString error;
    const QByteArray path = request.path.toUtf8();
    const bool haveSftp = ensureSftp(&error);
    sftp_session sftp = m_sftp.get();

    switch (request.kind) {
    case SshRequest::Kind::Stat: {
        SftpStatResult result;
        result.path = request.path;
        if (haveSftp) {
            SshHandles::SftpAttributes attributes(sftp_stat(sftp, path.constData()));
            if (attributes)
                result.info = infoFrom(attributes.get());
            else if (sftp_get_error(sftp) != SSH_FX_NO_SUCH_FILE)
                result.error = sftpErrorText(sftp, s);
        } else {
            result.error = error;
        }
        result.connectionLost = !result.error.isEmpty() && !sessionAlive();
        m_watchdog->blockingSinceMs = 0;
        ssh_set_blocking(s, 0);
        Q_EMIT statFinished(request.id, result);
        break;
    }
    case SshRequest::Kind::Read: {
        SftpReadResult result;
        result.path = request.path;
        result.offset = request.offset;
        SshHandles::SftpFile file(haveSftp ? sftp_open(sftp, path.constData(), O_RDONLY, 0) : nullptr);
        if (!file) {
            result.error = haveSftp ? sftpErrorText(sftp, s) : error;
        } else {
            SshHandles::SftpAttributes attributes(sftp_fstat(file.get()));
            result.info = infoFrom(attributes.get());
            const qint64 end = std::min(request.offset + request.length,
                result.info.exists ? result.info.size : request.offset + request.length);
            if (sftp_seek64(file.get(), quint64(request.offset)) != 0) {
                result.error = sftpErrorText(sftp, s);
            } else {
                // Keep several reads in flight: one synchronous read per round trip is what makes a
                // large backlog slow over a long link (libssh's sftp_async_read_begin/sftp_async_read).
                std::deque<std::pair<int, qint64>> inFlight; // request id, size asked
                qint64 issued = request.offset;
                bool eof = false;
                auto issue = [&]() {
                    while (!eof && int(inFlight.size()) < kReadsInFlight && issued < end) {
                        const qint64 size = std::min<qint64>(kReadChunk, end - issued);
                        const int id = sftp_async_read_begin(file.get(), uint32_t(size));
                        if (id < 0) {
                            eof = true;
                            result.error = sftpErrorText(sftp, s);
                            return;
                        }
                        inFlight.emplace_back(id, size);
                        issued += size;
                    }
                };
                issue();
                QByteArray chunk;
                while (!inFlight.empty()) {
                    const auto [id, size] = inFlight.front();
                    inFlight.pop_front();
                    chunk.resize(size);
                    const int n = sftp_async_read(file.get(), chunk.data(), uint32_t(size), uint32_t(id));
                    // Progress, not the whole call, is what the watchdog times: a big backlog on a slow
                    // link may take longer than the dead-link window.
                    m_watchdog->blockingSinceMs = QDateTime::currentMSecsSinceEpoch();
                    if (n < 0) {
                        if (result.error.isEmpty())
                            result.error = sftpErrorText(sftp, s);
                        eof = true;
                    } else if (!eof) {
                        result.data.append(chunk.constData(), n);
                        if (n < size)
                            eof = true; // the file ended (or shrank) here: later replies are beyond it
                    }
                    if (!sessionAlive())
                        break;
                    issue();
                }
            }
        }
        result.connectionLost = !result.error.isEmpty() && !sessionAlive();
        file.reset();
        m_watchdog->blockingSinceMs = 0;
        ssh_set_blocking(s, 0);
        Q_EMIT readFinished(request.id, result);
        break;
    }
    case SshRequest::Kind::Upload: {
        SftpUploadResult result;
        result.directory = request.path;
        if (!haveSftp) {
            result.error = error;
        } else if (!request.path.startsWith(u'/')) {
            result.error = u"the remote directory must be an absolute path: " % request.path;
        } else {
            // mkdir -p, one component at a time; an existing directory is fine.
            const QStringList parts = request.path.split(u'/', Qt::SkipEmptyParts);
            QString prefix;
            for (const QString& part : parts) {
                prefix += u'/' % part;
                const QByteArray dir = prefix.toUtf8();
                SshHandles::SftpAttributes attributes(sftp_stat(sftp, dir.constData()));
                if (attributes)
                    continue;
                if (sftp_mkdir(sftp, dir.constData(), 0755) != 0) {
                    result.error = u"cannot create " % prefix % u": " % sftpErrorText(sftp, s);
                    break;
                }
            }
            for (const SftpUploadFile& upload : request.files) {
                if (!result.error.isEmpty())
                    break;
                if (upload.name.isEmpty() || upload.name.contains(u'/')) {
                    result.error = u"invalid file name: " % upload.name;
                    break;
                }
                const QString finalPath = request.path % u'/' % upload.name;
                // Upload under a temporary name, then rename: nobody sees a half-written file.
                const QString tempPath = request.path % u"/." % upload.name % u".tunedeck-"
                    % QString::number(QRandomGenerator::global()->generate(), 16);
                const QByteArray temp = tempPath.toUtf8();
                SshHandles::SftpFile file(
                    sftp_open(sftp, temp.constData(), O_WRONLY | O_CREAT | O_EXCL, mode_t(upload.permissions)));
                if (!file) {
                    result.error = u"cannot create " % tempPath % u": " % sftpErrorText(sftp, s);
                    break;
                }
                qsizetype written = 0;
                while (written < upload.content.size()) {
                    const qsizetype size = std::min<qsizetype>(kReadChunk, upload.content.size() - written);
                    const ssize_t n = sftp_write(file.get(), upload.content.constData() + written, size_t(size));
                    if (n <= 0) {
                        result.error = u"cannot write " % tempPath % u": " % sftpErrorText(sftp, s);
                        break;
                    }
                    written += n;
                    m_watchdog->blockingSinceMs = QDateTime::currentMSecsSinceEpoch();
                }
                const bool closed = sftp_close(file.release()) == 0;
                if (result.error.isEmpty() && !closed)
                    result.error = u"cannot write " % tempPath % u": " % sftpErrorText(sftp, s);
                const QByteArray target = finalPath.toUtf8();
                if (result.error.isEmpty() && sftp_rename(sftp, temp.constData(), target.constData()) != 0) {
                    // SFTP v3 rename refuses an existing target and libssh 0.10 has no posix-rename call:
                    // replace by unlink + rename (readers may briefly see no file, never half a file).
                    SshHandles::SftpAttributes existing(sftp_stat(sftp, target.constData()));
                    if (!existing || sftp_unlink(sftp, target.constData()) != 0
                        || sftp_rename(sftp, temp.constData(), target.constData()) != 0)
                        result.error
                            = u"cannot rename " % tempPath % u" to " % finalPath % u": " % sftpErrorText(sftp, s);
                }
                if (!result.error.isEmpty()) {
                    sftp_unlink(sftp, temp.constData());
                    break;
                }
                result.written.append(finalPath);
            }
        }
        result.connectionLost = !result.error.isEmpty() && !sessionAlive();
        m_watchdog->blockingSinceMs = 0;
        ssh_set_blocking(s, 0);
        Q_EMIT uploadFinished(request.id, result);
        break;
    }
    case SshRequest::Kind::Command:
        break;
    }
    m_watchdog->blockingSinceMs = 0;
    if (m_session)
        ssh_set_blocking(s, 0);
    if (!sessionAlive()) {
        connectionLost(sessionError().isEmpty() ? QStringLiteral("the connection broke during an SFTP operation")
                                                : sessionError());
        return;
    }
    // The SFTP replies were server activity; a failed SFTP start was not (with a silent network it fails
    // at once, and counting it as activity kept the keepalive check from ever noticing the drop).
    if (haveSftp)
        m_activityClock.restart();
}

} // namespace TuneDeck
