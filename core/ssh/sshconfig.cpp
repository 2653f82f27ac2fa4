#include "core/ssh/sshconfig.h"

#include <QDir>
#include <QFile>
#include <QSet>

namespace TuneDeck {
namespace {

// Splits one line into its keyword and arguments: "Key value", "Key=value", "Key = "quoted value"".
bool splitLine(QStringView line, QString* keyword, QStringList* arguments)
{
    line = line.trimmed();
    if (line.isEmpty() || line.front() == u'#')
        return false;
    qsizetype i = 0;
    while (i < line.size() && !line[i].isSpace() && line[i] != u'=')
        ++i;
    *keyword = line.left(i).toString().toLower();
    // Skip the separator: whitespace and at most one '='.
    bool sawEquals = false;
    while (i < line.size() && (line[i].isSpace() || (line[i] == u'=' && !sawEquals))) {
        if (line[i] == u'=')
            sawEquals = true;
        ++i;
    }
    arguments->clear();
    QString current;
    bool inQuotes = false;
    bool hasToken = false;
    for (; i < line.size(); ++i) {
        const QChar c = line[i];
        if (c == u'"') {
            inQuotes = !inQuotes;
            hasToken = true;
        } else if (c.isSpace() && !inQuotes) {
            if (hasToken)
                arguments->append(current);
            current.clear();
            hasToken = false;
        } else {
            current += c;
            hasToken = true;
        }
    }
    if (hasToken)
        arguments->append(current);
    return !keyword->isEmpty();
}

bool hostLineMatches(const QStringList& patterns, const QString& host)
{
    bool positive = false;
    for (const QString& pattern : patterns) {
        if (pattern.startsWith(u'!')) {
            // A matching negated pattern rules the block out whatever else matches (ssh_config(5)).
            if (sshHostPatternMatches(QStringView(pattern).mid(1), host))
                return false;
        } else if (sshHostPatternMatches(pattern, host)) {
            positive = true;
        }
    }
    return positive;
}

// The TOKENS of ssh_config(5) that make sense for our options.
QString expandTokens(const QString& value, const SshConfigContext& context, const SshTarget& target)
{
    QString out;
    QString text = value;
    if (text == u"~" || text.startsWith(u"~/"))
        text = context.homeDir + text.mid(1);
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'%' || i + 1 >= text.size()) {
            out += text[i];
            continue;
        }
        const QChar token = text[++i];
        if (token == u'%')
            out += u'%';
        else if (token == u'd')
            out += context.homeDir;
        else if (token == u'u')
            out += context.localUser;
        else if (token == u'h')
            out += target.host;
        else if (token == u'n')
            out += target.alias;
        else if (token == u'r')
            out += target.user;
        else if (token == u'p')
            out += QString::number(target.port);
        else
            out += u'%' % token;
    }
    return out;
}

// Options TuneDeck honours; everything else is reported. StrictHostKeyChecking is read only to warn.
const QSet<QString>& supportedKeywords()
{
    static const QSet<QString> keywords {
        QStringLiteral("host"),
        QStringLiteral("hostname"),
        QStringLiteral("user"),
        QStringLiteral("port"),
        QStringLiteral("identityfile"),
        QStringLiteral("proxyjump"),
        QStringLiteral("identitiesonly"),
        QStringLiteral("identityagent"),
        QStringLiteral("userknownhostsfile"),
        QStringLiteral("stricthostkeychecking"),
        QStringLiteral("serveraliveinterval"),
        QStringLiteral("serveralivecountmax"),
    };
    return keywords;
}

} // namespace

