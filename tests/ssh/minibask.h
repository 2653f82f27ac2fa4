#pragma once

// Access to the mini-Baskerville cluster (tests/cluster/minibask) for the cluster-labelled tests, and
// test helpers around SshConnection: a prompt responder and a TCP proxy that can freeze or cut a link.

#include "core/ssh/sshconnection.h"
#include "testsupport.h"

#include <QDir>
#include <QMap>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>
#include <vector>

namespace TuneDeck::Test {

struct MiniBask
{
    QMap<QString, QString> vars;
    QString error; // non-empty: the cluster is not usable; the test must fail

    QString value(const char* name) const { return vars.value(QLatin1StringView(name)); }
    QString host() const { return value("MINIBASK_HOST"); }
    int totpPort() const { return value("MINIBASK_PORT").toInt(); }
    int keyOnlyPort() const { return value("MINIBASK_KEYONLY_PORT").toInt(); }

    // Reads `minibask env` and checks `minibask status` for the parts a test needs, e.g. {"sshd"}
    // or {"sshd", "slurm"}.
    static MiniBask load(const QStringList& needs = { QStringLiteral("sshd") })
    {
        MiniBask cluster;
        const QString script = QStringLiteral(TUNEDECK_SOURCE_DIR "/tests/cluster/minibask");
        QProcess env;
        env.start(script, { QStringLiteral("env") });
        if (!env.waitForFinished(60000) || env.exitCode() != 0) {
            cluster.error
                = QStringLiteral("`tests/cluster/minibask env` failed: run `tests/cluster/minibask up` first");
            return cluster;
        }
        for (const QByteArray& line : env.readAllStandardOutput().split('\n')) {
            const qsizetype eq = line.indexOf('=');
            if (eq > 0)
                cluster.vars.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
        }
        QProcess status;
        status.start(script, { QStringLiteral("status") });
        status.waitForFinished(60000);
        const QString text = QString::fromUtf8(status.readAllStandardOutput() + status.readAllStandardError());
        for (const QString& line : text.split(u'\n')) {
            const bool down = line.contains(u" DOWN");
            if (!down)
                continue;
            for (const QString& need : needs) {
                const bool sshLine = line.startsWith(u"sshd") || line.startsWith(u"test user");
                const bool slurmLine = !sshLine;
                if ((need == u"sshd" && sshLine) || (need == u"slurm" && slurmLine))
                    cluster.error += u"mini-Baskerville is not up: " % line.simplified() % u"; ";
            }
        }
        if (cluster.host().isEmpty())
            cluster.error += QStringLiteral("minibask env printed no MINIBASK_HOST");
        return cluster;
    }

    QByteArray totpCode() const
    {
        QFile file(value("MINIBASK_TOTP_SECRET_FILE"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QByteArray secret = file.readAll().trimmed();
        QProcess oathtool;
        oathtool.start(QStringLiteral("oathtool"),
            { QStringLiteral("--totp"), QStringLiteral("-b"), QString::fromLatin1(secret) });
        oathtool.waitForFinished(10000);
        return oathtool.readAllStandardOutput().trimmed();
    }

    SshConnectionOptions options(int port, const QString& knownHostsFile) const
    {
        SshConnectionOptions options;
        options.target.host = host();
        options.target.alias = host();
        options.target.port = port;
        options.target.user = value("MINIBASK_USER");
        options.target.identityFiles = { value("MINIBASK_KEY") };
        options.knownHostsFile = knownHostsFile;
        options.identityAgent = QStringLiteral("none");
        options.connectTimeout = std::chrono::seconds(20);
        return options;
    }
};

#define REQUIRE_MINIBASK(cluster) QVERIFY2((cluster).error.isEmpty(), qPrintable((cluster).error))

// Answers SshConnection's prompts like a scripted user and records what was asked.
class PromptResponder
{
public:
    explicit PromptResponder(SshConnection* connection)
        : m_connection(connection)
    {
        QObject::connect(connection, &SshConnection::promptRequested, connection,
            [this](const SshPrompt& prompt) { respond(prompt); });
    }

    bool acceptHostKey = true;
    bool acceptReconnect = true;
    std::function<QByteArray()> code; // keyboard-interactive answers; empty: cancel
    std::function<QByteArray()> passphrase;
    QList<SshPrompt> prompts;

    int count(SshPrompt::Kind kind) const
    {
        int n = 0;
        for (const SshPrompt& prompt : prompts)
            n += prompt.kind == kind ? 1 : 0;
        return n;
    }

private:
    void respond(const SshPrompt& prompt)
    {
        prompts.append(prompt);
        SshPromptAnswer answer;
        answer.id = prompt.id;
        switch (prompt.kind) {
        case SshPrompt::Kind::HostKey:
            answer.accepted = acceptHostKey;
            break;
        case SshPrompt::Kind::Reconnect:
            answer.accepted = acceptReconnect;
            break;
        case SshPrompt::Kind::KeyboardInteractive:
        case SshPrompt::Kind::Password:
            answer.accepted = bool(code);
            if (code)
                for (qsizetype i = 0; i < prompt.fields.size(); ++i)
                    answer.answers.append(code());
            break;
        case SshPrompt::Kind::Passphrase:
            answer.accepted = bool(passphrase);
            if (passphrase)
                answer.answers.append(passphrase());
            break;
        }
        m_connection->answerPrompt(answer);
    }

    SshConnection* m_connection;
};

// A loopback TCP proxy in front of the login node. freeze() stops forwarding on the existing links
// without closing them (a network that silently drops packets); cut() resets them. New links are
// forwarded normally either way, so a reconnect gets through.
class TcpProxy
{
public:
    TcpProxy(const QString& host, int port)
        : m_host(host)
        , m_port(port)
    {
        m_server.listen(QHostAddress::LocalHost);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this]() { accept(); });
    }
    ~TcpProxy() { cut(); }

