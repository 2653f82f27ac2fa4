#include "core/telemetry/formatdetector.h"

#include <QByteArrayList>

namespace TuneDeck::Telemetry {

namespace {

QByteArrayList words(QByteArrayView line)
{
    return line.toByteArray().simplified().split(' ');
}

bool numericRow(const QByteArrayList& tokens)
{
    for (const QByteArray& t : tokens) {
        bool ok = false;
        t.toLongLong(&ok);
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

QString formatName(LogFormat format)
{
    switch (format) {
    case LogFormat::Dmon:
        return QStringLiteral("dmon");
    case LogFormat::Vmstat:
        return QStringLiteral("vmstat");
    case LogFormat::TrainerLog:
        return QStringLiteral("trainer-log");
    case LogFormat::TrainerJsonl:
        return QStringLiteral("trainer-jsonl");
    case LogFormat::Sacct:
        return QStringLiteral("sacct");
    case LogFormat::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

LogFormat formatFromName(QStringView name)
{
    for (LogFormat f :
        { LogFormat::Dmon, LogFormat::Vmstat, LogFormat::TrainerLog, LogFormat::TrainerJsonl, LogFormat::Sacct }) {
        if (name == formatName(f))
            return f;
    }
    return LogFormat::Unknown;
}

LogFormat detectFormat(QByteArrayView head)
{
    int jsonLines = 0, otherLines = 0, sacctLines = 0, vmstatRows = 0;
    bool trainerHints = false;
    int examined = 0;
    for (const QByteArray& raw : head.toByteArray().split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        if (++examined > 400)
            break;
        if (line.startsWith('{') && line.endsWith('}') && line.contains("\":")) {
            ++jsonLines;
            continue;
        }
        ++otherLines;
        const QByteArrayList t = words(line);
        if (line.contains('|')) {
            const QByteArray first = line.left(line.indexOf('|')).trimmed();
            if (first.compare("JobID", Qt::CaseInsensitive) == 0 || first.compare("JobIDRaw", Qt::CaseInsensitive) == 0)
                return LogFormat::Sacct;
            // "123", "123.batch", "123_4", "123_[1-3]"
            bool idLike = !first.isEmpty();
            for (int i = 0; i < first.size() && idLike; ++i) {
                const char c = first[i];
                idLike = (c >= '0' && c <= '9')
                    || (i > 0
                        && (c == '.' || c == '_' || c == '[' || c == ']' || c == '-' || c == ','
                            || (c >= 'a' && c <= 'z')));
            }
            if (idLike && first[0] >= '0' && first[0] <= '9')
                ++sacctLines;
        }
        if (line.startsWith('#')) {
            // dmon's header starts with its optional Date/Time columns and then "gpu" ("# gpu pwr ...",
            // "#Date Time gpu ..."); a shell comment that merely mentions GPUs is not one.
            const QByteArrayList h = words(line.mid(1).toLower());
            qsizetype i = 0;
            while (i < h.size() && (h[i] == "date" || h[i] == "time"))
                ++i;
            if (i + 1 < h.size() && h[i] == "gpu")
                return LogFormat::Dmon;
        }
        if (line.startsWith("procs ") || line.startsWith("--procs--")
            || (t.size() > 3 && t[0] == "r" && t[1] == "b" && (t[2] == "swpd" || t[2] == "avm")))
            return LogFormat::Vmstat;
        if ((t.size() >= 16 && t.size() <= 20) && numericRow(t.mid(0, 16)))
            ++vmstatRows;
        if (line.contains("Running training") || line.contains("{'loss'") || line.contains("it/s]")
            || line.contains("s/it]") || line.contains("[INFO|") || line.contains("llamafactory")
            || line.contains("llmtuner") || line.contains("slurmstepd") || line.contains("train_runtime"))
            trainerHints = true;
    }
    if (jsonLines > 0 && jsonLines >= otherLines)
        return LogFormat::TrainerJsonl;
    if (sacctLines > 0 && sacctLines * 2 >= otherLines)
        return LogFormat::Sacct;
    if (trainerHints)
        return LogFormat::TrainerLog;
    if (vmstatRows > 0 && vmstatRows * 2 >= otherLines)
        return LogFormat::Vmstat;
    return LogFormat::Unknown;
}

} // namespace TuneDeck::Telemetry
