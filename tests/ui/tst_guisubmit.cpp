// End to end through the real window against mini-Baskerville (LABEL cluster): connect on the Clusters
// page through the dialogs (host key, then one one-time code), design the walkthrough's job, submit,
// and watch it reach COMPLETED on the Jobs page, with one code in all.
#include "../ssh/minibask.h"
#include "core/archive/runarchive.h"
#include "core/archive/runlist.h"
#include "core/job/jobdesign.h"
#include "core/remote/clustersessions.h"
#include "core/remote/joblist.h"
#include "core/remote/jobmonitor.h"
#include "runsimport.h"
#include "ui/clusters/clusterlistmodel.h"
#include "ui/clusters/clusterspage.h"
#include "ui/clusters/sshpromptdialog.h"
#include "ui/design/jobdesignpage.h"
#include "ui/jobs/joblistmodel.h"
#include "ui/jobs/jobspage.h"
#include "ui/mainwindow.h"
#include "ui/monitor/heatmapwidget.h"
#include "ui/monitor/monitorpage.h"
#include "ui/runs/comparisonpage.h"
#include "ui/runs/runspage.h"

#include <QChart>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QTabWidget>

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;
using namespace TuneDeck::Ui;

class TestGuiSubmit : public QObject
{
    Q_OBJECT

private:
    Test::MiniBask m_cluster;
    QTemporaryDir m_home;

    QString knownHosts() const { return m_home.filePath(QStringLiteral(".ssh/known_hosts")); }

