#include "chunking.h"
#include "core/telemetry/trainerlogreader.h"
#include "testsupport.h"

#include <QTest>

using namespace TuneDeck::Telemetry;

Q_DECLARE_METATYPE(TuneDeck::Telemetry::Termination)

namespace {

QByteArray real(const char* name)
{
    return TuneDeck::Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/") + QLatin1StringView(name));
}

TrainerLogReader read(const QByteArray& text)
{
    TrainerLogReader r;
    r.feed(text);
    r.finish();
    return r;
}

QByteArray signature(const TrainerLogReader& r)
{
    QByteArray s = QByteArray::number(r.setup().totalSteps.value_or(-1)) + '|'
        + QByteArray::number(r.setup().numExamples.value_or(-1)) + '|' + QByteArray::number(r.progress().size()) + '|'
        + QByteArray::number(r.losses().size()) + '|' + QByteArray::number(r.finalLoss().value_or(-1), 'g', 10) + '|'
        + terminationName(r.termination()).toUtf8() + '|' + QByteArray::number(r.issues().count());
    if (const auto p = r.lastProgress())
        s += '|' + QByteArray::number(p->step) + '/' + QByteArray::number(p->total) + '@'
            + QByteArray::number(p->secondsPerStep.value_or(-1), 'g', 10);
    return s;
}

} // namespace

class TestTrainerLogReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void walkthrough()
    {
        const TrainerLogReader r = read(real("trainer-baskerville-walkthrough.log"));
        QCOMPARE(r.setup().numExamples.value_or(-1), 981);
        QCOMPARE(r.setup().numEpochs.value_or(-1), 3);
        QCOMPARE(r.setup().batchSizePerDevice.value_or(-1), 1);
        QCOMPARE(r.setup().totalBatchSize.value_or(-1), 128);
        QCOMPARE(r.setup().gradientAccumulation.value_or(-1), 8);
        QCOMPARE(r.setup().totalSteps.value_or(-1), 21);
        QCOMPARE(r.setup().trainableParams.value_or(-1), 6471680);
        QCOMPARE(r.progress().size(), 4);
        const ProgressUpdate last = *r.lastProgress();
        QCOMPARE(last.step, 3);
        QCOMPARE(last.total, 21);
        QCOMPARE(last.elapsedSeconds, 2 * 3600 + 28 * 60 + 37);
        QCOMPARE(last.remainingSeconds.value_or(-1), 14 * 3600 + 48 * 60 + 50);
        QCOMPARE(last.secondsPerStep.value_or(-1), 2962.79);
        QVERIFY(!r.progress().first().secondsPerStep); // "?it/s"
        QVERIFY(!r.progress().first().remainingSeconds); // "<?"
        QCOMPARE(r.termination(), Termination::TimeLimit);
        QVERIFY(r.terminationLine().startsWith("slurmstepd: error: *** STEP 890671.0"));
        QVERIFY(r.losses().isEmpty());
    }

    void carriageReturnsAndGluedDicts()
    {
        const TrainerLogReader r = read(real("trainer-h2ogpt-carriage-returns.log"));
        QCOMPARE(r.losses().size(), 5);
        QCOMPARE(r.finalLoss().value_or(-1), 1.0574);
        const ProgressUpdate last = *r.lastProgress();
        QCOMPARE(last.step, 1322);
        QCOMPARE(last.total, 36234);
        QCOMPARE(last.secondsPerStep.value_or(-1), 1.0 / 1.90);
        QCOMPARE(r.losses()[1].step.value_or(-1), 1319);
        QCOMPARE(r.progress().size(), 6); // 1317..1322, redraws of the same state counted once
        QCOMPARE(r.termination(), Termination::None);
    }

    void lossDicts()
    {
        const TrainerLogReader r = read(real("trainer-loss-dicts-grad-norm.log"));
        QCOMPARE(r.losses().size(), 13);
        QCOMPARE(r.losses()[7].value(QLatin1StringView("grad_norm")).value_or(-1), 10.746351508635772);
        QCOMPARE(r.finalLoss().value_or(-1), 0.0756);
        QVERIFY(!r.lastProgress());
    }

    void runningTrainingBlocks_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<qint64>("examples");
        QTest::addColumn<qint64>("steps");
        QTest::addColumn<qint64>("params");
        QTest::newRow("2025 prefixes") << QByteArray("trainer-running-training-2025.log") << qint64(5498) << qint64(196)
                                       << qint64(7615616512);
        QTest::newRow("bare") << QByteArray("trainer-running-training-bare.log") << qint64(900) << qint64(560)
                              << qint64(21176320);
    }
    void runningTrainingBlocks()
    {
        QFETCH(QByteArray, file);
        QFETCH(qint64, examples);
        QFETCH(qint64, steps);
        QFETCH(qint64, params);
        const TrainerLogReader r = read(real(file.constData()));
        QCOMPARE(r.setup().numExamples.value_or(-1), examples);
        QCOMPARE(r.setup().totalSteps.value_or(-1), steps);
        QCOMPARE(r.setup().trainableParams.value_or(-1), params);
    }

    void chunkingDoesNotMatter_data()
    {
        QTest::addColumn<QByteArray>("file");
        for (const char* f : { "trainer-baskerville-walkthrough.log", "trainer-h2ogpt-carriage-returns.log",
                 "trainer-loss-dicts-grad-norm.log" })
            QTest::newRow(f) << QByteArray(f);
    }
    void chunkingDoesNotMatter()
    {
        QFETCH(QByteArray, file);
        const auto sigs = TuneDeck::Test::signaturesOverChunkings<TrainerLogReader>(real(file.constData()), &signature);
        for (const QByteArray& s : sigs)
            QCOMPARE(s, sigs.first());
    }

    void termination_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<Termination>("expected");
        const QByteArray bar = " 14%|\xe2\x96\x88\xe2\x96\x8d        | 3/21 [2:28:37<14:48:50, 2962.79s/it]";
        QTest::newRow("job time limit") << QByteArray("slurmstepd: error: *** JOB 2 ON bask-pg01 CANCELLED AT "
                                                      "2026-11-25T07:01:02 DUE TO TIME LIMIT ***\n")
                                        << Termination::TimeLimit;
        QTest::newRow("glued to tqdm, node in daemon name") << bar
                + "slurmstepd-irene1282: error: *** STEP 3.0 ON irene1282 CANCELLED AT 2026-11-25T07:01:02 DUE TO "
                  "TIME LIMIT ***\n" << Termination::TimeLimit;
        QTest::newRow("no AT") << QByteArray("slurmstepd: error: *** JOB 7 CANCELLED DUE TO TIME LIMIT ***\n")
                               << Termination::TimeLimit;
        QTest::newRow("salloc revoked") << QByteArray(
            "salloc: Job 1234 has exceeded its time limit and its allocation has been revoked.\n")
                                        << Termination::TimeLimit;
        QTest::newRow("oom wording 1") << QByteArray("slurmstepd: error: Detected 1 oom-kill event(s) in step "
                                                     "32321481.batch cgroup. Some of your processes may have been "
                                                     "killed by the cgroup out-of-memory handler.\n")
                                       << Termination::HostOom;
        QTest::newRow("oom wording 2") << QByteArray("slurmstepd: error: Detected 1 oom-kill event(s) in "
                                                     "StepId=1042215.batch cgroup. Some of your processes may have "
                                                     "been killed by the cgroup out-of-memory handler.\n")
                                       << Termination::HostOom;
        QTest::newRow("oom wording 3") << QByteArray("slurmstepd: error: Detected 1587 oom-kill event(s) in "
                                                     "StepId=1108728.batch. Some of your processes may have been "
                                                     "killed by the cgroup out-of-memory handler.\n")
                                       << Termination::HostOom;
        QTest::newRow("oom wording 4") << QByteArray("slurmstepd: error: Detected 1 oom_kill event in "
                                                     "StepId=3764934.batch. Some of the step tasks have been OOM "
                                                     "Killed.\n")
                                       << Termination::HostOom;
        QTest::newRow("srun task oom") << QByteArray("srun: error: bask-pg01: task 13: Out Of Memory\n")
                                       << Termination::HostOom;
        QTest::newRow("cuda oom then nccl fallout")
            << QByteArray("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.\n"
                          "[rank1]: torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/"
                          "NCCLUtils.cpp:77, remote process exited or there was a network error, NCCL version 2.26.2\n"
                          "slurmstepd: error: *** STEP 5.0 ON n1 CANCELLED AT 2026-11-25T07:01:02 ***\n")
            << Termination::CudaOom;
        QTest::newRow("nccl") << QByteArray("[rank1]: torch.distributed.DistBackendError: NCCL error in: "
                                            "NCCLUtils.cpp:77, remote process exited or there was a network error\n"
                                            "ncclRemoteError: A call failed possibly due to a network error\n")
                              << Termination::Nccl;
        QTest::newRow("nccl info and exit warning are not errors")
            << QByteArray("n1:123:456 [0] NCCL INFO comm 0x1 rank 0 nranks 16 - Init COMPLETE\n"
                          "[rank1]:[W1020 20:38:36.170] ProcessGroupNCCL.cpp:1479] Warning: WARNING: "
                          "destroy_process_group() was not called before program exit\n")
            << Termination::None;
        QTest::newRow("scancel of the job") << QByteArray("slurmstepd: error: *** JOB 9 ON n1 CANCELLED AT "
                                                          "2026-11-25T07:01:02 ***\n")
                                            << Termination::Cancelled;
        QTest::newRow("preemption") << QByteArray("slurmstepd: error: *** JOB 9 ON n1 CANCELLED AT "
                                                  "2026-11-25T07:01:02 DUE TO PREEMPTION ***\n")
                                    << Termination::Cancelled;
        QTest::newRow("step cancelled, no completion")
            << bar + "\nslurmstepd: error: *** STEP 9.0 ON n1 CANCELLED AT 2026-11-25T07:01:02 ***\n"
            << Termination::Cancelled;
        QTest::newRow("recorder step torn down before the end") << QByteArray(
            "slurmstepd: error: *** STEP 9.0 ON n1 CANCELLED AT 2026-11-25T07:01:02 ***\n"
            "{'train_runtime': 120.5, 'train_samples_per_second': 8.1, 'train_steps_per_second': 0.17, "
            "'train_loss': 1.23, 'epoch': 3.0}\n"
            "***** train metrics *****\n") << Termination::None;
        QTest::newRow("recorder step torn down after the end")
            << QByteArray("***** train metrics *****\n  epoch = 3.0\n"
                          "slurmstepd: error: *** STEP 9.0 ON n1 CANCELLED AT 2026-11-25T07:01:02 ***\n")
            << Termination::None;
        QTest::newRow("clean") << QByteArray("{'loss': 1.0, 'epoch': 0.1}\n") << Termination::None;
    }
    void termination()
    {
        QFETCH(QByteArray, text);
        QFETCH(Termination, expected);
        QCOMPARE(read(text).termination(), expected);
    }

    void wrappedAndDuplicatedDicts()
    {
        // LLaMA-Factory <= 0.6 logs the dict, then the Trainer prints it again; a pasted log wraps mid-number.
        const QByteArray text = "03/12/2024 10:00:01 - INFO - llmtuner.extras.callbacks - {'loss': 1.2345, "
                                "'learning_rate': 1.9995e-04, 'epoch': 0.06}\n"
                                "{'loss': 1.2345, 'learning_rate': 0.00019995, 'epoch': 0.06}\n"
                                "{'loss': 1.1, 'grad_norm': 0.3\n"
                                "5, 'learning_rate': 1.9e-04, 'ep\n"
                                "och': 0.12}\n"
                                "{'loss': '0.3605', 'global_step/max_steps': '1/40', 'epoch': 0.2}\n"
                                "{'eval_loss': 1.05, 'eval_runtime': 12.3, 'epoch': 0.2}\n"
                                "{'train_runtime': 1234.5, 'train_samples_per_second': 8.1, 'train_loss': 1.2, "
                                "'epoch': 1.0}\n";
        const TrainerLogReader r = read(text);
        QCOMPARE(r.losses().size(), 3);
        QCOMPARE(r.losses()[1].value(QLatin1StringView("grad_norm")).value_or(-1), 0.35);
        QCOMPARE(r.losses()[1].value(QLatin1StringView("epoch")).value_or(-1), 0.12);
        QCOMPARE(r.finalLoss().value_or(-1), 0.3605);
        QCOMPARE(r.evals().size(), 1);
        QVERIFY(r.finalMetrics());
        QCOMPARE(r.finalMetrics()->value(QLatin1StringView("train_loss")).value_or(-1), 1.2);
        QVERIFY(r.completed());
        QCOMPARE(r.issues().count(), 0);
    }

    void barsOtherThanTraining()
    {
        const QByteArray text
            = "Map: 100%|\xe2\x96\x88\xe2\x96\x88| 981/981 [00:00<00:00, 5012.37 examples/s]\n"
              "Loading checkpoint shards: 100%|\xe2\x96\x88\xe2\x96\x88| 30/30 [02:10<00:00,  4.35s/it]\n"
              "***** Running training *****\n  Total optimization steps = 2,238\n"
              "  4% 99/2238 [1:48:23<35:43:37, 60.13s/it]\n" // no bar
              "100%|\xe2\x96\x88\xe2\x96\x88| 13/13 [00:05<00:00,  2.60it/s]\n"; // evaluation
        const TrainerLogReader r = read(text);
        QCOMPARE(r.progress().size(), 1);
        QCOMPARE(r.lastProgress()->step, 99);
        QCOMPARE(r.lastProgress()->elapsedSeconds, 3600 + 48 * 60 + 23);
        QCOMPARE(r.lastProgress()->remainingSeconds.value_or(-1), 35 * 3600 + 43 * 60 + 37);
    }

    void gluedToTheNextLogLine()
    {
        // tqdm never ends its line: the next logger line starts right after ']'.
        const QByteArray text
            = "***** Running training *****\n  Total optimization steps = 21\n"
              " 14%|\xe2\x96\x88\xe2\x96\x8d        | 3/21 [2:28:37<14:48:50, 2962.79s/it][INFO|trainer.py:3705] "
              "2024-09-18 02:00:00,000 >> Saving model checkpoint to saves/checkpoint-3\n"
              " 19%|\xe2\x96\x88\xe2\x96\x89        | 4/21 [3:10:00<13:00:00,  0.50it/s]{'loss': 1.5, 'epoch': 0.57}\n";
        const TrainerLogReader r = read(text);
        QCOMPARE(r.progress().size(), 2);
        QCOMPARE(r.lastProgress()->step, 4);
        QCOMPARE(r.lastProgress()->secondsPerStep.value_or(-1), 2.0);
        QCOMPARE(r.losses().size(), 1);
        QCOMPARE(r.losses().first().step.value_or(-1), 4);
    }

    void unclosedDictIsCounted()
    {
        const TrainerLogReader r = read("{'loss': 1.0, 'epoch'\n");
        QCOMPARE(r.losses().size(), 0);
        QCOMPARE(r.issues().count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestTrainerLogReader)
#include "tst_trainerlogreader.moc"
