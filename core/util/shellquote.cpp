#include "core/util/shellquote.h"

namespace TuneDeck {

QString shellSingleQuote(QStringView text)
{
    QString quoted;
    quoted.reserve(text.size() + 2);
    quoted += u'\'';
    for (QChar c : text) {
        if (c == u'\'')
            quoted += u"'\\''";
        else
            quoted += c;
    }
    quoted += u'\'';
    return quoted;
}

std::optional<QString> sbatchQuote(QStringView text)
{
    QString quoted;
    quoted.reserve(text.size() + 2);
    quoted += u'"';
    for (QChar c : text) {
        if (c == u'\n' || c == u'\r' || c == QChar(0))
            return std::nullopt;
        if (c == u'"' || c == u'\\')
            quoted += u'\\';
        quoted += c;
    }
    quoted += u'"';
    return quoted;
}

bool isSlurmIdentifier(QStringView text)
{
    if (text.isEmpty() || text.front() == u'-')
        return false;
    for (QChar c : text) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'
            || c == u'.' || c == u'-';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace TuneDeck
