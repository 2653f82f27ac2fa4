#include "core/remote/remotefilefollower.h"

#include "core/ssh/sshconnection.h"

namespace TuneDeck {

RemoteFileFollower::RemoteFileFollower(SshConnection* connection, QObject* parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_timer.setInterval(5000);
    connect(&m_timer, &QTimer::timeout, this, &RemoteFileFollower::pollNow);
    connect(connection, &SshConnection::statFinished, this, &RemoteFileFollower::onStatFinished);
    connect(connection, &SshConnection::readFinished, this, &RemoteFileFollower::onReadFinished);
}

void RemoteFileFollower::follow(const QString& path, const FollowedFile& resume)
{
    FollowedFile file = resume;
    file.path = path;
    m_files[path] = file;
}

void RemoteFileFollower::unfollow(const QString& path)
{
    m_files.erase(path);
}

QList<FollowedFile> RemoteFileFollower::files() const
{
    QList<FollowedFile> result;
    for (const auto& [path, file] : m_files)
        result.append(file);
    return result;
}

void RemoteFileFollower::start()
{
    m_timer.start();
    pollNow();
}

void RemoteFileFollower::stop()
{
    m_timer.stop();
}

bool RemoteFileFollower::idle() const
{
    return m_outstanding == 0;
}

void RemoteFileFollower::pollNow()
{
    // A slow link can make a poll outlast the interval; never stack polls on top of each other.
    if (!m_connection || m_outstanding > 0)
        return;
    m_outstanding = int(m_files.size());
    if (m_outstanding == 0) {
        Q_EMIT pollFinished();
        return;
    }
    for (const auto& [path, file] : m_files)
        m_stats.emplace(m_connection->stat(path), path);
}

void RemoteFileFollower::finishOne()
{
    if (--m_outstanding == 0)
        Q_EMIT pollFinished();
}

void RemoteFileFollower::startSegment(FollowedFile& file, const QString& reason)
{
    ++file.segment;
    file.offset = 0;
    file.tail.clear();
    Q_EMIT segmentStarted(file.path, file.segment, reason);
}

void RemoteFileFollower::onStatFinished(quint64 id, const SftpStatResult& result)
{
    const auto request = m_stats.find(id);
    if (request == m_stats.end())
        return; // another user of the connection
    const QString path = request->second;
    m_stats.erase(request);
    const auto found = m_files.find(path);
    if (found == m_files.end()) {
        finishOne();
        return;
    }
    FollowedFile& file = found->second;
    if (!result.ok()) {
        // A dropped connection is not the file's fault: the next poll after the reconnect retries.
        if (!result.connectionLost)
            Q_EMIT followError(path, result.error);
        finishOne();
        return;
    }
    if (!result.info.exists) {
        finishOne(); // not written yet (a late file), or removed: keep waiting
        return;
    }
    if (file.segment == 0)
        startSegment(file, tr("appeared"));
    else if (result.info.size < file.offset)
        startSegment(file, tr("shrank from %1 to %2 bytes").arg(file.offset).arg(result.info.size));
    if (result.info.size == file.offset) {
        finishOne();
        return;
    }
    readNext(file, result.info.size);
}

void RemoteFileFollower::readNext(FollowedFile& file, qint64 knownSize)
{
    const qint64 from = file.offset - file.tail.size();
    const qint64 length = std::min(m_maxReadBytes, knownSize - from);
    m_reads.emplace(m_connection->read(file.path, from, length), Pending { file.path, from, knownSize });
}

void RemoteFileFollower::onReadFinished(quint64 id, const SftpReadResult& result)
{
    const auto request = m_reads.find(id);
    if (request == m_reads.end())
        return;
    const Pending pending = request->second;
    m_reads.erase(request);
    const auto found = m_files.find(pending.path);
    if (found == m_files.end()) {
        finishOne();
        return;
    }
    FollowedFile& file = found->second;
    if (!result.ok()) {
        if (!result.connectionLost)
            Q_EMIT followError(pending.path, result.error);
        finishOne();
        return;
    }
    QByteArray data = result.data;
    const bool cappedRead = pending.readFrom + result.data.size() < pending.knownSize;
    const qint64 overlap = file.offset - pending.readFrom;
    if (overlap > 0) {
        if (data.left(overlap) != file.tail) {
            // Same name, other content: the file was replaced by one at least as long as what we had.
            startSegment(file, tr("was replaced"));
            finishOne();
            pollNow(); // read the new file from its start at once
            return;
        }
        data.remove(0, overlap);
    }
    // Hand out complete lines only; the rest is read again, with its end, next time.
    const qsizetype lastNewline = data.lastIndexOf('\n');
    if (lastNewline >= 0) {
        data.truncate(lastNewline + 1);
        file.offset += data.size();
        const QByteArray joined = file.tail + data;
        file.tail = joined.right(FollowedFile::OverlapBytes);
        Q_EMIT linesArrived(pending.path, file.segment, data);
        // Catching up on a backlog: go on at once rather than one chunk per poll interval.
        if (m_connection && cappedRead) {
            readNext(file, pending.knownSize);
            return;
        }
    }
    finishOne();
}

} // namespace TuneDeck
