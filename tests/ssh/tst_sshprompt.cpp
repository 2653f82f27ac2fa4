#include "core/ssh/sshprompt.h"

#include <QTest>

using namespace TuneDeck;

class TestSshPrompt : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A queued signal copies the answer; the copies share one buffer. Wiping one must clear the bytes
    // every copy sees, or the code would linger in the other thread's copy.
    void wipeReachesSharedCopies()
    {
        QByteArray secret("123456");
        secret.detach();
        const QByteArray copy = secret; // shares the buffer
        const char* bytes = copy.constData();
        wipeSecret(secret);
        QVERIFY(secret.isEmpty());
        QCOMPARE(QByteArray(bytes, 6), QByteArray(6, '\0'));
    }

    void wipeList()
    {
        QList<QByteArray> answers { QByteArray("a"), QByteArray("bc") };
        const QByteArray second = answers.at(1);
        wipeSecrets(answers);
        QVERIFY(answers.isEmpty());
        QCOMPARE(second, QByteArray(2, '\0'));
    }
};

QTEST_GUILESS_MAIN(TestSshPrompt)
#include "tst_sshprompt.moc"
