// `tunedeck inspect FILE... [--json] [--format NAME]`: what a log holds, for people or as JSON (issue 5).

#include "app/cli/cli.h"
#include "app/cli/commands.h"

#include "core/slurm/sacctparser.h"
#include "core/telemetry/dmonreader.h"
#include "core/telemetry/formatdetector.h"
#include "core/telemetry/trainerjsonlreader.h"
#include "core/telemetry/trainerlogreader.h"
#include "core/telemetry/vmstatreader.h"
#include "core/util/inputfile.h"
#include "core/util/terminaltext.h"

#include <cmath>

#include <QFile>

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <cmath>

#include <optional>

namespace TuneDeck::Cli {

using namespace TuneDeck::Telemetry;

namespace {

constexpr qint64 ChunkSize = 1 << 20;
constexpr qint64 DetectBytes = 64 * 1024;

template<class T> QJsonValue orNull(const std::optional<T>& v)
{
    if (!v)
        return QJsonValue(QJsonValue::Null);
    return QJsonValue(double(*v));
}

QJsonValue stringOrNull(const QByteArray& s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(QString::fromUtf8(s));
}

QJsonArray names(const QByteArrayList& list)
{
    QJsonArray a;
    for (const QByteArray& n : list)
        a.append(QString::fromUtf8(n));
    return a;
}

template<class T> std::optional<double> asDouble(const std::optional<T>& v)
{
    return v ? std::optional<double>(double(*v)) : std::nullopt;
}

QString number(std::optional<double> v, int precision = 4)
{
    // Not finite (a diverged loss of inf or nan): unknown, as the JSON output's null says.
    return v && std::isfinite(*v) ? QString::number(*v, 'g', precision) : QStringLiteral("-");
}

// Streams the file through a reader: a 50-hour dmon log is ~300 MB.
template<class Reader> bool feedFile(QFile& file, Reader& reader)
{
    QByteArray buffer;
    while (!file.atEnd()) {
        buffer = file.read(ChunkSize);
        if (buffer.isEmpty() && file.error() != QFileDevice::NoError)
            return false;
        reader.feed(buffer);
    }
    reader.finish();
    return true;
}

QJsonObject inspectDmon(QFile& file, QTextStream& text, bool json, bool& ok)
{
    DmonReader r;
    ok = feedFile(file, r);
    QJsonObject o;
    o.insert(QStringLiteral("columns"), names(r.columns()));
    QJsonArray gpus;
    for (int g : r.gpus())
        gpus.append(g);
    o.insert(QStringLiteral("gpus"), gpus);
    o.insert(QStringLiteral("rows"), double(r.rows()));
    o.insert(QStringLiteral("skipped"), double(r.skipped()));
    o.insert(QStringLiteral("first"), stringOrNull(r.firstTimestamp()));
    o.insert(QStringLiteral("last"), stringOrNull(r.lastTimestamp()));
    QJsonObject mean;
    for (int g : r.gpus()) {
        QJsonObject perGpu;
        for (const QByteArray& c : r.allValueNames())
            perGpu.insert(QString::fromUtf8(c), orNull(r.mean(g, c)));
        mean.insert(QString::number(g), perGpu);
    }
    o.insert(QStringLiteral("mean"), mean);
    if (!json) {
        text << "  nvidia-smi dmon: " << r.rows() << " rows, " << r.gpus().size() << " GPU(s), " << r.skipped()
             << " skipped line(s)\n";
        text << "  columns: " << QString::fromUtf8(r.columns().join(' ')) << '\n';
        if (r.hasTimestamps())
            text << "  from " << QString::fromUtf8(r.firstTimestamp()) << " to " << QString::fromUtf8(r.lastTimestamp())
                 << '\n';
        text << "  mean  gpu";
        for (const QByteArray& c : r.allValueNames())
            text << QString::fromUtf8(c).rightJustified(8);
        text << '\n';
        for (int g : r.gpus()) {
            text << QString::number(g).rightJustified(10);
            for (const QByteArray& c : r.allValueNames())
                text << number(r.mean(g, c)).rightJustified(8);
            text << '\n';
        }
    }
    for (const ParseIssues::Example& e : r.issues().examples()) {
        if (!json)
            text << "  skipped line " << e.line << " (" << e.reason << "): " << QString::fromUtf8(e.text) << '\n';
    }
    return o;
}

QJsonObject inspectVmstat(QFile& file, QTextStream& text, bool json, bool& ok)
{
    VmstatReader r;
    ok = feedFile(file, r);
    QJsonObject o;
    o.insert(QStringLiteral("columns"), names(r.columns()));
    o.insert(QStringLiteral("rows"), double(r.rows()));
    QJsonObject mean;
    for (const QByteArray& c : r.columns())
        mean.insert(QString::fromUtf8(c), orNull(r.mean(c)));
    o.insert(QStringLiteral("mean"), mean);
    if (!json) {
        text << "  vmstat: " << r.rows() << " rows (" << r.sinceBootRows() << " since-boot, not averaged), "
             << r.skipped() << " skipped line(s)";
        if (!r.timeZone().isEmpty())
            text << ", times in " << QString::fromUtf8(r.timeZone());
        text << "\n  mean:";
        for (const QByteArray& c : r.columns())
            text << ' ' << QString::fromUtf8(c) << '=' << number(r.mean(c));
        text << '\n';
    }
    return o;
}

QJsonObject inspectTrainerLog(QFile& file, QTextStream& text, bool json, bool& ok)
{
    TrainerLogReader r;
    ok = feedFile(file, r);
    const TrainingSetup& s = r.setup();
    const auto last = r.lastProgress();
    QJsonObject o;
    o.insert(QStringLiteral("num_examples"), orNull(s.numExamples));
    o.insert(QStringLiteral("num_epochs"), orNull(s.numEpochs));
    o.insert(QStringLiteral("total_steps"), orNull(s.totalSteps));
    o.insert(QStringLiteral("trainable_params"), orNull(s.trainableParams));
    o.insert(QStringLiteral("steps_done"), last ? QJsonValue(double(last->step)) : QJsonValue(QJsonValue::Null));
    // The last rate tqdm printed; a bar's first update has none ("?it/s"), so look back for one.
    std::optional<double> secPerStep;
    for (auto it = r.progress().crbegin(); it != r.progress().crend() && !secPerStep; ++it)
        secPerStep = it->secondsPerStep;
    o.insert(QStringLiteral("sec_per_step"), orNull(secPerStep));
    o.insert(QStringLiteral("losses"), double(r.losses().size()));
    o.insert(QStringLiteral("final_loss"), orNull(r.finalLoss()));
    const QString termination = terminationName(r.termination());
    o.insert(
        QStringLiteral("termination"), termination.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(termination));
    if (!json) {
        text << "  training log: " << (s.totalSteps ? QString::number(*s.totalSteps) : QStringLiteral("?"))
             << " optimization steps, " << (s.numExamples ? QString::number(*s.numExamples) : QStringLiteral("?"))
             << " examples, " << (s.numEpochs ? QString::number(*s.numEpochs) : QStringLiteral("?")) << " epoch(s)\n";
        if (last)
            text << "  progress: step " << last->step << '/' << last->total << ", " << number(secPerStep, 6)
                 << " s/step\n";
        text << "  " << r.losses().size() << " loss dict(s), final loss " << number(r.finalLoss(), 6) << '\n';
        text << "  ended by: " << (termination.isEmpty() ? QStringLiteral("nothing abnormal seen") : termination);
        if (!termination.isEmpty())
            text << "\n    " << QString::fromUtf8(r.terminationLine());
        text << '\n';
    }
    return o;
}

QJsonObject inspectJsonl(QFile& file, QTextStream& text, bool json, bool& ok)
{
    TrainerJsonlReader r;
    ok = feedFile(file, r);
    QJsonObject o;
    o.insert(QStringLiteral("entries"), double(r.entries().size()));
    o.insert(QStringLiteral("current_steps"), orNull(r.currentSteps()));
    o.insert(QStringLiteral("total_steps"), orNull(r.totalSteps()));
    o.insert(QStringLiteral("final_loss"), orNull(r.finalLoss()));
    o.insert(QStringLiteral("remaining_s"), orNull(r.remainingSeconds()));
    if (!json)
        text << "  trainer_log.jsonl: " << r.entries().size() << " entries, step "
             << number(asDouble(r.currentSteps()), 10) << '/' << number(asDouble(r.totalSteps()), 10) << ", final loss "
             << number(r.finalLoss(), 6) << ", " << number(asDouble(r.remainingSeconds()), 10) << " s remaining\n";
    return o;
}

QJsonObject inspectSacct(QFile& file, QTextStream& text, bool json, bool& ok)
{
    // Parsed whole (the other logs are streamed); runInspect() checked the size.
    const QByteArray bytes = file.read(InputLimit::SacctOutput);
    ok = file.error() == QFileDevice::NoError;
    const Slurm::SacctResult r = Slurm::SacctParser::parse(bytes);
    QJsonArray jobs;
    for (const Slurm::SacctRow& row : r.rows) {
        QJsonObject j;
        j.insert(QStringLiteral("id"), row.jobId);
        j.insert(QStringLiteral("state"), row.state.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(row.state));
        j.insert(QStringLiteral("exit_code"), row.exit ? QJsonValue(row.exit->code) : QJsonValue(QJsonValue::Null));
        j.insert(QStringLiteral("signal"), row.exit ? QJsonValue(row.exit->signal) : QJsonValue(QJsonValue::Null));
        j.insert(QStringLiteral("elapsed_s"), orNull(row.elapsedSeconds));
        j.insert(QStringLiteral("gpus"), orNull(row.gpus));
        j.insert(QStringLiteral("cancelled_by"), orNull(row.cancelledBy));
        jobs.append(j);
        if (!json)
            text << "  " << row.jobId.leftJustified(16) << ' ' << row.state.leftJustified(14) << " exit "
                 << (row.exit ? QStringLiteral("%1:%2").arg(row.exit->code).arg(row.exit->signal) : QStringLiteral("-"))
                 << "  elapsed " << number(asDouble(row.elapsedSeconds), 10) << " s  gpus "
                 << number(asDouble(row.gpus), 10) << '\n';
    }
    QJsonObject o;
    o.insert(QStringLiteral("jobs"), jobs);
    if (!json && r.badLines > 0)
        text << "  " << r.badLines << " line(s) did not match the header\n";
    return o;
}

void printUsage(QTextStream& out)
{
    out << "Usage: tunedeck inspect FILE... [--json] [--format dmon|vmstat|trainer-log|trainer-jsonl|sacct]\n\n"
        << "Detects what each file holds (nvidia-smi dmon, vmstat, HF Trainer/LLaMA-Factory output,\n"
        << "trainer_log.jsonl, sacct -P/-p) and summarises it. With --json, one JSON object per file and line;\n"
        << "values a file does not give are null.\n";
}

} // namespace

int runInspect(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    bool json = false;
    LogFormat forced = LogFormat::Unknown;
    QStringList files;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& a = arguments[i];
        if (a == u"--json") {
            json = true;
        } else if (a == u"--help" || a == u"-h") {
            printUsage(out);
            return Success;
        } else if (a == u"--format" || a.startsWith(u"--format=")) {
            const QString name = a == u"--format" ? arguments.value(++i) : a.sliced(9);
            forced = formatFromName(name);
            if (forced == LogFormat::Unknown) {
                err << "tunedeck inspect: unknown format '" << terminalSafe(name) << "'\n";
                return UsageOrInvalid;
            }
        } else if (a.startsWith(u"--")) {
            err << "tunedeck inspect: unknown option " << terminalSafe(a) << "\n";
            printUsage(err);
            return UsageOrInvalid;
        } else {
            files << a;
        }
    }
    if (files.isEmpty()) {
        printUsage(err);
        return UsageOrInvalid;
    }

