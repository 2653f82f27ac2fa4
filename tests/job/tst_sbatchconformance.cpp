// readSbatchDirectives() against Slurm's own sbatch (22.05, Debian's slurm-client): for every script,
// the words sbatch takes from its #SBATCH lines ("Found in script, argument" at -vvvv) must be ours.
// sbatch runs with a throw-away slurm.conf and an invalid --gres on its command line, so it exits right
// after reading the script, without a controller. Needs the Slurm client that the mini-Baskerville set-up
// installs, hence LABEL cluster; without sbatch the test fails, it does not skip.
#include "core/job/generators.h"
#include "core/job/sbatchimporter.h"
#include "testsupport.h"
#include "walkthroughspec.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;

class TestSbatchConformance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sameWords_data();
    void sameWords();

private:
    QTemporaryDir m_dir;
    QString m_sbatch;
};

void TestSbatchConformance::initTestCase()
{
    m_sbatch = QStandardPaths::findExecutable(QStringLiteral("sbatch"));
    QVERIFY2(!m_sbatch.isEmpty(), "sbatch not found: install slurm-client (tests/cluster/minibask up does)");
    QVERIFY(m_dir.isValid());
    // A controller nobody listens on: sbatch never gets that far.
    Test::writeFile(m_dir.filePath(QStringLiteral("slurm.conf")),
        "ClusterName=conformance\nSlurmctldHost=localhost\nSlurmctldPort=1\nNodeName=n1 CPUs=1\n"
        "PartitionName=p Nodes=n1 Default=YES\n");
}

void TestSbatchConformance::sameWords_data()
{
    QTest::addColumn<QByteArray>("script");
    const auto row = [](const char* name, const QByteArray& directives) {
        QTest::newRow(name) << QByteArray("#!/bin/bash\n" + directives + "echo done\n");
    };
    row("long and short", "#SBATCH --nodes 4\n#SBATCH -t 1:00:00 -N4\n");
    row("comments", "##SBATCH -N 9\n# SBATCH -N 8\n #SBATCH -N 7\n#SBATCH -N 2 # two # nodes\n");
    row("tabs", "#SBATCH\t-N\t3\n");
    row("after the first command", "#SBATCH -N 1\ntrue\n#SBATCH -N 8\n");
    row("blank and comment lines", "\n# note\n   \n#SBATCH -N 2\n\t# indented\n#SBATCH -J a\n");
    row("quotes", "#SBATCH --job-name=\"a b\" --comment='c d' --wckey=\"x\"'y'z\n");
    row("unquoted hash", "#SBATCH --job-name=exp#3\n");
    row("quoted hash", "#SBATCH --job-name=\"exp#3\"\n");
    row("escaped blank splits", "#SBATCH --job-name=a\\ b --comment=c\\\"d\\#e\n");
    row("escape inside quotes", "#SBATCH --job-name=\"x\\\"; touch pwned #\"\n");
    row("single quote inside double", "#SBATCH --job-name=\"a'b\"\n");
    row("double quote inside single", "#SBATCH --job-name='a\"b'\n");
    row("command substitution is text", "#SBATCH --job-name=a$(id)b --comment=\"`id`\"\n");
    row("unicode", "#SBATCH --job-name=\"Llama ünï ✓\"\n");
    row("empty quoted word", "#SBATCH --comment=\"x y\" -J \"\" --mail-type=END\n");
    row("CRLF", "#SBATCH -N 2\r\n#SBATCH -J x\r\n");
    row("value on the next line", "#SBATCH --account\n#SBATCH -N 2\n");
    row("legacy #SLURM", "#SLURM -N 3\n");
    row("unmatched quote", "#SBATCH --job-name=\"abc\n");
    row("leading colon", "#SBATCH :x\n");
    row("trailing backslash", "#SBATCH --comment=abc\\\n");

    // What TuneDeck generates, adversarial names included.
    const ClusterProfile profile = Test::baskerville();
    const QStringList names { QStringLiteral("exp#3"), QStringLiteral("a'b"), QStringLiteral("x\"; touch pwned #"),
        QStringLiteral("a$(id)b"), QStringLiteral("`id`"), QStringLiteral("-leading"),
        QStringLiteral("Llama ünï ✓ 70B"), QStringLiteral("back\\slash"), QString(300, u'n') };
    for (const QString& name : names) {
        JobSpec spec = Test::walkthroughSpec();
        spec.slurm.jobName = name;
        spec.resume.enabled = true;
        spec.slurm.extraDirectives = { { QStringLiteral("--mail-type"), QStringLiteral("END,FAIL") },
            { QStringLiteral("--exclusive"), QString() },
            { QStringLiteral("--comment"), QStringLiteral("two words # and \"quotes\" \\ too") } };
        QTest::newRow(qPrintable(QStringLiteral("generated, job name %1").arg(name.left(20))))
            << generateSbatchScript(spec, profile);
    }
    // The walkthrough's script and the real ones.
    const QString data = QStringLiteral(TUNEDECK_TESTDATA_DIR "/import/");
    QTest::newRow("walkthrough") << Test::readFile(data + u"walkthrough/batch-llama3-70b-ft.sh");
    for (const QString& name : QDir(data + u"real").entryList({ QStringLiteral("*.sh") }, QDir::Files))
        QTest::newRow(qPrintable(name)) << Test::readFile(data + u"real/" + name);
}

void TestSbatchConformance::sameWords()
{
    QFETCH(QByteArray, script);
    const QString path = m_dir.filePath(QStringLiteral("job.sh"));
    Test::writeFile(path, script);

    QProcess sbatch;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("SLURM_CONF"), m_dir.filePath(QStringLiteral("slurm.conf")));
    for (const QString& name : environment.keys()) {
        if (name.startsWith(u"SBATCH_") || name.startsWith(u"SLURM_JOB"))
            environment.remove(name);
    }
    sbatch.setProcessEnvironment(environment);
    sbatch.setProcessChannelMode(QProcess::MergedChannels);
    sbatch.start(m_sbatch, { QStringLiteral("-vvvv"), QStringLiteral("--gres=bad::"), path });
    QVERIFY(sbatch.waitForFinished(60000));
    const QString output = QString::fromUtf8(sbatch.readAll());

    static const QRegularExpression found(
        QStringLiteral("^sbatch: debug2: Found in script, argument \"(.*)\"$"), QRegularExpression::MultilineOption);
    QStringList theirs;
    for (auto it = found.globalMatch(output); it.hasNext();)
        theirs.append(it.next().captured(1));
    const SbatchDirectives ours = readSbatchDirectives(QString::fromUtf8(script), QStringLiteral("job.sh"));
    QStringList mine;
    for (const SbatchArgument& argument : ours.arguments)
        mine.append(argument.text);
    QCOMPARE(mine, theirs);
    // sbatch's fatal parse errors are ours.
    const bool fatal
        = output.contains(u"Unmatched `") || output.contains(u"Unexpected `:`") || output.contains(u"DOS line breaks");
    QVERIFY2(fatal == !ours.errors.isEmpty(), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestSbatchConformance)
#include "tst_sbatchconformance.moc"
