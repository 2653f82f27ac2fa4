#include "core/job/importresult.h"

#include "core/job/accelerateimporter.h"
#include "core/job/sbatchimporter.h"
#include "core/job/trainimporter.h"
#include "core/job/yamlreader.h"

#include <yaml-cpp/yaml.h>

namespace TuneDeck {

QString ImportMessage::toString() const
{
    if (line > 0)
        return file + u':' + QString::number(line) + u": " + text;
    return file + u": " + text;
}

bool ImportResult::claim(
    const QString& field, const QString& file, int line, const QString& previous, const QString& value)
{
    const auto it = origins.constFind(field);
    // Within one file the later setting wins, as in the tools that read it; across files the first wins.
    if (it != origins.constEnd() && it->file != file && previous != value) {
        note(file, line,
            QStringLiteral("%1: this file says '%2' but %3 set '%4'; keeping '%4'")
                .arg(field, value, it->line > 0 ? it->file + u':' + QString::number(it->line) : it->file, previous));
        return false;
    }
    origins.insert(field, { file, line, {} });
    return true;
}

ImportKind detectImportKind(const QByteArray& text)
{
    if (text.contains('\0'))
        return ImportKind::Unknown;
    if (text.startsWith("#!") || text.startsWith("#SBATCH") || text.contains("\n#SBATCH"))
        return ImportKind::SbatchScript;
    static const char* const accelerateKeys[] = { "distributed_type", "compute_environment", "num_processes",
        "num_machines", "fsdp_config", "deepspeed_config", "mixed_precision", "main_training_function", "use_cpu",
        "downcast_bf16", "rdzv_backend" };
    static const char* const trainKeys[] = { "model_name_or_path", "finetuning_type", "stage", "dataset", "template",
        "per_device_train_batch_size", "output_dir", "lora_target", "cutoff_len", "num_train_epochs" };
    int accelerate = 0;
    int train = 0;
    if (const YamlDocument document = loadYamlDocument(text); document.ok()) {
        const YAML::Node& root = document.root;
        if (!root.IsMap())
            return ImportKind::Unknown;
        if (root["tunedeck_job_spec"])
            return ImportKind::Unknown;
        for (const char* key : accelerateKeys)
            accelerate += root[key] ? 1 : 0;
        for (const char* key : trainKeys)
            train += root[key] ? 1 : 0;
    } else {
        // Broken YAML (syntax, duplicate keys, an alias bomb): guess from the text, so the importer can
        // report the problem with its line.
        for (const char* key : accelerateKeys)
            accelerate += text.contains(QByteArray(QByteArray(key) + ':')) ? 1 : 0;
        for (const char* key : trainKeys)
            train += text.contains(QByteArray(QByteArray(key) + ':')) ? 1 : 0;
    }
    if (accelerate == 0 && train == 0)
        return ImportKind::Unknown;
    return accelerate >= train ? ImportKind::AccelerateConfig : ImportKind::TrainConfig;
}

QString importKindName(ImportKind kind)
{
    switch (kind) {
    case ImportKind::SbatchScript:
        return QStringLiteral("sbatch script");
    case ImportKind::AccelerateConfig:
        return QStringLiteral("accelerate config");
    case ImportKind::TrainConfig:
        return QStringLiteral("LLaMA-Factory training YAML");
    case ImportKind::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

ImportResult importJobFiles(const QList<QPair<QString, QByteArray>>& inputs, const ClusterProfile& profile)
{
    ImportResult result;
    result.spec.profile = profile.name;
    // The script decides the Slurm resources, so it goes first; the others are checked against it. The
    // training YAML goes before the accelerate config: HF Trainer's bf16/fp16 override accelerate's
    // mixed_precision, so where they disagree the training YAML's value is the one that ran.
    for (const ImportKind kind : { ImportKind::SbatchScript, ImportKind::TrainConfig, ImportKind::AccelerateConfig }) {
        for (const auto& [name, bytes] : inputs) {
            if (detectImportKind(bytes) != kind)
                continue;
            if (kind == ImportKind::SbatchScript)
                importSbatchScript(bytes, name, profile, result);
            else if (kind == ImportKind::AccelerateConfig)
                importAccelerateConfig(bytes, name, result);
            else
                importTrainConfig(bytes, name, result);
        }
    }
    for (const auto& [name, bytes] : inputs) {
        if (detectImportKind(bytes) == ImportKind::Unknown)
            result.error(
                name, 0, QStringLiteral("not an sbatch script, an accelerate config or a LLaMA-Factory training YAML"));
    }
    finishImport(result, profile);
    return result;
}

void finishImport(ImportResult& result, const ClusterProfile& profile)
{
    JobSpec& spec = result.spec;
    EnvironmentSettings& env = spec.environment;
    const QString runsSuffix = QStringLiteral("/tunedeck/runs/") + jobNameSlug(spec.slurm.jobName);
    const QString checkoutSuffix = QStringLiteral("/llama-factory/LLaMA-Factory");
    if (env.projectPath.isEmpty()) {
        // The walkthrough's layout (and TuneDeck's) puts both folders under the project path.
        QString inferred;
        QString from = QStringLiteral("environment.llama_factory_dir");
        const QString guess = profile.projectPathFor(spec.slurm.account);
        if (env.runDir.endsWith(runsSuffix)) {
            inferred = env.runDir.chopped(runsSuffix.size());
            from = QStringLiteral("environment.run_dir");
        } else if (env.llamaFactoryDir.endsWith(checkoutSuffix)) {
            inferred = env.llamaFactoryDir.chopped(checkoutSuffix.size());
        } else if (!guess.isEmpty() && env.llamaFactoryDir.startsWith(guess + u'/')) {
            inferred = guess;
        }
        const ImportMessage unknown { QStringLiteral("import"), 0, {} };
        if (!inferred.isEmpty()) {
            const ImportMessage origin = result.origins.value(from, unknown);
            env.projectPath = inferred;
            result.note(origin.file, origin.line,
                QStringLiteral("environment.project_path is %1, from the folders the script uses").arg(inferred));
        } else if (!guess.isEmpty()) {
            const ImportMessage origin = result.origins.value(QStringLiteral("slurm.account"), unknown);
            env.projectPath = guess;
            result.note(origin.file, origin.line,
                QStringLiteral("environment.project_path is %1, from %2's project path pattern and the account")
                    .arg(guess, profile.displayName));
        }
    }
    // Module lines equal to the profile's follow the profile, as in a spec made with the wizard.
    if (env.modules == profile.modules)
        env.modules.clear();
    if (!env.projectPath.isEmpty()) {
        if (env.runDir == env.projectPath + runsSuffix)
            env.runDir.clear();
        if (env.llamaFactoryDir == env.projectPath + checkoutSuffix)
            env.llamaFactoryDir.clear();
    }
    if (!env.venv.isEmpty() && env.venv == effectiveLlamaFactoryDir(spec) + u"/venv")
        env.venv.clear();

    TrainingSettings& training = spec.training;
    const QString runDir = effectiveRunDir(spec);
    if (training.outputDir.startsWith(runDir + u'/')) {
        training.outputDir = training.outputDir.mid(runDir.size() + 1);
    } else if (!training.outputDir.startsWith(u'/') && result.origins.contains(QStringLiteral("training.output_dir"))) {
        const ImportMessage& origin = result.origins[QStringLiteral("training.output_dir")];
        result.note(origin.file, origin.line,
            QStringLiteral("output_dir %1 was relative to the LLaMA-Factory folder; TuneDeck keeps it in the run "
                           "directory: %2")
                .arg(training.outputDir, effectiveOutputDir(spec)));
    }
}

std::optional<YAML::Node> loadYamlMapping(
    const QByteArray& text, const QString& sourceName, ImportResult& result, const QString& notAMapping)
{
    const YamlDocument document = loadYamlDocument(text);
    if (!document.ok()) {
        result.error(sourceName, document.line, document.error);
        return std::nullopt;
    }
    if (!document.root.IsMap()) {
        result.error(sourceName, 1, notAMapping);
        return std::nullopt;
    }
    return document.root;
}

} // namespace TuneDeck
