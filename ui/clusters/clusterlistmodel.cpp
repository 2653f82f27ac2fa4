#include "ui/clusters/clusterlistmodel.h"

#include "core/remote/clustersessions.h"

#include <QApplication>
#include <QStyle>

namespace TuneDeck::Ui {

ClusterListModel::ClusterListModel(ClusterSessions* sessions, QObject* parent)
    : QAbstractTableModel(parent)
    , m_sessions(sessions)
{
    reload();
    auto watch = [this](ClusterSession* session) {
        connect(session, &ClusterSession::stateChanged, this, [this, session]() {
            const int row = rowOf(session->name());
            if (row >= 0)
                Q_EMIT dataChanged(index(row, State), index(row, State));
        });
    };
    for (ClusterSession* session : sessions->sessions())
        watch(session);
    connect(sessions, &ClusterSessions::sessionAdded, this, watch);
}

QStringList ClusterListModel::reload()
{
    QStringList errors;
    beginResetModel();
    m_entries = listClusters(*m_sessions, &errors);
    endResetModel();
    return errors;
}

int ClusterListModel::rowOf(const QString& name) const
{
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries.at(row).name == name)
            return row;
    return -1;
}

int ClusterListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ClusterListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClusterListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClusterEntry& entry = m_entries.at(index.row());
    if (role == NameRole)
        return entry.name;
    const ClusterSession* session = m_sessions ? m_sessions->find(entry.name) : nullptr;
    if (role == Qt::DecorationRole && index.column() == State) {
        if (!session)
            return {};
        switch (session->state()) {
        case ClusterSession::State::Connected:
            return QApplication::style()->standardIcon(QStyle::SP_DialogApplyButton);
        case ClusterSession::State::Failed:
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
        case ClusterSession::State::Connecting:
            return QApplication::style()->standardIcon(QStyle::SP_BrowserReload);
        case ClusterSession::State::Disconnected:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Source)
            return entry.sourceFile;
        if (index.column() == State && session)
            return session->stateText();
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Name:
        return entry.title == entry.name ? entry.name : tr("%1 (%2)").arg(entry.title, entry.name);
    case Source:
        return clusterSourceName(entry.source);
    case Login:
        return entry.login;
    case State:
        return session ? session->stateText() : tr("Not connected");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ClusterListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name:
        return tr("Cluster");
    case Source:
        return tr("From");
    case Login:
        return tr("Login");
    case State:
        return tr("Connection");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace TuneDeck::Ui
