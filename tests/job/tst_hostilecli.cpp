// Hostile input through the executable (issue 12), one data-driven table per command: each row asserts
// the exit status, the message naming the file, line or field, and that no file in the scratch folder
// was written, replaced or left behind. The user's profiles folder holds broken files throughout, which
// must not break commands that do not use them.
#include "core/job/jobspecio.h"
#include "testsupport.h"

#include <QDir>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace TuneDeck;

namespace {

QStringList snapshot(const QString& root)
{
    QStringList entries;
    for (const QFileInfo& info :
        QDir(root).entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name)) {
        QString entry = info.fileName();
        if (info.isSymLink())
            entry += u" -> " + info.symLinkTarget();
        else if (info.isDir())
            entry += u"/ {" + snapshot(info.filePath()).join(u", ") + u'}';
        else if (info.isFile())
            entry += u" = " + QString::number(qHash(Test::readFile(info.filePath())));
        entries.append(entry);
    }
    return entries;
}

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

} // namespace

class TestHostileCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void import_data();
    void import();
    void importResultsOnStdoutOnly();
    void inspect_data();
    void inspect();
    void terminalSafety_data();
    void terminalSafety();
    void misspeltCommandWithoutDisplay_data();
    void misspeltCommandWithoutDisplay();
    void nonUtf8FileNames_data();
    void nonUtf8FileNames();

private:
    void addFixtures();
    QTemporaryDir m_config;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestHostileCli::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    // TuneDeck's user profiles folder: a FIFO (would block), /dev/zero (would exhaust memory), broken YAML.
    const QString profiles = m_config.filePath(QStringLiteral("TuneDeck/tunedeck/profiles"));
    QVERIFY(QDir().mkpath(profiles));
    QCOMPARE(::mkfifo(QFile::encodeName(profiles + u"/pipe.yaml").constData(), 0600), 0);
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), profiles + u"/zero.yaml"));
    Test::writeFile(profiles + u"/broken.yaml", "tunedeck_cluster_profile: 1\nname: [\n");
}

void TestHostileCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    addFixtures();
}

void TestHostileCli::addFixtures()
{
    const QDir dir(m_dir->path());
    const QString walkthrough = QStringLiteral(TUNEDECK_TESTDATA_DIR "/import/walkthrough/");
    QVERIFY(QFile::copy(walkthrough + u"batch-llama3-70b-ft.sh", dir.filePath(QStringLiteral("script.sh"))));
    QVERIFY(QFile::copy(walkthrough + u"config_node02gpu04.yaml", dir.filePath(QStringLiteral("acc.yaml"))));
    Test::writeFile(dir.filePath(QStringLiteral("spec.yaml")), "slurm: {account: keep}\n");
    QVERIFY(QFile::link(QStringLiteral("spec.yaml"), dir.filePath(QStringLiteral("link.yaml"))));
    QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("fifo"))).constData(), 0600), 0);
    QVERIFY(dir.mkdir(QStringLiteral("folder")));
    Test::writeFile(dir.filePath(QStringLiteral("bomb.yaml")), aliasBomb("distributed_type: FSDP\n"));
    Test::writeFile(dir.filePath(QStringLiteral("dup.yaml")),
        "distributed_type: FSDP\nnum_machines: 4\nnum_processes: 16\nnum_processes: 1\n");
    Test::writeFile(dir.filePath(QStringLiteral("twodoc.yaml")), "distributed_type: FSDP\n---\nnum_processes: 1\n");
    Test::writeFile(dir.filePath(QStringLiteral("large.sh")), "#!/bin/bash\n" + QByteArray(5 << 20, '#'));
}

