#pragma once

#include "core/job/clusterprofile.h"
#include "core/ssh/sshconfig.h"
#include "core/ssh/sshconnectionoptions.h"
#include "core/util/coreonly.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace TuneDeck {

class ProfileRegistry;

// Where a cluster name leads: the SSH login (after ~/.ssh/config) and, when the name is a profile, the
// profile. One resolution for the CLI and the window, so "baskerville" means the same login in both.
struct ClusterAddress
{
    QString name; // as given
    std::optional<ClusterProfile> profile; // set when `name` is a cluster profile
    SshConnectionOptions options;
    QStringList warnings; // ~/.ssh/config options TuneDeck does not honour, with file:line
    QString error; // non-empty: no login can be made from this name (the message says why)

    bool ok() const { return error.isEmpty(); }
};

// Resolves a cluster name, as `tunedeck connect NAME` takes it:
//   - a cluster profile (bundled or the user's): its login host goes through ~/.ssh/config like any
//     host, and the profile's port and user fill in what the config leaves at its defaults;
//   - otherwise an ~/.ssh/config alias or a host, optionally user@host[:port].
// `sshConfigFile` empty: `context.homeDir`/.ssh/config.
ClusterAddress resolveClusterAddress(const QString& name, const ProfileRegistry& registry,
    const SshConfigContext& context = currentSshConfigContext(), const QString& sshConfigFile = QString());

} // namespace TuneDeck
