#include "core/job/sbatchimporter.h"

#include "core/job/jobvalidator.h"
#include "core/util/slurmvalues.h"

#include <QDir>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <optional>

namespace TuneDeck {
namespace {

// C's isspace() in the "C" locale, which is what sbatch's parser uses; QChar::isSpace() would also
// take Unicode spaces that sbatch keeps inside a word.
bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\v' || c == u'\f' || c == u'\r';
}

QString firstWords(const QString& text, qsizetype max = 80)
{
    QString simplified = text.simplified();
    if (simplified.size() > max)
        simplified = simplified.left(max - 3) + u"...";
    return simplified;
}

// ---------------------------------------------------------------------------------------------------
// sbatch's options (Slurm 22.05, sbatch(1) and src/common/slurm_opt.c). The argument kind decides
// whether getopt_long takes the next word as the value: a required argument always does, even when the
// next word starts with '-' or sits on the next #SBATCH line; an optional one only with '='.

enum class ArgKind { None, Required, Optional };

struct OptionSpec
{
    const char* name;
    char shortName;
    ArgKind arg;
};

const OptionSpec SbatchOptions[] = {
    { "account", 'A', ArgKind::Required },
    { "acctg-freq", 0, ArgKind::Required },
    { "array", 'a', ArgKind::Required },
    { "batch", 0, ArgKind::Required },
    { "bb", 0, ArgKind::Required },
    { "bbf", 0, ArgKind::Required },
    { "begin", 'b', ArgKind::Required },
    { "chdir", 'D', ArgKind::Required },
    { "cluster-constraint", 0, ArgKind::Required },
    { "clusters", 'M', ArgKind::Required },
    { "comment", 0, ArgKind::Required },
    { "constraint", 'C', ArgKind::Required },
    { "container", 0, ArgKind::Required },
    { "contiguous", 0, ArgKind::None },
    { "core-spec", 'S', ArgKind::Required },
    { "cores-per-socket", 0, ArgKind::Required },
    { "cpu-freq", 0, ArgKind::Required },
    { "cpus-per-gpu", 0, ArgKind::Required },
    { "cpus-per-task", 'c', ArgKind::Required },
    { "deadline", 0, ArgKind::Required },
    { "delay-boot", 0, ArgKind::Required },
    { "dependency", 'd', ArgKind::Required },
    { "distribution", 'm', ArgKind::Required },
    { "error", 'e', ArgKind::Required },
    { "exclude", 'x', ArgKind::Required },
    { "exclusive", 0, ArgKind::Optional },
    { "export", 0, ArgKind::Required },
    { "export-file", 0, ArgKind::Required },
    { "extra-node-info", 'B', ArgKind::Required },
    { "get-user-env", 0, ArgKind::Optional },
    { "gid", 0, ArgKind::Required },
    { "gpu-bind", 0, ArgKind::Required },
    { "gpu-freq", 0, ArgKind::Required },
    { "gpus", 'G', ArgKind::Required },
    { "gpus-per-node", 0, ArgKind::Required },
    { "gpus-per-socket", 0, ArgKind::Required },
    { "gpus-per-task", 0, ArgKind::Required },
    { "gres", 0, ArgKind::Required },
    { "gres-flags", 0, ArgKind::Required },
    { "help", 'h', ArgKind::None },
    { "hint", 0, ArgKind::Required },
    { "hold", 'H', ArgKind::None },
    { "ignore-pbs", 0, ArgKind::None },
    { "immediate", 'I', ArgKind::Optional },
    { "input", 'i', ArgKind::Required },
    { "job-name", 'J', ArgKind::Required },
    { "kill-on-invalid-dep", 0, ArgKind::Required },
    { "licenses", 'L', ArgKind::Required },
    { "mail-type", 0, ArgKind::Required },
    { "mail-user", 0, ArgKind::Required },
    { "mcs-label", 0, ArgKind::Required },
    { "mem", 0, ArgKind::Required },
    { "mem-bind", 0, ArgKind::Required },
    { "mem-per-cpu", 0, ArgKind::Required },
    { "mem-per-gpu", 0, ArgKind::Required },
    { "mincpus", 0, ArgKind::Required },
    { "network", 0, ArgKind::Required },
    { "nice", 0, ArgKind::Optional },
    { "no-kill", 'k', ArgKind::Optional },
    { "no-requeue", 0, ArgKind::None },
    { "nodefile", 'F', ArgKind::Required },
    { "nodelist", 'w', ArgKind::Required },
    { "nodes", 'N', ArgKind::Required },
    { "ntasks", 'n', ArgKind::Required },
    { "ntasks-per-core", 0, ArgKind::Required },
    { "ntasks-per-gpu", 0, ArgKind::Required },
    { "ntasks-per-node", 0, ArgKind::Required },
    { "ntasks-per-socket", 0, ArgKind::Required },
    { "open-mode", 0, ArgKind::Required },
    { "output", 'o', ArgKind::Required },
    { "overcommit", 'O', ArgKind::None },
    { "oversubscribe", 's', ArgKind::None },
    { "parsable", 0, ArgKind::None },
    { "partition", 'p', ArgKind::Required },
    { "power", 0, ArgKind::Required },
    { "prefer", 0, ArgKind::Required },
    { "priority", 0, ArgKind::Required },
    { "profile", 0, ArgKind::Required },
    { "propagate", 0, ArgKind::Optional },
    { "qos", 'q', ArgKind::Required },
    { "quiet", 'Q', ArgKind::None },
    { "reboot", 0, ArgKind::None },
    { "requeue", 0, ArgKind::None },
    { "reservation", 0, ArgKind::Required },
    { "signal", 0, ArgKind::Required },
    { "sockets-per-node", 0, ArgKind::Required },
    { "spread-job", 0, ArgKind::None },
    { "switches", 0, ArgKind::Required },
    { "test-only", 0, ArgKind::None },
    { "thread-spec", 0, ArgKind::Required },
    { "threads-per-core", 0, ArgKind::Required },
    { "time", 't', ArgKind::Required },
    { "time-min", 0, ArgKind::Required },
    { "tmp", 0, ArgKind::Required },
    { "uid", 0, ArgKind::Required },
    { "usage", 'u', ArgKind::None },
    { "use-min-nodes", 0, ArgKind::None },
    { "verbose", 'v', ArgKind::None },
    { "version", 'V', ArgKind::None },
    { "wait", 'W', ArgKind::None },
    { "wait-all-nodes", 0, ArgKind::Required },
    { "wckey", 0, ArgKind::Required },
    { "wrap", 0, ArgKind::Required },
};

// NVIDIA's pyxis SPANK plugin (container jobs) is common on GPU clusters: its options are kept. Any other
// option sbatch does not know makes sbatch refuse the script, so importing it would only defer the error.
bool isPyxisOption(const QString& name)
{
    static const QStringList options { QStringLiteral("container-image"), QStringLiteral("container-mounts"),
        QStringLiteral("container-workdir"), QStringLiteral("container-name"), QStringLiteral("container-save"),
        QStringLiteral("container-mount-home"), QStringLiteral("no-container-mount-home"),
        QStringLiteral("container-remap-root"), QStringLiteral("no-container-remap-root"),
        QStringLiteral("container-entrypoint"), QStringLiteral("no-container-entrypoint"),
        QStringLiteral("container-writable"), QStringLiteral("container-readonly"), QStringLiteral("container-env") };
    return options.contains(name);
}

// `candidates` receives every option `name` abbreviates when it is ambiguous (nullptr returned).
const OptionSpec* findLong(const QString& name, bool* abbreviated, QStringList* candidates)
{
    *abbreviated = false;
    const OptionSpec* prefixMatch = nullptr;
    int prefixMatches = 0;
    for (const OptionSpec& option : SbatchOptions) {
        const QLatin1StringView optionName(option.name);
        if (name == optionName)
            return &option;
        if (!name.isEmpty() && optionName.startsWith(name)) {
            prefixMatch = &option;
            ++prefixMatches;
            candidates->append(QStringLiteral("--") + optionName);
        }
    }
    // getopt_long accepts any unambiguous prefix of a long option.
    if (prefixMatches == 1) {
        *abbreviated = true;
        return prefixMatch;
    }
    return nullptr;
}

const OptionSpec* findShort(QChar c)
{
    for (const OptionSpec& option : SbatchOptions) {
        if (option.shortName != 0 && c == QLatin1Char(option.shortName))
            return &option;
    }
    return nullptr;
}

// One option after getopt_long-style parsing, always under its long name.
struct ParsedOption
{
    QString name; // without "--"
    QString value;
    bool hasValue = false;
    int line = 0;
    bool known = true;
};

// ---------------------------------------------------------------------------------------------------
// A small shell reader for the script body: enough of bash's word splitting to find commands and
// their arguments. Quotes are removed; $VAR, ${VAR}, $(...) and `...` stay as text for expansion.

struct ShellWord
{
    QString text;
    bool isOperator = false; // ; && || | & ( )
    bool quoted = false; // had quotes or escapes, so bash does not split it again after expansion
};

QList<ShellWord> shellWords(QStringView text, bool* openQuote = nullptr)
{
    QList<ShellWord> words;
    QString current;
    bool inWord = false;
    bool quoted = false;
    if (openQuote)
        *openQuote = false;
    const auto flush = [&words, &current, &inWord, &quoted]() {
        if (inWord)
            words.append({ current, false, quoted });
        current.clear();
        inWord = false;
        quoted = false;
    };
    const qsizetype n = text.size();
    const auto copyBalanced = [&text, &current, n](qsizetype i, QChar open, QChar close) {
        // Copies from text[i] (a '$') through the matching close bracket; returns the index after it.
        int depth = 0;
        for (; i < n; ++i) {
            current += text[i];
            if (text[i] == open)
                ++depth;
            else if (text[i] == close && --depth == 0)
                return i + 1;
        }
        return n;
    };
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text[i];
        const QChar next = i + 1 < n ? text[i + 1] : QChar();
        if (isBlank(c)) {
            flush();
            ++i;
        } else if (c == u'#' && !inWord) {
            break;
        } else if ((c == u';' || c == u'|' || c == u'&' || c == u'(' || c == u')')
            && !(c == u'&' && (next == u'>' || current.endsWith(u'>') || current.endsWith(u'<')))) {
            flush();
            if ((c == u'&' || c == u'|' || c == u';') && next == c) {
                words.append({ QString(2, c), true });
                i += 2;
            } else {
                words.append({ QString(c), true });
                ++i;
            }
        } else if (c == u'\\') {
            if (next == u'\n') {
                i += 2;
            } else {
                if (i + 1 < n)
                    current += next;
                inWord = true;
                quoted = true;
                i += 2;
            }
        } else if (c == u'\'') {
            const qsizetype end = text.indexOf(u'\'', i + 1);
            inWord = true;
            quoted = true;
            if (end < 0) {
                current += text.mid(i + 1);
                if (openQuote)
                    *openQuote = true;
                break;
            }
            current += text.mid(i + 1, end - i - 1);
            i = end + 1;
        } else if (c == u'"') {
            inWord = true;
            quoted = true;
            ++i;
            while (i < n && text[i] != u'"') {
                if (text[i] == u'\\' && i + 1 < n && QStringView(u"$`\"\\\n").contains(text[i + 1])) {
                    if (text[i + 1] != u'\n')
                        current += text[i + 1];
                    i += 2;
                } else if (text[i] == u'$' && i + 1 < n && text[i + 1] == u'(') {
                    current += u'$';
                    i = copyBalanced(i + 1, u'(', u')');
                } else {
                    current += text[i++];
                }
            }
            if (i >= n) {
                if (openQuote)
                    *openQuote = true;
                break;
            }
            ++i;
        } else if (c == u'$' && (next == u'(' || next == u'{')) {
            current += c;
            i = copyBalanced(i + 1, next, next == u'(' ? u')' : u'}');
            inWord = true;
        } else if (c == u'`') {
            const qsizetype end = text.indexOf(u'`', i + 1);
            const qsizetype stop = end < 0 ? n : end + 1;
            current += text.mid(i, stop - i);
            i = stop;
            inWord = true;
        } else {
            current += c;
            inWord = true;
            ++i;
        }
    }
    flush();
    return words;
}

