// User text that tries to escape: every row is either rejected with a message naming its field, or
// comes through unchanged — read back by sbatch's own #SBATCH rules, passed to the programs as one
// argument — and the script stays valid bash, shellcheck-clean and runs nothing it should not.
#include "core/job/generators.h"
#include "core/job/jobrenderer.h"
#include "testsupport.h"
#include "walkthroughspec.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;

namespace {

// Test oracle: the value of the first `#SBATCH --job-name=...` line as sbatch reads it. A transcription
// of Slurm 22.05 src/sbatch/opt.c _get_argument(): whitespace ends an unquoted argument, ' and " quote,
// a backslash escapes the next character anywhere, and an unquoted # starts a comment.
QString sbatchJobName(const QByteArray& script)
{
    for (const QByteArray& line : script.split('\n')) {
        if (!line.startsWith("#SBATCH --job-name="))
            continue;
        const QByteArray rest = line.mid(int(qstrlen("#SBATCH --job-name=")));
        QByteArray value;
        bool escape = false;
        char quote = 0;
        for (char c : rest) {
            if (escape) {
                escape = false;
            } else if (c == '\\') {
                escape = true;
                continue;
            } else if (quote) {
                if (c == quote) {
                    quote = 0;
                    continue;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                continue;
            } else if (c == '#' || c == ' ' || c == '\t') {
                break;
            }
            value += c;
        }
        return QString::fromUtf8(value);
    }
    return {};
}

void rows()
{
    QTest::addColumn<QString>("field"); // which spec field gets the text
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");
    const QString longName(300, u'x');
    const struct
    {
        const char* name;
        QString text;
        bool accepted;
    } names[] = {
        { "quote semicolon hash", QStringLiteral("x\"; touch pwned #"), false }, // '"' is mangled by slurmdbd
        { "semicolon hash", QStringLiteral("x'; touch pwned #"), true },
        { "command substitution", QStringLiteral("a$(id)b"), true },
        { "backticks", QStringLiteral("a`touch pwned`b"), true },
        { "hash ends sbatch value", QStringLiteral("exp#3"), true },
        { "single quote", QStringLiteral("a'b"), true },
        { "backslashes", QStringLiteral("a\\'b\\"), true },
        { "spaces", QStringLiteral("my job v2"), true },
        { "tab", QStringLiteral("my\tjob"), false },
        { "leading dash", QStringLiteral("-x --uid=0"), true },
        { "latin-1 accents", QStringLiteral("données-ü"), true },
        { "beyond latin-1", QStringLiteral("финетюн-模型-✓"), false }, // sacct would show '?'
        { "300 characters", longName, false },
        { "newline", QStringLiteral("a\n#SBATCH --uid=0"), false },
        { "carriage return", QStringLiteral("a\rb"), false },
        { "empty", QString(), false },
    };
    for (const auto& row : names)
        QTest::newRow(qPrintable(QStringLiteral("job name: ") + QString::fromLatin1(row.name)))
            << QStringLiteral("slurm.job_name") << row.text << row.accepted;
    const struct
    {
        const char* name;
        QString text;
        bool accepted;
    } paths[] = {
        { "quotes and substitution", QStringLiteral("proj 'q' \"d\" $(touch pwned) `touch pwned`"), false },
        { "spaces, brackets, glob", QStringLiteral("my proj [1] * ~x & y|z (2)"), true },
        { "semicolon", QStringLiteral("p; touch pwned"), true },
        { "newline", QStringLiteral("p\ntouch pwned"), false },
        { "percent", QStringLiteral("p%j"), false },
    };
    for (const auto& row : paths)
        QTest::newRow(qPrintable(QStringLiteral("project path: ") + QString::fromLatin1(row.name)))
            << QStringLiteral("environment.project_path") << row.text << row.accepted;
    QTest::newRow("account: injection") << QStringLiteral("slurm.account") << QStringLiteral("p --uid=0") << false;
    QTest::newRow("qos: substitution") << QStringLiteral("slurm.qos") << QStringLiteral("$(id)") << false;
    QTest::newRow("module: chained command")
        << QStringLiteral("environment.modules") << QStringLiteral("PyTorch; touch pwned") << false;
    QTest::newRow("time: extra directive")
        << QStringLiteral("slurm.time") << QStringLiteral("3:00:00 --uid=0") << false;
    QTest::newRow("mem: substitution") << QStringLiteral("slurm.mem") << QStringLiteral("$(id)") << false;
}

} // namespace

class TestAdversarial : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void userText_data() { rows(); }
    void userText()
    {
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        QTemporaryDir tmp;
        JobSpec spec = Test::walkthroughSpec();
        // Paths live in the temporary folder so the script can really run below.
        const QString project
            = field == u"environment.project_path" ? QString(tmp.path() + u'/' + text) : QString(tmp.path() + u"/proj");
        spec.environment.projectPath = project;
        if (field == u"slurm.job_name")
            spec.slurm.jobName = text;
        else if (field == u"slurm.account")
            spec.slurm.account = text;
        else if (field == u"slurm.qos")
            spec.slurm.qos = text;
        else if (field == u"environment.modules")
            spec.environment.modules = { text };
        else if (field == u"slurm.time")
            spec.slurm.time = text;
        else if (field == u"slurm.mem")
            spec.slurm.mem = text;

        const RenderedJob job = renderJob(spec, Test::baskerville());
        if (!accepted) {
            QVERIFY(job.hasErrors());
            QVERIFY(job.sbatchScript.isEmpty());
            bool namesField = false;
            for (const Diagnostic& d : job.diagnostics)
                namesField = namesField || (d.severity == Severity::Error && d.field == field && !d.message.isEmpty());
            QVERIFY2(namesField, qPrintable(field));
            return;
        }
        QVERIFY(!job.hasErrors());
        const QString script = tmp.filePath(QStringLiteral("job.sbatch"));
        Test::writeFile(script, job.sbatchScript);
        QCOMPARE(Test::runProgram(QStringLiteral("bash"), { QStringLiteral("-n"), script }).exitCode, 0);
        const Test::ProcessResult lint = Test::runProgram(QStringLiteral("shellcheck"),
            { QStringLiteral("--severity=warning"), QStringLiteral("--shell=bash"), script });
        QVERIFY2(lint.exitCode == 0, lint.out.constData());
        if (field == u"slurm.job_name")
            QCOMPARE(sbatchJobName(job.sbatchScript), text);

        // Run the script outside Slurm with stand-ins for srun/scontrol/module/nvidia-smi/vmstat/accelerate.
        const QString runDir = effectiveRunDir(spec);
        QVERIFY(QDir().mkpath(runDir));
        QVERIFY(QDir().mkpath(effectiveVenv(spec) + u"/bin"));
        Test::writeFile(effectiveVenv(spec) + u"/bin/activate", "VIRTUAL_ENV=x\n");
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"),
            QStringLiteral(TUNEDECK_TESTDATA_DIR "/stubs:") + env.value(QStringLiteral("PATH")));
        env.insert(QStringLiteral("SLURM_JOB_ID"), QStringLiteral("4242"));
        env.insert(QStringLiteral("SLURM_JOB_NODELIST"), QStringLiteral("node1"));
        env.insert(QStringLiteral("STUB_LOG"), tmp.filePath(QStringLiteral("module.log")));
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(tmp.path());
        process.start(QStringLiteral("bash"), { script });
        QVERIFY(process.waitForFinished(60000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QList<QByteArray> args = Test::readFile(runDir + u"/accelerate-args").split('\n');
        QCOMPARE(args.value(0), QByteArray("launch"));
        QCOMPARE(args.value(2), (runDir + u"/accelerate.yaml").toUtf8());
        QCOMPARE(args.value(7), QByteArray("--machine_rank"));
        QCOMPARE(args.value(8), QByteArray("0")); // from SLURM_PROCID
        QCOMPARE(args.value(args.size() - 2), (runDir + u"/train.yaml").toUtf8());
        const QString output = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
        QVERIFY2(QFile::exists(runDir + u"/telemetry/dmon-4242-node1.txt"),
            qPrintable(
                QDir(runDir + u"/telemetry").entryList(QDir::AllEntries | QDir::Hidden).join(u' ') + u'\n' + output));
        QVERIFY(QFile::exists(runDir + u"/telemetry/vmstat-4242-node1.txt"));
        QDirIterator it(tmp.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            QVERIFY2(!it.next().endsWith(u"/pwned"), qPrintable(it.filePath()));
    }
};

QTEST_GUILESS_MAIN(TestAdversarial)
#include "tst_adversarial.moc"
