// Which state changes of a tracked job become a notification, and what it says.
#include "core/remote/jobnotification.h"

#include <QTest>

using namespace TuneDeck;

namespace {

JobRecord job(JobPhase phase)
{
    JobRecord record;
    record.cluster = QStringLiteral("baskerville");
    record.status.jobId = QStringLiteral("1234");
    record.status.name = QStringLiteral("llama3-70b-ft");
    record.status.phase = phase;
    record.status.nodeList = QStringLiteral("bask-pg0308u[18-19]a");
    return record;
}

} // namespace

class TestJobNotification : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void whatIsNews_data()
    {
        QTest::addColumn<int>("before");
        QTest::addColumn<int>("after");
        QTest::addColumn<int>("kind"); // -1: no notification
        QTest::addColumn<QString>("title");
        using P = JobPhase;
        using K = JobNotification::Kind;
        QTest::newRow("pending to running") << int(P::Pending) << int(P::Running) << int(K::Started)
                                            << QStringLiteral("Job 1234 (llama3-70b-ft) started");
        QTest::newRow("running to completed") << int(P::Running) << int(P::Completed) << int(K::Completed)
                                              << QStringLiteral("Job 1234 (llama3-70b-ft) completed");
        // The walkthrough's run: killed by the time limit.
        QTest::newRow("timeout") << int(P::Running) << int(P::Timeout) << int(K::Failed)
                                 << QStringLiteral("Job 1234 (llama3-70b-ft) ended: TIMEOUT");
        QTest::newRow("out of memory") << int(P::Running) << int(P::OutOfMemory) << int(K::Failed)
                                       << QStringLiteral("Job 1234 (llama3-70b-ft) ended: OUT_OF_MEMORY");
        QTest::newRow("node failure") << int(P::Running) << int(P::NodeFail) << int(K::Failed)
                                      << QStringLiteral("Job 1234 (llama3-70b-ft) ended: NODE_FAIL");
        QTest::newRow("requeued job runs again") << int(P::Requeued) << int(P::Running) << int(K::Started)
                                                 << QStringLiteral("Job 1234 (llama3-70b-ft) started");
        QTest::newRow("submitted to pending") << int(P::Submitted) << int(P::Pending) << -1 << QString();
        QTest::newRow("running to completing") << int(P::Running) << int(P::Completing) << -1 << QString();
        QTest::newRow("completing to running") << int(P::Completing) << int(P::Running) << -1 << QString();
        QTest::newRow("same state again") << int(P::Completed) << int(P::Completed) << -1 << QString();
        QTest::newRow("accounting not yet") << int(P::Running) << int(P::FinalStateUnknown) << -1 << QString();
    }
    void whatIsNews()
    {
        QFETCH(int, before);
        QFETCH(int, after);
        QFETCH(int, kind);
        QFETCH(QString, title);
        const std::optional<JobNotification> n = jobNotification(job(JobPhase(after)), JobPhase(before));
        QCOMPARE(n.has_value(), kind >= 0);
        if (!n)
            return;
        QCOMPARE(int(n->kind), kind);
        QCOMPARE(n->title, title);
        QVERIFY(!n->text.isEmpty()); // the explanation core gives for the state
    }
};

QTEST_GUILESS_MAIN(TestJobNotification)
#include "tst_jobnotification.moc"
