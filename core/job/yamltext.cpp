#include "core/job/yamltext.h"

#include "core/util/terminaltext.h"

#include <QLocale>
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
            else if (terminalSafe(QStringView(&c, 1)).size() > 1)
                // C1 and bidi controls are legal YAML but would reorder or control a terminal showing
                // the file (`import` prints the spec); the escape reads back as the same character.
                quoted += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QChar(u'0'));
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

QString yamlFloat(double value)
{
    // Shortest round-trip digits; Qt writes "1e-05", "1e+20", "0.0001", "123456789".
    QString text = QString::number(value, 'g', QLocale::FloatingPointShortest);
    const qsizetype e = text.indexOf(u'e');
    QString mantissa = e < 0 ? text : text.left(e);
    QString exponent = e < 0 ? QString() : text.mid(e + 1);
    if (!mantissa.contains(u'.'))
        mantissa += u".0";
    if (!exponent.isEmpty() && exponent[0] != u'-' && exponent[0] != u'+')
        exponent.prepend(u'+');
    return exponent.isEmpty() ? mantissa : mantissa + u'e' + exponent;
}

QString yamlFloat(const QString& text)
{
    // YAML 1.1's float, without the sexagesimal and '_' forms: "1.0e-4" is one, "1e-4" and "1.0e4" are
    // strings to PyYAML.
    static const QRegularExpression yaml11Float(QStringLiteral("^[-+]?[0-9]+\\.[0-9]*(?:[eE][-+][0-9]+)?\\z"));
    const QString trimmed = text.trimmed();
    if (yaml11Float.match(trimmed).hasMatch())
        return trimmed;
    bool ok = false;
    const double value = trimmed.toDouble(&ok);
    return ok ? yamlFloat(value) : trimmed;
}

} // namespace TuneDeck
