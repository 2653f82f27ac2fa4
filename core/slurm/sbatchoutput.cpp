#include "core/slurm/sbatchoutput.h"

#include <QByteArrayList>

namespace TuneDeck::Slurm {

namespace {

std::optional<qint64> parseId(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v > 0 ? std::optional<qint64>(v) : std::nullopt;
}

struct Rule
{
    const char* needle;
    SbatchErrorField field;
};

// Matched case-insensitively against the reason, most specific first. Texts from Slurm 22.05's
// slurm_errno.c and the errors the mini-Baskerville cluster gives for the walkthrough's mistakes.
constexpr Rule Rules[] = {
    // "Job violates accounting/QOS policy" must not read as an account error: QOS first.
    { "qos", SbatchErrorField::Qos },
    { "account", SbatchErrorField::Account },
    { "partition", SbatchErrorField::Partition },
    { "feature specification", SbatchErrorField::Constraint },
    { "constraint", SbatchErrorField::Constraint },
    { "node configuration", SbatchErrorField::NodeConfiguration },
    { "memory", SbatchErrorField::Memory },
    { "time limit", SbatchErrorField::TimeLimit },
    { "generic resource", SbatchErrorField::Gres },
    { "gres", SbatchErrorField::Gres },
    { "batch script", SbatchErrorField::Script },
    { "unable to open file", SbatchErrorField::Script },
    { "script", SbatchErrorField::Script },
};

} // namespace

std::optional<SbatchSubmission> SbatchOutput::parseJobId(QByteArrayView stdoutText)
{
    static constexpr QByteArrayView submitted("Submitted batch job ");
    for (const QByteArray& raw : stdoutText.toByteArray().split('\n')) {
        const QByteArrayView line = QByteArrayView(raw).trimmed();
        if (const qsizetype at = line.indexOf(submitted); at >= 0) {
            QByteArrayView rest = line.sliced(at + submitted.size());
            // Federated clusters print "Submitted batch job N on cluster C".
            SbatchSubmission s;
            if (const qsizetype sp = rest.indexOf(' '); sp >= 0) {
                const QByteArrayView tail = rest.sliced(sp).trimmed();
                if (tail.startsWith("on cluster "))
                    s.cluster = QString::fromUtf8(tail.sliced(11).trimmed());
                rest = rest.first(sp);
            }
            if (const auto id = parseId(rest)) {
                s.jobId = *id;
                return s;
            }
            continue;
        }
        // --parsable: "<id>" or "<id>;<cluster>" (sbatch(1)).
        const qsizetype semi = line.indexOf(';');
        const auto id = parseId(semi < 0 ? line : line.first(semi));
        if (id) {
            SbatchSubmission s;
            s.jobId = *id;
            if (semi >= 0)
                s.cluster = QString::fromUtf8(line.sliced(semi + 1).trimmed());
            return s;
        }
    }
    return std::nullopt;
}

SbatchError SbatchOutput::parseError(QByteArrayView stderrText)
{
    SbatchError error;
    static constexpr QByteArrayView failed("Batch job submission failed:");
    for (const QByteArray& raw : stderrText.toByteArray().split('\n')) {
        QByteArrayView line = QByteArrayView(raw).trimmed();
        const qsizetype at = line.indexOf("error:");
        if (at < 0)
            continue;
        line = line.sliced(at + 6).trimmed();
        if (line.isEmpty())
            continue;
        error.errorLines.append(QString::fromUtf8(line));
        if (line.startsWith(failed))
            error.reason = QString::fromUtf8(line.sliced(failed.size()).trimmed());
    }
    if (error.errorLines.isEmpty())
        return error;
    if (error.reason.isEmpty())
        error.reason = error.errorLines.last();

    // The reason decides; earlier lines (e.g. "QOSMaxSubmitJobPerUserLimit") refine an unspecific one.
    const auto classify = [](const QString& text) {
        for (const Rule& rule : Rules) {
            if (text.contains(QLatin1StringView(rule.needle), Qt::CaseInsensitive))
                return rule.field;
        }
        return SbatchErrorField::Other;
    };
    error.field = classify(error.reason);
    if (error.field == SbatchErrorField::Other) {
        for (const QString& line : std::as_const(error.errorLines)) {
            if (const auto f = classify(line); f != SbatchErrorField::Other) {
                error.field = f;
                break;
            }
        }
    }
    return error;
}

} // namespace TuneDeck::Slurm
