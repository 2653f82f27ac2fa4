#include "core/job/jobspec.h"
#include "core/job/profileregistry.h"
#include "core/remote/jobtracker.h"
#include "core/remote/slurmclient.h"
#include "core/ssh/remotecommand.h"
#include "core/ssh/sshconnection.h"
#include "ssh/minibask.h"

#include <QDir>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;
using namespace TuneDeck::Test;

// The Slurm client and job tracker against mini-Baskerville's real Slurm 22.05 (LABEL cluster).
class TestSlurmClient : public QObject
{
    Q_OBJECT
private:
    MiniBask m_cluster;
    QTemporaryDir m_tmp;
    std::unique_ptr<SshConnection> m_connection;
    std::unique_ptr<SlurmClient> m_client;
    QString m_workDir; // on the cluster (this machine): where the test jobs write their output

    SshCommandResult run(const QString& command)
    {
        Results results(m_connection.get());
        return results.command(m_connection->runCommand(command));
    }

    // sbatch of a small wrapped command; returns the job id or fails the test.
    QString sbatchWrap(const QString& name, const QStringList& options, const QString& script)
    {
        RemoteCommand command(QStringLiteral("sbatch --parsable"));
        command.arg(QString(u"--account=" % m_cluster.value("MINIBASK_ACCOUNT")))
            .arg(QString(u"--qos=" % m_cluster.value("MINIBASK_QOS")));
        command.arg(QString(u"--job-name=" % name))
            .arg(QString(u"--chdir=" % m_workDir))
            .arg(QString(u"--output=" % m_workDir % u"/slurm-%j.out"));
        command.fixed(u"-N1");
        for (const QString& option : options)
            command.arg(option);
        command.arg(QString(u"--wrap=" % script));
        const SshCommandResult result = run(command.toString());
        if (!result.ok())
            qWarning() << "sbatch failed:" << result.error << result.standardError;
        return QString::fromUtf8(result.standardOutput.trimmed());
    }

    JobSpec walkthroughSpec() const
    {
        JobSpec spec;
        spec.slurm.account = m_cluster.value("MINIBASK_ACCOUNT");
        spec.slurm.qos = m_cluster.value("MINIBASK_QOS");
        spec.environment.projectPath = m_cluster.value("MINIBASK_PROJECT_DIR");
        spec.environment.llamaFactoryDir = m_cluster.value("MINIBASK_LLAMA_FACTORY_DIR");
        spec.environment.venv = m_cluster.value("MINIBASK_VENV");
        return spec;
    }

    ClusterProfile baskerville() const
    {
        const std::optional<ClusterProfile> profile
            = ProfileRegistry(m_tmp.filePath(QStringLiteral("no-profiles"))).find(QStringLiteral("baskerville"));
        return profile.value_or(ClusterProfile {});
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cluster = MiniBask::load({ QStringLiteral("sshd"), QStringLiteral("slurm") });
        REQUIRE_MINIBASK(m_cluster);
        qunsetenv("SSH_AUTH_SOCK");
        const QString knownHosts = m_tmp.filePath(QStringLiteral("known_hosts"));
        QFile::copy(m_cluster.value("MINIBASK_KNOWN_HOSTS"), knownHosts);
        m_connection = std::make_unique<SshConnection>(m_cluster.options(m_cluster.keyOnlyPort(), knownHosts));
        m_client = std::make_unique<SlurmClient>(m_connection.get());
        m_connection->open();
        QCOMPARE(waitForState(*m_connection, SshState::Connected), SshState::Connected);
        m_workDir = m_cluster.value("MINIBASK_PROJECT_DIR") % u"/tunedeck-tests/slurm-"
            % QString::number(QRandomGenerator::global()->generate(), 16);
        QVERIFY(run(RemoteCommand(QStringLiteral("mkdir -p --")).arg(m_workDir).toString()).ok());
    }

