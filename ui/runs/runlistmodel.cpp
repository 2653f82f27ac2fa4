#include "ui/runs/runlistmodel.h"

#include "core/archive/runlist.h"

#include <QDateTime>

namespace TuneDeck::Ui {

using namespace TuneDeck::Archive;

RunListModel::RunListModel(RunList* runs, QObject* parent)
    : QAbstractTableModel(parent)
    , m_runs(runs)
{
    // The list is small (one row per run) and changes as a whole: reset rather than diff.
    connect(runs, &RunList::changed, this, [this]() {
        beginResetModel();
        endResetModel();
    });
}

int RunListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_runs->entries().size());
}

int RunListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_runs->entries().size())
        return {};
    const RunList::Entry& e = m_runs->entries().at(index.row());
    const ArchivedRun& r = e.run;
    const RunSummary& s = e.summary;
    if (role == RunIdRole)
        return r.id;
    const qint64 dateMs = r.startedMs.value_or(r.archivedMs);
    if (role == SortRole) {
        switch (index.column()) {
        case Date:
            return dateMs;
        case Steps:
            return s.stepsDone ? QVariant(*s.stepsDone) : QVariant(-1);
        case SecondsPerStep:
            return s.secondsPerStep ? QVariant(*s.secondsPerStep) : QVariant(-1.0);
        case GpuHours:
            return s.gpuHours ? QVariant(*s.gpuHours) : QVariant(-1.0);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Steps)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Name)
        return tr("Run %1 · %2").arg(r.id).arg(r.source.section(u':', 1));
    if (role == Qt::ToolTipRole && index.column() == State && !r.endedBy.isEmpty())
        return tr("Ended by: %1").arg(r.endedBy);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return r.name;
    case Cluster:
        return r.cluster.isEmpty() ? tr("imported") : r.cluster;
    case Shape:
        return r.shapeText();
    case State:
        return r.state.isEmpty() ? QStringLiteral("–") : r.state;
    case Date:
        // Cluster wall clock for runs (as their logs print it), the import time otherwise.
        return QDateTime::fromMSecsSinceEpoch(dateMs, r.startedMs ? Qt::UTC : Qt::LocalTime)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case Steps:
        return s.stepsDone
            ? (s.totalSteps ? tr("%1 of %2").arg(*s.stepsDone).arg(*s.totalSteps) : QString::number(*s.stepsDone))
            : QStringLiteral("–");
    case SecondsPerStep:
        return formatNumber(s.secondsPerStep, 1);
    case GpuHours:
        return formatNumber(s.gpuHours, 1);
    default:
        return {};
    }
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Cluster:
        return tr("Cluster");
    case Shape:
        return tr("Shape");
    case State:
        return tr("State");
    case Date:
        return tr("Started");
    case Steps:
        return tr("Steps");
    case SecondsPerStep:
        return tr("s/step");
    case GpuHours:
        return tr("GPU-hours");
    default:
        return {};
    }
}

} // namespace TuneDeck::Ui
