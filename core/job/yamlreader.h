#pragma once

#include "core/util/coreonly.h"

#include <QString>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>

namespace TuneDeck {

// yaml-cpp 0.7 has no limit on aliases: a few lines of `&a [*b, *b, ...]` stand for billions of nodes,
// which every walk over the tree (or a cycle, `&a [*a]`) turns into a hang or bad_alloc. Documents are
// refused beyond these bounds; real configs have a few hundred nodes.
inline constexpr int MaxYamlNodes = 100000; // counted with every alias expanded
inline constexpr int MaxYamlDepth = 64;

struct YamlDocument
{
    YAML::Node root;
    QString error; // empty on success
    int line = 0; // 1-based line of the error (0: the whole file)
    bool ok() const { return error.isEmpty(); }
};

// Loads the one document of a YAML file the way PyYAML's safe_load reads it, and refuses what yaml-cpp
// would read differently: a second document (`---`; PyYAML refuses the file, yaml-cpp would read the
// first), a key twice in one mapping (PyYAML takes the last, yaml-cpp's lookup the first), and alias
// expansion beyond MaxYamlNodes or MaxYamlDepth. Syntax errors come back with their line.
YamlDocument loadYamlDocument(const QByteArray& text);

// Strict reading of a YAML mapping for TuneDeck's own files (cluster profiles, job specs): every
// problem becomes "file:line: key: message" with the dotted key path, unknown keys are errors (a typo
// must not silently fall back to a default), and reading goes on after an error so a user sees all
// problems at once.
class YamlReader
{
public:
    explicit YamlReader(QString sourceName);

    // Parses text; on a syntax error records it and returns an undefined node.
    YAML::Node parse(const QByteArray& text);

    // Read `key` of `map` (whose dotted path is `path`) into `out` when present. Returns true when the
    // key was present and valid. Type errors are recorded.
    bool readString(const YAML::Node& map, const QString& path, const char* key, QString& out);
    bool readInt(const YAML::Node& map, const QString& path, const char* key, int& out, int min, int max);
    bool readDouble(const YAML::Node& map, const QString& path, const char* key, double& out, double min, double max);
    bool readBool(const YAML::Node& map, const QString& path, const char* key, bool& out);
    bool readStringList(const YAML::Node& map, const QString& path, const char* key, QStringList& out);
    // A key that must be present.
    void require(const YAML::Node& map, const QString& path, const char* key);
    // Records an error for every key of `map` not in `known`.
    void rejectUnknownKeys(const YAML::Node& map, const QString& path, const QStringList& known);
    // A mapping child, or an undefined node (with an error recorded when present but not a mapping).
    YAML::Node mapping(const YAML::Node& map, const QString& path, const char* key);

    void error(const YAML::Node& at, const QString& path, const QString& message);

    const QStringList& errors() const { return m_errors; }
    const QString& sourceName() const { return m_sourceName; }

private:
    QString location(const YAML::Node& at) const;

    QString m_sourceName;
    QStringList m_errors;
};

QString joinPath(const QString& path, const char* key);

} // namespace TuneDeck
