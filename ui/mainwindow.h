#pragma once

#include <QMainWindow>

namespace TuneDeck::Ui {

// The top-level window. For now a shell with the areas the roadmap fills in (Clusters, New job, Jobs, Runs).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace TuneDeck::Ui
