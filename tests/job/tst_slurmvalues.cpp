// Slurm value formats and the two quoting functions everything user-typed goes through.
#include "core/util/atomicfiles.h"
#include "core/util/shellquote.h"
#include "core/util/slurmvalues.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;

class TestSlurmValues : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void duration_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("seconds"); // -1: rejected
        // The six forms of sbatch(1) --time.
        QTest::newRow("minutes") << QStringLiteral("90") << qint64(5400);
        QTest::newRow("minutes:seconds") << QStringLiteral("90:30") << qint64(5430);
        QTest::newRow("walkthrough 3:00:0") << QStringLiteral("3:00:0") << qint64(10800);
        QTest::newRow("h:mm:ss") << QStringLiteral("3:00:00") << qint64(10800);
        QTest::newRow("days-hours") << QStringLiteral("2-12") << qint64(216000);
        QTest::newRow("days-hours:minutes") << QStringLiteral("1-02:30") << qint64(95400);
        QTest::newRow("days-h:m:s") << QStringLiteral("3-00:00:00") << qint64(259200);
        QTest::newRow("one minute") << QStringLiteral("0:01:00") << qint64(60);
        QTest::newRow("empty") << QString() << qint64(-1);
        QTest::newRow("unlimited") << QStringLiteral("UNLIMITED") << qint64(-1);
        QTest::newRow("sixty minutes field") << QStringLiteral("1:60:00") << qint64(-1);
        QTest::newRow("four fields") << QStringLiteral("1:2:3:4") << qint64(-1);
        QTest::newRow("letters") << QStringLiteral("3h") << qint64(-1);
        QTest::newRow("negative") << QStringLiteral("-5") << qint64(-1);
        QTest::newRow("zero") << QStringLiteral("0") << qint64(-1);
        QTest::newRow("injection") << QStringLiteral("3:00:00; rm -rf /") << qint64(-1);
    }
    void duration()
    {
        QFETCH(QString, text);
        QFETCH(qint64, seconds);
        const std::optional<qint64> parsed = parseSlurmDuration(text);
        QCOMPARE(parsed.value_or(-1), seconds);
    }

    void formatDuration()
    {
        QCOMPARE(formatSlurmDuration(10800), QStringLiteral("3:00:00"));
        QCOMPARE(formatSlurmDuration(62745), QStringLiteral("17:25:45"));
        QCOMPARE(formatSlurmDuration(259200 + 61), QStringLiteral("3-00:01:01"));
    }

    void memory_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("mib");
        QTest::newRow("walkthrough MiB") << QStringLiteral("491520") << qint64(491520);
        QTest::newRow("gigabytes") << QStringLiteral("480G") << qint64(491520);
        QTest::newRow("lower-case g") << QStringLiteral("480g") << qint64(491520);
        QTest::newRow("megabytes") << QStringLiteral("1024M") << qint64(1024);
        QTest::newRow("kilobytes round up") << QStringLiteral("1025K") << qint64(2);
        QTest::newRow("terabytes") << QStringLiteral("1T") << qint64(1048576);
        QTest::newRow("zero") << QStringLiteral("0") << qint64(-1);
        QTest::newRow("unit only") << QStringLiteral("G") << qint64(-1);
        QTest::newRow("GB") << QStringLiteral("480GB") << qint64(-1);
        QTest::newRow("fraction") << QStringLiteral("1.5G") << qint64(-1);
    }
    void memory()
    {
        QFETCH(QString, text);
        QFETCH(qint64, mib);
        QCOMPARE(parseSlurmMemoryMiB(text).value_or(-1), mib);
    }

    void singleQuote_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("plain") << QStringLiteral("/bask/projects/v/x");
        QTest::newRow("quote") << QStringLiteral("a'b");
        QTest::newRow("command substitution") << QStringLiteral("a$(id)b");
        QTest::newRow("backticks") << QStringLiteral("a`id`b");
        QTest::newRow("double quote and hash") << QStringLiteral("x\"; touch pwned #");
        QTest::newRow("newline") << QStringLiteral("a\nb");
        QTest::newRow("backslash") << QStringLiteral("a\\b\\");
        QTest::newRow("unicode") << QStringLiteral("données-ü-✓");
        QTest::newRow("only quotes") << QStringLiteral("''''");
    }
    void singleQuote()
    {
        // bash itself must read the quoted word back as the original text, and run nothing.
        QFETCH(QString, text);
        QTemporaryDir dir;
        const QString script = QStringLiteral("printf '%s' ") + shellSingleQuote(text);
        const Test::ProcessResult result
            = Test::runProgram(QStringLiteral("bash"), { QStringLiteral("-c"), script }, dir.path());
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(QString::fromUtf8(result.out), text);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("pwned"))));
    }

    void sbatchQuoting()
    {
        QCOMPARE(sbatchQuote(u"exp#3").value(), QStringLiteral("\"exp#3\""));
        QCOMPARE(sbatchQuote(u"x\"; touch pwned #").value(), QStringLiteral("\"x\\\"; touch pwned #\""));
        QCOMPARE(sbatchQuote(u"a\\b").value(), QStringLiteral("\"a\\\\b\""));
        QVERIFY(!sbatchQuote(u"a\nb"));
        QVERIFY(!sbatchQuote(u"a\rb"));
    }

    void identifiers()
    {
        QVERIFY(isSlurmIdentifier(u"vjgo8416-llm-tune"));
        QVERIFY(isSlurmIdentifier(u"a100_80"));
        QVERIFY(isSlurmIdentifier(u"turing.v2"));
        QVERIFY(!isSlurmIdentifier(u""));
        QVERIFY(!isSlurmIdentifier(u"-turing"));
        QVERIFY(!isSlurmIdentifier(u"a100-80 --uid=0"));
        QVERIFY(!isSlurmIdentifier(u"a;b"));
        QVERIFY(!isSlurmIdentifier(u"proj\u00e9"));
    }

    void atomicWriteAllOrNothing()
    {
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("out/a.txt"));
        const QString b = dir.filePath(QStringLiteral("out/b.txt"));
        QCOMPARE(writeFilesAtomically({ { a, "first" }, { b, "second" } }), QString());
        QCOMPARE(Test::readFile(a), QByteArray("first"));
        // The second target is a folder: nothing may change, not even the first file.
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("out/blocked"))));
        const QString blocked = dir.filePath(QStringLiteral("out/blocked"));
        const QString problem = writeFilesAtomically({ { a, "changed" }, { blocked, "y" } });
        QVERIFY(!problem.isEmpty());
        QCOMPARE(Test::readFile(a), QByteArray("first"));
        QCOMPARE(QDir(dir.filePath(QStringLiteral("out"))).entryList(QDir::Files | QDir::Hidden).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSlurmValues)
#include "tst_slurmvalues.moc"
