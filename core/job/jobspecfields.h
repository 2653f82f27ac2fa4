#pragma once

#include "core/job/jobspec.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>

namespace TuneDeck {

// The one table of job-spec fields. Everything that needs to know "which fields does a job spec have"
// reads it: the YAML reader and writer (jobspecio), the CLI's render options, the wizard's controls and
// the tests that check every diagnostic names a real field. Adding a field to JobSpec is one entry here
// plus its use in a generator.

enum class FieldKind {
    Text, // QString
    Integer, // int, within [minimum, maximum]
    Number, // double, within [minimum, maximum]
    Boolean, // bool
    Choice, // QString, one of `choices`
    TextList, // QStringList
    KeyValues, // QList<QPair<QString, QString>>, kept from imported files; no wizard control
};

// Where the wizard shows a field: grouped as a researcher thinks about the job, not as YAML nests it.
enum class FieldGroup { Project, Resources, Model, Training, Distribution, Environment, Resume, Hidden };

struct JobSpecField
{
    QString path; // the YAML path and the Diagnostic::field, e.g. "slurm.nodes"; "profile" is top-level
    FieldKind kind = FieldKind::Text;
    FieldGroup group = FieldGroup::Hidden;
    const char* label = ""; // translatable (context "JobSpecField"): fieldLabel() translates it
    const char* help = ""; // one line, translatable the same way
    const char* unit = ""; // shown after the value: "MiB", "s", ...
    const char* option = nullptr; // `tunedeck render --OPTION`; nullptr: no option
    const char* valueName = "VALUE"; // for --help
    double minimum = 0;
    double maximum = 0;
    QStringList choices; // Choice only
    std::function<QVariant(const JobSpec&)> get;
    std::function<void(JobSpec&, const QVariant&)> set;
    // Whether the field matters for this design (QLoRA's bits only for QLoRA, FSDP1-only keys for
    // version 1, ...). Fields that do not apply are still saved; the wizard disables them.
    std::function<bool(const JobSpec&)> applies;

    QString section() const; // "slurm"; empty for top-level fields
    QString key() const; // "nodes"
    bool appliesTo(const JobSpec& spec) const { return !applies || applies(spec); }
};

const QList<JobSpecField>& jobSpecFields();
const JobSpecField* findJobSpecField(QStringView path);
// The YAML sections in the order they are written.
QStringList jobSpecSections();

QString fieldLabel(const JobSpecField& field);
QString fieldHelp(const JobSpecField& field);
QString fieldGroupTitle(FieldGroup group);

// Checks `value` against the field's kind, bounds and choices. Empty when it is acceptable, otherwise a
// message without the field's name ("expected a whole number from 1 to 64, got 'x'").
QString checkFieldValue(const JobSpecField& field, const QVariant& value);
// Text as typed on a command line or in a form: parsed by the field's kind, then checked and set.
// Returns an error message (as checkFieldValue) and leaves the spec unchanged on error.
QString setFieldFromText(JobSpec& spec, const JobSpecField& field, const QString& text);
// The value as text for a form or a message (lists comma-separated, booleans true/false).
QString fieldText(const JobSpec& spec, const JobSpecField& field);

} // namespace TuneDeck
