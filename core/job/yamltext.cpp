#include "core/job/yamltext.h"

#include <QRegularExpression>

namespace TuneDeck {

QString yamlString(const QString& text)
{
    // Plain scalars that YAML 1.1 would turn into booleans, nulls or numbers must be quoted.
    static const QRegularExpression safePlain(QStringLiteral("^[A-Za-z_/][A-Za-z0-9_./,@+-]*\\z"));
    static const QRegularExpression special(QStringLiteral(
        "^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$"));
    if (safePlain.match(text).hasMatch() && !special.match(text).hasMatch())
        return text;
    QString quoted = QStringLiteral("\"");
    for (QChar c : text) {
        switch (c.unicode()) {
        case '"':
            quoted += u"\\\"";
            break;
        case '\\':
            quoted += u"\\\\";
            break;
        case '\n':
            quoted += u"\\n";
            break;
        case '\t':
            quoted += u"\\t";
            break;
        case '\r':
            quoted += u"\\r";
            break;
        default:
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                quoted += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QChar(u'0'));
            else
                quoted += c;
        }
    }
    quoted += u'"';
    return quoted;
}

QString yamlBool(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

QString yamlFloat(const QString& text)
{
    static const QRegularExpression noDotExponent(QStringLiteral("^([+-]?\\d+)([eE][+-]?\\d+)\\z"));
    const QRegularExpressionMatch match = noDotExponent.match(text.trimmed());
    if (match.hasMatch())
        return match.captured(1) + u".0" + match.captured(2);
    return text.trimmed();
}

} // namespace TuneDeck
