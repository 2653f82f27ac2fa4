#pragma once

#include "core/slurm/slurmtext.h"
#include "core/util/coreonly.h"

#include <QByteArrayList>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace TuneDeck::Slurm {

// One record of `sacct -P` (--parsable2, '|' between fields) or `sacct -p` (--parsable, an extra trailing '|').
// Rows are the allocation ("123"), its steps ("123.batch", "123.extern", "123.0") and array tasks ("123_4",
// "123_[1-3]" while pending), exactly as sacct prints them.
struct SacctRow
{
    QString jobId; // JobID as printed ("123", "123.batch", "123_4.0")
    QString state; // first word: "CANCELLED" for "CANCELLED by 54321"
    std::optional<qint64> cancelledBy; // the uid in "CANCELLED by 54321"
    std::optional<ExitStatus> exit; // ExitCode "code:signal"
    std::optional<qint64> elapsedSeconds; // Elapsed
    std::optional<int> gpus; // from AllocTRES, typed and untyped entries counted once
    QHash<QString, QString> fields; // every column by its header name, as printed

    // "123" for "123.batch"/"123.0", "123_4" for "123_4.batch": the allocation this row belongs to.
    QString allocationId() const;
    bool isStep() const { return jobId.contains(QLatin1Char('.')); }
};

struct SacctResult
{
    QList<SacctRow> rows;
    QStringList columns; // header names as printed ("JobID", "State", ...)
    qint64 badLines = 0; // rows whose field count does not match the header
};

// Parses sacct's parsable output. The header line is recognised by its "JobID" column; output taken with
// `-n` (no header) needs the field list that was passed to --format, in the same order.
class SacctParser
{
public:
    // The --format list the job tracker asks for; parse() understands any other list too.
    static QByteArray defaultFormat();

    static SacctResult parse(QByteArrayView text, const QStringList& columnsWhenHeaderless = {});
};

} // namespace TuneDeck::Slurm
