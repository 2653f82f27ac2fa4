#include "ui/monitor/monitorchartview.h"

#include <QChart>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

namespace TuneDeck::Ui {
namespace {

constexpr double WheelStep = 0.8; // one notch in: 80 % of the width
constexpr double KeyPan = 0.25;
constexpr int MinimumDragPixels = 4;

} // namespace

MonitorChartView::MonitorChartView(QChart* chart, QWidget* parent)
    : QChartView(chart, parent)
{
    setRubberBand(QChartView::NoRubberBand); // our own: the window is core's, not the axis'
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(tr("Wheel or +/- to zoom, drag to select a range, Shift+drag or arrows to pan, "
                  "double click or 0 to show everything"));

    const QPalette pal = palette();
    m_band = new QGraphicsRectItem(chart);
    QColor fill = pal.color(QPalette::Highlight);
    fill.setAlpha(60);
    m_band->setBrush(fill);
    m_band->setPen(QPen(pal.color(QPalette::Highlight), 1));
    m_band->setZValue(20);
    m_band->hide();

    m_cross = new QGraphicsLineItem(chart);
    m_cross->setPen(QPen(pal.color(QPalette::Text), 1, Qt::DashLine));
    m_cross->setZValue(21);
    m_cross->hide();
    m_tipBox = new QGraphicsRectItem(chart);
    QColor tipFill = pal.color(QPalette::ToolTipBase);
    tipFill.setAlpha(235);
    m_tipBox->setBrush(tipFill);
    m_tipBox->setPen(QPen(pal.color(QPalette::Mid), 1));
    m_tipBox->setZValue(22);
    m_tipBox->hide();
    m_tip = new QGraphicsSimpleTextItem(m_tipBox);
    m_tip->setBrush(pal.color(QPalette::ToolTipText));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_tip->setFont(small);
}

double MonitorChartView::fractionAt(const QPointF& viewPos) const
{
    const QRectF plot = chart()->plotArea();
    const QPointF p = chart()->mapFromScene(mapToScene(viewPos.toPoint()));
    if (plot.width() <= 0)
        return -1;
    return (p.x() - plot.left()) / plot.width();
}

void MonitorChartView::wheelEvent(QWheelEvent* event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0) {
        event->ignore();
        return;
    }
    const double anchor = std::clamp(fractionAt(event->position()), 0.0, 1.0);
    Q_EMIT zoomRequested(std::pow(WheelStep, notches), anchor);
    event->accept();
}

void MonitorChartView::mousePressEvent(QMouseEvent* event)
{
    const double at = fractionAt(event->position());
    if (at < 0 || at > 1) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_pressPos = event->position();
    m_lastPanFraction = at;
    if (event->button() == Qt::MiddleButton
        || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier))) {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    } else if (event->button() == Qt::LeftButton) {
        m_drag = Drag::Select;
    }
    event->accept();
}

void MonitorChartView::mouseMoveEvent(QMouseEvent* event)
{
    const QRectF plot = chart()->plotArea();
    if (m_drag == Drag::Select && std::abs(event->position().x() - m_pressPos.x()) >= MinimumDragPixels) {
        const QPointF a = chart()->mapFromScene(mapToScene(m_pressPos.toPoint()));
        const QPointF b = chart()->mapFromScene(mapToScene(event->position().toPoint()));
        const double left = std::clamp(std::min(a.x(), b.x()), plot.left(), plot.right());
        const double right = std::clamp(std::max(a.x(), b.x()), plot.left(), plot.right());
        m_band->setRect(QRectF(left, plot.top(), right - left, plot.height()));
        m_band->show();
    } else if (m_drag == Drag::Pan) {
        const double at = fractionAt(event->position());
        // Dragging right moves the data right: earlier times come into view.
        Q_EMIT panRequested(m_lastPanFraction - at);
        m_lastPanFraction = at;
    }
    moveCrosshair(event->position());
    QChartView::mouseMoveEvent(event);
}

void MonitorChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_drag == Drag::Select && m_band->isVisible()) {
        const double a = std::clamp(fractionAt(m_pressPos), 0.0, 1.0);
        const double b = std::clamp(fractionAt(event->position()), 0.0, 1.0);
        m_band->hide();
        if (a != b)
            Q_EMIT rangeSelected(std::min(a, b), std::max(a, b));
    }
    m_band->hide();
    m_drag = Drag::None;
    unsetCursor();
    event->accept();
}

void MonitorChartView::mouseDoubleClickEvent(QMouseEvent* event)
{
    Q_EMIT resetRequested();
    event->accept();
}

void MonitorChartView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        Q_EMIT zoomRequested(WheelStep, 0.5);
        break;
    case Qt::Key_Minus:
        Q_EMIT zoomRequested(1.0 / WheelStep, 0.5);
        break;
    case Qt::Key_Left:
        Q_EMIT panRequested(-KeyPan);
        break;
    case Qt::Key_Right:
        Q_EMIT panRequested(KeyPan);
        break;
    case Qt::Key_0:
    case Qt::Key_Home:
        Q_EMIT resetRequested();
        break;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void MonitorChartView::leaveEvent(QEvent* event)
{
    hideCrosshair();
    QChartView::leaveEvent(event);
}

void MonitorChartView::moveCrosshair(const QPointF& viewPos)
{
    const QRectF plot = chart()->plotArea();
    const QPointF p = chart()->mapFromScene(mapToScene(viewPos.toPoint()));
    if (!plot.contains(p)) {
        hideCrosshair();
        return;
    }
    m_cross->setLine(QLineF(p.x(), plot.top(), p.x(), plot.bottom()));
    m_cross->show();
    Q_EMIT hovered((p.x() - plot.left()) / plot.width());
    // The page answered with setCrosshairText(); place the box beside the line, inside the plot.
    if (m_tip->text().isEmpty()) {
        m_tipBox->hide();
        return;
    }
    const QRectF text = m_tip->boundingRect();
    const QSizeF box(text.width() + 8, text.height() + 6);
    double x = p.x() + 10;
    if (x + box.width() > plot.right())
        x = p.x() - 10 - box.width();
    const double y
        = std::clamp(p.y() - box.height() / 2, plot.top(), std::max(plot.top(), plot.bottom() - box.height()));
    m_tipBox->setRect(QRectF(QPointF(0, 0), box));
    m_tipBox->setPos(x, y);
    m_tip->setPos(4, 3);
    m_tipBox->show();
}

void MonitorChartView::setCrosshairText(const QString& text)
{
    m_tip->setText(text);
}

bool MonitorChartView::crosshairVisible() const
{
    return m_cross->isVisible();
}

void MonitorChartView::hideCrosshair()
{
    if (m_cross->isVisible())
        Q_EMIT hovered(-1);
    m_cross->hide();
    m_tipBox->hide();
}

} // namespace TuneDeck::Ui