bool isAssignment(const QString& word, QString* name = nullptr, QString* value = nullptr)
{
    static const QRegularExpression assignment(
        QStringLiteral("^([A-Za-z_][A-Za-z0-9_]*)=(.*)$"), QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = assignment.match(word);
    if (!match.hasMatch())
        return false;
    if (name)
        *name = match.captured(1);
    if (value)
        *value = match.captured(2);
    return true;
}

// ---------------------------------------------------------------------------------------------------

// The longest text a variable expansion may produce. Real values are paths and command lines; the bound
// keeps a script that doubles a variable on every line from exhausting memory.
constexpr qsizetype MaxExpandedLength = 64 * 1024;

class ScriptImporter
{
public:
    ScriptImporter(const QString& source, const ClusterProfile& profile, ImportResult& result)
        : m_source(source)
        , m_profile(profile)
        , m_result(result)
        , m_spec(result.spec)
    { }

    void run(const QString& script);

private:
    void note(int line, const QString& text) { m_result.note(m_source, line, text); }
    void error(int line, const QString& text) { m_result.error(m_source, line, text); }

    QList<ParsedOption> parseOptions(const QList<SbatchArgument>& arguments);
    void applyOptions(const QList<ParsedOption>& options);
    void applyGpus();
    void applyConstraint();
    void checkOwnedPaths();

    void setText(const char* field, int line, QString& target, const QString& value);
    void setInt(const char* field, int line, int& target, int value);

    void readBody(const QStringList& lines, int firstLine);
    void processLogicalLine(const QString& text, int line);
    void processCommand(QStringList words, int line);
    void assign(const QString& name, const QString& rawValue, int line, bool exported);
    void handleLaunch(const QStringList& args, int line);
    void finishBody();

    QString expand(const QString& word, bool* resolved = nullptr);
    QString resolvePath(const QString& word, int line, const char* what);
    void ignored(int line, const QString& text);

    const QString& m_source;
    const ClusterProfile& m_profile;
    ImportResult& m_result;
    JobSpec& m_spec;

    // Options TuneDeck models, last occurrence wins as in getopt.
    QHash<QString, ParsedOption> m_modelled;

    // Body state.
    bool m_generated = false;
    QHash<QString, QString> m_vars;
    QSet<QString> m_unresolvedVars;
    struct Assignment
    {
        QString name;
        QString text;
        int line;
    };
    QList<Assignment> m_assignments;
    QSet<QString> m_usedVars;
    bool m_expansionTooLong = false; // set by expand(), reported by assign()
    QString m_cwd; // empty: the submission folder, unknown here
    bool m_launchSeen = false;
    QString m_launchDir;
    int m_launchLine = 0;
    QString m_venv;
    int m_venvLine = 0;
    QStringList m_modules;
    int m_modulesLine = 0;
    bool m_installs = false;
    int m_installLine = 0;
    int m_quietLines = 0;
};

void ScriptImporter::setText(const char* field, int line, QString& target, const QString& value)
{
    if (m_result.claim(QString::fromLatin1(field), m_source, line, target, value))
        target = value;
}

void ScriptImporter::setInt(const char* field, int line, int& target, int value)
{
    if (m_result.claim(QString::fromLatin1(field), m_source, line, QString::number(target), QString::number(value)))
        target = value;
}

QList<ParsedOption> ScriptImporter::parseOptions(const QList<SbatchArgument>& arguments)
{
    QList<ParsedOption> options;
    bool endOfOptions = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const SbatchArgument& argument = arguments[i];
        const QString& word = argument.text;
        if (endOfOptions || !word.startsWith(u'-') || word == u"-") {
            // Slurm 22.05's sbatch exits on it: "Invalid directive found in batch script".
            error(argument.line,
                QStringLiteral("'%1' is not an option, and sbatch refuses the script (\"Invalid directive found in "
                               "batch script\")")
                    .arg(word));
            continue;
        }
        if (word == u"--") {
            endOfOptions = true;
            continue;
        }
        if (word.startsWith(u"--")) {
            const qsizetype equals = word.indexOf(u'=');
            const QString name = word.mid(2, equals < 0 ? -1 : equals - 2);
            bool abbreviated = false;
            QStringList candidates;
            const OptionSpec* spec = findLong(name, &abbreviated, &candidates);
            if (!spec && candidates.size() > 1) {
                // getopt_long refuses an ambiguous abbreviation, and so does sbatch; kept, it would be
                // written back as a directive the scheduler refuses.
                error(argument.line,
                    QStringLiteral("--%1 is ambiguous (%2): sbatch refuses the script")
                        .arg(name, candidates.join(u", ")));
                continue;
            }
            ParsedOption option;
            option.line = argument.line;
            if (equals >= 0) {
                option.value = word.mid(equals + 1);
                option.hasValue = true;
            }
            if (!spec) {
                option.name = name;
                option.known = false;
                // An option sbatch does not know (a SPANK plugin's, or a newer Slurm's): take a following
                // word on the same line as its value, since nothing else could use it.
                if (!option.hasValue && i + 1 < arguments.size() && arguments[i + 1].line == argument.line
                    && !arguments[i + 1].text.startsWith(u'-')) {
                    option.value = arguments[++i].text;
                    option.hasValue = true;
                }
                options.append(option);
                continue;
            }
            option.name = QLatin1StringView(spec->name).toString();
            if (abbreviated)
                note(argument.line, QStringLiteral("--%1 is read as --%2 (an abbreviation)").arg(name, option.name));
            if (spec->arg == ArgKind::Required && !option.hasValue) {
                if (i + 1 >= arguments.size()) {
                    error(argument.line, QStringLiteral("--%1 needs a value").arg(option.name));
                    continue;
                }
                option.value = arguments[++i].text;
                option.hasValue = true;
            } else if (spec->arg == ArgKind::None && option.hasValue) {
                error(argument.line, QStringLiteral("--%1 takes no value, got '%2'").arg(option.name, option.value));
                continue;
            }
            options.append(option);
            continue;
        }
        // A cluster of short options, e.g. -N4, -N 4, -Hk.
        for (qsizetype j = 1; j < word.size(); ++j) {
            const OptionSpec* spec = findShort(word[j]);
            if (!spec) {
                error(argument.line, QStringLiteral("-%1 is not an sbatch option").arg(word[j]));
                break;
            }
            ParsedOption option;
            option.name = QLatin1StringView(spec->name).toString();
            option.line = argument.line;
            if (spec->arg == ArgKind::Required) {
                if (j + 1 < word.size()) {
                    option.value = word.mid(j + 1);
                } else if (i + 1 < arguments.size()) {
                    option.value = arguments[++i].text;
                } else {
                    error(argument.line, QStringLiteral("-%1 needs a value").arg(word[j]));
                    break;
                }
                option.hasValue = true;
                options.append(option);
                break;
            }
            options.append(option);
        }
    }
    return options;
}

