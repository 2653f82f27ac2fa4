#include "core/job/yamlreader.h"

namespace TuneDeck {

QString joinPath(const QString& path, const char* key)
{
    const QString name = QString::fromUtf8(key);
    return path.isEmpty() ? name : path + u'.' + name;
}

YamlReader::YamlReader(QString sourceName)
    : m_sourceName(std::move(sourceName))
{ }

YAML::Node YamlReader::parse(const QByteArray& text)
{
    try {
        YAML::Node root = YAML::Load(text.toStdString());
        if (!root.IsMap()) {
            m_errors.append(m_sourceName + u":1: the file must be a YAML mapping of keys to values");
            return {};
        }
        return root;
    } catch (const YAML::Exception& e) {
        // yaml-cpp marks are 0-based.
        m_errors.append(m_sourceName + u':' + QString::number(e.mark.line + 1) + u": YAML syntax error: "
            + QString::fromStdString(e.msg));
        return {};
    }
}

QString YamlReader::location(const YAML::Node& at) const
{
    const int line = at.IsDefined() ? at.Mark().line : -1;
    return m_sourceName + u':' + (line >= 0 ? QString::number(line + 1) : QStringLiteral("?"));
}

void YamlReader::error(const YAML::Node& at, const QString& path, const QString& message)
{
    m_errors.append(location(at) + u": " + path + u": " + message);
}

bool YamlReader::readString(const YAML::Node& map, const QString& path, const char* key, QString& out)
{
    const YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull())
        return false;
    if (!node.IsScalar()) {
        error(node, joinPath(path, key), QStringLiteral("expected a text value"));
        return false;
    }
    out = QString::fromStdString(node.Scalar());
    return true;
}

bool YamlReader::readInt(const YAML::Node& map, const QString& path, const char* key, int& out, int min, int max)
{
    QString text;
    if (!readString(map, path, key, text))
        return false;
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max) {
        error(map[key], joinPath(path, key),
            QStringLiteral("expected a whole number from %1 to %2, got '%3'").arg(min).arg(max).arg(text));
        return false;
    }
    out = value;
    return true;
}

bool YamlReader::readDouble(
    const YAML::Node& map, const QString& path, const char* key, double& out, double min, double max)
{
    QString text;
    if (!readString(map, path, key, text))
        return false;
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || value < min || value > max) {
        error(map[key], joinPath(path, key),
            QStringLiteral("expected a number from %1 to %2, got '%3'").arg(min).arg(max).arg(text));
        return false;
    }
    out = value;
    return true;
}

bool YamlReader::readBool(const YAML::Node& map, const QString& path, const char* key, bool& out)
{
    QString text;
    if (!readString(map, path, key, text))
        return false;
    const QString lower = text.toLower();
    if (lower == u"true" || lower == u"yes" || lower == u"on") {
        out = true;
        return true;
    }
    if (lower == u"false" || lower == u"no" || lower == u"off") {
        out = false;
        return true;
    }
    error(map[key], joinPath(path, key), QStringLiteral("expected true or false, got '%1'").arg(text));
    return false;
}

bool YamlReader::readStringList(const YAML::Node& map, const QString& path, const char* key, QStringList& out)
{
    const YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull())
        return false;
    if (!node.IsSequence()) {
        error(node, joinPath(path, key), QStringLiteral("expected a list"));
        return false;
    }
    QStringList values;
    for (const YAML::Node& item : node) {
        if (!item.IsScalar()) {
            error(item, joinPath(path, key), QStringLiteral("expected a list of text values"));
            return false;
        }
        values.append(QString::fromStdString(item.Scalar()));
    }
    out = values;
    return true;
}

void YamlReader::require(const YAML::Node& map, const QString& path, const char* key)
{
    const YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull())
        error(map, joinPath(path, key), QStringLiteral("missing required key"));
}

void YamlReader::rejectUnknownKeys(const YAML::Node& map, const QString& path, const QStringList& known)
{
    for (const auto& entry : map) {
        const QString key = QString::fromStdString(entry.first.Scalar());
        if (!known.contains(key))
            error(entry.first, path.isEmpty() ? key : path + u'.' + key,
                QStringLiteral("unknown key (known keys: %1)").arg(known.join(QStringLiteral(", "))));
    }
}

YAML::Node YamlReader::mapping(const YAML::Node& map, const QString& path, const char* key)
{
    const YAML::Node node = map[key];
    if (!node.IsDefined() || node.IsNull())
        return {};
    if (!node.IsMap()) {
        error(node, joinPath(path, key), QStringLiteral("expected a mapping of keys to values"));
        return {};
    }
    return node;
}

} // namespace TuneDeck
