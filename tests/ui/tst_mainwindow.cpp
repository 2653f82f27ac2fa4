// The real window, offscreen: pages, the job wizard bound to its design, diagnostics that focus their
// field, accessible names, the SSH dialogs, and the models behind the tables.
#include "core/job/jobdesign.h"
#include "core/job/jobspecio.h"
#include "core/remote/clustersessions.h"
#include "core/remote/joblist.h"
#include "testsupport.h"
#include "ui/clusters/clusterlistmodel.h"
#include "ui/clusters/clusterspage.h"
#include "ui/clusters/profileeditordialog.h"
#include "ui/clusters/sshpromptdialog.h"
#include "ui/design/diagnosticsmodel.h"
#include "ui/design/jobdesignpage.h"
#include "ui/design/jobform.h"
#include "ui/jobs/joblistmodel.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck;
using namespace TuneDeck::Ui;

namespace {

// The walkthrough's job as a researcher saves it (4 x 4 a100_40, --mem 491520, 3 h, QoS turing).
const QByteArray walkthroughYaml = "profile: baskerville\n"
                                   "slurm:\n  account: vjgo8416-llm-tune\n  qos: turing\n  time: \"3:00:00\"\n"
                                   "  nodes: 4\n  gpus_per_node: 4\n  gpu_type: a100_40\n  mem: \"491520\"\n"
                                   "environment:\n  project_path: /bask/projects/v/vjgo8416-llm-tune\n"
                                   "training:\n  dataset_examples: 981\n";

QStringList errorFields(const JobDesign& design)
{
    QStringList fields;
    for (const Diagnostic& diagnostic : design.diagnostics())
        if (diagnostic.severity == Severity::Error)
            fields.append(diagnostic.field);
    return fields;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void showsItsPages();
    void opensTheWalkthroughSpecIntoThePreview();
    void oneNodeDisablesSubmitAndFourEnablesIt();
    void typingFollowsInThePreview();
    void diagnosticFocusesItsField();
    void everyControlIsNamedAfterItsLabel();
    void unreadableSpecLeavesTheDesignAlone();
    void importsTheWalkthroughScript();
    void clustersListProfilesAndSshConfigHosts();
    void addAProfileInTheEditor();
    void hostKeyDialogAcceptAndCancel();
    void oneTimeCodeIsAskedWithEchoOff();
    void changedHostKeyHasNoWayToConnect();
    void modelsPassTheTester();

private:
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<ClusterSessions> m_sessions;
    std::unique_ptr<JobList> m_jobs;
    std::unique_ptr<MainWindow> m_window;
    QString m_specPath;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings and data paths away from the user's
}

void TestMainWindow::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    QDir(m_home->path()).mkpath(QStringLiteral(".ssh"));
    QDir(m_home->path()).mkpath(QStringLiteral("profiles"));
    Test::writeFile(m_home->filePath(QStringLiteral(".ssh/config")),
        "Host *\n  ServerAliveInterval 30\nHost mycluster\n  HostName 10.1.2.3\n  User alice\n  Port 2200\n");
    m_sessions = std::make_unique<ClusterSessions>();
    m_sessions->setUserProfilesFolder(m_home->filePath(QStringLiteral("profiles")));
    m_sessions->setSshConfigContext({ m_home->path(), QStringLiteral("tester"), QStringLiteral("~/.ssh/config") });
    m_jobs = std::make_unique<JobList>(m_sessions.get(), m_home->filePath(QStringLiteral("jobs.json")));
    m_window = std::make_unique<MainWindow>(m_sessions.get(), m_jobs.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_specPath = m_home->filePath(QStringLiteral("walkthrough.yaml"));
    Test::writeFile(m_specPath, walkthroughYaml);
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_jobs.reset();
    m_sessions.reset();
    m_home.reset();
}

void TestMainWindow::showsItsPages()
{
    QStringList titles;
    for (int i = 0; i < m_window->pages()->count(); ++i)
        titles.append(m_window->pages()->tabText(i));
    QCOMPARE(titles,
        QStringList(
            { QStringLiteral("Clusters"), QStringLiteral("New job"), QStringLiteral("Jobs"), QStringLiteral("Runs") }));
    // Ctrl+3 switches to Jobs.
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(m_window->pages()->currentIndex(), int(MainWindow::JobsPageIndex));
}

void TestMainWindow::opensTheWalkthroughSpecIntoThePreview()
{
    QVERIFY(m_window->openSpec(m_specPath));
    QCOMPARE(m_window->pages()->currentIndex(), int(MainWindow::NewJobPageIndex));
    JobDesignPage* page = m_window->jobDesignPage();
    QVERIFY2(m_window->design()->isValid(), qPrintable(errorFields(*m_window->design()).join(u", ")));
    QVERIFY(page->submitButton()->isEnabled());
    const QString script = page->preview(0)->toPlainText();
    QVERIFY(script.contains(u"#SBATCH --nodes 4") || script.contains(u"#SBATCH --nodes=4"));
    QVERIFY(script.contains(m_window->design()->runDirectory()));
    QVERIFY(page->preview(1)->toPlainText().contains(u"num_processes: 16"));
    QVERIFY(page->preview(2)->toPlainText().contains(u"finetuning_type: lora"));
    QVERIFY(m_window->windowTitle().startsWith(u"walkthrough.yaml"));
    auto* spin = qobject_cast<QSpinBox*>(page->form()->control(QStringLiteral("slurm.nodes")));
    QVERIFY(spin);
    QCOMPARE(spin->value(), 4);
}

void TestMainWindow::oneNodeDisablesSubmitAndFourEnablesIt()
{
    QVERIFY(m_window->openSpec(m_specPath));
    JobDesignPage* page = m_window->jobDesignPage();
    auto* nodes = qobject_cast<QSpinBox*>(page->form()->control(QStringLiteral("slurm.nodes")));
    QVERIFY(nodes);
    nodes->setFocus();
    nodes->selectAll();
    QTest::keyClicks(nodes, QStringLiteral("1"));
    QTRY_VERIFY(!m_window->design()->isRenderPending());
    QVERIFY(errorFields(*m_window->design()).contains(u"slurm.nodes"));
    QVERIFY(!page->submitButton()->isEnabled());
    QVERIFY(page->preview(0)->toPlainText().startsWith(u"# Not generated"));
    const auto* diagnostics = page->diagnosticsView()->model();
    bool listed = false;
    for (int row = 0; row < diagnostics->rowCount(); ++row)
        listed |= diagnostics->index(row, 0).data().toString().contains(u"does not fit in GPU memory");
    QVERIFY(listed);

    nodes->selectAll();
    QTest::keyClicks(nodes, QStringLiteral("4"));
    QTRY_VERIFY(page->submitButton()->isEnabled());
    QVERIFY(!errorFields(*m_window->design()).contains(u"slurm.nodes"));
}

void TestMainWindow::typingFollowsInThePreview()
{
    QVERIFY(m_window->openSpec(m_specPath));
    JobDesignPage* page = m_window->jobDesignPage();
    auto* name = qobject_cast<QLineEdit*>(page->form()->control(QStringLiteral("slurm.job_name")));
    QVERIFY(name);
    name->setFocus();
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("ft-run-7"));
    QCOMPARE(name->text(), QStringLiteral("ft-run-7")); // the re-render does not disturb typing
    QTRY_VERIFY(page->preview(0)->toPlainText().contains(u"--job-name=\"ft-run-7\""));
    QVERIFY(m_window->design()->runDirectory().contains(u"/ft-run-7-"));
}

