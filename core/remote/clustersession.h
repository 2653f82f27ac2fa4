#pragma once

#include "core/job/clusterprofile.h"
#include "core/remote/clusteraddress.h"
#include "core/remote/slurmclient.h"
#include "core/ssh/hostkeypolicy.h"
#include "core/ssh/sshconnection.h"
#include "core/util/coreonly.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace TuneDeck {

class SshConnectionPool;

// One cluster as the user sees it: a name (profile, ~/.ssh/config alias or user@host[:port]), its
// login, and once logged in a SlurmClient and what the probe learnt (accounts, QoS, GPU types,
// features). The SSH session itself comes from the SshConnectionPool, so everything that talks to the
// cluster (probe, submit, tracker, followers) shares one login and one one-time code.
//
// Never blocks: connectToCluster() returns at once; the state arrives through stateChanged(). Questions
// for a human (host key, code, passphrase, password, reconnect?) come out as promptRequested() and go
// back through answerPrompt(), whenever the answer is ready; the CLI answers on the terminal, the
// window with dialogs (ui/sshprompthandler.h). Created by ClusterSessions; QtCore only.
class ClusterSession : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Disconnected, // not connected yet, closed, or not reconnected after a drop
        Connecting, // TCP, host key, authentication, automatic reconnect, or "reconnect?" asked
        Connected,
        Failed, // the name did not resolve, the host key was refused, login failed: stateText() says why
    };
    Q_ENUM(State)

    using Resolver = std::function<ClusterAddress(const QString& name)>;

    // `resolver` turns the name into a login each time a connection is started (so an edited profile or
    // ~/.ssh/config is picked up without a restart); the first resolution happens here.
    ClusterSession(const QString& name, Resolver resolver, SshConnectionPool* pool, QObject* parent = nullptr);
    ~ClusterSession() override;

    QString name() const { return m_name; }
    // The profile's display name, else the name.
    QString displayName() const;
    const ClusterAddress& address() const { return m_address; }
    // Set when the name is a cluster profile (the job wizard and `submit` need it).
    const std::optional<ClusterProfile>& profile() const { return m_address.profile; }
    const SshConnectionOptions& options() const { return m_address.options; }

    State state() const { return m_state; }
    // For people: "Not connected", "Connecting to researcher@127.0.0.1:2222…", "Connected to …",
    // "Failed: <why>". Goes through tr().
    QString stateText() const;
    // The finer state of the SSH connection underneath (authenticating, reconnecting, ...).
    SshState sshState() const;
    // Why the last attempt failed or ended, as core/ssh reports it; empty while all is well.
    QString errorMessage() const { return m_error; }
    // Set when the last attempt was refused because the server's host key differs from the one on
    // record (Changed, OtherType): both fingerprints and the known_hosts file. There is no way to
    // connect anyway (STYLE.md item 12).
    const std::optional<HostKeyInfo>& refusedHostKey() const { return m_refusedHostKey; }

    // Null before the first connectToCluster() (the connection and its thread are made on demand).
    SshConnection* connection() const { return m_connection; }
    SlurmClient* client() const { return m_client.get(); }

    // The last probe result (nullopt: none yet). The probe runs by itself after each login unless
    // autoProbe is off (the CLI's submit/jobs/cancel need no probe and save the scheduler the queries).
    const std::optional<SlurmProbe>& probe() const { return m_probe; }
    bool isProbing() const { return m_probeId != 0; }
    bool autoProbe() const { return m_autoProbe; }
    void setAutoProbe(bool on) { m_autoProbe = on; }

public Q_SLOTS:
    // Resolves the name again (unless connected or connecting) and opens the login. No-op while
    // connecting or connected.
    void connectToCluster();
    // Closes the login; also cancels one in progress (a pending prompt is dropped).
    void disconnectFromCluster();
    // Runs the probe now (after the login, when not connected yet). The result: probeFinished().
    void refreshProbe();
    // The reply to a promptRequested() with the same id. The answers are secrets: the SSH thread wipes
    // them after use (and the copies share the buffer; see wipeSecret()).
    void answerPrompt(const TuneDeck::SshPromptAnswer& answer);

Q_SIGNALS:
    void stateChanged(TuneDeck::ClusterSession::State state);
    void promptRequested(const TuneDeck::SshPrompt& prompt);
    // The host key differs from the one on record; the state is Failed right after.
    void hostKeyRefused(const TuneDeck::HostKeyInfo& info);
    void probeFinished(const TuneDeck::SlurmProbe& probe);
    // ~/.ssh/config options not honoured, a key that could not be decrypted, ...
    void warningIssued(const QString& message);

private:
    void resolve();
    void attach(SshConnection* connection);
    void onSshStateChanged(SshState state, const QString& message);
    void setState(State state);

    QString m_name;
    Resolver m_resolver;
    QPointer<SshConnectionPool> m_pool;
    ClusterAddress m_address;
    QPointer<SshConnection> m_connection; // owned by the pool
    std::unique_ptr<SlurmClient> m_client;
    QList<QMetaObject::Connection> m_links;
    State m_state = State::Disconnected;
    QString m_error;
    QString m_sshMessage;
    std::optional<HostKeyInfo> m_refusedHostKey;
    std::optional<SlurmProbe> m_probe;
    quint64 m_probeId = 0;
    bool m_autoProbe = true;
};

QString clusterSessionStateName(ClusterSession::State state);

} // namespace TuneDeck
