#pragma once

#include <QAbstractTableModel>
#include <QPointer>

namespace TuneDeck {
class JobList;
}

namespace TuneDeck::Ui {

// The tracked jobs as a table for the Jobs page: one row per JobRecord of the JobList, updated row by
// row as the trackers report.
class JobListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { JobId, Name, Cluster, State, Explanation, Elapsed, Submitted, RunDir, ColumnCount };
    enum Role { ClusterRole = Qt::UserRole + 1, TerminalRole };

    explicit JobListModel(JobList* jobs, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QPointer<JobList> m_jobs;
    int m_rows = 0;
};

} // namespace TuneDeck::Ui
