#include "core/ssh/sshconnection.h"

#include "core/ssh/sshlogging.h"
#include "core/ssh/sshsessionworker.h"

#include <QDateTime>

#include <sys/socket.h>

namespace TuneDeck {

SshConnection::SshConnection(const SshConnectionOptions& options, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_watchdog(std::make_shared<SshWatchdogState>())
{
    m_thread.setObjectName(u"ssh " % options.target.displayName());
    m_worker = new SshSessionWorker(options, m_watchdog);
    m_worker->moveToThread(&m_thread);
    // Worker signals cross threads, so these connections are queued; re-emitting keeps the API in the
    // caller's thread.
    connect(m_worker, &SshSessionWorker::stateChanged, this, [this](SshState state, const QString& message) {
        if (state == SshState::Connected) {
            if (m_wasConnected)
                ++m_reconnects;
            m_wasConnected = true;
        }
        m_state = state;
        m_stateMessage = message;
        Q_EMIT stateChanged(state, message);
    });
    connect(m_worker, &SshSessionWorker::promptRequested, this, &SshConnection::promptRequested);
    connect(m_worker, &SshSessionWorker::warningIssued, this, &SshConnection::warningIssued);
    connect(m_worker, &SshSessionWorker::hostKeyRefused, this, &SshConnection::hostKeyRefused);
    connect(m_worker, &SshSessionWorker::commandFinished, this, &SshConnection::commandFinished);
    connect(m_worker, &SshSessionWorker::statFinished, this, &SshConnection::statFinished);
    connect(m_worker, &SshSessionWorker::readFinished, this, &SshConnection::readFinished);
    connect(m_worker, &SshSessionWorker::uploadFinished, this, &SshConnection::uploadFinished);
    m_thread.start();

    m_watchdogTimer.setInterval(250);
    connect(&m_watchdogTimer, &QTimer::timeout, this, &SshConnection::checkWatchdog);
    m_watchdogTimer.start();
}

SshConnection::~SshConnection()
{
    SshSessionWorker* worker = m_worker;
    // A synchronous SFTP call on a dead link would make us wait for TCP to give up: cut it short.
    if (m_watchdog->blockingSinceMs.load() != 0 && m_watchdog->fd.load() >= 0)
        ::shutdown(m_watchdog->fd.load(), SHUT_RDWR);
    // The worker owns libssh handles that must be freed in the thread that used them.
    QMetaObject::invokeMethod(
        worker, [worker]() { delete worker; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

template<typename Function> void SshConnection::post(Function function)
{
    QMetaObject::invokeMethod(m_worker, std::move(function), Qt::QueuedConnection);
}

void SshConnection::open()
{
    SshSessionWorker* worker = m_worker;
    post([worker]() { worker->open(); });
}

void SshConnection::close()
{
    SshSessionWorker* worker = m_worker;
    post([worker]() { worker->close(); });
}

void SshConnection::answerPrompt(const SshPromptAnswer& answer)
{
    SshSessionWorker* worker = m_worker;
    // The worker wipes the answers after use; the copies share one buffer, so that wipes ours too.
    post([worker, answer]() { worker->answer(answer); });
}

quint64 SshConnection::runCommand(const QString& command)
{
    SshRequest request;
    request.id = ++m_nextId;
    request.kind = SshRequest::Kind::Command;
    request.command = command;
    SshSessionWorker* worker = m_worker;
    post([worker, request]() { worker->enqueue(request); });
    return request.id;
}

quint64 SshConnection::stat(const QString& path)
{
    SshRequest request;
    request.id = ++m_nextId;
    request.kind = SshRequest::Kind::Stat;
    request.path = path;
    SshSessionWorker* worker = m_worker;
    post([worker, request]() { worker->enqueue(request); });
    return request.id;
}

quint64 SshConnection::read(const QString& path, qint64 offset, qint64 maxBytes)
{
    SshRequest request;
    request.id = ++m_nextId;
    request.kind = SshRequest::Kind::Read;
    request.path = path;
    request.offset = offset;
    request.length = maxBytes;
    SshSessionWorker* worker = m_worker;
    post([worker, request]() { worker->enqueue(request); });
    return request.id;
}

quint64 SshConnection::upload(const QString& directory, const QList<SftpUploadFile>& files)
{
    SshRequest request;
    request.id = ++m_nextId;
    request.kind = SshRequest::Kind::Upload;
    request.path = directory;
    request.files = files;
    SshSessionWorker* worker = m_worker;
    post([worker, request]() { worker->enqueue(request); });
    return request.id;
}

void SshConnection::checkWatchdog()
{
    const qint64 since = m_watchdog->blockingSinceMs.load();
    const int fd = m_watchdog->fd.load();
    if (since == 0 || fd < 0)
        return;
    if (QDateTime::currentMSecsSinceEpoch() - since > m_options.deadAfter().count()) {
        qCWarning(lcSsh) << "an SFTP call has had no answer for" << m_options.deadAfter().count()
                         << "ms; shutting the socket down";
        m_watchdog->blockingSinceMs = 0;
        ::shutdown(fd, SHUT_RDWR);
    }
}

} // namespace TuneDeck
