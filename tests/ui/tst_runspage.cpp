// The Runs page in the real window, offscreen (issue 11 part 6): import the walkthrough's folder and a
// 2 x 4 A100-80 variant, search, open a run in the monitor's view offline, compare (table, differences
// only, overlay chart, exports), a new job from a run's spec, remove — by buttons and by keyboard.
#include "core/archive/runlist.h"
#include "core/job/jobdesign.h"
#include "core/remote/clustersessions.h"
#include "core/remote/joblist.h"
#include "core/remote/jobmonitor.h"
#include "runsimport.h"
#include "testsupport.h"
#include "ui/mainwindow.h"
#include "ui/monitor/monitorpage.h"
#include "ui/runs/comparisonpage.h"
#include "ui/runs/reportpage.h"
#include "ui/runs/runspage.h"

#include <QAbstractAxis>
#include <QAction>
#include <QChart>
#include <QCoreApplication>
#include <QGraphicsScene>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPalette>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QValueAxis>

using namespace TuneDeck;
using namespace TuneDeck::Ui;

namespace {

const QString Walkthrough = QStringLiteral(ARCHIVE_TESTDATA_DIR "/walkthrough");

void screenshot(QWidget* window, const char* name)
{
    const QString dir = qEnvironmentVariable("TUNEDECK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    // Charts lay out and repaint through posted events: let them run, or the grab shows the last frame.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // a replaced chart's old axes
    QCoreApplication::processEvents();
    window->grab().save(dir + u'/' + QLatin1StringView(name) + u".png");
}

// Breeze Dark's main colours, set on the whole window as a dark desktop theme does.
QPalette darkPalette(QPalette dark)
{
    dark.setColor(QPalette::Window, QColor(0x20, 0x23, 0x26));
    dark.setColor(QPalette::WindowText, QColor(0xfc, 0xfc, 0xfc));
    dark.setColor(QPalette::Base, QColor(0x23, 0x26, 0x29));
    dark.setColor(QPalette::AlternateBase, QColor(0x29, 0x2c, 0x30));
    dark.setColor(QPalette::Text, QColor(0xfc, 0xfc, 0xfc));
    dark.setColor(QPalette::Button, QColor(0x29, 0x2c, 0x30));
    dark.setColor(QPalette::ButtonText, QColor(0xfc, 0xfc, 0xfc));
    dark.setColor(QPalette::Midlight, QColor(0x40, 0x44, 0x48));
    return dark;
}

int tableRow(const QTableWidget* table, const QString& label)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->verticalHeaderItem(row) && table->verticalHeaderItem(row)->text() == label)
            return row;
    }
    return -1;
}

} // namespace

