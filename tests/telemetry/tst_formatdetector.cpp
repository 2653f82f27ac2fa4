#include "core/telemetry/formatdetector.h"
#include "testsupport.h"

#include <QDir>
#include <QTest>

using namespace TuneDeck::Telemetry;

Q_DECLARE_METATYPE(TuneDeck::Telemetry::LogFormat)

class TestFormatDetector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realFiles_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<LogFormat>("format");
        const QString t = QStringLiteral(TUNEDECK_TESTDATA_DIR "/real/");
        const QString s = QStringLiteral(TUNEDECK_SOURCE_DIR "/tests/slurm/data/");
        QTest::newRow("dmon old") << t + QStringLiteral("dmon-v100-repeated-headers.dmon") << LogFormat::Dmon;
        QTest::newRow("dmon TD") << t + QStringLiteral("dmon-TD-mutc-wide.txt") << LogFormat::Dmon;
        QTest::newRow("vmstat") << t + QStringLiteral("vmstat-procps3.txt") << LogFormat::Vmstat;
        QTest::newRow("vmstat prompt first") << t + QStringLiteral("vmstat-procps32-no-st.txt") << LogFormat::Vmstat;
        QTest::newRow("trainer") << t + QStringLiteral("trainer-baskerville-walkthrough.log") << LogFormat::TrainerLog;
        // The walkthrough's batch script has "# Track GPU metrics": a comment, not a dmon header.
        QTest::newRow("sbatch script is not dmon")
            << QStringLiteral(TUNEDECK_SOURCE_DIR "/tests/job/data/walkthrough/batch-llama3-70b-ft.sh")
            << LogFormat::Unknown;
        QTest::newRow("trainer dicts") << t + QStringLiteral("trainer-loss-dicts-grad-norm.log")
                                       << LogFormat::TrainerLog;
        QTest::newRow("jsonl") << t + QStringLiteral("trainer_log-old-fields.jsonl") << LogFormat::TrainerJsonl;
        QTest::newRow("sacct -P") << s + QStringLiteral("real/sacct-P-steps-cancelled.txt") << LogFormat::Sacct;
        QTest::newRow("sacct -p") << s + QStringLiteral("sacct-p-alloctres.txt") << LogFormat::Sacct;
    }
    void realFiles()
    {
        QFETCH(QString, path);
        QFETCH(LogFormat, format);
        QCOMPARE(detectFormat(TuneDeck::Test::readFile(path)), format);
    }

    void headerlessSacctAndUnknown()
    {
        QCOMPARE(detectFormat("890671|TIMEOUT|0:0\n890671.batch|CANCELLED|0:15\n"), LogFormat::Sacct);
        QCOMPARE(detectFormat("hello world\n"), LogFormat::Unknown);
        QCOMPARE(detectFormat(""), LogFormat::Unknown);
        QCOMPARE(formatFromName(u"trainer-jsonl"), LogFormat::TrainerJsonl);
        QCOMPARE(formatName(LogFormat::Sacct), QStringLiteral("sacct"));
    }
};

QTEST_GUILESS_MAIN(TestFormatDetector)
#include "tst_formatdetector.moc"
