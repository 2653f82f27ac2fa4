#pragma once

#include <QStringList>
#include <span>

namespace TuneDeck::Cli {

// One headless subcommand. run() receives the arguments after the subcommand name and returns an ExitCode.
struct Command
{
    const char* name;
    const char* summary;
    int (*run)(const QStringList& arguments);
};

std::span<const Command> commands();

// Subcommand entry points, one file each.
int runRender(const QStringList& arguments);
int runImport(const QStringList& arguments);
int runInspect(const QStringList& arguments);
int runConnect(const QStringList& arguments);
int runSubmit(const QStringList& arguments);
int runJobs(const QStringList& arguments);
int runCancel(const QStringList& arguments);
int runImportRun(const QStringList& arguments);
int runRuns(const QStringList& arguments);
int runCompare(const QStringList& arguments);
int runReport(const QStringList& arguments);
int runRemoveRun(const QStringList& arguments);

} // namespace TuneDeck::Cli
