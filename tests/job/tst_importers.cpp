// The importers: sbatch's own directive rules, every GPU request form, accelerate configs as found in
// the wild, LLaMA-Factory YAMLs, real-world files, and generate -> import -> generate as a fixed point.
#include "core/job/accelerateimporter.h"
#include "core/job/generators.h"
#include "core/job/importresult.h"
#include "core/job/jobspecio.h"
#include "core/job/sbatchimporter.h"
#include "core/job/trainimporter.h"
#include "testsupport.h"
#include "walkthroughspec.h"

#include <QTest>

using namespace TuneDeck;

Q_DECLARE_METATYPE(TuneDeck::JobSpec)

namespace {

QString dataPath(const QString& relative)
{
    return QStringLiteral(TUNEDECK_TESTDATA_DIR "/import/") + relative;
}

QString joined(const QList<ImportMessage>& messages)
{
    QStringList lines;
    for (const ImportMessage& message : messages)
        lines.append(message.toString());
    return lines.join(u'\n');
}

QString extras(const QList<QPair<QString, QString>>& pairs)
{
    QStringList items;
    for (const auto& [key, value] : pairs)
        items.append(key + u'=' + value);
    return items.join(u';');
}

ImportResult importScript(const QByteArray& script)
{
    ImportResult result;
    importSbatchScript(script, QStringLiteral("job.sh"), Test::baskerville(), result);
    return result;
}

ImportResult importAccelerate(const QByteArray& yaml)
{
    ImportResult result;
    importAccelerateConfig(yaml, QStringLiteral("accelerate.yaml"), result);
    return result;
}

struct GeneratedFiles
{
    QByteArray script;
    QByteArray accelerate;
    QByteArray train;
};

GeneratedFiles generate(const JobSpec& spec)
{
    const ClusterProfile profile = Test::baskerville();
    return { generateSbatchScript(spec, profile), generateAccelerateConfig(spec), generateTrainConfig(spec) };
}

ImportResult importGenerated(const GeneratedFiles& files)
{
    // Given in an order other than the importer's, which sorts them by kind itself.
    return importJobFiles(
        { { QStringLiteral("train.yaml"), files.train }, { QStringLiteral("accelerate.yaml"), files.accelerate },
            { QStringLiteral("job.sbatch"), files.script } },
        Test::baskerville());
}

// The lines that differ, for a readable failure message.
QByteArray lineDiff(const QByteArray& actual, const QByteArray& expected)
{
    const QList<QByteArray> a = actual.split('\n');
    const QList<QByteArray> e = expected.split('\n');
    QByteArray diff;
    for (qsizetype i = 0; i < std::max(a.size(), e.size()); ++i) {
        const QByteArray left = a.value(i);
        const QByteArray right = e.value(i);
        if (left != right)
            diff += "line " + QByteArray::number(i + 1) + ": got '" + left + "', expected '" + right + "'\n";
    }
    return diff;
}

#define COMPARE_TEXT(actual, expected)                                                                                 \
    do {                                                                                                               \
        const QByteArray a_ = (actual);                                                                                \
        const QByteArray e_ = (expected);                                                                              \
        QVERIFY2(a_ == e_, lineDiff(a_, e_).constData());                                                              \
    } while (false)

bool hasNote(const ImportResult& result, const QString& part)
{
    for (const ImportMessage& note : result.notes) {
        if (note.toString().contains(part))
            return true;
    }
    return false;
}

} // namespace

class TestImporters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void directives_data();
    void directives();
    void options_data();
    void options();
    void scriptBody();
    void walkthrough();
    void crossFileConflicts();
    void fixedPoint_data();
    void fixedPoint();
    void accelerate_data();
    void accelerate();
    void accelerateExtrasRoundTrip();
    void train_data();
    void train();
    void realWorld_data();
    void realWorld();
    void detectKind_data();
    void detectKind();
    void malformed_data();
    void malformed();
};

// ---------------------------------------------------------------------------------------------------
// sbatch's parser (src/sbatch/opt.c): which lines count, and how a line splits into words.

void TestImporters::directives_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("words"); // '|'-separated
    QTest::addColumn<int>("errors");
    QTest::addColumn<int>("bodyLine");

    QTest::newRow("plain") << QStringLiteral("#!/bin/bash\n#SBATCH --nodes 4\n#SBATCH -t 1:00:00\necho hi\n")
                           << QStringLiteral("--nodes|4|-t|1:00:00") << 0 << 4;
    QTest::newRow("##SBATCH and # SBATCH are comments")
        << QStringLiteral("##SBATCH --nodes 4\n# SBATCH --qos x\n #SBATCH -N 3\n#SBATCH -N 2\ntrue\n")
        << QStringLiteral("-N|2") << 0 << 5;
    QTest::newRow("directives end at the first command")
        << QStringLiteral("#SBATCH -N 1\nmodule load x\n#SBATCH -N 8\n") << QStringLiteral("-N|1") << 0 << 2;
    QTest::newRow("blank and comment lines in between")
        << QStringLiteral("#!/bin/bash -l\n\n# a comment\n   \n#SBATCH -N 2\n   # indented\n\t\n#SBATCH -J a\nsrun x\n")
        << QStringLiteral("-N|2|-J|a") << 0 << 9;
    QTest::newRow("quotes group") << QStringLiteral("#SBATCH --job-name=\"a b\" --comment='c d'\n")
                                  << QStringLiteral("--job-name=a b|--comment=c d") << 0 << 0;
    QTest::newRow("unquoted # starts a comment")
        << QStringLiteral("#SBATCH --job-name=exp#3\n") << QStringLiteral("--job-name=exp") << 0 << 0;
    QTest::newRow("quoted # is kept") << QStringLiteral("#SBATCH --job-name=\"exp#3\"\n")
                                      << QStringLiteral("--job-name=exp#3") << 0 << 0;
    QTest::newRow("trailing comment") << QStringLiteral("#SBATCH --nodes=4      # four nodes, 16 GPUs\n")
                                      << QStringLiteral("--nodes=4") << 0 << 0;
    QTest::newRow("no blank after #SBATCH") << QStringLiteral("#SBATCH\t-N\t2\n") << QStringLiteral("-N|2") << 0 << 0;
    // sbatch tests for a blank before it looks at the escape, so "\ " does not keep a word together.
    QTest::newRow("backslash escapes") << QStringLiteral("#SBATCH --job-name=a\\ b\\\"c\\#d\n")
                                       << QStringLiteral("--job-name=a|b\"c#d") << 0 << 0;
    QTest::newRow("backslash inside double quotes") << QStringLiteral("#SBATCH --job-name=\"x\\\"; touch pwned #\"\n")
                                                    << QStringLiteral("--job-name=x\"; touch pwned #") << 0 << 0;
    QTest::newRow("single quote inside double")
        << QStringLiteral("#SBATCH --job-name=\"a'b\"\n") << QStringLiteral("--job-name=a'b") << 0 << 0;
    QTest::newRow("dollar is literal") << QStringLiteral("#SBATCH --job-name=\"a$(id)b\"\n")
                                       << QStringLiteral("--job-name=a$(id)b") << 0 << 0;
    QTest::newRow("CRLF line ends: sbatch refuses the script")
        << QStringLiteral("#SBATCH -N 2\r\n#SBATCH -J x\r\n\r\nsrun y\r\n") << QString() << 1 << 0;
    QTest::newRow("unicode") << QStringLiteral("#SBATCH --job-name=\"Llama ünï ✓\"\n")
                             << QStringLiteral("--job-name=Llama ünï ✓") << 0 << 0;
    QTest::newRow("empty quoted word ends the line")
        << QStringLiteral("#SBATCH -J \"\" -N 4\n") << QStringLiteral("-J") << 0 << 0;
    QTest::newRow("legacy #SLURM") << QStringLiteral("#SLURM -N 3\n") << QStringLiteral("-N|3") << 0 << 0;
    QTest::newRow("hetjob: first component only")
        << QStringLiteral("#SBATCH -N 1\n#SBATCH hetjob\n#SBATCH -N 2\n") << QStringLiteral("-N|1") << 0 << 0;
    QTest::newRow("unmatched quote") << QStringLiteral("#SBATCH --job-name=\"abc\n") << QString() << 1 << 0;
    QTest::newRow("leading colon") << QStringLiteral("#SBATCH :x\n") << QString() << 1 << 0;
}

