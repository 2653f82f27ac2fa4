// Comparing archived runs and the efficiency report (issue 11 parts 3 and 4), on the walkthrough's
// folder and a 2 x 4 A100-80 variant of it.
#include "core/archive/efficiencyreport.h"
#include "core/archive/runarchive.h"
#include "core/archive/runcomparison.h"
#include "core/archive/runfolderimport.h"
#include "core/archive/runloader.h"
#include "core/job/profileregistry.h"

#include "testsupport.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace TuneDeck::Archive;
using TuneDeck::Test::readFile;
using TuneDeck::Test::writeFile;

namespace {

const QString Walkthrough = QStringLiteral(TUNEDECK_TESTDATA_DIR "/walkthrough");

const ComparisonRow* row(const RunComparison& c, const QString& key)
{
    for (const ComparisonRow& r : c.rows) {
        if (r.key == key)
            return &r;
    }
    return nullptr;
}

} // namespace

class TestRunComparison : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    RunArchive m_archive;
    ArchivedRun m_walkthrough;
    ArchivedRun m_variant;

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(m_archive.open(m_dir.filePath(QStringLiteral("archive.sqlite"))), QString());
        RunFolderImport walkthrough = readRunFiles({ Walkthrough });
        const ArchiveImportResult a = archiveImport(m_archive, walkthrough);
        QCOMPARE(a.error, QString());
        m_walkthrough = *m_archive.run(a.runId);

        // The same job on 2 nodes x 4 A100-80: twice the pace per step, half the GPUs.
        const QString variant = m_dir.filePath(QStringLiteral("a100-80"));
        QVERIFY(QDir().mkpath(variant));
        QByteArray script = readFile(Walkthrough + QStringLiteral("/batch-llama3-70b-ft.sh"));
        script.replace("#SBATCH --nodes 4", "#SBATCH --nodes 2\n#SBATCH --constraint a100_80");
        writeFile(variant + QStringLiteral("/batch-llama3-70b-ft.sh"), script);
        QByteArray log = readFile(Walkthrough + QStringLiteral("/stdout-890671.out"));
        log.replace("2987.90s/it", "1493.95s/it")
            .replace("3005.47s/it", "1502.74s/it")
            .replace("2962.79s/it", "1481.40s/it");
        log.replace("890671", "901234");
        writeFile(variant + QStringLiteral("/stdout-901234.out"), log);
        writeFile(variant + QStringLiteral("/dmon.txt"), readFile(Walkthrough + QStringLiteral("/dmon.txt")));
        RunFolderImport second = readRunFiles({ variant }, QStringLiteral("a100-80 variant"));
        const ArchiveImportResult b = archiveImport(m_archive, second);
        QCOMPARE(b.error, QString());
        m_variant = *m_archive.run(b.runId);
        QCOMPARE(m_variant.gpuType, QStringLiteral("a100_80"));
    }

    void figuresComparePerGpu()
    {
        ArchivedRun a = m_walkthrough;
        ArchivedRun b = m_variant;
        const RunComparison c = compareRuns({ a, b }, { runSummary(m_archive, a), runSummary(m_archive, b) });
        QCOMPARE(row(c, QStringLiteral("shape"))->texts,
            QStringList({ QStringLiteral("4 × 4 GPUs"), QStringLiteral("2 × 4 a100_80") }));
        QCOMPARE(row(c, QStringLiteral("steps_done"))->texts,
            QStringList({ QStringLiteral("3 of 21"), QStringLiteral("3 of 21") }));
        QVERIFY(!row(c, QStringLiteral("steps_done"))->differs);
        QCOMPARE(row(c, QStringLiteral("seconds_per_step"))->values.at(1).toDouble(), 1481.40);
        // Same 3 h, half the GPUs: GPU-hours 48 vs 24, per 1 000 steps 16 000 vs 8 000.
        QCOMPARE(row(c, QStringLiteral("gpu_hours"))->values.at(0).toDouble(), 48.0);
        QCOMPARE(row(c, QStringLiteral("gpu_hours"))->values.at(1).toDouble(), 24.0);
        QCOMPARE(row(c, QStringLiteral("gpu_hours_per_1000_steps"))->values.at(1).toDouble(), 8000.0);
        // Per-GPU throughput: 128 samples per step over 16 and over 8 GPUs.
        const double perGpuA = row(c, QStringLiteral("samples_per_second_per_gpu"))->values.at(0).toDouble();
        const double perGpuB = row(c, QStringLiteral("samples_per_second_per_gpu"))->values.at(1).toDouble();
        QVERIFY(qAbs(perGpuA - 128.0 / 2962.79 / 16) < 1e-12);
        QVERIFY(qAbs(perGpuB - 128.0 / 1481.40 / 8) < 1e-12);
        // Unknown stays unknown.
        QVERIFY(row(c, QStringLiteral("tokens_per_second"))->values.at(0).isNull());
        QCOMPARE(row(c, QStringLiteral("tokens_per_second"))->texts.at(0), QStringLiteral("–"));
        QVERIFY(row(c, QStringLiteral("queue_wait_s"))->values.at(0).isNull());
        // An imported folder names no cluster: "imported" in the table, null in the JSON.
        QCOMPARE(row(c, QStringLiteral("cluster"))->texts.at(0), QStringLiteral("imported"));
        QVERIFY(row(c, QStringLiteral("cluster"))->values.at(0).isNull());
    }

    void specsDifferFieldByField()
    {
        ArchivedRun a = m_walkthrough;
        ArchivedRun b = m_variant;
        const RunComparison c = compareRuns({ a, b }, { runSummary(m_archive, a), runSummary(m_archive, b) });
        const ComparisonRow* nodes = row(c, QStringLiteral("spec.slurm.nodes"));
        QVERIFY(nodes);
        QVERIFY(nodes->differs);
        QCOMPARE(nodes->texts, QStringList({ QStringLiteral("4"), QStringLiteral("2") }));
        QVERIFY(!row(c, QStringLiteral("spec.slurm.account"))->differs);

        const QList<ComparisonRow> only = c.visibleRows(true);
        QVERIFY(std::none_of(only.cbegin(), only.cend(), [](const ComparisonRow& r) { return !r.differs; }));
        QVERIFY(std::any_of(
            only.cbegin(), only.cend(), [](const ComparisonRow& r) { return r.key == u"spec.slurm.gpu_type"; }));

        const QJsonObject json = comparisonJson(c);
        QCOMPARE(json.value(QStringLiteral("runs")).toArray().size(), 2);
        const QJsonObject figures
            = json.value(QStringLiteral("runs")).toArray().at(1).toObject().value(QStringLiteral("figures")).toObject();
        QCOMPARE(figures.value(QStringLiteral("steps_done")).toDouble(), 3.0);
        QVERIFY(figures.value(QStringLiteral("fb_peak_mib")).isNull());
        QStringList fields;
        for (const QJsonValue& d : json.value(QStringLiteral("spec_differences")).toArray())
            fields << d.toObject().value(QStringLiteral("field")).toString();
        QVERIFY(fields.contains(QStringLiteral("slurm.nodes")));
        QVERIFY(!fields.contains(QStringLiteral("slurm.account")));

        const QByteArray csv = comparisonCsv(c, true);
        QVERIFY(csv.startsWith("figure,llama3-70b-ft (run 1),a100-80 variant (run 2)\n"));
        QVERIFY(csv.contains("\nShape,4 × 4 GPUs,2 × 4 a100_80\n"));
        QVERIFY(!csv.contains("\nSteps done,"));
    }

    void reportSaysWhatToChange()
    {
        ArchivedRun run = m_walkthrough;
        const RunSummary s = runSummary(m_archive, run);
        const auto profile = TuneDeck::ProfileRegistry().find(QStringLiteral("baskerville"));
        QVERIFY(profile);
        const QList<ReportFinding> findings = efficiencyReport(run, s, &*profile);
        const auto find = [&](const char* topic) -> const ReportFinding* {
            for (const ReportFinding& f : findings) {
                if (f.topic == QLatin1StringView(topic))
                    return &f;
            }
            return nullptr;
        };
        // 21 x 2962.79 s = 17.3 h of training in a 3 h limit.
        QVERIFY(find("time_limit"));
        QVERIFY2(find("time_limit")->finding.contains(u"about 17 h"), qPrintable(find("time_limit")->finding));
        QCOMPARE(find("time_limit")->suggestion, QStringLiteral("Ask for --time 20:00:00 (the need plus 10 %)."));
        QVERIFY(find("checkpoints")->finding.contains(u"step 3 with no checkpoint"));
        QVERIFY(find("checkpoints")->suggestion.contains(u"save_steps to 1"));
        QVERIFY(find("checkpoints")->suggestion.contains(u"(it was 500)"));
        QVERIFY(find("recording")->finding.contains(u"Only 4 of the 16 GPUs"));
        QVERIFY(find("host_memory")->finding.startsWith(u"Requested 480 GiB per node"));
        QVERIFY(!find("gpu_memory")); // not recorded by -s puct
        QCOMPARE(reportJson(findings).size(), findings.size());
        QVERIFY(find("gpu_hours")->suggestion.isEmpty()); // nothing to weigh it against

        // With the same training archived on 2 x 4 A100-80 at 8000 GPU-hours per 1 000 steps (16000 here):
        // (16000 - 8000) x 21 / 1000 = 168 GPU-hours fewer.
        ArchivedRun variant = m_variant;
        const RunSummary vs = runSummary(m_archive, variant);
        QCOMPARE(vs.gpuHoursPer1000Steps.value_or(0), 8000.0);
        const QList<ReportFinding> weighed = efficiencyReport(run, s, &*profile, { { run, s }, { variant, vs } });
        const ReportFinding* gpuHours = nullptr;
        for (const ReportFinding& f : weighed)
            gpuHours = f.topic == u"gpu_hours" ? &f : gpuHours;
        QVERIFY(gpuHours);
        QVERIFY2(gpuHours->suggestion.startsWith(u"2 × 4 a100_80 would have needed about 168 GPU-hours fewer for all "
                                                 u"21 steps: run 'a100-80 variant' of the same training took 8000"),
            qPrintable(gpuHours->suggestion));
        // The cheaper run itself gets no such suggestion: the walkthrough's shape cost more.
        for (const ReportFinding& f : efficiencyReport(variant, vs, &*profile, { { run, s }, { variant, vs } })) {
            if (f.topic == u"gpu_hours")
                QVERIFY2(f.suggestion.isEmpty(), qPrintable(f.suggestion));
        }
    }
};

QTEST_GUILESS_MAIN(TestRunComparison)
#include "tst_runcomparison.moc"