bool sshHostPatternMatches(QStringView pattern, QStringView host)
{
    // Iterative glob with backtracking to the last '*'.
    qsizetype p = 0, h = 0, starP = -1, starH = 0;
    while (h < host.size()) {
        if (p < pattern.size() && (pattern[p] == u'?' || pattern[p].toLower() == host[h].toLower())) {
            ++p;
            ++h;
        } else if (p < pattern.size() && pattern[p] == u'*') {
            starP = p++;
            starH = h;
        } else if (starP >= 0) {
            p = starP + 1;
            h = ++starH;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

QStringList sshConfigHostAliases(const QString& configText)
{
    QStringList aliases;
    for (const QString& line : configText.split(u'\n')) {
        QString keyword;
        QStringList args;
        if (!splitLine(line, &keyword, &args) || keyword != u"host")
            continue;
        for (const QString& pattern : std::as_const(args)) {
            // Patterns and negations match many hosts: a user picks a name, not a pattern.
            if (pattern.contains(u'*') || pattern.contains(u'?') || pattern.startsWith(u'!'))
                continue;
            if (!aliases.contains(pattern))
                aliases.append(pattern);
        }
    }
    return aliases;
}

SshConfigResult resolveSshConfig(const QString& configText, const QString& alias, const SshConfigContext& context)
{
    SshConfigResult result;
    result.target.alias = alias;
    QString hostName, user, port, proxyJump, strict;
    QStringList identityFiles;
    bool sawIdentitiesOnly = false, sawAgent = false, sawKnownHosts = false, sawAliveInterval = false,
         sawAliveCount = false;
    QString agent, knownHosts;
    bool identitiesOnly = false;
    int aliveInterval = 0, aliveCount = 0;

    bool active = true; // options before the first Host line apply to every host
    const QStringList lines = configText.split(u'\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QString keyword;
        QStringList args;
        if (!splitLine(lines[n], &keyword, &args))
            continue;
        const QString where = context.fileName % u':' % QString::number(n + 1);
        if (keyword == u"host") {
            active = hostLineMatches(args, alias);
            continue;
        }
        if (keyword == u"match") {
            result.warnings.append(
                where % u": 'Match' blocks are not supported by TuneDeck; the options in this block are ignored");
            active = false;
            continue;
        }
        if (!active)
            continue;
        if (keyword == u"include") {
            result.warnings.append(
                where % u": 'Include' is not supported by TuneDeck; the included files are not read");
            continue;
        }
        if (!supportedKeywords().contains(keyword)) {
            result.warnings.append(where % u": option '" % keyword % u"' is not used by TuneDeck and is ignored");
            continue;
        }
        if (args.isEmpty()) {
            result.warnings.append(where % u": option '" % keyword % u"' has no value and is ignored");
            continue;
        }
        const QString& value = args.front();
        // The first obtained value wins (ssh_config(5)); IdentityFile is the exception and accumulates.
        if (keyword == u"hostname" && hostName.isNull())
            hostName = value;
        else if (keyword == u"user" && user.isNull())
            user = value;
        else if (keyword == u"port" && port.isNull())
            port = value;
        else if (keyword == u"proxyjump" && proxyJump.isNull())
            proxyJump = value;
        else if (keyword == u"identityfile")
            identityFiles.append(value);
        else if (keyword == u"identitiesonly" && !sawIdentitiesOnly) {
            sawIdentitiesOnly = true;
            identitiesOnly = value.compare(u"yes", Qt::CaseInsensitive) == 0;
        } else if (keyword == u"identityagent" && !sawAgent) {
            sawAgent = true;
            agent = value;
        } else if (keyword == u"userknownhostsfile" && !sawKnownHosts) {
            sawKnownHosts = true;
            knownHosts = value;
            if (args.size() > 1)
                result.warnings.append(where % u": only the first UserKnownHostsFile is used by TuneDeck");
        } else if (keyword == u"stricthostkeychecking" && strict.isNull()) {
            strict = value.toLower();
            if (strict != u"yes" && strict != u"ask")
                result.warnings.append(where % u": 'StrictHostKeyChecking " % value
                    % u"' is not honoured: TuneDeck always verifies host keys, asks before trusting a new one "
                      u"and refuses a changed one");
        } else if (keyword == u"serveraliveinterval" && !sawAliveInterval) {
            sawAliveInterval = true;
            aliveInterval = value.toInt();
        } else if (keyword == u"serveralivecountmax" && !sawAliveCount) {
            sawAliveCount = true;
            aliveCount = value.toInt();
        }
    }

    SshTarget& target = result.target;
    target.host = hostName.isNull() ? alias : hostName;
    // HostName may use %h for the alias (ssh_config(5): "HostName ... accepts the tokens %% and %h").
    target.host.replace(QStringLiteral("%h"), alias);
    target.user = user.isNull() ? context.localUser : user;
    if (!port.isNull()) {
        bool ok = false;
        const int number = port.toInt(&ok);
        if (!ok || number <= 0 || number > 65535)
            result.error = u"Port '" % port % u"' in " % context.fileName % u" is not a valid port number";
        else
            target.port = number;
    }
    if (!proxyJump.isNull() && proxyJump.compare(u"none", Qt::CaseInsensitive) != 0)
        target.proxyJump = proxyJump;
    for (const QString& file : std::as_const(identityFiles)) {
        const QString expanded = expandTokens(file, context, target);
        if (!target.identityFiles.contains(expanded))
            target.identityFiles.append(expanded);
    }
    result.identitiesOnly = identitiesOnly;
    result.identityAgent = agent.isEmpty() ? QString() : expandTokens(agent, context, target);
    result.knownHostsFile = knownHosts.isEmpty() ? QString() : expandTokens(knownHosts, context, target);
    result.serverAliveIntervalS = aliveInterval;
    result.serverAliveCountMax = aliveCount;
    return result;
}

SshConfigResult resolveSshConfigFile(const QString& path, const QString& alias, const SshConfigContext& context)
{
    QFile file(path);
    QString text;
    if (file.open(QIODevice::ReadOnly))
        text = QString::fromUtf8(file.readAll());
    SshConfigContext withName = context;
    withName.fileName = path;
    SshConfigResult result = resolveSshConfig(text, alias, withName);
    if (file.isOpen())
        result.configFile = path;
    return result;
}

SshConfigContext currentSshConfigContext()
{
    SshConfigContext context;
    context.homeDir = QDir::homePath();
    context.localUser = qEnvironmentVariable("USER");
    if (context.localUser.isEmpty())
        context.localUser = qEnvironmentVariable("LOGNAME");
    return context;
}

} // namespace TuneDeck
