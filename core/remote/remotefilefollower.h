#pragma once

#include "core/ssh/sshconnection.h"
#include "core/util/coreonly.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <map>

namespace TuneDeck {

// Where following one remote file stands. Plain data so it can be persisted with the run (roadmap:
// the archive) and handed back to resume after a restart or a reconnect without losing or repeating
// a line.
struct FollowedFile
{
    QString path;
    qint64 offset = 0; // bytes delivered so far in the current segment; always just after a '\n'
    int segment = 0; // 0: not seen yet; 1 the first version of the file; +1 each time it restarts
    // The last bytes delivered (at most OverlapBytes): each read starts that far back and compares
    // them, which detects a file that was replaced by a longer one between two polls.
    QByteArray tail;

    static constexpr int OverlapBytes = 64;
};

// Follows files in a run directory over the cluster's one SSH session: polls each file (project
// space is GPFS/NFS, so there is no inotify), reads from the remembered offset with SFTP, and hands
// out complete lines only (a partial last line waits for its end). A file that is not there yet is
// picked up when it appears; a file that shrinks or is replaced (a requeued job rewrites its output)
// starts a new segment instead of being spliced onto the old data. Reads that fail because the
// connection dropped are simply retried from the same offset on a later poll.
class RemoteFileFollower : public QObject
{
    Q_OBJECT
public:
    explicit RemoteFileFollower(SshConnection* connection, QObject* parent = nullptr);

    // Adds a file; `resume` continues where an earlier follower stopped (same path).
    void follow(const QString& path, const FollowedFile& resume = {});
    void unfollow(const QString& path);
    QList<FollowedFile> files() const;

    void setPollInterval(int milliseconds) { m_timer.setInterval(milliseconds); }
    // Bytes asked for per read; a backlog larger than this arrives over several polls.
    void setMaxReadBytes(qint64 bytes) { m_maxReadBytes = bytes; }
    void start();
    void stop();
    void pollNow();
    // True when no poll is waiting for an answer.
    bool idle() const;

Q_SIGNALS:
    // Complete lines (ending in '\n') of `segment` of `path`, in order, each byte exactly once.
    void linesArrived(const QString& path, int segment, const QByteArray& lines);
    // The file appeared (segment 1) or restarted (truncated or replaced: segment > 1).
    void segmentStarted(const QString& path, int segment, const QString& reason);
    void followError(const QString& path, const QString& message);
    // Every followed file was polled once since the last pollNow()/timer tick.
    void pollFinished();

private:
    struct Pending
    {
        QString path;
        qint64 readFrom = 0;
        qint64 knownSize = 0; // the size stat reported: a backlog is read to here without waiting a poll
    };

    void readNext(FollowedFile& file, qint64 knownSize);

    void onStatFinished(quint64 id, const SftpStatResult& result);
    void onReadFinished(quint64 id, const SftpReadResult& result);
    void startSegment(FollowedFile& file, const QString& reason);
    void finishOne();

    QPointer<SshConnection> m_connection;
    QTimer m_timer;
    qint64 m_maxReadBytes = 8 * 1024 * 1024;
    std::map<QString, FollowedFile> m_files;
    std::map<quint64, QString> m_stats; // request id -> path
    std::map<quint64, Pending> m_reads;
    int m_outstanding = 0;
};

} // namespace TuneDeck