    void probe()
    {
        QSignalSpy spy(m_client.get(), &SlurmClient::probeFinished);
        const quint64 id = m_client->probe();
        QVERIFY(spy.wait(30000));
        QCOMPARE(spy.front().at(0).toULongLong(), id);
        const SlurmProbe probe = spy.front().at(1).value<SlurmProbe>();
        QVERIFY2(probe.ok(), qPrintable(probe.error));
        QVERIFY2(probe.slurmVersion.startsWith(u"22.05"), qPrintable(probe.slurmVersion));
        QCOMPARE(probe.user, m_cluster.value("MINIBASK_USER"));
        QVERIFY(probe.uid.has_value());
        bool found = false;
        for (const SlurmAssociation& association : probe.associations)
            found = found
                || (association.account == m_cluster.value("MINIBASK_ACCOUNT")
                    && association.qos.contains(m_cluster.value("MINIBASK_QOS")));
        QVERIFY(found);
        QCOMPARE(probe.gpuTypes, (QStringList { QStringLiteral("a100_40"), QStringLiteral("a100_80") }));
        QVERIFY(probe.features.contains(u"a100_80"));
    }

    void rejectedSubmissionsNameTheField_data()
    {
        QTest::addColumn<QString>("account");
        QTest::addColumn<QString>("qos");
        QTest::addColumn<QString>("constraint");
        QTest::addColumn<Slurm::SbatchErrorField>("field");
        QTest::addColumn<QString>("words");
        // The account exists but the user is not in it; the QoS does not exist; "a100-80" is not a feature.
        QTest::newRow("account") << "vjgo8416-other" << QString() << QString() << Slurm::SbatchErrorField::Account
                                 << "account";
        QTest::newRow("qos") << QString() << "nosuchqos" << QString() << Slurm::SbatchErrorField::Qos << "qos";
        QTest::newRow("constraint") << QString() << QString() << "a100-80" << Slurm::SbatchErrorField::Constraint
                                    << "constraint";
    }
    void rejectedSubmissionsNameTheField()
    {
        QFETCH(QString, account);
        QFETCH(QString, qos);
        QFETCH(QString, constraint);
        QFETCH(Slurm::SbatchErrorField, field);
        QFETCH(QString, words);
        JobSpec spec = walkthroughSpec();
        ClusterProfile profile = baskerville();
        QVERIFY(!profile.name.isEmpty());
        if (!account.isEmpty())
            spec.slurm.account = account;
        if (!qos.isEmpty())
            spec.slurm.qos = qos;
        if (!constraint.isEmpty())
            for (GpuType& type : profile.gpuTypes)
                if (type.name == spec.slurm.gpuType)
                    type.constraint = constraint;
        QSignalSpy spy(m_client.get(), &SlurmClient::submitFinished);
        m_client->submit(spec, profile);
        QVERIFY(spy.wait(60000));
        const SubmitResult result = spy.front().at(1).value<SubmitResult>();
        QVERIFY(!result.ok());
        QVERIFY2(result.field == field, qPrintable(result.error));
        QVERIFY2(result.error.contains(words), qPrintable(result.error));
        QVERIFY2(result.error.contains(u"Invalid"), qPrintable(result.error)); // Slurm's own words are kept
        QVERIFY(result.runDir.startsWith(spec.environment.projectPath % u"/tunedeck/runs/llama3-70b-ft-"));
    }

