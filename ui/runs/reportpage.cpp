#include "ui/runs/reportpage.h"

#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace TuneDeck::Ui {

ReportPage::ReportPage(const Archive::ArchivedRun& run, const QList<Archive::ReportFinding>& findings, QWidget* parent)
    : QWidget(parent)
    , m_runId(run.id)
    , m_findings(findings)
    , m_text(new QTextBrowser)
{
    setObjectName(QStringLiteral("reportPage"));
    auto* header = new QLabel(tr("Efficiency report of <b>%1</b> (%2, %3)")
                                  .arg(run.name.toHtmlEscaped(), run.shapeText().toHtmlEscaped(),
                                      run.state.isEmpty() ? tr("state unknown") : run.state.toHtmlEscaped()));
    header->setTextFormat(Qt::RichText);
    m_text->setObjectName(QStringLiteral("reportText"));
    m_text->setAccessibleName(tr("Efficiency report"));
    m_text->setOpenLinks(false);

    // Everything shown comes from the archive (names, paths, numbers): escaped, never taken as markup.
    QString html;
    for (const Archive::ReportFinding& f : findings) {
        html += QStringLiteral("<h3>%1</h3><p>%2</p>").arg(f.title.toHtmlEscaped(), f.finding.toHtmlEscaped());
        if (!f.suggestion.isEmpty())
            html += QStringLiteral("<p>→ <i>%1</i></p>").arg(f.suggestion.toHtmlEscaped());
    }
    if (findings.isEmpty())
        html = tr("<p>Nothing to report: the run recorded too little to judge.</p>");
    m_text->setHtml(html);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(header);
    layout->addWidget(m_text, 1);
}

} // namespace TuneDeck::Ui
