#include "minibask.h"

#include "core/ssh/remotecommand.h"
#include "core/ssh/sshconnection.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;
using namespace TuneDeck::Test;

// Against mini-Baskerville's real OpenSSH login node (LABEL cluster): port MINIBASK_PORT asks for the
// key and then a TOTP code (AuthenticationMethods publickey,keyboard-interactive), MINIBASK_KEYONLY_PORT
// for the key only.
class TestSshConnection : public QObject
{
    Q_OBJECT
private:
    MiniBask m_cluster;
    QTemporaryDir m_tmp;

    QString knownHostsCopy(const QString& name)
    {
        const QString path = m_tmp.filePath(name);
        QFile::remove(path);
        QFile::copy(m_cluster.value("MINIBASK_KNOWN_HOSTS"), path);
        return path;
    }

    QString serverFingerprint()
    {
        QProcess keygen;
        keygen.start(QStringLiteral("ssh-keygen"),
            { QStringLiteral("-l"), QStringLiteral("-E"), QStringLiteral("sha256"), QStringLiteral("-f"),
                m_cluster.value("MINIBASK_HOSTKEY_PUB") });
        keygen.waitForFinished();
        return QString::fromUtf8(keygen.readAllStandardOutput()).section(u' ', 1, 1);
    }

    SshCommandResult run(SshConnection& connection, const QString& command)
    {
        Results results(&connection);
        const quint64 id = connection.runCommand(command);
        return results.command(id);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cluster = MiniBask::load();
        REQUIRE_MINIBASK(m_cluster);
        QVERIFY(m_tmp.isValid());
        qunsetenv("SSH_AUTH_SOCK"); // logins below use exactly the keys and agents each test sets up
    }

    void firstContactAskedThenRemembered()
    {
        const QString knownHosts = m_tmp.filePath(QStringLiteral("first/known_hosts")); // folder missing too
        SshConnection connection(m_cluster.options(m_cluster.keyOnlyPort(), knownHosts));
        PromptResponder responder(&connection);
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);
        QCOMPARE(responder.prompts.size(), 1);
        const SshPrompt& prompt = responder.prompts.front();
        QCOMPARE(prompt.kind, SshPrompt::Kind::HostKey);
        QCOMPARE(prompt.hostKey.host, m_cluster.host());
        QCOMPARE(prompt.hostKey.port, m_cluster.keyOnlyPort());
        QCOMPARE(prompt.hostKey.keyType, QStringLiteral("ssh-ed25519"));
        QCOMPARE(prompt.hostKey.fingerprint, serverFingerprint());
        QVERIFY(prompt.hostKey.fingerprint.startsWith(u"SHA256:"));
        const QByteArray written = readFile(knownHosts);
        QVERIFY2(written.contains(QByteArray(QByteArray("[127.0.0.1]:") + QByteArray::number(m_cluster.keyOnlyPort()))),
            written.constData());

