#include "core/telemetry/trainerjsonlreader.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <cmath>

namespace TuneDeck::Telemetry {

namespace {

std::optional<double> number(const QJsonObject& o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    if (v.isDouble())
        return v.toDouble();
    if (v.isString()) {
        bool ok = false;
        const double d = v.toString().toDouble(&ok);
        if (ok)
            return d;
    }
    return std::nullopt;
}

std::optional<qint64> integer(const QJsonObject& o, QLatin1StringView key)
{
    const auto v = number(o, key);
    return v ? std::optional<qint64>(qint64(std::llround(*v))) : std::nullopt;
}

} // namespace

std::optional<qint64> parseTimedeltaSeconds(QByteArrayView text)
{
    QByteArrayView t = text.trimmed();
    qint64 days = 0;
    if (const qsizetype comma = t.indexOf(','); comma >= 0) {
        // "4 days, 5:06:09" / "1 day, 0:00:01" / "-1 day, 23:59:59"
        const QByteArrayView head = t.first(comma).trimmed();
        const qsizetype space = head.indexOf(' ');
        if (space < 0)
            return std::nullopt;
        bool ok = false;
        days = head.first(space).toByteArray().toLongLong(&ok);
        if (!ok || !head.sliced(space + 1).startsWith("day"))
            return std::nullopt;
        t = t.sliced(comma + 1).trimmed();
    }
    if (const qsizetype dot = t.indexOf('.'); dot >= 0)
        t = t.first(dot);
    const QList<QByteArray> parts = t.toByteArray().split(':');
    if (parts.size() != 3)
        return std::nullopt;
    qint64 hms[3] = {};
    for (int i = 0; i < 3; ++i) {
        bool ok = false;
        hms[i] = parts[i].toLongLong(&ok);
        if (!ok || hms[i] < 0)
            return std::nullopt;
    }
    return days * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2];
}

TrainerJsonlReader::TrainerJsonlReader()
    : m_splitter(false)
{ }

void TrainerJsonlReader::feed(QByteArrayView bytes)
{
    m_splitter.feed(bytes, [this](QByteArrayView l, qint64 n) { line(l, n); });
}

void TrainerJsonlReader::finish()
{
    m_splitter.finish([this](QByteArrayView l, qint64 n) { line(l, n); });
}

void TrainerJsonlReader::line(QByteArrayView text, qint64 lineNumber)
{
    const QByteArrayView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        m_issues.add(lineNumber, text, "not a JSON object");
        return;
    }
    const QJsonObject o = doc.object();
    TrainerLogEntry e;
    e.currentSteps = integer(o, QLatin1StringView("current_steps"));
    e.totalSteps = integer(o, QLatin1StringView("total_steps"));
    e.loss = number(o, QLatin1StringView("loss"));
    e.evalLoss = number(o, QLatin1StringView("eval_loss"));
    e.learningRate = number(o, QLatin1StringView("lr"));
    if (!e.learningRate)
        e.learningRate = number(o, QLatin1StringView("learning_rate"));
    e.epoch = number(o, QLatin1StringView("epoch"));
    e.percentage = number(o, QLatin1StringView("percentage"));
    e.elapsedSeconds = parseTimedeltaSeconds(o.value(QLatin1StringView("elapsed_time")).toString().toUtf8());
    e.remainingSeconds = parseTimedeltaSeconds(o.value(QLatin1StringView("remaining_time")).toString().toUtf8());
    e.throughput = number(o, QLatin1StringView("throughput"));
    e.totalTokens = integer(o, QLatin1StringView("total_tokens"));
    m_entries.append(e);
}

std::optional<qint64> TrainerJsonlReader::currentSteps() const
{
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
        if (it->currentSteps)
            return it->currentSteps;
    }
    return std::nullopt;
}

std::optional<qint64> TrainerJsonlReader::totalSteps() const
{
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
        if (it->totalSteps)
            return it->totalSteps;
    }
    return std::nullopt;
}

std::optional<double> TrainerJsonlReader::finalLoss() const
{
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
        if (it->loss)
            return it->loss;
    }
    return std::nullopt;
}

std::optional<qint64> TrainerJsonlReader::remainingSeconds() const
{
    if (m_entries.isEmpty())
        return std::nullopt;
    return m_entries.last().remainingSeconds;
}

} // namespace TuneDeck::Telemetry
