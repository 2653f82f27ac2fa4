#include "ui/design/jobdesignpage.h"

#include "core/job/generators.h"
#include "core/job/jobdesign.h"
#include "core/job/profileregistry.h"
#include "core/util/slurmvalues.h"
#include "ui/design/diagnosticsmodel.h"
#include "ui/design/filehighlighter.h"
#include "ui/design/jobform.h"
#include "ui/design/memorybar.h"
#include "ui/widgets/namedcombobox.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace TuneDeck::Ui {
namespace {

QString hours(double seconds)
{
    return formatSlurmDuration(qint64(seconds + 0.5));
}

} // namespace

JobDesignPage::JobDesignPage(JobDesign* design, const ProfileRegistry* profiles, QWidget* parent)
    : QWidget(parent)
    , m_design(design)
    , m_profiles(profiles)
    , m_form(new JobForm(design))
    , m_cluster(new NamedComboBox)
    , m_summary(new QLabel)
    , m_memory(new MemoryBar)
    , m_plan(new QLabel)
    , m_files(new QTabWidget)
    , m_diagnosticsModel(new DiagnosticsModel(this))
    , m_diagnostics(new QListView)
    , m_submit(new QPushButton(tr("&Submit…")))
    , m_submitStatus(new QLabel)
{
    // Left: the cluster, then the form.
    m_cluster->setObjectName(QStringLiteral("profile"));
    for (const QString& name : profiles->names()) {
        const std::optional<ClusterProfile> profile = profiles->find(name);
        m_cluster->addItem(profile && !profile->displayName.isEmpty() ? profile->displayName : name, name);
    }
    auto* clusterLabel = new QLabel(tr("C&luster profile"));
    clusterLabel->setBuddy(m_cluster);
    m_cluster->setAccessibleName(tr("Cluster profile"));
    m_cluster->setToolTip(tr("The cluster the job is designed for: its GPU types, limits, modules and paths"));
    auto* clusterRow = new QFormLayout;
    clusterRow->addRow(clusterLabel, m_cluster);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(clusterRow);
    leftLayout->addWidget(m_form, 1);

    // Right: figures, files, diagnostics, Submit.
    auto* figures = new QGroupBox(tr("What this job asks for"));
    auto* figuresLayout = new QVBoxLayout(figures);
    m_summary->setObjectName(QStringLiteral("resourceSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_memory->setObjectName(QStringLiteral("memoryEstimate"));
    m_plan->setObjectName(QStringLiteral("trainingPlan"));
    m_plan->setWordWrap(true);
    m_plan->setTextInteractionFlags(Qt::TextSelectableByMouse);
    figuresLayout->addWidget(m_summary);
    figuresLayout->addWidget(new QLabel(tr("GPU memory per GPU (estimate):")));
    figuresLayout->addWidget(m_memory);
    figuresLayout->addWidget(m_plan);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const std::pair<const char*, FileHighlighter::Language> files[] = {
        { SbatchFileName, FileHighlighter::Language::Shell },
        { AccelerateFileName, FileHighlighter::Language::Yaml },
        { TrainFileName, FileHighlighter::Language::Yaml },
    };
    for (const auto& [name, language] : files) {
        auto* edit = new QPlainTextEdit;
        edit->setReadOnly(true);
        edit->setFont(mono);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        edit->setObjectName(QString::fromLatin1(name));
        edit->setAccessibleName(QString::fromLatin1(name));
        new FileHighlighter(language, edit->document());
        m_files->addTab(edit, QString::fromLatin1(name));
        m_previews.append(edit);
    }
    m_files->setObjectName(QStringLiteral("previewTabs"));

    m_diagnostics->setObjectName(QStringLiteral("diagnostics"));
    m_diagnostics->setAccessibleName(tr("Diagnostics"));
    m_diagnostics->setModel(m_diagnosticsModel);
    m_diagnostics->setWordWrap(true);
    m_diagnostics->setUniformItemSizes(false);
    m_diagnostics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* diagnosticsLabel = new QLabel(tr("&Diagnostics"));
    m_diagnostics->setAccessibleDescription(tr("Activate a diagnostic to go to its field"));
    m_diagnostics->setToolTip(m_diagnostics->accessibleDescription());
    diagnosticsLabel->setBuddy(m_diagnostics);
    auto goToField
        = [this](const QModelIndex& index) { m_form->focusField(index.data(DiagnosticsModel::FieldRole).toString()); };
    connect(m_diagnostics, &QListView::clicked, this, goToField);
    connect(m_diagnostics, &QListView::activated, this, goToField);

    m_submit->setObjectName(QStringLiteral("submit"));
    m_submit->setAccessibleName(tr("Submit…"));
    m_submit->setDefault(false);
    m_submitStatus->setObjectName(QStringLiteral("submitStatus"));
    m_submitStatus->setWordWrap(true);
    auto* submitRow = new QHBoxLayout;
    submitRow->addWidget(m_submitStatus, 1);
    submitRow->addWidget(m_submit);
    connect(m_submit, &QPushButton::clicked, this, &JobDesignPage::submitRequested);

    auto* lower = new QWidget;
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(diagnosticsLabel);
    lowerLayout->addWidget(m_diagnostics, 1);
    lowerLayout->addLayout(submitRow);

    auto* rightSplit = new QSplitter(Qt::Vertical);
    rightSplit->addWidget(m_files);
    rightSplit->addWidget(lower);
    rightSplit->setStretchFactor(0, 3);
    rightSplit->setStretchFactor(1, 2);
    rightSplit->setChildrenCollapsible(false);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(figures);
    rightLayout->addWidget(rightSplit, 1);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_cluster, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (const std::optional<ClusterProfile> profile = m_profiles->find(m_cluster->itemData(index).toString()))
            m_design->setProfile(*profile);
    });
    connect(m_design, &JobDesign::renderedChanged, this, &JobDesignPage::showRender);
    connect(m_design, &JobDesign::validityChanged, this,
        [this](bool valid) { m_submit->setEnabled(valid && !m_submitting); });
    connect(m_design, &JobDesign::profileChanged, this, [this]() {
        if (const auto& profile = m_design->profile()) {
            QStringList gpuTypes;
            for (const GpuType& gpu : profile->gpuTypes)
                gpuTypes.append(gpu.name);
            m_form->setSuggestions(QStringLiteral("slurm.gpu_type"), gpuTypes);
            m_form->setSuggestions(QStringLiteral("slurm.qos"), profile->qosChoices);
            const int index = m_cluster->findData(profile->name);
            if (index >= 0 && index != m_cluster->currentIndex()) {
                const QSignalBlocker blocker(m_cluster);
                m_cluster->setCurrentIndex(index);
            }
        }
    });
    m_submit->setEnabled(m_design->isValid());
    showRender();
}

