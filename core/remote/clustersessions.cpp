#include "core/remote/clustersessions.h"

#include "core/job/profileregistry.h"
#include "core/ssh/sshconnectionpool.h"

namespace TuneDeck {

ClusterSessions::ClusterSessions(QObject* parent)
    : QObject(parent)
    , m_pool(std::make_unique<SshConnectionPool>())
    , m_userProfilesFolder(ProfileRegistry::userProfilesFolder())
    , m_context(currentSshConfigContext())
{ }

ClusterSessions::~ClusterSessions()
{
    m_sessions.clear(); // before the pool: their SlurmClients use its connections
}

ClusterSession* ClusterSessions::session(const QString& clusterName)
{
    if (ClusterSession* existing = find(clusterName))
        return existing;
    auto created = std::make_unique<ClusterSession>(
        clusterName, [this](const QString& name) { return resolve(name); }, m_pool.get());
    ClusterSession* session = created.get();
    m_sessions.push_back(std::move(created));
    Q_EMIT sessionAdded(session);
    return session;
}

ClusterSession* ClusterSessions::find(const QString& clusterName) const
{
    for (const std::unique_ptr<ClusterSession>& session : m_sessions)
        if (session->name() == clusterName)
            return session.get();
    return nullptr;
}

QList<ClusterSession*> ClusterSessions::sessions() const
{
    QList<ClusterSession*> list;
    for (const std::unique_ptr<ClusterSession>& session : m_sessions)
        list.append(session.get());
    return list;
}

QString ClusterSessions::sshConfigFile() const
{
    return m_sshConfigFile.isEmpty() ? m_context.homeDir + QStringLiteral("/.ssh/config") : m_sshConfigFile;
}

ClusterAddress ClusterSessions::resolve(const QString& name) const
{
    const ProfileRegistry registry(m_userProfilesFolder);
    ClusterAddress address = resolveClusterAddress(name, registry, m_context, sshConfigFile());
    if (address.ok() && m_adjust)
        m_adjust(address.options);
    return address;
}

} // namespace TuneDeck
