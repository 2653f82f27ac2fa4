#pragma once

#include "core/ssh/sshconnectionoptions.h"
#include "core/ssh/sshprompt.h"
#include "core/ssh/sshresults.h"

#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>

namespace TuneDeck {

class SshSessionWorker;
struct SshWatchdogState;

// One SSH login to one cluster, carrying every channel: exec commands and SFTP share the session, so a
// one-time code is typed once per session, not once per command.
//
// The libssh session lives in a private thread, non-blocking, woken by a QSocketNotifier on its socket
// (STYLE.md item 7, libssh doc/threading.dox: one session, one thread). This object lives in the
// caller's thread and never blocks it: requests return an id at once and are posted to the SSH thread;
// results come back as the typed *Finished signals with that id. Requests made before the login
// completes wait for it. Questions for a human (host key, passphrase, one-time code, reconnect?) arrive
// as promptRequested; reply with answerPrompt, whenever the answer is ready. No nested event loop.
class SshConnection : public QObject
{
    Q_OBJECT
public:
    explicit SshConnection(const SshConnectionOptions& options, QObject* parent = nullptr);
    ~SshConnection() override;

    const SshConnectionOptions& options() const { return m_options; }
    SshState state() const { return m_state; }
    QString stateMessage() const { return m_stateMessage; }
    int reconnectCount() const { return m_reconnects; }

    void open();
    void close();
    void answerPrompt(const TuneDeck::SshPromptAnswer& answer);

    // `command` runs through the remote login shell. It must be built by TuneDeck: user values in it
    // go through remotecommand.h (validated and single-quoted).
    quint64 runCommand(const QString& command);
    quint64 stat(const QString& path);
    // Reads up to maxBytes from offset (several SFTP reads in flight).
    quint64 read(const QString& path, qint64 offset, qint64 maxBytes);
    // mkdir -p `directory`, then each file written to a temporary name and renamed into place.
    quint64 upload(const QString& directory, const QList<TuneDeck::SftpUploadFile>& files);

Q_SIGNALS:
    void stateChanged(TuneDeck::SshState state, const QString& message);
    void promptRequested(const TuneDeck::SshPrompt& prompt);
    void warningIssued(const QString& message);
    // The server's key differs from the one on record (Changed, OtherType) or the record is unreadable;
    // the state turns Failed right after, with the same facts in its message. Never connects anyway.
    void hostKeyRefused(const TuneDeck::HostKeyInfo& info);
    void commandFinished(quint64 id, const TuneDeck::SshCommandResult& result);
    void statFinished(quint64 id, const TuneDeck::SftpStatResult& result);
    void readFinished(quint64 id, const TuneDeck::SftpReadResult& result);
    void uploadFinished(quint64 id, const TuneDeck::SftpUploadResult& result);

private:
    template<typename Function> void post(Function function);
    void checkWatchdog();

    SshConnectionOptions m_options;
    QThread m_thread;
    SshSessionWorker* m_worker = nullptr; // lives in m_thread, deleted there
    std::shared_ptr<SshWatchdogState> m_watchdog;
    QTimer m_watchdogTimer;
    quint64 m_nextId = 0;
    SshState m_state = SshState::Disconnected;
    QString m_stateMessage;
    int m_reconnects = 0;
    bool m_wasConnected = false;
};

} // namespace TuneDeck