void ScriptImporter::applyOptions(const QList<ParsedOption>& options)
{
    // What TuneDeck models; the rest is kept as extra directives.
    static const QStringList modelled { QStringLiteral("account"), QStringLiteral("qos"), QStringLiteral("partition"),
        QStringLiteral("job-name"), QStringLiteral("time"), QStringLiteral("nodes"), QStringLiteral("gpus-per-node"),
        QStringLiteral("gres"), QStringLiteral("gpus"), QStringLiteral("gpus-per-task"),
        QStringLiteral("ntasks-per-node"), QStringLiteral("ntasks"), QStringLiteral("mem"),
        QStringLiteral("constraint"), QStringLiteral("cpus-per-task"), QStringLiteral("output"),
        QStringLiteral("error"), QStringLiteral("chdir"), QStringLiteral("signal"), QStringLiteral("requeue"),
        QStringLiteral("open-mode"), QStringLiteral("mem-per-cpu"), QStringLiteral("mem-per-gpu") };
    for (const ParsedOption& option : options) {
        if (option.known && modelled.contains(option.name)) {
            if (const auto it = m_modelled.constFind(option.name);
                it != m_modelled.constEnd() && it->value != option.value)
                note(option.line,
                    QStringLiteral("--%1 was already set on line %2 ('%3'); the later value '%4' wins, as in sbatch")
                        .arg(option.name)
                        .arg(it->line)
                        .arg(it->value, option.value));
            m_modelled.insert(option.name, option);
            continue;
        }
        const QString name = QStringLiteral("--") + option.name;
        m_spec.slurm.extraDirectives.append({ name, option.value });
        m_result.origins.insert(QStringLiteral("slurm.extra_directives"), { m_source, option.line, {} });
        if (option.known)
            note(option.line,
                QStringLiteral("%1%2 is not modelled by TuneDeck; kept as an extra directive")
                    .arg(name, option.hasValue ? u'=' + option.value : QString()));
        else if (isPyxisOption(option.name))
            note(option.line,
                QStringLiteral("%1 is an option of the pyxis plugin, not of sbatch itself: sbatch refuses it "
                               "(\"unrecognized option\") unless the cluster has pyxis; kept as an extra directive")
                    .arg(name));
        else
            error(option.line,
                QStringLiteral("%1 is not a Slurm 22.05 sbatch option: sbatch refuses the script (\"unrecognized "
                               "option\"); if a plugin of the cluster adds it, set it in the spec's "
                               "slurm.extra_directives")
                    .arg(name));
    }

    const auto value = [this](const char* name) -> const ParsedOption* {
        const auto it = m_modelled.constFind(QLatin1StringView(name).toString());
        return it == m_modelled.constEnd() ? nullptr : &*it;
    };
    if (const ParsedOption* o = value("account"))
        setText("slurm.account", o->line, m_spec.slurm.account, o->value);
    if (const ParsedOption* o = value("qos"))
        setText("slurm.qos", o->line, m_spec.slurm.qos, o->value);
    if (const ParsedOption* o = value("partition"))
        setText("slurm.partition", o->line, m_spec.slurm.partition, o->value);
    if (const ParsedOption* o = value("job-name")) {
        setText("slurm.job_name", o->line, m_spec.slurm.jobName, o->value);
        if (const QString problem = jobNameProblem(o->value); !problem.isEmpty())
            note(o->line, QStringLiteral("job name: ") + problem);
    }
    if (const ParsedOption* o = value("time")) {
        const QString upper = o->value.toUpper();
        if (upper == u"UNLIMITED" || upper == u"INFINITE") {
            note(o->line,
                QStringLiteral("--time=%1: TuneDeck needs a time limit (it plans checkpoints against it); "
                               "keeping %2")
                    .arg(o->value, m_spec.slurm.time));
        } else if (!parseSlurmDuration(o->value)) {
            error(o->line,
                QStringLiteral("--time: '%1' is not a Slurm time (sbatch: \"Invalid time limit\")").arg(o->value));
        } else {
            setText("slurm.time", o->line, m_spec.slurm.time, o->value);
        }
    }
    if (const ParsedOption* o = value("nodes")) {
        static const QRegularExpression nodes(QStringLiteral("^(\\d+)(?:-(\\d+))?$"));
        const QRegularExpressionMatch match = nodes.match(o->value);
        if (!match.hasMatch() || match.captured(1).toInt() < 1) {
            error(o->line, QStringLiteral("--nodes: '%1' is not a node count").arg(o->value));
        } else {
            if (!match.captured(2).isEmpty() && match.captured(2) != match.captured(1))
                note(o->line,
                    QStringLiteral("--nodes=%1 is a range; TuneDeck asks for a fixed count and uses the minimum, %2")
                        .arg(o->value, match.captured(1)));
            setInt("slurm.nodes", o->line, m_spec.slurm.nodes, match.captured(1).toInt());
        }
    } else {
        // Without --nodes (and one task per node) sbatch allocates one node.
        setInt("slurm.nodes", 0, m_spec.slurm.nodes, 1);
        note(0, QStringLiteral("no --nodes: sbatch allocates one node, so slurm.nodes is 1"));
    }
    if (!value("time"))
        note(0,
            QStringLiteral("no --time: the partition's default limit applies; TuneDeck asks for %1 (slurm.time)")
                .arg(m_spec.slurm.time));
    if (!value("mem"))
        note(0,
            QStringLiteral("no --mem: the cluster's default memory applies; TuneDeck asks for %1 MiB per node "
                           "(slurm.mem)")
                .arg(m_spec.slurm.mem));
    if (const ParsedOption* o = value("mem")) {
        if (!parseSlurmMemoryMiB(o->value)) {
            if (o->value.trimmed() == u"0")
                note(o->line,
                    QStringLiteral("--mem=0 asks for all of a node's memory; TuneDeck needs a size, keeping %1")
                        .arg(m_spec.slurm.mem));
            else
                error(o->line, QStringLiteral("--mem: '%1' is not a memory size").arg(o->value));
        } else {
            setText("slurm.mem", o->line, m_spec.slurm.mem, o->value);
        }
    }
    for (const char* perUnit : { "mem-per-cpu", "mem-per-gpu" }) {
        if (const ParsedOption* o = value(perUnit))
            note(o->line,
                QStringLiteral("--%1=%2 is not carried over: TuneDeck asks for memory per node with --mem "
                               "(slurm.mem, now %3), and sbatch refuses both together")
                    .arg(QLatin1StringView(perUnit), o->value, m_spec.slurm.mem));
    }
    if (const ParsedOption* o = value("cpus-per-task")) {
        bool ok = false;
        const int cpus = o->value.toInt(&ok);
        if (!ok || cpus < 1)
            error(o->line, QStringLiteral("--cpus-per-task: '%1' is not a number of CPUs").arg(o->value));
        else
            setInt("slurm.cpus_per_task", o->line, m_spec.slurm.cpusPerTask, cpus);
    }
    if (const ParsedOption* o = value("ntasks-per-node"); o && o->value != u"1")
        note(o->line,
            QStringLiteral("--ntasks-per-node=%1: TuneDeck runs one task per node, which starts one process per "
                           "GPU through accelerate")
                .arg(o->value));
    if (const ParsedOption* o = value("ntasks"); o && o->value != QString::number(m_spec.slurm.nodes))
        note(o->line,
            QStringLiteral("--ntasks=%1 is not carried over: TuneDeck runs one task per node (%2 nodes)")
                .arg(o->value)
                .arg(m_spec.slurm.nodes));
    applyGpus();
    applyConstraint();

    // Resume: TuneDeck's own pattern is --signal=B:USR1@<lead> with --requeue and a trap.
    const ParsedOption* signal = value("signal");
    const ParsedOption* requeue = value("requeue");
    static const QRegularExpression signalSpec(QStringLiteral("^(?:([RB]+):)?(?:SIG)?USR1(?:@(\\d+))?$"));
    const QRegularExpressionMatch signalMatch = signal ? signalSpec.match(signal->value) : QRegularExpressionMatch();
    if (signal && requeue && signalMatch.hasMatch()) {
        m_spec.resume.enabled = true;
        m_result.origins.insert(QStringLiteral("resume.enabled"), { m_source, signal->line, {} });
        // sbatch's default lead is 60 s when @time is omitted.
        const int lead = signalMatch.captured(2).isEmpty() ? 60 : signalMatch.captured(2).toInt();
        setInt("resume.signal_lead_seconds", signal->line, m_spec.resume.signalLeadSeconds, lead);
        if (!signalMatch.captured(1).contains(u'B'))
            note(signal->line,
                QStringLiteral("--signal=%1 signals the job steps, not the batch shell; TuneDeck sends "
                               "B:USR1@%2 to its own requeue trap")
                    .arg(signal->value)
                    .arg(lead));
    } else {
        if (signal)
            note(signal->line,
                QStringLiteral("--signal=%1 is not carried over: TuneDeck uses --signal only for resume (B:USR1 "
                               "with --requeue)")
                    .arg(signal->value));
        if (requeue)
            note(requeue->line,
                QStringLiteral("--requeue without --signal=B:USR1@<seconds> is not carried over; enable "
                               "resume.enabled to requeue before the time limit"));
    }
    if (const ParsedOption* o = value("open-mode"); o && !(m_spec.resume.enabled && o->value == u"append"))
        note(o->line,
            QStringLiteral("--open-mode=%1 is not carried over: TuneDeck appends only when resume is on")
                .arg(o->value));
}

