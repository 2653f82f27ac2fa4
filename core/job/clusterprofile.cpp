#include "core/job/clusterprofile.h"

namespace TuneDeck {

const GpuType* ClusterProfile::gpuType(const QString& wanted) const
{
    for (const GpuType& type : gpuTypes) {
        if (type.name == wanted)
            return &type;
    }
    return nullptr;
}

const GpuType* ClusterProfile::defaultGpuType() const
{
    for (const GpuType& type : gpuTypes) {
        if (type.isDefault)
            return &type;
    }
    return gpuTypes.isEmpty() ? nullptr : &gpuTypes.front();
}

QString ClusterProfile::projectPathFor(const QString& account) const
{
    if (projectPathPattern.isEmpty() || account.isEmpty())
        return {};
    QString path = projectPathPattern;
    path.replace(QStringLiteral("{project0}"), account.left(1));
    path.replace(QStringLiteral("{project}"), account);
    return path;
}

} // namespace TuneDeck
