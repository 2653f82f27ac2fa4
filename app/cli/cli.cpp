#include "app/cli/cli.h"

#include "app/cli/commands.h"

#include <QTextStream>

namespace TuneDeck::Cli {
namespace {

const Command* findCommand(const QString& name)
{
    for (const Command& command : commands()) {
        if (name == QLatin1StringView(command.name))
            return &command;
    }
    return nullptr;
}

void printHelp(QTextStream& out)
{
    out << "Usage: tunedeck [COMMAND] [OPTIONS]\n\n"
        << "Without a command the desktop application starts.\n\nCommands:\n";
    for (const Command& command : commands())
        out << "  " << QLatin1StringView(command.name).toString().leftJustified(10) << ' '
            << QLatin1StringView(command.summary) << '\n';
    out << "\nRun 'tunedeck COMMAND --help' for the options of a command.\n"
        << "  --help     show this help\n  --version  show the version\n";
}

} // namespace

bool isCliInvocation(const QStringList& arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString& first = arguments.at(1);
    return first == u"--help" || first == u"-h" || first == u"--version" || findCommand(first) != nullptr;
}

int run(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (arguments.size() < 2 || arguments.at(1) == u"--help" || arguments.at(1) == u"-h") {
        printHelp(out);
        return Success;
    }
    if (arguments.at(1) == u"--version") {
        out << "tunedeck " << TUNEDECK_VERSION << '\n';
        return Success;
    }
    const Command* command = findCommand(arguments.at(1));
    if (!command) {
        err << "tunedeck: unknown command '" << arguments.at(1) << "'; see 'tunedeck --help'\n";
        return UsageOrInvalid;
    }
    return command->run(arguments.mid(2));
}

} // namespace TuneDeck::Cli
