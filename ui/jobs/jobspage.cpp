#include "ui/jobs/jobspage.h"

#include "core/remote/joblist.h"
#include "ui/jobs/joblistmodel.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace TuneDeck::Ui {

JobsPage::JobsPage(JobList* jobs, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_model(new JobListModel(jobs, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView)
    , m_empty(new QLabel)
    , m_refresh(new QPushButton(tr("&Refresh")))
    , m_cancel(new QPushButton(tr("&Cancel job…")))
    , m_monitor(new QPushButton(tr("&Monitor")))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setObjectName(QStringLiteral("jobsView"));
    m_view->setAccessibleName(tr("Jobs"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(JobListModel::Submitted, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(JobListModel::RunDir, QHeaderView::Stretch);
    m_view->setTextElideMode(Qt::ElideMiddle); // a run directory's end (job name, time) is what tells runs apart
    m_view->setWordWrap(false);

    auto* filterLabel = new QLabel(tr("&Filter:"));
    auto* filter = new QLineEdit;
    filter->setObjectName(QStringLiteral("jobsFilter"));
    filter->setAccessibleName(tr("Filter:"));
    filter->setPlaceholderText(tr("job id, name, cluster or state"));
    filter->setClearButtonEnabled(true);
    filterLabel->setBuddy(filter);
    connect(filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_refresh->setObjectName(QStringLiteral("refreshJobs"));
    m_cancel->setObjectName(QStringLiteral("cancelJob"));
    m_monitor->setObjectName(QStringLiteral("monitorJob"));
    m_monitor->setToolTip(tr("Watch every GPU of every node of the job, with progress and ETA"));
    for (QPushButton* button : { m_refresh, m_cancel, m_monitor })
        button->setAccessibleName(button->text().remove(u'&'));
    auto* top = new QHBoxLayout;
    top->addWidget(filterLabel);
    top->addWidget(filter, 1);
    top->addWidget(m_monitor);
    top->addWidget(m_refresh);
    top->addWidget(m_cancel);

    m_empty->setText(tr("No jobs yet. Design one on the New job page and submit it, or run "
                        "<code>tunedeck submit</code>; jobs submitted either way appear here."));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_empty);

    connect(m_refresh, &QPushButton::clicked, jobs, &JobList::refresh);
    connect(m_cancel, &QPushButton::clicked, this, [this]() {
        const QModelIndex current = m_view->currentIndex();
        if (!current.isValid())
            return;
        const QString jobId = current.siblingAtColumn(JobListModel::JobId).data().toString();
        const QString cluster = current.siblingAtColumn(JobListModel::Cluster).data().toString();
        auto* box = new QMessageBox(QMessageBox::Question, tr("Cancel job"),
            tr("Cancel job %1 on %2? Slurm stops it at once; this cannot be undone.").arg(jobId, cluster),
            QMessageBox::Yes | QMessageBox::No, this);
        box->setDefaultButton(QMessageBox::No);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::accepted, this, [this, cluster, jobId]() { m_jobs->cancel(cluster, jobId); });
        box->open();
    });
    auto openMonitor = [this]() {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid())
            Q_EMIT monitorRequested(current.data(JobListModel::ClusterRole).toString(),
                current.siblingAtColumn(JobListModel::JobId).data().toString());
    };
    connect(m_monitor, &QPushButton::clicked, this, openMonitor);
    // The row's context menu (and its shortcuts while the table has focus): monitor, Slurm output, copy
    // the job id, cancel.
    auto* monitorAction = new QAction(tr("&Monitor"), m_view);
    connect(monitorAction, &QAction::triggered, this, openMonitor);
    m_showOutput = new QAction(tr("Show the &Slurm output"), m_view);
    connect(m_showOutput, &QAction::triggered, this, [this]() {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid())
            Q_EMIT slurmOutputRequested(current.data(JobListModel::ClusterRole).toString(),
                current.siblingAtColumn(JobListModel::JobId).data().toString());
    });
    m_copyId = new QAction(tr("&Copy job ID"), m_view);
    m_copyId->setShortcut(QKeySequence::Copy);
    m_copyId->setShortcutContext(Qt::WidgetShortcut);
    connect(m_copyId, &QAction::triggered, this, [this]() {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid())
            QGuiApplication::clipboard()->setText(current.siblingAtColumn(JobListModel::JobId).data().toString());
    });
    auto* cancelAction = new QAction(tr("C&ancel job…"), m_view);
    cancelAction->setShortcut(QKeySequence::Delete);
    cancelAction->setShortcutContext(Qt::WidgetShortcut);
    connect(cancelAction, &QAction::triggered, m_cancel, [this]() {
        if (m_cancel->isEnabled())
            m_cancel->click();
    });
    m_view->addActions({ monitorAction, m_showOutput, m_copyId, cancelAction });
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_view, &QTableView::activated, this, openMonitor); // Return or double-click
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &JobsPage::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &JobsPage::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &JobsPage::updateButtons);
    updateButtons();
}

void JobsPage::updateButtons()
{
    const bool any = m_model->rowCount() > 0;
    m_view->setVisible(any);
    m_empty->setVisible(!any);
    const QModelIndex current = m_view->currentIndex();
    m_cancel->setEnabled(current.isValid() && !current.data(JobListModel::TerminalRole).toBool());
    m_monitor->setEnabled(current.isValid());
}

void JobsPage::showJob(const QString& cluster, const QString& jobId)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, JobListModel::JobId);
        if (index.data().toString() == jobId && index.data(JobListModel::ClusterRole).toString() == cluster) {
            m_view->setCurrentIndex(index);
            m_view->scrollTo(index);
            return;
        }
    }
}

void JobsPage::setProgress(const QString& cluster, const QString& jobId, const QString& text)
{
    m_model->setProgress(cluster, jobId, text);
}

} // namespace TuneDeck::Ui
