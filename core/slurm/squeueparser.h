#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace TuneDeck::Slurm {

struct SqueueRow
{
    QString jobId; // %i: "123", "123_4" for an array task, "123_[1-3]" for pending tasks
    QString state; // %T: long form, "RUNNING", "PENDING", "COMPLETING", ...
    std::optional<qint64> elapsedSeconds; // %M
    std::optional<qint64> timeLimitSeconds; // %l (nullopt for UNLIMITED)
    std::optional<int> nodes; // %D
    QString partition; // %P
    QString reason; // %r: "None" while running, "Resources", "Priority", "QOSMaxJobsPerUserLimit", ...
    QString nodeList; // %N: empty while pending
    QString startTime; // %S: ISO local time, actual or expected start; empty when "N/A"
    QString name; // %j
};

struct SqueueResult
{
    QList<SqueueRow> rows;
    qint64 badLines = 0;
};

// Reads `squeue -h -o FORMAT` with the format below.
//
// squeue copies every character of the -o string that is not a %-field to the output, so the fields are
// separated by the ASCII unit separator 0x1F: it never occurs in Slurm's states, reasons, node lists or
// times, and a job name is the one user-chosen field, so it goes LAST and may contain anything (even 0x1F)
// except a newline. The line is split on the first nine separators only.
//
//   %i <US> %T <US> %M <US> %l <US> %D <US> %P <US> %r <US> %N <US> %S <US> %j
//
// The caller passes formatArgument() as one shell word (single-quoted: the byte needs no escaping there),
// e.g.  squeue -h -u USER -o '<formatArgument()>'
class SqueueParser
{
public:
    static constexpr char Separator = '\x1f';
    static QByteArray formatArgument();
    static SqueueResult parse(QByteArrayView text);
};

} // namespace TuneDeck::Slurm