    int status = Success;
    for (const QString& path : std::as_const(files)) {
        QFile file;
        // Only regular files: a FIFO without a writer would block, /dev/zero never ends.
        if (const QString problem = openInputFile(path, file); !problem.isEmpty()) {
            err << "tunedeck inspect: " << terminalSafe(problem) << '\n';
            status = UsageOrInvalid;
            continue;
        }
        LogFormat format = forced;
        if (format == LogFormat::Unknown) {
            format = detectFormat(file.peek(DetectBytes));
            if (format == LogFormat::Unknown) {
                err << "tunedeck inspect: cannot tell what " << terminalSafe(path)
                    << " holds (not dmon, vmstat, a training log, trainer_log.jsonl or sacct -P); try --format\n";
                status = UsageOrInvalid;
                continue;
            }
        }
        if (format == LogFormat::Sacct && file.size() > InputLimit::SacctOutput) {
            err << "tunedeck inspect: " << terminalSafe(path) << ": " << formatByteSize(file.size())
                << " is more than the " << formatByteSize(InputLimit::SacctOutput) << " sacct output may have\n";
            status = UsageOrInvalid;
            continue;
        }
        QString textOut;
        QTextStream text(&textOut);
        bool ok = true;
        QJsonObject o;
        switch (format) {
        case LogFormat::Dmon:
            o = inspectDmon(file, text, json, ok);
            break;
        case LogFormat::Vmstat:
            o = inspectVmstat(file, text, json, ok);
            break;
        case LogFormat::TrainerLog:
            o = inspectTrainerLog(file, text, json, ok);
            break;
        case LogFormat::TrainerJsonl:
            o = inspectJsonl(file, text, json, ok);
            break;
        case LogFormat::Sacct:
            o = inspectSacct(file, text, json, ok);
            break;
        case LogFormat::Unknown:
            break;
        }
        if (!ok) {
            err << "tunedeck inspect: error reading " << terminalSafe(path) << ": " << file.errorString() << '\n';
            status = UsageOrInvalid;
            continue;
        }
        text.flush();
        if (json) {
            QJsonObject full;
            full.insert(QStringLiteral("file"), path);
            full.insert(QStringLiteral("format"), formatName(format));
            for (auto it = o.constBegin(); it != o.constEnd(); ++it)
                full.insert(it.key(), it.value());
            out << QString::fromUtf8(QJsonDocument(full).toJson(QJsonDocument::Compact)) << '\n';
        } else {
            // Column names, timestamps and quoted log lines come from the file: escaped, newlines kept.
            out << terminalSafe(path) << " (" << formatName(format) << ")\n" << terminalSafe(textOut, true);
        }
    }
    return status;
}

} // namespace TuneDeck::Cli
