#include "ui/mainwindow.h"

#include "core/archive/runarchive.h"
#include "core/archive/runlist.h"
#include "core/archive/runloader.h"
#include "core/archive/runrecorder.h"
#include "core/job/generators.h"
#include "core/job/importresult.h"
#include "core/job/jobdesign.h"
#include "core/job/jobspecio.h"
#include "core/job/profileregistry.h"
#include "core/remote/clustersessions.h"
#include "core/remote/joblist.h"
#include "core/remote/jobmonitor.h"
#include "core/remote/jobnotification.h"
#include "core/telemetry/runtelemetry.h"
#include "core/util/atomicfiles.h"
#include "core/util/inputfile.h"
#include "ui/clusters/clusterspage.h"
#include "ui/clusters/sshprompthandler.h"
#include "ui/design/jobdesignpage.h"
#include "ui/design/jobform.h"
#include "ui/jobs/jobspage.h"
#include "ui/monitor/monitorpage.h"
#include "ui/runs/comparisonpage.h"
#include "ui/runs/reportpage.h"
#include "ui/runs/runspage.h"
#include "ui/widgets/namedcombobox.h"
#include <QSystemTrayIcon>
#include <QTabBar>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QThreadPool>

namespace TuneDeck::Ui {
namespace {

QString lastFolder()
{
    return QSettings().value(QStringLiteral("files/lastFolder"), QDir::homePath()).toString();
}

void rememberFolder(const QString& path)
{
    QSettings().setValue(QStringLiteral("files/lastFolder"), QFileInfo(path).absolutePath());
}

} // namespace

MainWindow::MainWindow(ClusterSessions* sessions, JobList* jobs, QWidget* parent)
    : QMainWindow((installNamedComboBoxAccessibility(), parent)) // before the pages' combo boxes exist
    , m_sessions(sessions)
    , m_jobs(jobs)
    , m_profiles(std::make_unique<ProfileRegistry>(sessions->userProfilesFolder()))
    , m_design(new JobDesign(this))
    , m_pages(new QTabWidget)
    , m_clustersPage(new ClustersPage(sessions))
    , m_designPage(new JobDesignPage(m_design, m_profiles.get()))
    , m_jobsPage(new JobsPage(jobs))
    , m_archive(std::make_unique<Archive::RunArchive>())
    , m_runList(nullptr)
    , m_runsPage(nullptr)
    , m_connections(new QLabel)
{
    const QString archiveError = m_archive->open();
    m_runList = new Archive::RunList(m_archive.get(), this);
    m_runsPage = new RunsPage(m_runList);
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("TuneDeck"));
    setAcceptDrops(true);
    m_pages->setObjectName(QStringLiteral("mainTabs"));
    m_pages->setDocumentMode(true);
    m_pages->addTab(m_clustersPage, tr("Clusters"));
    m_pages->addTab(m_designPage, tr("New job"));
    m_pages->addTab(m_jobsPage, tr("Jobs"));
    m_pages->addTab(m_runsPage, tr("Runs"));
    // Monitor tabs follow the four pages and can be closed; the pages cannot.
    m_pages->setTabsClosable(true);
    for (int page = 0; page < m_pages->count(); ++page)
        m_pages->tabBar()->setTabButton(page, QTabBar::RightSide, nullptr);
    connect(m_pages, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (index <= RunsPageIndex)
            return;
        QWidget* page = m_pages->widget(index);
        m_pages->removeTab(index);
        if (auto* monitor = qobject_cast<MonitorPage*>(page)) {
            m_monitors.remove(m_monitors.key(monitor));
            monitor->monitor()->deleteLater();
        }
        page->deleteLater();
    });
    setCentralWidget(m_pages);

    new SshPromptHandler(sessions, this);
    m_connections->setObjectName(QStringLiteral("connectionState"));
    statusBar()->addPermanentWidget(m_connections);
    for (ClusterSession* session : sessions->sessions())
        watchSession(session);
    connect(sessions, &ClusterSessions::sessionAdded, this, &MainWindow::watchSession);
    updateStatus();
    if (!archiveError.isEmpty())
        statusBar()->showMessage(tr("Runs are not archived: %1").arg(archiveError));

    createActions();

    connect(m_runsPage, &RunsPage::openRequested, this, &MainWindow::openArchivedRun);
    connect(m_runsPage, &RunsPage::compareRequested, this, &MainWindow::compareRuns);
    connect(m_runsPage, &RunsPage::reportRequested, this, &MainWindow::showRunReport);
    connect(m_runsPage, &RunsPage::newJobRequested, this, [this](qint64 runId) {
        const Archive::RunList::Entry* entry = m_runList->find(runId);
        if (!entry || entry->run.specYaml.isEmpty())
            return;
        const JobSpecLoadResult loaded = loadJobSpecFromYaml(entry->run.specYaml, entry->run.name);
        if (!loaded.ok()) {
            statusBar()->showMessage(
                tr("The spec of run '%1' cannot be read: %2").arg(entry->run.name, loaded.errors.value(0)));
            return;
        }
        m_design->setSpec(loaded.spec);
        if (m_profiles->find(loaded.spec.profile))
            m_designPage->selectCluster(loaded.spec.profile);
        m_design->renderNow();
        setSpecPath(QString());
        showPage(NewJobPageIndex);
        statusBar()->showMessage(tr("New job from run '%1'.").arg(entry->run.name), 10000);
    });

    connect(m_clustersPage, &ClustersPage::designRequested, this, [this](const QString& profile) {
        m_designPage->selectCluster(profile);
        showPage(NewJobPageIndex);
    });
    connect(m_designPage, &JobDesignPage::submitRequested, this, &MainWindow::submit);
    connect(m_jobsPage, &JobsPage::monitorRequested, this,
        [this](const QString& cluster, const QString& jobId) { openMonitor(cluster, jobId); });
    connect(m_jobsPage, &JobsPage::slurmOutputRequested, this, [this](const QString& cluster, const QString& jobId) {
        if (MonitorPage* page = openMonitor(cluster, jobId))
            page->showSlurmOutput();
    });
    connect(jobs, &JobList::phaseChanged, this, [this](int row, JobPhase before) { notify(row, int(before)); });
    connect(jobs, &JobList::recordChanged, this, [this](int row) {
        const JobRecord& record = m_jobs->records().at(row);
        if (MonitorPage* page = m_monitors.value(record.cluster + u'\n' + record.status.jobId))
            page->monitor()->setRecord(record);
    });
    connect(jobs, &JobList::submitProgress, this, [this](quint64 id, const QString& text) {
        if (id == m_submitId)
            m_designPage->setSubmitStatus(text, true);
    });
    connect(jobs, &JobList::submitFinished, this, [this](quint64 id, const SubmitResult& result) {
        if (id != m_submitId)
            return;
        m_submitId = 0;
        if (result.ok()) {
            m_designPage->setSubmitStatus(
                tr("Submitted job %1 (run directory %2).").arg(result.jobId, result.runDir), false);
            const QString cluster = m_design->spec().profile;
            // The run's design goes into the archive now; its logs follow while it is monitored.
            if (m_archive->isOpen()) {
                for (const JobRecord& record : m_jobs->records()) {
                    if (record.cluster != cluster || record.status.jobId != result.jobId)
                        continue;
                    const RenderedJob& files = m_design->rendered();
                    const QString error
                        = Archive::archiveSubmission(*m_archive, record, saveJobSpecToYaml(m_design->submitSpec()),
                            files.sbatchScript, files.accelerateYaml, files.trainYaml);
                    if (!error.isEmpty())
                        statusBar()->showMessage(tr("The run is not archived: %1").arg(error), 15000);
                    m_runList->reload();
                }
            }
            m_design->newRunDirectory(); // the next submission gets its own
            showPage(JobsPageIndex);
            m_jobsPage->showJob(cluster, result.jobId);
            statusBar()->showMessage(tr("Job %1 submitted.").arg(result.jobId), 10000);
        } else {
            m_designPage->setSubmitStatus(tr("Not submitted: %1").arg(result.error), false);
            auto* box = new QMessageBox(
                QMessageBox::Warning, tr("Not submitted"), tr("The job was not submitted."), QMessageBox::Ok, this);
            box->setInformativeText(result.error);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    connect(jobs, &JobList::errorIssued, this,
        [this](const QString& message) { statusBar()->showMessage(message, 15000); });

    // The design starts on the last cluster used, else the first profile.
    QSettings settings;
    const QString lastCluster = settings.value(QStringLiteral("design/cluster")).toString();
    const QStringList names = m_profiles->names();
    m_designPage->selectCluster(names.contains(lastCluster) ? lastCluster : names.value(0));
    m_clustersPage->selectCluster(lastCluster);
    m_design->renderNow();

    resize(1280, 760);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_pages->setCurrentIndex(settings.value(QStringLiteral("window/page"), ClustersPageIndex).toInt());
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    auto add
        = [this](QMenu* menu, const QString& text, const QKeySequence& keys, auto slot, const char* icon = nullptr) {
              QAction* action = menu->addAction(text);
              if (!keys.isEmpty())
                  action->setShortcut(keys);
              if (icon)
                  action->setIcon(QIcon::fromTheme(QString::fromLatin1(icon)));
              connect(action, &QAction::triggered, this, slot);
              return action;
          };
    add(file, tr("&New job"), QKeySequence::New, &MainWindow::newJob, "document-new");
    add(file, tr("&Open job spec…"), QKeySequence::Open, &MainWindow::openSpecDialog, "document-open");
    add(
        file, tr("&Save job spec"), QKeySequence::Save, [this]() { saveSpec(false); }, "document-save");
    add(
        file, tr("Save job spec &as…"), QKeySequence::SaveAs, [this]() { saveSpec(true); }, "document-save-as");
    file->addSeparator();
    add(file, tr("&Import sbatch script or YAML…"), QKeySequence(tr("Ctrl+I")), &MainWindow::importDialog,
        "document-import");
    add(file, tr("&Export the three files to a folder…"), QKeySequence(tr("Ctrl+E")), &MainWindow::saveFilesDialog,
        "document-export");
    file->addSeparator();
    add(file, tr("&Quit"), QKeySequence::Quit, &QWidget::close, "application-exit");

    QMenu* job = menuBar()->addMenu(tr("&Job"));
    QAction* submitAction
        = add(job, tr("&Submit…"), QKeySequence(tr("Ctrl+Return")), &MainWindow::submit, "media-playback-start");
    submitAction->setEnabled(m_design->isValid());
    connect(m_design, &JobDesign::validityChanged, submitAction, &QAction::setEnabled);
    add(
        job, tr("&Refresh job states"), QKeySequence::Refresh, [this]() { m_jobs->refresh(); }, "view-refresh");

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int page = 0; page < m_pages->count(); ++page) {
        add(view, m_pages->tabText(page), QKeySequence(tr("Ctrl+%1").arg(page + 1)),
            [this, page]() { showPage(Page(page)); });
    }

    // Monitor, comparison and report tabs close by keyboard too; the four pages stay.
    QAction* closeTab = add(
        view, tr("&Close tab"), QKeySequence::Close,
        [this]() { Q_EMIT m_pages->tabCloseRequested(m_pages->currentIndex()); }, "tab-close");
    closeTab->setObjectName(QStringLiteral("closeTab"));
    closeTab->setEnabled(false);
    connect(m_pages, &QTabWidget::currentChanged, closeTab,
        [closeTab](int index) { closeTab->setEnabled(index > RunsPageIndex); });

    // Each kind of notification can be turned off; remembered.
    view->addSeparator();
    QMenu* notifications = view->addMenu(tr("&Notify when a job…"));
    const std::pair<const char*, QString> kinds[] = { { "started", tr("&starts") }, { "completed", tr("&completes") },
        { "failed", tr("&fails, times out or runs out of memory") }, { "idle_gpu", tr("has an &idle GPU") },
        { "stalled_log", tr("stops &writing its training log") },
        { "time_limit", tr("nears its &time limit without a recent checkpoint") } };
    for (const auto& [key, text] : kinds) {
        QAction* action = notifications->addAction(text);
        action->setCheckable(true);
        const QString setting = u"notifications/" + QLatin1StringView(key);
        action->setChecked(QSettings().value(setting, true).toBool());
        connect(action, &QAction::toggled, this, [setting](bool on) { QSettings().setValue(setting, on); });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    add(help, tr("&About TuneDeck"), QKeySequence(), &MainWindow::about, "help-about");
    add(help, tr("About &Qt"), QKeySequence(), &QApplication::aboutQt);
}

void MainWindow::showPage(Page page)
{
    m_pages->setCurrentIndex(page);
}

void MainWindow::notify(int row, int before)
{
    const JobRecord& record = m_jobs->records().at(row);
    if (const std::optional<JobNotification> n = jobNotification(record, JobPhase(before)))
        showNotification(*n);
}

void MainWindow::showNotification(const JobNotification& notification)
{
    const JobNotification* n = &notification;
    if (!QSettings().value(u"notifications/" + notificationSettingKey(n->kind), true).toBool())
        return;
    // Always in the window; on the desktop too where there is a system tray.
    statusBar()->showMessage(n->title + u": " + n->text, 30000);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon(), this);
            m_tray->setToolTip(tr("TuneDeck"));
            m_tray->show();
        }
        m_tray->showMessage(n->title, n->text,
            n->kind == JobNotification::Kind::Started || n->kind == JobNotification::Kind::Completed
                ? QSystemTrayIcon::Information
                : QSystemTrayIcon::Warning);
    }
}

