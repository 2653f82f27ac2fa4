#include "core/slurm/scontroljobparser.h"

#include <QByteArrayList>

namespace TuneDeck::Slurm {

namespace {

std::optional<int> countFromTresPer(const QString& text)
{
    // "gres/gpu:a6000:1", "gres:gpu:4", "gres/gpu=2" (TresPerNode/TresPerJob): the count is the last number.
    std::optional<int> total;
    for (const QString& item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!item.contains(QLatin1StringView("gpu")))
            continue;
        const qsizetype sep = std::max(item.lastIndexOf(QLatin1Char(':')), item.lastIndexOf(QLatin1Char('=')));
        bool ok = false;
        const int n = item.sliced(sep + 1).toInt(&ok);
        if (sep >= 0 && ok)
            total = total.value_or(0) + n;
    }
    return total;
}

} // namespace

QString ScontrolJob::nodeList() const
{
    const QString v = value(QStringLiteral("NodeList"));
    return isSentinel(v.toUtf8()) ? QString() : v;
}

std::optional<qint64> ScontrolJob::runTimeSeconds() const
{
    return parseDurationSeconds(value(QStringLiteral("RunTime")).toUtf8());
}

std::optional<qint64> ScontrolJob::timeLimitSeconds() const
{
    return parseDurationSeconds(value(QStringLiteral("TimeLimit")).toUtf8());
}

std::optional<int> ScontrolJob::numNodes() const
{
    // "NumNodes=4" or a range "NumNodes=1-2" while pending; take the first number.
    const QString v = value(QStringLiteral("NumNodes"));
    bool ok = false;
    const int n = v.section(QLatin1Char('-'), 0, 0).toInt(&ok);
    return ok ? std::optional<int>(n) : std::nullopt;
}

std::optional<ExitStatus> ScontrolJob::exit() const
{
    return parseExitStatus(value(QStringLiteral("ExitCode")).toUtf8());
}

std::optional<int> ScontrolJob::gpus() const
{
    for (const char* key : { "AllocTRES", "TRES", "ReqTRES" }) {
        const QString v = value(QString::fromLatin1(key));
        if (!v.isEmpty() && !isSentinel(v.toUtf8()))
            return gpuCountFromTres(v.toUtf8());
    }
    if (const auto perNode = countFromTresPer(value(QStringLiteral("TresPerNode")))) {
        if (const auto nodes = numNodes())
            return *perNode * *nodes;
    }
    return countFromTresPer(value(QStringLiteral("TresPerJob")));
}

ScontrolJobResult ScontrolJobParser::parse(QByteArrayView text)
{
    ScontrolJobResult result;
    ScontrolJob* current = nullptr;
    QString lastKey;
    for (const QByteArray& raw : text.toByteArray().split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        if (line.contains("error:") || line.startsWith("No jobs") || line.startsWith("Invalid job id")) {
            result.error = QString::fromUtf8(line);
            continue;
        }
        const QList<QByteArray> tokens = line.simplified().split(' ');
        for (const QByteArray& token : tokens) {
            const qsizetype eq = token.indexOf('=');
            // A token without '=' continues the previous value: values such as Command= or Comment= may
            // contain spaces, and scontrol prints them unquoted.
            if (eq <= 0) {
                if (current && !lastKey.isEmpty()) {
                    QString& v = current->fields[lastKey];
                    v += QLatin1Char(' ') + QString::fromUtf8(token);
                }
                continue;
            }
            const QString key = QString::fromUtf8(token.first(eq));
            if (key == QLatin1StringView("JobId")) {
                result.jobs.append(ScontrolJob {});
                current = &result.jobs.last();
            }
            if (!current)
                continue;
            lastKey.clear();
            if (!current->fields.contains(key)) {
                current->fields.insert(key, QString::fromUtf8(token.sliced(eq + 1)));
                lastKey = key;
            }
        }
    }
    return result;
}

} // namespace TuneDeck::Slurm
