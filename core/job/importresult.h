#pragma once

#include "core/job/clusterprofile.h"
#include "core/job/jobspec.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <optional>

namespace TuneDeck {

// One finding of an importer, tied to the line of the input it is about. Printed as
// `file:line: message` (or `file: message` when it is about the file as a whole).
struct ImportMessage
{
    QString file;
    int line = 0; // 1-based; 0: the whole file
    QString text;

    QString toString() const;
};

// What importing existing files (an sbatch script, an accelerate config, a LLaMA-Factory training
// YAML) made of a job spec. Importers never drop anything silently: what they cannot carry into the
// spec, or carry over changed, becomes a note; input that sbatch, accelerate or PyYAML would refuse
// becomes an error, and a caller must then write nothing.
struct ImportResult
{
    JobSpec spec; // starts from the defaults; every importer only changes what its file sets
    QList<ImportMessage> notes;
    QList<ImportMessage> errors;
    // Which spec fields (job spec YAML paths, e.g. "slurm.nodes") a file set, and where: so a later file
    // that disagrees is reported instead of quietly winning.
    QHash<QString, ImportMessage> origins;
    // Files the sbatch script refers to (the accelerate config and the training YAML it launches), as
    // absolute paths where they could be resolved, otherwise as written.
    QString referencedAccelerateConfig;
    QString referencedTrainConfig;

    bool ok() const { return errors.isEmpty(); }
    void note(const QString& file, int line, const QString& text) { notes.append({ file, line, text }); }
    void error(const QString& file, int line, const QString& text) { errors.append({ file, line, text }); }
    // Records that `field` was set from file:line; returns false (and notes the conflict) when another
    // file set it before to a different value, in which case the caller keeps the earlier value.
    bool claim(const QString& field, const QString& file, int line, const QString& previous, const QString& value);
};

enum class ImportKind { SbatchScript, AccelerateConfig, TrainConfig, Unknown };

// What a file is, from its content (not its name): a script has `#!` or `#SBATCH` lines, an accelerate
// config has keys such as distributed_type or num_processes, a LLaMA-Factory YAML keys such as
// model_name_or_path or finetuning_type.
ImportKind detectImportKind(const QByteArray& text);
QString importKindName(ImportKind kind);

// Parses a YAML file that must be a mapping (accelerate and LLaMA-Factory configs). On a syntax error or
// another top-level type, records a file:line error (`notAMapping` says what the file should be) and
// returns nullopt.
std::optional<YAML::Node> loadYamlMapping(
    const QByteArray& text, const QString& sourceName, ImportResult& result, const QString& notAMapping);

// Imports files of any of the three kinds into one spec: the script first (it decides the Slurm
// resources), then training YAMLs (their precision is what the trainer uses), then accelerate configs,
// whatever the order given; a later file that disagrees is noted, not followed. Then finishImport()
// runs. `inputs` pairs a name for messages with the file's bytes.
ImportResult importJobFiles(const QList<QPair<QString, QByteArray>>& inputs, const ClusterProfile& profile);

// Tidies a spec after all files were imported: paths that equal what TuneDeck derives from the project
// path are cleared (so they follow it), output_dir becomes relative to the run directory when inside it,
// and the project path is inferred from the folders the script uses when no file named it.
void finishImport(ImportResult& result, const ClusterProfile& profile);

} // namespace TuneDeck
