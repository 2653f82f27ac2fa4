#include "ui/monitor/monitorpage.h"

#include "core/remote/jobmonitor.h"
#include "core/remote/jobstatus.h"
#include "core/telemetry/runtelemetry.h"
#include "core/telemetry/samplescsv.h"
#include "core/util/atomicfiles.h"
#include "ui/monitor/chartexport.h"
#include "ui/monitor/chartfeed.h"
#include "ui/monitor/charttheme.h"
#include "ui/monitor/heatmapwidget.h"
#include "ui/monitor/monitorchartview.h"
#include "ui/widgets/namedcombobox.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QCoreApplication>
#include <QCursor>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTextCursor>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

namespace TuneDeck::Ui {
namespace {

struct MetricInfo
{
    const char* label;
    const char* unit;
    double maximum; // 0: from the data
};

MetricInfo metricInfo(const QString& metric)
{
    static const QHash<QString, MetricInfo> known {
        { QStringLiteral("sm"), { QT_TRANSLATE_NOOP("MonitorPage", "SM utilisation"), "%", 100 } },
        { QStringLiteral("mem"), { QT_TRANSLATE_NOOP("MonitorPage", "Memory utilisation"), "%", 100 } },
        { QStringLiteral("fb"), { QT_TRANSLATE_NOOP("MonitorPage", "Framebuffer used"), "MB", 0 } },
        { QStringLiteral("pwr"), { QT_TRANSLATE_NOOP("MonitorPage", "Power"), "W", 0 } },
        { QStringLiteral("gtemp"), { QT_TRANSLATE_NOOP("MonitorPage", "GPU temperature"), "°C", 0 } },
        { QStringLiteral("temp"), { QT_TRANSLATE_NOOP("MonitorPage", "GPU temperature"), "°C", 0 } },
        { QStringLiteral("mtemp"), { QT_TRANSLATE_NOOP("MonitorPage", "Memory temperature"), "°C", 0 } },
        { QStringLiteral("pclk"), { QT_TRANSLATE_NOOP("MonitorPage", "SM clock"), "MHz", 0 } },
        { QStringLiteral("mclk"), { QT_TRANSLATE_NOOP("MonitorPage", "Memory clock"), "MHz", 0 } },
        { QStringLiteral("rxpci"), { QT_TRANSLATE_NOOP("MonitorPage", "PCIe received"), "MB/s", 0 } },
        { QStringLiteral("txpci"), { QT_TRANSLATE_NOOP("MonitorPage", "PCIe sent"), "MB/s", 0 } },
    };
    return known.value(metric, MetricInfo { nullptr, "", 0 });
}

QString metricLabel(const QString& metric)
{
    const MetricInfo info = metricInfo(metric);
    return info.label ? QCoreApplication::translate("MonitorPage", info.label) : metric;
}

// A hue per node, GPUs of a node in shades of it, so a node's GPUs read as one group.
QColor seriesColour(int nodeIndex, int gpuIndex, int gpusPerNode)
{
    const double hue = std::fmod(0.6 + nodeIndex * 0.27, 1.0);
    const double shade = gpusPerNode > 1 ? double(gpuIndex) / (gpusPerNode - 1) : 0.5;
    return QColor::fromHsvF(hue, 0.75, 0.95 - 0.45 * shade);
}

// A chart in the window's palette (so a dark theme gets a dark chart) with a bottom and a left axis.
QChart* themedChart(const QPalette& palette, QValueAxis* x, QValueAxis* y)
{
    auto* chart = new QChart;
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    chart->setMargins(QMargins(4, 4, 4, 4));
    applyPalette(chart, palette);
    return chart;
}

template<class View = QChartView> View* makeChartView(QChart* chart, const QString& name, const QString& objectName)
{
    auto* view = new View(chart);
    view->setRenderHint(QPainter::Antialiasing, false);
    view->setObjectName(objectName);
    view->setAccessibleName(name);
    return view;
}

QString secondsText(double seconds)
{
    return seconds < 600 ? QStringLiteral("%1 s").arg(seconds, 0, 'f', 1)
                         : QStringLiteral("%1 s").arg(seconds, 0, 'f', 0);
}

} // namespace

MonitorPage::MonitorPage(JobMonitor* monitor, QWidget* parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_header(new QLabel)
    , m_progress(new QLabel)
    , m_flags(new QLabel)
    , m_metric(new NamedComboBox)
    , m_range(new NamedComboBox)
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
    , m_heatmap(new HeatmapWidget)
    , m_nodeToggles(new QWidget)
    , m_views(new QTabWidget)
    , m_loss(new QLineSeries)
    , m_evalLoss(new QLineSeries)
    , m_lossX(new QValueAxis)
    , m_lossY(new QValueAxis)
    , m_trainingMetric(new NamedComboBox)
    , m_hostMetric(new NamedComboBox)
    , m_hostX(new QValueAxis)
    , m_hostY(new QValueAxis)
    , m_log(new QPlainTextEdit)
    , m_find(new QLineEdit)
    , m_follow(new QCheckBox(tr("F&ollow")))
{
    m_chart = themedChart(palette(), m_x, m_y);
    m_view = makeChartView<MonitorChartView>(m_chart, tr("Per-GPU chart"), QStringLiteral("monitorChart"));
    m_lossChart = themedChart(palette(), m_lossX, m_lossY);
    m_hostChart = themedChart(palette(), m_hostX, m_hostY);
    m_lossView = makeChartView(m_lossChart, tr("Training loss chart"), QStringLiteral("lossChart"));
    m_lossView->setRubberBand(QChartView::RectangleRubberBand); // by step: Qt's own zoom is enough here
    auto* hostView = makeChartView<MonitorChartView>(m_hostChart, tr("Host chart"), QStringLiteral("hostChart"));
    m_hostView = hostView;
    m_resetZoom = new QToolButton;
    m_resetZoom->setText(tr("Show &all"));
    m_resetZoom->setAccessibleName(tr("Show all"));
    m_resetZoom->setObjectName(QStringLiteral("resetZoom"));
    m_resetZoom->setToolTip(tr("Back to the whole run, following new samples (0 or double click on the chart)"));
    m_zoomState = new QLabel;
    m_zoomState->setObjectName(QStringLiteral("zoomState"));
    m_export = new QToolButton;
    m_export->setText(tr("E&xport"));
    m_export->setAccessibleName(tr("Export"));
    m_export->setObjectName(QStringLiteral("exportChart"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(m_export);
    exportMenu->addAction(tr("Chart as &PNG image…"), this, [this]() { chooseExport(QStringLiteral("png")); });
    exportMenu->addAction(tr("Chart as &SVG image…"), this, [this]() { chooseExport(QStringLiteral("svg")); });
    exportMenu->addAction(tr("Visible &data as CSV…"), this, [this]() { chooseExport(QStringLiteral("csv")); });
    m_export->setMenu(exportMenu);
    m_header->setObjectName(QStringLiteral("monitorHeader"));
    m_progress->setObjectName(QStringLiteral("monitorProgress"));
    m_flags->setObjectName(QStringLiteral("monitorFlags"));
    for (QLabel* label : { m_header, m_progress, m_flags }) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }

    m_metric->setObjectName(QStringLiteral("monitorMetric"));
    m_metric->setAccessibleName(tr("Metric"));
    m_range->setObjectName(QStringLiteral("monitorRange"));
    m_range->setAccessibleName(tr("Time range"));
    m_range->addItem(tr("Last 5 minutes"), 5 * 60 * 1000);
    m_range->addItem(tr("Last hour"), 3600 * 1000);
    m_range->addItem(tr("All"), 0);
    m_range->setCurrentIndex(2);
    m_metric->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_metric->setMinimumContentsLength(18);
    auto* metricLabelWidget = new QLabel(tr("&Metric"));
    metricLabelWidget->setBuddy(m_metric);
    auto* rangeLabel = new QLabel(tr("&Time range"));
    rangeLabel->setBuddy(m_range);
    auto* controls = new QHBoxLayout;
    controls->addWidget(metricLabelWidget);
    controls->addWidget(m_metric);
    controls->addSpacing(12);
    controls->addWidget(rangeLabel);
    controls->addWidget(m_range);
    controls->addWidget(m_resetZoom);
    controls->addWidget(m_zoomState);
    controls->addStretch();
    controls->addWidget(m_export);

    m_x->setTitleText(tr("seconds since the first sample"));
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    // The legend is the row of node check boxes above the chart (a node shown or hidden with one click,
    // by keyboard too); the lines of a node share its hue, and hovering a line names its node:GPU.
    m_chart->legend()->hide();

    auto* heatBox = new QWidget;
    auto* heatLayout = new QVBoxLayout(heatBox);
    heatLayout->setContentsMargins(0, 0, 0, 0);
    heatLayout->addWidget(new QLabel(tr("SM utilisation, last minute (%)")));
    heatLayout->addWidget(m_heatmap);
    heatLayout->addStretch(1);
    m_heatmap->setObjectName(QStringLiteral("monitorHeatmap"));

    // GPUs: the node toggles over the chart.
    auto* gpuTab = new QWidget;
    auto* gpuLayout = new QVBoxLayout(gpuTab);
    gpuLayout->setContentsMargins(0, 4, 0, 0);
    new QHBoxLayout(m_nodeToggles);
    m_nodeToggles->layout()->setContentsMargins(0, 0, 0, 0);
    m_nodeToggles->setObjectName(QStringLiteral("monitorNodes"));
    gpuLayout->addLayout(controls);
    gpuLayout->addWidget(m_nodeToggles);
    gpuLayout->addWidget(m_view, 1);
    m_views->addTab(gpuTab, tr("&GPUs"));

    // Training: loss and eval loss by step.
    m_loss->setName(tr("loss"));
    m_evalLoss->setName(tr("eval loss"));
    m_lossChart->addSeries(m_loss);
    m_lossChart->addSeries(m_evalLoss);
    for (QLineSeries* series : { m_loss, m_evalLoss }) {
        series->attachAxis(m_lossX);
        series->attachAxis(m_lossY);
        series->setPointsVisible(true);
    }
    m_lossX->setTitleText(tr("optimizer step"));
    m_lossX->setLabelFormat(QStringLiteral("%.0f"));
    m_lossChart->legend()->setAlignment(Qt::AlignBottom);
    m_trainingMetric->setObjectName(QStringLiteral("trainingMetric"));
    m_trainingMetric->setAccessibleName(tr("Training metric"));
    m_trainingMetric->addItem(tr("Loss and eval loss"), QStringLiteral("loss"));
    m_trainingMetric->addItem(tr("Learning rate"), QStringLiteral("learning_rate"));
    m_trainingMetric->addItem(tr("Gradient norm"), QStringLiteral("grad_norm"));
    m_trainingMetric->addItem(tr("Seconds per step"), QStringLiteral("seconds_per_step"));
    m_trainingMetric->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto* trainingTab = new QWidget;
    auto* trainingLayout = new QVBoxLayout(trainingTab);
    trainingLayout->setContentsMargins(0, 4, 0, 0);
    auto* trainingRow = new QHBoxLayout;
    auto* trainingLabel = new QLabel(tr("Training m&etric"));
    trainingLabel->setBuddy(m_trainingMetric);
    trainingRow->addWidget(trainingLabel);
    trainingRow->addWidget(m_trainingMetric);
    trainingRow->addStretch();
    trainingLayout->addLayout(trainingRow);
    trainingLayout->addWidget(m_lossView, 1);
    m_views->addTab(trainingTab, tr("&Training"));
    connect(m_trainingMetric, &QComboBox::currentIndexChanged, this, &MonitorPage::refreshTraining);

    // Hosts: one vmstat column, a line per node.
    auto* hostTab = new QWidget;
    auto* hostLayout = new QVBoxLayout(hostTab);
    hostLayout->setContentsMargins(0, 4, 0, 0);
    auto* hostRow = new QHBoxLayout;
    auto* hostLabel = new QLabel(tr("&Host metric"));
    hostLabel->setBuddy(m_hostMetric);
    m_hostMetric->setAccessibleName(tr("Host metric"));
    m_hostMetric->setObjectName(QStringLiteral("hostMetric"));
    m_hostMetric->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    hostRow->addWidget(hostLabel);
    hostRow->addWidget(m_hostMetric);
    hostRow->addStretch();
    hostLayout->addLayout(hostRow);
    m_hostX->setTitleText(tr("seconds since the first sample"));
    m_hostX->setLabelFormat(QStringLiteral("%.0f"));
    m_hostChart->legend()->setAlignment(Qt::AlignBottom);
    hostLayout->addWidget(m_hostView, 1);
    m_views->addTab(hostTab, tr("&Hosts"));

    // The Slurm output as it grows: searchable, following by default.
    auto* logTab = new QWidget;
    auto* logLayout = new QVBoxLayout(logTab);
    logLayout->setContentsMargins(0, 4, 0, 0);
    auto* findRow = new QHBoxLayout;
    auto* findLabel = new QLabel(tr("&Find"));
    findLabel->setBuddy(m_find);
    m_find->setAccessibleName(tr("Find"));
    m_find->setObjectName(QStringLiteral("logFind"));
    m_find->setPlaceholderText(tr("text in the output; Return for the next match, Shift+Return the previous"));
    m_follow->setChecked(true);
    m_follow->setAccessibleName(tr("Follow"));
    findRow->addWidget(findLabel);
    findRow->addWidget(m_find, 1);
    findRow->addWidget(m_follow);
    m_log->setReadOnly(true);
    m_log->setObjectName(QStringLiteral("slurmOutput"));
    m_log->setAccessibleName(tr("Slurm output"));
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setMaximumBlockCount(20000);
    logLayout->addLayout(findRow);
    logLayout->addWidget(m_log, 1);
    m_views->addTab(logTab, tr("&Slurm output"));
    connect(m_find, &QLineEdit::returnPressed, this,
        [this]() { findInLog(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier); });
    connect(m_find, &QLineEdit::textChanged, this, [this]() { findInLog(false); });
    m_views->setObjectName(QStringLiteral("monitorViews"));

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_views);
    split->addWidget(heatBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    split->setSizes({ 900, 420 });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_progress);
    layout->addWidget(m_flags);
    layout->addWidget(split, 1);

    connect(monitor, &JobMonitor::updated, this, &MonitorPage::refresh);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &MonitorPage::refresh);
    connect(m_range, &QComboBox::currentIndexChanged, this, [this]() {
        m_window.follow(m_range->currentData().toLongLong());
        refresh();
    });
    connect(m_resetZoom, &QToolButton::clicked, this, &MonitorPage::resetZoom);
    for (MonitorChartView* view : { m_view, hostView }) {
        connect(view, &MonitorChartView::zoomRequested, this, &MonitorPage::zoom);
        connect(view, &MonitorChartView::panRequested, this, &MonitorPage::pan);
        connect(view, &MonitorChartView::rangeSelected, this, &MonitorPage::selectRange);
        connect(view, &MonitorChartView::resetRequested, this, &MonitorPage::resetZoom);
        connect(view, &MonitorChartView::hovered, this,
            [this, view](double fraction) { view->setCrosshairText(crosshairText(fraction)); });
    }
    m_window.follow(m_range->currentData().toLongLong());
    connect(m_hostMetric, &QComboBox::currentIndexChanged, this, &MonitorPage::refresh);
    refresh();
}

qsizetype MonitorPage::pointCount(const QString& name) const
{
    for (QLineSeries* series : m_series)
        if (series->name() == name)
            return series->count();
    return -1;
}

QStringList MonitorPage::seriesNames() const
{
    QStringList names;
    for (QAbstractSeries* series : m_chart->series())
        names.append(series->name());
    return names;
}

void MonitorPage::rebuildSeries()
{
    const QString metric = m_metric->currentData().toString();
    const QList<int> ids = m_monitor->gpuSeries(metric);
    if (metric == m_seriesMetric && ids.size() == m_series.size())
        return;
    m_chart->removeAllSeries();
    m_series.clear();
    m_seriesMetric = metric;
    const Telemetry::RunTelemetry* telemetry = m_monitor->telemetry();
    if (!telemetry)
        return;
    QStringList nodes;
    int gpusPerNode = 1;
    for (int id : ids) {
        const Telemetry::SeriesKey& key = telemetry->store().key(id);
        if (!nodes.contains(key.node))
            nodes.append(key.node);
        gpusPerNode = std::max(gpusPerNode, key.gpu + 1);
    }
    for (int id : ids) {
        const Telemetry::SeriesKey& key = telemetry->store().key(id);
        auto* series = new QLineSeries;
        series->setName(QStringLiteral("%1:%2").arg(key.node).arg(key.gpu));
        series->setColor(seriesColour(int(nodes.indexOf(key.node)), key.gpu, gpusPerNode));
        series->setUseOpenGL(false);
        m_chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
        m_series.insert(id, series);
    }
    // One check box per node, in the node's hue: unticked hides the node's lines, which are then not
    // fetched at all.
    QLayout* toggles = m_nodeToggles->layout();
    while (QLayoutItem* item = toggles->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (int n = 0; n < nodes.size(); ++n) {
        auto* box = new QCheckBox(nodes[n]);
        box->setObjectName(u"node:" + nodes[n]);
        box->setAccessibleName(nodes[n]);
        box->setChecked(!m_hiddenNodes.value(nodes[n]));
        QPalette tinted = box->palette();
        tinted.setColor(QPalette::WindowText, seriesColour(n, 0, 1));
        box->setPalette(tinted);
        const QString node = nodes[n];
        connect(box, &QCheckBox::toggled, this, [this, node](bool on) {
            m_hiddenNodes.insert(node, !on);
            for (auto it = m_series.cbegin(); it != m_series.cend(); ++it)
                if (m_monitor->telemetry()->store().key(it.key()).node == node)
                    it.value()->setVisible(on);
            refresh();
        });
        toggles->addWidget(box);
    }
    static_cast<QHBoxLayout*>(toggles)->addStretch();
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        QLineSeries* series = it.value();
        series->setVisible(!m_hiddenNodes.value(telemetry->store().key(it.key()).node));
        connect(series, &QLineSeries::hovered, this, [this, series](const QPointF& point, bool state) {
            if (state)
                QToolTip::showText(QCursor::pos(),
                    tr("%1 at %2 s: %3").arg(series->name()).arg(point.x(), 0, 'f', 0).arg(point.y(), 0, 'f', 1),
                    m_view);
        });
    }
}

void MonitorPage::refresh()
{
    // An archived run swaps its coarse view for the full run: the series ids change with the store.
    if (m_monitor->telemetry() != m_telemetryShown) {
        m_telemetryShown = m_monitor->telemetry();
        m_seriesMetric.clear();
        m_hostSeriesMetric.clear();
    }
    const JobRecord& record = m_monitor->record();
    const QStringList nodes = m_monitor->nodes();
    // An imported run folder has no cluster: say where it came from instead.
    const QString where = record.cluster.isEmpty() ? tr("(imported)") : tr("on %1").arg(record.cluster.toHtmlEscaped());
    m_header->setText(
        tr("<b>Job %1</b> %2 %3 — <b>%4</b>: %5")
            .arg(record.status.jobId.toHtmlEscaped(), record.status.name.toHtmlEscaped(), where,
                jobPhaseName(record.status.phase), explainJob(record.status, record.ownerUid).toHtmlEscaped()));
    if (!m_monitor->isFollowing()) {
        m_progress->setText(m_monitor->waitingReason());
        m_flags->clear();
        return;
    }
    const QString limit = m_monitor->timeLimitText();
    const QString connection = m_monitor->connectionNote();
    m_progress->setText(tr("Nodes: %1").arg(nodes.join(QStringLiteral(", "))) + u" · " + m_monitor->progressText()
        + (limit.isEmpty() ? QString() : u"\n" + limit) + (connection.isEmpty() ? QString() : u"\n" + connection));

    // Metric choices: what the dmon files hold.
    const QStringList metrics = m_monitor->gpuMetrics();
    if (metrics.size() != m_metric->count()) {
        const QString current = m_metric->currentData().toString();
        const QSignalBlocker blocker(m_metric);
        m_metric->clear();
        for (const QString& metric : metrics)
            m_metric->addItem(metricLabel(metric), metric);
        const int index = m_metric->findData(current.isEmpty() ? QStringLiteral("sm") : current);
        m_metric->setCurrentIndex(index >= 0 ? index : 0);
    }
    rebuildSeries();

    const auto range = m_monitor->timeRange();
    const Telemetry::RunTelemetry* telemetry = m_monitor->telemetry();
    if (!range || !telemetry) {
        m_heatmap->setValues({}, QStringLiteral("%"), 100);
        refreshTraining();
        refreshLog();
        return;
    }
    m_dataRange = range;
    const auto [t0, t1] = m_window.resolve(range->first, range->second);
    m_shownT0 = t0;
    m_shownT1 = t1;
    m_origin = range->first;
    m_resetZoom->setEnabled(!m_window.isFollowing());
    m_zoomState->setText(m_window.isFollowing() ? QString()
                                                : tr("zoomed to %1 – %2")
                                                      .arg(secondsText(double(t0 - range->first) / 1000.0),
                                                          secondsText(double(t1 - range->first) / 1000.0)));
    // One point per pixel column of the plot area: the view never holds more points than it can show.
    const int columns = std::max(50, int(m_chart->plotArea().width()));
    QList<std::pair<int, QLineSeries*>> feed;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it)
        feed.append({ it.key(), it.value() });
    const double top = feedChartSeries(telemetry->store(), feed, range->first, t0, t1, columns);
    m_x->setRange(double(t0 - range->first) / 1000.0, std::max(1.0, double(t1 - range->first) / 1000.0));
    const MetricInfo info = metricInfo(m_seriesMetric);
    m_y->setRange(0, info.maximum > 0 ? info.maximum : std::max(1.0, top * 1.1));
    m_y->setTitleText(QStringLiteral("%1 (%2)").arg(metricLabel(m_seriesMetric), QString::fromUtf8(info.unit)));

