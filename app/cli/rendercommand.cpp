// tunedeck render: job design in (spec file and/or sbatch-style options), three files out.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/profilelookup.h"

#include "core/job/generators.h"
#include "core/job/jobrenderer.h"
#include "core/job/jobspecio.h"
#include "core/job/profiledefaults.h"
#include "core/util/atomicfiles.h"

#include <QCommandLineParser>
#include <QDir>
#include <QTextStream>

#include <functional>

namespace TuneDeck::Cli {
namespace {

// One option that overrides a spec field. Names follow sbatch's where sbatch has one.
struct FieldOption
{
    const char* name;
    const char* valueName;
    const char* description;
    std::function<QString(JobSpec&, const QString&)> apply; // returns an error message or empty
};

QString setInt(int& field, const QString& value, int min, int max)
{
    bool ok = false;
    const int number = value.toInt(&ok);
    if (!ok || number < min || number > max)
        return QStringLiteral("expected a whole number from %1 to %2, got '%3'").arg(min).arg(max).arg(value);
    field = number;
    return {};
}

QString setDouble(double& field, const QString& value)
{
    bool ok = false;
    const double number = value.toDouble(&ok);
    if (!ok || number < 0)
        return QStringLiteral("expected a number, got '%1'").arg(value);
    field = number;
    return {};
}

QString setBool(bool& field, const QString& value)
{
    if (value == u"true" || value == u"yes" || value == u"1") {
        field = true;
        return {};
    }
    if (value == u"false" || value == u"no" || value == u"0") {
        field = false;
        return {};
    }
    return QStringLiteral("expected true or false, got '%1'").arg(value);
}

const QList<FieldOption>& fieldOptions()
{
    static const QList<FieldOption> options {
        { "account", "A", "Slurm account (project code)",
            [](JobSpec& s, const QString& v) {
                s.slurm.account = v;
                return QString();
            } },
        { "qos", "QOS", "Slurm QoS",
            [](JobSpec& s, const QString& v) {
                s.slurm.qos = v;
                return QString();
            } },
        { "partition", "P", "Slurm partition",
            [](JobSpec& s, const QString& v) {
                s.slurm.partition = v;
                return QString();
            } },
        { "job-name", "NAME", "job name",
            [](JobSpec& s, const QString& v) {
                s.slurm.jobName = v;
                return QString();
            } },
        { "time", "T", "time limit (sbatch --time format)",
            [](JobSpec& s, const QString& v) {
                s.slurm.time = v;
                return QString();
            } },
        { "nodes", "N", "number of nodes",
            [](JobSpec& s, const QString& v) { return setInt(s.slurm.nodes, v, 1, 100000); } },
        { "gpu-type", "TYPE", "GPU type of the cluster profile (e.g. a100_40, a100_80)",
            [](JobSpec& s, const QString& v) {
                s.slurm.gpuType = v;
                return QString();
            } },
        { "gpus-per-node", "N", "GPUs per node",
            [](JobSpec& s, const QString& v) { return setInt(s.slurm.gpusPerNode, v, 1, 64); } },
        { "mem", "SIZE", "memory per node (sbatch --mem format)",
            [](JobSpec& s, const QString& v) {
                s.slurm.mem = v;
                return QString();
            } },
        { "cpus-per-task", "N", "CPUs per task",
            [](JobSpec& s, const QString& v) { return setInt(s.slurm.cpusPerTask, v, 0, 4096); } },
        { "project-path", "PATH", "the project's shared folder on the cluster",
            [](JobSpec& s, const QString& v) {
                s.environment.projectPath = v;
                return QString();
            } },
        { "run-dir", "PATH", "run directory on the cluster (default <project>/tunedeck/runs/<job name>)",
            [](JobSpec& s, const QString& v) {
                s.environment.runDir = v;
                return QString();
            } },
        { "llama-factory-dir", "PATH", "LLaMA-Factory checkout on the cluster",
            [](JobSpec& s, const QString& v) {
                s.environment.llamaFactoryDir = v;
                return QString();
            } },
        { "venv", "PATH", "Python virtual environment on the cluster",
            [](JobSpec& s, const QString& v) {
                s.environment.venv = v;
                return QString();
            } },
        { "model", "ID", "Hugging Face model id or path",
            [](JobSpec& s, const QString& v) {
                s.training.model = v;
                return QString();
            } },
        { "method", "M", "lora, qlora or full",
            [](JobSpec& s, const QString& v) {
                if (v == u"lora")
                    s.training.method = FinetuningMethod::Lora;
                else if (v == u"qlora")
                    s.training.method = FinetuningMethod::Qlora;
                else if (v == u"full")
                    s.training.method = FinetuningMethod::Full;
                else
                    return QStringLiteral("expected lora, qlora or full, got '%1'").arg(v);
                return QString();
            } },
        { "dataset", "NAMES", "LLaMA-Factory dataset names, comma-separated",
            [](JobSpec& s, const QString& v) {
                s.training.dataset = v;
                return QString();
            } },
        { "dataset-examples", "N", "examples in the dataset (for the step count)",
            [](JobSpec& s, const QString& v) { return setInt(s.training.datasetExamples, v, 0, 2000000000); } },
        { "template", "NAME", "LLaMA-Factory chat template",
            [](JobSpec& s, const QString& v) {
                s.training.templateName = v;
                return QString();
            } },
        { "epochs", "E", "training epochs",
            [](JobSpec& s, const QString& v) { return setDouble(s.training.epochs, v); } },
        { "per-device-batch", "N", "per-device batch size",
            [](JobSpec& s, const QString& v) { return setInt(s.training.perDeviceBatch, v, 1, 1 << 20); } },
        { "gradient-accumulation", "N", "gradient accumulation steps",
            [](JobSpec& s, const QString& v) { return setInt(s.training.gradientAccumulation, v, 1, 1 << 20); } },
        { "cutoff-len", "N", "cutoff length in tokens",
            [](JobSpec& s, const QString& v) { return setInt(s.training.cutoffLen, v, 1, 1 << 24); } },
        { "learning-rate", "LR", "learning rate (e.g. 1.0e-4)",
            [](JobSpec& s, const QString& v) {
                s.training.learningRate = v;
                return QString();
            } },
        { "save-steps", "N", "checkpoint every N steps",
            [](JobSpec& s, const QString& v) { return setInt(s.training.saveSteps, v, 1, 1 << 30); } },
        { "logging-steps", "N", "log every N steps",
            [](JobSpec& s, const QString& v) { return setInt(s.training.loggingSteps, v, 1, 1 << 30); } },
        { "expected-sec-per-step", "S", "seconds per step seen in an earlier run (for time-limit checks)",
            [](JobSpec& s, const QString& v) { return setDouble(s.training.expectedSecondsPerStep, v); } },
        { "fsdp-version", "V", "FSDP version, 1 or 2",
            [](JobSpec& s, const QString& v) { return setInt(s.fsdp.version, v, 1, 2); } },
        { "port", "PORT", "rank 0's port (0: derived from the job id)",
            [](JobSpec& s, const QString& v) { return setInt(s.launch.port, v, 0, 65535); } },
        { "resume", "BOOL", "requeue before the time limit and resume from the last checkpoint",
            [](JobSpec& s, const QString& v) { return setBool(s.resume.enabled, v); } },
    };
    return options;
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
    for (const FieldOption& option : fieldOptions())
        parser.addOption(QCommandLineOption(QString::fromLatin1(option.name), QString::fromLatin1(option.description),
            QString::fromLatin1(option.valueName)));

    QStringList argv = arguments;
    argv.prepend(QStringLiteral("tunedeck render"));
    if (!parser.parse(argv)) {
        err << "tunedeck render: " << parser.errorText() << '\n';
        return UsageOrInvalid;
    }
    if (parser.isSet(QStringLiteral("help"))) {
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
    for (const FieldOption& option : fieldOptions()) {
        const QString name = QString::fromLatin1(option.name);
        if (!parser.isSet(name))
            continue;
        if (const QString problem = option.apply(spec, parser.value(name)); !problem.isEmpty()) {
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
    for (const Diagnostic& d : job.diagnostics)
        out << formatDiagnostic(d) << '\n';

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
