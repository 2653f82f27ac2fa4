#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

// `tunedeck inspect` end to end through the built binary (TUNEDECK_BINARY), one real sample per format.
class TestInspectCommand : public QObject
{
    Q_OBJECT
private:
    static QString real(const char* name)
    {
        return QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/") + QLatin1StringView(name);
    }
    static QJsonObject inspectJson(const QString& path)
    {
        const auto r = TuneDeck::Test::runTunedeck({ QStringLiteral("inspect"), QStringLiteral("--json"), path });
        if (r.exitCode != 0)
            qWarning() << r.err;
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        return lines.size() == 1 ? QJsonDocument::fromJson(lines.first()).object() : QJsonObject();
    }

private Q_SLOTS:
    void dmon()
    {
        const QJsonObject o = inspectJson(real("dmon-TD-mutc-wide.txt"));
        QCOMPARE(o.value(u"format").toString(), QStringLiteral("dmon"));
        QCOMPARE(o.value(u"columns").toArray().first().toString(), QStringLiteral("date"));
        QCOMPARE(o.value(u"columns").toArray().size(), 16);
        QCOMPARE(o.value(u"gpus").toArray(), QJsonArray { 0 });
        QCOMPARE(o.value(u"rows").toInt(), 6);
        QCOMPARE(o.value(u"skipped").toInt(), 0);
        QCOMPARE(o.value(u"first").toString(), QStringLiteral("20240104 13:54:35"));
        QCOMPARE(o.value(u"last").toString(), QStringLiteral("20240104 13:54:40"));
        const QJsonObject gpu0 = o.value(u"mean").toObject().value(u"0").toObject();
        QCOMPARE(gpu0.value(u"fb").toDouble(), 145.33333333333334);
        QCOMPARE(gpu0.value(u"pclk").toDouble(), 1695.0);
        QVERIFY(!gpu0.contains(u"gpu")); // the index is not a metric
    }

    void dmonWithoutTimestamps()
    {
        const QJsonObject o = inspectJson(real("dmon-2016-pucvmet-4gpu.txt"));
        QCOMPARE(o.value(u"gpus").toArray(), (QJsonArray { 0, 1, 2, 3 }));
        QVERIFY(o.value(u"first").isNull());
        QVERIFY(o.value(u"last").isNull());
        QVERIFY(o.value(u"mean").toObject().value(u"2").toObject().value(u"sbecc").isNull()); // only "-"
    }

    void vmstat()
    {
        const QJsonObject o = inspectJson(real("vmstat-t-utc.txt"));
        QCOMPARE(o.value(u"format").toString(), QStringLiteral("vmstat"));
        QCOMPARE(o.value(u"columns").toArray().size(), 17);
        QCOMPARE(o.value(u"rows").toInt(), 2);
        QCOMPARE(o.value(u"mean").toObject().value(u"id").toDouble(), 100.0);
    }

    void trainerLog()
    {
        const QJsonObject o = inspectJson(real("trainer-baskerville-walkthrough.log"));
        QCOMPARE(o.value(u"format").toString(), QStringLiteral("trainer-log"));
        QCOMPARE(o.value(u"num_examples").toInt(), 981);
        QCOMPARE(o.value(u"num_epochs").toInt(), 3);
        QCOMPARE(o.value(u"total_steps").toInt(), 21);
        QCOMPARE(o.value(u"trainable_params").toInt(), 6471680);
        QCOMPARE(o.value(u"steps_done").toInt(), 3);
        QCOMPARE(o.value(u"sec_per_step").toDouble(), 2962.79);
        QCOMPARE(o.value(u"losses").toInt(), 0);
        QVERIFY(o.value(u"final_loss").isNull());
        QCOMPARE(o.value(u"termination").toString(), QStringLiteral("time_limit"));
    }

    void trainerLogItPerSecond()
    {
        const QJsonObject o = inspectJson(real("trainer-h2ogpt-carriage-returns.log"));
        QCOMPARE(o.value(u"steps_done").toInt(), 1322);
        QCOMPARE(o.value(u"sec_per_step").toDouble(), 1.0 / 1.90);
        QCOMPARE(o.value(u"losses").toInt(), 5);
        QCOMPARE(o.value(u"final_loss").toDouble(), 1.0574);
        QVERIFY(o.value(u"termination").isNull());
        QVERIFY(o.value(u"total_steps").isNull()); // no "Running training" block in the sample: not invented
    }

