#pragma once

#include "core/telemetry/derivedfigures.h"
#include "core/telemetry/timewindow.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QCheckBox;
class QLineEdit;
class QLineSeries;
class QPlainTextEdit;
class QTabWidget;
class QToolButton;
class QValueAxis;

namespace TuneDeck {
class JobMonitor;
}

namespace TuneDeck::Ui {

class HeatmapWidget;
class MonitorChartView;

// The live view of one job: a header (state, nodes, progress, seconds per step, ETA, flags), a chart of
// one per-GPU metric with a series per node:GPU on a shared time axis (seconds since the first sample),
// and the node x GPU heat-map of the last minute. The chart is fed only decimated views of the store at
// its own width in pixels, one replace() per series per refresh, refreshes coalesced by JobMonitor to at
// most ten a second; hidden series are not fetched.
class MonitorPage : public QWidget
{
    Q_OBJECT
public:
    explicit MonitorPage(JobMonitor* monitor, QWidget* parent = nullptr);

    JobMonitor* monitor() const { return m_monitor; }
    QChart* chart() const { return m_chart; }
    HeatmapWidget* heatmap() const { return m_heatmap; }
    // Points now drawn by the series of node:GPU (tests: bounded by the chart's width).
    qsizetype pointCount(const QString& name) const;
    QStringList seriesNames() const;
    // The time window of the GPU and host charts: [t0, t1) in store ms, and its zoom/pan state.
    std::pair<qint64, qint64> shownWindow() const { return { m_shownT0, m_shownT1 }; }
    const Telemetry::TimeWindow& timeWindow() const { return m_window; }
    MonitorChartView* chartView() const { return m_view; }
    // The text beside the hover crosshair at `fraction` of the plot's width: the time and the value of
    // every visible series there.
    QString crosshairText(double fraction) const;
    // Export of the current tab's chart: PNG or SVG by suffix, or its data (visible range, full
    // resolution) as CSV. Empty string on success, else the message shown.
    QString exportImage(const QString& path) const;
    QString exportCsv(const QString& path) const;
    void zoom(double factor, double anchor);
    void pan(double fraction);
    void selectRange(double from, double to);
    void resetZoom();
    void showSlurmOutput();

public Q_SLOTS:
    void refresh();

    QTabWidget* views() const { return m_views; }
    QChart* lossChart() const { return m_lossChart; }
    QChart* hostChart() const { return m_hostChart; }
    QPlainTextEdit* log() const { return m_log; }

protected:
    // A theme switched while the page is open recolours its charts (Qt Charts does not follow the palette).
    void changeEvent(QEvent* event) override;

private:
    void rebuildSeries();
    void refreshTraining();
    void refreshHosts(qint64 t0, qint64 t1, qint64 origin, int columns);
    void refreshLog();
    void findInLog(bool backwards);
    void chooseExport(const QString& kind);
    QWidget* currentChartView() const;
    void markFlaggedSeries(const QList<Telemetry::Flag>& flags);

    JobMonitor* m_monitor;
    QLabel* m_header;
    QLabel* m_progress;
    QLabel* m_flags;
    QComboBox* m_metric;
    QComboBox* m_range;
    QChart* m_chart = nullptr;
    MonitorChartView* m_view;
    QChartView* m_lossView;
    QChartView* m_hostView;
    QToolButton* m_resetZoom;
    QToolButton* m_export;
    QLabel* m_zoomState;
    Telemetry::TimeWindow m_window;
    qint64 m_shownT0 = 0;
    qint64 m_shownT1 = 0;
    qint64 m_origin = 0;
    std::optional<std::pair<qint64, qint64>> m_dataRange;
    QValueAxis* m_x;
    QValueAxis* m_y;
    HeatmapWidget* m_heatmap;
    QHash<int, QLineSeries*> m_series; // store series id -> chart series
    QWidget* m_nodeToggles;
    QHash<QString, bool> m_hiddenNodes;
    QTabWidget* m_views;
    QChart* m_lossChart = nullptr;
    QLineSeries* m_loss;
    QLineSeries* m_evalLoss;
    QValueAxis* m_lossX;
    QValueAxis* m_lossY;
    QComboBox* m_trainingMetric;
    QComboBox* m_hostMetric;
    QChart* m_hostChart = nullptr;
    QValueAxis* m_hostX;
    QValueAxis* m_hostY;
    QHash<int, QLineSeries*> m_hostSeries;
    QString m_hostSeriesMetric;
    QPlainTextEdit* m_log;
    QLineEdit* m_find;
    QCheckBox* m_follow;
    qsizetype m_logShown = -1;
    QString m_seriesMetric;
    const void* m_telemetryShown = nullptr; // series ids belong to one telemetry's store
};

} // namespace TuneDeck::Ui
