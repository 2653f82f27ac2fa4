// TuneDeck entry point: a QCoreApplication for the headless subcommands, a QApplication for the GUI
// (the shape of hotspot's main.cpp), so the CLI runs on a login node or in CI without a display.
#include "app/cli/cli.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCoreApplication>

#include <memory>

int main(int argc, char** argv)
{
    QStringList arguments;
    arguments.reserve(argc);
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

    QCoreApplication::setApplicationName(QStringLiteral("tunedeck"));
    QCoreApplication::setOrganizationName(QStringLiteral("TuneDeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TUNEDECK_VERSION));

    if (TuneDeck::Cli::isCliInvocation(arguments)) {
        QCoreApplication app(argc, argv);
        return TuneDeck::Cli::run(arguments);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("TuneDeck"));
    TuneDeck::Ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