void ScriptImporter::applyGpus()
{
    const auto option = [this](const char* name) -> const ParsedOption* {
        const auto it = m_modelled.constFind(QLatin1StringView(name).toString());
        return it == m_modelled.constEnd() ? nullptr : &*it;
    };
    // "[type:]count", as --gpus, --gpus-per-node and --gpus-per-task take it.
    static const QRegularExpression typedCount(QStringLiteral("^(?:([A-Za-z0-9_.-]+):)?(\\d+)$"));
    std::optional<int> perNode;
    QString gpuTypeText;
    int gpuLine = 0;
    QString how;
    const auto offer = [&](int count, const QString& type, const ParsedOption& from, const QString& what) {
        if (perNode && *perNode != count) {
            note(from.line,
                QStringLiteral("%1 gives %2 GPUs per node but %3 gave %4; keeping %4")
                    .arg(what)
                    .arg(count)
                    .arg(how)
                    .arg(*perNode));
            return;
        }
        if (!perNode) {
            perNode = count;
            gpuLine = from.line;
            how = what;
        }
        if (!type.isEmpty())
            gpuTypeText = type;
    };

    if (const ParsedOption* o = option("gpus-per-node")) {
        const QRegularExpressionMatch m = typedCount.match(o->value);
        if (!m.hasMatch() || m.captured(2).toInt() < 1)
            error(o->line, QStringLiteral("--gpus-per-node: '%1' is not a GPU count").arg(o->value));
        else
            offer(m.captured(2).toInt(), m.captured(1), *o, QStringLiteral("--gpus-per-node"));
    }
    if (const ParsedOption* o = option("gres")) {
        // --gres=gpu[:type]:count[,other...]: the GPU part becomes gpus_per_node, the rest stays.
        QStringList others;
        for (const QString& entry : o->value.split(u',', Qt::SkipEmptyParts)) {
            const QStringList parts = entry.split(u':');
            if (parts.first() != u"gpu") {
                others.append(entry);
                continue;
            }
            bool ok = true;
            int count = 1;
            QString type;
            if (parts.size() == 2) {
                count = parts[1].toInt(&ok);
                if (!ok) { // gpu:type means one GPU of that type
                    type = parts[1];
                    count = 1;
                    ok = true;
                }
            } else if (parts.size() >= 3) {
                type = parts[1];
                count = parts[2].section(u'(', 0, 0).toInt(&ok);
            }
            if (!ok || count < 1)
                error(o->line, QStringLiteral("--gres: '%1' is not a GPU request").arg(entry));
            else
                offer(count, type, *o, QStringLiteral("--gres=%1").arg(entry));
        }
        if (!others.isEmpty()) {
            m_spec.slurm.extraDirectives.append({ QStringLiteral("--gres"), others.join(u',') });
            note(o->line, QStringLiteral("--gres=%1 is kept as an extra directive").arg(others.join(u',')));
        }
    }
    if (const ParsedOption* o = option("gpus-per-task")) {
        const QRegularExpressionMatch m = typedCount.match(o->value);
        const ParsedOption* tasks = option("ntasks-per-node");
        const int tasksPerNode = tasks ? tasks->value.toInt() : 0;
        if (!m.hasMatch())
            error(o->line, QStringLiteral("--gpus-per-task: '%1' is not a GPU count").arg(o->value));
        else if (tasksPerNode < 1)
            note(o->line,
                QStringLiteral("--gpus-per-task=%1 without --ntasks-per-node: GPUs per node unknown").arg(o->value));
        else
            offer(m.captured(2).toInt() * tasksPerNode, m.captured(1), *o,
                QStringLiteral("--gpus-per-task=%1 x --ntasks-per-node=%2").arg(o->value).arg(tasksPerNode));
    }
    if (const ParsedOption* o = option("gpus")) {
        const QRegularExpressionMatch m = typedCount.match(o->value);
        const int nodes = m_spec.slurm.nodes;
        if (!m.hasMatch() || m.captured(2).toInt() < 1) {
            error(o->line, QStringLiteral("--gpus: '%1' is not a GPU count").arg(o->value));
        } else {
            const int total = m.captured(2).toInt();
            if (total % nodes != 0)
                note(o->line,
                    QStringLiteral("--gpus=%1 does not divide over %2 nodes; Slurm may place them unevenly, TuneDeck "
                                   "asks for %3 per node")
                        .arg(total)
                        .arg(nodes)
                        .arg(std::max(1, total / nodes)));
            else
                note(o->line,
                    QStringLiteral("--gpus=%1 on %2 nodes becomes --gpus-per-node=%3 (with --gpus, "
                                   "SLURM_GPUS_PER_NODE is unset)")
                        .arg(total)
                        .arg(nodes)
                        .arg(total / nodes));
            offer(std::max(1, total / nodes), m.captured(1), *o, QStringLiteral("--gpus=%1").arg(o->value));
        }
    }
    if (perNode) {
        setInt("slurm.gpus_per_node", gpuLine, m_spec.slurm.gpusPerNode, *perNode);
    } else {
        setInt("slurm.gpus_per_node", 0, m_spec.slurm.gpusPerNode, m_profile.gpusPerNode);
        note(0,
            QStringLiteral("the script asks for no GPUs; TuneDeck asks for all %1 of each %2 node "
                           "(slurm.gpus_per_node)")
                .arg(m_profile.gpusPerNode)
                .arg(m_profile.displayName));
    }
    if (!gpuTypeText.isEmpty()) {
        const GpuType* type = m_profile.gpuType(gpuTypeText);
        for (const GpuType& candidate : m_profile.gpuTypes) {
            if (!type && candidate.constraint == gpuTypeText)
                type = &candidate;
        }
        if (type)
            setText("slurm.gpu_type", gpuLine, m_spec.slurm.gpuType, type->name);
        else
            note(gpuLine,
                QStringLiteral("GPU type '%1' is not one of %2's GPU types; TuneDeck selects GPUs by constraint "
                               "(slurm.gpu_type)")
                    .arg(gpuTypeText, m_profile.displayName));
    }
}

