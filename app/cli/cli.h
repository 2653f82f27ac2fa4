#pragma once

#include <QStringList>

namespace TuneDeck::Cli {

// Exit codes shared by every subcommand.
enum ExitCode : int {
    Success = 0,
    Failure = 1, // the operation ran and failed (remote error, job failed, ...)
    UsageOrInvalid = 2, // bad arguments, invalid input, unreadable file: nothing was written
};

// False only when argv asks for the window: no arguments, or `gui [FILE]`. Everything else, a misspelt
// command included, goes to run(), which never needs a display.
bool isCliInvocation(const QStringList& arguments);
// The job spec of `tunedeck gui FILE`; empty when none was given.
QString guiSpecFile(const QStringList& arguments);

// Runs the subcommand named by arguments[1]; arguments[0] is the program name.
// Needs a QCoreApplication (or a subclass) to exist.
int run(const QStringList& arguments);

} // namespace TuneDeck::Cli