MonitorPage* MainWindow::openMonitor(const QString& cluster, const QString& jobId, bool inBackground)
{
    const QString key = cluster + u'\n' + jobId;
    if (MonitorPage* existing = m_monitors.value(key)) {
        if (!inBackground)
            m_pages->setCurrentWidget(existing);
        return existing;
    }
    const JobRecord* record = nullptr;
    for (const JobRecord& r : m_jobs->records())
        if (r.cluster == cluster && r.status.jobId == jobId)
            record = &r;
    if (!record)
        return nullptr;
    ClusterSession* session = m_sessions->session(cluster);
    // Everything the monitor follows is archived as it arrives, and resumed from there after a restart.
    Archive::RunRecorder* recorder
        = m_archive->isOpen() ? new Archive::RunRecorder(m_archive.get(), *record, this) : nullptr;
    auto* monitor = new JobMonitor(
        session, *record, this, recorder ? recorder->followHook() : std::function<void(RunMonitor&)>());
    if (recorder) {
        recorder->attach(monitor);
        connect(monitor, &QObject::destroyed, recorder, &QObject::deleteLater);
        connect(recorder, &Archive::RunRecorder::archiveError, this,
            [this](const QString& message) { statusBar()->showMessage(tr("Not archived: %1").arg(message), 15000); });
        connect(recorder, &Archive::RunRecorder::runSaved, m_runList, &Archive::RunList::reload);
    }
    connect(monitor, &JobMonitor::alert, this, &MainWindow::showNotification);
    connect(monitor, &JobMonitor::updated, this, [this, monitor, cluster, jobId]() {
        if (monitor->isFollowing())
            m_jobsPage->setProgress(cluster, jobId, monitor->progressText());
    });
    auto* page = new MonitorPage(monitor);
    m_monitors.insert(key, page);
    const int tab = m_pages->addTab(page, tr("Job %1").arg(jobId));
    if (!inBackground)
        m_pages->setCurrentIndex(tab);
    // Following needs the cluster: log in (a code is asked only if the session needs one).
    session->connectToCluster();
    return page;
}