void TestImporters::directives()
{
    QFETCH(QString, script);
    QFETCH(QString, words);
    QFETCH(int, errors);
    QFETCH(int, bodyLine);
    const SbatchDirectives directives = readSbatchDirectives(script, QStringLiteral("job.sh"));
    QStringList texts;
    for (const SbatchArgument& argument : directives.arguments)
        texts.append(argument.text);
    QCOMPARE(texts.join(u'|'), words);
    QCOMPARE(directives.errors.size(), errors);
    QCOMPARE(directives.bodyLine, bodyLine);
    for (const ImportMessage& error : directives.errors)
        QVERIFY2(error.toString().startsWith(u"job.sh:1: "), qPrintable(error.toString()));
}

// ---------------------------------------------------------------------------------------------------

void TestImporters::options_data()
{
    QTest::addColumn<QString>("directives"); // #SBATCH lines without the prefix, one per line
    QTest::addColumn<int>("nodes");
    QTest::addColumn<int>("gpusPerNode");
    QTest::addColumn<QString>("gpuType");
    QTest::addColumn<QString>("other"); // "field=value;..." of further expectations
    QTest::addColumn<QString>("extra"); // extra directives
    QTest::addColumn<QString>("note"); // a note that must be there (empty: none expected in particular)

    QTest::newRow("long with space") << QStringLiteral("--nodes 4\n--gpus-per-node 4\n--time 3:00:0\n--mem 491520") << 4
                                     << 4 << QStringLiteral("a100_40") << QStringLiteral("time=3:00:0;mem=491520")
                                     << QString() << QStringLiteral("no --constraint");
    QTest::newRow("long with =") << QStringLiteral("--nodes=2\n--gpus-per-node=2\n--account=proj\n--qos=turing") << 2
                                 << 2 << QStringLiteral("a100_40") << QStringLiteral("account=proj;qos=turing")
                                 << QString() << QString();
    QTest::newRow("short forms") << QStringLiteral(
        "-N 2\n-t 2:00:00\n-A proj\n-q turing\n-J short\n-C a100_80\n-p gpu\n-G 8\n-c 9")
                                 << 2 << 4 << QStringLiteral("a100_80")
                                 << QStringLiteral(
                                        "time=2:00:00;account=proj;qos=turing;job=short;partition=gpu;cpus=9")
                                 << QString() << QStringLiteral("--gpus=8 on 2 nodes");
    QTest::newRow("short glued") << QStringLiteral("-N4 -Aproj") << 4 << 4 << QStringLiteral("a100_40")
                                 << QStringLiteral("account=proj") << QString() << QString();
    QTest::newRow("gres count") << QStringLiteral("--nodes=2\n--gres=gpu:3") << 2 << 3 << QStringLiteral("a100_40")
                                << QString() << QString() << QString();
    QTest::newRow("gres typed, unknown type")
        << QStringLiteral("--nodes=2\n--gres=gpu:a100:4") << 2 << 4 << QStringLiteral("a100_40") << QString()
        << QString() << QStringLiteral("GPU type 'a100' is not one of Baskerville's");
    QTest::newRow("gres typed, profile type") << QStringLiteral("--gres=gpu:a100_80:2") << 1 << 2
                                              << QStringLiteral("a100_80") << QString() << QString() << QString();
    QTest::newRow("gres with other resources")
        << QStringLiteral("--gres=gpu:4,nvme:1") << 1 << 4 << QStringLiteral("a100_40") << QString()
        << QStringLiteral("--gres=nvme:1") << QString();
    QTest::newRow("gpus over nodes") << QStringLiteral("--nodes=2 --gpus=8") << 2 << 4 << QStringLiteral("a100_40")
                                     << QString() << QString() << QStringLiteral("SLURM_GPUS_PER_NODE is unset");
    QTest::newRow("gpus over nodes, not divisible")
        << QStringLiteral("--nodes=3 --gpus=8") << 3 << 2 << QStringLiteral("a100_40") << QString() << QString()
        << QStringLiteral("does not divide over 3 nodes");
    QTest::newRow("gpus-per-task x ntasks-per-node")
        << QStringLiteral("--nodes=2\n--ntasks-per-node=4\n--gpus-per-task=1") << 2 << 4 << QStringLiteral("a100_40")
        << QString() << QString() << QStringLiteral("TuneDeck runs one task per node");
    QTest::newRow("gres and gpus-per-node disagree")
        << QStringLiteral("--gpus-per-node=4\n--gres=gpu:2") << 1 << 4 << QStringLiteral("a100_40") << QString()
        << QString() << QStringLiteral("gave 4; keeping 4");
    QTest::newRow("typed gpus-per-node") << QStringLiteral("--gpus-per-node=a100_80:2") << 1 << 2
                                         << QStringLiteral("a100_80") << QString() << QString() << QString();
    QTest::newRow("constraint") << QStringLiteral("--constraint=a100_80") << 1 << 4 << QStringLiteral("a100_80")
                                << QString() << QString() << QString();
    QTest::newRow("constraint not a GPU type")
        << QStringLiteral("--constraint=\"skylake&ib\"") << 1 << 4 << QStringLiteral("a100_40") << QString()
        << QString() << QStringLiteral("--constraint=skylake&ib is not a GPU type");
    QTest::newRow("abbreviated option") << QStringLiteral("--gpus-per-n=2") << 1 << 2 << QStringLiteral("a100_40")
                                        << QString() << QString()
                                        << QStringLiteral("--gpus-per-n is read as --gpus-per-node");
    QTest::newRow("node range") << QStringLiteral("--nodes=2-4") << 2 << 4 << QStringLiteral("a100_40") << QString()
                                << QString() << QStringLiteral("uses the minimum, 2");
    QTest::newRow("memory with suffix") << QStringLiteral("--mem=480G") << 1 << 4 << QStringLiteral("a100_40")
                                        << QStringLiteral("mem=480G") << QString() << QString();
    QTest::newRow("extra directives kept")
        << QStringLiteral("--mail-type=END,FAIL\n--exclusive\n--mail-user \"me@example.org\"\n-H") << 1 << 4
        << QStringLiteral("a100_40") << QString()
        << QStringLiteral("--mail-type=END,FAIL;--exclusive=;--mail-user=me@example.org;--hold=")
        << QStringLiteral("--mail-type=END,FAIL is not modelled by TuneDeck; kept as an extra directive");
    QTest::newRow("plugin option kept") << QStringLiteral("--container-image nvcr.io/nvidia/pytorch:24.01-py3") << 1
                                        << 4 << QStringLiteral("a100_40") << QString()
                                        << QStringLiteral("--container-image=nvcr.io/nvidia/pytorch:24.01-py3")
                                        << QStringLiteral("is an option of the pyxis plugin");
    QTest::newRow("output replaced") << QStringLiteral("--output=logs/%x-%j.out\n-e logs/%x-%j.err") << 1 << 4
                                     << QStringLiteral("a100_40") << QString() << QString()
                                     << QStringLiteral(
                                            "--output=logs/%x-%j.out is replaced by TuneDeck's run directory");
    QTest::newRow("later value wins") << QStringLiteral("-N 2\n--nodes=3") << 3 << 4 << QStringLiteral("a100_40")
                                      << QString() << QString() << QStringLiteral("the later value '3' wins");
    QTest::newRow("resume pattern") << QStringLiteral("--signal=B:USR1@900\n--requeue\n--open-mode=append") << 1 << 4
                                    << QStringLiteral("a100_40") << QStringLiteral("resume=true;lead=900") << QString()
                                    << QString();
    QTest::newRow("signal without requeue")
        << QStringLiteral("--signal=USR2@60") << 1 << 4 << QStringLiteral("a100_40") << QStringLiteral("resume=false")
        << QString() << QStringLiteral("--signal=USR2@60 is not carried over");
    QTest::newRow("mem-per-gpu") << QStringLiteral("--mem-per-gpu=100G") << 1 << 4 << QStringLiteral("a100_40")
                                 << QStringLiteral("mem=491520") << QString()
                                 << QStringLiteral("--mem-per-gpu=100G is not carried over");
}

