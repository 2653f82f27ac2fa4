#include "ui/monitor/monitorpage.h"

#include "core/remote/jobmonitor.h"
#include "core/remote/jobstatus.h"
#include "core/telemetry/runtelemetry.h"
#include "ui/monitor/heatmapwidget.h"
#include "ui/widgets/namedcombobox.h"

#include <QChart>
#include <QCheckBox>
#include <QCursor>
#include <QToolTip>
#include <QCoreApplication>
#include <QChartView>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSplitter>
#include <QValueAxis>
#include <QVBoxLayout>

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

} // namespace

MonitorPage::MonitorPage(JobMonitor* monitor, QWidget* parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_header(new QLabel)
    , m_progress(new QLabel)
    , m_flags(new QLabel)
    , m_metric(new NamedComboBox)
    , m_range(new NamedComboBox)
    , m_chart(new QChart)
    , m_view(new QChartView(m_chart))
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
    , m_heatmap(new HeatmapWidget)
    , m_nodeToggles(new QWidget)
{
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
    controls->addStretch();

    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_x->setTitleText(tr("seconds since the first sample"));
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    // The legend is the row of node check boxes above the chart (a node shown or hidden with one click,
    // by keyboard too); the lines of a node share its hue, and hovering a line names its node:GPU.
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    // The chart follows the window's palette, so a dark theme gets a dark chart.
    m_chart->setBackgroundBrush(palette().color(QPalette::Base));
    m_chart->setTitleBrush(palette().color(QPalette::Text));
    m_chart->legend()->setLabelColor(palette().color(QPalette::Text));
    for (QValueAxis* axis : { m_x, m_y }) {
        axis->setLabelsColor(palette().color(QPalette::Text));
        axis->setTitleBrush(palette().color(QPalette::Text));
        axis->setGridLineColor(palette().color(QPalette::Midlight));
    }
    m_view->setRenderHint(QPainter::Antialiasing, false);
    m_view->setObjectName(QStringLiteral("monitorChart"));
    m_view->setAccessibleName(tr("Per-GPU chart"));
    m_view->setRubberBand(QChartView::HorizontalRubberBand);

    auto* heatBox = new QWidget;
    auto* heatLayout = new QVBoxLayout(heatBox);
    heatLayout->setContentsMargins(0, 0, 0, 0);
    heatLayout->addWidget(new QLabel(tr("SM utilisation, last minute (%)")));
    heatLayout->addWidget(m_heatmap);
    heatLayout->addStretch(1);
    m_heatmap->setObjectName(QStringLiteral("monitorHeatmap"));

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_view);
    split->addWidget(heatBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    split->setSizes({ 900, 420 });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_progress);
    layout->addWidget(m_flags);
    layout->addLayout(controls);
    new QHBoxLayout(m_nodeToggles);
    m_nodeToggles->layout()->setContentsMargins(0, 0, 0, 0);
    m_nodeToggles->setObjectName(QStringLiteral("monitorNodes"));
    layout->addWidget(m_nodeToggles);
    layout->addWidget(split, 1);

    connect(monitor, &JobMonitor::updated, this, &MonitorPage::refresh);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &MonitorPage::refresh);
    connect(m_range, &QComboBox::currentIndexChanged, this, &MonitorPage::refresh);
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
                QToolTip::showText(QCursor::pos(), tr("%1 at %2 s: %3").arg(series->name()).arg(point.x(), 0, 'f', 0).arg(point.y(), 0, 'f', 1), m_view);
        });
    }
}

void MonitorPage::refresh()
{
    const JobRecord& record = m_monitor->record();
    const QStringList nodes = m_monitor->nodes();
    m_header->setText(tr("<b>Job %1</b> %2 on %3 — <b>%4</b>: %5")
                          .arg(record.status.jobId.toHtmlEscaped(), record.status.name.toHtmlEscaped(),
                              record.cluster.toHtmlEscaped(), jobPhaseName(record.status.phase),
                              explainJob(record.status, record.ownerUid).toHtmlEscaped()));
    if (!m_monitor->isFollowing()) {
        m_progress->setText(m_monitor->waitingReason());
        m_flags->clear();
        return;
    }
    m_progress->setText(tr("Nodes: %1").arg(nodes.join(QStringLiteral(", "))) + u" · "
        + m_monitor->progressText());

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
        return;
    }
    const qint64 window = m_range->currentData().toLongLong();
    const qint64 t1 = range->second + 1;
    const qint64 t0 = window > 0 ? std::max(range->first, t1 - window) : range->first;
    // One point per pixel column of the plot area: the view never holds more points than it can show.
    const int columns = std::max(50, int(m_chart->plotArea().width()));
    double top = 0;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        QLineSeries* series = it.value();
        if (!series->isVisible())
            continue;
        QList<QPointF> points;
        for (const Telemetry::ViewColumn& c : telemetry->store().view(it.key(), t0, t1, columns)) {
            points.append(QPointF(double(c.t - range->first) / 1000.0, c.max));
            top = std::max(top, double(c.max));
        }
        series->replace(points);
    }
    m_x->setRange(double(t0 - range->first) / 1000.0, std::max(1.0, double(t1 - range->first) / 1000.0));
    const MetricInfo info = metricInfo(m_seriesMetric);
    m_y->setRange(0, info.maximum > 0 ? info.maximum : std::max(1.0, top * 1.1));
    m_y->setTitleText(QStringLiteral("%1 (%2)").arg(metricLabel(m_seriesMetric), QString::fromUtf8(info.unit)));

    m_heatmap->setValues(m_monitor->recentSummary(QStringLiteral("sm"), 60000), QStringLiteral("%"), 100);
    QStringList flagText;
    for (const Telemetry::Flag& flag : m_monitor->flags()) {
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
}

} // namespace TuneDeck::Ui
