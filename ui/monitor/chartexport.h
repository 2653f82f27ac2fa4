#pragma once

#include <QString>

class QWidget;

namespace TuneDeck::Ui {

// Writes what `view` shows to `path` as PNG or SVG (by the file's suffix, PNG when it has none), through
// a temporary sibling renamed over the target (core/util/atomicfiles.h), so a failed export leaves
// nothing behind. Returns an empty string or "path: why".
QString exportChartImage(QWidget* view, const QString& path);

} // namespace TuneDeck::Ui
