// Generated values (issue 12, class 3): accelerate.yaml and train.yaml read back with PyYAML (what
// accelerate and LLaMA-Factory use) to exactly the design's values; accelerate_extra cannot shadow a
// generated key or add lines; step arithmetic does not wrap.
#include "core/job/generators.h"
#include "core/job/jobrenderer.h"
#include "core/job/trainingplan.h"
#include "core/job/yamltext.h"
#include "testsupport.h"
#include "walkthroughspec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace TuneDeck;

namespace {

// PyYAML's reading of a file, as JSON (json.dumps writes floats with repr, which round-trips).
QJsonObject pyyamlLoad(const QByteArray& yaml)
{
    const Test::ProcessResult run = Test::runProgram(QStringLiteral("python3"),
        { QStringLiteral("-c"),
            QStringLiteral("import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))") },
        {}, yaml);
    if (run.exitCode != 0)
        qWarning().noquote() << "python3:" << run.err;
    return QJsonDocument::fromJson(run.out).object();
}

bool hasError(const Diagnostics& diagnostics, const QString& field, const QString& text)
{
    for (const Diagnostic& d : diagnostics) {
        if (d.severity == Severity::Error && d.field == field && d.message.contains(text))
            return true;
    }
    return false;
}

} // namespace

class TestEmission : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void yamlFloatText_data();
    void yamlFloatText();
    void numbersReadBackWithPyYaml_data();
    void numbersReadBackWithPyYaml();
    void nonFiniteRefused_data();
    void nonFiniteRefused();
    void accelerateExtra_data();
    void accelerateExtra();
    void acceptedExtraReadsBack();
    void stepsDoNotWrap();
};

void TestEmission::yamlFloatText_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("1e-5") << 1e-5 << QStringLiteral("1.0e-05");
    QTest::newRow("1e20") << 1e20 << QStringLiteral("1.0e+20");
    QTest::newRow("many digits") << 123456789.0 << QStringLiteral("123456789.0");
    QTest::newRow("shortest repr") << 0.1 << QStringLiteral("0.1");
    QTest::newRow("17 digits") << 0.30000000000000004 << QStringLiteral("0.30000000000000004");
    QTest::newRow("integral") << 3.0 << QStringLiteral("3.0");
    QTest::newRow("negative exponent digits") << 2.5e-7 << QStringLiteral("2.5e-07");
}

void TestEmission::yamlFloatText()
{
    QFETCH(double, value);
    QFETCH(QString, text);
    QCOMPARE(yamlFloat(value), text);
}

void TestEmission::numbersReadBackWithPyYaml_data()
{
    QTest::addColumn<QString>("learningRate");
    QTest::addColumn<double>("epochs");

    QTest::newRow("walkthrough") << QStringLiteral("1.0e-4") << 3.0;
    QTest::newRow("no dot in mantissa") << QStringLiteral("1e-5") << 1.0;
    QTest::newRow("unsigned exponent") << QStringLiteral("1.0e5") << 2.0;
    QTest::newRow("plain decimal") << QStringLiteral("0.00002") << 0.5;
    QTest::newRow("capital E") << QStringLiteral("3E-4") << 1e-7;
    QTest::newRow("many epoch digits") << QStringLiteral("2e-4") << 123456.789012345;
    QTest::newRow("tiny epochs") << QStringLiteral("0.5") << 0.30000000000000004;
}