    int port() const { return m_server.serverPort(); }
    int connections() const { return m_accepted; }

    void freeze()
    {
        for (auto& link : m_links)
            link->frozen = true;
    }
    // While set, new connections are reset at once: with cut() or freeze(), a network outage.
    void refuseNew(bool refuse) { m_refuse = refuse; }
    void cut()
    {
        for (auto& link : m_links) {
            link->frozen = true;
            link->client->abort();
            link->upstream->abort();
        }
        m_links.clear();
    }

private:
    struct Link
    {
        std::unique_ptr<QTcpSocket> client;
        std::unique_ptr<QTcpSocket> upstream;
        bool frozen = false;
    };

    void accept()
    {
        while (QTcpSocket* socket = m_server.nextPendingConnection()) {
            if (m_refuse) {
                socket->abort();
                socket->deleteLater();
                continue;
            }
            ++m_accepted;
            auto link = std::make_shared<Link>();
            link->client.reset(socket);
            socket->setParent(nullptr);
            link->upstream = std::make_unique<QTcpSocket>();
            Link* raw = link.get();
            auto pass = [raw](QTcpSocket* from, QTcpSocket* to) {
                if (!raw->frozen && to->state() == QAbstractSocket::ConnectedState)
                    to->write(from->readAll());
            };
            QObject::connect(raw->client.get(), &QTcpSocket::readyRead, raw->client.get(),
                [raw, pass]() { pass(raw->client.get(), raw->upstream.get()); });
            QObject::connect(raw->upstream.get(), &QTcpSocket::readyRead, raw->upstream.get(),
                [raw, pass]() { pass(raw->upstream.get(), raw->client.get()); });
            QObject::connect(raw->upstream.get(), &QTcpSocket::connected, raw->upstream.get(),
                [raw, pass]() { pass(raw->client.get(), raw->upstream.get()); });
            QObject::connect(raw->upstream.get(), &QTcpSocket::disconnected, raw->client.get(), [raw]() {
                if (!raw->frozen)
                    raw->client->disconnectFromHost();
            });
            QObject::connect(raw->client.get(), &QTcpSocket::disconnected, raw->upstream.get(), [raw]() {
                if (!raw->frozen)
                    raw->upstream->disconnectFromHost();
            });
            raw->upstream->connectToHost(m_host, quint16(m_port));
            m_links.push_back(link);
        }
    }

    QString m_host;
    int m_port;
    QTcpServer m_server;
    std::vector<std::shared_ptr<Link>> m_links;
    int m_accepted = 0;
    bool m_refuse = false;
};

// Waits until the connection reaches `state` (or Failed), up to timeoutMs. Returns the final state.
inline SshState waitForState(SshConnection& connection, SshState state, int timeoutMs = 30000)
{
    QSignalSpy spy(&connection, &SshConnection::stateChanged);
    QElapsedTimer clock;
    clock.start();
    while (connection.state() != state && clock.elapsed() < timeoutMs) {
        if (connection.state() == SshState::Failed && state != SshState::Failed)
            break;
        spy.wait(std::max<int>(10, timeoutMs - int(clock.elapsed())));
    }
    return connection.state();
}

// Collects every result of a connection from the moment it is created, so none is missed however
// early it arrives.
class Results
{
public:
    explicit Results(SshConnection* connection)
    {
        m_connections = {
            QObject::connect(connection, &SshConnection::commandFinished, connection,
                [this](quint64 id, const SshCommandResult& r) { m_commands.insert(id, r); }),
            QObject::connect(connection, &SshConnection::statFinished, connection,
                [this](quint64 id, const SftpStatResult& r) { m_stats.insert(id, r); }),
            QObject::connect(connection, &SshConnection::readFinished, connection,
                [this](quint64 id, const SftpReadResult& r) { m_reads.insert(id, r); }),
            QObject::connect(connection, &SshConnection::uploadFinished, connection,
                [this](quint64 id, const SftpUploadResult& r) { m_uploads.insert(id, r); }),
        };
    }
    ~Results()
    {
        for (const QMetaObject::Connection& c : std::as_const(m_connections))
            QObject::disconnect(c);
    }
    Results(const Results&) = delete;
    Results& operator=(const Results&) = delete;
    SshCommandResult command(quint64 id, int timeoutMs = 60000) { return take(m_commands, id, timeoutMs); }
    SftpStatResult stat(quint64 id, int timeoutMs = 60000) { return take(m_stats, id, timeoutMs); }
    SftpReadResult read(quint64 id, int timeoutMs = 60000) { return take(m_reads, id, timeoutMs); }
    SftpUploadResult upload(quint64 id, int timeoutMs = 60000) { return take(m_uploads, id, timeoutMs); }

private:
    template<typename Result> static Result take(QHash<quint64, Result>& results, quint64 id, int timeoutMs)
    {
        if (!QTest::qWaitFor([&results, id]() { return results.contains(id); }, timeoutMs)) {
            Result timedOut;
            timedOut.error = QStringLiteral("test timeout: no result");
            return timedOut;
        }
        return results.take(id);
    }

    QList<QMetaObject::Connection> m_connections;
    QHash<quint64, SshCommandResult> m_commands;
    QHash<quint64, SftpStatResult> m_stats;
    QHash<quint64, SftpReadResult> m_reads;
    QHash<quint64, SftpUploadResult> m_uploads;
};

} // namespace TuneDeck::Test
