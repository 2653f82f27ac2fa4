#include "core/job/jobspec.h"

#include <QDateTime>

namespace TuneDeck {

QString methodName(FinetuningMethod method)
{
    switch (method) {
    case FinetuningMethod::Lora:
        return QStringLiteral("lora");
    case FinetuningMethod::Qlora:
        return QStringLiteral("qlora");
    case FinetuningMethod::Full:
        return QStringLiteral("full");
    }
    return {};
}

std::optional<FinetuningMethod> methodFromName(QStringView name)
{
    for (const FinetuningMethod method : { FinetuningMethod::Lora, FinetuningMethod::Qlora, FinetuningMethod::Full }) {
        if (name == methodName(method))
            return method;
    }
    return std::nullopt;
}

std::optional<Precision> precisionFromName(QStringView name)
{
    for (const Precision precision : { Precision::Bf16, Precision::Fp16, Precision::Fp32 }) {
        if (name == precisionName(precision))
            return precision;
    }
    return std::nullopt;
}

QString precisionName(Precision precision)
{
    switch (precision) {
    case Precision::Bf16:
        return QStringLiteral("bf16");
    case Precision::Fp16:
        return QStringLiteral("fp16");
    case Precision::Fp32:
        return QStringLiteral("fp32");
    }
    return {};
}

QString jobNameSlug(const QString& jobName)
{
    QString slug;
    for (QChar c : jobName) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'
            || c == u'.' || c == u'-';
        slug += ok ? c : QChar(u'-');
    }
    while (slug.startsWith(u'-') || slug.startsWith(u'.'))
        slug.remove(0, 1);
    slug.truncate(64);
    return slug.isEmpty() ? QStringLiteral("job") : slug;
}

QString effectiveRunDir(const JobSpec& spec)
{
    if (!spec.environment.runDir.isEmpty())
        return spec.environment.runDir;
    return spec.environment.projectPath + u"/tunedeck/runs/" + jobNameSlug(spec.slurm.jobName);
}

QString runDirSuffix(const QDateTime& nowUtc, quint32 random)
{
    return nowUtc.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss")) + u'-'
        + QString::number(random & 0xffff, 16).rightJustified(4, u'0');
}

QString newRunDir(const JobSpec& spec, const QString& suffix)
{
    return spec.environment.projectPath + u"/tunedeck/runs/" + jobNameSlug(spec.slurm.jobName) + u'-' + suffix;
}

QString effectiveLlamaFactoryDir(const JobSpec& spec)
{
    if (!spec.environment.llamaFactoryDir.isEmpty())
        return spec.environment.llamaFactoryDir;
    return spec.environment.projectPath + u"/llama-factory/LLaMA-Factory";
}

QString effectiveVenv(const JobSpec& spec)
{
    if (!spec.environment.venv.isEmpty())
        return spec.environment.venv;
    return effectiveLlamaFactoryDir(spec) + u"/venv";
}

QString effectiveOutputDir(const JobSpec& spec)
{
    if (spec.training.outputDir.startsWith(u'/'))
        return spec.training.outputDir;
    return effectiveRunDir(spec) + u'/' + spec.training.outputDir;
}

} // namespace TuneDeck