void TestEmission::numbersReadBackWithPyYaml()
{
    QFETCH(QString, learningRate);
    QFETCH(double, epochs);
    JobSpec spec = Test::walkthroughSpec();
    spec.training.learningRate = learningRate;
    spec.training.epochs = epochs;
    spec.accelerateExtra = { { QStringLiteral("dynamo_config"), QStringLiteral("{dynamo_backend: INDUCTOR}") },
        { QStringLiteral("fsdp_config.fsdp_min_num_params"), QStringLiteral("100000000") } };
    const QByteArray train = generateTrainConfig(spec);
    const QJsonObject t = pyyamlLoad(train);
    QVERIFY2(t.value(QStringLiteral("learning_rate")).isDouble(), train.constData());
    QCOMPARE(t.value(QStringLiteral("learning_rate")).toDouble(), learningRate.toDouble());
    QVERIFY2(t.value(QStringLiteral("num_train_epochs")).isDouble(), train.constData());
    QCOMPARE(t.value(QStringLiteral("num_train_epochs")).toDouble(), epochs);
    QCOMPARE(t.value(QStringLiteral("cutoff_len")).toInt(), spec.training.cutoffLen);
    QCOMPARE(t.value(QStringLiteral("model_name_or_path")).toString(), spec.training.model);

    const QByteArray accelerate = generateAccelerateConfig(spec);
    const QJsonObject a = pyyamlLoad(accelerate);
    QCOMPARE(a.value(QStringLiteral("num_processes")).toInt(), 16);
    QCOMPARE(a.value(QStringLiteral("num_machines")).toInt(), 4);
    QCOMPARE(a.value(QStringLiteral("downcast_bf16")).toString(), QStringLiteral("no"));
    QCOMPARE(a.value(QStringLiteral("dynamo_config")).toObject().value(QStringLiteral("dynamo_backend")).toString(),
        QStringLiteral("INDUCTOR"));
    const QJsonObject fsdp = a.value(QStringLiteral("fsdp_config")).toObject();
    QCOMPARE(fsdp.value(QStringLiteral("fsdp_sharding_strategy")).toString(), QStringLiteral("FULL_SHARD"));
    QCOMPARE(fsdp.value(QStringLiteral("fsdp_min_num_params")).toInt(), 100000000);
}

void TestEmission::nonFiniteRefused_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<double>("epochs");
    QTest::addColumn<double>("secondsPerStep");
    QTest::addColumn<QString>("learningRate");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("epochs nan") << QStringLiteral("training.epochs") << nan << 0.0 << QStringLiteral("1.0e-4");
    QTest::newRow("epochs inf") << QStringLiteral("training.epochs") << inf << 0.0 << QStringLiteral("1.0e-4");
    QTest::newRow("epochs beyond the loader's range")
        << QStringLiteral("training.epochs") << 1e6 << 0.0 << QStringLiteral("1.0e-4");
    QTest::newRow("sec per step inf") << QStringLiteral("training.expected_sec_per_step") << 3.0 << inf
                                      << QStringLiteral("1.0e-4");
    QTest::newRow("sec per step nan") << QStringLiteral("training.expected_sec_per_step") << 3.0 << nan
                                      << QStringLiteral("1.0e-4");
    QTest::newRow("learning rate nan") << QStringLiteral("training.learning_rate") << 3.0 << 0.0
                                       << QStringLiteral("nan");
    QTest::newRow("learning rate inf") << QStringLiteral("training.learning_rate") << 3.0 << 0.0
                                       << QStringLiteral("inf");
}

void TestEmission::nonFiniteRefused()
{
    QFETCH(QString, field);
    QFETCH(double, epochs);
    QFETCH(double, secondsPerStep);
    QFETCH(QString, learningRate);
    JobSpec spec = Test::walkthroughSpec();
    spec.training.epochs = epochs;
    spec.training.expectedSecondsPerStep = secondsPerStep;
    spec.training.learningRate = learningRate;
    const RenderedJob job = renderJob(spec, Test::baskerville());
    QVERIFY(job.hasErrors());
    QVERIFY(hasError(job.diagnostics, field, {}));
    QVERIFY(job.trainYaml.isEmpty());
}

