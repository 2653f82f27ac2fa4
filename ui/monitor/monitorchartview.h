#pragma once

#include <QChartView>

class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QGraphicsRectItem;

namespace TuneDeck::Ui {

// A chart view that turns the mouse and keyboard into time-window requests, leaving the window itself to
// core (Telemetry::TimeWindow, owned by the page): wheel zooms around the pointer, a left-button drag
// selects a range (rubber band), Shift+drag or a middle-button drag pans, a double click resets. Keys:
// + and - zoom, Left and Right pan, 0 or Home resets. Positions are fractions of the plot's width.
// A hover crosshair shows the text the page gives for the time under the pointer.
class MonitorChartView : public QChartView
{
    Q_OBJECT
public:
    explicit MonitorChartView(QChart* chart, QWidget* parent = nullptr);

    // The lines beside the crosshair at `fraction` (the page looks them up in the store).
    void setCrosshairText(const QString& text);
    bool crosshairVisible() const;

Q_SIGNALS:
    void zoomRequested(double factor, double anchor);
    void panRequested(double fraction);
    void rangeSelected(double from, double to);
    void resetRequested();
    void hovered(double fraction); // < 0: the pointer left the plot

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    double fractionAt(const QPointF& viewPos) const;
    void moveCrosshair(const QPointF& viewPos);
    void hideCrosshair();

    enum class Drag { None, Select, Pan };
    Drag m_drag = Drag::None;
    QPointF m_pressPos;
    double m_lastPanFraction = 0;
    QGraphicsRectItem* m_band = nullptr;
    QGraphicsLineItem* m_cross = nullptr;
    QGraphicsRectItem* m_tipBox = nullptr;
    QGraphicsSimpleTextItem* m_tip = nullptr;
};

} // namespace TuneDeck::Ui