class TestRunsPage : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<ClusterSessions> m_sessions;
    std::unique_ptr<JobList> m_jobs;
    std::unique_ptr<MainWindow> m_window;
    QString m_variant;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_home = std::make_unique<QTemporaryDir>();
        qputenv("TUNEDECK_ARCHIVE", m_home->filePath(QStringLiteral("archive.sqlite")).toUtf8());
        // The same job on 2 nodes x 4 A100-80 at twice the pace per step.
        m_variant = m_home->filePath(QStringLiteral("a100-80"));
        QVERIFY(QDir().mkpath(m_variant));
        QByteArray script = Test::readFile(Walkthrough + QStringLiteral("/batch-llama3-70b-ft.sh"));
        script.replace("#SBATCH --nodes 4", "#SBATCH --nodes 2\n#SBATCH --constraint a100_80");
        script.replace("--job-name llama3-70b-ft", "--job-name llama3-70b-a100-80");
        Test::writeFile(m_variant + QStringLiteral("/batch.sh"), script);
        QByteArray log = Test::readFile(Walkthrough + QStringLiteral("/stdout-890671.out"));
        log.replace("2987.90s/it", "1493.95s/it")
            .replace("3005.47s/it", "1502.74s/it")
            .replace("2962.79s/it", "1481.40s/it");
        Test::writeFile(m_variant + QStringLiteral("/stdout-901234.out"), log.replace("890671", "901234"));
        Test::writeFile(
            m_variant + QStringLiteral("/dmon.txt"), Test::readFile(Walkthrough + QStringLiteral("/dmon.txt")));

        m_sessions = std::make_unique<ClusterSessions>();
        m_sessions->setUserProfilesFolder(m_home->filePath(QStringLiteral("profiles")));
        m_jobs = std::make_unique<JobList>(m_sessions.get(), m_home->filePath(QStringLiteral("jobs.json")));
        m_window = std::make_unique<MainWindow>(m_sessions.get(), m_jobs.get());
        m_window->resize(1366, 768);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->showPage(MainWindow::RunsPageIndex);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_jobs.reset();
        m_sessions.reset();
    }

    void importsTheWalkthroughFolder()
    {
        RunsPage* page = m_window->runsPage();
        QVERIFY(!page->view()->isVisible()); // the empty state says how to add runs
        // The folder is read on a worker thread: the button waits for it, the window does not.
        QSignalSpy imported(page, &RunsPage::importFinished);
        page->importPaths({ Walkthrough });
        auto* importButton = page->findChild<QPushButton*>(QStringLiteral("importRun"));
        QVERIFY(importButton);
        QVERIFY(!importButton->isEnabled());
        QVERIFY(page->statusText().startsWith(u"Importing "));
        QVERIFY(imported.wait(30000));
        QVERIFY(imported.first().first().toLongLong() > 0);
        QVERIFY(importButton->isEnabled());
        QVERIFY(page->view()->isVisible());
        QCOMPARE(page->view()->model()->rowCount(), 1);
        QVERIFY2(
            page->statusText().startsWith(u"Imported 'llama3-70b-ft': 3 file(s) read"), qPrintable(page->statusText()));
        const QAbstractItemModel* model = page->view()->model();
        QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("llama3-70b-ft"));
        QCOMPARE(model->index(0, 2).data().toString(), QStringLiteral("4 × 4 GPUs"));
        QCOMPARE(model->index(0, 3).data().toString(), QStringLiteral("TIMEOUT"));
        QCOMPARE(model->index(0, 5).data().toString(), QStringLiteral("3 of 21"));
        QCOMPARE(model->index(0, 6).data().toString(), QStringLiteral("2962.8"));
        QCOMPARE(model->index(0, 7).data().toString(), QStringLiteral("48.0"));

        // The same folder again adds nothing.
        QVERIFY(Test::importAndWait(page, { Walkthrough + QStringLiteral("/") }) > 0);
        QVERIFY(page->statusText().startsWith(u"Already archived"));
        QCOMPARE(model->rowCount(), 1);

        QVERIFY(Test::importAndWait(page, { m_variant }) > 0);
        QCOMPARE(model->rowCount(), 2);
        screenshot(m_window.get(), "runs-page");
    }

    void searchesAndSorts()
    {
        RunsPage* page = m_window->runsPage();
        auto* search = page->findChild<QLineEdit*>(QStringLiteral("runsSearch"));
        QVERIFY(search);
        QCOMPARE(search->accessibleName(), QStringLiteral("Search:"));
        search->setText(QStringLiteral("a100_80"));
        QCOMPARE(page->view()->model()->rowCount(), 1);
        QCOMPARE(page->view()->model()->index(0, 0).data().toString(), QStringLiteral("llama3-70b-a100-80"));
        search->clear();
        // Numeric sort on seconds per step: 1481.4 before 2962.8.
        page->view()->sortByColumn(6, Qt::AscendingOrder);
        QCOMPARE(page->view()->model()->index(0, 6).data().toString(), QStringLiteral("1481.4"));
        page->view()->sortByColumn(6, Qt::DescendingOrder);
        QCOMPARE(page->view()->model()->index(0, 6).data().toString(), QStringLiteral("2962.8"));
    }

    void everyButtonIsNamedAfterItsLabel()
    {
        for (QPushButton* button : m_window->runsPage()->findChildren<QPushButton*>())
            QCOMPARE(button->accessibleName(), button->text().remove(u'&'));
    }

    void returnOpensTheRunOffline()
    {
        RunsPage* page = m_window->runsPage();
        page->view()->setFocus();
        page->view()->setCurrentIndex(page->view()->model()->index(0, 0)); // llama3-70b-ft (slowest first)
        QTest::keyClick(page->view(), Qt::Key_Return);
        auto* monitor = qobject_cast<MonitorPage*>(m_window->pages()->currentWidget());
        QVERIFY(monitor);
        QCOMPARE(m_window->pages()->tabText(m_window->pages()->currentIndex()), QStringLiteral("Run llama3-70b-ft"));
        QVERIFY(monitor->monitor()->isFollowing());
        QCOMPARE(monitor->seriesNames().size(), 4); // the batch host's four GPUs
        QCOMPARE(monitor->monitor()->progressText().left(15), QStringLiteral("step 3 of 21 · "));
        // Offline and ended by its time limit: no ETA, but how far from the end it stopped.
        QVERIFY2(!monitor->monitor()->progressText().contains(u"ETA"), qPrintable(monitor->monitor()->progressText()));
        QVERIFY2(monitor->monitor()->progressText().contains(u"ended TIMEOUT, 14 h"),
            qPrintable(monitor->monitor()->progressText()));
        screenshot(m_window.get(), "run-offline");
        m_window->showPage(MainWindow::RunsPageIndex);
    }

    void comparesTheSelectedRuns()
    {
        RunsPage* page = m_window->runsPage();
        auto* compare = page->findChild<QPushButton*>(QStringLiteral("compareRuns"));
        page->view()->clearSelection();
        page->view()->setCurrentIndex(page->view()->model()->index(0, 0));
        QVERIFY(!compare->isEnabled()); // one run
        page->view()->selectAll();
        QVERIFY(compare->isEnabled());
        compare->click();
        auto* comparison = qobject_cast<ComparisonPage*>(m_window->pages()->currentWidget());
        QVERIFY(comparison);
        QTableWidget* table = comparison->table();
        QCOMPARE(table->columnCount(), 2);
        const int perThousand = tableRow(table, QStringLiteral("GPU-hours per 1 000 steps"));
        QVERIFY(perThousand >= 0);
        QCOMPARE(table->item(perThousand, 0)->text(), QStringLiteral("16000"));
        QCOMPARE(table->item(perThousand, 1)->text(), QStringLiteral("8000"));
        QVERIFY(tableRow(table, QStringLiteral("Design: slurm.account")) >= 0);
        const int allRows = table->rowCount();

        comparison->setDifferencesOnly(true);
        QVERIFY(table->rowCount() < allRows);
        QVERIFY(tableRow(table, QStringLiteral("Design: slurm.nodes")) >= 0);
        QCOMPARE(tableRow(table, QStringLiteral("Design: slurm.account")), -1);
        QCOMPARE(tableRow(table, QStringLiteral("Steps done")), -1);

        // The overlay starts on seconds per step (the walkthrough's log has no loss): one line per run,
        // on a step axis with a tick per step (3 steps: 1, 2, 3).
        QCOMPARE(comparison->chart()->series().size(), 2);
        const auto* steps = qobject_cast<QValueAxis*>(comparison->chart()->axes(Qt::Horizontal).value(0));
        QVERIFY(steps);
        QCOMPARE(steps->tickCount(), 3);
        comparison->setOverlay(2, 1); // SM utilisation by time since start
        QCOMPARE(comparison->chart()->series().size(), 2);
        comparison->setOverlay(0, 0); // loss: not in these logs
        QCOMPARE(comparison->chart()->series().size(), 0);
        QVERIFY(comparison->findChild<QLabel*>(QStringLiteral("overlayNote"))->text().startsWith(u"Not recorded in:"));
        comparison->setOverlay(1, 0);
        screenshot(m_window.get(), "runs-compare");

        // A dark theme gets a dark chart with readable axes, not Qt Charts' own light one.
        const QPalette dark = darkPalette(comparison->palette());
        m_window->setPalette(dark); // as a dark desktop theme does: the whole window
        QCOMPARE(comparison->chart()->backgroundBrush().color(), dark.color(QPalette::Base));
        QVERIFY(!comparison->chart()->axes().isEmpty());
        for (const QAbstractAxis* axis : comparison->chart()->axes())
            QCOMPARE(axis->labelsColor(), dark.color(QPalette::Text));
        comparison->setOverlay(2, 1); // a new chart keeps the palette
        for (const QAbstractAxis* axis : comparison->chart()->axes())
            QCOMPARE(axis->labelsColor(), dark.color(QPalette::Text));
        // A switch of metric or axis frees the old axes (removeAxis() hands them back), and their drawn
        // items go with the next deferred deletes: nothing of the old chart stays on screen.
        QCOMPARE(comparison->chart()->axes().size(), 2);
        const QPointer<QAbstractAxis> oldAxis = comparison->chart()->axes().first();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        const qsizetype items = comparison->chart()->scene()->items().size();
        comparison->setOverlay(1, 0);
        comparison->setOverlay(2, 1);
        QVERIFY(oldAxis.isNull());
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(comparison->chart()->scene()->items().size(), items);
        screenshot(m_window.get(), "runs-compare-dark");
        m_window->setPalette(QPalette());
        comparison->setOverlay(1, 0);

        QTemporaryDir out;
        const QString csv = out.filePath(QStringLiteral("comparison.csv"));
        QCOMPARE(comparison->exportTable(csv), QString());
        QVERIFY(Test::readFile(csv).contains("GPU-hours per 1 000 steps,16000,8000\n"));
        const QString png = out.filePath(QStringLiteral("overlay.png"));
        QCOMPARE(comparison->exportChart(png), QString());
        QVERIFY(Test::readFile(png).startsWith("\x89PNG"));
        m_window->showPage(MainWindow::RunsPageIndex);
    }

    void efficiencyReportOfARun()
    {
        RunsPage* page = m_window->runsPage();
        page->selectRun(1); // the walkthrough: killed by its 3 h limit at step 3 of 21
        page->findChild<QPushButton*>(QStringLiteral("runReport"))->click();
        auto* report = qobject_cast<ReportPage*>(m_window->pages()->currentWidget());
        QVERIFY(report);
        QCOMPARE(m_window->pages()->tabText(m_window->pages()->currentIndex()), QStringLiteral("Report llama3-70b-ft"));
        // What the page shows is the report of `tunedeck report`: each finding and its suggestion.
        const QString shown = report->text()->toPlainText();
        QVERIFY(!report->findings().isEmpty());
        for (const Archive::ReportFinding& f : report->findings()) {
            QVERIFY2(shown.contains(f.title) && shown.contains(f.finding), qPrintable(f.topic));
            QVERIFY2(f.suggestion.isEmpty() || shown.contains(f.suggestion), qPrintable(f.topic));
        }
        QVERIFY(shown.contains(u"Ask for --time 20:00:00 (the need plus 10 %)."));
        // The A100-80 run of the same training is in the archive: the report weighs the shape against it.
        QVERIFY(shown.contains(u"2 × 4 a100_80 would have needed about 168 GPU-hours fewer for all 21 steps"));
        QCOMPARE(report->text()->accessibleName(), QStringLiteral("Efficiency report"));
        screenshot(m_window.get(), "run-report");
        // Asked again, the same tab comes forward; Ctrl+W closes it, and does nothing on the fixed pages.
        const int tabs = m_window->pages()->count();
        m_window->showPage(MainWindow::RunsPageIndex);
        page->findChild<QPushButton*>(QStringLiteral("runReport"))->click();
        QCOMPARE(m_window->pages()->currentWidget(), report);
        QCOMPARE(m_window->pages()->count(), tabs);
        auto* closeTab = m_window->findChild<QAction*>(QStringLiteral("closeTab"));
        QVERIFY(closeTab && closeTab->isEnabled());
        QCOMPARE(closeTab->shortcut(), QKeySequence(QKeySequence::Close));
        closeTab->trigger();
        QCOMPARE(m_window->pages()->count(), tabs - 1);
        m_window->showPage(MainWindow::RunsPageIndex);
        QVERIFY(!closeTab->isEnabled());
        closeTab->trigger();
        QCOMPARE(m_window->pages()->count(), tabs - 1);
    }

    void newJobFromARun()
    {
        RunsPage* page = m_window->runsPage();
        page->selectRun(2); // the A100-80 variant
        page->findChild<QPushButton*>(QStringLiteral("newJobFromRun"))->click();
        QCOMPARE(m_window->pages()->currentIndex(), int(MainWindow::NewJobPageIndex));
        QCOMPARE(m_window->design()->spec().slurm.nodes, 2);
        QCOMPARE(m_window->design()->spec().slurm.gpuType, QStringLiteral("a100_80"));
        m_window->showPage(MainWindow::RunsPageIndex);
    }

    void changedPagesInADarkThemeAndOnALargeScreen()
    {
        // Dark: the offline monitor's charts and the report take the window's palette.
        const QPalette dark = darkPalette(m_window->palette());
        m_window->setPalette(dark);
        m_window->showPage(MainWindow::RunsPageIndex);
        screenshot(m_window.get(), "runs-page-dark");
        MonitorPage* monitor = m_window->openArchivedRun(1);
        QVERIFY(monitor);
        QCOMPARE(monitor->chart()->backgroundBrush().color(), dark.color(QPalette::Base));
        screenshot(m_window.get(), "run-offline-dark");
        auto* report = qobject_cast<ReportPage*>(m_window->showRunReport(1));
        QVERIFY(report);
        QCOMPARE(report->text()->palette().color(QPalette::Base), dark.color(QPalette::Base));
        screenshot(m_window.get(), "run-report-dark");
        m_window->setPalette(QPalette());
        QCOMPARE(monitor->chart()->backgroundBrush().color(), m_window->palette().color(QPalette::Base));

        // 1920 x 1080: the same pages, wider (the grab shows what a researcher would see there).
        m_window->resize(1920, 1080);
        screenshot(m_window.get(), "run-report-1920");
        m_window->openArchivedRun(1);
        screenshot(m_window.get(), "run-offline-1920");
        m_window->showPage(MainWindow::RunsPageIndex);
        screenshot(m_window.get(), "runs-page-1920");
        m_window->resize(1366, 768);
    }

    void removeAsksThenRemoves()
    {
        RunsPage* page = m_window->runsPage();
        page->selectRun(2);
        // Delete is a shortcut of the focused list: the window must be active (on X11 too, not only offscreen).
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        page->view()->setFocus();
        QTest::keyClick(page->view(), Qt::Key_Delete);
        auto* box = page->findChild<QMessageBox*>();
        QVERIFY(box);
        QVERIFY(box->text().contains(u"llama3-70b-a100-80"));
        box->button(QMessageBox::Yes)->click();
        QTRY_COMPARE(page->view()->model()->rowCount(), 1);
        QCOMPARE(m_window->runList()->entries().size(), 1);
    }
};

QTEST_MAIN(TestRunsPage)
#include "tst_runspage.moc"