void TestMainWindow::diagnosticFocusesItsField()
{
    QVERIFY(m_window->openSpec(m_specPath));
    JobDesignPage* page = m_window->jobDesignPage();
    auto* account = qobject_cast<QComboBox*>(page->form()->control(QStringLiteral("slurm.account")));
    QVERIFY(account);
    account->setFocus();
    account->lineEdit()->selectAll();
    QTest::keyClick(account->lineEdit(), Qt::Key_Delete);
    QTRY_VERIFY(errorFields(*m_window->design()).contains(u"slurm.account"));
    QVERIFY(!page->submitButton()->isEnabled());
    // Activate the account's diagnostic from the keyboard: the account field gets the focus.
    page->form()->control(QStringLiteral("slurm.time"))->setFocus();
    QListView* list = page->diagnosticsView();
    int row = -1;
    for (int r = 0; r < list->model()->rowCount(); ++r)
        if (list->model()->index(r, 0).data(DiagnosticsModel::FieldRole).toString() == u"slurm.account")
            row = r;
    QVERIFY(row >= 0);
    list->setFocus();
    list->setCurrentIndex(list->model()->index(row, 0));
    QTest::keyClick(list, Qt::Key_Return);
    QTRY_VERIFY(account->hasFocus());
    // A marker beside the field names the error for screen readers.
    bool marked = false;
    for (QLabel* label : page->form()->findChildren<QLabel*>())
        marked |= label->accessibleName().startsWith(u"Error: ");
    QVERIFY(marked);
    // Typing the account back clears the error and enables Submit again.
    QTest::keyClicks(account->lineEdit(), QStringLiteral("vjgo8416-llm-tune"));
    QTRY_VERIFY(page->submitButton()->isEnabled());
}