void ScriptImporter::applyConstraint()
{
    const auto it = m_modelled.constFind(QStringLiteral("constraint"));
    if (it == m_modelled.constEnd()) {
        if (!m_result.origins.contains(QStringLiteral("slurm.gpu_type")))
            if (const GpuType* type = m_profile.defaultGpuType()) {
                m_spec.slurm.gpuType = type->name;
                note(0,
                    QStringLiteral("no --constraint: %1 gives its default GPU type, %2, which TuneDeck asks for "
                                   "explicitly (--constraint=%3)")
                        .arg(m_profile.displayName, type->name, type->constraint));
            }
        return;
    }
    for (const GpuType& type : m_profile.gpuTypes) {
        if (type.constraint == it->value || type.name == it->value) {
            setText("slurm.gpu_type", it->line, m_spec.slurm.gpuType, type.name);
            return;
        }
    }
    note(it->line,
        QStringLiteral("--constraint=%1 is not a GPU type of %2; TuneDeck writes the constraint of slurm.gpu_type "
                       "(%3) instead")
            .arg(it->value, m_profile.displayName, m_spec.slurm.gpuType));
}

void ScriptImporter::checkOwnedPaths()
{
    // --output, --error and --chdir point into TuneDeck's run directory; a generated script's own values
    // are what TuneDeck writes again, anything else is replaced.
    const QString runDir = effectiveRunDir(m_spec);
    const QHash<QString, QString> expected { { QStringLiteral("chdir"), runDir },
        { QStringLiteral("output"), runDir + u"/slurm-%j.out" },
        { QStringLiteral("error"), runDir + u"/slurm-%j.out" } };
    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it) {
        const auto option = m_modelled.constFind(it.key());
        if (option == m_modelled.constEnd() || (m_generated && option->value == it.value()))
            continue;
        note(option->line,
            QStringLiteral("--%1=%2 is replaced by TuneDeck's run directory (%3)")
                .arg(it.key(), option->value, it.value()));
    }
}

// ---------------------------------------------------------------------------------------------------

QString ScriptImporter::expand(const QString& word, bool* resolved)
{
    // $NAME, ${NAME} and ${NAME:-default}.
    static const QRegularExpression variable(
        QStringLiteral("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\\}|\\$([A-Za-z_][A-Za-z0-9_]*)"));
    QString out;
    qsizetype last = 0;
    bool ok = true;
    QRegularExpressionMatchIterator it = variable.globalMatch(word);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString name = match.captured(1).isEmpty() ? match.captured(3) : match.captured(1);
        out += word.mid(last, match.capturedStart() - last);
        if (out.size() > MaxExpandedLength) {
            // `V1="$V0$V0"` doubles with every line: 33 lines would need gigabytes. bash would do it; the
            // importer keeps the word as written instead.
            m_expansionTooLong = true;
            if (resolved)
                *resolved = false;
            return word;
        }
        if (m_vars.contains(name)) {
            m_usedVars.insert(name);
            out += m_vars.value(name);
            if (m_unresolvedVars.contains(name))
                ok = false;
        } else if (match.captured(0).contains(u":-")) {
            out += match.captured(2);
        } else {
            out += match.captured(0);
            ok = false;
        }
        last = match.capturedEnd();
    }
    out += word.mid(last);
    if (out.size() > MaxExpandedLength) {
        m_expansionTooLong = true;
        if (resolved)
            *resolved = false;
        return word;
    }
    if (out.contains(u"$(") || out.contains(u'`'))
        ok = false;
    if (resolved)
        *resolved = ok;
    return out;
}

QString ScriptImporter::resolvePath(const QString& word, int line, const char* what)
{
    bool resolved = false;
    QString path = expand(word, &resolved);
    if (!resolved) {
        note(line,
            QStringLiteral("%1 '%2' depends on values known only when the job runs; kept as written")
                .arg(QLatin1StringView(what), word));
        return path;
    }
    if (path.startsWith(u"~/") || path == u"~") {
        note(line,
            QStringLiteral("%1 '%2' is relative to the home folder; kept as written")
                .arg(QLatin1StringView(what), path));
        return path;
    }
    if (!path.startsWith(u'/')) {
        if (m_cwd.isEmpty()) {
            note(line,
                QStringLiteral("%1 '%2' is relative to the folder sbatch was run from; kept as written")
                    .arg(QLatin1StringView(what), path));
            return path;
        }
        path = m_cwd + u'/' + path;
    }
    return QDir::cleanPath(path);
}

void ScriptImporter::ignored(int line, const QString& text)
{
    if (m_generated)
        return; // TuneDeck's own body is generated again from the spec
    note(line, QStringLiteral("not carried over: `%1` (TuneDeck generates the script body)").arg(firstWords(text)));
}