void TestImporters::options()
{
    QFETCH(QString, directives);
    QFETCH(int, nodes);
    QFETCH(int, gpusPerNode);
    QFETCH(QString, gpuType);
    QFETCH(QString, other);
    QFETCH(QString, extra);
    QFETCH(QString, note);

    QString script = QStringLiteral("#!/bin/bash\n");
    for (const QString& line : directives.split(u'\n'))
        script += QStringLiteral("#SBATCH ") + line + u'\n';
    script += QStringLiteral("srun hostname\n");
    const ImportResult result = importScript(script.toUtf8());
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    const SlurmSettings& s = result.spec.slurm;
    QCOMPARE(s.nodes, nodes);
    QCOMPARE(s.gpusPerNode, gpusPerNode);
    QCOMPARE(s.gpuType, gpuType);
    QCOMPARE(extras(s.extraDirectives), extra);
    for (const QString& expectation : other.split(u';', Qt::SkipEmptyParts)) {
        const QString key = expectation.section(u'=', 0, 0);
        const QString value = expectation.section(u'=', 1);
        const QHash<QString, QString> actual { { QStringLiteral("time"), s.time }, { QStringLiteral("mem"), s.mem },
            { QStringLiteral("account"), s.account }, { QStringLiteral("qos"), s.qos },
            { QStringLiteral("job"), s.jobName }, { QStringLiteral("partition"), s.partition },
            { QStringLiteral("cpus"), QString::number(s.cpusPerTask) },
            { QStringLiteral("resume"), result.spec.resume.enabled ? QStringLiteral("true") : QStringLiteral("false") },
            { QStringLiteral("lead"), QString::number(result.spec.resume.signalLeadSeconds) } };
        QCOMPARE(actual.value(key), value);
    }
    if (!note.isEmpty())
        QVERIFY2(hasNote(result, note), qPrintable(joined(result.notes)));
}

void TestImporters::scriptBody()
{
    // Directives after the first command, module lines, a venv by variable, a heredoc, exports TuneDeck
    // does not model, conda: each is either imported or reported, with its line.
    const QByteArray script = "#!/bin/bash\n"
                              "#SBATCH -N 2\n"
                              "#SBATCH --gpus-per-node=4\n"
                              "set -euo pipefail\n"
                              "#SBATCH --time=1:00:00\n"
                              "module purge\n"
                              "module load baskerville bask-apps/live\n"
                              "ml PyTorch/2.1.2-foss-2022b-CUDA-11.8.0\n"
                              "export NCCL_DEBUG=INFO\n"
                              "export HF_HOME=/scratch/hf\n"
                              "WORK=/bask/projects/p/proj/lf\n"
                              "cd \"$WORK\"\n"
                              "source \"$WORK/.venv/bin/activate\"\n"
                              "cat > ds.json <<EOF\n"
                              "{ \"zero_optimization\": 3 }\n"
                              "EOF\n"
                              "export MASTER_PORT=29500\n"
                              "srun --ntasks-per-node=1 accelerate launch --config_file cfg/fsdp.yaml \\\n"
                              "    --num_machines 2 --num_processes 8 --rdzv_backend c10d \\\n"
                              "    src/train.py cfg/train.yaml\n";
    const ImportResult result = importScript(script);
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    const JobSpec& spec = result.spec;
    QCOMPARE(spec.slurm.time, QStringLiteral("3:00:00")); // the late directive is ignored, as by sbatch
    QVERIFY(hasNote(result, QStringLiteral("job.sh:5: #SBATCH after the first command (line 4)")));
    QCOMPARE(spec.environment.modules,
        QStringList({ QStringLiteral("baskerville"), QStringLiteral("bask-apps/live"),
            QStringLiteral("PyTorch/2.1.2-foss-2022b-CUDA-11.8.0") }));
    QCOMPARE(spec.environment.hfHome, QStringLiteral("/scratch/hf"));
    QCOMPARE(spec.environment.llamaFactoryDir, QStringLiteral("/bask/projects/p/proj/lf"));
    QCOMPARE(spec.environment.venv, QStringLiteral("/bask/projects/p/proj/lf/.venv"));
    QCOMPARE(spec.launch.port, 29500);
    QCOMPARE(result.referencedAccelerateConfig, QStringLiteral("/bask/projects/p/proj/lf/cfg/fsdp.yaml"));
    QCOMPARE(result.referencedTrainConfig, QStringLiteral("/bask/projects/p/proj/lf/cfg/train.yaml"));
    QVERIFY(hasNote(result, QStringLiteral("job.sh:9: not carried over: `export NCCL_DEBUG=INFO`")));
    QVERIFY(hasNote(result, QStringLiteral("job.sh:4: not carried over: `set -euo pipefail`")));
    QVERIFY(hasNote(result, QStringLiteral("job.sh:14: here-document (lines 15-16)")));
    QVERIFY(hasNote(result, QStringLiteral("job.sh:18: accelerate launch --rdzv_backend c10d is not carried over")));
    QVERIFY(!hasNote(result, QStringLiteral("--num_processes"))); // 2 x 4 = 8 matches
}

