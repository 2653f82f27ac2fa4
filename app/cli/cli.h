#pragma once

#include <QStringList>

namespace TuneDeck::Cli {

// Exit codes shared by every subcommand.
enum ExitCode : int {
    Success = 0,
    Failure = 1, // the operation ran and failed (remote error, job failed, ...)
    UsageOrInvalid = 2, // bad arguments, invalid input, unreadable file: nothing was written
};

// True when argv asks for a headless subcommand (or --help/--version) rather than the GUI.
bool isCliInvocation(const QStringList& arguments);

// Runs the subcommand named by arguments[1]; arguments[0] is the program name.
// Needs a QCoreApplication (or a subclass) to exist.
int run(const QStringList& arguments);

} // namespace TuneDeck::Cli