    m_heatmap->setValues(m_monitor->recentSummary(QStringLiteral("sm"), 60000), QStringLiteral("%"), 100);
    QStringList flagText;
    const QList<Telemetry::Flag> flags = m_monitor->flags();
    markFlaggedSeries(flags);
    m_heatmap->setFlags(flags);
    for (const Telemetry::Flag& flag : flags) {
        switch (flag.kind) {
        case Telemetry::FlagKind::IdleGpu:
            flagText.append(tr("⚠ idle GPU: %1 GPU %2 (%3)").arg(flag.node).arg(flag.gpu).arg(flag.detail));
            break;
        case Telemetry::FlagKind::StragglingNode:
            flagText.append(tr("⚠ slow node: %1 (%2)").arg(flag.node, flag.detail));
            break;
        case Telemetry::FlagKind::StalledLog:
            flagText.append(tr("⚠ the training log has stalled (%1)").arg(flag.detail));
            break;
        }
    }
    m_flags->setText(flagText.join(QStringLiteral("  ")));
    m_flags->setVisible(!flagText.isEmpty());
    refreshTraining();
    refreshHosts(t0, t1, range->first, columns);
    refreshLog();
}

void MonitorPage::refreshTraining()
{
    const QString metric = m_trainingMetric->currentData().toString();
    const bool loss = metric == u"loss";
    const QList<std::pair<qint64, double>> first = m_monitor->trainingByStep(metric);
    const QList<std::pair<qint64, double>> eval
        = loss ? m_monitor->lossByStep(true) : QList<std::pair<qint64, double>>();
    m_loss->setName(loss ? tr("loss") : m_trainingMetric->currentText());
    m_evalLoss->setVisible(loss);
    m_lossY->setLabelFormat(metric == u"learning_rate" ? QStringLiteral("%.1e") : QStringLiteral("%.2f"));
    double top = 0;
    qint64 last = 1;
    const auto points = [&top, &last](const QList<std::pair<qint64, double>>& values) {
        QList<QPointF> out;
        for (const auto& [step, value] : values) {
            if (!std::isfinite(value))
                continue; // a diverged loss is shown as a gap, not a spike to infinity
            out.append(QPointF(double(step), value));
            top = std::max(top, value);
            last = std::max(last, step);
        }
        return out;
    };
    m_loss->replace(points(first));
    m_evalLoss->replace(points(eval));
    m_lossX->setRange(0, double(last));
    m_lossY->setRange(0, top > 0 ? top * 1.1 : 1.0);
}