void TestImporters::walkthrough()
{
    const QByteArray script = Test::readFile(dataPath(QStringLiteral("walkthrough/batch-llama3-70b-ft.sh")));
    const QByteArray config = Test::readFile(dataPath(QStringLiteral("walkthrough/config_node02gpu04.yaml")));
    const ImportResult result = importJobFiles(
        { { QStringLiteral("batch-llama3-70b-ft.sh"), script }, { QStringLiteral("config_node02gpu04.yaml"), config } },
        Test::baskerville());
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    const JobSpec& spec = result.spec;
    QCOMPARE(spec.slurm.nodes, 4);
    QCOMPARE(spec.slurm.gpusPerNode, 4);
    QCOMPARE(spec.slurm.mem, QStringLiteral("491520"));
    QCOMPARE(spec.slurm.time, QStringLiteral("3:00:0"));
    QCOMPARE(spec.slurm.qos, QStringLiteral("turing"));
    QCOMPARE(spec.slurm.account, QStringLiteral("vjgo8416-llm-tune"));
    QCOMPARE(spec.slurm.jobName, QStringLiteral("llama3-70b-ft"));
    QCOMPARE(spec.slurm.gpuType, QStringLiteral("a100_40"));
    QVERIFY(spec.slurm.extraDirectives.isEmpty());
    // The three module lines are Baskerville's own, so the spec follows the profile's (empty list).
    QVERIFY(spec.environment.modules.isEmpty());
    QCOMPARE(Test::baskerville().modules,
        QStringList({ QStringLiteral("baskerville"), QStringLiteral("bask-apps/live"),
            QStringLiteral("PyTorch/2.1.2-foss-2022b-CUDA-11.8.0") }));
    QVERIFY(generateSbatchScript(spec, Test::baskerville())
                .contains("module purge\nmodule load baskerville\nmodule load bask-apps/live\n"
                          "module load PyTorch/2.1.2-foss-2022b-CUDA-11.8.0\n"));
    QCOMPARE(spec.environment.projectPath, QStringLiteral("/bask/projects/v/vjgo8416-llm-tune"));
    // The checkout and its ./venv are where TuneDeck looks by default, so they follow the project path.
    QCOMPARE(spec.environment.llamaFactoryDir, QString());
    QCOMPARE(spec.environment.venv, QString());
    QCOMPARE(
        effectiveVenv(spec), QStringLiteral("/bask/projects/v/vjgo8416-llm-tune/llama-factory/LLaMA-Factory/venv"));
    QVERIFY(spec.environment.installRequirements);
    QCOMPARE(spec.launch.port, 12340);
    QCOMPARE(result.referencedAccelerateConfig,
        QStringLiteral("/bask/projects/v/vjgo8416-llm-tune/llama-factory/config_node02gpu04.yaml"));
    QCOMPARE(result.referencedTrainConfig,
        QStringLiteral("/bask/projects/v/vjgo8416-llm-tune/llama-factory/LLaMA-Factory/examples/train_lora/"
                       "llama3_lora_sft_70b.yaml"));
    // FSDP1, the walkthrough's key set.
    QCOMPARE(spec.fsdp.version, 1);
    QCOMPARE(spec.fsdp.shardingStrategy, QStringLiteral("FULL_SHARD"));
    QCOMPARE(spec.fsdp.backwardPrefetch, QStringLiteral("BACKWARD_PRE"));
    QCOMPARE(spec.fsdp.stateDictType, QStringLiteral("SHARDED_STATE_DICT"));
    QCOMPARE(spec.fsdp.autoWrapPolicy, QStringLiteral("TRANSFORMER_BASED_WRAP"));
    QVERIFY(spec.fsdp.cpuRamEfficientLoading);
    QVERIFY(spec.fsdp.syncModuleStates);
    QVERIFY(spec.fsdp.useOrigParams);
    QVERIFY(!spec.fsdp.offloadParams);
    QVERIFY(!spec.fsdp.activationCheckpointing);
    QVERIFY(!spec.fsdp.forwardPrefetch);
    QCOMPARE(spec.training.precision, Precision::Bf16);
    QVERIFY(spec.accelerateExtra.isEmpty());
    // What the walkthrough does that TuneDeck does differently is reported, with lines.
    QVERIFY(hasNote(result, QStringLiteral("batch-llama3-70b-ft.sh:39: NUM_PROCESSES from SLURM_GPUS_PER_NODE")));
    QVERIFY(hasNote(result,
        QStringLiteral(
            "batch-llama3-70b-ft.sh:48: `nvidia-smi dmon -o TD -s puct -d 1 > dmon.txt` is not carried over")));
    QVERIFY(hasNote(result, QStringLiteral("batch-llama3-70b-ft.sh:37: fixed port 12340")));
    QVERIFY(hasNote(result, QStringLiteral("batch-llama3-70b-ft.sh: no --constraint")));
    // No note about the accelerate config itself: it is exactly what TuneDeck writes for FSDP1.
    for (const ImportMessage& note : result.notes)
        QVERIFY2(note.file != u"config_node02gpu04.yaml", qPrintable(note.toString()));

    // And TuneDeck's accelerate config for it has the same keys and values.
    QCOMPARE(generateAccelerateConfig(spec), config);
}

