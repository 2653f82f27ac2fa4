#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace TuneDeck {
class JobList;
}

namespace TuneDeck::Ui {

class JobListModel;

// The Jobs page: every job TuneDeck follows (submitted from the window or with `tunedeck submit`),
// its state and the explanation core gives for it, updated by the cluster's tracker.
class JobsPage : public QWidget
{
    Q_OBJECT
public:
    explicit JobsPage(JobList* jobs, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    // Selects the row of a job (after a submission).
    void showJob(const QString& cluster, const QString& jobId);
    void setProgress(const QString& cluster, const QString& jobId, const QString& text);

Q_SIGNALS:
    // Open the live monitor of a job.
    void monitorRequested(const QString& cluster, const QString& jobId);
    // Open the monitor on its Slurm output tab.
    void slurmOutputRequested(const QString& cluster, const QString& jobId);

private:
    void updateButtons();

    JobList* m_jobs;
    JobListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QLabel* m_empty;
    QPushButton* m_refresh;
    QPushButton* m_cancel;
    QPushButton* m_monitor;
    QAction* m_copyId = nullptr;
    QAction* m_showOutput = nullptr;
};

} // namespace TuneDeck::Ui
