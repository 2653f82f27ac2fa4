#pragma once

#include "core/telemetry/linesplitter.h"
#include "core/telemetry/parseissues.h"
#include "core/util/coreonly.h"

#include <QList>

#include <optional>

namespace TuneDeck::Telemetry {

// One line of LLaMA-Factory's trainer_log.jsonl. Field names changed over versions (learning_rate -> lr);
// old versions write "eval_loss": null etc. on every line. null and absent both read as nullopt.
struct TrainerLogEntry
{
    std::optional<qint64> currentSteps;
    std::optional<qint64> totalSteps;
    std::optional<double> loss;
    std::optional<double> evalLoss;
    std::optional<double> learningRate;
    std::optional<double> epoch;
    std::optional<double> percentage;
    std::optional<qint64> elapsedSeconds;
    std::optional<qint64> remainingSeconds;
    std::optional<double> throughput; // tokens/s, newer versions
    std::optional<qint64> totalTokens;
};

// Python timedelta str(): "0:03:29", "4 days, 5:06:09", "1 day, 0:00:01", with optional ".ffffff".
std::optional<qint64> parseTimedeltaSeconds(QByteArrayView text);

class TrainerJsonlReader
{
public:
    TrainerJsonlReader();
    void feed(QByteArrayView bytes);
    void finish();

    const QList<TrainerLogEntry>& entries() const { return m_entries; }
    std::optional<qint64> currentSteps() const; // of the last entry that has it
    std::optional<qint64> totalSteps() const;
    std::optional<double> finalLoss() const; // last non-null loss
    std::optional<qint64> remainingSeconds() const; // of the last entry
    const ParseIssues& issues() const { return m_issues; }

private:
    void line(QByteArrayView text, qint64 lineNumber);

    LineSplitter m_splitter;
    QList<TrainerLogEntry> m_entries;
    ParseIssues m_issues;
};

} // namespace TuneDeck::Telemetry
