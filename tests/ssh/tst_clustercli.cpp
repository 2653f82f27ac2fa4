#include "minibask.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;
using namespace TuneDeck::Test;

// `tunedeck connect|submit|jobs|cancel` end to end against mini-Baskerville's key + TOTP login node
// (LABEL cluster). The bundled "baskerville" profile's login host is pointed at the local login node
// through ~/.ssh/config, as a user would do for a jump host or a test system; the answers to the
// host-key and code prompts come on stdin, as from a script.
class TestClusterCli : public QObject
{
    Q_OBJECT
private:
    MiniBask m_cluster;
    QTemporaryDir m_home;

    ProcessResult tunedeck(const QStringList& arguments, const QByteArray& input = QByteArray(), int timeoutMs = 300000)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        env.remove(QStringLiteral("SSH_AUTH_SOCK"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(TUNEDECK_BINARY), arguments);
        if (!process.waitForStarted())
            return { -1, {}, "cannot start tunedeck" };
        process.write(input);
        process.closeWriteChannel();
        process.waitForFinished(timeoutMs);
        const ProcessResult result { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError() };
        if (result.exitCode != 0)
            qInfo().noquote() << "tunedeck" << arguments.join(u' ') << "->" << result.exitCode << "\n"
                              << QString::fromUtf8(result.err);
        return result;
    }

    QByteArray code() const { return m_cluster.totpCode() + '\n'; }
    QString knownHosts() const { return m_home.filePath(QStringLiteral(".ssh/known_hosts")); }

    QString writeSpec(const QString& name, const QString& account)
    {
        const QString path = m_home.filePath(name + QStringLiteral(".yaml"));
        writeFile(path,
            QStringLiteral("slurm:\n  account: %1\n  qos: %2\n  job_name: %3\nenvironment:\n  project_path: %4\n"
                           "  llama_factory_dir: %5\n  venv: %6\n")
                .arg(account, m_cluster.value("MINIBASK_QOS"), name, m_cluster.value("MINIBASK_PROJECT_DIR"),
                    m_cluster.value("MINIBASK_LLAMA_FACTORY_DIR"), m_cluster.value("MINIBASK_VENV"))
                .toUtf8());
        return path;
    }

