#pragma once

#include "core/job/memoryestimate.h"

#include <QWidget>

#include <optional>

namespace TuneDeck::Ui {

// The GPU-memory estimate of one GPU as a stacked bar (weights, gathered layers, trainable state,
// activations, logits, overhead) against the GPU's memory, with a legend. Custom-painted, so its
// value is exposed as text for screen readers (accessibleDescription) and as the tooltip.
class MemoryBar : public QWidget
{
    Q_OBJECT
public:
    explicit MemoryBar(QWidget* parent = nullptr);

    void setEstimate(const std::optional<MemoryEstimate>& estimate);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Part
    {
        QString name;
        double gib;
        QColor colour;
    };
    QList<Part> parts() const;

    std::optional<MemoryEstimate> m_estimate;
};

} // namespace TuneDeck::Ui
