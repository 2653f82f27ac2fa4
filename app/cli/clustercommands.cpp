// tunedeck submit / jobs / cancel, and the login plumbing they share with connect.
#include "app/cli/clustercommands.h"

#include "app/cli/cli.h"
#include "app/cli/commands.h"

#include "core/job/jobrenderer.h"
#include "core/job/jobspecio.h"
#include "core/job/profiledefaults.h"
#include "core/job/profileregistry.h"
#include "core/remote/clusteraddress.h"
#include "core/remote/jobstatefile.h"
#include "core/remote/jobtracker.h"
#include "core/ssh/sshconfig.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace TuneDeck::Cli {
namespace {

// One line from stdin, without its line break. Echo is switched off for secrets when stdin is a
// terminal. nullopt at end of input.
std::optional<QByteArray> readLine(bool echo)
{
    const bool tty = ::isatty(STDIN_FILENO) == 1;
    termios saved {};
    const bool hide = tty && !echo && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (hide) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QByteArray line;
    bool gotAny = false;
    for (;;) {
        char c = 0;
        const ssize_t n = ::read(STDIN_FILENO, &c, 1); // unbuffered: nothing of a later answer is consumed
        if (n <= 0)
            break;
        gotAny = true;
        if (c == '\n')
            break;
        if (c != '\r')
            line.append(c);
    }
    if (hide) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputc('\n', stderr);
    }
    if (!gotAny)
        return std::nullopt;
    return line;
}

bool isYes(const std::optional<QByteArray>& line)
{
    if (!line)
        return false;
    const QByteArray word = line->trimmed().toLower();
    return word == "y" || word == "yes";
}

QString stateFilePath()
{
    return JobStateFile::defaultPath();
}

} // namespace

TerminalPrompter::TerminalPrompter(SshConnection* connection, QTextStream& err)
    : m_connection(connection)
    , m_err(err)
{
    QObject::connect(
        connection, &SshConnection::promptRequested, connection, [this](const SshPrompt& prompt) { answer(prompt); });
}