void TestHostileCli::import_data()
{
    QTest::addColumn<QStringList>("arguments"); // after `import`, run in the scratch folder
    QTest::addColumn<QString>("message"); // on stderr

    // Class 1: outputs that must not be replaced.
    QTest::newRow("save-spec onto the script")
        << QStringList { QStringLiteral("script.sh"), QStringLiteral("--save-spec"), QStringLiteral("script.sh") }
        << QStringLiteral("--save-spec script.sh: is also an input (script.sh)");
    QTest::newRow("save-spec onto the script, spelt differently") << QStringList {
        QStringLiteral("script.sh"), QStringLiteral("--save-spec"), QStringLiteral("folder/../script.sh")
    } << QStringLiteral("--save-spec folder/../script.sh: is also an input (script.sh)");
    QTest::newRow("save-spec onto a symlink")
        << QStringList { QStringLiteral("script.sh"), QStringLiteral("--save-spec"), QStringLiteral("link.yaml") }
        << QStringLiteral("--save-spec link.yaml: is a symbolic link");
    QTest::newRow("save-spec onto a FIFO") << QStringList { QStringLiteral("script.sh"), QStringLiteral("--save-spec"),
        QStringLiteral("fifo") } << QStringLiteral("--save-spec fifo: is a FIFO");
    QTest::newRow("save-spec onto a device")
        << QStringList { QStringLiteral("script.sh"), QStringLiteral("--save-spec"), QStringLiteral("/dev/null") }
        << QStringLiteral("--save-spec /dev/null: is a device");
    QTest::newRow("save-spec onto a folder")
        << QStringList { QStringLiteral("script.sh"), QStringLiteral("--save-spec"), QStringLiteral("folder") }
        << QStringLiteral("--save-spec folder: is a folder");
    QTest::newRow("save-spec empty") << QStringList { QStringLiteral("script.sh"), QStringLiteral("--save-spec"),
        QString() } << QStringLiteral("--save-spec '': an empty output file name");
    // Class 2: inputs that would hang or exhaust memory.
    QTest::newRow("FIFO input") << QStringList { QStringLiteral("fifo") }
                                << QStringLiteral("fifo: is a FIFO (named pipe), not a regular file");
    QTest::newRow("/dev/zero input") << QStringList { QStringLiteral("/dev/zero") }
                                     << QStringLiteral("/dev/zero: is a device, not a regular file");
    QTest::newRow("folder input") << QStringList { QStringLiteral("folder") }
                                  << QStringLiteral("folder: is a folder, not a file");
    QTest::newRow("input over the limit") << QStringList { QStringLiteral("large.sh") }
                                          << QStringLiteral("large.sh: 5.0 MiB is more than the 4.0 MiB an imported "
                                                            "file may have");
    QTest::newRow("alias bomb") << QStringList { QStringLiteral("bomb.yaml") }
                                << QStringLiteral("bomb.yaml:2: more than 100000 YAML nodes");
    // Class 4: read as PyYAML reads it, or refused.
    QTest::newRow("duplicate key") << QStringList { QStringLiteral("dup.yaml") }
                                   << QStringLiteral("dup.yaml:4: duplicate key 'num_processes'");
    QTest::newRow("second document") << QStringList { QStringLiteral("twodoc.yaml") }
                                     << QStringLiteral("twodoc.yaml:2: a second YAML document");
    // The profile asked for is broken: its own error, not the other broken files'.
    QTest::newRow("broken profile asked for") << QStringList { QStringLiteral("script.sh"), QStringLiteral("--profile"),
        QStringLiteral("broken") } << QStringLiteral("/TuneDeck/tunedeck/profiles/broken.yaml:3: YAML syntax error");
}

void TestHostileCli::import()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const QStringList before = snapshot(m_dir->path());
    const Test::ProcessResult run
        = Test::runTunedeck(QStringList { QStringLiteral("import") } + arguments, m_dir->path());
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
    QVERIFY2(run.out.isEmpty(), run.out.constData());
    QCOMPARE(snapshot(m_dir->path()), before);
    struct stat info
    {
    };
    QCOMPARE(::stat("/dev/null", &info), 0);
    QVERIFY(S_ISCHR(info.st_mode));
}

