#include "ui/runs/comparisonpage.h"

#include "core/archive/runlist.h"
#include "core/remote/jobmonitor.h"
#include "core/telemetry/runtelemetry.h"
#include "core/util/atomicfiles.h"
#include "ui/monitor/chartexport.h"
#include "ui/monitor/charttheme.h"
#include "ui/widgets/namedcombobox.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

namespace TuneDeck::Ui {

using namespace TuneDeck::Archive;

namespace {

constexpr OverlayMetric Metrics[]
    = { OverlayMetric::Loss, OverlayMetric::SecondsPerStep, OverlayMetric::SmUtilisation, OverlayMetric::PowerPerGpu };
constexpr OverlayAxis Axes[] = { OverlayAxis::Step, OverlayAxis::SecondsSinceStart, OverlayAxis::WallClock };

} // namespace

ComparisonPage::ComparisonPage(RunList* runs, const QList<qint64>& runIds, QWidget* parent)
    : QWidget(parent)
    , m_comparison(runs->compare(runIds))
    , m_table(new QTableWidget)
    , m_differencesOnly(new QCheckBox(tr("&Differences only")))
    , m_metric(new NamedComboBox)
    , m_axis(new NamedComboBox)
    , m_chart(new QChart)
    , m_chartView(new QChartView(m_chart))
    , m_chartNote(new QLabel)
    , m_exportTable(new QPushButton(tr("Export &table…")))
    , m_exportChart(new QPushButton(tr("Export c&hart…")))
{
    setObjectName(QStringLiteral("comparisonPage"));
    for (const ArchivedRun& run : m_comparison.runs) {
        // The coarse view (and the training logs in full) is what an overlay of whole runs needs, and it
        // loads in milliseconds; reading every run's raw text here would freeze the window for seconds.
        auto telemetry = runs->loadPreview(run.id);
        if (!telemetry)
            telemetry = runs->loadTelemetry(run.id);
        if (telemetry)
            m_monitors.push_back(std::make_unique<JobMonitor>(runs->jobRecord(run.id), std::move(telemetry)));
        else
            m_monitors.push_back(nullptr);
    }

    m_table->setObjectName(QStringLiteral("comparisonTable"));
    m_table->setAccessibleName(tr("Comparison"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_differencesOnly->setObjectName(QStringLiteral("differencesOnly"));
    m_differencesOnly->setToolTip(tr("Hide the rows where every run has the same value"));
    m_exportTable->setObjectName(QStringLiteral("exportComparison"));
    m_exportChart->setObjectName(QStringLiteral("exportOverlay"));
    for (QPushButton* b : { m_exportTable, m_exportChart })
        b->setAccessibleName(b->text().remove(u'&'));
    m_differencesOnly->setAccessibleName(tr("Differences only"));

    auto* metricLabel = new QLabel(tr("&Metric:"));
    m_metric->setObjectName(QStringLiteral("overlayMetric"));
    m_metric->setAccessibleName(tr("Metric:"));
    for (OverlayMetric m : Metrics)
        m_metric->addItem(overlayMetricName(m));
    metricLabel->setBuddy(m_metric);
    auto* axisLabel = new QLabel(tr("&X axis:"));
    m_axis->setObjectName(QStringLiteral("overlayAxis"));
    m_axis->setAccessibleName(tr("X axis:"));
    for (OverlayAxis a : Axes)
        m_axis->addItem(overlayAxisName(a));
    axisLabel->setBuddy(m_axis);

    auto* title = new QLabel;
    QStringList names;
    for (const ArchivedRun& r : m_comparison.runs)
        names << QStringLiteral("<b>%1</b> (%2)").arg(r.name.toHtmlEscaped(), r.shapeText());
    title->setText(tr("Comparing %1").arg(names.join(QStringLiteral(" · "))));
    title->setWordWrap(true);

    auto* tableBar = new QHBoxLayout;
    tableBar->addWidget(title, 1);
    tableBar->addWidget(m_differencesOnly);
    tableBar->addWidget(m_exportTable);
    auto* tablePane = new QWidget;
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addLayout(tableBar);
    tableLayout->addWidget(m_table, 1);

    auto* chartBar = new QHBoxLayout;
    chartBar->addWidget(metricLabel);
    chartBar->addWidget(m_metric);
    chartBar->addWidget(axisLabel);
    chartBar->addWidget(m_axis);
    chartBar->addWidget(m_chartNote, 1);
    chartBar->addWidget(m_exportChart);
    auto* chartPane = new QWidget;
    auto* chartLayout = new QVBoxLayout(chartPane);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addLayout(chartBar);
    chartLayout->addWidget(m_chartView, 1);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setAccessibleName(tr("Overlay chart"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chartNote->setObjectName(QStringLiteral("overlayNote"));

    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(tablePane);
    splitter->addWidget(chartPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({ 330, 330 });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_differencesOnly, &QCheckBox::toggled, this, &ComparisonPage::fillTable);
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this](int index) {
        // A training metric has steps, a GPU metric time: move the axis with the metric.
        const bool training = Metrics[index] == OverlayMetric::Loss || Metrics[index] == OverlayMetric::SecondsPerStep;
        const bool axisIsStep = Axes[m_axis->currentIndex()] == OverlayAxis::Step;
        if (training != axisIsStep)
            m_axis->setCurrentIndex(training ? 0 : 1);
        fillChart();
    });
    connect(m_axis, &QComboBox::currentIndexChanged, this, &ComparisonPage::fillChart);
    connect(m_exportTable, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export comparison"), QStringLiteral("comparison.csv"), tr("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        if (const QString error = exportTable(path); !error.isEmpty())
            QMessageBox::warning(this, tr("Not exported"), error);
    });
    connect(m_exportChart, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export chart"), QStringLiteral("overlay.png"), tr("PNG image (*.png);;SVG image (*.svg)"));
        if (path.isEmpty())
            return;
        if (const QString error = exportChart(path); !error.isEmpty())
            QMessageBox::warning(this, tr("Not exported"), error);
    });
    // Start on the first metric some run has (the walkthrough's log has steps and rates, no loss).
    for (int m = 0; m < int(std::size(Metrics)); ++m) {
        const OverlayAxis natural
            = overlayFits(Metrics[m], OverlayAxis::Step) ? OverlayAxis::Step : OverlayAxis::SecondsSinceStart;
        const bool has = std::any_of(m_monitors.cbegin(), m_monitors.cend(),
            [&](const auto& monitor) { return monitor && !overlayPoints(*monitor, Metrics[m], natural).isEmpty(); });
        if (has) {
            m_metric->setCurrentIndex(m);
            break;
        }
    }
    fillTable();
    fillChart();
}

ComparisonPage::~ComparisonPage() = default;

void ComparisonPage::setDifferencesOnly(bool on)
{
    m_differencesOnly->setChecked(on);
}

void ComparisonPage::setOverlay(int metricIndex, int axisIndex)
{
    m_metric->setCurrentIndex(metricIndex);
    m_axis->setCurrentIndex(axisIndex);
}

QString ComparisonPage::exportTable(const QString& path) const
{
    return writeFilesAtomically({ { path, comparisonCsv(m_comparison, m_differencesOnly->isChecked()) } });
}

QString ComparisonPage::exportChart(const QString& path) const
{
    return exportChartImage(m_chartView, path);
}

void ComparisonPage::fillTable()
{
    const QList<ComparisonRow> rows = m_comparison.visibleRows(m_differencesOnly->isChecked());
    m_table->clear();
    m_table->setColumnCount(int(m_comparison.runs.size()));
    m_table->setRowCount(int(rows.size()));
    QStringList headers;
    for (const ArchivedRun& r : m_comparison.runs)
        headers << QStringLiteral("%1 (run %2)").arg(r.name).arg(r.id);
    m_table->setHorizontalHeaderLabels(headers);
    QStringList labels;
    for (int row = 0; row < rows.size(); ++row) {
        const ComparisonRow& r = rows[row];
        labels << (r.isSpecField ? tr("Design: %1").arg(r.label) : r.label);
        for (int column = 0; column < r.texts.size(); ++column) {
            auto* item = new QTableWidgetItem(r.texts[column]);
            if (r.differs) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
            m_table->setItem(row, column, item);
        }
    }
    m_table->setVerticalHeaderLabels(labels);
}

void ComparisonPage::fillChart()
{
    m_chart->removeAllSeries();
    // removeAxis() hands the axis back to the caller: deleted here, else every switch of metric or axis
    // would leak two axes (and leave their items drawn until the next relayout).
    for (QAbstractAxis* axis : m_chart->axes()) {
        m_chart->removeAxis(axis);
        delete axis;
    }
    const OverlayMetric metric = Metrics[qBound(0, m_metric->currentIndex(), 3)];
    const OverlayAxis axis = Axes[qBound(0, m_axis->currentIndex(), 2)];
    QAbstractAxis* x = nullptr;
    if (axis == OverlayAxis::WallClock) {
        auto* dates = new QDateTimeAxis;
        dates->setFormat(QStringLiteral("MM-dd HH:mm"));
        dates->setTitleText(tr("Cluster time"));
        x = dates;
    } else {
        auto* values = new QValueAxis;
        values->setTitleText(axis == OverlayAxis::Step ? tr("Step") : tr("Seconds since the first sample"));
        values->setLabelFormat(QStringLiteral("%.0f"));
        x = values;
    }
    auto* y = new QValueAxis;
    y->setTitleText(overlayMetricName(metric));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    applyPalette(m_chart, palette());
    double xMin = 0, xMax = 0, yMin = 0, yMax = 0;
    bool any = false;
    QStringList without;
    for (size_t i = 0; i < m_monitors.size(); ++i) {
        const ArchivedRun& run = m_comparison.runs[qsizetype(i)];
        const auto points
            = m_monitors[i] ? overlayPoints(*m_monitors[i], metric, axis) : QList<std::pair<double, double>>();
        if (points.isEmpty()) {
            without << run.name;
            continue;
        }
        auto* series = new QLineSeries;
        series->setName(QStringLiteral("%1 (%2)").arg(run.name, run.shapeText()));
        series->setPointsVisible(points.size() < 50);
        for (auto [px, py] : points) {
            // The logs' wall clock is kept as if it were UTC; QDateTimeAxis shows local time.
            if (axis == OverlayAxis::WallClock) {
                const QDateTime logged = QDateTime::fromMSecsSinceEpoch(qint64(px), Qt::UTC);
                px = double(QDateTime(logged.date(), logged.time(), Qt::LocalTime).toMSecsSinceEpoch());
            }
            series->append(px, py);
            if (!any) {
                xMin = xMax = px;
                yMin = yMax = py;
                any = true;
            }
            xMin = std::min(xMin, px);
            xMax = std::max(xMax, px);
            yMin = std::min(yMin, py);
            yMax = std::max(yMax, py);
        }
        m_chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    if (any) {
        if (axis == OverlayAxis::WallClock)
            static_cast<QDateTimeAxis*>(x)->setRange(QDateTime::fromMSecsSinceEpoch(qint64(xMin)),
                QDateTime::fromMSecsSinceEpoch(qint64(std::max(xMax, xMin + 60000))));
        else
            x->setRange(xMin, std::max(xMax, xMin + 1));
        // Steps are whole numbers: a short run gets one tick per step, not "1 2 2 3 3".
        if (axis == OverlayAxis::Step && xMax - xMin < 4)
            static_cast<QValueAxis*>(x)->setTickCount(int(std::max(xMax, xMin + 1) - xMin) + 1);
        else if (axis == OverlayAxis::Step)
            static_cast<QValueAxis*>(x)->applyNiceNumbers(); // 10, 12, 14 rather than 10, 13, 15
        y->setRange(std::min(0.0, yMin), yMax > 0 ? yMax * 1.1 : 1.0);
        y->applyNiceNumbers(); // ticks at 0, 500, 1000, ... rather than at fifths of the range
        if (metric == OverlayMetric::SmUtilisation)
            y->setRange(0, 100); // a percentage: the full scale, whatever the runs reached
        y->setLabelFormat(y->max() >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.2f"));
    }
    if (!overlayFits(metric, axis))
        m_chartNote->setText(tr("%1 is not recorded against this axis.").arg(overlayMetricName(metric)));
    else if (!without.isEmpty())
        m_chartNote->setText(tr("Not recorded in: %1").arg(without.join(QStringLiteral(", "))));
    else
        m_chartNote->clear();
}

void ComparisonPage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        for (QChart* chart : { m_chart })
            if (chart) // not yet made while the constructor runs
                applyPalette(chart, palette());
    }
}

} // namespace TuneDeck::Ui