    // Every final state the tracker must tell apart, followed at once by one tracker (so the scheduler
    // query count below covers a real mixed workload), plus adversarial job names through sacct.
    void trackJobsToTheirEnd()
    {
        // Slurm's accounting itself stores '"' as '`' and non-Latin-1 characters as '?' (seen on 22.05),
        // so names with those cannot come back unchanged from sacct whatever TuneDeck does; every other
        // character must.
        const QStringList names { QStringLiteral("it's 'quoted'"), QStringLiteral("$(id) `id` ${HOME}"),
            QStringLiteral("a|b;c&&d # e"), QStringLiteral("back\\slash"), QStringLiteral("-leading-dash"),
            QStringLiteral("tab\there * ? [x] ~ !") };
        QMap<QString, QString> nameOf;
        for (const QString& name : names)
            nameOf.insert(sbatchWrap(name, {}, QStringLiteral("echo hello")), name);
        const QString completed = nameOf.firstKey();
        const QString failed = sbatchWrap(QStringLiteral("fails"), {},
            QStringLiteral(
                "echo 'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB'; exit 3"));
        const QString cancelled = sbatchWrap(QStringLiteral("cancel-me"), {}, QStringLiteral("sleep 300"));
        const QString timeout
            = sbatchWrap(QStringLiteral("too-slow"), { QStringLiteral("--time=1") }, QStringLiteral("sleep 600"));
        const QString requeued
            = sbatchWrap(QStringLiteral("requeue-me"), { QStringLiteral("--requeue") }, QStringLiteral("sleep 15"));
        for (const QString& id : { completed, failed, cancelled, timeout, requeued })
            QVERIFY2(SlurmClient::isValidJobId(id), qPrintable(id));

        JobTracker tracker(m_client.get());
        JobTrackerIntervals intervals;
        intervals.running = std::chrono::milliseconds(2000);
        intervals.pending = std::chrono::milliseconds(3000);
        intervals.accountingRetry = std::chrono::milliseconds(2000);
        tracker.setIntervals(intervals);
        QSignalSpy probeSpy(m_client.get(), &SlurmClient::probeFinished);
        m_client->probe();
        QVERIFY(probeSpy.wait(30000));
        tracker.setOwnUid(probeSpy.front().at(1).value<SlurmProbe>().uid);
        for (const QString& id : nameOf.keys() + QStringList { failed, cancelled, timeout, requeued }) {
            JobStatus initial;
            initial.jobId = id;
            tracker.track(initial, m_workDir % u"/slurm-" % id % u".out");
        }
        QMap<QString, QList<JobPhase>> history;
        connect(&tracker, &JobTracker::jobChanged, this,
            [&history](const JobStatus& status) { history[status.jobId].append(status.phase); });
        int squeues = 0, saccts = 0;
        connect(m_client.get(), &SlurmClient::schedulerQueryIssued, this, [&squeues, &saccts](const QString& what) {
            squeues += what == u"squeue" ? 1 : 0;
            saccts += what == u"sacct" ? 1 : 0;
        });
        QElapsedTimer clock;
        clock.start();
        tracker.start();

        bool cancelSent = false, requeueSent = false;
        QVERIFY(QTest::qWaitFor(
            [&]() {
                const auto cancelNow = tracker.job(cancelled);
                if (!cancelSent && cancelNow && cancelNow->phase == JobPhase::Running) {
                    m_client->cancel(cancelled);
                    cancelSent = true;
                }
                const auto requeueNow = tracker.job(requeued);
                if (!requeueSent && requeueNow && requeueNow->phase == JobPhase::Running) {
                    // As Slurm does on a node failure or a --signal/requeue chain.
                    m_connection->runCommand(
                        RemoteCommand(QStringLiteral("scontrol requeue")).arg(requeued).toString());
                    requeueSent = true;
                }
                return tracker.allTerminal();
            },
            420000));
        const qint64 elapsedMs = clock.elapsed();

        QCOMPARE(tracker.job(completed)->phase, JobPhase::Completed);
        const JobStatus fail = *tracker.job(failed);
        QCOMPARE(fail.phase, JobPhase::Failed);
        QCOMPARE(fail.exit->code, 3);
        QTRY_COMPARE(tracker.job(failed)->logHint, LogHint::CudaOutOfMemory); // read from the output file
        const JobStatus cancel = *tracker.job(cancelled);
        QCOMPARE(cancel.phase, JobPhase::Cancelled);
        QVERIFY2(explainJob(cancel, probeSpy.front().at(1).value<SlurmProbe>().uid).contains(u"by you"),
            qPrintable(explainJob(cancel)));
        QCOMPARE(tracker.job(timeout)->phase, JobPhase::Timeout);
        QTRY_COMPARE(tracker.job(timeout)->logHint, LogHint::TimeLimit);
        const JobStatus requeue = *tracker.job(requeued);
        QCOMPARE(requeue.phase, JobPhase::Completed);
        QVERIFY2(requeue.attempts >= 2, qPrintable(QString::number(requeue.attempts)));
        QVERIFY(history.value(requeued).contains(JobPhase::Requeued));

        // Adversarial names come back from sacct byte for byte.
        for (auto it = nameOf.cbegin(); it != nameOf.cend(); ++it) {
            QCOMPARE(tracker.job(it.key())->phase, JobPhase::Completed);
            // A job that ends within a second may still be named "allocation" (slurmdbd's placeholder) in
            // its final record; the tracker asks for the name again, so allow a few cycles.
            QTRY_VERIFY_WITH_TIMEOUT(tracker.job(it.key())->name == it.value(), 15000);
            QVERIFY2(tracker.job(it.key())->name == it.value(),
                qPrintable(it.key() % u": " % tracker.job(it.key())->name % u" != " % it.value()));
        }

        // The budget: one batched squeue per cycle whatever the number of jobs, at most one per running
        // interval (the defaults, 30 s, make that two per minute), and sacct only when jobs leave the
        // queue or accounting had not caught up yet.
        qInfo() << "tracked" << nameOf.size() + 4 << "jobs for" << elapsedMs / 1000 << "s with" << squeues
                << "squeue and" << saccts << "sacct queries";
        QVERIFY(squeues <= elapsedMs / intervals.running.count() + 2);
        QVERIFY(saccts <= 2 + elapsedMs / intervals.accountingRetry.count() / 2);

        // Terminal states are kept for good: nothing is asked any more.
        const int before = m_client->schedulerQueries();
        tracker.pollNow();
        QSignalSpy idle(m_client.get(), &SlurmClient::schedulerQueryIssued);
        QVERIFY(!idle.wait(3 * int(intervals.running.count())));
        QCOMPARE(m_client->schedulerQueries(), before);
    }

