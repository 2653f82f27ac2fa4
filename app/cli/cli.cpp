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
        << "Without a command, or with 'gui [SPEC.yaml]', the desktop application starts.\n\nCommands:\n"
        << "  " << QStringLiteral("gui").leftJustified(10) << " open the window, optionally with a job spec\n";
    for (const Command& command : commands())
        out << "  " << QLatin1StringView(command.name).toString().leftJustified(10) << ' '
            << QLatin1StringView(command.summary) << '\n';
    out << "\nRun 'tunedeck COMMAND --help' for the options of a command.\n"
        << "  --help     show this help\n  --version  show the version\n";
}

} // namespace

// Only an empty command line and `gui [FILE]` start the window. Everything else is a command line for
// run(), which answers a misspelt command with a usage error: `tunedeck submt` on a login node must say
// so and exit 2, not try to open a window (and abort without a display).
bool isCliInvocation(const QStringList& arguments)
{
    if (arguments.size() < 2)
        return false;
    if (arguments.at(1) != u"gui")
        return true;
    // `gui` takes at most one job spec and no options; anything else is a usage error from run().
    return arguments.size() > 3 || (arguments.size() == 3 && arguments.at(2).startsWith(u'-'));
}

QString guiSpecFile(const QStringList& arguments)
{
    return arguments.size() == 3 && arguments.at(1) == u"gui" ? arguments.at(2) : QString();
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
    if (arguments.at(1) == u"gui") {
        // Only reached when isCliInvocation() refused the arguments as a GUI start.
        if (arguments.size() >= 3 && (arguments.at(2) == u"--help" || arguments.at(2) == u"-h")) {
            out << "Usage: tunedeck gui [SPEC.yaml]\n\nOpens the window; a job spec given loads into the job "
                   "designer.\n";
            return Success;
        }
        err << "tunedeck gui: expected at most one job spec file, got '" << arguments.mid(2).join(u' ')
            << "'; see 'tunedeck gui --help'\n";
        return UsageOrInvalid;
    }
    const Command* command = findCommand(arguments.at(1));
    if (!command) {
        err << "tunedeck: unknown command '" << arguments.at(1) << "'; see 'tunedeck --help'\n";
        return UsageOrInvalid;
    }
    return command->run(arguments.mid(2));
}

} // namespace TuneDeck::Cli