void MonitorPage::refreshHosts(qint64 t0, qint64 t1, qint64 origin, int columns)
{
    const QStringList metrics = m_monitor->hostMetrics();
    if (metrics.size() != m_hostMetric->count()) {
        const QString current = m_hostMetric->currentData().toString();
        const QSignalBlocker blocker(m_hostMetric);
        m_hostMetric->clear();
        for (const QString& metric : metrics)
            m_hostMetric->addItem(metric, metric);
        const int index = m_hostMetric->findData(current.isEmpty() ? QStringLiteral("us") : current);
        m_hostMetric->setCurrentIndex(index >= 0 ? index : 0);
    }
    const QString metric = m_hostMetric->currentData().toString();
    const QList<int> ids = m_monitor->hostSeries(metric);
    const Telemetry::RunTelemetry* telemetry = m_monitor->telemetry();
    if (!telemetry)
        return;
    if (metric != m_hostSeriesMetric || ids.size() != m_hostSeries.size()) {
        m_hostChart->removeAllSeries();
        m_hostSeries.clear();
        m_hostSeriesMetric = metric;
        for (int n = 0; n < ids.size(); ++n) {
            auto* series = new QLineSeries;
            series->setName(telemetry->store().key(ids[n]).node);
            series->setColor(seriesColour(n, 0, 1));
            m_hostChart->addSeries(series);
            series->attachAxis(m_hostX);
            series->attachAxis(m_hostY);
            m_hostSeries.insert(ids[n], series);
        }
    }
    QList<std::pair<int, QLineSeries*>> feed;
    for (auto it = m_hostSeries.cbegin(); it != m_hostSeries.cend(); ++it)
        feed.append({ it.key(), it.value() });
    const double top = feedChartSeries(telemetry->store(), feed, origin, t0, t1, columns);
    m_hostX->setRange(double(t0 - origin) / 1000.0, std::max(1.0, double(t1 - origin) / 1000.0));
    const bool percent = QStringList { QStringLiteral("us"), QStringLiteral("sy"), QStringLiteral("id"),
        QStringLiteral("wa"), QStringLiteral("st") }
                             .contains(metric);
    m_hostY->setRange(0, percent ? 100.0 : std::max(1.0, top * 1.1));
    m_hostY->setTitleText(percent ? tr("%1 (% of CPU time)").arg(metric) : metric);
}