    void accountingDownGivesUnknown()
    {
        // A job id accounting has never seen stands for "accounting does not know (yet)".
        JobTracker tracker(m_client.get());
        JobTrackerIntervals intervals;
        intervals.running = std::chrono::milliseconds(500);
        intervals.accountingRetry = std::chrono::milliseconds(1000);
        tracker.setIntervals(intervals);
        JobStatus ghost;
        ghost.jobId = QStringLiteral("99999999");
        ghost.phase = JobPhase::Running;
        tracker.track(ghost);
        QSignalSpy changed(&tracker, &JobTracker::jobChanged);
        tracker.start();
        QVERIFY(changed.wait(20000));
        const JobStatus status = changed.front().at(0).value<JobStatus>();
        QCOMPARE(status.phase, JobPhase::FinalStateUnknown);
        QVERIFY(!status.isTerminal());
        QVERIFY(explainJob(status).contains(u"final state unknown"));
        // ... and it is asked again later rather than guessed.
        QSignalSpy queries(m_client.get(), &SlurmClient::schedulerQueryIssued);
        QVERIFY(queries.wait(10000));
        QCOMPARE(queries.front().at(0).toString(), QStringLiteral("sacct"));
    }

    // Issue 4: killing the TCP connection mid-session is detected within one keepalive window and
    // recovered without losing job state.
    void trackingSurvivesADroppedConnection()
    {
        TcpProxy proxy(m_cluster.host(), m_cluster.keyOnlyPort());
        const QString knownHosts = m_tmp.filePath(QStringLiteral("proxy_known_hosts"));
        writeFile(knownHosts,
            readFile(m_cluster.value("MINIBASK_KNOWN_HOSTS"))
                .replace(QByteArray("[127.0.0.1]:" + QByteArray::number(m_cluster.keyOnlyPort())),
                    QByteArray("[127.0.0.1]:" + QByteArray::number(proxy.port()))));
        SshConnectionOptions options = m_cluster.options(proxy.port(), knownHosts);
        options.keepaliveInterval = std::chrono::milliseconds(1000);
        options.reconnectInitialDelay = std::chrono::milliseconds(300);
        SshConnection connection(options);
        SlurmClient client(&connection);
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);

