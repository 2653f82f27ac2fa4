#pragma once

class QAbstractAxis;
class QChart;
class QPalette;

namespace TuneDeck::Ui {

// Qt Charts draws in its own light theme whatever the window's palette; these colour a chart and its
// axes from the palette instead, so a dark desktop theme gets a dark chart with readable labels.
void applyPalette(QChart* chart, const QPalette& palette);
void applyPalette(QAbstractAxis* axis, const QPalette& palette);

} // namespace TuneDeck::Ui
