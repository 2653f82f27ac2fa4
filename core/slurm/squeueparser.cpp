#include "core/slurm/squeueparser.h"

#include "core/slurm/slurmtext.h"

namespace TuneDeck::Slurm {

namespace {
constexpr int FieldCount = 10;
}

QByteArray SqueueParser::formatArgument()
{
    static const char* const fields[FieldCount] = { "%i", "%T", "%M", "%l", "%D", "%P", "%r", "%N", "%S", "%j" };
    QByteArray format;
    for (int i = 0; i < FieldCount; ++i) {
        if (i > 0)
            format.append(Separator);
        format.append(fields[i]);
    }
    return format;
}

SqueueResult SqueueParser::parse(QByteArrayView text)
{
    SqueueResult result;
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype end = text.indexOf('\n', pos);
        if (end < 0)
            end = text.size();
        QByteArrayView line = text.sliced(pos, end - pos);
        pos = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;

        QByteArrayView fields[FieldCount];
        int count = 0;
        qsizetype start = 0;
        for (qsizetype i = 0; i < line.size() && count < FieldCount - 1; ++i) {
            if (line[i] == Separator) {
                fields[count++] = line.sliced(start, i - start);
                start = i + 1;
            }
        }
        if (count != FieldCount - 1) {
            ++result.badLines;
            continue;
        }
        fields[count] = line.sliced(start); // the job name: everything after the ninth separator

        SqueueRow row;
        row.jobId = QString::fromUtf8(fields[0].trimmed());
        row.state = QString::fromUtf8(fields[1].trimmed());
        if (row.jobId.isEmpty() || row.state.isEmpty()) {
            ++result.badLines;
            continue;
        }
        row.elapsedSeconds = parseDurationSeconds(fields[2]);
        row.timeLimitSeconds = parseDurationSeconds(fields[3]);
        bool ok = false;
        const int nodes = fields[4].trimmed().toInt(&ok);
        if (ok)
            row.nodes = nodes;
        row.partition = QString::fromUtf8(fields[5].trimmed());
        row.reason = QString::fromUtf8(fields[6].trimmed());
        if (!isSentinel(fields[7]))
            row.nodeList = QString::fromUtf8(fields[7].trimmed());
        if (!isSentinel(fields[8]))
            row.startTime = QString::fromUtf8(fields[8].trimmed());
        row.name = QString::fromUtf8(fields[9]);
        result.rows.append(row);
    }
    return result;
}

} // namespace TuneDeck::Slurm
