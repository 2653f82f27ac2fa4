#pragma once

#include "core/archive/runlist.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace TuneDeck::Ui {

class RunListModel;

// The Runs page (issue 11 part 6): every archived run — the ones TuneDeck followed and the folders
// imported — sortable and searchable. Open shows a run in the monitor's view, offline; Compare puts the
// selected runs side by side; New job from run fills the designer with the run's spec; Efficiency report says what to
// change.
class RunsPage : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPage(Archive::RunList* runs, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    QList<qint64> selectedRuns() const;
    // What Open and New job from run act on: the one selected run, else the current row; 0 for none.
    qint64 runActedOn() const;
    // Imports folders or files into the archive in the background (RunList::startImport), then reports
    // the outcome on the page (and in a message box when nothing could be imported) and selects the run;
    // importFinished() follows with the run id, 0 when nothing was imported.
    void importPaths(const QStringList& paths);
    void selectRun(qint64 runId);
    QString statusText() const;

Q_SIGNALS:
    void openRequested(qint64 runId);
    void compareRequested(const QList<qint64>& runIds);
    void newJobRequested(qint64 runId);
    void reportRequested(qint64 runId);
    void importFinished(qint64 runId);

private:
    void updateButtons();
    void importDialog();
    void showImportOutcome(const QStringList& paths, const Archive::RunList::ImportOutcome& outcome);
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
    QPushButton* m_report;
    QPushButton* m_remove;
};

} // namespace TuneDeck::Ui
