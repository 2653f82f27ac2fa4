#include "core/ssh/sshconfig.h"
#include "core/ssh/sshconnectionoptions.h"
#include "core/ssh/sshconnectionpool.h"

#include <QTest>

using namespace TuneDeck;

class TestSshConfig : public QObject
{
    Q_OBJECT
private:
    static SshConfigContext context()
    {
        SshConfigContext c;
        c.homeDir = QStringLiteral("/home/ada");
        c.localUser = QStringLiteral("ada");
        c.fileName = QStringLiteral("config");
        return c;
    }

private Q_SLOTS:
    void patterns_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("matches");
        QTest::newRow("exact") << "bask"
                               << "bask" << true;
        QTest::newRow("case-insensitive") << "Bask"
                                          << "bASK" << true;
        QTest::newRow("star-suffix") << "*.bham.ac.uk"
                                     << "login.baskerville.bham.ac.uk" << true;
        QTest::newRow("star-all") << "*"
                                  << "anything" << true;
        QTest::newRow("question") << "bask-pg0?"
                                  << "bask-pg01" << true;
        QTest::newRow("question-too-short") << "bask-pg0?"
                                            << "bask-pg0" << false;
        QTest::newRow("star-middle-backtrack") << "a*b*c"
                                               << "axxbyybzc" << true;
        QTest::newRow("star-middle-no") << "a*b*c"
                                        << "axxbyy" << false;
        QTest::newRow("prefix-only") << "bask"
                                     << "baskerville" << false;
    }
    void patterns()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, host);
        QFETCH(bool, matches);
        QCOMPARE(sshHostPatternMatches(pattern, host), matches);
    }

    void resolve_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("alias");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("user");
        QTest::addColumn<int>("port");
        QTest::addColumn<QStringList>("identities");
        QTest::addColumn<QString>("proxyJump");
        QTest::addColumn<QStringList>("warningWords"); // each must appear in some warning, in order given

        QTest::newRow("no-config") << QString() << "login.example.org"
                                   << "login.example.org"
                                   << "ada" << 22 << QStringList() << QString() << QStringList();
        // The Baskerville docs' style of entry.
        QTest::newRow("baskerville-alias")
            << "Host bask\n  HostName login.baskerville.ac.uk\n  User xyz1234\n  IdentityFile ~/.ssh/id_bask\n"
            << "bask"
            << "login.baskerville.ac.uk"
            << "xyz1234" << 22 << QStringList { QStringLiteral("/home/ada/.ssh/id_bask") } << QString()
            << QStringList();
        QTest::newRow("first-value-wins")
            << "Host bask\n  User first\n  Port 2200\nHost *\n  User second\n  Port 22\n  IdentityFile ~/.ssh/id_rsa\n"
            << "bask"
            << "bask"
            << "first" << 2200 << QStringList { QStringLiteral("/home/ada/.ssh/id_rsa") } << QString() << QStringList();
        QTest::newRow("identityfile-accumulates")
            << "Host bask\n  IdentityFile ~/.ssh/a\nHost *\n  IdentityFile %d/.ssh/b\n  IdentityFile ~/.ssh/a\n"
            << "bask"
            << "bask"
            << "ada" << 22 << QStringList { QStringLiteral("/home/ada/.ssh/a"), QStringLiteral("/home/ada/.ssh/b") }
            << QString() << QStringList();
        QTest::newRow("several-patterns") << "Host foo bask bar\n  HostName real.host\n"
                                          << "bask"
                                          << "real.host"
                                          << "ada" << 22 << QStringList() << QString() << QStringList();
        QTest::newRow("negation-excludes") << "Host *.ac.uk !login2.ac.uk\n  User wild\n"
                                           << "login2.ac.uk"
                                           << "login2.ac.uk"
                                           << "ada" << 22 << QStringList() << QString() << QStringList();
        QTest::newRow("negation-others-match") << "Host *.ac.uk !login2.ac.uk\n  User wild\n"
                                               << "login1.ac.uk"
                                               << "login1.ac.uk"
                                               << "wild" << 22 << QStringList() << QString() << QStringList();
        QTest::newRow("equals-and-quotes") << "Host=bask\n  HostName = \"login host\"\n  User=\"a b\"\n"
                                           << "bask"
                                           << "login host"
                                           << "a b" << 22 << QStringList() << QString() << QStringList();
        QTest::newRow("keywords-case-insensitive") << "HOST bask\n  HOSTNAME h\n  pOrT 2022\n"
                                                   << "bask"
                                                   << "h"
                                                   << "ada" << 2022 << QStringList() << QString() << QStringList();
        QTest::newRow("hostname-token") << "Host bask\n  HostName %h.bham.ac.uk\n"
                                        << "bask"
                                        << "bask.bham.ac.uk"
                                        << "ada" << 22 << QStringList() << QString() << QStringList();
        QTest::newRow("proxyjump") << "Host bask\n  ProxyJump gw@gateway:2200\n"
                                   << "bask"
                                   << "bask"
                                   << "ada" << 22 << QStringList() << "gw@gateway:2200" << QStringList();
        QTest::newRow("proxyjump-none") << "Host bask\n  ProxyJump none\nHost *\n  ProxyJump gw\n"
                                        << "bask"
                                        << "bask"
                                        << "ada" << 22 << QStringList() << QString() << QStringList();
        QTest::newRow("global-before-host") << "User everyone\nHost bask\n  User later\n"
                                            << "bask"
                                            << "bask"
                                            << "everyone" << 22 << QStringList() << QString() << QStringList();
        QTest::newRow("comments-blank-lines") << "# a comment\n\nHost bask\n  # inside\n  User u\n"
                                              << "bask"
                                              << "bask"
                                              << "u" << 22 << QStringList() << QString() << QStringList();
        QTest::newRow("unsupported-options-warn")
            << "Host bask\n  ForwardAgent yes\n  ControlMaster auto\n  ProxyCommand nc %h %p\n"
            << "bask"
            << "bask"
            << "ada" << 22 << QStringList() << QString()
            << QStringList { QStringLiteral("config:2: option 'forwardagent'"),
                   QStringLiteral("config:3: option 'controlmaster'"),
                   QStringLiteral("config:4: option 'proxycommand'") };
        QTest::newRow("strict-no-is-not-honoured")
            << "Host *\n  StrictHostKeyChecking no\n"
            << "bask"
            << "bask"
            << "ada" << 22 << QStringList() << QString()
            << QStringList { QStringLiteral("StrictHostKeyChecking no' is not honoured") };
        QTest::newRow("match-block-ignored") << "Match host bask\n  User matched\nHost bask\n  User hosted\n"
                                             << "bask"
                                             << "bask"
                                             << "hosted" << 22 << QStringList() << QString()
                                             << QStringList { QStringLiteral("'Match' blocks are not supported") };
        QTest::newRow("include-warned") << "Include ~/.ssh/config.d/*\n"
                                        << "bask"
                                        << "bask"
                                        << "ada" << 22 << QStringList() << QString()
                                        << QStringList { QStringLiteral("'Include' is not supported") };
        QTest::newRow("options-of-other-hosts-not-warned") << "Host other\n  ForwardX11 yes\nHost bask\n  User u\n"
                                                           << "bask"
                                                           << "bask"
                                                           << "u" << 22 << QStringList() << QString() << QStringList();
    }
    void resolve()
    {
        QFETCH(QString, config);
        QFETCH(QString, alias);
        QFETCH(QString, host);
        QFETCH(QString, user);
        QFETCH(int, port);
        QFETCH(QStringList, identities);
        QFETCH(QString, proxyJump);
        QFETCH(QStringList, warningWords);

        const SshConfigResult result = resolveSshConfig(config, alias, context());
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(result.target.alias, alias);
        QCOMPARE(result.target.host, host);
        QCOMPARE(result.target.user, user);
        QCOMPARE(result.target.port, port);
        QCOMPARE(result.target.identityFiles, identities);
        QCOMPARE(result.target.proxyJump, proxyJump);
        QCOMPARE(result.warnings.size(), warningWords.size());
        for (qsizetype i = 0; i < warningWords.size(); ++i)
            QVERIFY2(result.warnings.at(i).contains(warningWords.at(i)), qPrintable(result.warnings.at(i)));
    }

    void hostAliasesForTheClusterList()
    {
        // An ~/.ssh/config as researchers write them: a wildcard default block, a cluster with two names,
        // a negated pattern, a jump host, and the same name twice.
        const QString config
            = QStringLiteral("Host *\n  ServerAliveInterval 60\n"
                             "Host bask baskerville\n  HostName login.baskerville.ac.uk\n  User abc123\n"
                             "Host *.ac.uk !gw.ac.uk\n  User abc123\n"
                             "  # Host commented\n"
                             "Host jump\n  HostName gw.ac.uk\n"
                             "Host bask\n  Port 22\n");
        QCOMPARE(sshConfigHostAliases(config),
            QStringList({ QStringLiteral("bask"), QStringLiteral("baskerville"), QStringLiteral("jump") }));
        QVERIFY(sshConfigHostAliases(QString()).isEmpty());
    }

    void badPort()
    {
        const SshConfigResult result
            = resolveSshConfig(QStringLiteral("Host b\n Port 99999\n"), QStringLiteral("b"), context());
        QVERIFY(result.error.contains(u"99999"));
    }

    void keepaliveAndKnownHosts()
    {
        const SshConfigResult result = resolveSshConfig(
            QStringLiteral("Host b\n ServerAliveInterval 5\n ServerAliveCountMax 2\n UserKnownHostsFile ~/kh %d/kh2\n"
                           " IdentityAgent none\n"),
            QStringLiteral("b"), context());
        QCOMPARE(result.knownHostsFile, QStringLiteral("/home/ada/kh"));
        QCOMPARE(result.identityAgent, QStringLiteral("none"));
        const SshConnectionOptions options = sshOptionsFromConfig(result);
        QCOMPARE(options.keepaliveInterval, std::chrono::milliseconds(5000));
        QCOMPARE(options.keepaliveCountMax, 2);
        QCOMPARE(options.deadAfter(), std::chrono::milliseconds(10000));
        QCOMPARE(result.warnings.size(), 1); // only the first UserKnownHostsFile is used
    }

    void targetEquality()
    {
        SshTarget a;
        a.host = QStringLiteral("h");
        a.user = QStringLiteral("u");
        SshTarget b = a;
        QVERIFY(a == b);
        b.port = 2222;
        QVERIFY(!(a == b));
        b = a;
        b.identityFiles.append(QStringLiteral("/k"));
        QVERIFY(!(a == b));
        QCOMPARE(a.displayName(), QStringLiteral("u@h"));
    }

    void poolKeyedByTarget()
    {
        SshConnectionOptions options;
        options.target.host = QStringLiteral("login.example.org");
        options.target.user = QStringLiteral("ada");
        SshConnectionPool pool;
        SshConnection* first = pool.connectionFor(options);
        options.keepaliveCountMax = 9; // not part of the key
        QCOMPARE(pool.connectionFor(options), first);
        options.target.port = 2222;
        SshConnection* other = pool.connectionFor(options);
        QVERIFY(other != first);
        QCOMPARE(pool.size(), 2);
        QCOMPARE(first->state(), SshState::Disconnected); // created, not opened
        pool.remove(options.target);
        QCOMPARE(pool.size(), 1);
        QVERIFY(pool.find(options.target) == nullptr);
    }
};

QTEST_GUILESS_MAIN(TestSshConfig)
#include "tst_sshconfig.moc"
