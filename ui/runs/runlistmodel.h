#pragma once

#include <QAbstractTableModel>

namespace TuneDeck::Archive {
class RunList;
}

namespace TuneDeck::Ui {

// The Runs page's table: one row per archived run of a RunList. SortRole gives numbers and dates as
// numbers, so sorting by seconds per step or GPU-hours is numeric.
class RunListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Cluster, Shape, State, Date, Steps, SecondsPerStep, GpuHours, ColumnCount };
    enum Role { RunIdRole = Qt::UserRole + 1, SortRole };

    explicit RunListModel(Archive::RunList* runs, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    Archive::RunList* m_runs;
};

} // namespace TuneDeck::Ui
