#include "core/ssh/sshconnectionpool.h"

namespace TuneDeck {

SshConnectionPool::SshConnectionPool(QObject* parent)
    : QObject(parent)
{ }

SshConnectionPool::~SshConnectionPool() = default;

SshConnection* SshConnectionPool::find(const SshTarget& target) const
{
    for (const auto& connection : m_connections)
        if (connection->options().target == target)
            return connection.get();
    return nullptr;
}

SshConnection* SshConnectionPool::connectionFor(const SshConnectionOptions& options)
{
    if (SshConnection* existing = find(options.target))
        return existing;
    m_connections.push_back(std::make_unique<SshConnection>(options));
    return m_connections.back().get();
}

void SshConnectionPool::remove(const SshTarget& target)
{
    std::erase_if(m_connections, [&target](const auto& connection) { return connection->options().target == target; });
}

} // namespace TuneDeck
