// Hostile input at the library level (issue 12): YAML that yaml-cpp would read differently from PyYAML
// or that would exhaust memory, shell expansion bombs, broken files in the user's profiles folder.
// Every row asserts the exact file:line and message, and that the walk stays bounded.
#include "core/job/importresult.h"
#include "core/job/profileloader.h"
#include "core/job/profileregistry.h"
#include "core/job/yamlreader.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace TuneDeck;

namespace {

// 10^9 nodes once expanded, 11 lines of text (the classic billion laughs).
QByteArray aliasBomb(const QByteArray& head)
{
    QByteArray text = head + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; ++i) {
        QByteArrayList refs;
        for (int j = 0; j < 10; ++j)
            refs.append("*a" + QByteArray::number(i - 1));
        text += "a" + QByteArray::number(i) + ": &a" + QByteArray::number(i) + " [" + refs.join(", ") + "]\n";
    }
    return text;
}

const ClusterProfile& baskerville()
{
    static const ClusterProfile profile = *ProfileRegistry(QString {}).find(QStringLiteral("baskerville"));
    return profile;
}

} // namespace

class TestHostileInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void yamlDocument_data();
    void yamlDocument();
    void aliasesWithinBoundsAreRead();
    void importedYaml_data();
    void importedYaml();
    void specAndProfileYaml_data();
    void specAndProfileYaml();
    void shellExpansionIsBounded();
    void refusedLikeTheTools_data();
    void refusedLikeTheTools();
    void brokenUserProfilesAreSkipped();
    void missingKeysDoNotAbort();
};

void TestHostileInput::yamlDocument_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");

    // The walk stops at the node that passes the bound: one of a0's items, on line 2.
    QTest::newRow("alias bomb") << aliasBomb("k: v\n") << 2 << QStringLiteral("more than 100000 YAML nodes");
    QTest::newRow("recursive alias") << QByteArray("a: 1\nx: &r [*r]\n") << 2 << QStringLiteral("nested more than 64");
    QTest::newRow("duplicate key") << QByteArray("a: 1\nb: 2\na: 3\n") << 3 << QStringLiteral("duplicate key 'a'");
    QTest::newRow("duplicate nested key")
        << QByteArray("m:\n  x: 1\n  y: 2\n  x: 1\n") << 4 << QStringLiteral("duplicate key 'x'");
    QTest::newRow("second document") << QByteArray("a: 1\n---\nb: 2\n") << 2
                                     << QStringLiteral("a second YAML document");
    QTest::newRow("empty second document")
        << QByteArray("a: 1\n---\n") << 2 << QStringLiteral("a second YAML document");
    QTest::newRow("syntax error") << QByteArray("a: [1\nb: 2\n") << 2 << QStringLiteral("YAML syntax error");
}

void TestHostileInput::yamlDocument()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, message);
    QElapsedTimer timer;
    timer.start();
    const YamlDocument document = loadYamlDocument(text);
    QVERIFY(!document.ok());
    QVERIFY2(document.error.contains(message), qPrintable(document.error));
    QCOMPARE(document.line, line);
    QVERIFY(!document.root.IsDefined() || document.root.IsNull());
    // Bounded: the bomb is refused after at most MaxYamlNodes steps, not 10^9.
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

void TestHostileInput::aliasesWithinBoundsAreRead()
{
    // Aliases are legal YAML and a few are fine: only the expansion is bounded.
    const YamlDocument document = loadYamlDocument("base: &b {x: 1}\nuse: *b\nlist: [*b, *b]\n");
    QVERIFY2(document.ok(), qPrintable(document.error));
    QCOMPARE(document.root["use"]["x"].Scalar(), std::string("1"));
    QCOMPARE(document.root["list"].size(), std::size_t(2));
}

void TestHostileInput::importedYaml_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");

    QTest::newRow("accelerate alias bomb")
        << aliasBomb("distributed_type: FSDP\n") << QStringLiteral("in.yaml:2: more than 100000 YAML nodes");
    QTest::newRow("accelerate duplicate num_processes")
        << QByteArray("distributed_type: FSDP\nnum_processes: 16\nnum_machines: 4\nnum_processes: 1\n")
        << QStringLiteral("in.yaml:4: duplicate key 'num_processes'");
    QTest::newRow("accelerate duplicate fsdp key") << QByteArray(
        "distributed_type: FSDP\nfsdp_config:\n  fsdp_sharding_strategy: FULL_SHARD\n"
        "  fsdp_sharding_strategy: NO_SHARD\n") << QStringLiteral("in.yaml:4: duplicate key 'fsdp_sharding_strategy'");
    QTest::newRow("accelerate second document")
        << QByteArray("distributed_type: FSDP\nnum_processes: 16\n---\nnum_processes: 1\n")
        << QStringLiteral("in.yaml:3: a second YAML document");
    QTest::newRow("LLaMA-Factory duplicate learning_rate")
        << QByteArray("model_name_or_path: m\nfinetuning_type: lora\nlearning_rate: 1.0e-4\nlearning_rate: 1.0\n")
        << QStringLiteral("in.yaml:4: duplicate key 'learning_rate'");
    QTest::newRow("LLaMA-Factory recursive alias") << QByteArray("model_name_or_path: m\nstage: &s [*s]\n")
                                                   << QStringLiteral("in.yaml:2: nested more than 64 levels");
}