void TestImporters::crossFileConflicts()
{
    // The script asks for 4 x 4 GPUs, the accelerate config was written for 2 x 4 and fp16, the training
    // YAML trains in bf16: the script's resources and the trainer's precision win, the rest is reported.
    const QByteArray script = "#!/bin/bash\n#SBATCH -N 4\n#SBATCH --gpus-per-node=4\nsrun true\n";
    const QByteArray accelerate = "distributed_type: FSDP\nmixed_precision: fp16\nnum_machines: 2\nnum_processes: 8\n";
    const QByteArray train = "model_name_or_path: m\nbf16: true\n";
    const ImportResult result
        = importJobFiles({ { QStringLiteral("accelerate.yaml"), accelerate }, { QStringLiteral("train.yaml"), train },
                             { QStringLiteral("job.sh"), script } },
            Test::baskerville());
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    QCOMPARE(result.spec.slurm.nodes, 4);
    QCOMPARE(result.spec.slurm.gpusPerNode, 4);
    QCOMPARE(result.spec.training.precision, Precision::Bf16);
    QVERIFY2(hasNote(result, QStringLiteral("accelerate.yaml:3: slurm.nodes: this file says '2' but job.sh:2 set '4'")),
        qPrintable(joined(result.notes)));
    QVERIFY2(hasNote(result,
                 QStringLiteral("accelerate.yaml:4: slurm.gpus_per_node: this file says '2' but job.sh:3 set '4'")),
        qPrintable(joined(result.notes)));
    QVERIFY2(hasNote(result,
                 QStringLiteral("accelerate.yaml:2: training.precision: this file says 'fp16' but train.yaml:2 set "
                                "'bf16'; keeping 'bf16'")),
        qPrintable(joined(result.notes)));
}

// ---------------------------------------------------------------------------------------------------
// Generate -> import -> generate gives the same three files.

void TestImporters::fixedPoint_data()
{
    QTest::addColumn<JobSpec>("spec");
    const JobSpec base = Test::walkthroughSpec();
    QTest::newRow("walkthrough") << base;
    {
        JobSpec spec = base;
        spec.slurm.nodes = 2;
        spec.slurm.gpuType = QStringLiteral("a100_80");
        spec.fsdp.version = 2;
        spec.fsdp.reshardAfterForward = false;
        spec.fsdp.transformerLayerClsToWrap = QStringLiteral("LlamaDecoderLayer");
        spec.fsdp.activationCheckpointing = true;
        spec.fsdp.stateDictType = QStringLiteral("FULL_STATE_DICT");
        QTest::newRow("fsdp2") << spec;
    }
    {
        JobSpec spec = base;
        spec.slurm.nodes = 1;
        spec.slurm.time = QStringLiteral("2-00:00:00");
        spec.resume.enabled = true;
        spec.resume.signalLeadSeconds = 900;
        spec.resume.maxRestarts = 5;
        spec.environment.installRequirements = true;
        spec.environment.hfHome = QStringLiteral("/bask/projects/v/vjgo8416-llm-tune/cache/hf");
        spec.training.method = FinetuningMethod::Qlora;
        spec.training.quantizationBit = 8;
        spec.training.learningRate = QStringLiteral("2e-4");
        spec.training.saveSteps = 2;
        spec.launch.port = 29500;
        QTest::newRow("resume") << spec;
    }
    {
        JobSpec spec = base;
        spec.slurm.extraDirectives = { { QStringLiteral("--mail-type"), QStringLiteral("END,FAIL") },
            { QStringLiteral("--exclusive"), QString() },
            { QStringLiteral("--comment"), QStringLiteral("two words # and \"quotes\"") } };
        spec.slurm.partition = QStringLiteral("gpu");
        spec.slurm.cpusPerTask = 36;
        spec.accelerateExtra = { { QStringLiteral("dynamo_config"), QStringLiteral("{dynamo_backend: INDUCTOR}") },
            { QStringLiteral("fsdp_config.fsdp_min_num_params"), QStringLiteral("100000000") } };
        QTest::newRow("extra directives and keys") << spec;
    }
    {
        JobSpec spec = base;
        spec.environment.runDir = QStringLiteral("/scratch/me/runs/one");
        spec.environment.llamaFactoryDir = QStringLiteral("/opt/LLaMA-Factory");
        spec.environment.venv = QStringLiteral("/home/me/venvs/lf");
        spec.environment.modules = { QStringLiteral("CUDA/12.1"), QStringLiteral("Python/3.11") };
        spec.training.method = FinetuningMethod::Full;
        spec.training.precision = Precision::Fp16;
        spec.training.gradientCheckpointing = false;
        spec.training.datasetDir = QStringLiteral("/data/sets");
        spec.training.epochs = 2.5;
        spec.training.outputDir = QStringLiteral("/scratch/me/out");
        spec.slurm.mem = QStringLiteral("480G");
        QTest::newRow("own paths, full, fp16") << spec;
    }
    const QStringList names { QStringLiteral("exp#3"), QStringLiteral("a'b"), QStringLiteral("x'; touch pwned #"),
        QStringLiteral("a$(id)b"), QStringLiteral("`id`"), QStringLiteral("-leading"), QStringLiteral("Llama ünï 70B"),
        QStringLiteral("back\\slash") };
    for (const QString& name : names) {
        JobSpec spec = base;
        spec.slurm.jobName = name;
        QTest::newRow(qPrintable(QStringLiteral("job name %1").arg(name))) << spec;
    }
}

void TestImporters::fixedPoint()
{
    QFETCH(JobSpec, spec);
    const GeneratedFiles first = generate(spec);
    const ImportResult imported = importGenerated(first);
    QVERIFY2(imported.ok(), qPrintable(joined(imported.errors)));
    const GeneratedFiles second = generate(imported.spec);
    COMPARE_TEXT(second.script, first.script);
    COMPARE_TEXT(second.accelerate, first.accelerate);
    COMPARE_TEXT(second.train, first.train);

    // The spec itself comes back, apart from what no file carries (estimates for validation) and the
    // learning rate's spelling, which the generator normalises for PyYAML.
    JobSpec expected = spec;
    expected.training.learningRate = imported.spec.training.learningRate;
    expected.training.datasetExamples = imported.spec.training.datasetExamples;
    expected.training.modelParamsBillions = imported.spec.training.modelParamsBillions;
    expected.training.expectedSecondsPerStep = imported.spec.training.expectedSecondsPerStep;
    COMPARE_TEXT(saveJobSpecToYaml(imported.spec), saveJobSpecToYaml(expected));
    // And a second round changes nothing.
    const ImportResult again = importGenerated(second);
    COMPARE_TEXT(saveJobSpecToYaml(again.spec), saveJobSpecToYaml(imported.spec));

    // TuneDeck's own files need no notes, except for the extra directives and keys they carry.
    for (const ImportMessage& note : imported.notes)
        QVERIFY2(note.text.contains(u"kept as") || note.text.startsWith(u"environment.project_path is"),
            qPrintable(note.toString()));
}

// ---------------------------------------------------------------------------------------------------

