#pragma once

#include "core/util/coreonly.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace TuneDeck {

class ClusterSessions;

// One cluster the user can pick on the Clusters page.
struct ClusterEntry
{
    enum class Source { BundledProfile, UserProfile, SshConfig };
    QString name; // what ClusterSessions::session() takes: a profile name or an ~/.ssh/config alias
    QString title; // the profile's display name, else the name
    Source source = Source::SshConfig;
    QString login; // user@host:port after ~/.ssh/config, or the reason it cannot be resolved
    QString sourceFile; // the profile file or the ssh config
    bool resolves = true;
};

// The bundled profiles, the user's profile files and the hosts of ~/.ssh/config (those not already a
// profile's login host alias), resolved with the sessions' settings so "login" says where Connect goes.
QList<ClusterEntry> listClusters(const ClusterSessions& sessions, QStringList* profileErrors = nullptr);

QString clusterSourceName(ClusterEntry::Source source);

} // namespace TuneDeck
