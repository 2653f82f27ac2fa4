#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace TuneDeck::Archive {
class RunList;
}

namespace TuneDeck::Ui {

class RunListModel;

// The Runs page (issue 11 part 6): every archived run — the ones TuneDeck followed and the folders
// imported — sortable and searchable. Open shows a run in the monitor's view, offline; Compare puts the
// selected runs side by side; New job from run fills the designer with the run's spec.
class RunsPage : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPage(Archive::RunList* runs, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    QList<qint64> selectedRuns() const;
    // Imports folders or files into the archive, reporting the outcome on the page (and in a message box
    // when nothing could be imported). Returns the run id, 0 when nothing was imported.
    qint64 importPaths(const QStringList& paths);
    void selectRun(qint64 runId);
    QString statusText() const;

Q_SIGNALS:
    void openRequested(qint64 runId);
    void compareRequested(const QList<qint64>& runIds);
    void newJobRequested(qint64 runId);

private:
    void updateButtons();
    void importDialog();
    void removeSelected();

    Archive::RunList* m_runs;
    RunListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QLineEdit* m_search;
    QLabel* m_empty;
    QLabel* m_status;
    QPushButton* m_import;
    QPushButton* m_open;
    QPushButton* m_compare;
    QPushButton* m_newJob;
    QPushButton* m_remove;
};

} // namespace TuneDeck::Ui