        const QString jobId = sbatchWrap(QStringLiteral("survives-a-drop"), {}, QStringLiteral("sleep 20"));
        QVERIFY(SlurmClient::isValidJobId(jobId));
        JobTracker tracker(&client);
        JobTrackerIntervals intervals;
        intervals.running = std::chrono::milliseconds(1000);
        intervals.pending = std::chrono::milliseconds(1000);
        intervals.accountingRetry = std::chrono::milliseconds(1000);
        intervals.maxBackoff = std::chrono::milliseconds(4000);
        tracker.setIntervals(intervals);
        JobStatus initial;
        initial.jobId = jobId;
        tracker.track(initial);
        QList<JobPhase> phases;
        connect(&tracker, &JobTracker::jobChanged, this, [&phases](const JobStatus& s) {
            if (phases.isEmpty() || phases.back() != s.phase)
                phases.append(s.phase);
        });
        tracker.start();
        QTRY_COMPARE_WITH_TIMEOUT(tracker.job(jobId)->phase, JobPhase::Running, 30000);

        QElapsedTimer clock;
        clock.start();
        proxy.freeze();
        QCOMPARE(waitForState(connection, SshState::Reconnecting, 10000), SshState::Reconnecting);
        QVERIFY(clock.elapsed() <= options.deadAfter().count() + 1000);
        QCOMPARE(waitForState(connection, SshState::Connected, 20000), SshState::Connected);
        QCOMPARE(tracker.job(jobId)->phase, JobPhase::Running); // nothing was lost or guessed meanwhile

        QVERIFY(QTest::qWaitFor([&tracker]() { return tracker.allTerminal(); }, 120000));
        QCOMPARE(tracker.job(jobId)->phase, JobPhase::Completed);
        QCOMPARE(phases.back(), JobPhase::Completed);
        QVERIFY(!phases.contains(JobPhase::FinalStateUnknown));
        QCOMPARE(connection.reconnectCount(), 1);
    }

    void walkthroughJobCompletes()
    {
        // The walkthrough's job (4 nodes x 4 GPUs) as TuneDeck generates it, on the stand-ins.
        QSignalSpy spy(m_client.get(), &SlurmClient::submitFinished);
        m_client->submit(walkthroughSpec(), baskerville());
        QVERIFY(spy.wait(60000));
        const SubmitResult result = spy.front().at(1).value<SubmitResult>();
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(QFile::exists(result.runDir % u"/job.sbatch"));
        QVERIFY(QFile::exists(result.runDir % u"/tunedeck-job.yaml"));
        JobTracker tracker(m_client.get());
        JobTrackerIntervals intervals;
        intervals.running = std::chrono::milliseconds(2000);
        intervals.pending = std::chrono::milliseconds(2000);
        intervals.accountingRetry = std::chrono::milliseconds(2000);
        tracker.setIntervals(intervals);
        JobStatus initial;
        initial.jobId = result.jobId;
        tracker.track(initial, result.outputFile);
        tracker.start();
        QVERIFY(QTest::qWaitFor([&tracker]() { return tracker.allTerminal(); }, 300000));
        const JobStatus status = tracker.jobs().front();
        QVERIFY2(status.phase == JobPhase::Completed,
            qPrintable(explainJob(status) % u"\n" % QString::fromUtf8(readFile(result.outputFile).right(3000))));
        const QStringList dmon = QDir(result.runDir % u"/telemetry").entryList({ u"dmon-" % result.jobId % u"-*.txt" });
        QCOMPARE(dmon.size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestSlurmClient)
#include "tst_slurmclient.moc"