void TestHostileInput::importedYaml()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    const ImportResult result = importJobFiles({ { QStringLiteral("in.yaml"), text } }, baskerville());
    QVERIFY(!result.ok());
    QStringList errors;
    for (const ImportMessage& message : result.errors)
        errors.append(message.toString());
    QVERIFY2(errors.constFirst().startsWith(error), qPrintable(errors.join(u'\n')));
}

void TestHostileInput::specAndProfileYaml_data()
{
    QTest::addColumn<bool>("isProfile");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");

    QTest::newRow("spec duplicate nodes") << false << QByteArray("slurm:\n  nodes: 4\n  nodes: 1\n")
                                          << QStringLiteral("spec.yaml:3: duplicate key 'nodes'");
    QTest::newRow("spec second document") << false << QByteArray("slurm: {nodes: 4}\n---\nslurm: {nodes: 1}\n")
                                          << QStringLiteral("spec.yaml:2: a second YAML document");
    // yaml-cpp 0.7's LoadAll never returns on a stray ',' (found by fuzz_jobinputs).
    QTest::newRow("spec stray comma") << false << QByteArray(",debug: false\nslurm: {nodes: 4}\n")
                                      << QStringLiteral(
                                             "spec.yaml:1: YAML syntax error: text that is neither a key nor a value");
    QTest::newRow("spec stray comma after ---")
        << false << QByteArray("slurm: {nodes: 4}\n---\n,\n") << QStringLiteral("spec.yaml:2: a second YAML document");
    QTest::newRow("spec alias bomb") << false << aliasBomb("slurm: {nodes: 4}\n")
                                     << QStringLiteral("spec.yaml:2: more than 100000 YAML nodes");
    QTest::newRow("profile stray comma") << true << QByteArray(",\n")
                                         << QStringLiteral(
                                                "baskerville.yaml:1: YAML syntax error: text that is neither");
    QTest::newRow("profile duplicate name") << true << QByteArray("tunedeck_cluster_profile: 1\nname: a\nname: b\n")
                                            << QStringLiteral("baskerville.yaml:3: duplicate key 'name'");
    QTest::newRow("profile recursive alias") << true << QByteArray("tunedeck_cluster_profile: 1\nqos: &q [*q]\n")
                                             << QStringLiteral("baskerville.yaml:2: nested more than 64 levels");
}

void TestHostileInput::specAndProfileYaml()
{
    QFETCH(bool, isProfile);
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.filePath(isProfile ? QStringLiteral("baskerville.yaml") : QStringLiteral("spec.yaml"));
    // Spec files go through YamlReader::parse, the same reader every TuneDeck file uses.
    YamlReader reader(path);
    if (isProfile) {
        Test::writeFile(path, text);
        const ProfileLoadResult result = loadProfileFromFile(path);
        QVERIFY(!result.ok());
        QVERIFY2(result.errors.constFirst().startsWith(dir.filePath(error)), qPrintable(result.errors.join(u'\n')));
    } else {
        reader.parse(text);
        QCOMPARE(reader.errors().size(), 1);
        QVERIFY2(reader.errors().constFirst().startsWith(dir.filePath(error)), qPrintable(reader.errors().join(u'\n')));
    }
}

void TestHostileInput::shellExpansionIsBounded()
{
    // Each line doubles the variable: 40 lines would need 8 * 2^39 characters.
    QByteArray script = "#!/bin/bash\n#SBATCH -N 1\nV0=xxxxxxxx\n";
    for (int i = 1; i < 40; ++i)
        script += "V" + QByteArray::number(i) + "=\"$V" + QByteArray::number(i - 1) + "$V" + QByteArray::number(i - 1)
            + "\"\n";
    script += "cd \"$V39\"\naccelerate launch --config_file a.yaml src/train.py t.yaml\n";
    QElapsedTimer timer;
    timer.start();
    const ImportResult result = importJobFiles({ { QStringLiteral("job.sh"), script } }, baskerville());
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(result.ok());
    bool noted = false;
    for (const ImportMessage& note : result.notes) {
        // V14 is the first to pass 64 KiB (8 * 2^14 = 128 KiB); it is on line 17.
        if (note.line == 17
            && note.text
                == QStringLiteral("V14: the value would be longer than 65536 characters with its variables "
                                  "expanded; kept unexpanded"))
            noted = true;
    }
    QVERIFY(noted);
}

