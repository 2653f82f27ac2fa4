#include "core/ssh/hostkeypolicy.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QTest>

#include <libssh/libssh.h>

using namespace TuneDeck;

class TestHostKeyPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Every value of libssh's enum ssh_known_hosts_e maps to a decision; only OK proceeds, only the
    // two "never seen" states ask, everything else refuses (libssh examples/knownhosts.c).
    void everyLibsshState_data()
    {
        QTest::addColumn<int>("libsshValue");
        QTest::addColumn<KnownHostState>("state");
        QTest::addColumn<HostKeyAction>("action");
        QTest::newRow("ok") << int(SSH_KNOWN_HOSTS_OK) << KnownHostState::Ok << HostKeyAction::Proceed;
        QTest::newRow("changed") << int(SSH_KNOWN_HOSTS_CHANGED) << KnownHostState::Changed << HostKeyAction::Refuse;
        QTest::newRow("other-type") << int(SSH_KNOWN_HOSTS_OTHER) << KnownHostState::OtherType << HostKeyAction::Refuse;
        QTest::newRow("not-found") << int(SSH_KNOWN_HOSTS_NOT_FOUND) << KnownHostState::NotFound
                                   << HostKeyAction::AskUser;
        QTest::newRow("no-file") << int(SSH_KNOWN_HOSTS_UNKNOWN) << KnownHostState::Unknown << HostKeyAction::AskUser;
        QTest::newRow("error") << int(SSH_KNOWN_HOSTS_ERROR) << KnownHostState::Error << HostKeyAction::Refuse;
        QTest::newRow("future-value") << 4711 << KnownHostState::Error << HostKeyAction::Refuse;
    }
    void everyLibsshState()
    {
        QFETCH(int, libsshValue);
        QFETCH(KnownHostState, state);
        QFETCH(HostKeyAction, action);
        QCOMPARE(knownHostStateFromLibssh(libsshValue), state);
        QCOMPARE(hostKeyAction(state), action);
    }

    void refusalNamesBothFingerprints()
    {
        HostKeyInfo info;
        info.host = QStringLiteral("127.0.0.1");
        info.port = 2222;
        info.keyType = QStringLiteral("ssh-ed25519");
        info.fingerprint = QStringLiteral("SHA256:new");
        info.knownKeyType = QStringLiteral("ssh-ed25519");
        info.knownFingerprint = QStringLiteral("SHA256:old");
        info.knownHostsFile = QStringLiteral("/home/ada/.ssh/known_hosts");
        info.state = KnownHostState::Changed;
        const QString message = hostKeyRefusalMessage(info);
        QVERIFY(message.contains(u"[127.0.0.1]:2222"));
        QVERIFY(message.contains(u"SHA256:old"));
        QVERIFY(message.contains(u"SHA256:new"));
        QVERIFY(message.contains(u"/home/ada/.ssh/known_hosts"));
        QVERIFY(message.contains(u"will not connect"));
        info.port = 22;
        QCOMPARE(info.hostForKnownHosts(), QStringLiteral("127.0.0.1"));
    }

    void knownHostsLines()
    {
        // A hashed line for "[127.0.0.1]:2222" made with `ssh-keygen -H` (salt and HMAC-SHA1 of the name),
        // a plain line with several names, a wildcard, a revoked marker and a comment.
        const QByteArray salt = QByteArray::fromHex("00112233445566778899aabbccddeeff00112233");
        const QByteArray hashed = "|1|" + salt.toBase64() + '|'
            + QMessageAuthenticationCode::hash("[127.0.0.1]:2222", salt, QCryptographicHash::Sha1).toBase64();
        const QByteArray file = "# comment\n" + hashed + " ssh-ed25519 AAAAhashed\n"
            + "login.example.org,10.0.0.1 ssh-rsa AAAArsa\n" + "*.example.org ecdsa-sha2-nistp256 AAAAwild\n"
            + "@revoked login.example.org ssh-ed25519 AAAArevoked\n" + "[127.0.0.1]:2223 ssh-ed25519 AAAAotherport\n";
        const QList<KnownHostsLine> local = knownHostsEntriesFor(file, QStringLiteral("127.0.0.1"), 2222);
        QCOMPARE(local.size(), 1);
        QCOMPARE(local.front().lineNumber, 2);
        QCOMPARE(local.front().base64Key, QByteArray("AAAAhashed"));
        const QList<KnownHostsLine> login = knownHostsEntriesFor(file, QStringLiteral("login.example.org"), 22);
        QCOMPARE(login.size(), 2);
        QCOMPARE(login.at(0).keyType, QStringLiteral("ssh-rsa"));
        QCOMPARE(login.at(1).base64Key, QByteArray("AAAAwild"));
        QVERIFY(knownHostsEntriesFor(file, QStringLiteral("127.0.0.1"), 22).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHostKeyPolicy)
#include "tst_hostkeypolicy.moc"
