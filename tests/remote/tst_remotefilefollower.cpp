// The remote follower against the mini-Baskerville's real sshd: late files, partial lines, a big
// backlog, truncation, replacement, and a cut connection — always compared byte for byte with the file.
#include "core/remote/remotefilefollower.h"
#include "core/ssh/sshconnection.h"
#include "ssh/minibask.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace TuneDeck;
using namespace TuneDeck::Test;

namespace {

// Everything the follower delivered, per segment.
struct Collected
{
    std::map<int, QByteArray> segments;
    QStringList reasons;
};

void appendTo(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::Append));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestRemoteFileFollower : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_cluster = MiniBask::load();
        REQUIRE_MINIBASK(m_cluster);
        // A folder in the project space that the test user can read, written by this (root) process.
        m_dir = m_cluster.value("MINIBASK_PROJECT_DIR") + u"/tunedeck-test-follower-"
            + QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
        QVERIFY(QDir().mkpath(m_dir));
    }

    void cleanupTestCase()
    {
        if (!m_dir.isEmpty())
            QDir(m_dir).removeRecursively();
    }

    void lateFilePartialLinesBacklogTruncateReplace()
    {
        SshConnection connection(m_cluster.options(m_cluster.keyOnlyPort(), m_cluster.value("MINIBASK_KNOWN_HOSTS")));
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);
        RemoteFileFollower follower(&connection);
        follower.setMaxReadBytes(256 * 1024);
        Collected got;
        connect(&follower, &RemoteFileFollower::linesArrived, this,
            [&got](const QString&, int segment, const QByteArray& lines) { got.segments[segment] += lines; });
        connect(&follower, &RemoteFileFollower::segmentStarted, this,
            [&got](const QString&, int, const QString& reason) { got.reasons.append(reason); });
        QSignalSpy polls(&follower, &RemoteFileFollower::pollFinished);
        const auto poll = [&]() {
            const int before = int(polls.count());
            follower.pollNow();
            QTRY_VERIFY_WITH_TIMEOUT(polls.count() > before, 30000);
        };
        const QString path = m_dir + u"/dmon-7-bask-pg01.txt";
        follower.follow(path);

        // Not there yet: nothing, and no error.
        QSignalSpy errors(&follower, &RemoteFileFollower::followError);
        poll();
        QVERIFY(got.segments.empty());
        QCOMPARE(errors.count(), 0);

        // Appears with a partial last line: only the complete lines arrive.
        appendTo(path, "#Date Time gpu\n20240917 23:35:34 0\n20240917 23:35");
        poll();
        QCOMPARE(got.segments[1], QByteArray("#Date Time gpu\n20240917 23:35:34 0\n"));
        appendTo(path, ":35 1\n");
        poll();
        QCOMPARE(got.segments[1], QByteArray("#Date Time gpu\n20240917 23:35:34 0\n20240917 23:35:35 1\n"));

        // A 3 MB backlog arrives in one poll although each read asks for 256 KiB.
        QByteArray backlog;
        for (int i = 0; backlog.size() < 3 * 1024 * 1024; ++i)
            backlog += "20240917 23:36:" + QByteArray::number(i % 60).rightJustified(2, '0') + " 0 245 51 - 97 40\n";
        appendTo(path, backlog);
        poll();
        QCOMPARE(got.segments[1], readFile(path));

        // Truncated and rewritten (a requeued job): a new segment, not spliced onto the old data.
        writeFile(path, "#Date Time gpu\nrestart 1\n");
        poll();
        QCOMPARE(got.segments[2], QByteArray("#Date Time gpu\nrestart 1\n"));

        // Replaced by a longer file between two polls: caught by the overlap check.
        const QString other = m_dir + u"/other.txt";
        writeFile(other, "#Date Time gpu\nrestart 2 with a much longer first line than before\nmore\n");
        QVERIFY(QFile::remove(path));
        QVERIFY(QFile::rename(other, path));
        poll();
        QTRY_COMPARE_WITH_TIMEOUT(got.segments[3], readFile(path), 30000);
        QCOMPARE(got.reasons.size(), 3);
        QVERIFY(got.reasons.at(1).contains(u"shrank"));
        QCOMPARE(got.reasons.at(2), QStringLiteral("was replaced"));
        QCOMPARE(errors.count(), 0);

        // The state can be saved and a new follower resumes without repeating a byte.
        const FollowedFile saved = follower.files().constFirst();
        RemoteFileFollower resumed(&connection);
        QByteArray more;
        connect(&resumed, &RemoteFileFollower::linesArrived, this,
            [&more](const QString&, int segment, const QByteArray& lines) {
                QCOMPARE(segment, 3);
                more += lines;
            });
        resumed.follow(path, saved);
        appendTo(path, "after resume\n");
        QSignalSpy resumedPolls(&resumed, &RemoteFileFollower::pollFinished);
        resumed.pollNow();
        QVERIFY(resumedPolls.wait(30000));
        QCOMPARE(more, QByteArray("after resume\n"));
    }

    void survivesACutConnection()
    {
        // Through a proxy that can cut the link; short keepalives so the drop is noticed in seconds.
        TcpProxy proxy(m_cluster.host(), m_cluster.keyOnlyPort());
        SshConnectionOptions options = m_cluster.options(proxy.port(), QString());
        const QString knownHosts = m_dir + u"/known_hosts_proxy";
        // The proxy listens on another port: known_hosts needs the [127.0.0.1]:port form for it.
        QByteArray line = readFile(m_cluster.value("MINIBASK_KNOWN_HOSTS")).split('\n').constFirst();
        line = "[127.0.0.1]:" + QByteArray::number(proxy.port()) + line.mid(line.indexOf(' '));
        writeFile(knownHosts, line + '\n');
        options.knownHostsFile = knownHosts;
        options.keepaliveInterval = std::chrono::milliseconds(1000);
        options.reconnectInitialDelay = std::chrono::milliseconds(200);
        SshConnection connection(options);
        connection.open();
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);

        const QString path = m_dir + u"/slurm-8.out";
        RemoteFileFollower follower(&connection);
        follower.setPollInterval(300);
        QByteArray got;
        connect(&follower, &RemoteFileFollower::linesArrived, this,
            [&got](const QString&, int segment, const QByteArray& lines) {
                QCOMPARE(segment, 1);
                got += lines;
            });
        follower.follow(path);
        follower.start();
        // A writer that keeps appending lines, some of them in two halves, while the link is cut twice.
        int written = 0;
        QTimer writer;
        connect(&writer, &QTimer::timeout, this, [&]() {
            const QByteArray lineText
                = " 12%|█▏        | " + QByteArray::number(written) + "/1000 [01:02<07:41, 1.23s/it]";
            appendTo(path, lineText.left(10));
            appendTo(path, lineText.mid(10) + '\n');
            ++written;
        });
        writer.start(20);
        QTRY_VERIFY_WITH_TIMEOUT(got.size() > 1000, 20000);
        proxy.cut();
        QTRY_VERIFY_WITH_TIMEOUT(connection.reconnectCount() >= 1, 30000);
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);
        connect(&connection, &SshConnection::stateChanged, this,
            [](SshState state, const QString& message) { qInfo() << "state" << sshStateName(state) << message; });
        connect(&follower, &RemoteFileFollower::followError, this,
            [](const QString& path, const QString& message) { qInfo() << "follow error" << path << message; });
        proxy.freeze(); // silent: detected by keepalives, not by a reset
        QTRY_VERIFY_WITH_TIMEOUT(connection.reconnectCount() >= 2, 30000);
        QCOMPARE(waitForState(connection, SshState::Connected), SshState::Connected);
        writer.stop();
        QTRY_COMPARE_WITH_TIMEOUT(got.size(), readFile(path).size(), 30000);
        QCOMPARE(got, readFile(path)); // nothing lost, nothing repeated
        QVERIFY(written > 50);
    }

private:
    MiniBask m_cluster;
    QString m_dir;
};

QTEST_GUILESS_MAIN(TestRemoteFileFollower)
#include "tst_remotefilefollower.moc"