void MonitorPage::refreshLog()
{
    const QByteArray& tail = m_monitor->slurmOutputTail();
    if (tail.size() == m_logShown)
        return;
    m_logShown = tail.size();
    const int scroll = m_log->verticalScrollBar()->value();
    m_log->setPlainText(QString::fromUtf8(tail));
    if (m_follow->isChecked())
        m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
    else
        m_log->verticalScrollBar()->setValue(scroll);
}

void MonitorPage::findInLog(bool backwards)
{
    const QString text = m_find->text();
    if (text.isEmpty())
        return;
    m_follow->setChecked(false); // reading a match: stop jumping to the end
    QTextDocument::FindFlags flags;
    if (backwards)
        flags |= QTextDocument::FindBackward;
    if (!m_log->find(text, flags)) {
        // Wrap around once.
        QTextCursor cursor = m_log->textCursor();
        cursor.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
        m_log->setTextCursor(cursor);
        m_log->find(text, flags);
    }
}

void MonitorPage::zoom(double factor, double anchor)
{
    if (!m_dataRange)
        return;
    m_window.zoom(factor, anchor, m_dataRange->first, m_dataRange->second);
    refresh();
}

void MonitorPage::pan(double fraction)
{
    if (!m_dataRange)
        return;
    m_window.pan(fraction, m_dataRange->first, m_dataRange->second);
    refresh();
}

