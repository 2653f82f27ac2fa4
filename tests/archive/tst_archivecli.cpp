// tunedeck import-run / runs / compare / report / rm-run, as a user runs them (issue 11 part 5).
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using TuneDeck::Test::ProcessResult;
using TuneDeck::Test::runFigure;
using TuneDeck::Test::runTunedeck;

namespace {

const QString Walkthrough = QStringLiteral(TUNEDECK_TESTDATA_DIR "/walkthrough");

} // namespace

class TestArchiveCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_archive;

    ProcessResult run(QStringList arguments)
    {
        arguments << QStringLiteral("--archive") << m_archive;
        return runTunedeck(arguments);
    }

private Q_SLOTS:
    void initTestCase() { m_archive = m_dir.filePath(QStringLiteral("runs.sqlite")); }

    void importListCompareReportRemove()
    {
        const ProcessResult imported = run({ QStringLiteral("import-run"), Walkthrough });
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QCOMPARE(imported.out,
            QByteArray(
                "archived run 1 'llama3-70b-ft': 4 × 4 GPUs, step 3 of 21, 2962.79 s/step, ended by time_limit\n"));
        QVERIFY(imported.err.contains("dmon.txt: read as dmon of batch-host"));

        const ProcessResult again = run({ QStringLiteral("import-run"), Walkthrough });
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.out, QByteArray("already archived as run 1; nothing added\n"));

        const ProcessResult second = run({ QStringLiteral("import-run"), Walkthrough + QStringLiteral("/dmon.txt"),
            Walkthrough + QStringLiteral("/stdout-890671.out"), QStringLiteral("--name"),
            QStringLiteral("logs only") });
        QVERIFY2(second.exitCode == 0, second.err.constData());

        const ProcessResult listed = run({ QStringLiteral("runs"), QStringLiteral("--json") });
        QCOMPARE(listed.exitCode, 0);
        const QJsonArray runs = QJsonDocument::fromJson(listed.out).array();
        QCOMPARE(runs.size(), 2);
        const QJsonObject first = runs.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral("llama3-70b-ft"));
        QCOMPARE(runFigure(runs, 0, QStringLiteral("steps_done")).toDouble(), 3.0);
        // Without a script the shape is what was recorded: one node of 4 GPUs.
        QCOMPARE(runFigure(runs, 1, QStringLiteral("shape")).toString(), QStringLiteral("1 × 4 GPUs"));

        const ProcessResult table = run({ QStringLiteral("runs") });
        QVERIFY(table.out.contains("llama3-70b-ft"));
        QVERIFY(table.out.contains("TIMEOUT"));

        const ProcessResult compared = run(
            { QStringLiteral("compare"), QStringLiteral("1"), QStringLiteral("logs only"), QStringLiteral("--json") });
        QVERIFY2(compared.exitCode == 0, compared.err.constData());
        const QJsonObject c = QJsonDocument::fromJson(compared.out).object();
        const QJsonArray columns = c.value(QStringLiteral("runs")).toArray();
        QCOMPARE(columns.size(), 2);
        // 16 GPUs x 3 h against 4 GPUs x 3 h for the same 3 steps.
        QCOMPARE(runFigure(columns, 0, QStringLiteral("gpu_hours")).toDouble(), 48.0);
        QCOMPARE(runFigure(columns, 1, QStringLiteral("gpu_hours")).toDouble(), 12.0);
        QVERIFY(runFigure(columns, 1, QStringLiteral("time_limit_s")).isNull());

        const ProcessResult text = run({ QStringLiteral("compare"), QStringLiteral("1"), QStringLiteral("2") });
        QVERIFY(text.out.contains("GPU-hours per 1 000 steps"));

        const ProcessResult report = run({ QStringLiteral("report"), QStringLiteral("llama3-70b-ft") });
        QCOMPARE(report.exitCode, 0);
        QVERIFY(report.out.contains("Ask for --time 20:00:00"));
        const ProcessResult reportJson
            = run({ QStringLiteral("report"), QStringLiteral("1"), QStringLiteral("--json") });
        const QJsonArray findings
            = QJsonDocument::fromJson(reportJson.out).object().value(QStringLiteral("findings")).toArray();
        QVERIFY(findings.size() >= 4);
        // "logs only" is cheaper per step on paper, but its 1 x 4 shape was only read off the recording (no
        // script): no shape is recommended from it.
        for (const QJsonValue& f : findings) {
            if (f.toObject().value(QStringLiteral("topic")).toString() == u"gpu_hours")
                QCOMPARE(f.toObject().value(QStringLiteral("suggestion")).toString(), QString());
        }

        const ProcessResult removed = run({ QStringLiteral("rm-run"), QStringLiteral("2") });
        QCOMPARE(removed.exitCode, 0);
        QCOMPARE(removed.out, QByteArray("removed run 2 'logs only'\n"));
        QCOMPARE(
            QJsonDocument::fromJson(run({ QStringLiteral("runs"), QStringLiteral("--json") }).out).array().size(), 1);
    }

    void mistakesAreNamed()
    {
        const ProcessResult unknown = run({ QStringLiteral("report"), QStringLiteral("no-such-run") });
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("no archived run has the id or name 'no-such-run'"));

        const ProcessResult one = run({ QStringLiteral("compare"), QStringLiteral("1") });
        QCOMPARE(one.exitCode, 2);
        QVERIFY(one.err.contains("at least two runs"));

        const ProcessResult notALog
            = run({ QStringLiteral("import-run"), Walkthrough + QStringLiteral("/../SOURCES.md") });
        QCOMPARE(notALog.exitCode, 2);
        QVERIFY(notALog.err.contains("SOURCES.md: cannot tell what it holds"));
        QVERIFY(notALog.err.contains("nothing archived"));

        // An archive that is not one is refused by name, and left as it was.
        const QString junk = m_dir.filePath(QStringLiteral("junk.sqlite"));
        TuneDeck::Test::writeFile(junk, QByteArray(4096, 'j'));
        const ProcessResult bad = runTunedeck({ QStringLiteral("runs"), QStringLiteral("--archive"), junk });
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains(junk.toUtf8()));
        QCOMPARE(TuneDeck::Test::readFile(junk), QByteArray(4096, 'j'));
    }
};

QTEST_GUILESS_MAIN(TestArchiveCli)
#include "tst_archivecli.moc"