MonitorPage* MainWindow::openArchivedRun(qint64 runId)
{
    const QString key = QStringLiteral("archive\n%1").arg(runId);
    if (MonitorPage* existing = m_monitors.value(key)) {
        m_pages->setCurrentWidget(existing);
        return existing;
    }
    const Archive::RunList::Entry* entry = m_runList->find(runId);
    if (!entry)
        return nullptr;
    // The coarse view draws the first full-range chart at once; the raw text is read in the background
    // and swapped in (zoomed views then have every sample). A run without a coarse view is read now.
    auto telemetry = m_runList->loadPreview(runId);
    const bool preview = telemetry != nullptr;
    if (!telemetry) {
        QString error;
        telemetry = m_runList->loadTelemetry(runId, &error);
        if (!telemetry) {
            QMessageBox::warning(
                this, tr("Cannot open run"), tr("Run '%1' cannot be read: %2").arg(entry->run.name, error));
            return nullptr;
        }
        m_runList->rebuildPreview(runId, *telemetry);
    }
    // Offline: the monitor stands over the stored text; no cluster, no alerts.
    auto* monitor = new JobMonitor(m_runList->jobRecord(runId), std::move(telemetry), this);
    if (preview) {
        // Its own connection: Qt SQL connections belong to the thread that opened them.
        const QString archivePath = m_archive->path();
        const Archive::ArchivedRun run = entry->run;
        QThreadPool::globalInstance()->start([archivePath, run, target = QPointer<JobMonitor>(monitor)]() {
            Archive::RunArchive archive;
            if (!archive.open(archivePath).isEmpty())
                return;
            auto full
                = std::make_shared<std::unique_ptr<Telemetry::RunTelemetry>>(Archive::loadRunTelemetry(archive, run));
            if (!*full)
                return;
            QMetaObject::invokeMethod(qApp, [target, full]() {
                if (target)
                    target->replaceRecorded(std::move(*full));
            });
        });
    }
    auto* page = new MonitorPage(monitor);
    m_monitors.insert(key, page);
    m_pages->setCurrentIndex(m_pages->addTab(page, tr("Run %1").arg(entry->run.name)));
    page->refresh();
    return page;
}

