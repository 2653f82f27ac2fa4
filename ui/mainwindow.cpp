#include "ui/mainwindow.h"

#include <QLabel>
#include <QTabWidget>

namespace TuneDeck::Ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("TuneDeck"));
    auto* tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("mainTabs"));
    const auto addPlaceholder = [tabs](const QString& title, const QString& text) {
        auto* label = new QLabel(text, tabs);
        label->setAlignment(Qt::AlignCenter);
        label->setWordWrap(true);
        tabs->addTab(label, title);
    };
    addPlaceholder(tr("Clusters"), tr("Cluster profiles and connections"));
    addPlaceholder(tr("New job"), tr("Use 'tunedeck render' to generate a job from a spec"));
    addPlaceholder(tr("Jobs"), tr("Submitted jobs"));
    addPlaceholder(tr("Runs"), tr("Archived runs"));
    setCentralWidget(tabs);
    resize(1100, 720);
}

} // namespace TuneDeck::Ui
