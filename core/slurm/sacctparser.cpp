#include "core/slurm/sacctparser.h"

namespace TuneDeck::Slurm {

namespace {

QList<QByteArrayView> splitFields(QByteArrayView line)
{
    QList<QByteArrayView> fields;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == '|') {
            fields.append(line.sliced(start, i - start));
            start = i + 1;
        }
    }
    return fields;
}

int columnIndex(const QStringList& columns, QLatin1StringView name)
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns[i].compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

} // namespace

QString SacctRow::allocationId() const
{
    const qsizetype dot = jobId.indexOf(QLatin1Char('.'));
    return dot < 0 ? jobId : jobId.first(dot);
}

QByteArray SacctParser::defaultFormat()
{
    return QByteArrayLiteral("JobID,JobName,State,ExitCode,Elapsed,Start,End,AllocTRES,NodeList,Reason");
}

SacctResult SacctParser::parse(QByteArrayView text, const QStringList& columnsWhenHeaderless)
{
    SacctResult result;
    result.columns = columnsWhenHeaderless;
    bool trailingDelimiter = false;
    bool decided = false;

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

        QList<QByteArrayView> fields = splitFields(line);
        if (fields.first().trimmed().compare("JobID", Qt::CaseInsensitive) == 0
            || fields.first().trimmed().compare("JobIDRaw", Qt::CaseInsensitive) == 0) {
            // `sacct -p` ends every line with '|', which reads as one empty extra field.
            trailingDelimiter = line.endsWith('|');
            decided = true;
            if (trailingDelimiter)
                fields.removeLast();
            result.columns.clear();
            for (QByteArrayView f : fields)
                result.columns.append(QString::fromUtf8(f.trimmed()));
            continue;
        }
        if (!decided) {
            trailingDelimiter = line.endsWith('|') && fields.size() == result.columns.size() + 1;
            decided = true;
        }
        if (trailingDelimiter && fields.size() == result.columns.size() + 1 && fields.last().isEmpty())
            fields.removeLast();
        if (result.columns.isEmpty() || fields.size() != result.columns.size()) {
            ++result.badLines;
            continue;
        }

        SacctRow row;
        for (int i = 0; i < fields.size(); ++i)
            row.fields.insert(result.columns[i], QString::fromUtf8(fields[i]));
        const auto field = [&](QLatin1StringView name) -> QByteArrayView {
            const int idx = columnIndex(result.columns, name);
            return idx < 0 ? QByteArrayView() : fields[idx].trimmed();
        };
        row.jobId = QString::fromUtf8(field(QLatin1StringView("JobID")));
        if (row.jobId.isEmpty())
            row.jobId = QString::fromUtf8(field(QLatin1StringView("JobIDRaw")));

        // sacct(1): a cancelled job's state reads "CANCELLED by <uid>".
        const QByteArrayView state = field(QLatin1StringView("State"));
        if (const qsizetype by = state.indexOf(" by "); by >= 0) {
            row.state = QString::fromUtf8(state.first(by));
            bool ok = false;
            const qint64 uid = state.sliced(by + 4).trimmed().toLongLong(&ok);
            if (ok)
                row.cancelledBy = uid;
        } else {
            row.state = QString::fromUtf8(state);
        }
        row.exit = parseExitStatus(field(QLatin1StringView("ExitCode")));
        row.elapsedSeconds = parseDurationSeconds(field(QLatin1StringView("Elapsed")));
        if (columnIndex(result.columns, QLatin1StringView("AllocTRES")) >= 0)
            row.gpus = gpuCountFromTres(field(QLatin1StringView("AllocTRES")));
        result.rows.append(row);
    }
    return result;
}

} // namespace TuneDeck::Slurm