QWidget* MainWindow::compareRuns(const QList<qint64>& runIds)
{
    auto* page = new ComparisonPage(m_runList, runIds);
    m_pages->setCurrentIndex(m_pages->addTab(page, tr("Compare %1 runs").arg(runIds.size())));
    return page;
}

QWidget* MainWindow::showRunReport(qint64 runId)
{
    const Archive::RunList::Entry* entry = m_runList->find(runId);
    if (!entry)
        return nullptr;
    for (int index = RunsPageIndex + 1; index < m_pages->count(); ++index) {
        if (auto* open = qobject_cast<ReportPage*>(m_pages->widget(index)); open && open->runId() == runId) {
            m_pages->setCurrentIndex(index); // one tab per run's report
            return open;
        }
    }
    auto* page = new ReportPage(entry->run, m_runList->report(runId));
    m_pages->setCurrentIndex(m_pages->addTab(page, tr("Report %1").arg(entry->run.name)));
    return page;
}

void MainWindow::reattach(ClusterSession* session)
{
    // The jobs still running on a cluster get their monitors back when TuneDeck connects to it again (at
    // start, or after a restart), in tabs behind the current one, so their alerts are told too.
    QList<std::pair<QString, QString>> running;
    for (const JobRecord& r : m_jobs->records())
        if (r.cluster == session->name() && r.status.phase == JobPhase::Running)
            running.append({ r.cluster, r.status.jobId });
    for (const auto& [cluster, jobId] : running)
        openMonitor(cluster, jobId, true);
}