void TerminalPrompter::answer(const SshPrompt& prompt)
{
    SshPromptAnswer reply;
    reply.id = prompt.id;
    switch (prompt.kind) {
    case SshPrompt::Kind::HostKey: {
        const HostKeyInfo& key = prompt.hostKey;
        m_err << "The authenticity of host " << key.hostForKnownHosts() << " can't be established.\n"
              << key.keyType << " key fingerprint is " << key.fingerprint << ".\n"
              << "Accept it and remember it in " << key.knownHostsFile << "? (yes/no) " << Qt::flush;
        reply.accepted = isYes(readLine(true));
        break;
    }
    case SshPrompt::Kind::Reconnect:
        m_err << prompt.instruction << " (yes/no) " << Qt::flush;
        reply.accepted = isYes(readLine(true));
        break;
    case SshPrompt::Kind::Passphrase:
    case SshPrompt::Kind::Password:
    case SshPrompt::Kind::KeyboardInteractive: {
        if (!prompt.instruction.isEmpty())
            m_err << prompt.instruction << '\n';
        reply.accepted = true;
        for (const SshPromptField& field : prompt.fields) {
            m_err << (field.text.isEmpty() ? QStringLiteral("Answer: ") : field.text) << Qt::flush;
            std::optional<QByteArray> line = readLine(field.echo);
            if (!line) {
                reply.accepted = false;
                break;
            }
            // Moved, not copied: the answer list owns the only buffer, which the SSH thread wipes after use.
            reply.answers.append(std::move(*line));
        }
        if (!reply.accepted)
            wipeSecrets(reply.answers);
        break;
    }
    }
    m_connection->answerPrompt(reply);
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer tick;
    tick.setInterval(20);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&loop, &done, &clock, timeoutMs]() {
        if (done() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    tick.start();
    if (!done())
        loop.exec();
    return done();
}

ClusterSession::ClusterSession(QTextStream& err)
    : m_err(err)
{ }

ClusterSession::~ClusterSession()
{
    m_client.reset();
    m_prompter.reset();
    m_connection.reset();
}

bool ClusterSession::resolve(const QString& name)
{
    // The same resolution as the window's (core/remote/clusteraddress.h): a profile, an ~/.ssh/config
    // alias or user@host[:port] lead to the same login in both.
    const ProfileRegistry registry;
    const ClusterAddress address = resolveClusterAddress(name, registry);
    for (const QString& warning : address.warnings)
        m_err << "warning: " << warning << '\n';
    if (!address.ok()) {
        m_err << "tunedeck: " << address.error << '\n';
        return false;
    }
    m_profile = address.profile;
    m_options = address.options;
    return true;
}

bool ClusterSession::connect()
{
    m_connection = std::make_unique<SshConnection>(m_options);
    m_prompter = std::make_unique<TerminalPrompter>(m_connection.get(), m_err);
    m_client = std::make_unique<SlurmClient>(m_connection.get());
    QObject::connect(m_connection.get(), &SshConnection::warningIssued, m_connection.get(),
        [this](const QString& warning) { m_err << "warning: " << warning << '\n'
                                               << Qt::flush; });
    m_connection->open();
    const SshConnection* connection = m_connection.get();
    waitUntil(
        [connection]() {
            // Disconnected is also the state before the first report, so only "closed" ends the wait.
            return connection->state() == SshState::Connected || connection->state() == SshState::Failed
                || (connection->state() == SshState::Disconnected && connection->stateMessage() == u"closed");
        },
        int(m_options.connectTimeout.count()) * 20);
    if (m_connection->state() != SshState::Connected) {
        m_err << "tunedeck: cannot log in to " << m_options.target.displayName() << ": "
              << (m_connection->stateMessage().isEmpty() ? QStringLiteral("timed out") : m_connection->stateMessage())
              << '\n';
        return false;
    }
    return true;
}

std::optional<qint64> ClusterSession::remoteUid()
{
    std::optional<SshCommandResult> result;
    const quint64 id = m_connection->runCommand(QStringLiteral("id -u"));
    const auto link = QObject::connect(m_connection.get(), &SshConnection::commandFinished, m_connection.get(),
        [&result, id](quint64 finished, const SshCommandResult& r) {
            if (finished == id)
                result = r;
        });
    waitUntil([&result]() { return result.has_value(); }, 60000);
    QObject::disconnect(link);
    bool ok = false;
    const qint64 uid = result ? result->standardOutput.trimmed().toLongLong(&ok) : 0;
    return ok ? std::optional<qint64>(uid) : std::nullopt;
}

// ---------------------------------------------------------------------------------------------------
// tunedeck submit --spec FILE --cluster PROFILE

int runSubmit(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Submit a job design to a cluster: creates a new run directory in project space, uploads job.sbatch, "
        "accelerate.yaml, train.yaml and the spec, runs sbatch there and prints the job id."));
    parser.addHelpOption();
    const QCommandLineOption specOption(
        QStringLiteral("spec"), QStringLiteral("job spec YAML file"), QStringLiteral("FILE"));
    const QCommandLineOption clusterOption(QStringLiteral("cluster"),
        QStringLiteral("cluster profile name (e.g. baskerville)"), QStringLiteral("PROFILE"));
    parser.addOptions({ specOption, clusterOption });
    if (!parser.parse(QStringList { QStringLiteral("tunedeck submit") } + arguments)) {
        err << "tunedeck submit: " << parser.errorText() << '\n';
        return UsageOrInvalid;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        out << parser.helpText();
        return Success;
    }
    if (!parser.isSet(specOption) || !parser.isSet(clusterOption)) {
        err << "tunedeck submit: --spec FILE and --cluster PROFILE are required\n";
        return UsageOrInvalid;
    }
    const JobSpecLoadResult loaded = loadJobSpecFromFile(parser.value(specOption));
    if (!loaded.ok()) {
        for (const QString& error : loaded.errors)
            err << error << '\n';
        return UsageOrInvalid;
    }
    const QString cluster = parser.value(clusterOption);
    ClusterSession session(err);
    if (!session.resolve(cluster))
        return UsageOrInvalid;
    if (!session.profile()) {
        err << "tunedeck submit: no cluster profile named '" << cluster << "' (see tunedeck render --help)\n";
        return UsageOrInvalid;
    }
    // What the spec leaves empty comes from the profile (project path, QoS, GPU type), as for render.
    const JobSpec spec = withProfileDefaults(loaded.spec, *session.profile());
    // Check the design here first, so a broken spec costs no login (and no one-time code).
    const RenderedJob preview = renderJob(spec, *session.profile());
    if (preview.hasErrors()) {
        for (const Diagnostic& diagnostic : preview.diagnostics)
            if (diagnostic.severity == Severity::Error)
                err << parser.value(specOption) << ": " << diagnostic.field << ": " << diagnostic.message << '\n';
        return UsageOrInvalid;
    }
    for (const Diagnostic& diagnostic : preview.diagnostics)
        if (diagnostic.severity == Severity::Warning)
            err << "warning: " << diagnostic.field << ": " << diagnostic.message << '\n';
    if (!session.connect())
        return Failure;
    std::optional<SubmitResult> result;
    SlurmClient* client = session.client();
    QObject::connect(
        client, &SlurmClient::submitFinished, client, [&result](quint64, const SubmitResult& r) { result = r; });
    client->submit(spec, *session.profile());
    waitUntil([&result]() { return result.has_value(); }, 600000);
    if (!result) {
        err << "tunedeck submit: no answer from the cluster\n";
        return Failure;
    }
    if (!result->ok()) {
        err << "tunedeck submit: " << result->error << '\n';
        // A design Slurm rejects is invalid input, like a bad spec file.
        return result->field == Slurm::SbatchErrorField::None ? Failure : UsageOrInvalid;
    }
    JobStateFile state(stateFilePath());
    if (const QString error = state.load(); !error.isEmpty())
        err << "warning: " << error << " (starting a new job list)\n";
    JobRecord record;
    record.cluster = cluster;
    record.runDir = result->runDir;
    record.outputFile = result->outputFile;
    record.submittedUtc = QDateTime::currentDateTimeUtc();
    record.status.jobId = result->jobId;
    record.status.name = spec.slurm.jobName;
    record.nodes = spec.slurm.nodes;
    record.gpusPerNode = spec.slurm.gpusPerNode;
    state.upsert(record);
    if (const QString error = state.save(); !error.isEmpty())
        err << "warning: cannot save the job list: " << error << '\n';
    err << "Submitted job " << result->jobId << " on " << cluster << "; run directory " << result->runDir << '\n';
    out << result->jobId << '\n';
    return Success;
}

