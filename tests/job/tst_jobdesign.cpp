// The observable job design the wizard binds to, driven headless as the wizard would drive it.
#include "core/job/generators.h"
#include "core/job/jobdesign.h"
#include "core/job/jobrenderer.h"
#include "walkthroughspec.h"

#include <QSignalSpy>
#include <QTest>

using namespace TuneDeck;

namespace {

bool hasErrorOn(const JobDesign& design, const QString& path)
{
    const Diagnostic* diagnostic = design.diagnosticFor(path);
    return diagnostic && diagnostic->severity == Severity::Error;
}

} // namespace

class TestJobDesign : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void walkthroughIsValidAndPreviewsItsRunDirectory();
    void oneNodeIsAMemoryErrorAndFourClearsIt();
    void burstOfChangesRendersOnce();
    void refusedEntryIsAnErrorOnItsFieldUntilCorrected();
    void previewIsWhatIsSubmitted();
    void profileFillsWhatTheUserLeftEmpty();
    void withoutProfileNothingRenders();
    void resourceSummary();
    void unknownField();

private:
    static void start(JobDesign& design)
    {
        design.setProfile(Test::baskerville());
        design.setSpec(Test::walkthroughSpec());
        design.renderNow();
    }
};

void TestJobDesign::walkthroughIsValidAndPreviewsItsRunDirectory()
{
    JobDesign design;
    start(design);
    QVERIFY2(design.isValid(), qPrintable(formatDiagnostic(design.diagnostics().value(0))));
    const QString runDir = design.runDirectory();
    QVERIFY2(runDir.startsWith(u"/bask/projects/v/vjgo8416-llm-tune/tunedeck/runs/llama3-70b-ft-"), qPrintable(runDir));
    QVERIFY(design.rendered().sbatchScript.contains(runDir.toUtf8()));
    QVERIFY(design.rendered().trainYaml.contains(runDir.toUtf8()));
    // The saved spec stays free of the run directory: a reopened design gets a fresh one.
    QVERIFY(design.spec().environment.runDir.isEmpty());
}

void TestJobDesign::oneNodeIsAMemoryErrorAndFourClearsIt()
{
    JobDesign design;
    start(design);
    QSignalSpy validity(&design, &JobDesign::validityChanged);
    QCOMPARE(design.setField(QStringLiteral("slurm.nodes"), 1), QString());
    design.renderNow();
    QVERIFY(!design.isValid());
    QVERIFY(hasErrorOn(design, QStringLiteral("slurm.nodes")));
    QVERIFY(design.diagnosticFor(QStringLiteral("slurm.nodes"))->message.contains(u"does not fit in GPU memory"));
    QVERIFY(design.rendered().sbatchScript.isEmpty());
    QCOMPARE(validity.size(), 1);
    QCOMPARE(validity.at(0).at(0).toBool(), false);

    QCOMPARE(design.setField(QStringLiteral("slurm.nodes"), 4), QString());
    design.renderNow();
    QVERIFY(design.isValid());
    QVERIFY(!hasErrorOn(design, QStringLiteral("slurm.nodes")));
    QCOMPARE(validity.size(), 2);
    QCOMPARE(validity.at(1).at(0).toBool(), true);
}

void TestJobDesign::burstOfChangesRendersOnce()
{
    JobDesign design;
    start(design);
    design.setRenderDelayMs(50);
    QSignalSpy fields(&design, &JobDesign::fieldChanged);
    QSignalSpy renders(&design, &JobDesign::renderedChanged);
    QCOMPARE(design.setFieldText(QStringLiteral("slurm.job_name"), QStringLiteral("a")), QString());
    QCOMPARE(design.setFieldText(QStringLiteral("slurm.job_name"), QStringLiteral("ab")), QString());
    QCOMPARE(design.setFieldText(QStringLiteral("slurm.time"), QStringLiteral("2:00:00")), QString());
    QCOMPARE(fields.size(), 3);
    QCOMPARE(fields.at(2).at(0).toString(), QStringLiteral("slurm.time"));
    QVERIFY(design.isRenderPending());
    QVERIFY(!design.isValid()); // Submit waits for the render of what is on screen
    QVERIFY(renders.wait(1000));
    QTest::qWait(120);
    QCOMPARE(renders.size(), 1);
    QVERIFY(design.rendered().sbatchScript.contains("#SBATCH --job-name=\"ab\"\n"));
    QVERIFY(design.rendered().sbatchScript.contains("#SBATCH --time 2:00:00\n"));
    // Setting a field to the value it has costs no render.
    QCOMPARE(design.setFieldText(QStringLiteral("slurm.time"), QStringLiteral("2:00:00")), QString());
    QVERIFY(!design.isRenderPending());
}