void MainWindow::watchSession(ClusterSession* session)
{
    connect(session, &ClusterSession::stateChanged, this, &MainWindow::updateStatus);
    connect(session, &ClusterSession::stateChanged, this, [this, session](ClusterSession::State state) {
        if (state == ClusterSession::State::Connected)
            reattach(session);
    });
    connect(session, &ClusterSession::warningIssued, this,
        [this](const QString& warning) { statusBar()->showMessage(warning, 10000); });
    connect(session, &ClusterSession::probeFinished, this, [this, session](const SlurmProbe& probe) {
        // The cluster's real accounts and QoS become the wizard's choices when it designs for this cluster.
        if (!probe.ok() || !session->profile() || session->profile()->name != m_design->spec().profile)
            return;
        QStringList accounts, qos;
        for (const SlurmAssociation& association : probe.associations) {
            accounts.append(association.account);
            for (const QString& q : association.qos)
                if (!qos.contains(q))
                    qos.append(q);
        }
        m_designPage->form()->setSuggestions(QStringLiteral("slurm.account"), accounts);
        if (!qos.isEmpty())
            m_designPage->form()->setSuggestions(QStringLiteral("slurm.qos"), qos);
        if (!probe.gpuTypes.isEmpty())
            m_designPage->form()->setSuggestions(QStringLiteral("slurm.gpu_type"), probe.gpuTypes);
    });
    updateStatus();
}