void ScriptImporter::assign(const QString& name, const QString& rawValue, int line, bool exported)
{
    // rawValue comes from shellWords(), so its quotes are already removed.
    const QString& raw = rawValue;
    bool resolved = false;
    m_expansionTooLong = false;
    const QString value = expand(raw, &resolved);
    if (m_expansionTooLong)
        note(line,
            QStringLiteral("%1: the value would be longer than %2 characters with its variables expanded; kept "
                           "unexpanded")
                .arg(name)
                .arg(MaxExpandedLength));
    m_vars.insert(name, value);
    if (resolved)
        m_unresolvedVars.remove(name);
    else
        m_unresolvedVars.insert(name);

    static const QRegularExpression digits(QStringLiteral("^\\d+$"));
    if (name == u"PRIMARY_PORT" || name == u"MASTER_PORT" || name == u"MAIN_PROCESS_PORT") {
        if (digits.match(value).hasMatch()) {
            setInt("launch.port", line, m_spec.launch.port, value.toInt());
            if (!m_generated)
                note(line,
                    QStringLiteral("fixed port %1 kept as launch.port; two jobs sharing a node cannot both use it, "
                                   "0 derives the port from the job id")
                        .arg(value));
        } else {
            setInt("launch.port", line, m_spec.launch.port, 0);
            if (!m_generated)
                note(line,
                    QStringLiteral("%1 is computed when the job runs; TuneDeck derives it from the job id").arg(name));
        }
        return;
    }
    if (m_generated) {
        // TuneDeck's own variables carry the spec's paths and counts.
        if (name == u"RUN_DIR")
            setText("environment.run_dir", line, m_spec.environment.runDir, value);
        else if (name == u"LLAMA_FACTORY_DIR")
            setText("environment.llama_factory_dir", line, m_spec.environment.llamaFactoryDir, value);
        else if (name == u"VENV_DIR")
            setText("environment.venv", line, m_spec.environment.venv, value);
        else if (name == u"MAX_RESTARTS" && digits.match(value).hasMatch())
            setInt("resume.max_restarts", line, m_spec.resume.maxRestarts, value.toInt());
    }
    if (name == u"HF_HOME") {
        if (resolved && value.startsWith(u'/'))
            setText("environment.hf_home", line, m_spec.environment.hfHome, value);
        else
            note(line, QStringLiteral("HF_HOME=%1 is not an absolute path; not carried over").arg(raw));
        return;
    }
    if (name == u"NUM_PROCESSES" && rawValue.contains(u"SLURM_GPUS_PER_NODE"))
        note(line,
            QStringLiteral("NUM_PROCESSES from SLURM_GPUS_PER_NODE fails when GPUs are requested with --gpus (the "
                           "variable is unset); TuneDeck writes nodes x GPUs per node"));
    m_assignments.append({ name, (exported ? QStringLiteral("export ") : QString()) + name + u'=' + rawValue, line });
}

void ScriptImporter::handleLaunch(const QStringList& args, int line)
{
    // accelerate launch's flags that take no value; every other --flag takes the next word.
    static const QStringList booleanFlags { QStringLiteral("--multi_gpu"), QStringLiteral("--use_fsdp"),
        QStringLiteral("--use_deepspeed"), QStringLiteral("--use_megatron_lm"), QStringLiteral("--cpu"),
        QStringLiteral("--tpu"), QStringLiteral("--debug"), QStringLiteral("--same_network"), QStringLiteral("-m"),
        QStringLiteral("--module"), QStringLiteral("--no_python"), QStringLiteral("-q"), QStringLiteral("--quiet"),
        QStringLiteral("--enable_cpu_affinity") };
    m_launchSeen = true;
    m_launchLine = line;
    m_launchDir = m_cwd;
    qsizetype i = 0;
    while (i < args.size() && args[i].startsWith(u'-')) {
        QString name = args[i];
        QString value;
        bool hasValue = false;
        if (const qsizetype equals = name.indexOf(u'='); equals >= 0) {
            value = name.mid(equals + 1);
            name.truncate(equals);
            hasValue = true;
        } else if (!booleanFlags.contains(name) && i + 1 < args.size()) {
            value = args[++i];
            hasValue = true;
        }
        ++i;
        bool resolved = false;
        const QString expanded = expand(value, &resolved);
        if (name == u"--config_file") {
            m_result.referencedAccelerateConfig = resolvePath(value, line, "accelerate config");
            if (!m_generated)
                note(line,
                    QStringLiteral("accelerate config: %1 (import it too to carry over its settings)")
                        .arg(m_result.referencedAccelerateConfig));
        } else if (name == u"--num_processes" || name == u"--num_machines") {
            if (resolved && !m_generated) {
                const int expected
                    = name == u"--num_machines" ? m_spec.slurm.nodes : m_spec.slurm.nodes * m_spec.slurm.gpusPerNode;
                if (expanded.toInt() != expected)
                    note(line,
                        QStringLiteral("%1 %2 does not match the script's %3 nodes x %4 GPUs; TuneDeck writes %5")
                            .arg(name, expanded)
                            .arg(m_spec.slurm.nodes)
                            .arg(m_spec.slurm.gpusPerNode)
                            .arg(expected));
            }
        } else if (name == u"--main_process_port") {
            if (resolved)
                setInt("launch.port", line, m_spec.launch.port, expanded.toInt());
        } else if (name == u"--machine_rank" || name == u"--main_process_ip") {
            // TuneDeck passes both from SLURM_PROCID and the first node.
        } else if (!m_generated) {
            note(line,
                QStringLiteral("accelerate launch %1%2 is not carried over")
                    .arg(name, hasValue ? u' ' + value : QString()));
        }
    }
    if (i >= args.size()) {
        note(line, QStringLiteral("accelerate launch without a training script"));
        return;
    }
    const QString script = args[i];
    const QStringList rest = args.mid(i + 1);
    if (!script.endsWith(u"train.py")) {
        note(line,
            QStringLiteral("accelerate launches '%1', not LLaMA-Factory's src/train.py; TuneDeck launches src/train.py")
                .arg(script));
        return;
    }
    if (script.startsWith(u'/') && script.endsWith(u"/src/train.py"))
        m_launchDir = script.chopped(int(qstrlen("/src/train.py")));
    if (rest.isEmpty()
        || !(rest.first().endsWith(u".yaml") || rest.first().endsWith(u".yml") || rest.first().endsWith(u".json"))) {
        note(line,
            QStringLiteral("training arguments given on the command line (%1) are not imported; put them in a "
                           "LLaMA-Factory YAML")
                .arg(firstWords(rest.join(u' '))));
        return;
    }
    m_result.referencedTrainConfig = resolvePath(rest.first(), line, "training YAML");
    if (!m_generated)
        note(line,
            QStringLiteral("training YAML: %1 (import it too to carry over its settings)")
                .arg(m_result.referencedTrainConfig));
    if (rest.size() > 1)
        note(line,
            QStringLiteral("arguments after the training YAML are not carried over: %1")
                .arg(firstWords(rest.mid(1).join(u' '))));
}

