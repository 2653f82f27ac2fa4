#pragma once

#include "core/remote/clustersession.h"
#include "core/ssh/sshconfig.h"
#include "core/util/coreonly.h"

#include <QList>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace TuneDeck {

class SshConnectionPool;

// Every cluster session of the process, by cluster name, created on demand. The window has one (the
// Clusters page, the status bar, the wizard's Submit and the Jobs page all reach a cluster through it);
// each CLI command makes one for its cluster. All sessions share one SshConnectionPool, so two names
// for the same login (a profile and the ~/.ssh/config alias of its host) share one SSH session.
class ClusterSessions : public QObject
{
    Q_OBJECT
public:
    explicit ClusterSessions(QObject* parent = nullptr);
    ~ClusterSessions() override;

    // The session for `clusterName`, created (resolved, not connected) on first use; never null.
    ClusterSession* session(const QString& clusterName);
    // nullptr when there is no session of that name yet.
    ClusterSession* find(const QString& clusterName) const;
    // In the order they were created.
    QList<ClusterSession*> sessions() const;
    SshConnectionPool* pool() const { return m_pool.get(); }

    // Where names are looked up. Defaults: ProfileRegistry::userProfilesFolder(), the process's $HOME
    // and login name, <home>/.ssh/config. Tests point them at temporary folders. Affect later
    // resolutions (every connectToCluster() resolves again).
    QString userProfilesFolder() const { return m_userProfilesFolder; }
    void setUserProfilesFolder(const QString& folder) { m_userProfilesFolder = folder; }
    const SshConfigContext& sshConfigContext() const { return m_context; }
    void setSshConfigContext(const SshConfigContext& context) { m_context = context; }
    QString sshConfigFile() const; // the file read: the set one, or <home>/.ssh/config
    void setSshConfigFile(const QString& path) { m_sshConfigFile = path; }
    // Applied to every resolved login before it reaches the pool (tests: shorter timeouts, an agent
    // switched off).
    void setOptionsAdjuster(std::function<void(SshConnectionOptions&)> adjust) { m_adjust = std::move(adjust); }

    // What `name` resolves to now, with the settings above.
    ClusterAddress resolve(const QString& name) const;

Q_SIGNALS:
    void sessionAdded(TuneDeck::ClusterSession* session);

private:
    // The pool is declared first so it outlives the sessions, whose SlurmClients use its connections.
    std::unique_ptr<SshConnectionPool> m_pool;
    std::vector<std::unique_ptr<ClusterSession>> m_sessions;
    QString m_userProfilesFolder;
    SshConfigContext m_context;
    QString m_sshConfigFile;
    std::function<void(SshConnectionOptions&)> m_adjust;
};

} // namespace TuneDeck
