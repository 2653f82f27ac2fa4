#include "core/job/yamlreader.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace TuneDeck {
namespace {

int lineOf(const YAML::Node& node)
{
    return node.IsDefined() && node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
}

// Walks the tree as a consumer would, aliases expanded, and stops at the first problem: the walk itself
// is bounded by MaxYamlNodes, so a bomb costs at most that many steps.
class TreeCheck
{
public:
    bool visit(const YAML::Node& node, int depth)
    {
        if (++m_nodes > MaxYamlNodes)
            return fail(node,
                QStringLiteral("more than %1 YAML nodes once aliases are expanded (an alias bomb?)").arg(MaxYamlNodes));
        if (depth > MaxYamlDepth)
            return fail(node, QStringLiteral("nested more than %1 levels deep (a recursive alias?)").arg(MaxYamlDepth));
        if (node.IsSequence()) {
            for (const YAML::Node& item : node) {
                if (!visit(item, depth + 1))
                    return false;
            }
        } else if (node.IsMap()) {
            std::set<std::string> keys;
            for (const auto& entry : node) {
                if (entry.first.IsScalar() && !keys.insert(entry.first.Scalar()).second)
                    return fail(entry.first,
                        QStringLiteral("duplicate key '%1' (PyYAML would take this value, TuneDeck would read "
                                       "the first; remove one)")
                            .arg(QString::fromStdString(entry.first.Scalar())));
                if (!visit(entry.first, depth + 1) || !visit(entry.second, depth + 1))
                    return false;
            }
        }
        return true;
    }

    QString error;
    int line = 0;

private:
    bool fail(const YAML::Node& at, const QString& message)
    {
        error = message;
        line = lineOf(at);
        return false;
    }

    int m_nodes = 0;
};

} // namespace

YamlDocument loadYamlDocument(const QByteArray& text)
{
    YamlDocument document;
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(text.toStdString());
    } catch (const YAML::Exception& e) {
        // yaml-cpp marks are 0-based.
        document.error = QStringLiteral("YAML syntax error: ") + QString::fromStdString(e.msg);
        document.line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
        return document;
    }
    if (documents.size() > 1) {
        // Point at the `---` that starts the second document: the last marker line before its first node.
        const int nodeLine = lineOf(documents[1]);
        int markerLine = 0;
        const QByteArrayList lines = text.split('\n');
        for (int i = 0; i < lines.size() && (nodeLine == 0 || i < nodeLine); ++i) {
            const QByteArray& l = lines[i];
            if (l.startsWith("---") && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r'))
                markerLine = i + 1;
        }
        document.error
            = QStringLiteral("a second YAML document (`---`): the file must hold one document (PyYAML refuses it)");
        document.line = markerLine > 0 ? markerLine : nodeLine;
        return document;
    }
    if (!documents.empty())
        document.root = documents.front();
    TreeCheck check;
    if (!check.visit(document.root, 0)) {
        document.error = check.error;
        document.line = check.line;
        document.root = YAML::Node();
    }
    return document;
}

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
    const YamlDocument document = loadYamlDocument(text);
    if (!document.ok()) {
        m_errors.append(m_sourceName + u':' + QString::number(std::max(document.line, 1)) + u": " + document.error);
        return {};
    }
    if (!document.root.IsMap()) {
        m_errors.append(m_sourceName + u":1: the file must be a YAML mapping of keys to values");
        return {};
    }
    return document.root;
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