void ScriptImporter::processCommand(QStringList words, int line)
{
    const QString original = words.join(u' ');
    QString name;
    QString value;
    while (!words.isEmpty() && isAssignment(words.first(), &name, &value)) {
        assign(name, value, line, false);
        words.removeFirst();
    }
    if (words.isEmpty())
        return;
    const QString command = words.first();
    const QStringList args = words.mid(1);
    static const QStringList prefixes { QStringLiteral("if"), QStringLiteral("then"), QStringLiteral("else"),
        QStringLiteral("elif"), QStringLiteral("do"), QStringLiteral("while"), QStringLiteral("until"),
        QStringLiteral("!"), QStringLiteral("time"), QStringLiteral("{") };
    static const QStringList quiet { QStringLiteral("fi"), QStringLiteral("done"), QStringLiteral("}"),
        QStringLiteral("esac"), QStringLiteral("["), QStringLiteral("[["), QStringLiteral("test"),
        QStringLiteral("echo"), QStringLiteral("printf"), QStringLiteral("true"), QStringLiteral("false"),
        QStringLiteral("exit"), QStringLiteral("deactivate"), QStringLiteral("popd"), QStringLiteral("wait"),
        QStringLiteral("date"), QStringLiteral("hostname"), QStringLiteral("sleep") };
    static const QStringList wrappers { QStringLiteral("stdbuf"), QStringLiteral("nohup"), QStringLiteral("exec"),
        QStringLiteral("env"), QStringLiteral("numactl"), QStringLiteral("srun"), QStringLiteral("mpirun"),
        QStringLiteral("mpiexec"), QStringLiteral("singularity"), QStringLiteral("apptainer") };
    static const QStringList launchers { QStringLiteral("bash"), QStringLiteral("sh"), QStringLiteral("accelerate"),
        QStringLiteral("accelerate-launch"), QStringLiteral("torchrun"), QStringLiteral("python"),
        QStringLiteral("python3"), QStringLiteral("llamafactory-cli"), QStringLiteral("nvidia-smi"),
        QStringLiteral("vmstat") };

    if (prefixes.contains(command)) {
        processCommand(args, line);
        return;
    }
    if (quiet.contains(command)) {
        if (!m_generated)
            ++m_quietLines;
        return;
    }
    if (command == u"export" || command == u"declare" || command == u"readonly") {
        for (const QString& arg : args) {
            if (isAssignment(arg, &name, &value))
                assign(name, value, line, true);
        }
        return;
    }
    if (command == u"module" || command == u"ml") {
        const QString sub = command == u"ml" ? QStringLiteral("load") : args.value(0);
        const QStringList names = command == u"ml" ? args : args.mid(1);
        if (sub == u"load" || sub == u"add") {
            for (const QString& module : names) {
                if (const QString problem = moduleNameProblem(module); !problem.isEmpty())
                    note(line, QStringLiteral("module: ") + problem);
                m_modules.append(module);
            }
            if (!m_modulesLine)
                m_modulesLine = line;
        } else if (sub != u"purge") {
            note(line,
                QStringLiteral("`module %1` is not carried over: TuneDeck writes `module purge` and `module "
                               "load` lines (environment.modules)")
                    .arg(args.join(u' ')));
        }
        return;
    }
    if (command == u"source" || command == u".") {
        const QString target = args.value(0);
        if (target.endsWith(u"/bin/activate")) {
            const QString path = resolvePath(target, line, "virtual environment");
            m_venv = path.chopped(int(qstrlen("/bin/activate")));
            m_venvLine = line;
        } else {
            ignored(line, original);
        }
        return;
    }
    if (command == u"cd" || command == u"pushd") {
        const QString target = args.value(0);
        if (target.isEmpty() || target.startsWith(u'-')) {
            ignored(line, original);
            return;
        }
        const QString path = resolvePath(target, line, "folder");
        m_cwd = path.startsWith(u'/') ? path : QString();
        return;
    }
    if (command == u"conda" || command == u"mamba" || command == u"micromamba") {
        note(line,
            QStringLiteral("`%1` is not carried over: TuneDeck activates a Python venv (environment.venv)")
                .arg(firstWords(original)));
        return;
    }
    const bool isPython = command.startsWith(u"python");
    if (command == u"pip" || command == u"pip3" || command == u"uv"
        || (isPython && args.value(0) == u"-m" && (args.value(1) == u"pip" || args.value(1) == u"venv"))) {
        if (!m_installs)
            m_installLine = line;
        m_installs = true;
        return;
    }
    if (command == u"bash" || command == u"sh") {
        const qsizetype c = args.indexOf(QStringLiteral("-c"));
        if (c >= 0 && c + 1 < args.size()) {
            processLogicalLine(args[c + 1], line);
            return;
        }
        ignored(line, original);
        return;
    }
    if ((command == u"accelerate" && args.value(0) == u"launch")
        || (isPython && args.value(0) == u"-m" && args.value(1) == u"accelerate.commands.launch")) {
        handleLaunch(args.mid(command == u"accelerate" ? 1 : 2), line);
        return;
    }
    if (command == u"accelerate-launch") {
        handleLaunch(args, line);
        return;
    }
    if (command == u"llamafactory-cli" && args.value(0) == u"train") {
        m_launchSeen = true;
        m_launchLine = line;
        m_launchDir = m_cwd;
        m_result.referencedTrainConfig = resolvePath(args.value(1), line, "training YAML");
        note(line,
            QStringLiteral("llamafactory-cli train: TuneDeck launches through accelerate instead (training YAML %1)")
                .arg(m_result.referencedTrainConfig));
        return;
    }
    if (command == u"torchrun" || (isPython && args.value(1) == u"torch.distributed.run")) {
        note(line,
            QStringLiteral("`%1` is not carried over: TuneDeck launches with accelerate (one process per GPU on "
                           "every node)")
                .arg(firstWords(original)));
        return;
    }
    if (command == u"nvidia-smi" || command == u"vmstat") {
        if (!m_generated)
            note(line,
                QStringLiteral("`%1` is not carried over: TuneDeck records GPU and CPU use on every node itself")
                    .arg(firstWords(original)));
        return;
    }
    if (wrappers.contains(command)) {
        // Look inside srun/stdbuf/apptainer ... for the command they run.
        for (qsizetype i = 0; i < args.size(); ++i) {
            if (launchers.contains(args[i])) {
                if (command == u"singularity" || command == u"apptainer")
                    note(line,
                        QStringLiteral("the container (`%1`) is not carried over: TuneDeck runs in modules and a venv")
                            .arg(firstWords(original)));
                processCommand(args.mid(i), line);
                return;
            }
        }
        ignored(line, original);
        return;
    }
    ignored(line, original);
}

void ScriptImporter::processLogicalLine(const QString& text, int line)
{
    static const QRegularExpression lone(QStringLiteral("^\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?$"));
    const QList<ShellWord> words = shellWords(text);
    QStringList command;
    for (const ShellWord& word : words) {
        if (word.isOperator) {
            if (!command.isEmpty())
                processCommand(command, line);
            command.clear();
            continue;
        }
        // An unquoted $CMD is split into words by bash: scripts keep a whole launcher in a variable.
        const QRegularExpressionMatch match = lone.match(word.text);
        if (!word.quoted && match.hasMatch() && m_vars.contains(match.captured(1))) {
            m_usedVars.insert(match.captured(1));
            for (const ShellWord& part : shellWords(m_vars.value(match.captured(1)))) {
                if (!part.isOperator)
                    command.append(part.text);
            }
            continue;
        }
        command.append(word.text);
    }
    if (!command.isEmpty())
        processCommand(command, line);
}

void ScriptImporter::readBody(const QStringList& lines, int firstLine)
{
    static const QRegularExpression marker(
        QStringLiteral("^# Generated by TuneDeck \\S+ for cluster profile '([^']*)'"));
    static const QRegularExpression heredoc(QStringLiteral("<<-?\\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)['\"]?"));
    for (qsizetype index = firstLine - 1; index < lines.size(); ++index) {
        const int lineNo = int(index) + 1;
        QString text = lines[index];
        if (text.endsWith(u'\r'))
            text.chop(1);
        if (const QRegularExpressionMatch match = marker.match(text); match.hasMatch()) {
            m_generated = true;
            if (match.captured(1) != m_profile.name)
                note(lineNo,
                    QStringLiteral("the script was generated for cluster profile '%1', imported with '%2'")
                        .arg(match.captured(1), m_profile.name));
            continue;
        }
        if (text.trimmed().startsWith(u'#'))
            continue;
        // A logical line goes on after a trailing backslash or inside an open quote.
        bool openQuote = false;
        shellWords(text, &openQuote);
        while ((openQuote || (text.endsWith(u'\\') && !text.endsWith(u"\\\\"))) && index + 1 < lines.size()) {
            QString next = lines[++index];
            if (next.endsWith(u'\r'))
                next.chop(1);
            text += u'\n' + next;
            shellWords(text, &openQuote);
        }
        if (const QRegularExpressionMatch match = heredoc.match(text); match.hasMatch()) {
            const QString delimiter = match.captured(1);
            const int start = int(index) + 2;
            while (index + 1 < lines.size() && lines[index + 1].trimmed() != delimiter)
                ++index;
            ++index;
            note(lineNo,
                QStringLiteral("here-document (lines %1-%2) is not carried over; if it writes an accelerate or "
                               "LLaMA-Factory config, import that file")
                    .arg(start)
                    .arg(int(index) + 1));
            continue;
        }
        processLogicalLine(text, lineNo);
    }
}