void TestHostileCli::importResultsOnStdoutOnly()
{
    // `import ... > spec.yaml` must give a file that reads back: notes, kinds and findings go to stderr.
    // The broken user profiles are warnings; baskerville still works.
    const Test::ProcessResult run = Test::runTunedeck(
        { QStringLiteral("import"), QStringLiteral("script.sh"), QStringLiteral("acc.yaml") }, m_dir->path());
    QCOMPARE(run.exitCode, 0);
    const JobSpecLoadResult loaded = loadJobSpecFromYaml(run.out, QStringLiteral("stdout"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u'\n')));
    QCOMPARE(loaded.spec.slurm.nodes, 4);
    QCOMPARE(loaded.spec.launch.port, 12340);
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.contains(QStringLiteral("script.sh: read as sbatch script\n")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("script.sh:37: fixed port 12340")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("/profiles/pipe.yaml: is a FIFO (named pipe), not a regular file (profile "
                                         "file skipped)")),
        qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("/profiles/zero.yaml: is a device")), qPrintable(err));
    // No error-level line: the import succeeded (exit 0 and `error:` never go together).
    QVERIFY2(!err.contains(QRegularExpression(QStringLiteral("^error:"), QRegularExpression::MultilineOption)),
        qPrintable(err));
}

void TestHostileCli::inspect_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");

    QTest::newRow("FIFO") << QStringList { QStringLiteral("fifo") }
                          << QStringLiteral("tunedeck inspect: fifo: is a FIFO (named pipe), not a regular file");
    QTest::newRow("/dev/zero") << QStringList { QStringLiteral("/dev/zero") }
                               << QStringLiteral("tunedeck inspect: /dev/zero: is a device, not a regular file");
    QTest::newRow("/dev/urandom as sacct")
        << QStringList { QStringLiteral("--format"), QStringLiteral("sacct"), QStringLiteral("/dev/urandom") }
        << QStringLiteral("tunedeck inspect: /dev/urandom: is a device, not a regular file");
    QTest::newRow("folder") << QStringList { QStringLiteral("folder") }
                            << QStringLiteral("tunedeck inspect: folder: is a folder, not a file");
    QTest::newRow("missing") << QStringList { QStringLiteral("nothing.txt") }
                             << QStringLiteral("tunedeck inspect: nothing.txt: cannot read: No such file");
}

void TestHostileCli::inspect()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const QStringList before = snapshot(m_dir->path());
    for (const bool json : { false, true }) {
        const Test::ProcessResult run = Test::runTunedeck(QStringList { QStringLiteral("inspect") } + arguments
                + (json ? QStringList { QStringLiteral("--json") } : QStringList {}),
            m_dir->path());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY2(run.out.isEmpty(), run.out.constData());
    }
    QCOMPARE(snapshot(m_dir->path()), before);
}

void TestHostileCli::terminalSafety_data()
{
    // Control characters from file contents reach the terminal escaped (class 6).
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("escaped"); // expected on stdout or stderr

    QTest::newRow("import: a directive retitles the terminal")
        << QStringList { QStringLiteral("import"), QStringLiteral("evil.sh") } << QByteArray("evil.sh")
        << QByteArray("#!/bin/bash\n#SBATCH -N 1\n#SBATCH --mail-type=END\x1b]0;pwned\x07\nsrun true\n")
        << QByteArray("--mail-type=END\\e]0;pwned\\a is not modelled by TuneDeck");
    QTest::newRow("import: right-to-left override in a note")
        << QStringList { QStringLiteral("import"), QStringLiteral("evil.sh") } << QByteArray("evil.sh")
        << QByteArray("#!/bin/bash\n#SBATCH -N 1\nmodule load txt\u202egpj\n") << QByteArray("txt\\u202egpj");
    QTest::newRow("inspect: training log clears the screen")
        << QStringList { QStringLiteral("inspect"), QStringLiteral("--format"), QStringLiteral("trainer-log"),
               QStringLiteral("train.out") }
        << QByteArray("train.out")
        << QByteArray("  0%|          | 0/21 [00:00<?, ?it/s]\nslurmstepd: error: *** JOB 1 CANCELLED \x1b[2J\x1b[H "
                      "DUE TO TIME LIMIT ***\n")
        << QByteArray("\\e[2J\\e[H");
}