void TestMainWindow::everyControlIsNamedAfterItsLabel()
{
    JobDesignPage* page = m_window->jobDesignPage();
    int checked = 0;
    for (QLabel* label : page->findChildren<QLabel*>()) {
        QWidget* buddy = label->buddy();
        if (!buddy)
            continue;
        QString visible = label->text();
        visible.remove(u'&');
        QCOMPARE(buddy->accessibleName(), visible);
        ++checked;
    }
    QVERIFY2(checked > 40, qPrintable(QString::number(checked)));
    // Every field control is named after its field path and reachable by Tab.
    for (const JobSpecField& field : jobSpecFields()) {
        QWidget* control = page->form()->control(field.path);
        if (field.group == FieldGroup::Hidden) {
            QVERIFY(!control);
            continue;
        }
        QVERIFY2(control, qPrintable(field.path));
        QCOMPARE(control->objectName(), field.path);
        QVERIFY(control->focusPolicy() & Qt::TabFocus);
        QVERIFY(!control->accessibleName().isEmpty());
    }
    // Buttons too.
    for (QPushButton* button : m_window->findChildren<QPushButton*>()) {
        QString visible = button->text();
        visible.remove(u'&');
        if (!visible.isEmpty())
            QCOMPARE(button->accessibleName().isEmpty() ? visible : button->accessibleName(), visible);
    }
}

void TestMainWindow::unreadableSpecLeavesTheDesignAlone()
{
    QVERIFY(m_window->openSpec(m_specPath));
    const QByteArray before = saveJobSpecToYaml(m_window->design()->spec());
    const QString broken = m_home->filePath(QStringLiteral("broken.yaml"));
    Test::writeFile(broken, "slurm:\n  nodes: four\n");
    QVERIFY(!m_window->openSpec(broken));
    QCOMPARE(saveJobSpecToYaml(m_window->design()->spec()), before);
    // The message names the file, line and key, and the window stays usable (no nested loop).
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>()) != nullptr);
    QVERIFY2(box->informativeText().contains(u"broken.yaml:2"), qPrintable(box->informativeText()));
    QVERIFY(box->informativeText().contains(u"nodes"));
    box->close();
}

void TestMainWindow::importsTheWalkthroughScript()
{
    // The walkthrough's own files, as its researcher has them.
    const QString dir = QStringLiteral(TUNEDECK_SOURCE_DIR "/tests/job/data/import/walkthrough/");
    QVERIFY(m_window->importFiles({ dir + u"batch-llama3-70b-ft.sh", dir + u"config_node02gpu04.yaml" }));
    QCOMPARE(m_window->design()->spec().slurm.nodes, 4);
    QCOMPARE(m_window->design()->spec().slurm.gpusPerNode, 4);
    QCOMPARE(m_window->pages()->currentIndex(), int(MainWindow::NewJobPageIndex));
    auto* nodes = qobject_cast<QSpinBox*>(m_window->jobDesignPage()->form()->control(QStringLiteral("slurm.nodes")));
    QCOMPARE(nodes->value(), 4);
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>()) != nullptr);
    QVERIFY(box->text().startsWith(u"Imported 2 file"));
    box->close();

    // A file that is not there: nothing imported, the design stays, the message names the file.
    const QByteArray before = saveJobSpecToYaml(m_window->design()->spec());
    QVERIFY(!m_window->importFiles({ m_home->filePath(QStringLiteral("missing.sh")) }));
    QCOMPARE(saveJobSpecToYaml(m_window->design()->spec()), before);
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>()) != nullptr && box->isVisible());
    QVERIFY2(box->informativeText().contains(u"missing.sh"), qPrintable(box->informativeText()));
}

