#pragma once

#include "core/job/clusterprofile.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QTextStream>

#include <optional>

namespace TuneDeck::Cli {

// --profile NAME / --profile-file FILE, shared by the subcommands that need a cluster profile.
class ProfileOptions
{
public:
    void addTo(QCommandLineParser& parser) const;
    // The profile asked for (or `fallbackName`), with file:line:key messages on err when it is missing
    // or broken.
    std::optional<ClusterProfile> resolve(
        const QCommandLineParser& parser, const QString& fallbackName, QTextStream& err) const;

private:
    QCommandLineOption m_name { QStringLiteral("profile"),
        QStringLiteral("cluster profile name (bundled or in the user profiles folder)"), QStringLiteral("NAME") };
    QCommandLineOption m_file { QStringLiteral("profile-file"), QStringLiteral("cluster profile YAML file"),
        QStringLiteral("FILE") };
};

} // namespace TuneDeck::Cli