// ---------------------------------------------------------------------------------------------------
// tunedeck jobs [--json] [--watch]

namespace {

QJsonObject jobJson(const JobRecord& record)
{
    const std::optional<qint64> ownUid = record.ownerUid;
    const JobStatus& s = record.status;
    QJsonObject object {
        { QStringLiteral("id"), s.jobId },
        { QStringLiteral("cluster"), record.cluster },
        { QStringLiteral("name"), s.name },
        { QStringLiteral("state"), jobPhaseName(s.phase) },
        { QStringLiteral("slurm_state"), s.slurmState.isEmpty() ? QJsonValue() : QJsonValue(s.slurmState) },
        { QStringLiteral("reason"), s.reason.isEmpty() ? QJsonValue() : QJsonValue(s.reason) },
        { QStringLiteral("exit_code"), s.exit ? QJsonValue(s.exit->code) : QJsonValue() },
        { QStringLiteral("attempts"), s.attempts },
        { QStringLiteral("log_hint"), s.logHint == LogHint::None ? QJsonValue() : QJsonValue(logHintName(s.logHint)) },
        { QStringLiteral("terminal"), s.isTerminal() },
        { QStringLiteral("run_dir"), record.runDir },
        { QStringLiteral("submitted_utc"), record.submittedUtc.toString(Qt::ISODate) },
        { QStringLiteral("explanation"), explainJob(s, ownUid) },
    };
    return object;
}

} // namespace

