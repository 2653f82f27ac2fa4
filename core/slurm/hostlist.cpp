#include "core/slurm/hostlist.h"

namespace TuneDeck::Slurm {
namespace {

// One "[...]" range list: "01-04,07" -> 01 02 03 04 07.
std::optional<QStringList> expandRanges(QStringView ranges, int maxHosts)
{
    QStringList out;
    for (QStringView part : ranges.split(u',')) {
        const qsizetype dash = part.indexOf(u'-');
        const QStringView lowText = dash < 0 ? part : part.left(dash);
        const QStringView highText = dash < 0 ? part : part.mid(dash + 1);
        bool okLow = false, okHigh = false;
        const qint64 low = lowText.toLongLong(&okLow);
        const qint64 high = highText.toLongLong(&okHigh);
        if (lowText.isEmpty() || highText.isEmpty() || !okLow || !okHigh || low < 0 || high < low)
            return std::nullopt;
        for (QChar c : lowText)
            if (!c.isDigit())
                return std::nullopt;
        if (high - low + out.size() >= maxHosts)
            return std::nullopt;
        const int width = int(lowText.size()); // "01-10": two digits throughout
        for (qint64 n = low; n <= high; ++n)
            out.append(QString::number(n).rightJustified(width, u'0'));
    }
    return out;
}

// One host expression without top-level commas: "gpu[01-02]x[1-2]" -> gpu01x1 gpu01x2 gpu02x1 gpu02x2.
std::optional<QStringList> expandOne(QStringView host, int maxHosts)
{
    QStringList prefixes { QString() };
    qsizetype i = 0;
    while (i < host.size()) {
        const qsizetype open = host.indexOf(u'[', i);
        const QStringView literal = host.mid(i, open < 0 ? host.size() - i : open - i);
        if (literal.contains(u']'))
            return std::nullopt;
        for (QString& p : prefixes)
            p += literal;
        if (open < 0)
            break;
        const qsizetype close = host.indexOf(u']', open);
        if (close < 0)
            return std::nullopt;
        const std::optional<QStringList> values = expandRanges(host.mid(open + 1, close - open - 1), maxHosts);
        if (!values || qint64(prefixes.size()) * values->size() > maxHosts)
            return std::nullopt;
        QStringList next;
        for (const QString& p : std::as_const(prefixes))
            for (const QString& v : *values)
                next.append(p + v);
        prefixes = next;
        i = close + 1;
    }
    for (const QString& p : std::as_const(prefixes))
        if (p.isEmpty())
            return std::nullopt;
    return prefixes;
}

} // namespace

std::optional<QStringList> expandHostList(QStringView text, int maxHosts)
{
    text = text.trimmed();
    if (text.isEmpty() || text == u"None assigned" || text == u"(null)")
        return QStringList();
    QStringList hosts;
    int depth = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        const QChar c = i < text.size() ? text[i] : QChar(u',');
        if (c == u'[')
            ++depth;
        else if (c == u']')
            --depth;
        else if (c.isSpace())
            return std::nullopt;
        if (depth < 0 || depth > 1)
            return std::nullopt;
        if (c == u',' && depth == 0) {
            const std::optional<QStringList> one = expandOne(text.mid(start, i - start), maxHosts - int(hosts.size()));
            if (!one)
                return std::nullopt;
            hosts += *one;
            if (hosts.size() > maxHosts)
                return std::nullopt;
            start = i + 1;
        }
    }
    if (depth != 0)
        return std::nullopt;
    return hosts;
}

} // namespace TuneDeck::Slurm