void TestHostileInput::refusedLikeTheTools_data()
{
    // What sbatch or accelerate refuse is an import error (exit 2), not a note.
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");

    QTest::newRow("ambiguous abbreviation")
        << QByteArray("#!/bin/bash\n#SBATCH -N 2\n#SBATCH --gpus-per=2\n")
        << QStringLiteral("in:3: --gpus-per is ambiguous (--gpus-per-node, --gpus-per-socket, --gpus-per-task): "
                          "sbatch refuses the script");
    QTest::newRow("unknown option") << QByteArray("#!/bin/bash\n#SBATCH --nodez=2\n")
                                    << QStringLiteral("in:2: --nodez is not a Slurm 22.05 sbatch option: sbatch "
                                                      "refuses the script");
    QTest::newRow("distributed_type misspelt")
        << QByteArray("distributed_type: FDSP\nnum_processes: 4\n")
        << QStringLiteral("in:1: distributed_type: 'FDSP' is not an accelerate distributed type");
    QTest::newRow("distributed_type lower case")
        << QByteArray("distributed_type: fsdp\nnum_processes: 4\n")
        << QStringLiteral("in:1: distributed_type: 'fsdp' is not an accelerate distributed type");
    QTest::newRow("distributed_type a list") << QByteArray("distributed_type: [FSDP]\nnum_processes: 4\n")
                                             << QStringLiteral("in:1: distributed_type: '[FSDP]' is not");
}

void TestHostileInput::refusedLikeTheTools()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    const ImportResult result = importJobFiles({ { QStringLiteral("in"), text } }, baskerville());
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(
        result.errors.constFirst().toString().startsWith(error), qPrintable(result.errors.constFirst().toString()));
}

void TestHostileInput::brokenUserProfilesAreSkipped()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A FIFO (would block), a file over the limit (would exhaust memory) and a broken YAML file.
    QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("pipe.yaml"))).constData(), 0600), 0);
    Test::writeFile(dir.filePath(QStringLiteral("huge.yaml")), QByteArray((1 << 20) + 1, '#'));
    Test::writeFile(dir.filePath(QStringLiteral("broken.yaml")), "tunedeck_cluster_profile: 1\nname: [\n");
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), dir.filePath(QStringLiteral("zero.yaml"))));

    const ProfileRegistry registry(dir.path());
    // The bundled profile still works; each broken file is one warning that names it.
    const ProfileLookup found = registry.lookup(QStringLiteral("baskerville"));
    QVERIFY(found.profile);
    QVERIFY(found.errors.isEmpty());
    QCOMPARE(found.warnings.size(), 4);
    QVERIFY2(found.warnings.join(u'\n').contains(dir.filePath(QStringLiteral("pipe.yaml")) + u": is a FIFO"),
        qPrintable(found.warnings.join(u'\n')));
    QVERIFY2(found.warnings.join(u'\n').contains(dir.filePath(QStringLiteral("huge.yaml"))
                 + u": 1.0 MiB is more than the 1.0 MiB a cluster profile may have"),
        qPrintable(found.warnings.join(u'\n')));
    QVERIFY2(found.warnings.join(u'\n').contains(dir.filePath(QStringLiteral("zero.yaml")) + u": is a device"),
        qPrintable(found.warnings.join(u'\n')));

    // Asked for by its file name, the broken file is the error.
    const ProfileLookup broken = registry.lookup(QStringLiteral("broken"));
    QVERIFY(!broken.profile);
    QCOMPARE(broken.errors.size(), 1);
    QVERIFY2(broken.errors.constFirst().startsWith(dir.filePath(QStringLiteral("broken.yaml:3: YAML syntax error"))),
        qPrintable(broken.errors.join(u'\n')));

    const ProfileLookup missing = registry.lookup(QStringLiteral("nowhere"));
    QVERIFY(!missing.profile);
    QVERIFY2(missing.errors.constFirst().startsWith(QStringLiteral("profile: no cluster profile named 'nowhere'")),
        qPrintable(missing.errors.join(u'\n')));
}

// Found by fuzz_jobinputs: a DeepSpeed accelerate config without distributed_type aborted the importer
// (yaml-cpp throws on any query of a key that is not there). Configs missing each key TuneDeck reads
// import with notes or errors, never an abort.
void TestHostileInput::missingKeysDoNotAbort()
{
    const QByteArray deepspeed
        = Test::readFile(QStringLiteral(TUNEDECK_TESTDATA_DIR "/import/cases/deepspeed-no-distributed-type.yaml"));
    ImportResult result = importJobFiles({ { QStringLiteral("accelerate.yaml"), deepspeed } }, baskerville());
    QVERIFY(result.ok());
    bool named = false;
    for (const ImportMessage& note : result.notes)
        named |= note.text.contains(u"no distributed_type");
    QVERIFY(named);
    for (const QByteArray& text : { QByteArray("num_processes: 8\n"), QByteArray("fsdp_config: {}\n"),
             QByteArray("model_name_or_path: x\nstage: sft\n"), QByteArray("finetuning_type: lora\n") }) {
        result = importJobFiles({ { QStringLiteral("in.yaml"), text } }, baskerville());
        for (const ImportMessage& error : result.errors)
            QVERIFY2(error.file == u"in.yaml", qPrintable(error.toString()));
    }
}

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostileinput.moc"