void TestImporters::accelerate_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expect"); // "field=value;..."
    QTest::addColumn<QString>("extra");
    QTest::addColumn<QString>("note");

    QTest::newRow("fsdp1 walkthrough") << QStringLiteral("cases/fsdp1-walkthrough.yaml")
                                       << QStringLiteral("nodes=4;gpus=4;version=1;strategy=FULL_SHARD;precision=bf16")
                                       << QString() << QString();
    QTest::newRow("fsdp2") << QStringLiteral("cases/fsdp2.yaml")
                           << QStringLiteral("nodes=2;gpus=8;version=2;reshard=true;cls=LlamaDecoderLayer;ac=true")
                           << QString() << QString();
    QTest::newRow("fsdp2 with v1 keys") << QStringLiteral("cases/fsdp2-with-v1-keys.yaml")
                                        << QStringLiteral("version=2;strategy=FULL_SHARD") << QString()
                                        << QStringLiteral("accelerate.yaml:6: fsdp_config.fsdp_sharding_strategy: "
                                                          "HYBRID_SHARD is an FSDP1 setting");
    QTest::newRow("legacy integer strategy")
        << QStringLiteral("cases/legacy-integer.yaml")
        << QStringLiteral("strategy=SHARD_GRAD_OP;prefetch=BACKWARD_POST") << QString()
        << QStringLiteral("accelerate.yaml:9: fsdp_config.fsdp_sharding_strategy: legacy number 2 is SHARD_GRAD_OP");
    QTest::newRow("legacy prefetch policy")
        << QStringLiteral("cases/legacy-integer.yaml") << QStringLiteral("prefetch=BACKWARD_POST") << QString()
        << QStringLiteral("fsdp_backward_prefetch_policy is the old name of fsdp_backward_prefetch");
    QTest::newRow("hybrid shard zero2 by number")
        << QStringLiteral("cases/hybrid-zero2.yaml") << QStringLiteral("strategy=HYBRID_SHARD_ZERO2;nodes=4;gpus=8")
        << QString() << QString();
    QTest::newRow("quoted NO, odd spacing, comments, no final newline")
        << QStringLiteral("cases/messy.yaml") << QStringLiteral("precision=fp32;nodes=2;gpus=4;offload=true")
        << QStringLiteral("dynamo_config={dynamo_backend: \"NO\"}") << QStringLiteral("rdzv_backend: c10d is replaced");
    QTest::newRow("deepspeed zero3") << QStringLiteral("cases/deepspeed-zero3.yaml")
                                     << QStringLiteral("strategy=FULL_SHARD;offload=true;nodes=2;gpus=8") << QString()
                                     << QStringLiteral("distributed_type DEEPSPEED: TuneDeck generates FSDP only");
    QTest::newRow("deepspeed settings reported")
        << QStringLiteral("cases/deepspeed-zero3.yaml") << QString() << QString()
        << QStringLiteral("deepspeed_config.zero3_init_flag: true is a DeepSpeed setting; not carried over");
    QTest::newRow("multi gpu") << QStringLiteral("cases/multi-gpu.yaml")
                               << QStringLiteral("nodes=1;gpus=4;precision=fp16") << QString()
                               << QStringLiteral("MULTI_GPU (DDP)");
    QTest::newRow("fsdp without fsdp_config")
        << QStringLiteral("cases/not-divisible.yaml") << QStringLiteral("strategy=FULL_SHARD") << QString()
        << QStringLiteral("accelerate.yaml:1: no fsdp_config settings: TuneDeck writes its FSDP1 defaults");
    QTest::newRow("not divisible") << QStringLiteral("cases/not-divisible.yaml") << QStringLiteral("nodes=3;gpus=4")
                                   << QString() << QStringLiteral("num_processes 10 does not divide over 3 machines");
    QTest::newRow("unknown keys kept")
        << QStringLiteral("cases/extra-keys.yaml") << QStringLiteral("nodes=1")
        << QStringLiteral(
               "fsdp_config.fsdp_min_num_params=2000;megatron_lm_config={megatron_lm_tp_degree: 2, "
               "megatron_lm_sequence_parallelism: false};parallelism_config={parallelism_config_dp_shard_size: "
               "4, parallelism_config_tp_size: 1}")
        << QStringLiteral("megatron_lm_config: {megatron_lm_tp_degree: 2, megatron_lm_sequence_parallelism: false} "
                          "is not modelled by TuneDeck; kept as accelerate_extra");
}

void TestImporters::accelerate()
{
    QFETCH(QString, file);
    QFETCH(QString, expect);
    QFETCH(QString, extra);
    QFETCH(QString, note);
    const ImportResult result = importAccelerate(Test::readFile(dataPath(file)));
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    const JobSpec& spec = result.spec;
    const QHash<QString, QString> actual { { QStringLiteral("nodes"), QString::number(spec.slurm.nodes) },
        { QStringLiteral("gpus"), QString::number(spec.slurm.gpusPerNode) },
        { QStringLiteral("version"), QString::number(spec.fsdp.version) },
        { QStringLiteral("strategy"), spec.fsdp.shardingStrategy },
        { QStringLiteral("prefetch"), spec.fsdp.backwardPrefetch },
        { QStringLiteral("reshard"), spec.fsdp.reshardAfterForward ? QStringLiteral("true") : QStringLiteral("false") },
        { QStringLiteral("offload"), spec.fsdp.offloadParams ? QStringLiteral("true") : QStringLiteral("false") },
        { QStringLiteral("ac"), spec.fsdp.activationCheckpointing ? QStringLiteral("true") : QStringLiteral("false") },
        { QStringLiteral("cls"), spec.fsdp.transformerLayerClsToWrap },
        { QStringLiteral("precision"), precisionName(spec.training.precision) } };
    for (const QString& expectation : expect.split(u';', Qt::SkipEmptyParts))
        QCOMPARE(actual.value(expectation.section(u'=', 0, 0)), expectation.section(u'=', 1));
    QCOMPARE(extras(spec.accelerateExtra), extra);
    if (!note.isEmpty())
        QVERIFY2(hasNote(result, note), qPrintable(joined(result.notes)));
}

void TestImporters::accelerateExtrasRoundTrip()
{
    // Unknown keys go back into the generated file, nested ones under fsdp_config, and read back the same.
    const ImportResult first = importAccelerate(Test::readFile(dataPath(QStringLiteral("cases/extra-keys.yaml"))));
    QVERIFY(first.ok());
    const QByteArray generated = generateAccelerateConfig(first.spec);
    QVERIFY2(generated.contains("\n  fsdp_min_num_params: 2000\n"), generated.constData());
    QVERIFY2(generated.contains(
                 "\nmegatron_lm_config: {megatron_lm_tp_degree: 2, megatron_lm_sequence_parallelism: false}\n"),
        generated.constData());
    const YAML::Node reparsed = YAML::Load(generated.toStdString());
    QCOMPARE(reparsed["parallelism_config"]["parallelism_config_dp_shard_size"].as<int>(), 4);
    ImportResult second;
    second.spec = first.spec;
    second.spec.accelerateExtra.clear();
    importAccelerateConfig(generated, QStringLiteral("generated.yaml"), second);
    QCOMPARE(extras(second.spec.accelerateExtra), extras(first.spec.accelerateExtra));
    QCOMPARE(generateAccelerateConfig(second.spec), generated);
}

// ---------------------------------------------------------------------------------------------------

