#include "core/job/jobspecio.h"

#include "core/job/jobspecfields.h"
#include "core/job/yamlreader.h"
#include "core/job/yamltext.h"

#include <QFile>

namespace TuneDeck {
namespace {

const int FormatVersion = 1;

QList<QPair<QString, QString>> readPairs(
    YamlReader& reader, const YAML::Node& map, const QString& path, const char* key)
{
    QList<QPair<QString, QString>> pairs;
    const YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull())
        return pairs;
    if (!node.IsMap()) {
        reader.error(node, joinPath(path, key), QStringLiteral("expected a mapping"));
        return pairs;
    }
    for (const auto& entry : node) {
        const QString name = QString::fromStdString(entry.first.Scalar());
        if (!entry.second.IsScalar()) {
            reader.error(entry.second, joinPath(path, key) + u'.' + name, QStringLiteral("expected a text value"));
            continue;
        }
        pairs.append({ name, QString::fromStdString(entry.second.Scalar()) });
    }
    return pairs;
}

// Reads one field of the table from `map` (its section's mapping, or the root) when present.
void readField(YamlReader& r, const YAML::Node& map, const JobSpecField& field, JobSpec& spec)
{
    const QString section = field.section();
    const QByteArray key = field.key().toLatin1();
    switch (field.kind) {
    case FieldKind::Text: {
        QString value;
        if (r.readString(map, section, key.constData(), value))
            field.set(spec, value);
        return;
    }
    case FieldKind::Choice: {
        QString value;
        if (!r.readString(map, section, key.constData(), value))
            return;
        if (const QString problem = checkFieldValue(field, value); !problem.isEmpty())
            r.error(map[key.constData()], field.path, problem);
        else
            field.set(spec, value);
        return;
    }
    case FieldKind::Integer: {
        int value = field.get(spec).toInt();
        if (r.readInt(map, section, key.constData(), value, int(field.minimum), int(field.maximum)))
            field.set(spec, value);
        return;
    }
    case FieldKind::Number: {
        double value = field.get(spec).toDouble();
        if (r.readDouble(map, section, key.constData(), value, field.minimum, field.maximum))
            field.set(spec, value);
        return;
    }
    case FieldKind::Boolean: {
        bool value = field.get(spec).toBool();
        if (r.readBool(map, section, key.constData(), value))
            field.set(spec, value);
        return;
    }
    case FieldKind::TextList: {
        QStringList value;
        if (r.readStringList(map, section, key.constData(), value))
            field.set(spec, value);
        return;
    }
    case FieldKind::KeyValues:
        field.set(spec, QVariant::fromValue(readPairs(r, map, section, key.constData())));
        return;
    }
}

// One `key: value` line of a saved spec, in the same spelling the reader accepts.
QString fieldYaml(const JobSpec& spec, const JobSpecField& field, const QString& indent)
{
    const QVariant value = field.get(spec);
    const QString prefix = indent + field.key() + u": ";
    switch (field.kind) {
    case FieldKind::Text:
        return prefix + yamlString(value.toString()) + u'\n';
    case FieldKind::Choice:
        return prefix + value.toString() + u'\n';
    case FieldKind::Integer:
    case FieldKind::Number:
        return prefix + QString::number(value.toDouble(), 'g', 12) + u'\n';
    case FieldKind::Boolean:
        return prefix + yamlBool(value.toBool()) + u'\n';
    case FieldKind::TextList: {
        QStringList items;
        for (const QString& item : value.toStringList())
            items.append(yamlString(item));
        return prefix + u'[' + items.join(u", ") + u"]\n";
    }
    case FieldKind::KeyValues: {
        const auto pairs = value.value<QList<QPair<QString, QString>>>();
        if (pairs.isEmpty())
            return prefix + u"{}\n";
        QString text = indent + field.key() + u":\n";
        for (const auto& [name, item] : pairs)
            text += indent + u"  " + yamlString(name) + u": " + yamlString(item) + u'\n';
        return text;
    }
    }
    return {};
}

} // namespace

JobSpecLoadResult loadJobSpecFromYaml(const QByteArray& text, const QString& sourceName)
{
    YamlReader reader(sourceName);
    JobSpecLoadResult result;
    const YAML::Node root = reader.parse(text);
    if (!reader.errors().isEmpty()) {
        result.errors = reader.errors();
        return result;
    }
    QStringList topLevel { QStringLiteral("tunedeck_job_spec") };
    topLevel += jobSpecSections();
    for (const JobSpecField& field : jobSpecFields()) {
        if (field.section().isEmpty())
            topLevel.append(field.key());
    }
    reader.rejectUnknownKeys(root, {}, topLevel);
    int version = FormatVersion;
    if (reader.readInt(root, {}, "tunedeck_job_spec", version, 1, 1000) && version != FormatVersion)
        reader.error(root["tunedeck_job_spec"], QStringLiteral("tunedeck_job_spec"),
            QStringLiteral("this TuneDeck reads job spec format %1, the file is format %2")
                .arg(FormatVersion)
                .arg(version));
    JobSpec& spec = result.spec;
    for (const QString& section : jobSpecSections()) {
        const YAML::Node map = reader.mapping(root, {}, section.toLatin1().constData());
        if (!map.IsMap())
            continue;
        QStringList known;
        for (const JobSpecField& field : jobSpecFields()) {
            if (field.section() == section)
                known.append(field.key());
        }
        reader.rejectUnknownKeys(map, section, known);
        for (const JobSpecField& field : jobSpecFields()) {
            if (field.section() == section)
                readField(reader, map, field, spec);
        }
    }
    for (const JobSpecField& field : jobSpecFields()) {
        if (field.section().isEmpty())
            readField(reader, root, field, spec);
    }
    result.errors = reader.errors();
    return result;
}

JobSpecLoadResult loadJobSpecFromFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        JobSpecLoadResult result;
        result.errors.append(path + u": cannot read: " + file.errorString());
        return result;
    }
    return loadJobSpecFromYaml(file.readAll(), path);
}

QByteArray saveJobSpecToYaml(const JobSpec& spec)
{
    QString text = QStringLiteral("# TuneDeck job spec: render it with `tunedeck render --spec FILE --out DIR`.\n");
    text += QStringLiteral("tunedeck_job_spec: %1\n").arg(FormatVersion);
    QString trailer; // top-level mappings (accelerate_extra) go after the sections, and only when set
    for (const JobSpecField& field : jobSpecFields()) {
        if (!field.section().isEmpty())
            continue;
        if (field.kind != FieldKind::KeyValues)
            text += fieldYaml(spec, field, {});
        else if (!field.get(spec).value<QList<QPair<QString, QString>>>().isEmpty())
            trailer += u'\n' + fieldYaml(spec, field, {});
    }
    for (const QString& section : jobSpecSections()) {
        text += u'\n' + section + u":\n";
        for (const JobSpecField& field : jobSpecFields()) {
            if (field.section() == section)
                text += fieldYaml(spec, field, QStringLiteral("  "));
        }
    }
    return (text + trailer).toUtf8();
}

} // namespace TuneDeck
