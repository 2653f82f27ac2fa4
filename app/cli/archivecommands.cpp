// The run archive on the command line (issue 11 part 5): import-run, runs, compare, report, rm-run.
#include "app/cli/cli.h"
#include "app/cli/commands.h"

#include "core/archive/efficiencyreport.h"
#include "core/archive/runarchive.h"
#include "core/archive/runcomparison.h"
#include "core/archive/runfolderimport.h"
#include "core/archive/runloader.h"
#include "core/util/terminaltext.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace TuneDeck::Cli {

using namespace TuneDeck::Archive;

namespace {

const QCommandLineOption& archiveOption()
{
    static const QCommandLineOption option(QStringLiteral("archive"),
        QStringLiteral("the run archive to use (default: %1)").arg(RunArchive::defaultPath()), QStringLiteral("FILE"));
    return option;
}

const QCommandLineOption& jsonOption()
{
    static const QCommandLineOption option(
        QStringLiteral("json"), QStringLiteral("print JSON; unknown values are null"));
    return option;
}

// Parses the common options; returns -1 to go on, else the exit code.
int parse(QCommandLineParser& parser, const QString& command, const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    parser.addHelpOption();
    parser.addOption(archiveOption());
    QStringList argv = arguments;
    argv.prepend(QStringLiteral("tunedeck ") + command);
    if (!parser.parse(argv)) {
        err << "tunedeck " << command << ": " << terminalSafe(parser.errorText()) << '\n';
        return UsageOrInvalid;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return Success;
    }
    return -1;
}

QString openArchive(RunArchive& archive, const QCommandLineParser& parser)
{
    return archive.open(parser.isSet(archiveOption()) ? parser.value(archiveOption()) : RunArchive::defaultPath());
}

void printJson(const QJsonValue& value)
{
    QTextStream out(stdout);
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

QString dateText(const ArchivedRun& run)
{
    if (run.startedMs)
        return QDateTime::fromMSecsSinceEpoch(*run.startedMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    return QDateTime::fromMSecsSinceEpoch(run.archivedMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

// Runs named on the command line, all found or an error for each that is not.
std::optional<QList<ArchivedRun>> findRuns(RunArchive& archive, const QStringList& names, const QString& command)
{
    QTextStream err(stderr);
    QList<ArchivedRun> runs;
    bool ok = true;
    for (const QString& name : names) {
        QString error;
        if (auto run = archive.findRun(name, &error)) {
            runs.append(*run);
        } else {
            err << "tunedeck " << command << ": " << terminalSafe(error) << '\n';
            ok = false;
        }
    }
    return ok ? std::optional(runs) : std::nullopt;
}

} // namespace

int runImportRun(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Adds a run to the archive from files already on disk: a folder (dmon.txt or dmon-<node>.txt, cpu.txt or "
        "vmstat, stdout-<id>.out or slurm-<id>.out, trainer_log.jsonl, the sbatch script and YAMLs) or the files "
        "themselves. All the paths given make one run; importing the same paths again adds nothing."));
    parser.addPositionalArgument(
        QStringLiteral("PATH"), QStringLiteral("run folder or files"), QStringLiteral("PATH..."));
    const QCommandLineOption nameOption(
        QStringLiteral("name"), QStringLiteral("the run's name"), QStringLiteral("NAME"));
    parser.addOption(nameOption);
    if (const int code = parse(parser, QStringLiteral("import-run"), arguments); code >= 0)
        return code;
    if (parser.positionalArguments().isEmpty()) {
        err << "tunedeck import-run: give a run folder or its files\n";
        return UsageOrInvalid;
    }
    RunFolderImport import = readRunFiles(parser.positionalArguments(), parser.value(nameOption));
    for (const QString& note : std::as_const(import.notes))
        err << terminalSafe(note) << '\n';
    if (!import.ok()) {
        for (const QString& error : std::as_const(import.errors))
            err << "error: " << terminalSafe(error) << '\n';
        err << "tunedeck import-run: nothing archived\n";
        return UsageOrInvalid;
    }
    RunArchive archive;
    if (const QString error = openArchive(archive, parser); !error.isEmpty()) {
        err << "tunedeck import-run: " << terminalSafe(error) << '\n';
        return Failure;
    }
    const ArchiveImportResult result = archiveImport(archive, import);
    if (!result.error.isEmpty()) {
        err << "tunedeck import-run: " << terminalSafe(result.error) << "; nothing archived\n";
        return Failure;
    }
    if (result.alreadyArchived) {
        out << "already archived as run " << result.runId << "; nothing added\n";
        return Success;
    }
    const auto summary = RunSummary::fromJson(import.run.summary).value_or(RunSummary {});
    out << "archived run " << result.runId << " '" << terminalSafe(import.run.name) << "': " << import.run.shapeText();
    if (summary.stepsDone)
        out << ", step " << *summary.stepsDone << " of "
            << (summary.totalSteps ? QString::number(*summary.totalSteps) : QStringLiteral("?"));
    if (summary.secondsPerStep)
        out << ", " << formatNumber(summary.secondsPerStep, 2) << " s/step";
    if (!import.run.endedBy.isEmpty())
        out << ", ended by " << import.run.endedBy;
    out << '\n';
    return Success;
}

int runRuns(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lists the archived runs."));
    parser.addOption(jsonOption());
    if (const int code = parse(parser, QStringLiteral("runs"), arguments); code >= 0)
        return code;
    RunArchive archive;
    if (const QString error = openArchive(archive, parser); !error.isEmpty()) {
        err << "tunedeck runs: " << terminalSafe(error) << '\n';
        return Failure;
    }
    QList<ArchivedRun> runs = archive.runs();
    QJsonArray json;
    if (!parser.isSet(jsonOption()))
        out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n")
                   .arg(QStringLiteral("ID"), 4)
                   .arg(QStringLiteral("NAME"), -24)
                   .arg(QStringLiteral("CLUSTER"), -12)
                   .arg(QStringLiteral("SHAPE"), -14)
                   .arg(QStringLiteral("STATE"), -10)
                   .arg(QStringLiteral("STARTED"), -16)
                   .arg(QStringLiteral("S/STEP"), 8)
                   .arg(QStringLiteral("GPU-H"), 7);
    for (ArchivedRun& run : runs) {
        QString error;
        const RunSummary s = runSummary(archive, run, &error);
        if (!error.isEmpty())
            err << "warning: run " << run.id << ": " << terminalSafe(error) << '\n';
        if (parser.isSet(jsonOption())) {
            QJsonObject o = comparisonJson(compareRuns({ run }, { s }))
                                .value(QStringLiteral("runs"))
                                .toArray()
                                .first()
                                .toObject();
            o.insert(QStringLiteral("date"), dateText(run));
            json.append(o);
            continue;
        }
        out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n")
                   .arg(run.id, 4)
                   .arg(terminalSafe(run.name).left(24), -24)
                   .arg(terminalSafe(run.cluster.isEmpty() ? QStringLiteral("–") : run.cluster).left(12), -12)
                   .arg(run.shapeText(), -14)
                   .arg(run.state.isEmpty() ? QStringLiteral("–") : run.state, -10)
                   .arg(dateText(run), -16)
                   .arg(formatNumber(s.secondsPerStep, 1), 8)
                   .arg(formatNumber(s.gpuHours, 1), 7);
    }
    if (parser.isSet(jsonOption()))
        printJson(json);
    return Success;
}

int runCompare(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compares archived runs (by id or name): shape, state, steps, seconds per step, throughput, SM utilisation, "
        "power, GPU memory, GPU-hours per 1 000 steps, queue wait, and the job specs field by field."));
    parser.addPositionalArgument(
        QStringLiteral("RUN"), QStringLiteral("runs to compare"), QStringLiteral("RUN RUN..."));
    parser.addOption(jsonOption());
    const QCommandLineOption differencesOption(
        QStringLiteral("differences"), QStringLiteral("only the rows that differ"));
    parser.addOption(differencesOption);
    if (const int code = parse(parser, QStringLiteral("compare"), arguments); code >= 0)
        return code;
    if (parser.positionalArguments().size() < 2) {
        err << "tunedeck compare: give at least two runs (see 'tunedeck runs')\n";
        return UsageOrInvalid;
    }
    RunArchive archive;
    if (const QString error = openArchive(archive, parser); !error.isEmpty()) {
        err << "tunedeck compare: " << terminalSafe(error) << '\n';
        return Failure;
    }
    auto runs = findRuns(archive, parser.positionalArguments(), QStringLiteral("compare"));
    if (!runs)
        return UsageOrInvalid;
    QList<RunSummary> summaries;
    for (ArchivedRun& run : *runs) {
        QString error;
        summaries.append(runSummary(archive, run, &error));
        if (!error.isEmpty())
            err << "warning: run " << run.id << ": " << terminalSafe(error) << '\n';
    }
    const RunComparison comparison = compareRuns(*runs, summaries);
    if (parser.isSet(jsonOption())) {
        printJson(comparisonJson(comparison));
        return Success;
    }
    // Figures always; spec fields only where they differ (all of them would be ~80 equal rows).
    int labelWidth = 10;
    for (const ComparisonRow& row : comparison.rows)
        labelWidth = std::max(labelWidth, int(row.label.size()));
    out << QString().leftJustified(labelWidth);
    for (const ArchivedRun& r : comparison.runs)
        out << "  " << terminalSafe(QStringLiteral("%1 (%2)").arg(r.name).arg(r.id)).left(22).leftJustified(22);
    out << '\n';
    for (const ComparisonRow& row : comparison.rows) {
        if ((row.isSpecField || parser.isSet(differencesOption)) && !row.differs)
            continue;
        out << row.label.leftJustified(labelWidth);
        for (const QString& text : row.texts)
            out << "  " << terminalSafe(text).left(22).leftJustified(22);
        out << '\n';
    }
    return Success;
}

int runReport(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "What one archived run spent and what to change: time limit against the need, checkpoints, idle GPUs, "
        "memory, what was recorded, GPU-hours."));
    parser.addPositionalArgument(QStringLiteral("RUN"), QStringLiteral("the run (id or name)"));
    parser.addOption(jsonOption());
    if (const int code = parse(parser, QStringLiteral("report"), arguments); code >= 0)
        return code;
    if (parser.positionalArguments().size() != 1) {
        err << "tunedeck report: give one run (see 'tunedeck runs')\n";
        return UsageOrInvalid;
    }
    RunArchive archive;
    if (const QString error = openArchive(archive, parser); !error.isEmpty()) {
        err << "tunedeck report: " << terminalSafe(error) << '\n';
        return Failure;
    }
    auto runs = findRuns(archive, parser.positionalArguments(), QStringLiteral("report"));
    if (!runs)
        return UsageOrInvalid;
    ArchivedRun& run = runs->first();
    QString error;
    const RunSummary summary = runSummary(archive, run, &error);
    if (!error.isEmpty())
        err << "warning: " << terminalSafe(error) << '\n';
    ArchivedRunFigures others; // the other runs of the archive, as shapes to weigh this one against
    for (ArchivedRun& other : archive.runs()) {
        if (other.id != run.id) {
            RunSummary figures = runSummary(archive, other);
            others.append({ std::move(other), std::move(figures) });
        }
    }
    const QList<ReportFinding> findings = efficiencyReport(run, summary, others);
    if (parser.isSet(jsonOption())) {
        printJson(QJsonObject { { QStringLiteral("id"), double(run.id) }, { QStringLiteral("name"), run.name },
            { QStringLiteral("figures"), summary.toJson() }, { QStringLiteral("findings"), reportJson(findings) } });
        return Success;
    }
    out << "Run " << run.id << " '" << terminalSafe(run.name) << "' (" << run.shapeText() << ")\n";
    for (const ReportFinding& f : findings) {
        out << "\n" << f.title << ": " << f.finding << '\n';
        if (!f.suggestion.isEmpty())
            out << "  → " << f.suggestion << '\n';
    }
    return Success;
}

int runRemoveRun(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Removes a run, its files and figures from the archive."));
    parser.addPositionalArgument(QStringLiteral("RUN"), QStringLiteral("the run (id or name)"));
    if (const int code = parse(parser, QStringLiteral("rm-run"), arguments); code >= 0)
        return code;
    if (parser.positionalArguments().size() != 1) {
        err << "tunedeck rm-run: give one run (see 'tunedeck runs')\n";
        return UsageOrInvalid;
    }
    RunArchive archive;
    if (const QString error = openArchive(archive, parser); !error.isEmpty()) {
        err << "tunedeck rm-run: " << terminalSafe(error) << '\n';
        return Failure;
    }
    auto runs = findRuns(archive, parser.positionalArguments(), QStringLiteral("rm-run"));
    if (!runs)
        return UsageOrInvalid;
    if (const QString error = archive.removeRun(runs->first().id); !error.isEmpty()) {
        err << "tunedeck rm-run: " << terminalSafe(error) << '\n';
        return Failure;
    }
    out << "removed run " << runs->first().id << " '" << terminalSafe(runs->first().name) << "'\n";
    return Success;
}

} // namespace TuneDeck::Cli
