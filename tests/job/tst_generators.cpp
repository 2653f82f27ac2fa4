// The three generated files: golden files for representative designs, and the Done-when checks of
// issue 2 against the walkthrough's own script and accelerate config.
#include "core/job/generators.h"
#include "core/job/jobrenderer.h"
#include "core/util/slurmvalues.h"
#include "testsupport.h"
#include "walkthroughspec.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <yaml-cpp/yaml.h>

#include <map>

using namespace TuneDeck;

namespace {

JobSpec goldenSpec(const QString& name)
{
    JobSpec spec = Test::walkthroughSpec();
    if (name == u"fsdp2-a100-80") {
        spec.slurm.nodes = 2;
        spec.slurm.gpuType = QStringLiteral("a100_80");
        spec.fsdp.version = 2;
        spec.fsdp.transformerLayerClsToWrap = QStringLiteral("LlamaDecoderLayer");
        spec.training.precision = Precision::Bf16;
    } else if (name == u"resume-qlora") {
        spec.slurm.nodes = 1;
        spec.slurm.time = QStringLiteral("2-00:00:00");
        spec.slurm.jobName = QStringLiteral("exp#3 a'b");
        spec.slurm.extraDirectives = { { QStringLiteral("--mail-type"), QStringLiteral("END,FAIL") } };
        spec.environment.hfHome = QStringLiteral("/bask/projects/v/vjgo8416-llm-tune/llama-factory/cache/huggingface");
        spec.environment.installRequirements = true;
        spec.training.method = FinetuningMethod::Qlora;
        spec.training.learningRate = QStringLiteral("2e-4");
        spec.training.saveSteps = 2;
        spec.training.expectedSecondsPerStep = 600;
        spec.launch.port = 29500;
        spec.resume.enabled = true;
    }
    return spec;
}

// Flattens a YAML mapping to "key" / "parent.key" -> scalar text, for comparing key sets and values.
void flatten(const YAML::Node& node, const std::string& prefix, std::map<std::string, std::string>& out)
{
    for (const auto& entry : node) {
        const std::string key = prefix + entry.first.as<std::string>();
        if (entry.second.IsMap())
            flatten(entry.second, key + ".", out);
        else if (entry.second.IsSequence())
            out[key] = "[" + std::to_string(entry.second.size()) + "]";
        else
            out[key] = entry.second.Scalar();
    }
}

std::map<std::string, std::string> flatYaml(const QByteArray& text)
{
    std::map<std::string, std::string> out;
    flatten(YAML::Load(text.toStdString()), {}, out);
    return out;
}

// "#SBATCH --name value" / "--name=value" lines as name -> value (simple forms only: enough for the
// walkthrough's script and ours).
QMap<QString, QString> directives(const QByteArray& script)
{
    QMap<QString, QString> result;
    static const QRegularExpression line(
        QStringLiteral("^#SBATCH (--[a-z-]+)(?:[ =]\"?([^\"\n]*)\"?)?$"), QRegularExpression::MultilineOption);
    auto it = line.globalMatch(QString::fromUtf8(script));
    while (it.hasNext()) {
        const auto match = it.next();
        result.insert(match.captured(1), match.captured(2));
    }
    return result;
}

} // namespace

