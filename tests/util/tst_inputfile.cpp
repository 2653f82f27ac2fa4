// readInputFile(): only regular files are read, without ever blocking, and never more than the limit.
#include "core/util/inputfile.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace TuneDeck;

class TestInputFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusals_data();
    void refusals();
    void readsRegularFile();
    void emptyFileIsFine();
};

void TestInputFile::refusals_data()
{
    QTest::addColumn<QString>("kind"); // what to make at the path
    QTest::addColumn<QString>("message");

    QTest::newRow("missing") << QStringLiteral("missing") << QStringLiteral(": cannot read: No such file");
    QTest::newRow("folder") << QStringLiteral("folder") << QStringLiteral(": is a folder, not a file");
    // Without O_NONBLOCK this row would hang the test until its timeout.
    QTest::newRow("fifo without writer") << QStringLiteral("fifo") << QStringLiteral(": is a FIFO");
    QTest::newRow("/dev/zero") << QStringLiteral("/dev/zero") << QStringLiteral(": is a device");
    QTest::newRow("/dev/urandom") << QStringLiteral("/dev/urandom") << QStringLiteral(": is a device");
    QTest::newRow("symlink to /dev/zero") << QStringLiteral("link") << QStringLiteral(": is a device");
    QTest::newRow("over the limit") << QStringLiteral("large")
                                    << QStringLiteral(": 1.0 KiB is more than the 1000 bytes a test input may have");
    QTest::newRow("empty name") << QStringLiteral("empty") << QStringLiteral("an empty file name");
}

void TestInputFile::refusals()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString path = dir.filePath(QStringLiteral("input"));
    if (kind == u"folder")
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("input")));
    else if (kind == u"fifo")
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    else if (kind.startsWith(u'/'))
        path = kind;
    else if (kind == u"link")
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), path));
    else if (kind == u"large")
        Test::writeFile(path, QByteArray(1024, 'x'));
    else if (kind == u"empty")
        path.clear();

    const InputFile file = readInputFile(path, 1000, QStringLiteral("a test input"));
    QVERIFY(!file.ok());
    QVERIFY(file.bytes.isEmpty());
    QVERIFY2(file.error.startsWith(path.isEmpty() ? QStringLiteral("''") : path), qPrintable(file.error));
    QVERIFY2(file.error.contains(message), qPrintable(file.error));
}

void TestInputFile::readsRegularFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ok.yaml"));
    Test::writeFile(path, QByteArray(1000, 'y'));
    const InputFile file = readInputFile(path, 1000, QStringLiteral("a test input"));
    QVERIFY2(file.ok(), qPrintable(file.error));
    QCOMPARE(file.bytes, QByteArray(1000, 'y'));
    // The descriptor is an ordinary blocking one after the check.
    QFile opened;
    QCOMPARE(openInputFile(path, opened), QString());
    QCOMPARE(opened.readAll().size(), 1000);
}

void TestInputFile::emptyFileIsFine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("empty"));
    Test::writeFile(path, {});
    const InputFile file = readInputFile(path, 10, QStringLiteral("a test input"));
    QVERIFY2(file.ok(), qPrintable(file.error));
    QVERIFY(file.bytes.isEmpty());
}

QTEST_GUILESS_MAIN(TestInputFile)
#include "tst_inputfile.moc"
