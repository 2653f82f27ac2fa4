// tunedeck render: job design in (spec file and/or sbatch-style options), three files out.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/profilelookup.h"

#include "core/job/generators.h"
#include "core/job/jobrenderer.h"
#include "core/job/jobspecfields.h"
#include "core/job/jobspecio.h"
#include "core/job/profiledefaults.h"
#include "core/util/atomicfiles.h"

#include <QCommandLineParser>
#include <QDir>
#include <QTextStream>

namespace TuneDeck::Cli {
namespace {

// Every field of the table with an option name becomes `--OPTION VALUE` (names follow sbatch's where
// sbatch has one); the table's bounds and choices check the value.
QCommandLineOption fieldOption(const JobSpecField& field)
{
    QString description = fieldHelp(field);
    if (!field.choices.isEmpty())
        description += u" (" + field.choices.join(u", ") + u')';
    return QCommandLineOption(QString::fromLatin1(field.option), description, QString::fromLatin1(field.valueName));
}

} // namespace

int runRender(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Writes DIR/job.sbatch, DIR/accelerate.yaml and DIR/train.yaml for a job design and prints the "
                       "diagnostics. Options override the values of --spec; option names follow sbatch's."));
    parser.addHelpOption();
    const QCommandLineOption specOption(
        QStringLiteral("spec"), QStringLiteral("job spec YAML to start from"), QStringLiteral("FILE"));
    const QCommandLineOption outOption(
        QStringLiteral("out"), QStringLiteral("folder to write the three files to"), QStringLiteral("DIR"));
    const QCommandLineOption saveSpecOption(
        QStringLiteral("save-spec"), QStringLiteral("also write the resulting job spec"), QStringLiteral("FILE"));
    const ProfileOptions profileOptions;
    parser.addOptions({ specOption, outOption, saveSpecOption });
    profileOptions.addTo(parser);
    for (const JobSpecField& field : jobSpecFields()) {
        if (field.option)
            parser.addOption(fieldOption(field));
    }

    QStringList argv = arguments;
    argv.prepend(QStringLiteral("tunedeck render"));
    if (!parser.parse(argv)) {
        err << "tunedeck render: " << parser.errorText() << '\n';
        return UsageOrInvalid;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        out << parser.helpText();
        return Success;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "tunedeck render: unexpected argument '" << parser.positionalArguments().constFirst() << "'\n";
        return UsageOrInvalid;
    }
    if (!parser.isSet(outOption) && !parser.isSet(saveSpecOption)) {
        err << "tunedeck render: --out DIR is required (or --save-spec FILE)\n";
        return UsageOrInvalid;
    }
    // An empty --out (a shell variable that was not set) would write into the current folder.
    if (parser.isSet(outOption) && parser.value(outOption).trimmed().isEmpty()) {
        err << "tunedeck render: --out needs a folder name (use --out . for the current folder)\n";
        return UsageOrInvalid;
    }
    if (parser.isSet(saveSpecOption) && parser.value(saveSpecOption).trimmed().isEmpty()) {
        err << "tunedeck render: --save-spec needs a file name\n";
        return UsageOrInvalid;
    }

    JobSpec spec;
    if (parser.isSet(specOption)) {
        const JobSpecLoadResult loaded = loadJobSpecFromFile(parser.value(specOption));
        if (!loaded.ok()) {
            for (const QString& error : loaded.errors)
                err << error << '\n';
            return UsageOrInvalid;
        }
        spec = loaded.spec;
    }
    bool optionErrors = false;
    for (const JobSpecField& field : jobSpecFields()) {
        const QString name = field.option ? QString::fromLatin1(field.option) : QString();
        if (name.isEmpty() || !parser.isSet(name))
            continue;
        if (const QString problem = setFieldFromText(spec, field, parser.value(name)); !problem.isEmpty()) {
            err << "--" << name << ": " << problem << '\n';
            optionErrors = true;
        }
    }
    if (optionErrors)
        return UsageOrInvalid;

    const std::optional<ClusterProfile> profile = profileOptions.resolve(parser, spec.profile, err);
    if (!profile)
        return UsageOrInvalid;
    spec.profile = profile->name;
    spec = withProfileDefaults(spec, *profile);

    const RenderedJob job = renderJob(spec, *profile);
    if (job.hasErrors()) {
        for (const Diagnostic& d : job.diagnostics)
            if (d.severity == Severity::Error)
                err << d.field << ": " << d.message << '\n';
        return UsageOrInvalid;
    }
    // Messages on stderr, results (the files written) on stdout.
    for (const Diagnostic& d : job.diagnostics)
        err << formatDiagnostic(d) << '\n';

    QList<FileContent> files;
    if (parser.isSet(outOption)) {
        const QDir dir(parser.value(outOption));
        files.append({ dir.filePath(QString::fromLatin1(SbatchFileName)), job.sbatchScript });
        files.append({ dir.filePath(QString::fromLatin1(AccelerateFileName)), job.accelerateYaml });
        files.append({ dir.filePath(QString::fromLatin1(TrainFileName)), job.trainYaml });
    }
    if (parser.isSet(saveSpecOption))
        files.append({ parser.value(saveSpecOption), saveJobSpecToYaml(spec) });
    if (const QString problem = writeFilesAtomically(files); !problem.isEmpty()) {
        err << "tunedeck render: " << problem << '\n';
        return Failure;
    }
    for (const FileContent& file : std::as_const(files))
        out << "wrote " << file.path << '\n';
    return Success;
}

} // namespace TuneDeck::Cli