void MainWindow::updateStatus()
{
    QStringList parts;
    for (const ClusterSession* session : m_sessions->sessions()) {
        if (session->state() == ClusterSession::State::Disconnected && session->errorMessage().isEmpty())
            continue;
        parts.append(session->displayName() + u": " + session->stateText());
    }
    m_connections->setText(parts.isEmpty() ? tr("Not connected") : parts.join(QStringLiteral("  ·  ")));
}

void MainWindow::submit()
{
    m_design->renderNow();
    if (!m_design->isValid() || m_submitId != 0 || !m_design->profile())
        return;
    const QString cluster = m_design->profile()->name;
    QSettings().setValue(QStringLiteral("design/cluster"), cluster);
    m_designPage->setSubmitStatus(tr("Submitting to %1…").arg(m_design->profile()->displayName), true);
    m_submitId = m_jobs->submit(cluster, m_design->submitSpec(), *m_design->profile());
}

void MainWindow::newJob()
{
    JobSpec spec;
    if (m_design->profile())
        spec.profile = m_design->profile()->name;
    m_design->setSpec(spec);
    setSpecPath(QString());
    showPage(NewJobPageIndex);
}

void MainWindow::setSpecPath(const QString& path)
{
    m_specPath = path;
    setWindowFilePath(path);
    setWindowTitle(path.isEmpty() ? tr("TuneDeck") : tr("%1 — TuneDeck").arg(QFileInfo(path).fileName()));
}

bool MainWindow::openSpec(const QString& path)
{
    const JobSpecLoadResult loaded = loadJobSpecFromFile(path);
    if (!loaded.ok()) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open job spec"),
            tr("%1 could not be read as a job spec; the design is unchanged.").arg(path), QMessageBox::Ok, this);
        box->setDetailedText(loaded.errors.join(u'\n'));
        box->setInformativeText(loaded.errors.value(0));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    m_design->setSpec(loaded.spec);
    if (const std::optional<ClusterProfile> profile = m_profiles->find(loaded.spec.profile))
        m_designPage->selectCluster(profile->name);
    else
        statusBar()->showMessage(
            tr("The spec names the cluster profile '%1', which TuneDeck does not know").arg(loaded.spec.profile));
    m_design->renderNow();
    setSpecPath(path);
    rememberFolder(path);
    showPage(NewJobPageIndex);
    return true;
}

void MainWindow::openSpecDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open job spec"), lastFolder(), tr("Job specs (*.yaml *.yml);;All files (*)"));
    if (!path.isEmpty())
        openSpec(path);
}

bool MainWindow::saveSpec(bool askForPath)
{
    QString path = m_specPath;
    if (askForPath || path.isEmpty()) {
        path = QFileDialog::getSaveFileName(this, tr("Save job spec"),
            path.isEmpty() ? lastFolder() + u'/' + m_design->spec().slurm.jobName + u".yaml" : path,
            tr("Job specs (*.yaml *.yml)"));
        if (path.isEmpty())
            return false;
    }
    if (const QString problem = writeFilesAtomically({ { path, saveJobSpecToYaml(m_design->spec()) } });
        !problem.isEmpty()) {
        QMessageBox::warning(this, tr("Not saved"), problem);
        return false;
    }
    setSpecPath(path);
    rememberFolder(path);
    statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    return true;
}

