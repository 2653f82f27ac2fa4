#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace TuneDeck::Telemetry {

// Lines a reader could not use. Never fatal: logs are followed live and pasted by hand, so a broken line
// is counted and a few are kept (with their 1-based line numbers) for the "N lines skipped" detail view.
class ParseIssues
{
public:
    static constexpr int MaxExamples = 5;
    static constexpr qsizetype MaxExampleBytes = 200;

    struct Example
    {
        qint64 line = 0;
        QByteArray text;
        QString reason;
    };

    void add(qint64 lineNumber, QByteArrayView text, const char* reason)
    {
        ++m_count;
        if (m_examples.size() < MaxExamples)
            m_examples.append({ lineNumber, text.first(std::min(text.size(), MaxExampleBytes)).toByteArray(),
                QString::fromLatin1(reason) });
    }
    qint64 count() const { return m_count; }
    const QList<Example>& examples() const { return m_examples; }

private:
    qint64 m_count = 0;
    QList<Example> m_examples;
};

} // namespace TuneDeck::Telemetry