void TestJobDesign::refusedEntryIsAnErrorOnItsFieldUntilCorrected()
{
    JobDesign design;
    start(design);
    const QString error = design.setFieldText(QStringLiteral("slurm.nodes"), QStringLiteral("four"));
    QVERIFY(!error.isEmpty());
    QCOMPARE(design.spec().slurm.nodes, 4); // the last good value stays
    design.renderNow();
    QVERIFY(!design.isValid());
    QVERIFY(hasErrorOn(design, QStringLiteral("slurm.nodes")));
    QCOMPARE(design.diagnosticFor(QStringLiteral("slurm.nodes"))->message, error);
    QVERIFY(design.rendered().sbatchScript.isEmpty());

    QCOMPARE(design.setFieldText(QStringLiteral("slurm.nodes"), QStringLiteral("4")), QString());
    design.renderNow();
    QVERIFY(design.isValid());
}

void TestJobDesign::previewIsWhatIsSubmitted()
{
    JobDesign design;
    start(design);
    const JobSpec submitted = design.submitSpec();
    QCOMPARE(submitted.environment.runDir, design.runDirectory());
    const RenderedJob again = renderJob(submitted, Test::baskerville());
    QCOMPARE(again.sbatchScript, design.rendered().sbatchScript);
    QCOMPARE(again.accelerateYaml, design.rendered().accelerateYaml);
    QCOMPARE(again.trainYaml, design.rendered().trainYaml);
    // The script names the other two files by the names the submitter uploads them under.
    QVERIFY(design.rendered().sbatchScript.contains(AccelerateFileName));
    QVERIFY(design.rendered().sbatchScript.contains(TrainFileName));

    const QString before = design.runDirectory();
    design.newRunDirectory();
    design.renderNow();
    QVERIFY(design.runDirectory() != before);
    QVERIFY(design.rendered().sbatchScript.contains(design.runDirectory().toUtf8()));
}

void TestJobDesign::profileFillsWhatTheUserLeftEmpty()
{
    JobDesign design;
    JobSpec spec = Test::walkthroughSpec();
    spec.environment.projectPath.clear();
    design.setSpec(spec);
    design.setProfile(Test::baskerville());
    design.renderNow();
    // Baskerville's pattern /bask/projects/{project0}/{project} from the account.
    QCOMPARE(design.submitSpec().environment.projectPath, QStringLiteral("/bask/projects/v/vjgo8416-llm-tune"));
    QVERIFY(design.spec().environment.projectPath.isEmpty()); // what the user typed is kept as typed
    QVERIFY(design.isValid());
}

void TestJobDesign::withoutProfileNothingRenders()
{
    JobDesign design;
    design.setSpec(Test::walkthroughSpec());
    design.renderNow();
    QVERIFY(!design.isValid());
    QVERIFY(hasErrorOn(design, QStringLiteral("profile")));
    QVERIFY(design.rendered().sbatchScript.isEmpty());
}

void TestJobDesign::resourceSummary()
{
    JobDesign design;
    start(design);
    const ResourceSummary summary = design.resourceSummary();
    QCOMPARE(summary.totalGpus, 16);
    QCOMPARE(summary.gpuMemoryGiB, 40.0);
    QCOMPARE(summary.totalGpuMemoryGiB, 640.0);
    QVERIFY(summary.gpuHoursRequested);
    QCOMPARE(*summary.gpuHoursRequested, 48.0); // 16 GPUs x 3 h
    QVERIFY(design.memoryEstimate());
    QVERIFY(design.memoryEstimate()->fraction() < 1.0);
    QCOMPARE(design.trainingPlan().totalSteps.value_or(0), 21); // the walkthrough's log: 21 steps

    design.setFieldText(QStringLiteral("slurm.gpu_type"), QStringLiteral("a100_80"));
    design.setFieldText(QStringLiteral("slurm.nodes"), QStringLiteral("2"));
    QCOMPARE(design.resourceSummary().totalGpus, 8);
    QCOMPARE(design.resourceSummary().totalGpuMemoryGiB, 640.0);
    // 8 ranks: ceil(981 / 8) = 123 batches, 123 // 8 = 15 steps per epoch, 45 in all.
    QCOMPARE(design.trainingPlan().totalSteps.value_or(0), 45);
}

void TestJobDesign::unknownField()
{
    JobDesign design;
    QVERIFY(design.setField(QStringLiteral("slurm.nodez"), 1).contains(u"slurm.nodez"));
    QVERIFY(design.fieldText(QStringLiteral("slurm.nodez")).isEmpty());
}

QTEST_GUILESS_MAIN(TestJobDesign)
#include "tst_jobdesign.moc"
