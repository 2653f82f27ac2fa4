#include "core/job/yamlreader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace TuneDeck {
namespace {

int lineOf(const YAML::Node& node)
{
    return node.IsDefined() && node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
}

// Counts the documents of a stream and notes where the second one starts, without building nodes.
class DocumentCounter : public YAML::EventHandler
{
public:
    int documents = 0;
    int secondDocumentLine = 0; // 1-based; 0: none

    void OnDocumentStart(const YAML::Mark& mark) override
    {
        if (++documents == 2)
            secondDocumentLine = mark.line >= 0 ? mark.line + 1 : 0;
    }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark&, YAML::anchor_t) override { }
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override { }
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override { }
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { }
    void OnSequenceEnd() override { }
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { }
    void OnMapEnd() override { }
};

// How many documents the stream holds, counting to 3 at most. Not YAML::LoadAll: yaml-cpp 0.7 (Debian
// 12's) never returns from it on a stray ',' where a node should start — it produces empty documents
// for ever, allocating as it goes (https://github.com/jbeder/yaml-cpp/issues/1040, fixed upstream by
// https://github.com/jbeder/yaml-cpp/pull/1319). Found by tests/fuzz/fuzz_jobinputs. Throws what the
// parser throws on a syntax error.
DocumentCounter countDocuments(const std::string& text)
{
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentCounter counter;
    while (counter.documents < 3 && parser.HandleNextDocument(counter)) { }
    return counter;
}

bool hasDocumentMarker(const QByteArray& text)
{
    for (const QByteArray& l : text.split('\n'))
        if (l.startsWith("---") && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r'))
            return true;
    return false;
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
    const std::string bytes = text.toStdString();
    DocumentCounter counted;
    try {
        counted = countDocuments(bytes);
        if (counted.documents < 2)
            document.root = YAML::Load(bytes); // one document: Load reads it and stops
    } catch (const YAML::Exception& e) {
        // yaml-cpp marks are 0-based.
        document.error = QStringLiteral("YAML syntax error: ") + QString::fromStdString(e.msg);
        document.line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
        document.root = YAML::Node();
        return document;
    }
    if (counted.documents > 1) {
        if (!hasDocumentMarker(text)) {
            // More "documents" without a `---`: yaml-cpp stumbling over a stray token (see countDocuments).
            document.error = QStringLiteral(
                "YAML syntax error: text that is neither a key nor a value (a stray ',' or similar); PyYAML refuses "
                "it too");
            document.line = std::max(counted.secondDocumentLine, 1);
            return document;
        }
        // Point at the `---` that starts the second document: the last marker line before its first node.
        const int nodeLine = counted.secondDocumentLine;
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
