// tunedeck import: existing sbatch scripts, accelerate configs and LLaMA-Factory YAMLs in, one job spec out.
#include "app/cli/cli.h"
#include "app/cli/commands.h"

#include "core/job/importresult.h"
#include "core/job/jobspecio.h"
#include "core/job/jobvalidator.h"
#include "core/job/profileregistry.h"
#include "core/util/atomicfiles.h"
#include "core/util/inputfile.h"
#include "core/util/terminaltext.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace TuneDeck::Cli {

int runImport(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Turns existing job files into a TuneDeck job spec: an sbatch script, accelerate configs and "
                       "LLaMA-Factory training YAMLs, in any order (the kind is read from each file's content). "
                       "Prints what could not be carried over as file:line: notes."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("files to import"), QStringLiteral("FILE..."));
    const QCommandLineOption saveSpecOption(QStringLiteral("save-spec"),
        QStringLiteral("where to write the job spec (default: print it)"), QStringLiteral("FILE"));
    const QCommandLineOption profileOption(QStringLiteral("profile"),
        QStringLiteral("cluster profile the job is for (default: baskerville)"), QStringLiteral("NAME"));
    parser.addOptions({ saveSpecOption, profileOption });

    QStringList argv = arguments;
    argv.prepend(QStringLiteral("tunedeck import"));
    if (!parser.parse(argv)) {
        err << "tunedeck import: " << terminalSafe(parser.errorText()) << '\n';
        return UsageOrInvalid;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        out << parser.helpText();
        return Success;
    }
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty()) {
        err << "tunedeck import: give at least one file to import\n";
        return UsageOrInvalid;
    }

    // The output is checked before any work: never onto one of the files being imported, a device, a FIFO
    // or a symlink.
    if (parser.isSet(saveSpecOption)) {
        if (const QString problem = checkOutputPaths({ parser.value(saveSpecOption) }, paths); !problem.isEmpty()) {
            err << "tunedeck import: --save-spec " << terminalSafe(problem) << "; nothing written\n";
            return UsageOrInvalid;
        }
    }

    const QString profileName
        = parser.isSet(profileOption) ? parser.value(profileOption) : QStringLiteral("baskerville");
    const ProfileLookup found = ProfileRegistry().lookup(profileName);
    for (const QString& warning : found.warnings)
        err << "warning: " << terminalSafe(warning) << '\n';
    for (const QString& error : found.errors)
        err << terminalSafe(error) << '\n';
    if (!found.profile)
        return UsageOrInvalid;
    const ClusterProfile* const profile = &*found.profile;

    QList<QPair<QString, QByteArray>> inputs;
    bool unreadable = false;
    for (const QString& path : paths) {
        const InputFile file = readInputFile(path, InputLimit::ImportedFile, QStringLiteral("an imported file"));
        if (!file.ok()) {
            err << terminalSafe(file.error) << '\n';
            unreadable = true;
            continue;
        }
        inputs.append({ path, file.bytes });
    }
    if (unreadable)
        return UsageOrInvalid;

    for (const auto& [path, bytes] : std::as_const(inputs)) {
        if (const ImportKind kind = detectImportKind(bytes); kind != ImportKind::Unknown)
            err << terminalSafe(path) << ": read as " << importKindName(kind) << '\n';
    }
    const ImportResult result = importJobFiles(inputs, *profile);
    // Every message goes to stderr, so `import ... > spec.yaml` gives a spec that reads back.
    for (const ImportMessage& note : result.notes)
        err << terminalSafe(note.toString()) << '\n';
    if (!result.ok()) {
        for (const ImportMessage& error : result.errors)
            err << terminalSafe(error.toString()) << '\n';
        err << "tunedeck import: nothing written\n";
        return UsageOrInvalid;
    }
    // The spec is saved even when it does not validate yet (an imported script often lacks what TuneDeck
    // needs, such as the project path); the findings say what to fill in before rendering. They are
    // warnings of the import, which succeeded: exit 2 and `error:` mean nothing was written.
    for (const Diagnostic& diagnostic : validateJob(result.spec, *profile)) {
        if (diagnostic.severity == Severity::Warning)
            err << terminalSafe(formatDiagnostic(diagnostic)) << '\n';
        else if (diagnostic.severity == Severity::Error)
            err << "warning: " << terminalSafe(diagnostic.field) << ": " << terminalSafe(diagnostic.message)
                << " (render refuses the spec until this is fixed)\n";
    }
    const QByteArray yaml = saveJobSpecToYaml(result.spec);
    if (!parser.isSet(saveSpecOption)) {
        out << QString::fromUtf8(yaml);
        return Success;
    }
    const QString target = parser.value(saveSpecOption);
    if (const QString problem = writeFilesAtomically({ { target, yaml } }, paths); !problem.isEmpty()) {
        err << "tunedeck import: " << terminalSafe(problem) << '\n';
        return Failure;
    }
    out << "wrote " << terminalSafe(target) << '\n';
    return Success;
}

} // namespace TuneDeck::Cli
