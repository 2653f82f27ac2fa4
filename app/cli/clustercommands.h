#pragma once

// Shared by `tunedeck connect`, `submit`, `jobs` and `cancel`: finding the login target of a cluster,
// logging in with the prompts answered on the terminal, and waiting for results without a GUI.

#include "core/job/clusterprofile.h"
#include "core/remote/slurmclient.h"
#include "core/ssh/sshconnection.h"

#include <QTextStream>

#include <memory>
#include <optional>

namespace TuneDeck::Cli {

// Answers SshConnection's prompts on the terminal: questions and secrets are read from stdin, with
// echo off for secrets when stdin is a terminal; when it is not (scripts, tests), one line per answer.
// End of input declines.
class TerminalPrompter
{
public:
    TerminalPrompter(SshConnection* connection, QTextStream& err);

private:
    void answer(const SshPrompt& prompt);

    SshConnection* m_connection;
    QTextStream& m_err;
};

class ClusterSession
{
public:
    explicit ClusterSession(QTextStream& err);
    ~ClusterSession();

    // `name`: a cluster profile (its login host goes through ~/.ssh/config like any host) or an SSH
    // host/alias, optionally user@host:port. Prints ~/.ssh/config warnings. False with a message on err.
    bool resolve(const QString& name);
    // Logs in (prompts on the terminal); false when it failed (the reason is printed).
    bool connect();

    const std::optional<ClusterProfile>& profile() const { return m_profile; }
    const SshConnectionOptions& options() const { return m_options; }
    SshConnection* connection() const { return m_connection.get(); }
    SlurmClient* client() const { return m_client.get(); }
    // `id -u` on the login node (not a scheduler query), to say "cancelled by you".
    std::optional<qint64> remoteUid();

private:
    QTextStream& m_err;
    std::optional<ClusterProfile> m_profile;
    SshConnectionOptions m_options;
    std::unique_ptr<SshConnection> m_connection;
    std::unique_ptr<TerminalPrompter> m_prompter;
    std::unique_ptr<SlurmClient> m_client;
};

// Runs the event loop until `done` returns true or timeoutMs passes; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs);

} // namespace TuneDeck::Cli