bool MainWindow::importFiles(const QStringList& paths)
{
    QList<QPair<QString, QByteArray>> inputs;
    QStringList problems;
    for (const QString& path : paths) {
        const InputFile file = readInputFile(path, InputLimit::ImportedFile, tr("an imported file"));
        if (!file.ok())
            problems.append(file.error);
        else
            inputs.append({ path, file.bytes });
    }
    const ClusterProfile profile
        = m_design->profile().value_or(m_profiles->find(QStringLiteral("baskerville")).value_or(ClusterProfile {}));
    ImportResult result;
    if (problems.isEmpty()) {
        result = importJobFiles(inputs, profile);
        for (const ImportMessage& error : std::as_const(result.errors))
            problems.append(error.toString());
    }
    QStringList notes;
    for (const ImportMessage& note : std::as_const(result.notes))
        notes.append(note.toString());
    auto* box = new QMessageBox(this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("Import"));
    if (!problems.isEmpty()) {
        box->setIcon(QMessageBox::Warning);
        box->setText(tr("Nothing was imported: the files have errors."));
        box->setInformativeText(problems.join(u'\n'));
        box->open();
        return false;
    }
    result.spec.profile = profile.name;
    m_design->setSpec(result.spec);
    m_design->renderNow();
    setSpecPath(QString());
    showPage(NewJobPageIndex);
    box->setIcon(QMessageBox::Information);
    box->setText(tr(
        "Imported %n file(s) into a new design. Check the diagnostics before you submit.", nullptr, int(paths.size())));
    if (!notes.isEmpty()) {
        box->setInformativeText(tr("%n note(s) from the importer; see the details.", nullptr, int(notes.size())));
        box->setDetailedText(notes.join(u'\n'));
    }
    box->open();
    return true;
}

void MainWindow::importDialog()
{
    const QStringList paths
        = QFileDialog::getOpenFileNames(this, tr("Import sbatch script, accelerate or LLaMA-Factory YAML"),
            lastFolder(), tr("Scripts and configs (*.sh *.sbatch *.slurm *.yaml *.yml);;All files (*)"));
    if (!paths.isEmpty()) {
        rememberFolder(paths.front());
        importFiles(paths);
    }
}

void MainWindow::saveFilesDialog()
{
    m_design->renderNow();
    if (!m_design->isValid()) {
        QMessageBox::information(this, tr("Export"), tr("The design has errors; fix them first (see Diagnostics)."));
        showPage(NewJobPageIndex);
        return;
    }
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export the three files to"), lastFolder());
    if (folder.isEmpty())
        return;
    const RenderedJob& rendered = m_design->rendered();
    const QDir dir(folder);
    const QList<FileContent> files {
        { dir.filePath(QString::fromLatin1(SbatchFileName)), rendered.sbatchScript },
        { dir.filePath(QString::fromLatin1(AccelerateFileName)), rendered.accelerateYaml },
        { dir.filePath(QString::fromLatin1(TrainFileName)), rendered.trainYaml },
    };
    if (const QString problem = writeFilesAtomically(files); !problem.isEmpty()) {
        QMessageBox::warning(this, tr("Not exported"), problem);
        return;
    }
    statusBar()->showMessage(tr("Wrote %1, %2 and %3 to %4")
                                 .arg(QString::fromLatin1(SbatchFileName), QString::fromLatin1(AccelerateFileName),
                                     QString::fromLatin1(TrainFileName), folder),
        8000);
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About TuneDeck"),
        tr("<h3>TuneDeck %1</h3><p>Design, submit and watch LLM finetuning jobs on Slurm GPU clusters.</p>"
           "<p>Built with Qt %2, libssh and yaml-cpp.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/page"), m_pages->currentIndex());
    if (m_design->profile())
        settings.setValue(QStringLiteral("design/cluster"), m_design->profile()->name);
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    // One dropped job spec opens; anything else (scripts, accelerate or LLaMA-Factory YAMLs) imports.
    if (paths.size() == 1 && loadJobSpecFromFile(paths.front()).ok()
        && detectImportKind(readInputFile(paths.front(), InputLimit::ImportedFile, QString()).bytes)
            == ImportKind::Unknown)
        openSpec(paths.front());
    else
        importFiles(paths);
}

} // namespace TuneDeck::Ui
