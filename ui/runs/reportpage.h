#pragma once

#include "core/archive/efficiencyreport.h"

#include <QWidget>

class QTextBrowser;

namespace TuneDeck::Ui {

// The efficiency report of one archived run (issue 11 part 4), as `tunedeck report` prints it: each
// finding with what was seen and, where there is one, what to change. Read-only text that can be
// selected and copied.
class ReportPage : public QWidget
{
    Q_OBJECT
public:
    ReportPage(
        const Archive::ArchivedRun& run, const QList<Archive::ReportFinding>& findings, QWidget* parent = nullptr);

    qint64 runId() const { return m_runId; }
    const QList<Archive::ReportFinding>& findings() const { return m_findings; }
    QTextBrowser* text() const { return m_text; }

private:
    qint64 m_runId;
    QList<Archive::ReportFinding> m_findings;
    QTextBrowser* m_text;
};

} // namespace TuneDeck::Ui
