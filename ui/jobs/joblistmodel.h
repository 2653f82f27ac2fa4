#pragma once

#include <QAbstractTableModel>
#include <QHash>
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
    enum Column {
        JobId,
        Name,
        Cluster,
        State,
        Explanation,
        Elapsed,
        Nodes,
        Gpus,
        Progress,
        Submitted,
        RunDir,
        ColumnCount
    };
    enum Role { ClusterRole = Qt::UserRole + 1, TerminalRole };

    explicit JobListModel(JobList* jobs, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // The Progress column of a job whose monitor is open ("step 3 of 21 · ETA 15 h 0 min"); empty clears.
    void setProgress(const QString& cluster, const QString& jobId, const QString& text);

private:
    QPointer<JobList> m_jobs;
    int m_rows = 0;
    QHash<QString, QString> m_progress; // cluster \n job id -> text
};

} // namespace TuneDeck::Ui