int runJobs(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Show the jobs submitted with TuneDeck and their state: one squeue per cluster for the jobs still in the "
        "queue, one sacct for those that left it; final states are remembered and never asked again."));
    parser.addHelpOption();
    const QCommandLineOption jsonOption(
        QStringLiteral("json"), QStringLiteral("one JSON object with a \"jobs\" array"));
    const QCommandLineOption watchOption(
        QStringLiteral("watch"), QStringLiteral("keep following until every job has ended, printing each change"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"),
        QStringLiteral("seconds between scheduler queries while watching a running job (pending: twice as long; "
                       "default 30)"),
        QStringLiteral("SECONDS"), QStringLiteral("30"));
    parser.addOptions({ jsonOption, watchOption, intervalOption });
    if (!parser.parse(QStringList { QStringLiteral("tunedeck jobs") } + arguments)) {
        err << "tunedeck jobs: " << parser.errorText() << '\n';
        return UsageOrInvalid;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        out << parser.helpText();
        return Success;
    }
    bool intervalOk = false;
    const double interval = parser.value(intervalOption).toDouble(&intervalOk);
    if (!intervalOk || interval < 0.2) {
        err << "tunedeck jobs: --interval needs a number of seconds (at least 0.2)\n";
        return UsageOrInvalid;
    }
    JobStateFile state(stateFilePath());
    if (const QString error = state.load(); !error.isEmpty()) {
        err << "tunedeck jobs: " << error << '\n';
        return Failure;
    }
    QStringList clusters;
    for (const JobRecord& record : state.records())
        if (!record.status.isTerminal() && !clusters.contains(record.cluster))
            clusters.append(record.cluster);

    int exitCode = Success;
    std::optional<qint64> ownUid;
    for (const QString& cluster : std::as_const(clusters)) {
        ClusterSession session(err);
        if (!session.resolve(cluster) || !session.connect()) {
            exitCode = Failure;
            continue;
        }
        ownUid = session.remoteUid();
        JobTracker tracker(session.client());
        JobTrackerIntervals intervals;
        intervals.running = std::chrono::milliseconds(qint64(interval * 1000));
        intervals.pending = intervals.running * 2;
        intervals.accountingRetry = intervals.running * 4;
        tracker.setIntervals(intervals);
        tracker.setOwnUid(ownUid);
        for (const JobRecord& record : state.records())
            if (record.cluster == cluster && !record.status.isTerminal())
                tracker.track(record.status, record.outputFile);
        const bool watch = parser.isSet(watchOption);
        if (watch) {
            // Print a line when the phase or its reason changes, not every cycle's new elapsed time.
            auto lastShown = std::make_shared<QMap<QString, QString>>();
            QObject::connect(
                &tracker, &JobTracker::jobChanged, &tracker, [&err, ownUid, lastShown](const JobStatus& status) {
                    const QString key
                        = jobPhaseName(status.phase) % u'|' % status.reason % u'|' % logHintName(status.logHint);
                    if (lastShown->value(status.jobId) == key)
                        return;
                    lastShown->insert(status.jobId, key);
                    err << status.jobId << ' ' << jobPhaseName(status.phase) << ": " << explainJob(status, ownUid)
                        << '\n'
                        << Qt::flush;
                });
        }
        QString cycleError;
        int cycles = 0;
        QObject::connect(&tracker, &JobTracker::cycleFinished, &tracker, [&cycles, &cycleError](const QString& e) {
            ++cycles;
            cycleError = e;
        });
        if (watch) {
            tracker.start();
            const SshConnection* connection = session.connection();
            waitUntil(
                [&tracker, connection]() {
                    // Stop when everything ended, or when the login is gone for good (refused, not reconnected).
                    const bool gone
                        = connection->state() == SshState::Failed || connection->state() == SshState::Disconnected;
                    return (tracker.allTerminal() && !tracker.busy()) || gone;
                },
                std::numeric_limits<int>::max());
            if (session.connection()->state() != SshState::Connected) {
                err << "tunedeck jobs: " << cluster << ": " << session.connection()->stateMessage() << '\n';
                exitCode = Failure;
            }
        } else {
            tracker.pollNow();
            waitUntil([&cycles, &tracker]() { return cycles > 0 && !tracker.busy(); }, 120000);
        }
        if (!cycleError.isEmpty()) {
            err << "warning: " << cluster << ": " << cycleError << '\n';
            exitCode = Failure;
        }
        for (const JobStatus& status : tracker.jobs())
            if (JobRecord* record = state.find(status.jobId, cluster))
                record->status = status;
        for (JobRecord& record : state.records())
            if (record.cluster == cluster && ownUid)
                record.ownerUid = ownUid;
    }
    if (!clusters.isEmpty())
        if (const QString error = state.save(); !error.isEmpty())
            err << "warning: cannot save the job list: " << error << '\n';

    if (parser.isSet(jsonOption)) {
        QJsonArray jobs;
        for (const JobRecord& record : state.records())
            jobs.append(jobJson(record));
        out << QJsonDocument(QJsonObject { { QStringLiteral("jobs"), jobs } }).toJson(QJsonDocument::Indented);
        return exitCode;
    }
    if (state.records().isEmpty()) {
        out << "No jobs submitted with TuneDeck yet.\n";
        return exitCode;
    }
    // Columns as wide as their longest value (names are the user's: a fixed width would run them together).
    qsizetype clusterWidth = 7;
    qsizetype nameWidth = 4;
    for (const JobRecord& record : state.records()) {
        clusterWidth = std::max(clusterWidth, record.cluster.size());
        nameWidth = std::max(nameWidth, std::min<qsizetype>(record.status.name.size(), 40));
    }
    out << QStringLiteral("JOBID").leftJustified(10) << ' ' << QStringLiteral("CLUSTER").leftJustified(clusterWidth)
        << ' ' << QStringLiteral("STATE").leftJustified(14) << ' ' << QStringLiteral("NAME").leftJustified(nameWidth)
        << " DETAILS\n";
    for (const JobRecord& record : state.records())
        out << record.status.jobId.leftJustified(10) << ' ' << record.cluster.leftJustified(clusterWidth) << ' '
            << jobPhaseName(record.status.phase).leftJustified(14) << ' ' << record.status.name.leftJustified(nameWidth)
            << ' ' << explainJob(record.status, record.ownerUid) << '\n';
    return exitCode;
}