        // Known now: no question the second time.
        SshConnection again(m_cluster.options(m_cluster.keyOnlyPort(), knownHosts));
        PromptResponder quiet(&again);
        again.open();
        QCOMPARE(waitForState(again, SshState::Connected), SshState::Connected);
        QCOMPARE(quiet.prompts.size(), 0);
    }

    void firstContactRejectedSendsNothing()
    {
        const QString knownHosts = m_tmp.filePath(QStringLiteral("reject_known_hosts"));
        SshConnection connection(m_cluster.options(m_cluster.keyOnlyPort(), knownHosts));
        PromptResponder responder(&connection);
        responder.acceptHostKey = false;
        QSignalSpy states(&connection, &SshConnection::stateChanged);
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Failed), SshState::Failed);
        QCOMPARE(responder.count(SshPrompt::Kind::HostKey), 1);
        QVERIFY(connection.stateMessage().contains(u"not accepted"));
        // No authentication was attempted before (or after) the refusal, and nothing was written.
        for (const QList<QVariant>& arguments : std::as_const(states))
            QVERIFY(arguments.at(0).value<SshState>() != SshState::Authenticating);
        QVERIFY(!QFile::exists(knownHosts) || readFile(knownHosts).isEmpty());
    }

    void changedHostKeyRefused()
    {
        // A known_hosts entry for the right host with another ed25519 key: a man-in-the-middle as far
        // as we can tell.
        const QString keyPath = m_tmp.filePath(QStringLiteral("impostor"));
        QFile::remove(keyPath);
        QFile::remove(keyPath + QStringLiteral(".pub"));
        QCOMPARE(runProgram(QStringLiteral("ssh-keygen"),
                     { QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                         QString(), QStringLiteral("-f"), keyPath })
                     .exitCode,
            0);
        const QByteArray impostor = readFile(keyPath + QStringLiteral(".pub")).trimmed();
        const QString knownHosts = m_tmp.filePath(QStringLiteral("changed_known_hosts"));
        writeFile(knownHosts, "[127.0.0.1]:" + QByteArray::number(m_cluster.keyOnlyPort()) + ' ' + impostor + '\n');
        const QString oldFingerprint
            = QString::fromUtf8(runProgram(QStringLiteral("ssh-keygen"),
                                    { QStringLiteral("-l"), QStringLiteral("-f"), keyPath + QStringLiteral(".pub") })
                                    .out)
                  .section(u' ', 1, 1);

        SshConnection connection(m_cluster.options(m_cluster.keyOnlyPort(), knownHosts));
        PromptResponder responder(&connection);
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Failed), SshState::Failed);
        QCOMPARE(responder.prompts.size(), 0); // no "connect anyway" question
        const QString message = connection.stateMessage();
        QVERIFY2(message.contains(u"has changed"), qPrintable(message));
        QVERIFY2(message.contains(serverFingerprint()), qPrintable(message));
        QVERIFY2(message.contains(oldFingerprint), qPrintable(message));
        // The file is left as it was.
        QVERIFY(readFile(knownHosts).contains(impostor));
    }

    void hashedKnownHostsEntry()
    {
        const QString knownHosts = knownHostsCopy(QStringLiteral("hashed_known_hosts"));
        QCOMPARE(runProgram(QStringLiteral("ssh-keygen"), { QStringLiteral("-H"), QStringLiteral("-f"), knownHosts })
                     .exitCode,
            0);
        QVERIFY(readFile(knownHosts).startsWith("|1|"));
        SshConnection connection(m_cluster.options(m_cluster.keyOnlyPort(), knownHosts));
        PromptResponder responder(&connection);
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);
        QCOMPARE(responder.prompts.size(), 0);
    }

    void keyFileLoginAndCommands()
    {
        SshConnection connection(m_cluster.options(m_cluster.keyOnlyPort(), knownHostsCopy(QStringLiteral("kh_cmd"))));
        PromptResponder responder(&connection);
        Results results(&connection);
        connection.open();
        // Asked before the login completes: waits for it.
        const quint64 early = connection.runCommand(QStringLiteral("echo out; echo err >&2; exit 3"));
        const SshCommandResult result = results.command(early);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(result.started);
        QCOMPARE(result.exitStatus, 3);
        QCOMPARE(result.standardOutput, QByteArray("out\n"));
        QCOMPARE(result.standardError, QByteArray("err\n"));
        QCOMPARE(responder.prompts.size(), 0);

        const SshCommandResult who = run(connection, QStringLiteral("id -un"));
        QVERIFY(who.ok());
        QCOMPARE(QString::fromUtf8(who.standardOutput.trimmed()), m_cluster.value("MINIBASK_USER"));

        // Several commands in flight on the one session.
        QList<quint64> ids;
        for (int i = 0; i < 12; ++i)
            ids.append(connection.runCommand(u"echo " % QString::number(i)));
        for (int i = 0; i < ids.size(); ++i) {
            const SshCommandResult r = results.command(ids[i]);
            QVERIFY2(r.ok(),
                qPrintable(r.error % u" exit " % QString::number(r.exitStatus) % u" err "
                    % QString::fromUtf8(r.standardError)));
            QCOMPARE(r.standardOutput, QByteArray::number(i) + '\n');
        }

        // After close() nothing will run a request: it fails at once instead of waiting forever.
        connection.close();
        QCOMPARE(waitForState(connection, SshState::Disconnected), SshState::Disconnected);
        const SshCommandResult late = results.command(connection.runCommand(QStringLiteral("true")), 5000);
        QVERIFY(!late.started);
        QVERIFY2(late.error.contains(u"not connected"), qPrintable(late.error));
    }

    void adversarialValuesArriveUnchanged_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("single-quote") << QStringLiteral("it's");
        QTest::newRow("double-quote") << QStringLiteral("say \"hi\"");
        QTest::newRow("backslashes") << QStringLiteral("a\\b\\\\c\\");
        QTest::newRow("command-substitution") << QStringLiteral("$(id) and `id`");
        QTest::newRow("variable") << QStringLiteral("$HOME ${USER}");
        QTest::newRow("comment-semicolon") << QStringLiteral("x # y; z && w");
        QTest::newRow("newline") << QStringLiteral("line1\nline2\n");
        QTest::newRow("leading-dash") << QStringLiteral("-n");
        QTest::newRow("unicode") << QStringLiteral("Łódź – 微调 🦙");
    }
    void adversarialValuesArriveUnchanged()
    {
        QFETCH(QString, value);
        static std::unique_ptr<SshConnection> connection;
        if (!connection) {
            connection = std::make_unique<SshConnection>(
                m_cluster.options(m_cluster.keyOnlyPort(), knownHostsCopy(QStringLiteral("kh_adv"))));
            connection->open();
        }
        const RemoteCommand command = RemoteCommand(QStringLiteral("printf '%s'")).arg(value);
        const SshCommandResult result = run(*connection, command.toString());
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.standardOutput, value.toUtf8());
    }

    void agentLogin()
    {
        const QString socket = m_tmp.filePath(QStringLiteral("agent.sock"));
        QProcess agent;
        agent.start(QStringLiteral("ssh-agent"), { QStringLiteral("-D"), QStringLiteral("-a"), socket });
        QVERIFY(agent.waitForStarted());
        QTRY_VERIFY(QFile::exists(socket));
        QProcess add;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SSH_AUTH_SOCK"), socket);
        add.setProcessEnvironment(env);
        add.start(QStringLiteral("ssh-add"), { m_cluster.value("MINIBASK_KEY") });
        QVERIFY(add.waitForFinished());
        QCOMPARE(add.exitCode(), 0);

        // No usable key file: only the agent can log us in.
        SshConnectionOptions options
            = m_cluster.options(m_cluster.keyOnlyPort(), knownHostsCopy(QStringLiteral("kh_agent")));
        options.target.identityFiles = { m_tmp.filePath(QStringLiteral("no-such-key")) };
        options.identityAgent = socket;
        SshConnection connection(options);
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);

        // The same without the agent is refused, naming what was tried.
        options.identityAgent = QStringLiteral("none");
        SshConnection refused(options);
        refused.open();
        QCOMPARE(waitForState(refused, SshState::Failed), SshState::Failed);
        QVERIFY2(refused.stateMessage().contains(u"Permission denied"), qPrintable(refused.stateMessage()));
        agent.terminate();
        agent.waitForFinished();
    }

    void encryptedKeyAsksForThePassphrase()
    {
        // The cluster's key, encrypted: the server knows it, so the passphrase is asked (only then).
        const QString key = m_tmp.filePath(QStringLiteral("encrypted_key"));
        QFile::remove(key);
        QVERIFY(QFile::copy(m_cluster.value("MINIBASK_KEY"), key));
        QFile::setPermissions(key, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QCOMPARE(runProgram(QStringLiteral("ssh-keygen"),
                     { QStringLiteral("-q"), QStringLiteral("-p"), QStringLiteral("-N"),
                         QStringLiteral("s3cret phrase"), QStringLiteral("-f"), key })
                     .exitCode,
            0);
        QFile::remove(key + QStringLiteral(".pub"));
        QVERIFY(QFile::copy(m_cluster.value("MINIBASK_KEY") + QStringLiteral(".pub"), key + QStringLiteral(".pub")));
        SshConnectionOptions options
            = m_cluster.options(m_cluster.keyOnlyPort(), knownHostsCopy(QStringLiteral("kh_pass")));
        options.target.identityFiles = { key };

        SshConnection connection(options);
        PromptResponder responder(&connection);
        responder.passphrase = []() { return QByteArray("s3cret phrase"); };
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);
        QCOMPARE(responder.count(SshPrompt::Kind::Passphrase), 1);
        QCOMPARE(responder.prompts.front().keyFile, key);
        QVERIFY(!responder.prompts.front().fields.front().echo);

        // A wrong passphrase is asked again (three tries), then the key is given up.
        SshConnection wrong(options);
        PromptResponder wrongResponder(&wrong);
        wrongResponder.passphrase = []() { return QByteArray("nope"); };
        wrong.open();
        QCOMPARE(waitForState(wrong, SshState::Failed), SshState::Failed);
        QCOMPARE(wrongResponder.count(SshPrompt::Kind::Passphrase), 3);
        QVERIFY(wrong.stateMessage().contains(u"Permission denied"));
    }

    void proxyJumpThroughOpenSsh()
    {
        // ProxyJump runs OpenSSH's client (`ssh -W`) with the configuration TuneDeck resolved the target
        // with, which here knows the jump host (the key-only login node itself, as a stand-in).
        const QString home = m_tmp.filePath(QStringLiteral("jumphome"));
        QVERIFY(QDir().mkpath(home + QStringLiteral("/.ssh")));
        writeFile(home + QStringLiteral("/.ssh/config"),
            QStringLiteral("Host jumphost\n  HostName %1\n  Port %2\n  User %3\n  IdentityFile %4\n"
                           "  UserKnownHostsFile %5\n  BatchMode yes\n")
                .arg(m_cluster.host())
                .arg(m_cluster.keyOnlyPort())
                .arg(m_cluster.value("MINIBASK_USER"), m_cluster.value("MINIBASK_KEY"),
                    m_cluster.value("MINIBASK_KNOWN_HOSTS"))
                .toUtf8());
        SshConnectionOptions options
            = m_cluster.options(m_cluster.keyOnlyPort(), knownHostsCopy(QStringLiteral("kh_jump")));
        options.target.proxyJump = QStringLiteral("jumphost");
        options.sshConfigFile = home + QStringLiteral("/.ssh/config");
        SshConnection connection(options);
        Results results(&connection);
        connection.open();
        const SshState state = waitForState(connection, SshState::Connected);
        QVERIFY2(state == SshState::Connected, qPrintable(connection.stateMessage()));
        QCOMPARE(results.command(connection.runCommand(QStringLiteral("echo jumped"))).standardOutput,
            QByteArray("jumped\n"));

        // Without the ssh program there is no ProxyJump in libssh 0.10: a clear error, not a hang.
        const QByteArray savedPath = qgetenv("PATH");
        qputenv("PATH", "/nonexistent");
        SshConnection noSsh(options);
        noSsh.open();
        const SshState noSshState = waitForState(noSsh, SshState::Failed);
        qputenv("PATH", savedPath);
        QCOMPARE(noSshState, SshState::Failed);
        QVERIFY2(
            noSsh.stateMessage().contains(u"needs the OpenSSH client program 'ssh'"), qPrintable(noSsh.stateMessage()));
    }

    void keyThenTotpCode()
    {
        SshConnection connection(m_cluster.options(m_cluster.totpPort(), knownHostsCopy(QStringLiteral("kh_totp"))));
        PromptResponder responder(&connection);
        MiniBask cluster = m_cluster;
        responder.code = [cluster]() { return cluster.totpCode(); };
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);
        QCOMPARE(responder.count(SshPrompt::Kind::KeyboardInteractive), 1);
        const SshPrompt& prompt = responder.prompts.front();
        QCOMPARE(prompt.fields.size(), 1);
        QVERIFY2(prompt.fields.front().text.contains(u"erification code"), qPrintable(prompt.fields.front().text));
        QVERIFY(!prompt.fields.front().echo);
        const SshCommandResult result = run(connection, QStringLiteral("echo ok"));
        QCOMPARE(result.standardOutput, QByteArray("ok\n"));
    }

    void wrongCodeStops()
    {
        SshConnection connection(m_cluster.options(m_cluster.totpPort(), knownHostsCopy(QStringLiteral("kh_wrong"))));
        PromptResponder responder(&connection);
        const QByteArray current = m_cluster.totpCode();
        responder.code = [current]() { return current == "000000" ? QByteArray("111111") : QByteArray("000000"); };
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Failed), SshState::Failed);
        QCOMPARE(responder.count(SshPrompt::Kind::KeyboardInteractive), 1); // asked once, not in a loop
        QVERIFY2(connection.stateMessage().contains(u"did not accept"), qPrintable(connection.stateMessage()));
    }

    void silentDropDetectedAndRecovered()
    {
        TcpProxy proxy(m_cluster.host(), m_cluster.keyOnlyPort());
        SshConnectionOptions options = m_cluster.options(proxy.port(), knownHostsCopy(QStringLiteral("kh_drop")));
        options.knownHostsFile = m_tmp.filePath(QStringLiteral("kh_drop_proxy"));
        writeFile(options.knownHostsFile,
            readFile(m_cluster.value("MINIBASK_KNOWN_HOSTS"))
                .replace(QByteArray("[127.0.0.1]:" + QByteArray::number(m_cluster.keyOnlyPort())),
                    QByteArray("[127.0.0.1]:" + QByteArray::number(proxy.port()))));
        options.keepaliveInterval = std::chrono::milliseconds(1000);
        options.keepaliveCountMax = 3;
        options.reconnectInitialDelay = std::chrono::milliseconds(200);
        SshConnection connection(options);
        PromptResponder responder(&connection);
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);
        QCOMPARE(responder.prompts.size(), 0);

        // Idle but alive: keepalives are answered, nothing drops over several windows.
        QSignalSpy states(&connection, &SshConnection::stateChanged);
        QVERIFY(!states.wait(4500));
        QCOMPARE(connection.state(), SshState::Connected);

        QElapsedTimer clock;
        clock.start();
        proxy.freeze();
        QCOMPARE(waitForState(connection, SshState::Reconnecting, 10000), SshState::Reconnecting);
        const qint64 detectedAfter = clock.elapsed();
        qInfo() << "silent drop detected after" << detectedAfter << "ms";
        QVERIFY2(detectedAfter <= options.deadAfter().count() + 1000, qPrintable(QString::number(detectedAfter)));
        // The last reply came at most one interval before the freeze.
        QVERIFY(detectedAfter >= (options.deadAfter() - options.keepaliveInterval).count() - 300);

        QCOMPARE(waitForState(connection, SshState::Connected, 15000), SshState::Connected);
        QCOMPARE(connection.reconnectCount(), 1);
        QCOMPARE(responder.prompts.size(), 0); // key login: no human needed
        QCOMPARE(run(connection, QStringLiteral("echo back")).standardOutput, QByteArray("back\n"));
    }

    void dropWithOneTimeCodeAsksOnce()
    {
        TcpProxy proxy(m_cluster.host(), m_cluster.totpPort());
        SshConnectionOptions options = m_cluster.options(proxy.port(), QString());
        options.knownHostsFile = m_tmp.filePath(QStringLiteral("kh_totp_proxy"));
        writeFile(options.knownHostsFile,
            readFile(m_cluster.value("MINIBASK_KNOWN_HOSTS"))
                .replace(QByteArray("[127.0.0.1]:" + QByteArray::number(m_cluster.totpPort())),
                    QByteArray("[127.0.0.1]:" + QByteArray::number(proxy.port()))));
        SshConnection connection(options);
        PromptResponder responder(&connection);
        MiniBask cluster = m_cluster;
        responder.code = [cluster]() { return cluster.totpCode(); };
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);

        proxy.cut();
        QTRY_COMPARE_WITH_TIMEOUT(responder.count(SshPrompt::Kind::Reconnect), 1, 20000);
        QCOMPARE(waitForState(connection, SshState::Connected, 20000), SshState::Connected);
        QCOMPARE(responder.count(SshPrompt::Kind::Reconnect), 1);
        QCOMPARE(responder.count(SshPrompt::Kind::KeyboardInteractive), 2);

        // Declining leaves it disconnected, without asking again.
        responder.acceptReconnect = false;
        proxy.cut();
        QTRY_COMPARE_WITH_TIMEOUT(responder.count(SshPrompt::Kind::Reconnect), 2, 20000);
        QCOMPARE(waitForState(connection, SshState::Disconnected, 20000), SshState::Disconnected);
        QCOMPARE(responder.count(SshPrompt::Kind::Reconnect), 2);
        QSignalSpy more(&connection, &SshConnection::promptRequested);
        QVERIFY(!more.wait(1500));
    }

    void sftpUploadStatRead()
    {
        SshConnection connection(m_cluster.options(m_cluster.keyOnlyPort(), knownHostsCopy(QStringLiteral("kh_sftp"))));
        Results results(&connection);
        connection.open();
        const QString dir = m_cluster.value("MINIBASK_PROJECT_DIR") % u"/tunedeck-tests/ssh-"
            % QString::number(QRandomGenerator::global()->generate(), 16) % u"/a b";
        QByteArray big;
        for (int i = 0; i < 200000; ++i)
            big += "line " + QByteArray::number(i) + '\n';
        const quint64 up = connection.upload(dir,
            { { QStringLiteral("job.sbatch"), "#!/bin/bash\necho hi\n", 0644 },
                { QStringLiteral("big.txt"), big, 0600 } });
        const SftpUploadResult uploaded = results.upload(up);
        QVERIFY2(uploaded.ok(), qPrintable(uploaded.error));
        QCOMPARE(uploaded.written.size(), 2);
        // The remote is this machine: compare with the file system directly, too.
        QCOMPARE(readFile(dir + QStringLiteral("/big.txt")), big);
        QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden).size(), 2); // no temporary left behind

        const SftpStatResult stat = results.stat(connection.stat(dir + QStringLiteral("/big.txt")));
        QVERIFY(stat.ok());
        QVERIFY(stat.info.exists);
        QCOMPARE(stat.info.size, big.size());
        const SftpStatResult missing = results.stat(connection.stat(dir + QStringLiteral("/none")));
        QVERIFY(missing.ok());
        QVERIFY(!missing.info.exists);

        const SftpReadResult part = results.read(connection.read(dir + QStringLiteral("/big.txt"), 1000, 1000000));
        QVERIFY2(part.ok(), qPrintable(part.error));
        QCOMPARE(part.data, big.mid(1000, 1000000));
        const SftpReadResult tail
            = results.read(connection.read(dir + QStringLiteral("/big.txt"), big.size() - 10, 1000));
        QCOMPARE(tail.data, big.right(10));
        QCOMPARE(tail.info.size, big.size());
    }
};

QTEST_GUILESS_MAIN(TestSshConnection)
#include "tst_sshconnection.moc"
