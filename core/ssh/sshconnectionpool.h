#pragma once

#include "core/ssh/sshconnection.h"

#include <QObject>

#include <memory>
#include <vector>

namespace TuneDeck {

// One SshConnection per login target (STYLE.md item 15: SshTarget is the pool key), so the job
// tracker, the file followers and the forms of one cluster share one session and one one-time code.
class SshConnectionPool : public QObject
{
    Q_OBJECT
public:
    explicit SshConnectionPool(QObject* parent = nullptr);
    ~SshConnectionPool() override;

    // The connection for options.target, created (not opened) on first use; later calls with an equal
    // target return the same object and ignore the other options.
    SshConnection* connectionFor(const SshConnectionOptions& options);
    SshConnection* find(const SshTarget& target) const;
    void remove(const SshTarget& target);
    int size() const { return int(m_connections.size()); }

private:
    std::vector<std::unique_ptr<SshConnection>> m_connections;
};

} // namespace TuneDeck
