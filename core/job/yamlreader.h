#pragma once

#include "core/util/coreonly.h"

#include <QString>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>

namespace TuneDeck {

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
