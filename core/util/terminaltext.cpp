#include "core/util/terminaltext.h"

namespace TuneDeck {
namespace {

bool isBidiOrLineControl(char32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
        || c == 0x2028 || c == 0x2029;
}

} // namespace

QString terminalSafe(QStringView text, bool keepNewlines)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\t' || (u == u'\n' && keepNewlines)) {
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            switch (u) {
            case 0x1b:
                out += u"\\e";
                break;
            case 0x07:
                out += u"\\a";
                break;
            case u'\n':
                out += u"\\n";
                break;
            case u'\r':
                out += u"\\r";
                break;
            default:
                out += QStringLiteral("\\x%1").arg(int(u), 2, 16, QChar(u'0'));
            }
        } else if ((u >= 0x80 && u <= 0x9f) || isBidiOrLineControl(u)) {
            out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QChar(u'0'));
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace TuneDeck