// ---------------------------------------------------------------------------------------------------
// tunedeck cancel JOBID [--cluster NAME]

int runCancel(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cancel a job (scancel)."));
    parser.addHelpOption();
    const QCommandLineOption clusterOption(QStringLiteral("cluster"),
        QStringLiteral("the cluster, when the job was not submitted with TuneDeck"), QStringLiteral("NAME"));
    parser.addOption(clusterOption);
    parser.addPositionalArgument(QStringLiteral("JOBID"), QStringLiteral("the Slurm job id"));
    if (!parser.parse(QStringList { QStringLiteral("tunedeck cancel") } + arguments)) {
        err << "tunedeck cancel: " << parser.errorText() << '\n';
        return UsageOrInvalid;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        out << parser.helpText();
        return Success;
    }
    if (parser.positionalArguments().size() != 1 || !SlurmClient::isValidJobId(parser.positionalArguments().front())) {
        err << "tunedeck cancel: give one Slurm job id (digits, or digits_digits for an array task)\n";
        return UsageOrInvalid;
    }
    const QString jobId = parser.positionalArguments().front();
    JobStateFile state(stateFilePath());
    if (const QString error = state.load(); !error.isEmpty())
        err << "warning: " << error << '\n';
    QString cluster = parser.value(clusterOption);
    if (cluster.isEmpty()) {
        const JobRecord* record = state.find(jobId);
        if (!record) {
            err << "tunedeck cancel: job " << jobId << " was not submitted with TuneDeck here; add --cluster NAME\n";
            return UsageOrInvalid;
        }
        cluster = record->cluster;
    }
    ClusterSession session(err);
    if (!session.resolve(cluster))
        return UsageOrInvalid;
    if (!session.connect())
        return Failure;
    std::optional<QString> error;
    SlurmClient* client = session.client();
    QObject::connect(client, &SlurmClient::cancelFinished, client,
        [&error](quint64, const QString&, const QString& e) { error = e; });
    client->cancel(jobId);
    waitUntil([&error]() { return error.has_value(); }, 120000);
    if (!error || !error->isEmpty()) {
        err << "tunedeck cancel: " << (error ? *error : QStringLiteral("no answer from the cluster")) << '\n';
        return Failure;
    }
    out << "Cancelled job " << jobId << " on " << cluster << '\n';
    return Success;
}

} // namespace TuneDeck::Cli
