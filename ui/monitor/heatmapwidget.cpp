#include "ui/monitor/heatmapwidget.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace TuneDeck::Ui {
namespace {

const int LabelWidth = 120;
const int HeaderHeight = 20;

QString cellKey(const QString& node, int gpu)
{
    return node + u'\n' + QString::number(gpu);
}

// Cold (idle) to hot (busy): dark blue through teal to yellow, readable on light and dark themes.
QColor heat(double fraction)
{
    fraction = std::clamp(fraction, 0.0, 1.0);
    return QColor::fromHsvF(0.66 - 0.52 * fraction, 0.85, 0.45 + 0.5 * fraction);
}

} // namespace

HeatmapWidget::HeatmapWidget(QWidget* parent)
    : QWidget(parent)
{
    setAccessibleName(tr("GPU utilisation by node and GPU"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void HeatmapWidget::setValues(const QList<Telemetry::MetricSummary>& values, const QString& unit, double maximum)
{
    m_nodes.clear();
    m_gpus.clear();
    m_values.clear();
    m_unit = unit;
    m_maximum = maximum > 0 ? maximum : 100;
    QStringList description;
    for (const Telemetry::MetricSummary& v : values) {
        if (!m_nodes.contains(v.node))
            m_nodes.append(v.node);
        if (!m_gpus.contains(v.gpu))
            m_gpus.append(v.gpu);
        m_values.insert(cellKey(v.node, v.gpu), v.stats.mean);
        description.append(tr("%1 GPU %2: %3 %4").arg(v.node).arg(v.gpu).arg(v.stats.mean, 0, 'f', 0).arg(unit));
    }
    std::sort(m_gpus.begin(), m_gpus.end());
    m_description = description.isEmpty() ? tr("No GPU data yet") : description.join(QStringLiteral("; "));
    describe();
    updateGeometry();
    update();
}

void HeatmapWidget::setFlags(const QList<Telemetry::Flag>& flags)
{
    m_flags.clear();
    for (const Telemetry::Flag& flag : flags)
        if (flag.kind != Telemetry::FlagKind::StalledLog)
            m_flags.append(flag);
    describe();
    update();
}

QString HeatmapWidget::flagAt(const QString& node, int gpu) const
{
    for (const Telemetry::Flag& flag : m_flags) {
        if (flag.node != node)
            continue;
        if (flag.kind == Telemetry::FlagKind::IdleGpu && flag.gpu == gpu)
            return tr("idle");
        if (flag.kind == Telemetry::FlagKind::StragglingNode)
            return tr("slow node");
    }
    return {};
}

void HeatmapWidget::describe()
{
    QStringList flagged;
    for (const Telemetry::Flag& flag : m_flags)
        flagged.append(flag.kind == Telemetry::FlagKind::IdleGpu ? tr("%1 GPU %2 idle").arg(flag.node).arg(flag.gpu)
                                                                 : tr("%1 slow").arg(flag.node));
    setAccessibleDescription(flagged.isEmpty()
            ? m_description
            : m_description + tr("; flagged: %1").arg(flagged.join(QStringLiteral(", "))));
}

QSize HeatmapWidget::sizeHint() const
{
    return { LabelWidth + 52 * std::max(int(m_gpus.size()), 4), HeaderHeight + 30 * std::max(int(m_nodes.size()), 4) };
}

QSize HeatmapWidget::minimumSizeHint() const
{
    return { LabelWidth + 40 * 4, HeaderHeight + 24 * 2 };
}

QRect HeatmapWidget::cellRect(int row, int column) const
{
    const int columns = std::max<int>(int(m_gpus.size()), 1);
    const int rows = std::max<int>(int(m_nodes.size()), 1);
    const int w = std::clamp((width() - LabelWidth) / columns, 1, 72); // cells stay cells on a wide screen
    const int h = std::clamp((height() - HeaderHeight) / rows, 12, 48);
    return QRect(LabelWidth + column * w, HeaderHeight + row * h, w - 2, h - 2);
}

std::pair<QString, int> HeatmapWidget::cellAt(const QPoint& point) const
{
    for (int r = 0; r < m_nodes.size(); ++r)
        for (int c = 0; c < m_gpus.size(); ++c)
            if (cellRect(r, c).contains(point))
                return { m_nodes[r], m_gpus[c] };
    return { QString(), -1 };
}

void HeatmapWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    if (m_nodes.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No GPU data yet"));
        return;
    }
    painter.setPen(palette().color(QPalette::WindowText));
    for (int c = 0; c < m_gpus.size(); ++c) {
        const QRect cell = cellRect(0, c);
        painter.drawText(
            QRect(cell.left(), 0, cell.width(), HeaderHeight), Qt::AlignCenter, tr("GPU %1").arg(m_gpus[c]));
    }
    for (int r = 0; r < m_nodes.size(); ++r) {
        const QRect first = cellRect(r, 0);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(0, first.top(), LabelWidth - 6, first.height()), Qt::AlignVCenter | Qt::AlignRight,
            fontMetrics().elidedText(m_nodes[r], Qt::ElideMiddle, LabelWidth - 8));
        for (int c = 0; c < m_gpus.size(); ++c) {
            const QRect cell = cellRect(r, c);
            const auto it = m_values.constFind(cellKey(m_nodes[r], m_gpus[c]));
            if (it == m_values.cend()) {
                painter.fillRect(cell, palette().color(QPalette::Mid));
                continue;
            }
            const QColor colour = heat(*it / m_maximum);
            painter.fillRect(cell, colour);
            painter.setPen(colour.lightnessF() > 0.55 ? Qt::black : Qt::white);
            painter.drawText(cell, Qt::AlignCenter, QString::number(*it, 'f', 0));
            if (!flagAt(m_nodes[r], m_gpus[c]).isEmpty()) {
                // Outlined in a warning red that no heat colour uses, and marked with a sign, so it reads
                // without colour vision too.
                painter.setPen(QPen(QColor(0xe5, 0x39, 0x35), 3));
                painter.drawRect(cell.adjusted(1, 1, -2, -2));
                painter.setPen(colour.lightnessF() > 0.55 ? Qt::black : Qt::white);
                painter.drawText(cell.adjusted(4, 2, -4, -2), Qt::AlignTop | Qt::AlignRight, QStringLiteral("⚠"));
            }
        }
    }
}

bool HeatmapWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const auto [node, gpu] = cellAt(help->pos());
        if (node.isEmpty()) {
            QToolTip::hideText();
        } else {
            const auto it = m_values.constFind(cellKey(node, gpu));
            QToolTip::showText(help->globalPos(),
                it == m_values.cend()
                    ? tr("%1 GPU %2: no data").arg(node).arg(gpu)
                    : tr("%1 GPU %2: %3 %4%5")
                          .arg(node)
                          .arg(gpu)
                          .arg(*it, 0, 'f', 1)
                          .arg(m_unit, flagAt(node, gpu).isEmpty() ? QString() : u" — " + flagAt(node, gpu)),
                this);
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace TuneDeck::Ui
