// writeFilesAtomically(): an output is missing or a regular file, never also an input, never twice in
// one set; a refused or failed set leaves every file (and folder) as it was.
#include "core/util/atomicfiles.h"
#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace TuneDeck;

namespace {

// Every entry under `root`, hidden ones included, with file contents: a fingerprint of the folder.
QStringList snapshot(const QString& root)
{
    QStringList entries;
    const QDir dir(root);
    for (const QFileInfo& info :
        dir.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name)) {
        QString entry = info.fileName();
        if (info.isSymLink())
            entry += u" -> " + info.symLinkTarget();
        else if (info.isDir())
            entry += u"/ {" + snapshot(info.filePath()).join(u", ") + u'}';
        else if (info.isFile())
            entry += u" = " + QString::fromUtf8(Test::readFile(info.filePath()));
        entries.append(entry);
    }
    return entries;
}

} // namespace

class TestAtomicFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusals_data();
    void refusals();
    void writesAndReplaces();
    void failedSetLeavesNothing();
};

void TestAtomicFiles::refusals_data()
{
    // Paths are relative to a scratch folder holding: old.txt ("old"), input.sh ("script"), link.txt ->
    // old.txt, fifo, sub/ (a folder), hard.txt (a hard link of input.sh).
    QTest::addColumn<QStringList>("outputs");
    QTest::addColumn<QStringList>("inputs");
    QTest::addColumn<QString>("message");

    const QStringList none;
    QTest::newRow("symlink") << QStringList { QStringLiteral("link.txt") } << none
                             << QStringLiteral("link.txt: is a symbolic link");
    QTest::newRow("fifo") << QStringList { QStringLiteral("fifo") } << none << QStringLiteral("fifo: is a FIFO");
    QTest::newRow("device") << QStringList { QStringLiteral("/dev/null") } << none
                            << QStringLiteral("/dev/null: is a device");
    QTest::newRow("folder") << QStringList { QStringLiteral("sub") } << none << QStringLiteral("sub: is a folder");
    QTest::newRow("folder name") << QStringList { QStringLiteral("new/") } << none
                                 << QStringLiteral("new/: is a folder name");
    QTest::newRow("empty name") << QStringList { QString() } << none << QStringLiteral("'': an empty output");
    QTest::newRow("folder on the way is a file") << QStringList { QStringLiteral("old.txt/job.sbatch") } << none
                                                 << QStringLiteral("old.txt/job.sbatch: Not a directory");
    QTest::newRow("output is the input") << QStringList { QStringLiteral("input.sh") }
                                         << QStringList { QStringLiteral("input.sh") }
                                         << QStringLiteral("input.sh: is also an input (input.sh)");
    QTest::newRow("output is the input, spelt differently")
        << QStringList { QStringLiteral("sub/../input.sh") } << QStringList { QStringLiteral("./input.sh") }
        << QStringLiteral("sub/../input.sh: is also an input (./input.sh)");
    QTest::newRow("output is a hard link of the input")
        << QStringList { QStringLiteral("hard.txt") } << QStringList { QStringLiteral("input.sh") }
        << QStringLiteral("hard.txt: is also an input");
    QTest::newRow("two outputs, one new file") << QStringList {
        QStringLiteral("new/job.sbatch"), QStringLiteral("old.txt"), QStringLiteral("new/./job.sbatch")
    } << none << QStringLiteral("new/./job.sbatch: is the same file as the output new/job.sbatch");
    QTest::newRow("two outputs, one existing file") << QStringList { QStringLiteral("hard.txt"),
        QStringLiteral("input.sh") } << none << QStringLiteral("input.sh: is the same file as the output hard.txt");
}

void TestAtomicFiles::refusals()
{
    QFETCH(QStringList, outputs);
    QFETCH(QStringList, inputs);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir::setCurrent(dir.path()));
    Test::writeFile(QStringLiteral("old.txt"), "old");
    Test::writeFile(QStringLiteral("input.sh"), "script");
    QVERIFY(QFile::link(QStringLiteral("old.txt"), QStringLiteral("link.txt")));
    QCOMPARE(::mkfifo("fifo", 0600), 0);
    QVERIFY(QDir().mkdir(QStringLiteral("sub")));
    QCOMPARE(::link("input.sh", "hard.txt"), 0);
    const QStringList before = snapshot(dir.path());

    QList<FileContent> files;
    for (const QString& output : std::as_const(outputs))
        files.append({ output, "new" });
    const QString problem = writeFilesAtomically(files, inputs);
    QVERIFY2(problem.startsWith(message), qPrintable(problem));
    QCOMPARE(checkOutputPaths(outputs, inputs), problem);
    // Nothing written, replaced, created or left behind.
    QCOMPARE(snapshot(dir.path()), before);
    struct stat info
    {
    };
    QCOMPARE(::stat("/dev/null", &info), 0);
    QVERIFY(S_ISCHR(info.st_mode));
    QVERIFY(QDir::setCurrent(QDir::tempPath()));
}

void TestAtomicFiles::writesAndReplaces()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString existing = dir.filePath(QStringLiteral("spec.yaml"));
    Test::writeFile(existing, "old");
    QVERIFY(QFile::setPermissions(existing, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
    const QString fresh = dir.filePath(QStringLiteral("a/b/job.sbatch"));
    QCOMPARE(writeFilesAtomically(
                 { { existing, "new spec" }, { fresh, "script" } }, { dir.filePath(QStringLiteral("elsewhere.sh")) }),
        QString());
    QCOMPARE(Test::readFile(existing), QByteArray("new spec"));
    QCOMPARE(Test::readFile(fresh), QByteArray("script"));
    // The replaced file keeps its mode; no temporary or backup is left.
    const QFile::Permissions ownerGroupOther(0x7077); // without the current user's bits, which repeat owner's
    QCOMPARE(QFile::permissions(existing) & ownerGroupOther, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup);
    QCOMPARE(snapshot(dir.path()),
        QStringList({ QStringLiteral("a/ {b/ {job.sbatch = script}}"), QStringLiteral("spec.yaml = new spec") }));
}

void TestAtomicFiles::failedSetLeavesNothing()
{
    // The third file cannot be written (a 240-character name passes the check, but its temporary sibling
    // is longer than NAME_MAX; this fails for root too): the second file is not replaced and the folders
    // made for the first are gone again, as `render --out` must leave no empty folder behind.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString existing = dir.filePath(QStringLiteral("keep.txt"));
    Test::writeFile(existing, "keep");
    const QStringList before = snapshot(dir.path());
    const QString longName = dir.filePath(QString(240, u'n'));
    const QString problem = writeFilesAtomically(
        { { dir.filePath(QStringLiteral("out/deep/job.sbatch")), "a" }, { existing, "b" }, { longName, "c" } });
    QVERIFY2(problem.startsWith(longName + u": "), qPrintable(problem));
    QCOMPARE(snapshot(dir.path()), before);
}

QTEST_GUILESS_MAIN(TestAtomicFiles)
#include "tst_atomicfiles.moc"
