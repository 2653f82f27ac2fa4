#include "core/remote/clustersession.h"

#include "core/ssh/sshconnectionpool.h"

namespace TuneDeck {

ClusterSession::ClusterSession(const QString& name, Resolver resolver, SshConnectionPool* pool, QObject* parent)
    : QObject(parent)
    , m_name(name)
    , m_resolver(std::move(resolver))
    , m_pool(pool)
{
    resolve();
}

ClusterSession::~ClusterSession()
{
    for (const QMetaObject::Connection& link : std::as_const(m_links))
        disconnect(link);
    m_client.reset();
}

QString ClusterSession::displayName() const
{
    if (m_address.profile && !m_address.profile->displayName.isEmpty())
        return m_address.profile->displayName;
    return m_name;
}

void ClusterSession::resolve()
{
    m_address = m_resolver ? m_resolver(m_name) : ClusterAddress {};
    if (!m_resolver)
        m_address.error = tr("no way to resolve '%1'").arg(m_name);
}

SshState ClusterSession::sshState() const
{
    return m_connection ? m_connection->state() : SshState::Disconnected;
}

QString ClusterSession::stateText() const
{
    const QString where = m_address.ok() ? m_address.options.target.displayName() : m_name;
    switch (m_state) {
    case State::Disconnected:
        return m_error.isEmpty() ? tr("Not connected") : tr("Not connected: %1").arg(m_error);
    case State::Connecting:
        switch (sshState()) {
        case SshState::Authenticating:
            return tr("Logging in to %1…").arg(where);
        case SshState::Reconnecting:
            return tr("Connection lost; reconnecting to %1…").arg(where);
        case SshState::WaitingForReconnect:
            return tr("Connection lost; reconnect to %1?").arg(where);
        default:
            return tr("Connecting to %1…").arg(where);
        }
    case State::Connected:
        return tr("Connected to %1").arg(where);
    case State::Failed:
        return tr("Failed: %1").arg(m_error);
    }
    return {};
}

void ClusterSession::connectToCluster()
{
    if (m_state == State::Connecting || m_state == State::Connected)
        return;
    resolve(); // an edited profile or ~/.ssh/config counts from the next attempt on
    m_refusedHostKey.reset();
    m_error.clear();
    for (const QString& warning : std::as_const(m_address.warnings))
        Q_EMIT warningIssued(warning);
    if (!m_address.ok()) {
        m_error = m_address.error;
        setState(State::Failed);
        return;
    }
    if (!m_pool) {
        m_error = tr("no connection pool");
        setState(State::Failed);
        return;
    }
    SshConnection* connection = m_pool->connectionFor(m_address.options);
    if (connection != m_connection)
        attach(connection);
    setState(State::Connecting);
    connection->open();
}

void ClusterSession::attach(SshConnection* connection)
{
    for (const QMetaObject::Connection& link : std::as_const(m_links))
        disconnect(link);
    m_links.clear();
    m_connection = connection;
    m_client = std::make_unique<SlurmClient>(connection);
    m_links.append(connect(connection, &SshConnection::stateChanged, this, &ClusterSession::onSshStateChanged));
    m_links.append(connect(connection, &SshConnection::promptRequested, this, &ClusterSession::promptRequested));
    m_links.append(connect(connection, &SshConnection::warningIssued, this, &ClusterSession::warningIssued));
    m_links.append(connect(connection, &SshConnection::hostKeyRefused, this, [this](const HostKeyInfo& info) {
        m_refusedHostKey = info;
        Q_EMIT hostKeyRefused(info);
    }));
    m_links.append(
        connect(m_client.get(), &SlurmClient::probeFinished, this, [this](quint64 id, const SlurmProbe& probe) {
            if (id != m_probeId)
                return;
            m_probeId = 0;
            m_probe = probe;
            Q_EMIT probeFinished(probe);
        }));
}

void ClusterSession::disconnectFromCluster()
{
    if (m_connection)
        m_connection->close();
    m_probeId = 0;
    setState(State::Disconnected);
}

void ClusterSession::refreshProbe()
{
    if (!m_client || m_probeId != 0)
        return;
    m_probeId = m_client->probe();
}

void ClusterSession::answerPrompt(const SshPromptAnswer& answer)
{
    if (m_connection) {
        m_connection->answerPrompt(answer);
    } else {
        SshPromptAnswer dropped = answer;
        wipeSecrets(dropped.answers);
    }
}

void ClusterSession::onSshStateChanged(SshState state, const QString& message)
{
    m_sshMessage = message;
    switch (state) {
    case SshState::Connected:
        m_error.clear();
        setState(State::Connected);
        if (m_autoProbe)
            refreshProbe();
        return;
    case SshState::Connecting:
    case SshState::Authenticating:
    case SshState::Reconnecting:
    case SshState::WaitingForReconnect:
        if (m_state == State::Connecting)
            Q_EMIT stateChanged(m_state); // the finer state changed: the text did too
        else
            setState(State::Connecting);
        return;
    case SshState::Failed:
        m_error = message.isEmpty() ? tr("the login failed") : message;
        m_probeId = 0;
        setState(State::Failed);
        return;
    case SshState::Disconnected:
        // "closed" is our own close(); anything else is the server or the network.
        m_error = message == u"closed" ? QString() : message;
        m_probeId = 0;
        setState(State::Disconnected);
        return;
    }
}

void ClusterSession::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

QString clusterSessionStateName(ClusterSession::State state)
{
    switch (state) {
    case ClusterSession::State::Disconnected:
        return QStringLiteral("disconnected");
    case ClusterSession::State::Connecting:
        return QStringLiteral("connecting");
    case ClusterSession::State::Connected:
        return QStringLiteral("connected");
    case ClusterSession::State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

} // namespace TuneDeck
