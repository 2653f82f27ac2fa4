#include "core/archive/archivedrun.h"

namespace TuneDeck::Archive {

QString fileKindName(FileKind kind)
{
    switch (kind) {
    case FileKind::Dmon:
        return QStringLiteral("dmon");
    case FileKind::Vmstat:
        return QStringLiteral("vmstat");
    case FileKind::TrainerLog:
        return QStringLiteral("trainer_log");
    case FileKind::TrainerJsonl:
        return QStringLiteral("trainer_jsonl");
    }
    return {};
}

std::optional<FileKind> fileKindFromName(QStringView name)
{
    for (FileKind kind : { FileKind::Dmon, FileKind::Vmstat, FileKind::TrainerLog, FileKind::TrainerJsonl }) {
        if (name == fileKindName(kind))
            return kind;
    }
    return std::nullopt;
}

QString ArchivedRun::shapeText() const
{
    if (nodes <= 0 || gpusPerNode <= 0)
        return gpuType.isEmpty() ? QStringLiteral("?") : QStringLiteral("? × ? %1").arg(gpuType);
    return QStringLiteral("%1 × %2 %3")
        .arg(nodes)
        .arg(gpusPerNode)
        .arg(gpuType.isEmpty() ? QStringLiteral("GPUs") : gpuType);
}

} // namespace TuneDeck::Archive
