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

#include <cstdio>

namespace {

// An argument QString cannot hold byte for byte (a file name in Latin-1 on a UTF-8 system) would name a
// different file once decoded: it is refused, shown with its odd bytes escaped, before anything is read.
bool argumentsRoundTrip(int argc, char** argv, QStringList* arguments)
{
    for (int i = 0; i < argc; ++i) {
        const QByteArray raw(argv[i]);
        const QString decoded = QString::fromLocal8Bit(raw);
        if (i > 0 && decoded.toLocal8Bit() != raw) {
            QByteArray shown;
            for (const char c : raw)
                shown += (uchar(c) < 0x20 || uchar(c) >= 0x7f)
                    ? "\\x" + QByteArray::number(uchar(c), 16).rightJustified(2, '0')
                    : QByteArray(1, c);
            std::fprintf(stderr,
                "tunedeck: argument %d ('%s') is not valid in this system's encoding (UTF-8): TuneDeck cannot "
                "name that file exactly; rename it\n",
                i, shown.constData());
            return false;
        }
        arguments->append(decoded);
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    QStringList arguments;
    arguments.reserve(argc);
    if (!argumentsRoundTrip(argc, argv, &arguments))
        return 2;

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