void MonitorPage::selectRange(double from, double to)
{
    if (!m_dataRange)
        return;
    const double span = double(m_shownT1 - m_shownT0);
    m_window.show(
        m_shownT0 + qint64(from * span), m_shownT0 + qint64(to * span), m_dataRange->first, m_dataRange->second);
    refresh();
}

void MonitorPage::resetZoom()
{
    m_window.follow(m_range->currentData().toLongLong());
    refresh();
}

QString MonitorPage::crosshairText(double fraction) const
{
    const Telemetry::RunTelemetry* telemetry = m_monitor->telemetry();
    if (fraction < 0 || fraction > 1 || !telemetry || m_shownT1 <= m_shownT0)
        return {};
    const bool hosts = m_views->currentIndex() == m_views->indexOf(m_hostView->parentWidget());
    const QHash<int, QLineSeries*>& shown = hosts ? m_hostSeries : m_series;
    const QChart* chart = hosts ? m_hostChart : m_chart;
    const qint64 t = m_shownT0 + qint64(fraction * double(m_shownT1 - m_shownT0));
    // Within two pixel columns of the pointer, or two seconds when zoomed in closer than that.
    const qint64 reach
        = std::max<qint64>(2000, 2 * (m_shownT1 - m_shownT0) / std::max(50, int(chart->plotArea().width())));
    QStringList lines { tr("at %1").arg(secondsText(double(t - m_origin) / 1000.0)) };
    QList<int> ids = shown.keys();
    std::sort(ids.begin(), ids.end(), [&telemetry](int a, int b) {
        const Telemetry::SeriesKey& ka = telemetry->store().key(a);
        const Telemetry::SeriesKey& kb = telemetry->store().key(b);
        return std::tie(ka.node, ka.gpu) < std::tie(kb.node, kb.gpu);
    });
    for (int id : ids) {
        const QLineSeries* series = shown.value(id);
        if (!series->isVisible())
            continue;
        const auto sample = telemetry->store().sampleNear(id, t, reach);
        lines.append(QStringLiteral("%1  %2").arg(series->name(),
            sample && std::isfinite(sample->second) ? QString::number(double(sample->second), 'f', 1)
                                                    : QStringLiteral("–")));
    }
    return lines.join(QLatin1Char('\n'));
}