void ScriptImporter::finishBody()
{
    if (!m_modules.isEmpty()) {
        if (m_result.claim(QStringLiteral("environment.modules"), m_source, m_modulesLine,
                m_spec.environment.modules.join(u' '), m_modules.join(u' ')))
            m_spec.environment.modules = m_modules;
    }
    if (m_launchSeen) {
        if (m_launchDir.isEmpty())
            note(m_launchLine,
                QStringLiteral("the LLaMA-Factory folder could not be told from the script (no `cd` to an absolute "
                               "path before the launch); set environment.llama_factory_dir"));
        else
            setText("environment.llama_factory_dir", m_launchLine, m_spec.environment.llamaFactoryDir, m_launchDir);
    } else {
        note(0,
            QStringLiteral("no `accelerate launch` found: the LLaMA-Factory folder, accelerate config and training "
                           "YAML are not known from this script"));
    }
    if (!m_venv.isEmpty()) {
        if (m_venv.startsWith(u'/'))
            setText("environment.venv", m_venvLine, m_spec.environment.venv, m_venv);
        else
            note(m_venvLine,
                QStringLiteral("virtual environment '%1' is not an absolute path; not carried over").arg(m_venv));
    }
    if (m_installs) {
        m_spec.environment.installRequirements = true;
        m_result.origins.insert(QStringLiteral("environment.install_requirements"), { m_source, m_installLine, {} });
        if (!m_generated)
            note(m_installLine,
                QStringLiteral("the script installs Python packages inside the GPU job; kept as "
                               "environment.install_requirements (TuneDeck's venv set-up), though creating the "
                               "venv on the login node saves GPU hours"));
    }
    // Assignments that fed nothing TuneDeck models.
    static const QStringList known { QStringLiteral("PRIMARY_ADDR"), QStringLiteral("MASTER_ADDR"),
        QStringLiteral("NUM_PROCESSES"), QStringLiteral("NUM_MACHINES"), QStringLiteral("NNODES"),
        QStringLiteral("GPUS_PER_NODE"), QStringLiteral("RUN_DIR"), QStringLiteral("LLAMA_FACTORY_DIR"),
        QStringLiteral("VENV_DIR"), QStringLiteral("VENV_PATH"), QStringLiteral("HF_HOME"), QStringLiteral("status") };
    for (const Assignment& assignment : std::as_const(m_assignments)) {
        if (m_generated || known.contains(assignment.name) || m_usedVars.contains(assignment.name))
            continue;
        note(assignment.line, QStringLiteral("not carried over: `%1`").arg(firstWords(assignment.text)));
    }
    if (m_quietLines > 0)
        note(0,
            QStringLiteral("%1 lines of messages and shell structure (echo, if/fi, ...) are not carried over; "
                           "TuneDeck generates its own script body")
                .arg(m_quietLines));
}

void ScriptImporter::run(const QString& script)
{
    const SbatchDirectives directives = readSbatchDirectives(script, m_source);
    m_result.notes += directives.notes;
    m_result.errors += directives.errors;
    applyOptions(parseOptions(directives.arguments));
    const QStringList lines = script.split(u'\n');
    // From the top: the body has no directives left, but TuneDeck's marker comment sits before it.
    if (directives.bodyLine > 0)
        readBody(lines, 1);
    else
        note(0, QStringLiteral("the script has no commands after its #SBATCH lines"));
    // The marker comment sits after the directives; owned paths are checked once it is known.
    checkOwnedPaths();
    finishBody();
}

} // namespace

SbatchDirectives readSbatchDirectives(const QString& script, const QString& sourceName)
{
    SbatchDirectives result;
    // sbatch refuses the whole script: "Batch script contains DOS line breaks (\r\n)".
    if (const qsizetype crlf = script.indexOf(u"\r\n"); crlf >= 0) {
        result.errors.append({ sourceName, int(script.left(crlf).count(u'\n')) + 1,
            QStringLiteral("DOS line breaks (\\r\\n): sbatch refuses the script; convert it with dos2unix") });
        return result;
    }
    const QStringList lines = script.split(u'\n');
    bool reading = true;
    bool heterogeneous = false;
    bool warnedSlurm = false;
    for (qsizetype index = 0; index < lines.size(); ++index) {
        const QString& line = lines[index];
        const int lineNo = int(index) + 1;
        qsizetype pos = -1;
        if (line.startsWith(u"#SBATCH")) {
            pos = 7;
        } else if (line.startsWith(u"#SLURM")) {
            pos = 6;
            if (!warnedSlurm && reading)
                result.notes.append({ sourceName, lineNo,
                    QStringLiteral("#SLURM is an old spelling of #SBATCH (sbatch warns: \"Change from #SLURM to "
                                   "#SBATCH\")") });
            warnedSlurm = true;
        }
        if (pos < 0) {
            if (!reading)
                continue;
            // sbatch stops at the first line that is not blank and not a comment.
            for (QChar c : line) {
                if (isBlank(c))
                    continue;
                if (c != u'#') {
                    reading = false;
                    result.bodyLine = lineNo;
                }
                break;
            }
            continue;
        }
        if (heterogeneous)
            continue;
        if (!reading) {
            result.notes.append({ sourceName, lineNo,
                QStringLiteral("#SBATCH after the first command (line %1): sbatch ignores it, so it is not imported")
                    .arg(result.bodyLine) });
            continue;
        }
        if (line.contains(u"packjob", Qt::CaseInsensitive) || line.contains(u"hetjob", Qt::CaseInsensitive)) {
            result.notes.append({ sourceName, lineNo,
                QStringLiteral("heterogeneous job: only the first component (the lines above) is imported") });
            heterogeneous = true;
            continue;
        }
        while (true) {
            while (pos < line.size() && isBlank(line[pos]))
                ++pos;
            if (pos >= line.size())
                break;
            if (line[pos] == u':') {
                result.errors.append(
                    { sourceName, lineNo, QStringLiteral("unexpected ':' (sbatch refuses the script)") });
                break;
            }
            QString word;
            bool any = false;
            bool escape = false;
            bool comment = false;
            QChar quote;
            while (pos < line.size() && (!quote.isNull() || !isBlank(line[pos]))) {
                const QChar c = line[pos];
                if (escape) {
                    escape = false;
                } else if (c == u'\\') {
                    escape = true;
                    ++pos;
                    continue;
                } else if (!quote.isNull()) {
                    if (c == quote) {
                        quote = QChar();
                        ++pos;
                        continue;
                    }
                } else if (c == u'"' || c == u'\'') {
                    quote = c;
                    ++pos;
                    continue;
                } else if (c == u'#') {
                    comment = true;
                    break;
                }
                word += c;
                any = true;
                ++pos;
            }
            if (!quote.isNull()) {
                result.errors.append(
                    { sourceName, lineNo, QStringLiteral("unmatched %1 (sbatch refuses the script)").arg(quote) });
                break;
            }
            // sbatch's _get_argument returns nothing for an empty word ("" or a bare '#'), which ends the line.
            if (!any) {
                const QString rest = line.mid(pos).trimmed();
                if (!comment && !rest.isEmpty() && !rest.startsWith(u'#'))
                    result.notes.append({ sourceName, lineNo,
                        QStringLiteral("an empty quoted word ends this line for sbatch; '%1' is ignored").arg(rest) });
                break;
            }
            result.arguments.append({ word, lineNo });
            if (comment)
                break;
        }
    }
    return result;
}

void importSbatchScript(
    const QByteArray& text, const QString& sourceName, const ClusterProfile& profile, ImportResult& result)
{
    if (text.contains('\0')) {
        result.error(sourceName, 0, QStringLiteral("not a text file"));
        return;
    }
    ScriptImporter importer(sourceName, profile, result);
    importer.run(QString::fromUtf8(text));
}

} // namespace TuneDeck
