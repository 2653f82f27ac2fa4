// The live monitor's notifications (idle GPU, stalled log, time limit near without a checkpoint), each told
// once per event, and the header's time-limit sentence (core/remote/monitoralerts.h).
#include "core/remote/monitoralerts.h"

#include <QTest>

using namespace TuneDeck;
using Telemetry::Flag;
using Telemetry::FlagKind;

namespace {

JobRecord running(std::optional<qint64> limit = std::nullopt, std::optional<qint64> elapsed = std::nullopt)
{
    JobRecord r;
    r.cluster = QStringLiteral("baskerville");
    r.status.jobId = QStringLiteral("890671");
    r.status.name = QStringLiteral("llama3-70b");
    r.status.phase = JobPhase::Running;
    r.status.timeLimitSeconds = limit;
    r.status.elapsedSeconds = elapsed;
    return r;
}

Flag idle(const QString& node, int gpu)
{
    return { FlagKind::IdleGpu, node, gpu, QStringLiteral("mean 0 %") };
}

} // namespace

class TestMonitorAlerts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void idleGpuIsToldOnceUntilItRecovers()
    {
        MonitorAlerts alerts;
        MonitorAlerts::Inputs in { running(), { idle(QStringLiteral("bask-pg0004"), 2) }, {}, {} };
        QList<JobNotification> first = alerts.update(in);
        QCOMPARE(first.size(), 1);
        QCOMPARE(first[0].kind, JobNotification::Kind::IdleGpu);
        QVERIFY2(first[0].text.contains(u"GPU 2 on bask-pg0004"), qPrintable(first[0].text));
        QVERIFY(first[0].title.contains(u"890671"));
        QVERIFY(alerts.update(in).isEmpty()); // still idle: not again
        in.flags.append(idle(QStringLiteral("bask-pg0001"), 0)); // another GPU: its own notification
        QCOMPARE(alerts.update(in).size(), 1);
        in.flags.clear();
        QVERIFY(alerts.update(in).isEmpty()); // recovered
        in.flags = { idle(QStringLiteral("bask-pg0004"), 2) };
        QCOMPARE(alerts.update(in).size(), 1); // idle again: a new event
    }

    void nothingForAJobThatIsNotRunning()
    {
        MonitorAlerts alerts;
        MonitorAlerts::Inputs in { running(), { idle(QStringLiteral("n"), 0) }, {}, {} };
        in.record.status.phase = JobPhase::Completed;
        QVERIFY(alerts.update(in).isEmpty());
    }

    void stalledLog()
    {
        MonitorAlerts alerts;
        MonitorAlerts::Inputs in { running(), { { FlagKind::StalledLog, {}, -1, QStringLiteral("12 min") } }, {}, {} };
        const QList<JobNotification> n = alerts.update(in);
        QCOMPARE(n.size(), 1);
        QCOMPARE(n[0].kind, JobNotification::Kind::StalledLog);
        QVERIFY(n[0].text.contains(u"12 min"));
        QVERIFY(alerts.update(in).isEmpty());
    }

    void timeLimitNearWithoutACheckpoint()
    {
        // The walkthrough: 2988 s per step, 3 of 21 steps, a 3-hour limit; 10 minutes left, no checkpoint.
        MonitorAlerts alerts;
        Telemetry::RunFigures f;
        f.secondsPerStep = 2988;
        f.stepsDone = 3;
        f.totalSteps = 21;
        f.exceedsTimeLimit = true;
        f.shortfallSeconds = 50000;
        MonitorAlerts::Inputs in { running(3 * 3600, 3 * 3600 - 600), {}, f, {} };
        const QList<JobNotification> n = alerts.update(in);
        QCOMPARE(n.size(), 1);
        QCOMPARE(n[0].kind, JobNotification::Kind::NearTimeLimit);
        QVERIFY2(n[0].text.contains(u"10 min left of 3 h 0 min"), qPrintable(n[0].text));
        QVERIFY2(n[0].text.contains(u"no checkpoint has been saved, so 2 h 29 min of training would be lost"),
            qPrintable(n[0].text));
        QVERIFY(alerts.update(in).isEmpty());
    }

    void noTimeLimitAlertWhenFarOffOrRecentlySaved()
    {
        Telemetry::RunFigures f;
        f.secondsPerStep = 60;
        f.stepsDone = 100;
        f.exceedsTimeLimit = true;
        f.shortfallSeconds = 600;
        {
            MonitorAlerts alerts; // two hours left
            QVERIFY(alerts.update({ running(4 * 3600, 2 * 3600), {}, f, {} }).isEmpty());
        }
        {
            MonitorAlerts alerts; // 5 minutes left, checkpoint 10 steps (10 min) ago
            QVERIFY(alerts.update({ running(4 * 3600, 4 * 3600 - 300), {}, f, 90 }).isEmpty());
        }
        {
            MonitorAlerts alerts; // 5 minutes left, checkpoint 50 steps (50 min) ago: warned
            const QList<JobNotification> n = alerts.update({ running(4 * 3600, 4 * 3600 - 300), {}, f, 50 });
            QCOMPARE(n.size(), 1);
            QVERIFY2(n[0].text.contains(u"step 50, 50 min of training ago"), qPrintable(n[0].text));
        }
        {
            MonitorAlerts alerts; // finishes in time: nothing to warn about
            f.exceedsTimeLimit = false;
            QVERIFY(alerts.update({ running(4 * 3600, 4 * 3600 - 300), {}, f, {} }).isEmpty());
        }
    }

    void timeLimitSentence_data()
    {
        QTest::addColumn<bool>("exceeds");
        QTest::addColumn<QVariant>("checkpoint");
        QTest::addColumn<QString>("expected");
        QTest::newRow("walkthrough") << true << QVariant()
                                     << QStringLiteral(
                                            "At this pace the run cannot finish in time: it needs 14 h 0 min "
                                            "more than its time limit of 3 h 0 min and will stop near step 3 "
                                            "of 21; no checkpoint has been saved yet");
        QTest::newRow("with checkpoint") << true << QVariant(qint64(2))
                                         << QStringLiteral("the last checkpoint (step 2) lets a resubmitted");
        QTest::newRow("in time") << false << QVariant() << QStringLiteral("Finishes 14 h 0 min before its time limit");
    }

    void timeLimitSentence()
    {
        QFETCH(bool, exceeds);
        QFETCH(QVariant, checkpoint);
        QFETCH(QString, expected);
        Telemetry::RunFigures f;
        f.secondsPerStep = 2988;
        f.stepsDone = 3;
        f.totalSteps = 21;
        f.exceedsTimeLimit = exceeds;
        f.shortfallSeconds = exceeds ? 14 * 3600 : -14 * 3600;
        const std::optional<qint64> step
            = checkpoint.isValid() ? std::optional<qint64>(checkpoint.toLongLong()) : std::nullopt;
        const QString text = TuneDeck::timeLimitSentence(running(3 * 3600, 3 * 3600 - 600), f, step);
        QVERIFY2(text.contains(expected), qPrintable(text));
        QVERIFY(TuneDeck::timeLimitSentence(running(), f, step).isEmpty()); // no limit known: nothing to say
    }
};

QTEST_GUILESS_MAIN(TestMonitorAlerts)
#include "tst_monitoralerts.moc"