void TestEmission::accelerateExtra_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");

    QTest::newRow("shadows num_processes") << QStringLiteral("num_processes") << QStringLiteral("1")
                                           << QStringLiteral("num_processes is written by TuneDeck");
    QTest::newRow("shadows the sharding strategy")
        << QStringLiteral("fsdp_config.fsdp_sharding_strategy") << QStringLiteral("NO_SHARD")
        << QStringLiteral("fsdp_config.fsdp_sharding_strategy is written by TuneDeck");
    QTest::newRow("shadows the FSDP section") << QStringLiteral("fsdp_config") << QStringLiteral("{}")
                                              << QStringLiteral("fsdp_config is written by TuneDeck");
    QTest::newRow("newline in the value") << QStringLiteral("dynamo_backend") << QStringLiteral("x\nnum_processes: 1")
                                          << QStringLiteral("one line of YAML");
    QTest::newRow("newline in the key") << QStringLiteral("a\nnum_processes") << QStringLiteral("1")
                                        << QStringLiteral("is not an accelerate config key");
    QTest::newRow("key with a colon") << QStringLiteral("a: b") << QStringLiteral("1")
                                      << QStringLiteral("is not an accelerate config key");
    QTest::newRow("value breaks the file") << QStringLiteral("dynamo_backend") << QStringLiteral("[unclosed")
                                           << QStringLiteral("is not a YAML value on its own");
    QTest::newRow("value adds a key") << QStringLiteral("dynamo_backend") << QStringLiteral("x, num_processes: 1}")
                                      << QStringLiteral("is not a YAML value on its own");
    QTest::newRow("nested key for the top") << QStringLiteral("fsdp_config.a.b") << QStringLiteral("1")
                                            << QStringLiteral("is not an accelerate config key");
}

void TestEmission::accelerateExtra()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, message);
    JobSpec spec = Test::walkthroughSpec();
    spec.accelerateExtra = { { key, value } };
    const RenderedJob job = renderJob(spec, Test::baskerville());
    QVERIFY(job.hasErrors());
    QVERIFY2(hasError(job.diagnostics, QStringLiteral("accelerate_extra.") + key, message),
        qPrintable(formatDiagnostic(job.diagnostics.constLast())));
    // The generator never writes it, even without validation.
    const QByteArray yaml = generateAccelerateConfig(spec);
    QCOMPARE(yaml, generateAccelerateConfig(Test::walkthroughSpec()));
}

void TestEmission::acceptedExtraReadsBack()
{
    JobSpec spec = Test::walkthroughSpec();
    spec.accelerateExtra = { { QStringLiteral("gpu_ids"), QStringLiteral("\"0,1\"") },
        { QStringLiteral("dynamo_backend"), QStringLiteral("'no'") } };
    const RenderedJob job = renderJob(spec, Test::baskerville());
    QVERIFY(!job.hasErrors());
    const QJsonObject a = pyyamlLoad(job.accelerateYaml);
    QCOMPARE(a.value(QStringLiteral("gpu_ids")).toString(), QStringLiteral("0,1"));
    QCOMPARE(a.value(QStringLiteral("dynamo_backend")).toString(), QStringLiteral("no"));
    QCOMPARE(a.size(), 18); // the 16 generated keys and the two extras
}

void TestEmission::stepsDoNotWrap()
{
    // 2e9 examples x 1e5 epochs on one GPU: 2e14 steps, not a wrapped int.
    JobSpec spec = Test::walkthroughSpec();
    spec.slurm.nodes = 1;
    spec.slurm.gpusPerNode = 1;
    spec.training.gradientAccumulation = 1;
    spec.training.datasetExamples = 2000000000;
    spec.training.epochs = 100000;
    spec.training.expectedSecondsPerStep = 1e-9; // steps before the limit: 1.08e13
    const TrainingPlan plan = planTraining(spec);
    QCOMPARE(*plan.stepsPerEpoch, qint64(2000000000));
    QCOMPARE(*plan.totalSteps, qint64(200000000000000));
    QCOMPARE(*plan.stepsBeforeTimeLimit, qint64(10800000000000));
    QVERIFY(*plan.projectedSeconds > 10800);
    // The time-limit warning is not silenced.
    bool warned = false;
    for (const Diagnostic& d : renderJob(spec, Test::baskerville()).diagnostics)
        warned = warned || (d.field == u"slurm.time" && d.message.contains(u"200000000000000 steps"));
    QVERIFY(warned);
    // Beyond qint64: saturates rather than wrapping negative.
    spec.training.expectedSecondsPerStep = 1e-300;
    QCOMPARE(*planTraining(spec).stepsBeforeTimeLimit, std::numeric_limits<qint64>::max());
}

QTEST_GUILESS_MAIN(TestEmission)
#include "tst_emission.moc"