QWidget* MonitorPage::currentChartView() const
{
    QWidget* tab = m_views->currentWidget();
    if (tab == m_lossView->parentWidget())
        return m_lossView;
    if (tab == m_hostView->parentWidget())
        return m_hostView;
    if (tab == m_view->parentWidget())
        return m_view;
    return nullptr;
}

QString MonitorPage::exportImage(const QString& path) const
{
    QWidget* view = currentChartView();
    if (!view)
        return tr("The current tab has no chart: choose GPUs, Training or Hosts.");
    return exportChartImage(view, path);
}

QString MonitorPage::exportCsv(const QString& path) const
{
    const Telemetry::RunTelemetry* telemetry = m_monitor->telemetry();
    QWidget* view = currentChartView();
    if (!view || !telemetry)
        return tr("There is no chart data to export yet.");
    QByteArray csv;
    if (view == m_lossView) {
        const QString metric = m_trainingMetric->currentData().toString();
        QList<std::pair<QString, QList<std::pair<qint64, double>>>> columns { { metric,
            m_monitor->trainingByStep(metric) } };
        if (metric == u"loss")
            columns.append({ QStringLiteral("eval_loss"), m_monitor->lossByStep(true) });
        csv = Telemetry::stepValuesCsv(columns);
    } else {
        const QHash<int, QLineSeries*>& shown = view == m_hostView ? m_hostSeries : m_series;
        QList<int> ids;
        for (auto it = shown.cbegin(); it != shown.cend(); ++it)
            if (it.value()->isVisible())
                ids.append(it.key());
        std::sort(ids.begin(), ids.end());
        csv = Telemetry::samplesCsv(telemetry->store(), ids, m_shownT0, m_shownT1, m_origin);
    }
    return writeFilesAtomically({ { path, csv } });
}

