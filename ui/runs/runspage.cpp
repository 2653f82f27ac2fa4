#include "ui/runs/runspage.h"

#include "core/archive/runlist.h"
#include "ui/runs/runlistmodel.h"

#include <QAction>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace TuneDeck::Ui {

using namespace TuneDeck::Archive;

RunsPage::RunsPage(RunList* runs, QWidget* parent)
    : QWidget(parent)
    , m_runs(runs)
    , m_model(new RunListModel(runs, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView)
    , m_search(new QLineEdit)
    , m_empty(new QLabel)
    , m_status(new QLabel)
    , m_import(new QPushButton(tr("&Import run folder…")))
    , m_open(new QPushButton(tr("&Open")))
    , m_compare(new QPushButton(tr("Com&pare")))
    , m_newJob(new QPushButton(tr("New &job from run")))
    , m_report(new QPushButton(tr("&Efficiency report")))
    , m_remove(new QPushButton(tr("&Remove…")))
{
    setObjectName(QStringLiteral("runsPage"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(RunListModel::SortRole);
    m_view->setObjectName(QStringLiteral("runsView"));
    m_view->setAccessibleName(tr("Runs"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunListModel::Date, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(RunListModel::Name, QHeaderView::Stretch);
    m_view->setWordWrap(false);

    auto* searchLabel = new QLabel(tr("&Search:"));
    m_search->setObjectName(QStringLiteral("runsSearch"));
    m_search->setAccessibleName(tr("Search:"));
    m_search->setPlaceholderText(tr("name, cluster, shape or state"));
    m_search->setClearButtonEnabled(true);
    searchLabel->setBuddy(m_search);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_import->setObjectName(QStringLiteral("importRun"));
    m_import->setToolTip(
        tr("Add a run folder you already have: dmon.txt, cpu.txt, the Slurm output, trainer_log.jsonl, "
           "the sbatch script and YAMLs"));
    m_open->setObjectName(QStringLiteral("openRun"));
    m_open->setToolTip(tr("Show the run's charts, heat-map and log, offline"));
    m_compare->setObjectName(QStringLiteral("compareRuns"));
    m_compare->setToolTip(tr("Select two or more runs to compare throughput, utilisation, GPU-hours and design"));
    m_newJob->setObjectName(QStringLiteral("newJobFromRun"));
    m_newJob->setToolTip(tr("Open the run's job spec in the designer"));
    m_report->setObjectName(QStringLiteral("runReport"));
    m_report->setToolTip(tr("Time limit vs need, checkpoints, idle GPUs, memory and GPU-hours, with what to change"));
    m_remove->setObjectName(QStringLiteral("removeRun"));
    for (QPushButton* button : { m_import, m_open, m_compare, m_newJob, m_report, m_remove })
        button->setAccessibleName(button->text().remove(u'&'));

    auto* top = new QHBoxLayout;
    top->addWidget(searchLabel);
    top->addWidget(m_search, 1);
    top->addWidget(m_open);
    top->addWidget(m_compare);
    top->addWidget(m_newJob);
    top->addWidget(m_report);
    top->addWidget(m_import);
    top->addWidget(m_remove);

    m_empty->setText(
        tr("No runs archived yet. Every job TuneDeck monitors is archived as it runs; "
           "<b>Import run folder…</b> (or <code>tunedeck import-run DIR</code>) adds one you already have."));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);
    m_status->setObjectName(QStringLiteral("runsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_empty);
    layout->addWidget(m_status);

    const auto current = [this]() { return runActedOn(); };
    connect(m_import, &QPushButton::clicked, this, &RunsPage::importDialog);
    connect(m_open, &QPushButton::clicked, this, [this, current]() {
        if (const qint64 id = current())
            Q_EMIT openRequested(id);
    });
    connect(m_view, &QTableView::activated, this,
        [this](const QModelIndex& index) { Q_EMIT openRequested(index.data(RunListModel::RunIdRole).toLongLong()); });
    connect(m_compare, &QPushButton::clicked, this, [this]() {
        const QList<qint64> ids = selectedRuns();
        if (ids.size() >= 2)
            Q_EMIT compareRequested(ids);
    });
    connect(m_newJob, &QPushButton::clicked, this, [this, current]() {
        if (const qint64 id = current())
            Q_EMIT newJobRequested(id);
    });
    connect(m_report, &QPushButton::clicked, this, [this, current]() {
        if (const qint64 id = current())
            Q_EMIT reportRequested(id);
    });
    connect(m_remove, &QPushButton::clicked, this, &RunsPage::removeSelected);

    auto* openAction = new QAction(tr("&Open"), m_view);
    connect(openAction, &QAction::triggered, m_open, &QPushButton::click);
    auto* compareAction = new QAction(tr("Com&pare"), m_view);
    connect(compareAction, &QAction::triggered, m_compare, &QPushButton::click);
    auto* newJobAction = new QAction(tr("New &job from run"), m_view);
    connect(newJobAction, &QAction::triggered, m_newJob, &QPushButton::click);
    auto* reportAction = new QAction(tr("&Efficiency report"), m_view);
    connect(reportAction, &QAction::triggered, m_report, &QPushButton::click);
    auto* removeAction = new QAction(tr("&Remove…"), m_view);
    removeAction->setShortcut(QKeySequence::Delete);
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    connect(removeAction, &QAction::triggered, m_remove, &QPushButton::click);
    m_view->addActions({ openAction, compareAction, newJobAction, reportAction, removeAction });
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPage::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RunsPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RunsPage::updateButtons);
    updateButtons();
}

qint64 RunsPage::runActedOn() const
{
    // The one selected run; a selection made without moving the current row (a screen reader, or a
    // test tool through the accessibility tree) counts as much as a click.
    if (const QList<qint64> ids = selectedRuns(); ids.size() == 1)
        return ids.first();
    const QModelIndex index = m_view->currentIndex();
    return index.isValid() ? index.data(RunListModel::RunIdRole).toLongLong() : 0;
}

QList<qint64> RunsPage::selectedRuns() const
{
    QList<qint64> ids;
    for (const QModelIndex& index : m_view->selectionModel()->selectedRows())
        ids.append(index.data(RunListModel::RunIdRole).toLongLong());
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunsPage::updateButtons()
{
    const bool any = m_model->rowCount() > 0;
    m_view->setVisible(any);
    m_empty->setVisible(!any);
    const qint64 id = runActedOn();
    const RunList::Entry* entry = id ? m_runs->find(id) : nullptr;
    m_open->setEnabled(entry != nullptr);
    m_report->setEnabled(entry != nullptr);
    m_remove->setEnabled(!selectedRuns().isEmpty());
    m_compare->setEnabled(selectedRuns().size() >= 2);
    m_newJob->setEnabled(entry && !entry->run.specYaml.isEmpty());
    m_newJob->setToolTip(entry && entry->run.specYaml.isEmpty()
            ? tr("This run has no job spec (no sbatch script was imported)")
            : tr("Open the run's job spec in the designer"));
}

void RunsPage::importDialog()
{
    QSettings settings;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Import run folder"),
        settings.value(QStringLiteral("runs/lastImportFolder"), QDir::homePath()).toString());
    if (folder.isEmpty())
        return;
    settings.setValue(QStringLiteral("runs/lastImportFolder"), QFileInfo(folder).absolutePath());
    importPaths({ folder });
}

void RunsPage::importPaths(const QStringList& paths)
{
    m_import->setEnabled(false);
    m_status->setToolTip(QString());
    m_status->setText(tr("Importing %1…").arg(paths.join(u", ").toHtmlEscaped()));
    // The page can close before the worker is done (the window quits): the outcome then goes nowhere.
    m_runs->startImport(
        paths, QString(), [page = QPointer<RunsPage>(this), paths](const RunList::ImportOutcome& outcome) {
            if (!page)
                return;
            page->m_import->setEnabled(!page->m_runs->importRunning());
            page->showImportOutcome(paths, outcome);
            Q_EMIT page->importFinished(outcome.runId);
        });
}

void RunsPage::showImportOutcome(const QStringList& paths, const RunList::ImportOutcome& outcome)
{
    if (!outcome.errors.isEmpty()) {
        m_status->setText(tr("Nothing imported: %1").arg(outcome.errors.first().toHtmlEscaped()));
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Not imported"),
            tr("%1 could not be imported; the archive is unchanged.").arg(paths.join(u", ")), QMessageBox::Ok, this);
        box->setInformativeText(outcome.errors.first());
        box->setDetailedText((outcome.errors + outcome.notes).join(u'\n'));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    const RunList::Entry* entry = m_runs->find(outcome.runId);
    const QString name = entry ? entry->run.name : QString();
    m_status->setText(outcome.alreadyArchived
            ? tr("Already archived as '%1'; nothing added.").arg(name.toHtmlEscaped())
            : tr("Imported '%1': %2 file(s) read; %3")
                  .arg(name.toHtmlEscaped())
                  .arg(outcome.files)
                  .arg(outcome.notes.filter(QStringLiteral("skipped")).isEmpty()
                          ? tr("every line was read.")
                          : tr("%1 line(s) skipped (hover for where).")
                                .arg(outcome.notes.filter(QStringLiteral("skipped")).size())));
    m_status->setToolTip(outcome.notes.join(u'\n'));
    selectRun(outcome.runId);
}

void RunsPage::selectRun(qint64 runId)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(RunListModel::RunIdRole).toLongLong() == runId) {
            m_view->setCurrentIndex(index);
            m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            return;
        }
    }
}

QString RunsPage::statusText() const
{
    return m_status->text();
}

void RunsPage::removeSelected()
{
    const QList<qint64> ids = selectedRuns();
    if (ids.isEmpty())
        return;
    QStringList names;
    for (qint64 id : ids) {
        if (const RunList::Entry* e = m_runs->find(id))
            names << e->run.name;
    }
    auto* box = new QMessageBox(QMessageBox::Question, tr("Remove runs"),
        tr("Remove %1 from the archive? Its stored logs and figures are deleted; files on disk or on the cluster "
           "are not touched.")
            .arg(names.join(QStringLiteral(", "))),
        QMessageBox::Yes | QMessageBox::No, this);
    box->setDefaultButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::accepted, this, [this, ids]() {
        for (qint64 id : ids) {
            if (const QString error = m_runs->remove(id); !error.isEmpty())
                m_status->setText(error.toHtmlEscaped());
        }
    });
    box->open();
}

} // namespace TuneDeck::Ui
