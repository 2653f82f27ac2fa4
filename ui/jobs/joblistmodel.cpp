#include "ui/jobs/joblistmodel.h"

#include "core/remote/joblist.h"
#include "core/remote/jobstatus.h"
#include "core/slurm/hostlist.h"
#include "core/util/slurmvalues.h"

#include <QLocale>

namespace TuneDeck::Ui {

JobListModel::JobListModel(JobList* jobs, QObject* parent)
    : QAbstractTableModel(parent)
    , m_jobs(jobs)
    , m_rows(int(jobs->records().size()))
{
    connect(jobs, &JobList::recordAdded, this, [this](int) {
        // Appended at the end (or an existing row replaced): insert what is new, refresh the rest.
        const int now = int(m_jobs->records().size());
        if (now > m_rows) {
            beginInsertRows({}, m_rows, now - 1);
            m_rows = now;
            endInsertRows();
        } else if (m_rows > 0) {
            Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
        }
    });
    connect(jobs, &JobList::recordChanged, this, [this](int row) {
        if (row >= 0 && row < m_rows)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
}

int JobListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int JobListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_jobs)
        return {};
    const JobRecord& record = m_jobs->records().at(index.row());
    const JobStatus& status = record.status;
    if (role == ClusterRole)
        return record.cluster;
    if (role == TerminalRole)
        return status.isTerminal();
    if (role == Qt::ToolTipRole && index.column() == Explanation)
        return explainJob(status, record.ownerUid);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case JobId:
        return status.jobId;
    case Name:
        return status.name;
    case Cluster:
        return record.cluster;
    case State:
        return jobPhaseName(status.phase);
    case Explanation:
        return explainJob(status, record.ownerUid);
    case Elapsed: {
        const QString elapsed = status.elapsedSeconds ? formatSlurmDuration(*status.elapsedSeconds) : QString();
        if (!status.timeLimitSeconds)
            return elapsed;
        return tr("%1 / %2").arg(
            elapsed.isEmpty() ? QStringLiteral("–") : elapsed, formatSlurmDuration(*status.timeLimitSeconds));
    }
    case Nodes: {
        const int count = record.nodes > 0 ? record.nodes
                                           : int(Slurm::expandHostList(status.nodeList).value_or(QStringList()).size());
        if (count == 0)
            return QString();
        return status.nodeList.isEmpty() ? QString::number(count) : tr("%1 (%2)").arg(count).arg(status.nodeList);
    }
    case Gpus:
        if (record.nodes <= 0 || record.gpusPerNode <= 0)
            return QString();
        return tr("%1 × %2").arg(record.nodes).arg(record.gpusPerNode);
    case Progress:
        return m_progress.value(record.cluster + u'\n' + status.jobId);
    case Submitted:
        return QLocale().toString(record.submittedUtc.toLocalTime(), QLocale::ShortFormat);
    case RunDir:
        return record.runDir;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case JobId:
        return tr("Job ID");
    case Name:
        return tr("Name");
    case Cluster:
        return tr("Cluster");
    case State:
        return tr("State");
    case Explanation:
        return tr("Explanation");
    case Elapsed:
        return tr("Elapsed / limit");
    case Nodes:
        return tr("Nodes");
    case Gpus:
        return tr("GPUs");
    case Progress:
        return tr("Progress");
    case Submitted:
        return tr("Submitted");
    case RunDir:
        return tr("Run directory");
    case ColumnCount:
        break;
    }
    return {};
}

void JobListModel::setProgress(const QString& cluster, const QString& jobId, const QString& text)
{
    const QString key = cluster + u'\n' + jobId;
    if (m_progress.value(key) == text)
        return;
    if (text.isEmpty())
        m_progress.remove(key);
    else
        m_progress.insert(key, text);
    if (!m_jobs)
        return;
    for (int row = 0; row < m_rows; ++row) {
        const JobRecord& record = m_jobs->records().at(row);
        if (record.cluster == cluster && record.status.jobId == jobId)
            Q_EMIT dataChanged(index(row, Progress), index(row, Progress));
    }
}

} // namespace TuneDeck::Ui