void TestImporters::train_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expect");
    QTest::addColumn<QString>("note");

    QTest::newRow("lora example") << QStringLiteral("cases/llama3_lora_sft.yaml")
                                  << QStringLiteral("model=meta-llama/Meta-Llama-3-8B-Instruct;method=lora;rank=8;"
                                                    "target=all;dataset=identity,alpaca_en_demo;template=llama3;"
                                                    "cutoff=2048;epochs=3;batch=1;accum=8;lr=1.0e-4;logging=10;"
                                                    "save=500;output=saves/llama3-8b/lora/sft;precision=bf16")
                                  << QStringLiteral("overwrite_output_dir: true is not carried over");
    QTest::newRow("qlora, fp16, lr without dot")
        << QStringLiteral("cases/qlora-fp16.yaml")
        << QStringLiteral("method=qlora;bits=4;precision=fp16;lr=1e-4;rank=16;target=q_proj,v_proj")
        << QStringLiteral("learning_rate: PyYAML reads 1e-4 as a string");
    QTest::newRow("unknown keys reported")
        << QStringLiteral("cases/qlora-fp16.yaml") << QString()
        << QStringLiteral("accelerate.yaml:14: max_samples: 1000 is not carried over (no job spec field)");
    QTest::newRow("full, fp32") << QStringLiteral("cases/full-fp32.yaml")
                                << QStringLiteral("method=full;precision=fp32;epochs=1.5")
                                << QStringLiteral("neither bf16 nor fp16 is set");
    QTest::newRow("deepspeed reported") << QStringLiteral("cases/full-fp32.yaml") << QString()
                                        << QStringLiteral(
                                               "deepspeed: examples/deepspeed/ds_z3_config.json is not carried over");
}

void TestImporters::train()
{
    QFETCH(QString, file);
    QFETCH(QString, expect);
    QFETCH(QString, note);
    ImportResult result;
    importTrainConfig(Test::readFile(dataPath(file)), QStringLiteral("accelerate.yaml"), result);
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    const TrainingSettings& t = result.spec.training;
    const QHash<QString, QString> actual { { QStringLiteral("model"), t.model },
        { QStringLiteral("method"), methodName(t.method) }, { QStringLiteral("rank"), QString::number(t.loraRank) },
        { QStringLiteral("bits"), QString::number(t.quantizationBit) }, { QStringLiteral("target"), t.loraTarget },
        { QStringLiteral("dataset"), t.dataset }, { QStringLiteral("template"), t.templateName },
        { QStringLiteral("cutoff"), QString::number(t.cutoffLen) },
        { QStringLiteral("epochs"), QString::number(t.epochs) },
        { QStringLiteral("batch"), QString::number(t.perDeviceBatch) },
        { QStringLiteral("accum"), QString::number(t.gradientAccumulation) }, { QStringLiteral("lr"), t.learningRate },
        { QStringLiteral("logging"), QString::number(t.loggingSteps) },
        { QStringLiteral("save"), QString::number(t.saveSteps) }, { QStringLiteral("output"), t.outputDir },
        { QStringLiteral("precision"), precisionName(t.precision) } };
    for (const QString& expectation : expect.split(u';', Qt::SkipEmptyParts))
        QCOMPARE(actual.value(expectation.section(u'=', 0, 0)), expectation.section(u'=', 1));
    if (!note.isEmpty())
        QVERIFY2(hasNote(result, note), qPrintable(joined(result.notes)));
}

// ---------------------------------------------------------------------------------------------------
// Files from public repositories (tests/job/data/import/real/SOURCES.md).

void TestImporters::realWorld_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expect");
    QTest::addColumn<QString>("note");
    const QString none = QStringLiteral("(no notes)");

    QTest::newRow("accelerate: multi-node FSDP script")
        << QStringLiteral("accelerate-submit_multinode_fsdp.sh")
        << QStringLiteral("nodes=4;gpus=4;time=01:59:00;job=multinode;cpus=160;port=29500;"
                          "config=/accelerate/examples/slurm/fsdp_config.yaml")
        << QStringLiteral("accelerate launches '/accelerate/examples/complete_nlp_example.py', not LLaMA-Factory's");
    QTest::newRow("accelerate: -D . replaced") << QStringLiteral("accelerate-submit_multinode_fsdp.sh") << QString()
                                               << QStringLiteral("accelerate-submit_multinode_fsdp.sh:4: --chdir=. is "
                                                                 "replaced by TuneDeck's run directory");
    QTest::newRow("accelerate: rdzv c10d on the launch line")
        << QStringLiteral("accelerate-submit_multinode_fsdp.sh") << QString()
        << QStringLiteral(
               "accelerate-submit_multinode_fsdp.sh:43: accelerate launch --rdzv_backend c10d is not carried over");
    QTest::newRow("accelerate: torchrun script")
        << QStringLiteral("accelerate-submit-multinode-torchrun.sh") << QStringLiteral("nodes=4;gpus=4;cpus=160")
        << QStringLiteral("accelerate-submit-multinode-torchrun.sh:43: `torchrun --nnodes");
    QTest::newRow("DistilRM: gres, ntasks, relative paths")
        << QStringLiteral("distilrm-train_dpo.sh")
        << QStringLiteral("nodes=1;gpus=2;partition=gpus;job=Llama-2-13b-chat_lr_2e-5;port=12540;"
                          "train=configs/train/llama3_full_dpo.yaml;config=accelerate/fsdp_config.yaml")
        << QStringLiteral("distilrm-train_dpo.sh:4: --ntasks=4 is not carried over");
    QTest::newRow("DistilRM: CUDA_VISIBLE_DEVICES reported")
        << QStringLiteral("distilrm-train_dpo.sh") << QString()
        << QStringLiteral("distilrm-train_dpo.sh:8: not carried over: `CUDA_VISIBLE_DEVICES=5,7`");
    QTest::newRow("LLaMA-Factory: FSDP1 multiple nodes")
        << QStringLiteral("llamafactory-fsdp_config_multiple_nodes.yaml")
        << QStringLiteral("nodes=2;gpus=8;strategy=FULL_SHARD;version=1;precision=bf16")
        << QStringLiteral(
               "llamafactory-fsdp_config_multiple_nodes.yaml:25: main_process_ip: 192.168.0.1 is not carried over");
    QTest::newRow("LLaMA-Factory: FSDP2")
        << QStringLiteral("llamafactory-fsdp2_config.yaml") << QStringLiteral("nodes=1;gpus=2;version=2;precision=bf16")
        << QStringLiteral("fsdp_config does not set fsdp_activation_checkpointing: false");
    QTest::newRow("LLaMA-Factory: DeepSpeed multi-node")
        << QStringLiteral("llamafactory-ds_multi_nodes.yaml") << QStringLiteral("nodes=4;gpus=4")
        << QStringLiteral("llamafactory-ds_multi_nodes.yaml:3: deepspeed_config.deepspeed_config_file: "
                          "examples/deepspeed/ds_z3_offload_config.json is a DeepSpeed setting");
    QTest::newRow("LLaMA-Factory: DeepSpeed same_network")
        << QStringLiteral("llamafactory-ds_multi_nodes.yaml") << QString()
        << QStringLiteral("llamafactory-ds_multi_nodes.yaml:11: same_network: false is replaced by TuneDeck's true");
    QTest::newRow("accelerate: minimal FSDP config") << QStringLiteral("accelerate-slurm-fsdp_config.yaml")
                                                     << QStringLiteral("strategy=FULL_SHARD;version=1") << none;
    QTest::newRow("LLaMA-Factory: FSDP QLoRA example")
        << QStringLiteral("llamafactory-fsdp_qlora-llama3_lora_sft.yaml")
        << QStringLiteral("method=qlora;precision=fp16")
        << QStringLiteral("llamafactory-fsdp_qlora-llama3_lora_sft.yaml:39: val_size: 0.1 is not carried over");
}