void TestHostileCli::terminalSafety()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, file);
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, escaped);
    Test::writeFile(QDir(m_dir->path()).filePath(QString::fromUtf8(file)), content);
    const Test::ProcessResult run = Test::runTunedeck(arguments, m_dir->path());
    const QByteArray all = run.out + run.err;
    QVERIFY2(all.contains(escaped), all.constData());
    for (const char c : all)
        QVERIFY2(c == '\n' || c == '\t' || uchar(c) >= 0x20, all.constData());
    QVERIFY(!all.contains("\u202e"));
}

void TestHostileCli::misspeltCommandWithoutDisplay_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("named"); // what the usage error must name
    QTest::newRow("typo of submit") << QStringList { QStringLiteral("submt") } << QStringLiteral("'submt'");
    QTest::newRow("unknown option") << QStringList { QStringLiteral("--help-al") } << QStringLiteral("'--help-al'");
    QTest::newRow("gui with two files") << QStringList { QStringLiteral("gui"), QStringLiteral("a.yaml"),
        QStringLiteral("b.yaml") } << QStringLiteral("a.yaml b.yaml");
    QTest::newRow("gui with an option") << QStringList { QStringLiteral("gui"), QStringLiteral("--spec") }
                                        << QStringLiteral("--spec");
}

// `tunedeck submt` used to start the window, and on a login node (no display) abort with a core dump.
void TestHostileCli::misspeltCommandWithoutDisplay()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, named);
    const QStringList before = QDir(m_dir->path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System);
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
        environment.remove(QString::fromLatin1(name));
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(m_dir->path());
    process.start(QStringLiteral(TUNEDECK_BINARY), arguments);
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(named), qPrintable(err));
    QVERIFY2(err.startsWith(u"tunedeck"), qPrintable(err));
    QVERIFY(process.readAllStandardOutput().isEmpty());
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System), before);
}

void TestHostileCli::nonUtf8FileNames_data()
{
    // Arguments as a shell passes them; \\377 is a Latin-1 'ÿ', not UTF-8. QProcess cannot pass such bytes,
    // so /bin/sh builds them with printf.
    QTest::addColumn<QString>("script");
    QTest::newRow("import an existing file with such a name") << QStringLiteral("import \"$(printf 'job\\377.sh')\"");
    QTest::newRow("save-spec to such a name")
        << QStringLiteral("import script.sh --save-spec \"$(printf 'spec\\377.yaml')\"");
    QTest::newRow("render into such a folder")
        << QStringLiteral("render --spec spec.yaml --out \"$(printf 'out\\351')\"");
}

// A name QString cannot hold byte for byte used to be reported missing or written to a different path.
void TestHostileCli::nonUtf8FileNames()
{
    QFETCH(QString, script);
    const QByteArray latin1Name = QFile::encodeName(m_dir->path()) + "/job\xff.sh";
    Test::writeFile(QStringLiteral("%1/script.sh").arg(m_dir->path()), "#!/bin/bash\n#SBATCH --nodes=1\n");
    {
        const int fd = ::open(latin1Name.constData(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
        QVERIFY(fd >= 0);
        QCOMPARE(::write(fd, "#!/bin/bash\n", 12), ssize_t(12));
        ::close(fd);
    }
    // QTemporaryDir cannot name this file to remove it (the very bug class): unlink it by its bytes.
    const auto removeIt = qScopeGuard([&latin1Name]() { ::unlink(latin1Name.constData()); });
    const QStringList before = QDir(m_dir->path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System);
    QProcess process;
    process.setWorkingDirectory(m_dir->path());
    process.start(
        QStringLiteral("/bin/sh"), { QStringLiteral("-c"), u"exec \"$0\" " + script, QStringLiteral(TUNEDECK_BINARY) });
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(u"is not valid in this system's encoding"), qPrintable(err));
    QVERIFY2(err.contains(u"\\xff") || err.contains(u"\\xe9"), qPrintable(err)); // the odd byte, escaped
    QVERIFY(process.readAllStandardOutput().isEmpty());
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System), before);
}

QTEST_GUILESS_MAIN(TestHostileCli)
#include "tst_hostilecli.moc"
