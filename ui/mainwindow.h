#pragma once

#include <QHash>
#include <QMainWindow>

#include <memory>

class QLabel;
class QSystemTrayIcon;
class QTabWidget;

namespace TuneDeck::Archive {
class RunArchive;
class RunList;
} // namespace TuneDeck::Archive

namespace TuneDeck {
class ClusterSession;
class ClusterSessions;
class JobDesign;
class JobList;
class ProfileRegistry;
struct JobNotification;
} // namespace TuneDeck

namespace TuneDeck::Ui {

class ClustersPage;
class JobDesignPage;
class JobsPage;
class MonitorPage;
class RunsPage;

// The top-level window: stacks the pages (Clusters, New job, Jobs, Runs), owns the menus, shortcuts
// and status bar, and connects the pages' requests to core (STYLE.md item 27: pages get their core
// objects in the constructor; MainWindow only stacks and connects them; a page never reaches into
// another).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Page { ClustersPageIndex, NewJobPageIndex, JobsPageIndex, RunsPageIndex };

    // `sessions` and `jobs` outlive the window (the app and tests own them).
    MainWindow(ClusterSessions* sessions, JobList* jobs, QWidget* parent = nullptr);
    ~MainWindow() override;

    JobDesign* design() const { return m_design; }
    ClustersPage* clustersPage() const { return m_clustersPage; }
    JobDesignPage* jobDesignPage() const { return m_designPage; }
    JobsPage* jobsPage() const { return m_jobsPage; }
    RunsPage* runsPage() const { return m_runsPage; }
    Archive::RunList* runList() const { return m_runList; }
    QTabWidget* pages() const { return m_pages; }

    // Loads a job spec into the designer (tunedeck gui FILE, File > Open). False, with a message box,
    // when the file cannot be read; the design is then unchanged.
    bool openSpec(const QString& path);
    // Reads sbatch scripts, accelerate and LLaMA-Factory YAMLs into a new design.
    bool importFiles(const QStringList& paths);
    void showPage(Page page);
    // Opens (or shows) the live monitor tab of a job, logging in to its cluster if needed.
    // inBackground: the tab is added behind the current one (re-attaching at start).
    MonitorPage* openMonitor(const QString& cluster, const QString& jobId, bool inBackground = false);
    // An archived run in the monitor's view, offline (Runs page, Open).
    MonitorPage* openArchivedRun(qint64 runId);
    // The selected archived runs side by side (Runs page, Compare).
    QWidget* compareRuns(const QList<qint64>& runIds);
    // The efficiency report of an archived run in a tab of its own; nullptr for an unknown run.
    QWidget* showRunReport(qint64 runId);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void watchSession(ClusterSession* session);
    void updateStatus();
    void submit();
    void newJob();
    void openSpecDialog();
    bool saveSpec(bool askForPath);
    void importDialog();
    void saveFilesDialog();
    void about();
    void setSpecPath(const QString& path);
    void notify(int row, int before);
    void showNotification(const TuneDeck::JobNotification& notification);
    void reattach(TuneDeck::ClusterSession* session);

    ClusterSessions* m_sessions;
    JobList* m_jobs;
    std::unique_ptr<ProfileRegistry> m_profiles;
    JobDesign* m_design;
    QTabWidget* m_pages;
    ClustersPage* m_clustersPage;
    JobDesignPage* m_designPage;
    JobsPage* m_jobsPage;
    std::unique_ptr<Archive::RunArchive> m_archive;
    Archive::RunList* m_runList;
    RunsPage* m_runsPage;
    QLabel* m_connections;
    QString m_specPath;
    QHash<QString, MonitorPage*> m_monitors; // "cluster\njob id", or "archive\nrun id" for an archived run
    QSystemTrayIcon* m_tray = nullptr; // where the desktop has a tray
    quint64 m_submitId = 0;
};

} // namespace TuneDeck::Ui
