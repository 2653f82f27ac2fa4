#include "core/remote/jobstatus.h"

#include <QTest>

using namespace TuneDeck;

// Classification of Slurm states and explanations (issue 4, "Classify and explain"). Sample lines are
// the real-world wordings collected in shared/FORMATS.md section 4.
class TestJobStatus : public QObject
{
    Q_OBJECT
private:
    static Slurm::SacctRow sacctRow(const QByteArray& line)
    {
        const Slurm::SacctResult parsed = Slurm::SacctParser::parse(line,
            { QStringLiteral("JobID"), QStringLiteral("State"), QStringLiteral("ExitCode"), QStringLiteral("Elapsed"),
                QStringLiteral("Reason"), QStringLiteral("JobName") });
        return parsed.rows.value(0);
    }

private Q_SLOTS:
    void slurmStates_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<JobPhase>("phase");
        QTest::addColumn<bool>("terminal");
        QTest::newRow("pending") << "PENDING" << JobPhase::Pending << false;
        QTest::newRow("configuring") << "CONFIGURING" << JobPhase::Pending << false;
        QTest::newRow("running") << "RUNNING" << JobPhase::Running << false;
        QTest::newRow("completing") << "COMPLETING" << JobPhase::Completing << false;
        QTest::newRow("completed") << "COMPLETED" << JobPhase::Completed << true;
        QTest::newRow("failed") << "FAILED" << JobPhase::Failed << true;
        QTest::newRow("boot-fail") << "BOOT_FAIL" << JobPhase::Failed << true;
        QTest::newRow("oom") << "OUT_OF_MEMORY" << JobPhase::OutOfMemory << true;
        QTest::newRow("oom-truncated") << "OUT_OF_ME+" << JobPhase::FinalStateUnknown << false;
        QTest::newRow("timeout") << "TIMEOUT" << JobPhase::Timeout << true;
        QTest::newRow("cancelled-by") << "CANCELLED by 54321" << JobPhase::Cancelled << true;
        QTest::newRow("node-fail") << "NODE_FAIL" << JobPhase::NodeFail << true;
        QTest::newRow("preempted") << "PREEMPTED" << JobPhase::Preempted << true;
        QTest::newRow("requeued") << "REQUEUED" << JobPhase::Requeued << false;
        QTest::newRow("requeue-hold") << "REQUEUE_HOLD" << JobPhase::Requeued << false;
        QTest::newRow("suspended") << "SUSPENDED" << JobPhase::Suspended << false;
        QTest::newRow("short-form") << "PD" << JobPhase::Pending << false;
        QTest::newRow("garbage") << "WHATEVER" << JobPhase::FinalStateUnknown << false;
        QTest::newRow("empty") << "" << JobPhase::FinalStateUnknown << false;
    }
    void slurmStates()
    {
        QFETCH(QString, state);
        QFETCH(JobPhase, phase);
        QFETCH(bool, terminal);
        QCOMPARE(phaseFromSlurmState(state), phase);
        JobStatus status;
        status.phase = phaseFromSlurmState(state);
        QCOMPARE(status.isTerminal(), terminal);
        QVERIFY(!explainJob(status).isEmpty());
        QCOMPARE(jobPhaseFromName(jobPhaseName(phase)), phase);
    }

    void squeueNeverFinal()
    {
        // A job squeue still lists is not over, whatever the state column says for a moment.
        Slurm::SqueueRow row;
        row.jobId = QStringLiteral("7");
        row.state = QStringLiteral("COMPLETED");
        row.reason = QStringLiteral("None");
        const JobStatus status = statusFromSqueue(row);
        QCOMPARE(status.phase, JobPhase::Completing);
        QVERIFY(status.reason.isEmpty());
    }

    void pendingReasons()
    {
        Slurm::SqueueRow row;
        row.jobId = QStringLiteral("8");
        row.state = QStringLiteral("PENDING");
        row.reason = QStringLiteral("BadConstraints");
        const JobStatus status = statusFromSqueue(row);
        QCOMPARE(status.phase, JobPhase::Pending);
        const QString text = explainJob(status);
        QVERIFY2(text.contains(u"BadConstraints") && text.contains(u"--constraint"), qPrintable(text));
        QVERIFY(pendingReasonText(u"Priority").contains(u"priority"));
        QCOMPARE(pendingReasonText(u"SomeNewReason"), QStringLiteral("SomeNewReason"));
    }

    void sacctFinalStates()
    {
        const JobStatus failed = statusFromSacct({ sacctRow("42|FAILED|3:0|00:01:02|None|train") });
        QCOMPARE(failed.phase, JobPhase::Failed);
        QVERIFY(failed.exit.has_value());
        QCOMPARE(failed.exit->code, 3);
        QVERIFY(explainJob(failed).contains(u"exit code 3"));
        QCOMPARE(failed.name, QStringLiteral("train"));

        const JobStatus cancelled = statusFromSacct({ sacctRow("43|CANCELLED by 1001|0:15|00:00:05|None|x") });
        QCOMPARE(cancelled.phase, JobPhase::Cancelled);
        QCOMPARE(cancelled.cancelledByUid, std::optional<qint64>(1001));
        QVERIFY(explainJob(cancelled, 1001).contains(u"by you"));
        QVERIFY(explainJob(cancelled, 0).contains(u"uid 1001"));

        // sacct -D: every attempt of a requeued job, oldest first; the last one is the outcome.
        const JobStatus requeued = statusFromSacct({ sacctRow("44|REQUEUED|0:0|00:00:10|None|r"),
            sacctRow("44|REQUEUED|0:0|00:00:11|None|r"), sacctRow("44|COMPLETED|0:0|00:00:20|None|r") });
        QCOMPARE(requeued.phase, JobPhase::Completed);
        QCOMPARE(requeued.attempts, 3);
        QVERIFY(explainJob(requeued).contains(u"2 requeues"));

        QCOMPARE(statusFromSacct({}).phase, JobPhase::FinalStateUnknown);
    }

    void logHints_data()
    {
        QTest::addColumn<QByteArray>("log");
        QTest::addColumn<LogHint>("hint");
        QTest::newRow("cuda-oom") << QByteArray(
            "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.96 GiB "
            "(GPU 0; 39.39 GiB total capacity; 36.74 GiB already allocated)\n")
                                  << LogHint::CudaOutOfMemory;
        QTest::newRow("nccl") << QByteArray(
            "torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/"
            "NCCLUtils.cpp:77, remote process exited or there was a network error, NCCL "
            "version 2.26.2\nncclRemoteError: Error while receiving data\n")
                              << LogHint::Nccl;
        QTest::newRow("oom-v1") << QByteArray(
            "slurmstepd: error: Detected 1 oom-kill event(s) in step 32321481.batch cgroup. "
            "Some of your processes may have been killed by the cgroup out-of-memory "
            "handler.\n") << LogHint::HostOutOfMemory;
        QTest::newRow("oom-v4") << QByteArray(
            "slurmstepd: error: Detected 1 oom_kill event in StepId=3764934.batch. Some of "
            "the step tasks have been OOM Killed.\n")
                                << LogHint::HostOutOfMemory;
        QTest::newRow("time-limit") << QByteArray("{'loss': 1.23}\nslurmstepd-bask-pg01: error: *** JOB 2 ON bask-pg01 "
                                                  "CANCELLED AT 2026-11-25T07:01:02 DUE TO TIME LIMIT ***\n")
                                    << LogHint::TimeLimit;
        QTest::newRow("time-limit-no-at")
            << QByteArray("*** JOB 9 ON n1 CANCELLED DUE TO TIME LIMIT ***\n") << LogHint::TimeLimit;
        QTest::newRow("scancel") << QByteArray(
            "slurmstepd: error: *** JOB 12 ON bask-pg02 CANCELLED AT 2026-11-25T07:01:02 ***\n")
                                 << LogHint::Cancelled;
        // TuneDeck's script stops its recording step itself: that STEP line is not the job's fate.
        QTest::newRow("recorder-step-stop")
            << QByteArray("slurmstepd: error: *** STEP 12.0 ON bask-pg01 CANCELLED AT 2026-11-25T07:01:02 ***\n"
                          "srun: error: bask-pg01: task 0: Killed\n")
            << LogHint::None;
        // The last cause in the log wins: NCCL errors after the CUDA OOM are a consequence.
        QTest::newRow("last-wins") << QByteArray("CUDA out of memory.\n...\nNCCL error in: x\n") << LogHint::Nccl;
        QTest::newRow("clean") << QByteArray("{'train_loss': 0.9}\n***** train metrics *****\n") << LogHint::None;
    }
    void logHints()
    {
        QFETCH(QByteArray, log);
        QFETCH(LogHint, hint);
        QCOMPARE(logHintFromOutput(log), hint);
    }

    void explanationsWithHints()
    {
        JobStatus status;
        status.phase = JobPhase::Failed;
        status.exit = Slurm::ExitStatus { 1, 0 };
        status.logHint = LogHint::CudaOutOfMemory;
        const QString text = explainJob(status);
        QVERIFY(text.contains(u"exit code 1"));
        QVERIFY(text.contains(u"CUDA out of memory"));
        status.phase = JobPhase::FinalStateUnknown;
        status.logHint = LogHint::None;
        QVERIFY(explainJob(status).contains(u"final state unknown"));
    }
};

QTEST_GUILESS_MAIN(TestJobStatus)
#include "tst_jobstatus.moc"
