#pragma once

#include "core/telemetry/linesplitter.h"
#include "core/telemetry/parseissues.h"
#include "core/util/coreonly.h"

#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace TuneDeck::Telemetry {

// What ended a run, as far as its output tells.
enum class Termination { None, TimeLimit, HostOom, CudaOom, Nccl, Cancelled };
QString terminationName(Termination t); // "time_limit", "host_oom", "cuda_oom", "nccl", "cancelled"; empty for None

// One update of a tqdm bar: "  5%|▍         | 1/21 [49:47<16:35:57, 2987.90s/it]".
struct ProgressUpdate
{
    qint64 step = 0;
    qint64 total = 0;
    qint64 elapsedSeconds = 0; // hours are not wrapped into days by tqdm: "35:43:37"
    std::optional<qint64> remainingSeconds; // "?" on the first update
    std::optional<double> secondsPerStep; // "s/it" as is, "it/s" inverted; nullopt for "?it/s"
};

// A Python dict printed by the Trainer: {'loss': 1.23, 'grad_norm': 0.35, 'learning_rate': 4.99e-05, 'epoch': 0.06}
struct MetricDict
{
    QList<std::pair<QString, double>> values; // numeric entries, in print order (string-valued numbers included)
    qint64 line = 0;
    std::optional<qint64> step; // the training bar's step when the dict was printed
    std::optional<double> value(QLatin1StringView key) const;
};

// The "***** Running training *****" block; any line may be missing.
struct TrainingSetup
{
    std::optional<qint64> numExamples;
    std::optional<qint64> numEpochs;
    std::optional<qint64> batchSizePerDevice;
    std::optional<qint64> totalBatchSize;
    std::optional<qint64> gradientAccumulation;
    std::optional<qint64> totalSteps;
    std::optional<qint64> trainableParams;
};

// Incremental reader for HF Trainer / TRL / LLaMA-Factory stdout as Slurm writes it (FORMATS.md §3, §4):
// '\r'-separated tqdm updates (or the same glued together after the '\r's were stripped, or glued to the next
// log line), metric dicts (wrapped over lines, duplicated by LLaMA-Factory's logger, string-valued), the
// final metrics, and the lines that tell why a run ended.
class TrainerLogReader
{
public:
    TrainerLogReader();
    void feed(QByteArrayView bytes);
    void finish();

    const TrainingSetup& setup() const { return m_setup; }
    // The training bar: the one whose total is "Total optimization steps" (or, without that line, the first
    // bar without a description; evaluation bars come later).
    const QList<ProgressUpdate>& progress() const { return m_progress; }
    std::optional<ProgressUpdate> lastProgress() const;
    const QList<MetricDict>& losses() const { return m_losses; }
    const QList<MetricDict>& evals() const { return m_evals; }
    const std::optional<MetricDict>& finalMetrics() const { return m_final; }
    std::optional<double> finalLoss() const;
    bool completed() const { return m_completed; }
    // The step of the newest "Saving model checkpoint to .../checkpoint-N" line (HF Trainer, INFO level).
    std::optional<qint64> lastCheckpointStep() const { return m_lastCheckpointStep; }
    Termination termination() const;
    // The line that decided termination(), for the UI ("slurmstepd: error: *** JOB 2 ON ... ***").
    QByteArray terminationLine() const;
    const ParseIssues& issues() const { return m_issues; }

private:
    void line(QByteArrayView text, qint64 lineNumber);
    void scanDicts(QByteArrayView text, qint64 lineNumber);
    void handleDict(MetricDict dict, bool fromLogger);
    void scanProgress(QByteArrayView text);
    void scanSetup(QByteArrayView text);
    void scanTermination(QByteArrayView text);
    void note(Termination t, QByteArrayView text);

    LineSplitter m_splitter;
    TrainingSetup m_setup;
    enum class Block { None, Training, Evaluation, Metrics } m_block = Block::None;
    std::optional<qint64> m_barTotal;
    QList<ProgressUpdate> m_progress;
    QList<MetricDict> m_losses;
    QList<MetricDict> m_evals;
    std::optional<MetricDict> m_final;
    bool m_lastLossFromLogger = false;
    QByteArray m_dictBuffer; // a dict wrapped over several lines
    qint64 m_dictStartLine = 0;
    int m_dictLines = 0;
    bool m_dictFromLogger = false;
    bool m_completed = false;
    std::optional<qint64> m_lastCheckpointStep;
    struct Seen
    {
        Termination kind;
        QByteArray line;
    };
    QList<Seen> m_seen; // first occurrence of each kind, in order
    bool m_stepCancelled = false; // "*** STEP N.M ... CANCELLED AT ... ***" without a reason
    QByteArray m_stepCancelLine;
    ParseIssues m_issues;
};

} // namespace TuneDeck::Telemetry
