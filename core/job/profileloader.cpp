#include "core/job/profileloader.h"

#include "core/job/yamlreader.h"
#include "core/util/inputfile.h"
#include "core/util/shellquote.h"
#include "core/util/slurmvalues.h"

namespace TuneDeck {
namespace {

const int FormatVersion = 1;

void readLogin(YamlReader& reader, const YAML::Node& root, ClusterProfile& profile)
{
    const YAML::Node login = reader.mapping(root, {}, "login");
    if (!login.IsMap()) {
        reader.require(root, {}, "login");
        return;
    }
    const QString path = QStringLiteral("login");
    reader.rejectUnknownKeys(login, path,
        { QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("user"), QStringLiteral("one_time_code") });
    reader.require(login, path, "host");
    reader.readString(login, path, "host", profile.loginHost);
    reader.readInt(login, path, "port", profile.loginPort, 1, 65535);
    reader.readString(login, path, "user", profile.loginUser);
    reader.readBool(login, path, "one_time_code", profile.needsOneTimeCode);
}

void readNode(YamlReader& reader, const YAML::Node& root, ClusterProfile& profile)
{
    const YAML::Node node = reader.mapping(root, {}, "node");
    if (!node.IsMap()) {
        reader.require(root, {}, "node");
        return;
    }
    const QString path = QStringLiteral("node");
    reader.rejectUnknownKeys(
        node, path, { QStringLiteral("gpus"), QStringLiteral("cpus"), QStringLiteral("memory_mib") });
    reader.require(node, path, "gpus");
    reader.require(node, path, "memory_mib");
    reader.readInt(node, path, "gpus", profile.gpusPerNode, 1, 64);
    reader.readInt(node, path, "cpus", profile.cpusPerNode, 1, 4096);
    int memory = 0;
    if (reader.readInt(node, path, "memory_mib", memory, 1, 1 << 30))
        profile.memoryPerNodeMiB = memory;
}

void readGpuTypes(YamlReader& reader, const YAML::Node& root, ClusterProfile& profile)
{
    const YAML::Node types = root["gpu_types"];
    if (!types.IsDefined() || types.IsNull()) {
        reader.require(root, {}, "gpu_types");
        return;
    }
    if (!types.IsSequence() || types.size() == 0) {
        reader.error(types, QStringLiteral("gpu_types"), QStringLiteral("expected a non-empty list of GPU types"));
        return;
    }
    int defaults = 0;
    for (std::size_t i = 0; i < types.size(); ++i) {
        const YAML::Node item = types[i];
        const QString path = QStringLiteral("gpu_types[%1]").arg(i);
        if (!item.IsMap()) {
            reader.error(item, path, QStringLiteral("expected a mapping with name, constraint, memory_gib"));
            continue;
        }
        reader.rejectUnknownKeys(item, path,
            { QStringLiteral("name"), QStringLiteral("constraint"), QStringLiteral("memory_gib"),
                QStringLiteral("default") });
        reader.require(item, path, "name");
        reader.require(item, path, "memory_gib");
        GpuType type;
        reader.readString(item, path, "name", type.name);
        type.constraint = type.name;
        reader.readString(item, path, "constraint", type.constraint);
        reader.readDouble(item, path, "memory_gib", type.memoryGiB, 1, 4096);
        reader.readBool(item, path, "default", type.isDefault);
        if (!type.name.isEmpty() && !isSlurmIdentifier(type.name))
            reader.error(item["name"], path + u".name",
                QStringLiteral("'%1' is not a valid name: use letters, digits, '_', '.', '-'").arg(type.name));
        if (!type.constraint.isEmpty() && !isSlurmIdentifier(type.constraint))
            reader.error(item["constraint"], path + u".constraint",
                QStringLiteral("'%1' is not a valid Slurm feature name").arg(type.constraint));
        defaults += type.isDefault ? 1 : 0;
        profile.gpuTypes.append(type);
    }
    if (defaults > 1)
        reader.error(types, QStringLiteral("gpu_types"), QStringLiteral("more than one GPU type is marked default"));
}

} // namespace

ProfileLoadResult loadProfileFromYaml(const QByteArray& text, const QString& sourceName)
{
    YamlReader reader(sourceName);
    ProfileLoadResult result;
    ClusterProfile& profile = result.profile;
    profile.sourceFile = sourceName;
    const YAML::Node root = reader.parse(text);
    if (!reader.errors().isEmpty()) {
        result.errors = reader.errors();
        return result;
    }
    reader.rejectUnknownKeys(root, {},
        { QStringLiteral("tunedeck_cluster_profile"), QStringLiteral("name"), QStringLiteral("display_name"),
            QStringLiteral("login"), QStringLiteral("node"), QStringLiteral("max_nodes"), QStringLiteral("max_time"),
            QStringLiteral("gpu_types"), QStringLiteral("qos"), QStringLiteral("default_qos"),
            QStringLiteral("modules"), QStringLiteral("project_path_pattern") });
    int version = 0;
    reader.require(root, {}, "tunedeck_cluster_profile");
    if (reader.readInt(root, {}, "tunedeck_cluster_profile", version, 1, 1000) && version != FormatVersion)
        reader.error(root["tunedeck_cluster_profile"], QStringLiteral("tunedeck_cluster_profile"),
            QStringLiteral("this TuneDeck reads profile format %1, the file is format %2")
                .arg(FormatVersion)
                .arg(version));
    reader.require(root, {}, "name");
    reader.readString(root, {}, "name", profile.name);
    if (!profile.name.isEmpty() && !isSlurmIdentifier(profile.name))
        reader.error(root["name"], QStringLiteral("name"),
            QStringLiteral("'%1' is not a valid profile name: use letters, digits, '_', '.', '-'").arg(profile.name));
    profile.displayName = profile.name;
    reader.readString(root, {}, "display_name", profile.displayName);
    readLogin(reader, root, profile);
    readNode(reader, root, profile);
    reader.readInt(root, {}, "max_nodes", profile.maxNodes, 0, 100000);
    if (reader.readString(root, {}, "max_time", profile.maxTime) && !parseSlurmDuration(profile.maxTime))
        reader.error(root["max_time"], QStringLiteral("max_time"),
            QStringLiteral("'%1' is not a Slurm time (e.g. 2-00:00:00)").arg(profile.maxTime));
    readGpuTypes(reader, root, profile);
    reader.readStringList(root, {}, "qos", profile.qosChoices);
    for (const QString& qos : std::as_const(profile.qosChoices)) {
        if (!isSlurmIdentifier(qos))
            reader.error(root["qos"], QStringLiteral("qos"), QStringLiteral("'%1' is not a valid QoS name").arg(qos));
    }
    reader.readString(root, {}, "default_qos", profile.defaultQos);
    reader.readStringList(root, {}, "modules", profile.modules);
    reader.readString(root, {}, "project_path_pattern", profile.projectPathPattern);
    result.errors = reader.errors();
    return result;
}

ProfileLoadResult loadProfileFromFile(const QString& path)
{
    const InputFile file = readInputFile(path, InputLimit::ClusterProfile, QStringLiteral("a cluster profile"));
    if (!file.ok()) {
        ProfileLoadResult result;
        result.errors.append(file.error);
        return result;
    }
    return loadProfileFromYaml(file.bytes, path);
}

} // namespace TuneDeck
