#include "core/telemetry/trainerlogreader.h"

#include <cmath>

namespace TuneDeck::Telemetry {

namespace {

constexpr int MaxWrappedDictLines = 20;
constexpr qsizetype MaxWrappedDictBytes = 8192;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool hasLetter(QByteArrayView v)
{
    for (char c : v) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return true;
    }
    return false;
}

// tqdm's format_interval: "MM:SS" or "H:MM:SS", hours unbounded.
std::optional<qint64> parseClock(QByteArrayView t)
{
    t = t.trimmed();
    qint64 parts[3] = {};
    int n = 0;
    qint64 cur = 0;
    bool digits = false;
    for (char c : t) {
        if (isDigit(c)) {
            cur = cur * 10 + (c - '0');
            digits = true;
            if (cur > 100000000)
                return std::nullopt;
        } else if (c == ':' && digits && n < 2) {
            parts[n++] = cur;
            cur = 0;
            digits = false;
        } else {
            return std::nullopt;
        }
    }
    if (!digits || n == 0)
        return std::nullopt;
    parts[n++] = cur;
    return n == 2 ? parts[0] * 60 + parts[1] : (parts[0] * 60 + parts[1]) * 60 + parts[2];
}

std::optional<double> parseNumber(QByteArrayView t)
{
    t = t.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double v = t.toByteArray().toDouble(&ok);
    if (ok)
        return v;
    if (t == "nan" || t == "NaN")
        return std::nan("");
    if (t == "inf")
        return HUGE_VAL;
    if (t == "-inf")
        return -HUGE_VAL;
    return std::nullopt;
}

std::optional<qint64> parseCount(QByteArrayView t)
{
    QByteArray digits;
    for (char c : t.trimmed()) {
        if (isDigit(c))
            digits += c;
        else if (c != ',' && c != '_')
            return std::nullopt;
    }
    bool ok = false;
    const qint64 v = digits.toLongLong(&ok);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

// The inside of a Python dict repr: 'key': value, ... Values that are not numbers (lists, strings that do not
// hold a number) are skipped.
std::optional<MetricDict> parseDict(QByteArrayView s)
{
    MetricDict dict;
    qsizetype i = 0;
    const qsizetype n = s.size();
    const auto skipSpace = [&] {
        while (i < n && (s[i] == ' ' || s[i] == ',' || s[i] == '\t'))
            ++i;
    };
    while (true) {
        skipSpace();
        if (i >= n)
            break;
        const char quote = s[i];
        if (quote != '\'' && quote != '"')
            return std::nullopt;
        const qsizetype keyEnd = s.indexOf(quote, i + 1);
        if (keyEnd < 0)
            return std::nullopt;
        const QString key = QString::fromUtf8(s.sliced(i + 1, keyEnd - i - 1));
        i = keyEnd + 1;
        while (i < n && s[i] == ' ')
            ++i;
        if (i >= n || s[i] != ':')
            return std::nullopt;
        ++i;
        while (i < n && s[i] == ' ')
            ++i;
        if (i >= n)
            return std::nullopt;
        QByteArrayView value;
        if (s[i] == '\'' || s[i] == '"') {
            const qsizetype end = s.indexOf(s[i], i + 1);
            if (end < 0)
                return std::nullopt;
            value = s.sliced(i + 1, end - i - 1); // ms-swift: 'loss': '0.3605'
            i = end + 1;
        } else if (s[i] == '[' || s[i] == '(') {
            const char close = s[i] == '[' ? ']' : ')';
            const qsizetype end = s.indexOf(close, i);
            if (end < 0)
                return std::nullopt;
            i = end + 1;
            continue;
        } else {
            const qsizetype start = i;
            while (i < n && s[i] != ',')
                ++i;
            value = s.sliced(start, i - start);
        }
        if (const auto v = parseNumber(value))
            dict.values.append({ key, *v });
    }
    if (dict.values.isEmpty())
        return std::nullopt;
    return dict;
}

struct SetupKey
{
    const char* text;
    std::optional<qint64> TrainingSetup::*field;
};

const SetupKey SetupKeys[] = {
    { "Num examples", &TrainingSetup::numExamples },
    { "Num Epochs", &TrainingSetup::numEpochs },
    { "Instantaneous batch size per device", &TrainingSetup::batchSizePerDevice },
    { "Total train batch size", &TrainingSetup::totalBatchSize },
    { "Gradient Accumulation steps", &TrainingSetup::gradientAccumulation },
    { "Total optimization steps", &TrainingSetup::totalSteps },
    { "Number of trainable parameters", &TrainingSetup::trainableParams },
};

} // namespace

QString terminationName(Termination t)
{
    switch (t) {
    case Termination::None:
        return {};
    case Termination::TimeLimit:
        return QStringLiteral("time_limit");
    case Termination::HostOom:
        return QStringLiteral("host_oom");
    case Termination::CudaOom:
        return QStringLiteral("cuda_oom");
    case Termination::Nccl:
        return QStringLiteral("nccl");
    case Termination::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

std::optional<double> MetricDict::value(QLatin1StringView key) const
{
    for (const auto& [k, v] : values) {
        if (k == key)
            return v;
    }
    return std::nullopt;
}

TrainerLogReader::TrainerLogReader()
    : m_splitter(true)
{ }

void TrainerLogReader::feed(QByteArrayView bytes)
{
    m_splitter.feed(bytes, [this](QByteArrayView l, qint64 n) { line(l, n); });
}

void TrainerLogReader::finish()
{
    m_splitter.finish([this](QByteArrayView l, qint64 n) { line(l, n); });
    if (!m_dictBuffer.isEmpty()) {
        m_issues.add(m_dictStartLine, m_dictBuffer, "metric dict never closed");
        m_dictBuffer.clear();
    }
}

std::optional<ProgressUpdate> TrainerLogReader::lastProgress() const
{
    if (m_progress.isEmpty())
        return std::nullopt;
    return m_progress.last();
}

std::optional<double> TrainerLogReader::finalLoss() const
{
    for (auto it = m_losses.crbegin(); it != m_losses.crend(); ++it) {
        if (const auto v = it->value(QLatin1StringView("loss")))
            return v;
    }
    return std::nullopt;
}

void TrainerLogReader::line(QByteArrayView text, qint64 lineNumber)
{
    if (text.trimmed().isEmpty())
        return;
    scanTermination(text);
    if (const qsizetype at = text.indexOf("Saving model checkpoint to"); at >= 0) {
        const qsizetype c = text.indexOf("checkpoint-", at + 26);
        if (c >= 0) {
            qsizetype e = c + 11;
            while (e < text.size() && text[e] >= '0' && text[e] <= '9' && e - c < 11 + 12)
                ++e;
            bool ok = false;
            const qint64 step = text.sliced(c + 11, e - c - 11).toLongLong(&ok);
            if (ok)
                m_lastCheckpointStep = step;
        }
    }
    scanSetup(text);
    scanProgress(text);
    scanDicts(text, lineNumber);
}

void TrainerLogReader::scanSetup(QByteArrayView text)
{
    if (text.contains("***** ")) {
        if (text.contains("Running training"))
            m_block = Block::Training;
        else if (text.contains("Running Evaluation") || text.contains("Running Prediction"))
            m_block = Block::Evaluation;
        else if (text.contains("train metrics")) {
            m_block = Block::Metrics;
            m_completed = true;
        } else if (text.contains(" metrics *****"))
            m_block = Block::Metrics;
        return;
    }
    if (text.contains("Training completed"))
        m_completed = true;

    // LLaMA-Factory: "trainable params: 4,194,304 || all params: 6,742,609,920 || trainable%: 0.0622"
    if (const qsizetype at = text.indexOf("trainable params:"); at >= 0 && !m_setup.trainableParams) {
        QByteArrayView rest = text.sliced(at + 17);
        const qsizetype bar = rest.indexOf("||");
        if (const auto v = parseCount(bar < 0 ? rest : rest.first(bar)))
            m_setup.trainableParams = v;
        return;
    }
    const qsizetype eq = text.indexOf(" = ");
    if (eq < 0 || m_block != Block::Training)
        return;
    QByteArrayView key = text.first(eq);
    if (const qsizetype arrows = key.lastIndexOf(">>"); arrows >= 0)
        key = key.sliced(arrows + 2);
    key = key.trimmed();
    for (const SetupKey& k : SetupKeys) {
        if (key.startsWith(k.text)) {
            if (const auto v = parseCount(text.sliced(eq + 3)))
                m_setup.*(k.field) = v;
            return;
        }
    }
}

void TrainerLogReader::scanProgress(QByteArrayView text)
{
    qsizetype pos = 0;
    while ((pos = text.indexOf('[', pos)) >= 0) {
        const qsizetype open = pos++;
        const qsizetype close = text.indexOf(']', open);
        if (close < 0)
            return;
        const QByteArrayView inner = text.sliced(open + 1, close - open - 1);
        const qsizetype lt = inner.indexOf('<');
        const qsizetype comma = inner.indexOf(',');
        if (lt < 0 || comma < lt)
            continue;
        const auto elapsed = parseClock(inner.first(lt));
        if (!elapsed)
            continue;
        const QByteArrayView remainingText = inner.sliced(lt + 1, comma - lt - 1).trimmed();
        const auto remaining = parseClock(remainingText);
        if (!remaining && remainingText != "?")
            continue;
        const QByteArrayView rate = inner.sliced(comma + 1).trimmed();
        std::optional<double> secondsPerStep;
        if (rate.endsWith("s/it") || rate.endsWith("it/s")) {
            const QByteArrayView number = rate.first(rate.size() - 4);
            if (number != "?") {
                const auto v = parseNumber(number);
                if (!v || *v <= 0)
                    continue;
                secondsPerStep = rate.endsWith("s/it") ? *v : 1.0 / *v;
            }
        } else {
            continue; // "examples/s", "B/s": not a step bar
        }

        // "... 1/21 [" or "... 99/2238 ["
        qsizetype q = open - 1;
        while (q >= 0 && text[q] == ' ')
            --q;
        const qsizetype totalEnd = q + 1;
        while (q >= 0 && isDigit(text[q]))
            --q;
        if (q < 0 || text[q] != '/' || q + 1 == totalEnd)
            continue;
        const auto total = parseCount(text.sliced(q + 1, totalEnd - q - 1));
        const qsizetype stepEnd = q;
        --q;
        while (q >= 0 && isDigit(text[q]))
            --q;
        if (q + 1 == stepEnd)
            continue;
        const auto step = parseCount(text.sliced(q + 1, stepEnd - q - 1));
        // Before that: "|<bar>| " or, without a bar, the percentage directly.
        qsizetype left = q;
        while (left >= 0 && text[left] == ' ')
            --left;
        if (left >= 0 && text[left] == '|') {
            const qsizetype barStart = text.lastIndexOf('|', left - 1);
            if (barStart < 0)
                continue;
            left = barStart - 1;
        }
        if (left < 0 || text[left] != '%')
            continue;
        qsizetype percentStart = left;
        while (percentStart > 0 && isDigit(text[percentStart - 1]))
            --percentStart;
        // The description runs from the previous update (glued on the same line) or the line start.
        const qsizetype previous = text.lastIndexOf(']', percentStart);
        const QByteArrayView description = text.sliced(previous + 1, percentStart - previous - 1);
        const bool described = hasLetter(description);

        bool training = false;
        if (m_setup.totalSteps) {
            training = *total == *m_setup.totalSteps;
        } else if (!m_barTotal) {
            if (!described)
                m_barTotal = *total;
            training = !described;
        } else {
            training = !described && *total == *m_barTotal;
        }
        if (!training)
            continue;
        ProgressUpdate update { *step, *total, *elapsed, remaining, secondsPerStep };
        // tqdm redraws the same state after a dict is printed: keep one.
        if (!m_progress.isEmpty() && m_progress.last().step == update.step
            && m_progress.last().elapsedSeconds == update.elapsedSeconds)
            continue;
        m_progress.append(update);
        pos = close + 1;
    }
}

void TrainerLogReader::scanDicts(QByteArrayView text, qint64 lineNumber)
{
    const bool fromLogger = text.contains(" - INFO - ") || text.contains("llamafactory") || text.contains("llmtuner");
    qsizetype pos = 0;
    if (!m_dictBuffer.isEmpty()) {
        // A hard-wrapped dict continues mid-key or mid-number: join without a separator.
        const qsizetype close = text.indexOf('}');
        const qsizetype reopen = text.indexOf("{'");
        if (reopen >= 0 && (close < 0 || reopen < close)) {
            m_issues.add(m_dictStartLine, m_dictBuffer, "metric dict never closed");
            m_dictBuffer.clear();
        } else if (close < 0) {
            m_dictBuffer += text.trimmed();
            if (++m_dictLines > MaxWrappedDictLines || m_dictBuffer.size() > MaxWrappedDictBytes) {
                m_issues.add(m_dictStartLine, m_dictBuffer, "metric dict never closed");
                m_dictBuffer.clear();
            }
            return;
        } else {
            m_dictBuffer += text.first(close).trimmed();
            if (auto dict = parseDict(QByteArrayView(m_dictBuffer))) {
                dict->line = m_dictStartLine;
                handleDict(*dict, m_dictFromLogger);
            } else {
                m_issues.add(m_dictStartLine, m_dictBuffer, "unreadable metric dict");
            }
            m_dictBuffer.clear();
            pos = close + 1;
        }
    }
    while (true) {
        qsizetype open = text.indexOf("{'", pos);
        const qsizetype openDq = text.indexOf("{\"", pos);
        if (openDq >= 0 && (open < 0 || openDq < open))
            open = openDq;
        if (open < 0)
            return;
        const qsizetype close = text.indexOf('}', open);
        if (close < 0) {
            m_dictBuffer = text.sliced(open + 1).trimmed().toByteArray();
            m_dictStartLine = lineNumber;
            m_dictLines = 1;
            m_dictFromLogger = fromLogger;
            return;
        }
        if (auto dict = parseDict(text.sliced(open + 1, close - open - 1))) {
            dict->line = lineNumber;
            handleDict(*dict, fromLogger);
        }
        pos = close + 1;
    }
}

void TrainerLogReader::handleDict(MetricDict dict, bool fromLogger)
{
    if (!m_progress.isEmpty())
        dict.step = m_progress.last().step;
    if (dict.value(QLatin1StringView("train_runtime"))) {
        m_final = dict;
        m_completed = true;
        return;
    }
    if (const auto loss = dict.value(QLatin1StringView("loss"))) {
        // LLaMA-Factory <= 0.6 logs each dict through its logger and the Trainer prints it again.
        if (!m_losses.isEmpty() && fromLogger != m_lastLossFromLogger) {
            const MetricDict& prev = m_losses.last();
            const auto prevLoss = prev.value(QLatin1StringView("loss"));
            const auto epoch = dict.value(QLatin1StringView("epoch"));
            const auto prevEpoch = prev.value(QLatin1StringView("epoch"));
            if (prevLoss && *prevLoss == *loss && epoch.has_value() == prevEpoch.has_value()
                && (!epoch || std::abs(*epoch - *prevEpoch) < 0.006)) {
                m_lastLossFromLogger = fromLogger;
                return;
            }
        }
        m_lastLossFromLogger = fromLogger;
        m_losses.append(dict);
        return;
    }
    for (const auto& entry : std::as_const(dict.values)) {
        if (entry.first.startsWith(QLatin1StringView("eval_"))) {
            m_evals.append(dict);
            return;
        }
    }
}

void TrainerLogReader::note(Termination t, QByteArrayView text)
{
    for (const Seen& s : std::as_const(m_seen)) {
        if (s.kind == t)
            return;
    }
    m_seen.append({ t, text.trimmed().toByteArray().left(400) });
}

void TrainerLogReader::scanTermination(QByteArrayView text)
{
    // Slurm (slurmstepd): "*** JOB 890671 ON node CANCELLED AT 2024-09-18T02:12:23 DUE TO TIME LIMIT ***",
    // "*** STEP 890671.0 ON node CANCELLED AT ... ***", "CANCELLED DUE TO TIME LIMIT" (no AT).
    if (text.contains("CANCELLED")) {
        const qsizetype due = text.indexOf("DUE TO ");
        if (due >= 0) {
            if (text.sliced(due).startsWith("DUE TO TIME LIMIT"))
                note(Termination::TimeLimit, text);
            else
                note(Termination::Cancelled, text); // preemption, node failure, requeue
        } else if (text.contains("*** JOB ")) {
            note(Termination::Cancelled, text);
        } else if (text.contains("*** STEP ")) {
            // Ambiguous: scancel, a failed sibling task, or the background recorder step being torn down when
            // the batch script ends. Counts only if the training never reached its end.
            if (!m_stepCancelled)
                m_stepCancelLine = text.trimmed().toByteArray().left(400);
            m_stepCancelled = true;
        }
    }
    if (text.contains("has exceeded its time limit"))
        note(Termination::TimeLimit, text);
    // The four slurmstepd OOM wordings ("oom-kill event(s) in step", "... in StepId=", "oom_kill event in
    // StepId=... OOM Killed") and srun's "task 13: Out Of Memory".
    if (text.contains("oom-kill event") || text.contains("oom_kill event") || text.contains("OOM Killed")
        || text.contains(": Out Of Memory"))
        note(Termination::HostOom, text);
    if (text.contains("CUDA out of memory") || text.contains("OutOfMemoryError"))
        note(Termination::CudaOom, text);
    if (text.contains("NCCL error") || text.contains("ncclRemoteError") || text.contains("ncclSystemError")
        || text.contains("ncclInternalError") || text.contains("ncclUnhandledCudaError")
        || text.contains("DistBackendError") || text.contains("Watchdog caught collective operation timeout"))
        note(Termination::Nccl, text);
}

Termination TrainerLogReader::termination() const
{
    // A cause beats its consequences: an OOM or the time limit makes the other ranks report NCCL errors and
    // srun cancel the steps.
    for (const Seen& s : m_seen) {
        if (s.kind == Termination::TimeLimit || s.kind == Termination::CudaOom || s.kind == Termination::HostOom)
            return s.kind;
    }
    for (const Seen& s : m_seen) {
        if (s.kind == Termination::Nccl)
            return s.kind;
    }
    for (const Seen& s : m_seen) {
        if (s.kind == Termination::Cancelled)
            return s.kind;
    }
    if (m_stepCancelled && !m_completed)
        return Termination::Cancelled;
    return Termination::None;
}

QByteArray TrainerLogReader::terminationLine() const
{
    const Termination t = termination();
    for (const Seen& s : m_seen) {
        if (s.kind == t)
            return s.line;
    }
    return t == Termination::Cancelled ? m_stepCancelLine : QByteArray();
}

} // namespace TuneDeck::Telemetry