    QJsonObject jobJson(const QString& jobId)
    {
        const ProcessResult jobs = tunedeck({ QStringLiteral("jobs"), QStringLiteral("--json") });
        for (const QJsonValue& job : QJsonDocument::fromJson(jobs.out).object().value(QStringLiteral("jobs")).toArray())
            if (job.toObject().value(QStringLiteral("id")).toString() == jobId)
                return job.toObject();
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cluster = MiniBask::load({ QStringLiteral("sshd"), QStringLiteral("slurm") });
        REQUIRE_MINIBASK(m_cluster);
        QVERIFY(QFile::exists(QStringLiteral(TUNEDECK_BINARY)));
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral(".ssh")));
        writeFile(m_home.filePath(QStringLiteral(".ssh/config")),
            QStringLiteral("Host login.baskerville.ac.uk\n  HostName %1\n  Port %2\n  User %3\n  IdentityFile %4\n"
                           "  UserKnownHostsFile %5\n  ControlMaster auto\n")
                .arg(m_cluster.host())
                .arg(m_cluster.totpPort())
                .arg(m_cluster.value("MINIBASK_USER"), m_cluster.value("MINIBASK_KEY"), knownHosts())
                .toUtf8());
    }

    void connectRejectingTheHostKey()
    {
        const ProcessResult result = tunedeck({ QStringLiteral("connect"), QStringLiteral("baskerville") }, "no\n");
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.err.contains("SHA256:"));
        QVERIFY(result.err.contains("not accepted"));
        QVERIFY(!result.err.contains("Verification code")); // nothing asked (or sent) after the refusal
        QVERIFY(!QFile::exists(knownHosts()) || readFile(knownHosts()).isEmpty());
        // The unsupported option is named, not silently dropped.
        QVERIFY(result.err.contains("'controlmaster' is not used by TuneDeck"));
    }

    void connectAcceptingTheHostKeyWithOneCode()
    {
        const ProcessResult result
            = tunedeck({ QStringLiteral("connect"), QStringLiteral("baskerville") }, "yes\n" + code());
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.err.count("Verification code"), 1);
        QVERIFY(result.out.contains("Slurm 22.05"));
        QVERIFY(result.out.contains(QByteArray(m_cluster.value("MINIBASK_ACCOUNT").toUtf8() + ": turing")));
        QVERIFY(result.out.contains("GPU types: a100_40, a100_80"));
        QVERIFY(readFile(knownHosts()).contains(QByteArray("[127.0.0.1]:" + QByteArray::number(m_cluster.totpPort()))));
    }

    void submitAndFollowToCompleted()
    {
        const QString spec = writeSpec(QStringLiteral("cli-e2e"), m_cluster.value("MINIBASK_ACCOUNT"));
        const ProcessResult submitted = tunedeck({ QStringLiteral("submit"), QStringLiteral("--spec"), spec,
                                                     QStringLiteral("--cluster"), QStringLiteral("baskerville") },
            code());
        QCOMPARE(submitted.exitCode, 0);
        QCOMPARE(submitted.err.count("Verification code"), 1); // one code for the whole submission
        const QString jobId = QString::fromUtf8(submitted.out.trimmed());
        QVERIFY2(!jobId.isEmpty() && jobId.toLongLong() > 0, submitted.out.constData());

        const ProcessResult watched = tunedeck(
            { QStringLiteral("jobs"), QStringLiteral("--watch"), QStringLiteral("--interval"), QStringLiteral("2") },
            code());
        QCOMPARE(watched.exitCode, 0);
        QVERIFY2(watched.out.contains(jobId.toUtf8()) && watched.out.contains("COMPLETED"), watched.out.constData());

        // Final states are remembered: no login, no query, no code needed any more.
        const QJsonObject job = jobJson(jobId);
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("COMPLETED"));
        QCOMPARE(job.value(QStringLiteral("name")).toString(), QStringLiteral("cli-e2e"));
        const QString runDir = job.value(QStringLiteral("run_dir")).toString();
        QVERIFY(runDir.startsWith(m_cluster.value("MINIBASK_PROJECT_DIR") % u"/tunedeck/runs/cli-e2e-"));
        QCOMPARE(QDir(runDir % u"/telemetry").entryList({ u"dmon-" % jobId % u"-*.txt" }).size(), 4);

        // The state file holds no secret.
        const QByteArray stateFile = readFile(m_home.filePath(QStringLiteral("data/TuneDeck/tunedeck/jobs.json")));
        QVERIFY(stateFile.contains(jobId.toUtf8()));
        QVERIFY(!stateFile.contains(m_cluster.totpCode()));
    }

    void rejectedSubmissionNamesTheField()
    {
        const QString spec = writeSpec(QStringLiteral("cli-bad-account"), QStringLiteral("vjgo8416-other"));
        const ProcessResult result = tunedeck({ QStringLiteral("submit"), QStringLiteral("--spec"), spec,
                                                  QStringLiteral("--cluster"), QStringLiteral("baskerville") },
            code());
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(
            result.err.contains("check account") && result.err.contains("Invalid account"), result.err.constData());
    }

    void invalidDesignNeedsNoLogin()
    {
        const QString spec = writeSpec(QStringLiteral("cli-invalid"), QStringLiteral("bad account;"));
        const ProcessResult result = tunedeck({ QStringLiteral("submit"), QStringLiteral("--spec"), spec,
            QStringLiteral("--cluster"), QStringLiteral("baskerville") });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("slurm.account"), result.err.constData());
        QVERIFY(!result.err.contains("Verification code")); // rejected before logging in
    }

    void cancelASubmittedJob()
    {
        const QString spec = writeSpec(QStringLiteral("cli-cancel"), m_cluster.value("MINIBASK_ACCOUNT"));
        const ProcessResult submitted = tunedeck({ QStringLiteral("submit"), QStringLiteral("--spec"), spec,
                                                     QStringLiteral("--cluster"), QStringLiteral("baskerville") },
            code());
        QCOMPARE(submitted.exitCode, 0);
        const QString jobId = QString::fromUtf8(submitted.out.trimmed());
        const ProcessResult cancelled = tunedeck({ QStringLiteral("cancel"), jobId }, code());
        QCOMPARE(cancelled.exitCode, 0);
        QVERIFY(cancelled.out.contains(QByteArray("Cancelled job " + jobId.toUtf8())));
        const ProcessResult watched = tunedeck(
            { QStringLiteral("jobs"), QStringLiteral("--watch"), QStringLiteral("--interval"), QStringLiteral("2") },
            code());
        QCOMPARE(watched.exitCode, 0);
        const QJsonObject job = jobJson(jobId);
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("CANCELLED"));
        QVERIFY2(job.value(QStringLiteral("explanation")).toString().contains(u"by you"),
            qPrintable(job.value(QStringLiteral("explanation")).toString()));

        QCOMPARE(tunedeck({ QStringLiteral("cancel"), QStringLiteral("12;rm") }).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestClusterCli)
#include "tst_clustercli.moc"