void TestMainWindow::clustersListProfilesAndSshConfigHosts()
{
    ClusterListModel* model = m_window->clustersPage()->model();
    QStringList names;
    for (const ClusterEntry& entry : model->entries())
        names.append(entry.name);
    QCOMPARE(names, QStringList({ QStringLiteral("baskerville"), QStringLiteral("mycluster") }));
    const int row = model->rowOf(QStringLiteral("mycluster"));
    QCOMPARE(model->index(row, ClusterListModel::Login).data().toString(), QStringLiteral("alice@10.1.2.3:2200"));
    QCOMPARE(model->index(row, ClusterListModel::Source).data().toString(), QStringLiteral("~/.ssh/config"));
    QCOMPARE(model->index(row, ClusterListModel::State).data().toString(), QStringLiteral("Not connected"));
    // A user profile joins the list on reload, and a broken one is reported rather than listed.
    Test::writeFile(m_home->filePath(QStringLiteral("profiles/broken.yaml")), "tunedeck_cluster_profile: 1\nname: [\n");
    const QStringList errors = model->reload();
    QVERIFY(!errors.isEmpty());
    QVERIFY(errors.front().contains(u"broken.yaml"));
    QCOMPARE(model->rowCount(), 2);
}

void TestMainWindow::addAProfileInTheEditor()
{
    ClustersPage* page = m_window->clustersPage();
    QTest::mouseClick(page->newProfileButton(), Qt::LeftButton);
    ProfileEditorDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = page->findChild<ProfileEditorDialog*>()) != nullptr && dialog->isVisible());
    QVERIFY(dialog->saveButton()->isEnabled());
    // A typo: the loader's error with its line, and Save off.
    QString text = dialog->editor()->toPlainText();
    dialog->editor()->setPlainText(QString(text).replace(QStringLiteral("gpus: 4"), QStringLiteral("gpus: four")));
    QTRY_VERIFY(!dialog->saveButton()->isEnabled());
    const QString errors = dialog->findChild<QLabel*>(QStringLiteral("profileErrors"))->text();
    QVERIFY2(errors.contains(u"node.gpus"), qPrintable(errors));
    QVERIFY2(errors.startsWith(u"new profile:"), qPrintable(errors));
    // Fixed and renamed: saved into the user folder and listed, selected.
    dialog->editor()->setPlainText(
        text.replace(QStringLiteral("name: my-cluster-2"), QStringLiteral("name: isambard")));
    QTRY_VERIFY(dialog->saveButton()->isEnabled());
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QVERIFY(QFile::exists(m_home->filePath(QStringLiteral("profiles/isambard.yaml"))));
    QTRY_COMPARE(page->currentCluster(), QStringLiteral("isambard"));
    QCOMPARE(page->model()->entries().at(page->model()->rowOf(QStringLiteral("isambard"))).source,
        ClusterEntry::Source::UserProfile);
    QVERIFY(page->editProfileButton()->isEnabled()); // the user's own: editable
}

