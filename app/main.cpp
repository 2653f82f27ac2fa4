// TuneDeck entry point: a QCoreApplication for the headless subcommands, a QApplication for the GUI
// (the shape of hotspot's main.cpp), so the CLI runs on a login node or in CI without a display.
#include "app/cli/cli.h"
#include "core/remote/clustersessions.h"
#include "core/remote/joblist.h"
#include "ui/mainwindow.h"
#include "ui/widgets/namedcombobox.h"

#include <QApplication>
#include <QCoreApplication>
#include <QIcon>

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
    QApplication::setDesktopFileName(QStringLiteral("io.github.tunedeck.TuneDeck"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.github.tunedeck.TuneDeck")));

    // Before any widget exists: accessible interfaces are cached as widgets appear.
    TuneDeck::Ui::installNamedComboBoxAccessibility();
    TuneDeck::ClusterSessions sessions;
    TuneDeck::JobList jobs(&sessions);
    const QString jobListError = jobs.load();
    TuneDeck::Ui::MainWindow window(&sessions, &jobs);
    window.show();
    if (!jobListError.isEmpty())
        qWarning("%s", qPrintable(jobListError));
    if (const QString spec = TuneDeck::Cli::guiSpecFile(arguments); !spec.isEmpty())
        window.openSpec(spec);
    return QApplication::exec();
}