    void trainerJsonl()
    {
        const QJsonObject o = inspectJson(real("trainer_log-old-fields.jsonl"));
        QCOMPARE(o.value(u"format").toString(), QStringLiteral("trainer-jsonl"));
        QCOMPARE(o.value(u"entries").toInt(), 5);
        QCOMPARE(o.value(u"current_steps").toInt(), 91);
        QCOMPARE(o.value(u"total_steps").toInt(), 11250);
        QCOMPARE(o.value(u"final_loss").toDouble(), 0.0);
        QCOMPARE(o.value(u"remaining_s").toInt(), 7 * 86400 + 4 * 3600 + 49 * 60 + 13);
    }

    void sacct()
    {
        const QJsonObject o
            = inspectJson(QStringLiteral(TUNEDECK_SOURCE_DIR "/tests/slurm/data/sacct-p-alloctres.txt"));
        QCOMPARE(o.value(u"format").toString(), QStringLiteral("sacct"));
        const QJsonArray jobs = o.value(u"jobs").toArray();
        QCOMPARE(jobs.size(), 7);
        const QJsonObject first = jobs.first().toObject();
        QCOMPARE(first.value(u"id").toString(), QStringLiteral("890671"));
        QCOMPARE(first.value(u"state").toString(), QStringLiteral("TIMEOUT"));
        QCOMPARE(first.value(u"exit_code").toInt(), 0);
        QCOMPARE(first.value(u"elapsed_s").toInt(), 3 * 86400 + 28);
        QCOMPARE(first.value(u"gpus").toInt(), 16);
        QVERIFY(jobs[5].toObject().value(u"gpus").isNull());

        const QJsonObject real
            = inspectJson(QStringLiteral(TUNEDECK_SOURCE_DIR "/tests/slurm/data/real/sacct-P-cancelled-by-user.txt"));
        const QJsonObject cancelled = real.value(u"jobs").toArray().first().toObject();
        QCOMPARE(cancelled.value(u"state").toString(), QStringLiteral("CANCELLED"));
        QVERIFY(cancelled.value(u"elapsed_s").isNull()); // no Elapsed column
        QVERIFY(cancelled.value(u"exit_code").isNull());
    }

    void severalFilesAndText()
    {
        const auto r = TuneDeck::Test::runTunedeck(
            { QStringLiteral("inspect"), QStringLiteral("--json"), real("dmon-s-u.txt"), real("vmstat-procps3.txt") });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed().split('\n').size(), 2);
        const auto t = TuneDeck::Test::runTunedeck({ QStringLiteral("inspect"), real("dmon-TD-mutc-wide.txt") });
        QCOMPARE(t.exitCode, 0);
        QVERIFY(t.out.contains("6 rows"));
    }

    void unreadableAndUnknown()
    {
        QTemporaryDir dir;
        const auto missing
            = TuneDeck::Test::runTunedeck({ QStringLiteral("inspect"), dir.filePath(QStringLiteral("nope.txt")) });
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains("cannot read"));
        QVERIFY(missing.out.isEmpty());
        TuneDeck::Test::writeFile(dir.filePath(QStringLiteral("x.txt")), "hello\n");
        const auto unknown = TuneDeck::Test::runTunedeck(
            { QStringLiteral("inspect"), QStringLiteral("--json"), dir.filePath(QStringLiteral("x.txt")) });
        QCOMPARE(unknown.exitCode, 2);
        const auto forced = TuneDeck::Test::runTunedeck({ QStringLiteral("inspect"), QStringLiteral("--json"),
            QStringLiteral("--format"), QStringLiteral("trainer-log"), dir.filePath(QStringLiteral("x.txt")) });
        QCOMPARE(forced.exitCode, 0);
        QVERIFY(QJsonDocument::fromJson(forced.out).object().value(u"total_steps").isNull());
        QCOMPARE(TuneDeck::Test::runTunedeck({ QStringLiteral("inspect") }).exitCode, 2);
        QCOMPARE(TuneDeck::Test::runTunedeck({ QStringLiteral("inspect"), QStringLiteral("--bogus") }).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestInspectCommand)
#include "tst_inspectcommand.moc"
