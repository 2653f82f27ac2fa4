// The main window starts offscreen and shows the areas users navigate between.
#include "ui/mainwindow.h"

#include <QApplication>
#include <QTabWidget>
#include <QTest>

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsItsAreas()
    {
        TuneDeck::Ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        QVERIFY(tabs);
        QStringList titles;
        for (int i = 0; i < tabs->count(); ++i)
            titles.append(tabs->tabText(i));
        QCOMPARE(titles,
            QStringList({ QStringLiteral("Clusters"), QStringLiteral("New job"), QStringLiteral("Jobs"),
                QStringLiteral("Runs") }));
        QCOMPARE(window.windowTitle(), QStringLiteral("TuneDeck"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
