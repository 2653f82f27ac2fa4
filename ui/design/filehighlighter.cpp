#include "ui/design/filehighlighter.h"

#include <QGuiApplication>
#include <QPalette>

namespace TuneDeck::Ui {
namespace {

// A colour between the text colour and an accent, so it reads on light and dark backgrounds alike.
QColor tinted(const QColor& accent)
{
    const QColor text = QGuiApplication::palette().color(QPalette::Text);
    const bool dark = text.lightnessF() > 0.5; // light text: a dark theme
    return dark ? accent.lighter(150) : accent.darker(130);
}

QTextCharFormat charFormat(const QColor& colour, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(tinted(colour));
    if (bold)
        f.setFontWeight(QFont::Bold);
    f.setFontItalic(italic);
    return f;
}

} // namespace

FileHighlighter::FileHighlighter(Language language, QTextDocument* document)
    : QSyntaxHighlighter(document)
{
    const QTextCharFormat comment = charFormat(QColor(0x6a, 0x73, 0x7d), false, true);
    const QTextCharFormat directive = charFormat(QColor(0x8e, 0x44, 0xad), true);
    const QTextCharFormat keyword = charFormat(QColor(0x1d, 0x63, 0xb8), true);
    const QTextCharFormat string = charFormat(QColor(0x2e, 0x8b, 0x57));
    const QTextCharFormat variable = charFormat(QColor(0xb3, 0x5c, 0x00));
    const QTextCharFormat key = charFormat(QColor(0x1d, 0x63, 0xb8));
    const QTextCharFormat number = charFormat(QColor(0xb3, 0x5c, 0x00));
    if (language == Language::Shell) {
        m_rules = {
            { QRegularExpression(QStringLiteral(
                  R"(\b(if|then|else|elif|fi|for|in|do|done|while|case|esac|export|set|trap|exit|function|local)\b)")),
                keyword },
            { QRegularExpression(QStringLiteral(R"(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)")), variable },
            { QRegularExpression(QStringLiteral(R"('[^']*'|"(?:[^"\\]|\\.)*")")), string },
            { QRegularExpression(QStringLiteral(R"((?:^|\s)(#(?!SBATCH).*)$)")), comment, 1 },
            { QRegularExpression(QStringLiteral(R"(^#SBATCH.*$)")), directive },
        };
    } else {
        m_rules = {
            { QRegularExpression(QStringLiteral(R"(^\s*(?:-\s+)?([A-Za-z_][\w.\-]*)\s*:)")), key, 1 },
            { QRegularExpression(QStringLiteral(R"(:\s+(-?[0-9][0-9_.eE+\-]*|true|false|null)\s*$)")), number, 1 },
            { QRegularExpression(QStringLiteral(R"('[^']*'|"(?:[^"\\]|\\.)*")")), string },
            { QRegularExpression(QStringLiteral(R"((?:^|\s)(#.*)$)")), comment, 1 },
        };
    }
}

void FileHighlighter::highlightBlock(const QString& text)
{
    // Later rules win: comments and directives are last so they colour the whole rest of the line.
    for (const Rule& rule : std::as_const(m_rules)) {
        for (auto it = rule.pattern.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            setFormat(int(match.capturedStart(rule.group)), int(match.capturedLength(rule.group)), rule.format);
        }
    }
}

} // namespace TuneDeck::Ui