class TestGenerators : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void golden_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("walkthrough") << QStringLiteral("walkthrough");
        QTest::newRow("fsdp2-a100-80") << QStringLiteral("fsdp2-a100-80");
        QTest::newRow("resume-qlora") << QStringLiteral("resume-qlora");
    }
    void golden()
    {
        QFETCH(QString, name);
        const RenderedJob job = renderJob(goldenSpec(name), Test::baskerville());
        QVERIFY(!job.hasErrors());
        const QString dir = QStringLiteral(TUNEDECK_TESTDATA_DIR "/golden/") + name + u'/';
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(Test::matchesGolden(dir + QLatin1StringView(SbatchFileName), job.sbatchScript));
        QVERIFY(Test::matchesGolden(dir + QLatin1StringView(AccelerateFileName), job.accelerateYaml));
        QVERIFY(Test::matchesGolden(dir + QLatin1StringView(TrainFileName), job.trainYaml));
        // Whatever the golden files say, the script must be valid bash and shellcheck-clean.
        QTemporaryDir tmp;
        const QString script = tmp.filePath(QStringLiteral("job.sbatch"));
        Test::writeFile(script, job.sbatchScript);
        const Test::ProcessResult syntax = Test::runProgram(QStringLiteral("bash"), { QStringLiteral("-n"), script });
        QVERIFY2(syntax.exitCode == 0, syntax.err.constData());
        const Test::ProcessResult lint = Test::runProgram(QStringLiteral("shellcheck"),
            { QStringLiteral("--severity=warning"), QStringLiteral("--shell=bash"), script });
        QVERIFY2(lint.exitCode == 0, lint.out.constData());
    }

    void carriesEveryWalkthroughDirective()
    {
        // Done when: every #SBATCH setting of the walkthrough's script with the same value.
        const QByteArray theirs
            = Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/walkthrough/batch-llama3-70b-ft.sh"));
        const QMap<QString, QString> wanted = directives(theirs);
        QCOMPARE(wanted.size(), 8);
        const QByteArray ours = generateSbatchScript(Test::walkthroughSpec(), Test::baskerville());
        const QMap<QString, QString> got = directives(ours);
        for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
            QVERIFY2(got.contains(it.key()), qPrintable(it.key()));
            if (it.key() == u"--account")
                QCOMPARE(got.value(it.key()), QStringLiteral("vjgo8416-llm-tune")); // <PROJECT_ID> filled in
            else if (it.key() == u"--time")
                QCOMPARE(parseSlurmDuration(got.value(it.key())), parseSlurmDuration(it.value()));
            else
                QCOMPARE(got.value(it.key()), it.value());
        }
        // ... and the corrections: a constraint, per-job output files, recording on every node.
        QCOMPARE(got.value(QStringLiteral("--constraint")), QStringLiteral("a100_40"));
        QVERIFY(got.value(QStringLiteral("--output")).endsWith(u"/slurm-%j.out"));
        QVERIFY(got.value(QStringLiteral("--error")).endsWith(u"/slurm-%j.out"));
        QVERIFY(ours.contains("srun --overlap --ntasks-per-node=1 --gpus-per-node=4 bash -c"));
        QVERIFY(ours.contains("dmon_log=\"$TELEMETRY_DIR/dmon-$SLURM_JOB_ID-$SLURMD_NODENAME.txt\""));
        QVERIFY(ours.contains("nvidia-smi dmon -o TD -s puct -d 1 >> \"$dmon_log\""));
        QVERIFY(ours.contains("vmstat_log=\"$TELEMETRY_DIR/vmstat-$SLURM_JOB_ID-$SLURMD_NODENAME.txt\""));
        QVERIFY(ours.contains("vmstat -t 1 -y >> \"$vmstat_log\""));
        QVERIFY(ours.contains("--machine_rank \"$SLURM_PROCID\""));
        QVERIFY(ours.contains("NUM_PROCESSES=16\n"));
        QVERIFY(!ours.contains("SLURM_GPUS_PER_NODE}"));
        QVERIFY(!ours.contains("pip install")); // not inside the GPU job unless asked
        QVERIFY(!ours.contains("12340")); // the walkthrough's fixed port
    }

    void accelerateMatchesWalkthroughConfig()
    {
        const auto theirs
            = flatYaml(Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/walkthrough/config_node02gpu04.yaml")));
        // Their file is for 2 nodes x 4 GPUs in its name but sets 4 machines and 16 processes: the walkthrough's job.
        const auto ours = flatYaml(generateAccelerateConfig(Test::walkthroughSpec()));
        QCOMPARE(ours, theirs);
        QCOMPARE(ours.at("num_machines"), std::string("4"));
        QCOMPARE(ours.at("num_processes"), std::string("16"));
    }

    void accelerateFsdp2HasNoV1Keys()
    {
        JobSpec spec = goldenSpec(QStringLiteral("fsdp2-a100-80"));
        const auto config = flatYaml(generateAccelerateConfig(spec));
        QCOMPARE(config.at("fsdp_config.fsdp_version"), std::string("2"));
        QCOMPARE(config.at("fsdp_config.fsdp_reshard_after_forward"), std::string("true"));
        for (const char* v1Only : { "fsdp_config.fsdp_sharding_strategy", "fsdp_config.fsdp_backward_prefetch",
                 "fsdp_config.fsdp_forward_prefetch", "fsdp_config.fsdp_sync_module_states",
                 "fsdp_config.fsdp_use_orig_params" })
            QVERIFY2(!config.count(v1Only), v1Only);
        QCOMPARE(config.at("num_machines"), std::string("2"));
        QCOMPARE(config.at("num_processes"), std::string("8"));
    }

    void accelerateKeepsExtraKeys()
    {
        JobSpec spec = Test::walkthroughSpec();
        spec.accelerateExtra = { { QStringLiteral("dynamo_backend"), QStringLiteral("'NO'") },
            { QStringLiteral("fsdp_config.fsdp_min_num_params"), QStringLiteral("100000000") } };
        const auto config = flatYaml(generateAccelerateConfig(spec));
        QCOMPARE(config.at("dynamo_backend"), std::string("NO"));
        QCOMPARE(config.at("fsdp_config.fsdp_min_num_params"), std::string("100000000"));
    }

    void trainConfigKeys()
    {
        const auto train = flatYaml(generateTrainConfig(Test::walkthroughSpec()));
        // The keys of LLaMA-Factory's examples/train_lora/llama3_lora_sft.yaml, less overwrite_output_dir.
        for (const char* key :
            { "model_name_or_path", "trust_remote_code", "stage", "do_train", "finetuning_type", "lora_rank",
                "lora_target", "dataset", "template", "cutoff_len", "overwrite_cache", "preprocessing_num_workers",
                "dataloader_num_workers", "output_dir", "logging_steps", "save_steps", "plot_loss", "save_only_model",
                "report_to", "per_device_train_batch_size", "gradient_accumulation_steps", "learning_rate",
                "num_train_epochs", "lr_scheduler_type", "warmup_ratio", "bf16", "ddp_timeout" })
            QVERIFY2(train.count(key), key);
        QVERIFY(!train.count("overwrite_output_dir")); // it would defeat resuming from checkpoints
        QCOMPARE(train.at("output_dir"),
            std::string("/bask/projects/v/vjgo8416-llm-tune/tunedeck/runs/llama3-70b-ft/output"));
        // PyYAML reads 1e-4 as a string; we always write a mantissa with a dot (and Python's two-digit exponent).
        JobSpec spec = Test::walkthroughSpec();
        spec.training.learningRate = QStringLiteral("1e-4");
        QVERIFY(generateTrainConfig(spec).contains("learning_rate: 1.0e-04\n"));
    }

    void userTextIsQuotedInYaml()
    {
        JobSpec spec = Test::walkthroughSpec();
        spec.training.model = QStringLiteral("/models/my model: \"v2\" # test");
        spec.training.datasetDir = QStringLiteral("yes");
        const auto train = flatYaml(generateTrainConfig(spec));
        QCOMPARE(train.at("model_name_or_path"), spec.training.model.toStdString());
        QCOMPARE(train.at("dataset_dir"), std::string("yes"));
        QVERIFY(generateTrainConfig(spec).contains("dataset_dir: \"yes\"\n"));
    }
};

QTEST_GUILESS_MAIN(TestGenerators)
#include "tst_generators.moc"
