#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>

namespace TuneDeck::Ui {

// Colours for the generated files in the preview: a bash script or YAML. One small rule table per
// language; colours come from the palette, so the preview follows a dark theme too (STYLE.md item 31,
// the shape of hotspot's src/models/highlighter.cpp).
class FileHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    enum class Language { Shell, Yaml };
    FileHighlighter(Language language, QTextDocument* document);

protected:
    void highlightBlock(const QString& text) override;

private:
    struct Rule
    {
        QRegularExpression pattern;
        QTextCharFormat format;
        int group = 0; // the capture group to colour
    };
    QList<Rule> m_rules;
};

} // namespace TuneDeck::Ui
