#include "core/ssh/remotecommand.h"

#include <QProcess>
#include <QTest>

using namespace TuneDeck;

// Adversarial values (STYLE.md item 18) go through RemoteCommand and a real /bin/sh -c here; the same
// rows run over SSH in tst_sshconnection.
class TestRemoteCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripThroughShell_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("plain") << QStringLiteral("llama3-70b-ft");
        QTest::newRow("empty") << QString();
        QTest::newRow("single-quote") << QStringLiteral("it's");
        QTest::newRow("only-quotes") << QStringLiteral("''''");
        QTest::newRow("double-quote") << QStringLiteral("say \"hi\"");
        QTest::newRow("backslashes") << QStringLiteral("a\\b\\\\c\\");
        QTest::newRow("command-substitution") << QStringLiteral("$(touch /tmp/tunedeck-pwned)");
        QTest::newRow("backticks") << QStringLiteral("`id`");
        QTest::newRow("variable") << QStringLiteral("$HOME ${PATH}");
        QTest::newRow("comment") << QStringLiteral("a # b");
        QTest::newRow("semicolon-and") << QStringLiteral("x; rm -rf ~ && echo");
        QTest::newRow("newline") << QStringLiteral("line1\nline2");
        QTest::newRow("leading-dash") << QStringLiteral("--help");
        QTest::newRow("glob") << QStringLiteral("* ?[a]");
        QTest::newRow("unicode") << QStringLiteral("Łódź – 微调 🦙");
        QTest::newRow("tab-and-cr") << QStringLiteral("a\tb\rc");
        QTest::newRow("pipe-redirect") << QStringLiteral("| cat > /tmp/x < /etc/passwd");
    }
    void roundTripThroughShell()
    {
        QFETCH(QString, value);
        const RemoteCommand command = RemoteCommand(QStringLiteral("printf '%s'")).arg(value);
        QVERIFY(command.isValid());
        QProcess shell;
        shell.start(QStringLiteral("/bin/sh"), { QStringLiteral("-c"), command.toString() });
        QVERIFY(shell.waitForFinished());
        QCOMPARE(shell.exitCode(), 0);
        QCOMPARE(shell.readAllStandardOutput(), value.toUtf8());
    }

    void nulIsRejected()
    {
        const RemoteCommand command = RemoteCommand(QStringLiteral("echo")).arg(QStringView(u"a\0b", 3));
        QVERIFY(!command.isValid());
        QVERIFY(command.error().contains(u"NUL"));
    }

    void fixedTextIsVerbatim()
    {
        const RemoteCommand command = RemoteCommand(QStringLiteral("cd"))
                                          .fixed(u"--")
                                          .arg(u"/p/run dir")
                                          .fixed(u"&& sbatch --parsable job.sbatch");
        QCOMPARE(command.toString(), QStringLiteral("cd -- '/p/run dir' && sbatch --parsable job.sbatch"));
    }
};

QTEST_GUILESS_MAIN(TestRemoteCommand)
#include "tst_remotecommand.moc"