void TestMainWindow::hostKeyDialogAcceptAndCancel()
{
    SshPrompt prompt;
    prompt.id = 7;
    prompt.kind = SshPrompt::Kind::HostKey;
    prompt.hostKey.host = QStringLiteral("127.0.0.1");
    prompt.hostKey.port = 2222;
    prompt.hostKey.keyType = QStringLiteral("ssh-ed25519");
    prompt.hostKey.fingerprint = QStringLiteral("SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
    prompt.hostKey.knownHostsFile = QStringLiteral("/home/r/.ssh/known_hosts");
    prompt.hostKey.state = KnownHostState::NotFound;
    for (const bool accept : { true, false }) {
        auto* dialog = new SshPromptDialog(prompt, m_window.get());
        QSignalSpy answered(dialog, &SshPromptDialog::answered);
        dialog->open();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        // What the user must compare is on screen.
        QStringList texts;
        for (QLabel* label : dialog->findChildren<QLabel*>())
            texts.append(label->text());
        QVERIFY(texts.contains(prompt.hostKey.fingerprint));
        QVERIFY(texts.contains(u"2222"));
        QVERIFY(texts.contains(u"ssh-ed25519"));
        if (accept)
            QTest::keyClick(dialog, Qt::Key_Return); // the default button: accept
        else
            QTest::keyClick(dialog, Qt::Key_Escape);
        QCOMPARE(answered.size(), 1);
        const auto answer = answered.at(0).at(0).value<SshPromptAnswer>();
        QCOMPARE(answer.id, quint64(7));
        QCOMPARE(answer.accepted, accept);
    }
}

void TestMainWindow::oneTimeCodeIsAskedWithEchoOff()
{
    SshPrompt prompt;
    prompt.id = 9;
    prompt.kind = SshPrompt::Kind::KeyboardInteractive;
    prompt.target.host = QStringLiteral("127.0.0.1");
    prompt.target.user = QStringLiteral("researcher");
    prompt.fields = { { QStringLiteral("Verification code: "), false } };
    auto* dialog = new SshPromptDialog(prompt, m_window.get());
    QSignalSpy answered(dialog, &SshPromptDialog::answered);
    dialog->open();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QCOMPARE(dialog->fields().size(), 1);
    QLineEdit* code = dialog->fields().front();
    QCOMPARE(code->echoMode(), QLineEdit::Password);
    QCOMPARE(code->accessibleName(), QStringLiteral("Verification code"));
    QTRY_VERIFY(code->hasFocus());
    QTest::keyClicks(code, QStringLiteral("123456"));
    QTest::keyClick(code, Qt::Key_Return);
    QCOMPARE(answered.size(), 1);
    const auto answer = answered.at(0).at(0).value<SshPromptAnswer>();
    QVERIFY(answer.accepted);
    QCOMPARE(answer.answers.size(), 1);
    QCOMPARE(code->text(), QString()); // the field keeps no copy
}

void TestMainWindow::changedHostKeyHasNoWayToConnect()
{
    HostKeyInfo info;
    info.host = QStringLiteral("127.0.0.1");
    info.port = 2222;
    info.keyType = QStringLiteral("ssh-ed25519");
    info.fingerprint = QStringLiteral("SHA256:newnewnewnewnewnewnewnewnewnewnewnewnewnew");
    info.knownKeyType = QStringLiteral("ssh-ed25519");
    info.knownFingerprint = QStringLiteral("SHA256:oldoldoldoldoldoldoldoldoldoldoldoldoldold");
    info.knownHostsFile = QStringLiteral("/home/r/.ssh/known_hosts");
    info.state = KnownHostState::Changed;
    auto* dialog = new HostKeyRefusedDialog(info, m_window.get());
    dialog->open();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QString all;
    for (QLabel* label : dialog->findChildren<QLabel*>())
        all += label->text() + u'\n';
    QVERIFY(all.contains(info.fingerprint));
    QVERIFY(all.contains(info.knownFingerprint));
    QVERIFY(all.contains(u"ssh-keygen -R '[127.0.0.1]:2222'"));
    const QList<QAbstractButton*> buttons = dialog->findChild<QDialogButtonBox*>()->buttons();
    QCOMPARE(buttons.size(), 1); // Close, and nothing that connects anyway
    QVERIFY(buttons.front()->text().contains(u"Close"));
    dialog->close();
}

void TestMainWindow::modelsPassTheTester()
{
    QVERIFY(m_window->openSpec(m_specPath));
    for (QAbstractItemModel* model : { m_window->jobDesignPage()->diagnosticsView()->model(),
             static_cast<QAbstractItemModel*>(m_window->clustersPage()->model()) }) {
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Q_UNUSED(tester);
    }
    DiagnosticsModel diagnostics;
    QAbstractItemModelTester diagnosticsTester(&diagnostics, QAbstractItemModelTester::FailureReportingMode::QtTest);
    diagnostics.setDiagnostics({ { Severity::Info, QStringLiteral("a"), QStringLiteral("note") },
        { Severity::Error, QStringLiteral("b"), QStringLiteral("bad") } });
    QCOMPARE(diagnostics.index(0, 0).data(DiagnosticsModel::FieldRole).toString(), QStringLiteral("b")); // errors first
    diagnostics.setDiagnostics({});
    QCOMPARE(diagnostics.rowCount(), 0);

    JobListModel jobs(m_jobs.get());
    QAbstractItemModelTester jobsTester(&jobs, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(jobs.rowCount(), 0);
    QCOMPARE(jobs.headerData(JobListModel::State, Qt::Horizontal).toString(), QStringLiteral("State"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