    // With TUNEDECK_SCREENSHOT_DIR set (tests/ui/take-screenshots.sh runs this test on Xvfb), the screen
    // is captured at each stage with `import -window root`, for the README.
    static void screenshot(const char* name)
    {
        const QString dir = qEnvironmentVariable("TUNEDECK_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QTest::qWait(400); // let the last change paint
        const QString path = dir + u'/' + QLatin1StringView(name) + u".png";
        QCOMPARE(
            QProcess::execute(QStringLiteral("import"), { QStringLiteral("-window"), QStringLiteral("root"), path }),
            0);
    }

    static SshPromptDialog* openDialog(QWidget* window)
    {
        for (SshPromptDialog* dialog : window->findChildren<SshPromptDialog*>())
            if (dialog->isVisible())
                return dialog;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("TUNEDECK_ARCHIVE", m_home.filePath(QStringLiteral("archive.sqlite")).toUtf8());
        m_cluster = Test::MiniBask::load({ QStringLiteral("sshd"), QStringLiteral("slurm") });
        REQUIRE_MINIBASK(m_cluster);
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral(".ssh")));
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral("profiles")));
        // The bundled profile's login host leads to the local login node, as a jump host would.
        Test::writeFile(m_home.filePath(QStringLiteral(".ssh/config")),
            QStringLiteral("Host login.baskerville.ac.uk\n  HostName %1\n  Port %2\n  User %3\n  IdentityFile %4\n"
                           "  UserKnownHostsFile %5\n")
                .arg(m_cluster.host())
                .arg(m_cluster.totpPort())
                .arg(m_cluster.value("MINIBASK_USER"), m_cluster.value("MINIBASK_KEY"), knownHosts())
                .toUtf8());
    }

    // A known_hosts entry for the login node with another key: the window refuses, shows both
    // fingerprints, and offers no way to connect anyway; nothing is asked, no code is sent.
    void changedHostKeyIsRefusedInTheWindow()
    {
        QTemporaryDir home;
        QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".ssh")));
        const QString otherKey = home.filePath(QStringLiteral("other"));
        QCOMPARE(QProcess::execute(QStringLiteral("ssh-keygen"),
                     { QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                         QString(), QStringLiteral("-f"), otherKey }),
            0);
        const QByteArray publicKey = Test::readFile(otherKey + u".pub").split(' ').mid(0, 2).join(' ');
        const QString hosts = home.filePath(QStringLiteral(".ssh/known_hosts"));
        Test::writeFile(hosts,
            "[" + m_cluster.host().toUtf8() + "]:" + QByteArray::number(m_cluster.totpPort()) + ' ' + publicKey + '\n');
        Test::writeFile(home.filePath(QStringLiteral(".ssh/config")),
            QStringLiteral("Host login.baskerville.ac.uk\n  HostName %1\n  Port %2\n  User %3\n  IdentityFile %4\n"
                           "  UserKnownHostsFile %5\n")
                .arg(m_cluster.host())
                .arg(m_cluster.totpPort())
                .arg(m_cluster.value("MINIBASK_USER"), m_cluster.value("MINIBASK_KEY"), hosts)
                .toUtf8());
        ClusterSessions sessions;
        sessions.setUserProfilesFolder(home.filePath(QStringLiteral("profiles")));
        sessions.setSshConfigContext({ home.path(), QStringLiteral("tester"), QStringLiteral("~/.ssh/config") });
        sessions.setOptionsAdjuster(
            [](SshConnectionOptions& options) { options.identityAgent = QStringLiteral("none"); });
        JobList jobs(&sessions, home.filePath(QStringLiteral("jobs.json")));
        MainWindow window(&sessions, &jobs);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.clustersPage()->selectCluster(QStringLiteral("baskerville"));
        QTest::mouseClick(window.clustersPage()->connectButton(), Qt::LeftButton);
        HostKeyRefusedDialog* refused = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((refused = window.findChild<HostKeyRefusedDialog*>()) != nullptr, 30000);
        ClusterSession* session = sessions.find(QStringLiteral("baskerville"));
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), ClusterSession::State::Failed, 30000);
        QVERIFY(session->refusedHostKey());
        QString text;
        for (QLabel* label : refused->findChildren<QLabel*>())
            text += label->text() + u'\n';
        QVERIFY(text.contains(session->refusedHostKey()->fingerprint));
        QVERIFY(text.contains(session->refusedHostKey()->knownFingerprint));
        QVERIFY(!openDialog(&window)); // no prompt: not the host key, not a code
        QCOMPARE(Test::readFile(hosts).count('\n'), 1); // known_hosts untouched
        refused->close();
    }

    void connectDesignSubmitAndWatchItComplete()
    {
        ClusterSessions sessions;
        sessions.setUserProfilesFolder(m_home.filePath(QStringLiteral("profiles")));
        sessions.setSshConfigContext({ m_home.path(), QStringLiteral("tester"), QStringLiteral("~/.ssh/config") });
        sessions.setOptionsAdjuster([](SshConnectionOptions& options) {
            options.identityAgent = QStringLiteral("none");
            options.connectTimeout = std::chrono::seconds(20);
        });
        JobList jobs(&sessions, m_home.filePath(QStringLiteral("jobs.json")));
        JobTrackerIntervals fast;
        fast.running = std::chrono::milliseconds(1000);
        fast.pending = std::chrono::milliseconds(1000);
        fast.accountingRetry = std::chrono::milliseconds(2000);
        jobs.setTrackerIntervals(fast);
        MainWindow window(&sessions, &jobs);
        window.setGeometry(0, 0, 1366, 768); // a laptop screen
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList told; // every message the status bar showed (notifications included)
        connect(window.statusBar(), &QStatusBar::messageChanged, this, [&told](const QString& m) { told.append(m); });

        // The stand-ins misbehave on request: GPU 2 of bask-pg04 idles while the others step, and a step
        // takes 4 s, so the run lasts long enough (~90 s) to be watched live. Put back at the end.
        const QString misbehave = m_cluster.value("MINIBASK_HOME") + u"/.minibask/misbehave";
        const QString speedFile = m_cluster.value("MINIBASK_SPEED_FILE");
        const QByteArray oldSpeed = Test::readFile(speedFile);
        const auto restore = qScopeGuard([misbehave, speedFile, oldSpeed]() {
            QFile::remove(misbehave);
            Test::writeFile(speedFile, oldSpeed);
        });
        Test::writeFile(misbehave, "idle_gpu=bask-pg04:2\n");
        Test::writeFile(speedFile, "4\n");
        for (const QString& path : { misbehave, speedFile })
            QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);

        // Clusters page: pick Baskerville and press Connect.
        window.showPage(MainWindow::ClustersPageIndex);
        window.clustersPage()->selectCluster(QStringLiteral("baskerville"));
        QTest::mouseClick(window.clustersPage()->connectButton(), Qt::LeftButton);

        // The unknown host key: its fingerprint is shown; accept with Return (the default button).
        SshPromptDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = openDialog(&window)) != nullptr, 30000);
        QCOMPARE(dialog->prompt().kind, SshPrompt::Kind::HostKey);
        QVERIFY(dialog->prompt().hostKey.fingerprint.startsWith(u"SHA256:"));
        screenshot("clusters-host-key");
        QTest::keyClick(dialog, Qt::Key_Return);

        // One keyboard-interactive round asking for the code, echo off.
        QTRY_VERIFY_WITH_TIMEOUT((dialog = openDialog(&window)) != nullptr, 30000);
        QCOMPARE(dialog->prompt().kind, SshPrompt::Kind::KeyboardInteractive);
        QCOMPARE(dialog->fields().size(), 1);
        QCOMPARE(dialog->fields().front()->echoMode(), QLineEdit::Password);
        QTest::keyClicks(dialog->fields().front(), QString::fromLatin1(m_cluster.totpCode()));
        QTest::keyClick(dialog->fields().front(), Qt::Key_Return);
        int codesAsked = 1;

        ClusterSession* session = sessions.find(QStringLiteral("baskerville"));
        QVERIFY(session);
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), ClusterSession::State::Connected, 30000);
        QVERIFY(Test::readFile(knownHosts()).contains("[127.0.0.1]:"));
        // The probe's accounts reach the Clusters page.
        QTRY_VERIFY_WITH_TIMEOUT(window.clustersPage()
                                     ->findChild<QLabel*>(QStringLiteral("clusterDetails"))
                                     ->text()
                                     .contains(m_cluster.value("MINIBASK_ACCOUNT")),
            30000);

        // New job: the walkthrough's job for the demo cluster's project.
        window.showPage(MainWindow::NewJobPageIndex);
        JobDesign* design = window.design();
        design->setFieldText(QStringLiteral("slurm.account"), m_cluster.value("MINIBASK_ACCOUNT"));
        design->setFieldText(QStringLiteral("slurm.qos"), m_cluster.value("MINIBASK_QOS"));
        design->setFieldText(QStringLiteral("slurm.job_name"), QStringLiteral("gui-e2e"));
        design->setFieldText(QStringLiteral("environment.project_path"), m_cluster.value("MINIBASK_PROJECT_DIR"));
        design->setFieldText(
            QStringLiteral("environment.llama_factory_dir"), m_cluster.value("MINIBASK_LLAMA_FACTORY_DIR"));
        design->setFieldText(QStringLiteral("environment.venv"), m_cluster.value("MINIBASK_VENV"));
        design->setFieldText(QStringLiteral("training.dataset_examples"), QStringLiteral("981"));
        QCOMPARE(design->fieldText(QStringLiteral("slurm.nodes")), QStringLiteral("4"));
        QCOMPARE(design->fieldText(QStringLiteral("slurm.mem")), QStringLiteral("491520"));
        QPushButton* submit = window.jobDesignPage()->submitButton();
        QTRY_VERIFY(submit->isEnabled());
        screenshot("new-job");
        const QString runDir = design->runDirectory();
        QTest::mouseClick(submit, Qt::LeftButton);

        // The Jobs page shows it, and the tracker takes it to COMPLETED.
        QTableView* view = window.jobsPage()->view();
        QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, 120000);
        QCOMPARE(window.pages()->currentIndex(), int(MainWindow::JobsPageIndex));
        const QModelIndex state = view->model()->index(0, JobListModel::State);
        const QString jobId = view->model()->index(0, JobListModel::JobId).data().toString();
        // Watched live: the monitor opened while the job runs flags the idle GPU in its header and on the
        // heat-map, and tells it once.
        QTRY_COMPARE_WITH_TIMEOUT(state.data().toString(), QStringLiteral("RUNNING"), 120000);
        MonitorPage* live = window.openMonitor(QStringLiteral("baskerville"), jobId);
        QVERIFY(live);
        Telemetry::FlagThresholds quick; // idle for 20 s, not 5 min: the stand-in's run is short
        quick.idleMinimumSeconds = 20;
        live->monitor()->setFlagThresholds(quick);
        QTRY_VERIFY_WITH_TIMEOUT(
            live->findChild<QLabel*>(QStringLiteral("monitorFlags"))->text().contains(u"idle GPU: bask-pg04 GPU 2"),
            90000);
        QCOMPARE(live->heatmap()->flagAt(QStringLiteral("bask-pg04"), 2), QStringLiteral("idle"));
        QTRY_VERIFY2_WITH_TIMEOUT(told.filter(u"a GPU is idle").size() == 1, qPrintable(told.join(u'\n')), 30000);
        QVERIFY2(told.filter(u"a GPU is idle").front().contains(u"GPU 2 on bask-pg04"), qPrintable(told.join(u'\n')));
        QTRY_COMPARE_WITH_TIMEOUT(state.data().toString(), QStringLiteral("COMPLETED"), 300000);
        QCOMPARE(view->model()->index(0, JobListModel::Name).data().toString(), QStringLiteral("gui-e2e"));
        // The notification, in the window (the offscreen platform has no tray).
        QTRY_COMPARE(told.filter(u"(gui-e2e) completed").size(), 1);
        window.showPage(MainWindow::JobsPageIndex);
        view->selectRow(0);
        screenshot("jobs");
        // What was previewed is what ran: the run directory the preview showed.
        QCOMPARE(view->model()->index(0, JobListModel::RunDir).data().toString(), runDir);
        QVERIFY(QFile::exists(runDir + u"/job.sbatch"));
        // The live monitor of the finished job: all 16 GPUs of the 4 nodes, each series no longer than the
        // chart is wide, and the heat-map of the last minute.
        MonitorPage* monitor = window.openMonitor(QStringLiteral("baskerville"), jobId);
        QCOMPARE(monitor, live); // the same tab, brought to the front
        QCOMPARE(window.pages()->currentWidget(), monitor);
        QTRY_COMPARE_WITH_TIMEOUT(monitor->seriesNames().size(), 16, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(monitor->pointCount(monitor->seriesNames().front()) > 0, 30000);
        for (const QString& name : monitor->seriesNames())
            QVERIFY(monitor->pointCount(name) <= std::max(50, int(monitor->chart()->plotArea().width())));
        QCOMPARE(monitor->monitor()->nodes().size(), 4);
        QTRY_VERIFY(
            monitor->heatmap()->accessibleDescription().section(QStringLiteral("; flagged"), 0, 0).count(u"GPU") == 16);
        QVERIFY(monitor->heatmap()->accessibleDescription().contains(u"flagged: bask-pg04 GPU 2 idle"));
        QTRY_VERIFY_WITH_TIMEOUT(
            monitor->findChild<QLabel*>(QStringLiteral("monitorProgress"))->text().contains(u"step 21 of 21"), 30000);
        QCOMPARE(told.filter(u"a GPU is idle").size(), 1); // told once, however often the monitor refreshed
        screenshot("monitor");
        // The other views of the run: the loss by step, the hosts' vmstat, the Slurm output.
        QTRY_VERIFY(!monitor->lossChart()->series().isEmpty()
            && static_cast<QLineSeries*>(monitor->lossChart()->series().front())->count() > 0);
        QTRY_COMPARE(monitor->hostChart()->series().size(), 4); // a line per node
        QTRY_VERIFY(monitor->log()->toPlainText().contains(u"Running training"));
        monitor->views()->setCurrentIndex(1);
        screenshot("monitor-training");

        // No other question was asked: one code for connecting, probing, submitting and tracking.
        if (SshPromptDialog* extra = openDialog(&window)) {
            ++codesAsked;
            extra->reject();
        }
        QCOMPARE(codesAsked, 1);
        // The job list file holds no secret.
        QVERIFY(!Test::readFile(m_home.filePath(QStringLiteral("jobs.json"))).contains(m_cluster.totpCode()));

        // The run was archived as it streamed: its design, every followed file byte for byte, its figures.
        Archive::RunList* runs = window.runList();
        QTRY_VERIFY_WITH_TIMEOUT(!runs->entries().isEmpty() && runs->entries().first().summary.stepsDone == 21, 30000);
        const Archive::RunList::Entry submitted = runs->entries().first();
        QCOMPARE(submitted.run.name, QStringLiteral("gui-e2e"));
        QCOMPARE(submitted.run.cluster, QStringLiteral("baskerville"));
        QCOMPARE(submitted.run.jobId, jobId);
        QCOMPARE(submitted.run.state, QStringLiteral("COMPLETED"));
        QCOMPARE(submitted.run.shapeText(), QStringLiteral("4 × 4 a100_40"));
        QVERIFY(submitted.run.sbatchScript.startsWith("#!/bin/bash"));
        QVERIFY(submitted.run.specYaml.contains("job_name: gui-e2e"));
        QCOMPARE(submitted.summary.gpusRecorded, 16);
        const QList<Archive::ArchivedFile> files = runs->archive()->files(submitted.run.id);
        QVERIFY2(files.size() >= 9, qPrintable(QString::number(files.size()))); // 4 dmon, 4 vmstat, the Slurm output
        for (const Archive::ArchivedFile& f : files)
            QCOMPARE(f.storedBytes, QFileInfo(f.path).size());
        QCOMPARE(runs->archive()->integrityCheck(), QStringLiteral("ok"));

        // Closed and opened again, the monitor resumes from the stored offsets: the same samples, once.
        const QString first = monitor->seriesNames().front();
        const auto countOf = [](MonitorPage* page) {
            const auto* t = page->monitor()->telemetry();
            qint64 n = 0;
            for (int id = 0; t && id < t->store().seriesKeys().size(); ++id)
                n += t->store().sampleCount(id);
            return n;
        };
        const qint64 samples = countOf(monitor);
        QVERIFY(samples > 0);
        Q_EMIT window.pages()->tabCloseRequested(window.pages()->indexOf(monitor));
        MonitorPage* again = window.openMonitor(QStringLiteral("baskerville"), jobId);
        QVERIFY(again);
        QTRY_COMPARE_WITH_TIMEOUT(again->seriesNames().size(), 16, 30000);
        // Two more polls of every file: nothing new may arrive, nothing may be read twice.
        QTRY_VERIFY_WITH_TIMEOUT(again->monitor()->liveMonitor(), 30000);
        QSignalSpy polls(&again->monitor()->liveMonitor()->follower(), &RemoteFileFollower::pollFinished);
        QTRY_VERIFY_WITH_TIMEOUT(polls.count() >= 2, 30000);
        QCOMPARE(countOf(again), samples);
        QVERIFY(again->monitor()->progressText().startsWith(u"step 21 of 21"));
        for (const Archive::ArchivedFile& f : runs->archive()->files(submitted.run.id))
            QCOMPARE(f.storedBytes, QFileInfo(f.path).size());

        // Compared with the walkthrough's own run folder, in the window and on the command line.
        RunsPage* runsPage = window.runsPage();
        const qint64 walkthrough
            = Test::importAndWait(runsPage, { QStringLiteral(TUNEDECK_SOURCE_DIR "/tests/archive/data/walkthrough") });
        QVERIFY(walkthrough > 0);
        auto* comparison = qobject_cast<ComparisonPage*>(window.compareRuns({ walkthrough, submitted.run.id }));
        QVERIFY(comparison);
        const Archive::RunComparison& table = comparison->comparison();
        for (const Archive::ComparisonRow& row : table.rows) {
            if (row.key == u"steps_done")
                QCOMPARE(row.texts, QStringList({ QStringLiteral("3 of 21"), QStringLiteral("21 of 21") }));
            if (row.key == u"ended_by")
                QCOMPARE(row.texts.first(), QStringLiteral("time_limit"));
        }
        screenshot("runs-compare");
        window.showPage(MainWindow::RunsPageIndex);
        screenshot("runs");
        const Test::ProcessResult cli = Test::runTunedeck({ QStringLiteral("compare"), QString::number(walkthrough),
            QString::number(submitted.run.id), QStringLiteral("--json"), QStringLiteral("--archive"),
            m_home.filePath(QStringLiteral("archive.sqlite")) });
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const QJsonArray columns = QJsonDocument::fromJson(cli.out).object().value(QStringLiteral("runs")).toArray();
        QCOMPARE(columns.size(), 2);
        const QJsonObject ours = columns.at(1).toObject().value(QStringLiteral("figures")).toObject();
        QCOMPARE(ours.value(QStringLiteral("steps_done")).toDouble(), 21.0);
        QCOMPARE(ours.value(QStringLiteral("gpus_recorded")).toDouble(), 16.0);
        QVERIFY(ours.value(QStringLiteral("gpu_hours_per_1000_steps")).isDouble());
        QCOMPARE(Test::runFigure(columns, 0, QStringLiteral("steps_done")).toDouble(), 3.0);

        // The connection drops: the monitor says its charts stop at what had arrived.
        auto* progress = again->findChild<QLabel*>(QStringLiteral("monitorProgress"));
        QVERIFY(progress);
        QVERIFY(!progress->text().contains(u"Not connected"));
        session->disconnectFromCluster();
        QTRY_VERIFY_WITH_TIMEOUT(progress->text().contains(u"Not connected to baskerville"), 10000);
        QVERIFY(progress->text().startsWith(u"Nodes: ")); // the last figures stay
    }
};

QTEST_MAIN(TestGuiSubmit)
#include "tst_guisubmit.moc"
