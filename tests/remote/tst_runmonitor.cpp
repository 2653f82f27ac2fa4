// Issue 5's Done-when on the mini-Baskerville: a real 4-node job submitted over SSH is followed live —
// every node's dmon and vmstat file, the Slurm output and trainer_log.jsonl reach the readers and the
// metric store — and a 30-second network outage in the middle loses and repeats nothing (compared with
// the files byte for byte).
#include "core/job/generators.h"
#include "core/job/jobrenderer.h"
#include "core/job/profileregistry.h"
#include "core/remote/runmonitor.h"
#include "core/telemetry/trainerjsonlreader.h"
#include "core/telemetry/trainerlogreader.h"
#include "core/util/shellquote.h"
#include "ssh/minibask.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <optional>

using namespace TuneDeck;
using namespace TuneDeck::Test;

namespace {

// Waits for the result with this request id from one of SshConnection's *Finished signals.
template<typename Result, typename Signal> Result waitFor(SshConnection& connection, Signal signal, quint64 id)
{
    std::optional<Result> result;
    const QMetaObject::Connection c
        = QObject::connect(&connection, signal, [&result, id](quint64 finished, const Result& value) {
              if (finished == id)
                  result = value;
          });
    QElapsedTimer clock;
    clock.start();
    while (!result && clock.elapsed() < 120000)
        QTest::qWait(20); // processes events until the result signal arrives
    QObject::disconnect(c);
    if (!result) {
        Result timedOut;
        timedOut.error = QStringLiteral("test timeout: no result");
        return timedOut;
    }
    return *result;
}

SshCommandResult run(SshConnection& connection, const QString& command)
{
    return waitFor<SshCommandResult>(connection, &SshConnection::commandFinished, connection.runCommand(command));
}

} // namespace

class TestRunMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_cluster = MiniBask::load({ QStringLiteral("sshd"), QStringLiteral("slurm") });
        REQUIRE_MINIBASK(m_cluster);
    }

    void followsAJobThroughAnOutage()
    {
        TcpProxy proxy(m_cluster.host(), m_cluster.keyOnlyPort());
        SshConnectionOptions options = m_cluster.options(proxy.port(), QString());
        QTemporaryDir tmp;
        options.knownHostsFile = tmp.filePath(QStringLiteral("known_hosts"));
        QByteArray line = readFile(m_cluster.value("MINIBASK_KNOWN_HOSTS")).split('\n').constFirst();
        writeFile(options.knownHostsFile,
            "[127.0.0.1]:" + QByteArray::number(proxy.port()) + line.mid(line.indexOf(' ')) + '\n');
        options.keepaliveInterval = std::chrono::milliseconds(1000);
        options.reconnectInitialDelay = std::chrono::milliseconds(500);
        options.reconnectMaxDelay = std::chrono::milliseconds(2000);
        SshConnection connection(options);
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);

        // The walkthrough's job, pointed at the test cluster's project space.
        JobSpec spec;
        spec.slurm.account = m_cluster.value("MINIBASK_ACCOUNT");
        spec.slurm.jobName = QStringLiteral("monitor-test");
        spec.slurm.time = QStringLiteral("0:10:00");
        spec.environment.projectPath = m_cluster.value("MINIBASK_PROJECT_DIR");
        spec.environment.llamaFactoryDir = m_cluster.value("MINIBASK_LLAMA_FACTORY_DIR");
        spec.environment.venv = m_cluster.value("MINIBASK_VENV");
        spec.environment.runDir = spec.environment.projectPath + u"/tunedeck/runs/monitor-"
            + QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
        spec.training.saveSteps = 5;
        spec.training.loggingSteps = 2;
        const ClusterProfile profile = ProfileRegistry(QString {}).find(QStringLiteral("baskerville")).value();
        const RenderedJob job = renderJob(spec, profile);
        QVERIFY(!job.hasErrors());
        const SftpUploadResult uploaded = waitFor<SftpUploadResult>(connection, &SshConnection::uploadFinished,
            connection.upload(spec.environment.runDir,
                { { QString::fromLatin1(SbatchFileName), job.sbatchScript },
                    { QString::fromLatin1(AccelerateFileName), job.accelerateYaml },
                    { QString::fromLatin1(TrainFileName), job.trainYaml },
                    // The trainer stand-in's speed knob, for this job only: 3 s per step, so the 21-step
                    // run outlasts the outage.
                    { QStringLiteral("step_seconds"), "3\n" } }));
        QVERIFY2(uploaded.ok(), qPrintable(uploaded.error));
        const SshCommandResult submitted = run(connection,
            u"cd " + shellSingleQuote(spec.environment.runDir)
                + u" && MINIBASK_SPEED_FILE=\"$PWD/step_seconds\" sbatch --parsable "
                + QLatin1StringView(SbatchFileName));
        QVERIFY2(submitted.ok(), submitted.standardError.constData());
        const QString jobId = QString::fromUtf8(submitted.standardOutput.trimmed()).section(u';', 0, 0);
        QVERIFY(!jobId.isEmpty());

        // Its nodes, once it runs.
        QStringList nodes;
        QElapsedTimer clock;
        clock.start();
        while (nodes.size() < 4 && clock.elapsed() < 60000) {
            const SshCommandResult hosts = run(connection,
                u"nodes=$(squeue -h -j " + jobId
                    + u" -t R -o %N) && [ -n \"$nodes\" ] && scontrol show hostnames \"$nodes\"");
            nodes = QString::fromUtf8(hosts.standardOutput).split(u'\n', Qt::SkipEmptyParts);
            if (nodes.size() < 4)
                QTest::qWait(500);
        }
        QCOMPARE(nodes.size(), 4);

        RunMonitor monitor(&connection, QStringLiteral("monitor-test"));
        const Telemetry::MetricStore& store = monitor.telemetry().store();
        const RunFiles files { spec.environment.runDir, effectiveOutputDir(spec), jobId };
        monitor.setRun(files, nodes);
        std::map<QString, QByteArray> received; // what arrived, per file (one segment each here)
        connect(&monitor.follower(), &RemoteFileFollower::linesArrived, this,
            [&received](const QString& path, int, const QByteArray& lines) { received[path] += lines; });
        monitor.follower().setPollInterval(500);
        monitor.follower().start();

        // Training is under way on all nodes...
        QTRY_VERIFY_WITH_TIMEOUT(monitor.telemetry().trainerLog() && monitor.telemetry().trainerLog()->lastProgress()
                && monitor.telemetry().trainerLog()->lastProgress()->step >= 2,
            60000);
        // ... when the network goes away for 30 s: existing links freeze, new ones are refused.
        const int reconnectsBefore = connection.reconnectCount();
        proxy.refuseNew(true);
        proxy.freeze();
        QElapsedTimer outage;
        outage.start();
        QTRY_VERIFY_WITH_TIMEOUT(connection.state() != SshState::Connected, 10000);
        qInfo() << "drop noticed after" << outage.elapsed() << "ms";
        while (outage.elapsed() < 30000)
            QTest::qWait(200); // the outage itself: a fixed 30 s by design
        proxy.refuseNew(false);
        QCOMPARE(waitForState(connection, SshState::Connected, 30000), SshState::Connected);
        QVERIFY(connection.reconnectCount() > reconnectsBefore);

        // Wait for the job to end, then for one more complete poll.
        QTRY_VERIFY_WITH_TIMEOUT(readFile(files.slurmOutput()).contains("TuneDeck: training finished"), 180000);
        QSignalSpy polls(&monitor.follower(), &RemoteFileFollower::pollFinished);
        QTRY_VERIFY_WITH_TIMEOUT(polls.count() >= 2, 30000);
        monitor.follower().stop();

        QStringList paths { files.slurmOutput(), files.trainerLog() };
        for (const QString& node : std::as_const(nodes))
            paths << files.dmon(node) << files.vmstat(node);
        for (const QString& path : std::as_const(paths)) {
            const QByteArray remote = readFile(path);
            QVERIFY2(!remote.isEmpty(), qPrintable(path));
            // Complete lines only are handed out; the files end with a newline once the job is over.
            QCOMPARE(received[path].size(), remote.size());
            QVERIFY2(received[path] == remote, qPrintable(path));
            QCOMPARE(monitor.bytesReceived(path), remote.size());
        }
        // The store has every node's GPUs and CPU, the readers the training's progress and loss.
        for (const QString& node : std::as_const(nodes)) {
            for (int gpu = 0; gpu < 4; ++gpu) {
                const auto sm = store.findSeries({ QStringLiteral("monitor-test"), node, gpu, QStringLiteral("sm") });
                QVERIFY2(sm, qPrintable(node + u" gpu " + QString::number(gpu)));
                QVERIFY(store.sampleCount(*sm) > 10);
            }
            QVERIFY(store.findSeries({ QStringLiteral("monitor-test"), node, -1, QStringLiteral("us") }));
        }
        const Telemetry::TrainerLogReader* output = monitor.telemetry().trainerLog();
        const Telemetry::TrainerJsonlReader* jsonl = monitor.telemetry().trainerJsonl();
        QVERIFY(output && jsonl);
        QCOMPARE(output->setup().totalSteps.value_or(0), 21);
        QCOMPARE(output->lastProgress()->step, 21);
        QVERIFY(!output->losses().isEmpty());
        QCOMPARE(jsonl->currentSteps().value_or(0), 21);
        QVERIFY(jsonl->finalLoss());
    }

private:
    MiniBask m_cluster;
};

QTEST_GUILESS_MAIN(TestRunMonitor)
#include "tst_runmonitor.moc"
