#pragma once

#include "core/archive/runcomparison.h"

#include <QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QChart;
class QChartView;
class QLabel;
class QPushButton;
class QTableWidget;

namespace TuneDeck {
class JobMonitor;
}
namespace TuneDeck::Archive {
class RunList;
}

namespace TuneDeck::Ui {

class NamedComboBox;

// Two or more archived runs side by side (issue 11 part 3): the figures and the job specs in a table
// with a column per run ("Differences only" hides equal rows), and any metric of the runs overlaid on
// one chart, by step, by time since start or by wall clock. Table and chart export as CSV and PNG/SVG.
class ComparisonPage : public QWidget
{
    Q_OBJECT
public:
    ComparisonPage(Archive::RunList* runs, const QList<qint64>& runIds, QWidget* parent = nullptr);
    ~ComparisonPage() override;

    const Archive::RunComparison& comparison() const { return m_comparison; }
    QTableWidget* table() const { return m_table; }
    QChart* chart() const { return m_chart; }
    void setDifferencesOnly(bool on);
    void setOverlay(int metricIndex, int axisIndex);
    QString exportTable(const QString& path) const;
    QString exportChart(const QString& path) const;

protected:
    // A theme switched while the page is open recolours its charts (Qt Charts does not follow the palette).
    void changeEvent(QEvent* event) override;

private:
    void fillTable();
    void fillChart();

    Archive::RunComparison m_comparison;
    std::vector<std::unique_ptr<JobMonitor>> m_monitors; // offline, one per run, for the overlays
    QTableWidget* m_table;
    QCheckBox* m_differencesOnly;
    NamedComboBox* m_metric;
    NamedComboBox* m_axis;
    QChart* m_chart;
    QChartView* m_chartView;
    QLabel* m_chartNote;
    QPushButton* m_exportTable;
    QPushButton* m_exportChart;
};

} // namespace TuneDeck::Ui
