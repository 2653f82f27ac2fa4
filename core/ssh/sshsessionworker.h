#pragma once

// Private to core/ssh: the object that owns the libssh session, living in SshConnection's thread.

#include "core/ssh/sshconnectionoptions.h"
#include "core/ssh/sshhandles.h"
#include "core/ssh/sshprompt.h"
#include "core/ssh/sshresults.h"

#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace TuneDeck {

// Shared with the SshConnection in the caller's thread. libssh 0.10's SFTP calls are synchronous, so
// the worker runs them with the session blocking; if the network goes silent during one, the caller's
// watchdog shuts the socket down (shutdown(2) is safe from another thread), which makes libssh fail
// the call instead of waiting for TCP to give up.
struct SshWatchdogState
{
    std::atomic<int> fd { -1 };
    // When the blocking call started or last made progress (QDateTime::currentMSecsSinceEpoch()); 0: none.
    std::atomic<qint64> blockingSinceMs { 0 };
};

struct SshRequest
{
    enum class Kind { Command, Stat, Read, Upload };
    quint64 id = 0;
    Kind kind = Kind::Command;
    QString command; // Command
    QString path; // Stat, Read; Upload: the directory
    qint64 offset = 0; // Read
    qint64 length = 0; // Read: at most this many bytes
    QList<SftpUploadFile> files; // Upload
};

class SshSessionWorker : public QObject
{
    Q_OBJECT
public:
    SshSessionWorker(const SshConnectionOptions& options, std::shared_ptr<SshWatchdogState> watchdog);
    ~SshSessionWorker() override;

    // All called in the worker's thread (SshConnection posts them with queued invocations).
    void open();
    void close();
    void answer(SshPromptAnswer answer);
    void enqueue(const SshRequest& request);

Q_SIGNALS:
    void stateChanged(TuneDeck::SshState state, const QString& message);
    void promptRequested(const TuneDeck::SshPrompt& prompt);
    void warningIssued(const QString& message);
    void hostKeyRefused(const TuneDeck::HostKeyInfo& info);
    void commandFinished(quint64 id, const TuneDeck::SshCommandResult& result);
    void statFinished(quint64 id, const TuneDeck::SftpStatResult& result);
    void readFinished(quint64 id, const TuneDeck::SftpReadResult& result);
    void uploadFinished(quint64 id, const TuneDeck::SftpUploadResult& result);

private:
    enum class Phase {
        Idle,
        Connecting,
        WaitingHostKeyAnswer,
        AuthNone,
        AuthAgent,
        AuthKeyOffer, // ssh_userauth_try_publickey: would the server take this key?
        WaitingPassphrase,
        AuthKeySign,
        AuthKbdint,
        WaitingKbdintAnswer,
        AuthPassword,
        WaitingPassword,
        Connected,
        Reconnecting,
        WaitingReconnectAnswer,
        Failed,
    };

    struct Exec
    {
        SshRequest request;
        SshHandles::Channel channel;
        enum class Step { Open, Request, Read } step = Step::Open;
        QByteArray marker;
        QByteArray out;
        QByteArray err;
        QElapsedTimer started;
    };

    struct KeyCandidate
    {
        QString path;
        SshHandles::Key publicKey;
    };

    void startSession();
    void pump();
    void onReadable();
    void updateNotifiers();
    void stepConnect();
    void checkHostKey();
    void stepAuth();
    void nextAuthMethod();
    void prepareKeyCandidates();
    bool loadPrivateKey(const QByteArray* passphrase);
    void authSucceeded();
    void fail(const QString& message);
    void connectionLost(const QString& reason);
    void scheduleReconnect();
    void teardownSession();
    void setState(SshState state, const QString& message = QString());
    quint64 ask(SshPrompt prompt);

    void startQueued();
    void driveExecs();
    void finishExec(Exec& exec, SshCommandResult result);
    void failAll(const QString& error, bool connectionLost, bool includeQueued);
    void runSftp(const SshRequest& request);
    bool ensureSftp(QString* error);
    void keepaliveTick();
    void noteActivityIfPending();
    bool sessionAlive() const;
    QString sessionError() const;

    SshConnectionOptions m_options;
    std::shared_ptr<SshWatchdogState> m_watchdog;
    SshHandles::Session m_session;
    SshHandles::Sftp m_sftp;
    // Polls the session's socket when no channel call would (an idle session still receives keepalive
    // replies and server global requests that must be read).
    SshHandles::Event m_event;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
    QTimer m_pumpTimer;
    QTimer m_keepaliveTimer;
    QTimer m_reconnectTimer;
    QElapsedTimer m_phaseClock;
    QElapsedTimer m_activityClock; // restarted whenever the server sent something

    Phase m_phase = Phase::Idle;
    SshState m_state = SshState::Disconnected;
    bool m_pumping = false;

    // Authentication bookkeeping for one login attempt.
    int m_methods = 0;
    bool m_agentTried = false;
    bool m_kbdintTried = false;
    bool m_passwordTried = false;
    bool m_publicKeyDone = false; // a key was accepted (possibly with partial success)
    int m_kbdintAnsweredRounds = 0;
    int m_passphraseAttempts = 0;
    std::vector<KeyCandidate> m_keys;
    size_t m_keyIndex = 0;
    bool m_keysPrepared = false;
    QStringList m_triedMethods;
    // Keys decrypted in this session, kept in memory (like ssh-agent would) so that an automatic
    // reconnect needs no passphrase. Never written anywhere.
    std::map<QString, SshHandles::Key> m_privateKeys;
    bool m_loginNeededHuman = false; // a code or password was typed: reconnects must ask first
    bool m_everConnected = false;
    bool m_closed = false; // closed by the caller or not reconnected: new requests fail at once
    int m_reconnectAttempt = 0;

    quint64 m_promptCounter = 0;
    quint64 m_pendingPromptId = 0;
    SshPrompt::Kind m_pendingPromptKind = SshPrompt::Kind::HostKey;

    std::deque<SshRequest> m_queue;
    std::vector<std::unique_ptr<Exec>> m_execs;
};

} // namespace TuneDeck
