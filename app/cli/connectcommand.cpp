// tunedeck connect PROFILE|HOST: log in (host key and code prompts on the terminal) and print what the
// cluster offers: Slurm version, the user's accounts and QoS, GPU types and features.
#include "app/cli/cli.h"
#include "app/cli/clustercommands.h"
#include "app/cli/commands.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace TuneDeck::Cli {

int runConnect(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Log in to a cluster the way ssh does (~/.ssh/config, ssh-agent, keys, one-time codes; host keys checked "
        "against ~/.ssh/known_hosts) and print what its Slurm offers."));
    parser.addHelpOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("print the probe as JSON"));
    parser.addOption(jsonOption);
    parser.addPositionalArgument(
        QStringLiteral("CLUSTER"), QStringLiteral("a cluster profile name or [user@]host[:port]"));
    if (!parser.parse(QStringList { QStringLiteral("tunedeck connect") } + arguments)) {
        err << "tunedeck connect: " << parser.errorText() << '\n';
        return UsageOrInvalid;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        out << parser.helpText();
        return Success;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "tunedeck connect: give one cluster profile or host\n";
        return UsageOrInvalid;
    }
    ClusterSession session(err);
    if (!session.resolve(parser.positionalArguments().front()))
        return UsageOrInvalid;
    if (!session.connect())
        return Failure;
    err << "Connected to " << session.options().target.displayName() << '\n';

    std::optional<SlurmProbe> probe;
    SlurmClient* client = session.client();
    QObject::connect(
        client, &SlurmClient::probeFinished, client, [&probe](quint64, const SlurmProbe& p) { probe = p; });
    client->probe();
    waitUntil([&probe]() { return probe.has_value(); }, 120000);
    if (!probe || !probe->ok()) {
        err << "tunedeck connect: " << (probe ? probe->error : QStringLiteral("no answer from the cluster")) << '\n';
        return Failure;
    }
    if (parser.isSet(jsonOption)) {
        QJsonArray associations;
        for (const SlurmAssociation& association : probe->associations)
            associations.append(QJsonObject { { QStringLiteral("account"), association.account },
                { QStringLiteral("qos"), QJsonArray::fromStringList(association.qos) } });
        const QJsonObject object { { QStringLiteral("host"), session.options().target.host },
            { QStringLiteral("port"), session.options().target.port }, { QStringLiteral("user"), probe->user },
            { QStringLiteral("slurm_version"), probe->slurmVersion }, { QStringLiteral("associations"), associations },
            { QStringLiteral("gpu_types"), QJsonArray::fromStringList(probe->gpuTypes) },
            { QStringLiteral("features"), QJsonArray::fromStringList(probe->features) } };
        out << QJsonDocument(object).toJson(QJsonDocument::Indented);
        return Success;
    }
    out << "Slurm " << probe->slurmVersion << " on " << session.options().target.host << ", user " << probe->user
        << '\n';
    out << "Accounts and QoS:\n";
    for (const SlurmAssociation& association : probe->associations)
        out << "  " << association.account << ": " << association.qos.join(QStringLiteral(", ")) << '\n';
    out << "GPU types: " << probe->gpuTypes.join(QStringLiteral(", ")) << '\n';
    out << "Features: " << probe->features.join(QStringLiteral(", ")) << '\n';
    return Success;
}

} // namespace TuneDeck::Cli