QPlainTextEdit* JobDesignPage::preview(int file) const
{
    return m_previews.value(file);
}

void JobDesignPage::selectCluster(const QString& profileName)
{
    const int index = m_cluster->findData(profileName);
    if (index >= 0)
        m_cluster->setCurrentIndex(index);
    if (const std::optional<ClusterProfile> profile = m_profiles->find(profileName))
        m_design->setProfile(*profile);
}

void JobDesignPage::setSubmitStatus(const QString& text, bool busy)
{
    m_submitting = busy;
    m_submitStatus->setText(text);
    m_submit->setEnabled(!busy && m_design->isValid());
}

void JobDesignPage::showRender()
{
    const RenderedJob& rendered = m_design->rendered();
    const QByteArray* texts[] = { &rendered.sbatchScript, &rendered.accelerateYaml, &rendered.trainYaml };
    for (int i = 0; i < 3; ++i) {
        QPlainTextEdit* edit = m_previews.at(i);
        const QString text = texts[i]->isEmpty() ? tr("# Not generated: the design has errors (see Diagnostics below).")
                                                 : QString::fromUtf8(*texts[i]);
        if (edit->toPlainText() != text) {
            // Keep the reader's place in the file across re-renders.
            const int scroll = edit->verticalScrollBar()->value();
            edit->setPlainText(text);
            edit->verticalScrollBar()->setValue(scroll);
        }
    }
    m_diagnosticsModel->setDiagnostics(rendered.diagnostics);

    const ResourceSummary summary = m_design->resourceSummary();
    const JobSpec spec = m_design->submitSpec();
    QString line = tr("%1 GPUs (%2 × %3 %4)")
                       .arg(summary.totalGpus)
                       .arg(spec.slurm.nodes)
                       .arg(spec.slurm.gpusPerNode)
                       .arg(spec.slurm.gpuType);
    if (summary.gpuMemoryGiB > 0)
        line += tr(", %1 GiB of GPU memory in all").arg(summary.totalGpuMemoryGiB, 0, 'f', 0);
    if (summary.gpuHoursRequested)
        line += tr(", %1 GPU-hours requested").arg(*summary.gpuHoursRequested, 0, 'f', 1);
    m_summary->setText(line + QLatin1Char('.'));
    m_memory->setEstimate(m_design->memoryEstimate());

    const TrainingPlan plan = m_design->trainingPlan();
    QStringList planText;
    if (plan.totalSteps && plan.stepsPerEpoch)
        planText.append(tr("%1 optimizer steps (%2 per epoch)").arg(*plan.totalSteps).arg(*plan.stepsPerEpoch));
    else
        planText.append(tr("Steps unknown: set the dataset's size (training.dataset_examples)"));
    if (plan.projectedSeconds && plan.timeLimitSeconds) {
        planText.append(tr("projected %1 against a limit of %2")
                            .arg(hours(*plan.projectedSeconds), hours(double(*plan.timeLimitSeconds))));
        if (plan.stepsBeforeTimeLimit && plan.totalSteps && *plan.stepsBeforeTimeLimit < *plan.totalSteps)
            planText.append(tr("only %1 steps fit in the time limit").arg(*plan.stepsBeforeTimeLimit));
    }
    if (spec.training.saveSteps > 0)
        planText.append(tr("a checkpoint every %1 steps").arg(spec.training.saveSteps));
    planText.append(spec.environment.runDir.isEmpty() ? tr("run directory: set the project path first")
                                                      : tr("run directory %1").arg(spec.environment.runDir));
    m_plan->setText(planText.join(QStringLiteral("; ")) + QLatin1Char('.'));
}

} // namespace TuneDeck::Ui
