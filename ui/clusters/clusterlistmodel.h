#pragma once

#include "core/remote/clustercatalog.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace TuneDeck {
class ClusterSessions;
}

namespace TuneDeck::Ui {

// The Clusters page's list: every cluster the user can pick (listClusters) with its connection state,
// which follows the sessions live.
class ClusterListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Source, Login, State, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1 };

    explicit ClusterListModel(ClusterSessions* sessions, QObject* parent = nullptr);

    // Reads the profiles and ~/.ssh/config again. Returns the broken profile files' messages.
    QStringList reload();
    const QList<ClusterEntry>& entries() const { return m_entries; }
    int rowOf(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void watchSessions();

    QPointer<ClusterSessions> m_sessions;
    QList<ClusterEntry> m_entries;
};

} // namespace TuneDeck::Ui