void MonitorPage::chooseExport(const QString& kind)
{
    const QString filter = kind == u"png" ? tr("PNG image (*.png)")
        : kind == u"svg"                  ? tr("SVG image (*.svg)")
                                          : tr("CSV data (*.csv)");
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export"), QStringLiteral("job-%1.%2").arg(m_monitor->record().status.jobId, kind), filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += u'.' + kind;
    const QString error = kind == u"csv" ? exportCsv(path) : exportImage(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export failed"), error);
}

void MonitorPage::markFlaggedSeries(const QList<Telemetry::Flag>& flags)
{
    // A flagged GPU (idle) or node (straggling) is drawn thick and dashed, so the chart shows what the
    // header says.
    const Telemetry::RunTelemetry* telemetry = m_monitor->telemetry();
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        const Telemetry::SeriesKey& key = telemetry->store().key(it.key());
        bool flagged = false;
        for (const Telemetry::Flag& flag : flags)
            flagged |= flag.node == key.node && (flag.gpu < 0 || flag.gpu == key.gpu)
                && flag.kind != Telemetry::FlagKind::StalledLog;
        QPen pen = it.value()->pen();
        const Qt::PenStyle style = flagged ? Qt::DashLine : Qt::SolidLine;
        if (pen.style() != style) {
            pen.setStyle(style);
            pen.setWidthF(flagged ? 3.0 : 2.0);
            it.value()->setPen(pen);
        }
    }
}

void MonitorPage::showSlurmOutput()
{
    m_views->setCurrentWidget(m_log->parentWidget());
    m_log->setFocus();
}

void MonitorPage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        for (QChart* chart : { m_chart, m_lossChart, m_hostChart })
            if (chart) // not yet made while the constructor runs
                applyPalette(chart, palette());
    }
}

} // namespace TuneDeck::Ui