void TestImporters::realWorld()
{
    QFETCH(QString, file);
    QFETCH(QString, expect);
    QFETCH(QString, note);
    const QByteArray bytes = Test::readFile(dataPath(QStringLiteral("real/") + file));
    const ImportResult result = importJobFiles({ { file, bytes } }, Test::baskerville());
    QVERIFY2(result.ok(), qPrintable(joined(result.errors)));
    const JobSpec& spec = result.spec;
    const QHash<QString, QString> actual { { QStringLiteral("nodes"), QString::number(spec.slurm.nodes) },
        { QStringLiteral("gpus"), QString::number(spec.slurm.gpusPerNode) },
        { QStringLiteral("time"), spec.slurm.time }, { QStringLiteral("mem"), spec.slurm.mem },
        { QStringLiteral("job"), spec.slurm.jobName }, { QStringLiteral("partition"), spec.slurm.partition },
        { QStringLiteral("account"), spec.slurm.account },
        { QStringLiteral("cpus"), QString::number(spec.slurm.cpusPerTask) },
        { QStringLiteral("extra"), extras(spec.slurm.extraDirectives) },
        { QStringLiteral("strategy"), spec.fsdp.shardingStrategy },
        { QStringLiteral("version"), QString::number(spec.fsdp.version) },
        { QStringLiteral("precision"), precisionName(spec.training.precision) },
        { QStringLiteral("port"), QString::number(spec.launch.port) },
        { QStringLiteral("accelerate_extra"), extras(spec.accelerateExtra) },
        { QStringLiteral("train"), result.referencedTrainConfig },
        { QStringLiteral("config"), result.referencedAccelerateConfig },
        { QStringLiteral("method"), methodName(spec.training.method) } };
    for (const QString& expectation : expect.split(u';', Qt::SkipEmptyParts))
        QCOMPARE(actual.value(expectation.section(u'=', 0, 0)), expectation.section(u'=', 1));
    if (note == u"(no notes)")
        QVERIFY2(result.notes.isEmpty(), qPrintable(joined(result.notes)));
    else
        QVERIFY2(hasNote(result, note), qPrintable(joined(result.notes)));
}

// ---------------------------------------------------------------------------------------------------

void TestImporters::detectKind_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("kind");
    QTest::newRow("shebang") << QByteArray("#!/bin/bash\necho\n") << int(ImportKind::SbatchScript);
    QTest::newRow("directives only") << QByteArray("#SBATCH -N 1\n") << int(ImportKind::SbatchScript);
    QTest::newRow("accelerate") << QByteArray("distributed_type: FSDP\nnum_processes: 8\n")
                                << int(ImportKind::AccelerateConfig);
    QTest::newRow("train") << QByteArray("model_name_or_path: x\nstage: sft\ndataset: y\n")
                           << int(ImportKind::TrainConfig);
    QTest::newRow("broken accelerate") << QByteArray("distributed_type: FSDP\nfsdp_config: [\n")
                                       << int(ImportKind::AccelerateConfig);
    QTest::newRow("job spec") << QByteArray("tunedeck_job_spec: 1\n") << int(ImportKind::Unknown);
    QTest::newRow("binary") << QByteArray("\x7f"
                                          "ELF\0\0",
        6) << int(ImportKind::Unknown);
    QTest::newRow("text") << QByteArray("hello\n") << int(ImportKind::Unknown);
}

void TestImporters::detectKind()
{
    QFETCH(QByteArray, text);
    QFETCH(int, kind);
    QCOMPARE(int(detectImportKind(text)), kind);
}

void TestImporters::malformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error"); // the first error, file:line: message
    QTest::newRow("unmatched quote") << QByteArray("#!/bin/bash\n#SBATCH -N 2\n#SBATCH -J \"oops\nsrun x\n")
                                     << QStringLiteral("input:3: unmatched \"");
    QTest::newRow("bad node count") << QByteArray("#!/bin/bash\n#SBATCH --nodes=four\n")
                                    << QStringLiteral("input:2: --nodes: 'four' is not a node count");
    QTest::newRow("bad time") << QByteArray("#!/bin/bash\n#SBATCH -t 3h\n")
                              << QStringLiteral("input:2: --time: '3h' is not a Slurm time");
    QTest::newRow("missing value") << QByteArray("#!/bin/bash\n#SBATCH --account\n")
                                   << QStringLiteral("input:2: --account needs a value");
    QTest::newRow("yaml syntax") << QByteArray("distributed_type: FSDP\nfsdp_config:\n  a: [1, 2\nnum_processes: 2\n")
                                 << QStringLiteral("input:4: YAML syntax error");
    QTest::newRow("num_processes not a number") << QByteArray("distributed_type: FSDP\nnum_processes: many\n")
                                                << QStringLiteral("input:2: num_processes: expected a whole number");
    QTest::newRow("bad strategy number")
        << QByteArray("distributed_type: FSDP\nfsdp_config:\n  fsdp_sharding_strategy: 9\n")
        << QStringLiteral("input:3: fsdp_config.fsdp_sharding_strategy: 9 is not a sharding strategy");
    QTest::newRow("train type error") << QByteArray("model_name_or_path: m\nlora_rank: eight\n")
                                      << QStringLiteral("input:2: lora_rank: expected a whole number");
    QTest::newRow("unknown kind") << QByteArray("just text\n") << QStringLiteral("input: not an sbatch script");
    QTest::newRow("stray word") << QByteArray("#!/bin/bash\n#SBATCH --job-name=a\\ b\n")
                                << QStringLiteral("input:2: 'b' is not an option, and sbatch refuses the script");
    QTest::newRow("DOS line breaks") << QByteArray("#!/bin/bash\r\n#SBATCH -N 2\r\n")
                                     << QStringLiteral("input:1: DOS line breaks");
}

void TestImporters::malformed()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    const ImportResult result = importJobFiles({ { QStringLiteral("input"), text } }, Test::baskerville());
    QVERIFY(!result.ok());
    QVERIFY2(result.errors.first().toString().startsWith(error), qPrintable(joined(result.errors)));
}

QTEST_GUILESS_MAIN(TestImporters)
#include "tst_importers.moc"
