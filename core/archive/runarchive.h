#pragma once

#include "core/archive/archivedrun.h"
#include "core/util/coreonly.h"

#include <QList>
#include <QString>

#include <functional>

#include <optional>

namespace TuneDeck::Archive {

// The local archive of runs: one SQLite database (Qt SQL, WAL journal) in the user's data folder.
//
// Tables (docs/archive.md): `runs` (one row per run: shape, states and times, the spec and the three
// generated files, the derived summary), `files` (each followed or imported file, with where following
// it stands) and `chunks` (the raw text as read, zlib-compressed, in order). The raw text is the source of
// truth; the summary and the coarse chart data (`derived`) are derived from it and rebuilt when missing or
// unreadable.
//
// Every change is one transaction, so a crash or `kill -9` leaves either the change or nothing, and a
// full disk fails the change with an error while earlier runs stay as they were. Several TuneDeck
// processes may open the same archive: SQLite locks it, and a writer waits up to five seconds.
class RunArchive
{
public:
    RunArchive();
    ~RunArchive();
    RunArchive(const RunArchive&) = delete;
    RunArchive& operator=(const RunArchive&) = delete;

    // $TUNEDECK_ARCHIVE, else <AppDataLocation>/archive.sqlite (~/.local/share/TuneDeck/tunedeck/archive.sqlite).
    static QString defaultPath();
    // Opens (creating when missing) the archive; returns an error message naming the file, or empty.
    QString open(const QString& path = defaultPath());
    bool isOpen() const;
    QString path() const { return m_path; }

    QList<ArchivedRun> runs() const;
    std::optional<ArchivedRun> run(qint64 id) const;
    std::optional<ArchivedRun> runBySource(const QString& source) const;
    // A run by id, or by name when exactly one run has it. error says why none was found.
    std::optional<ArchivedRun> findRun(const QString& idOrName, QString* error = nullptr) const;

    // Inserts the run (run.id == 0) or updates the row with the same id; sets run.id. Files are separate.
    QString saveRun(ArchivedRun& run);
    QString saveSummary(qint64 runId, const QJsonObject& summary);
    // The derived chart data (coarseview.h); empty when there is none.
    QString saveCoarseView(qint64 runId, const QByteArray& bytes);
    QByteArray coarseView(qint64 runId) const;
    QString removeRun(qint64 runId);

    QList<ArchivedFile> files(qint64 runId) const;
    // Adds a file to a run (or finds it: the same run and path is the same file); sets file.id.
    QString addFile(qint64 runId, ArchivedFile& file);
    // Appends bytes to a file's raw text. `segment` and `offset` say where they start: a new segment
    // starts at 0; otherwise offset must be the stored offset, so a resumed follower can neither leave a
    // gap nor store a line twice (a mismatch is refused with an error). `tail` is the follower's overlap.
    QString appendBytes(qint64 fileId, int segment, qint64 offset, QByteArrayView bytes, const QByteArray& tail = {});
    // A run's new file and its whole content at once (an import).
    QString addFileWithBytes(qint64 runId, ArchivedFile& file, QByteArrayView bytes);
    struct Segment
    {
        int segment = 1;
        QByteArray bytes;
    };
    // The raw text of a file, per segment in order; error set when a chunk cannot be decompressed.
    QList<Segment> rawText(qint64 fileId, QString* error = nullptr) const;
    // Size of the archive on disk (the database and its WAL).
    qint64 diskBytes() const;
    // "ok", or SQLite's list of problems.
    QString integrityCheck() const;
    // Raw text is compressed in one go per imported file, so a run's storage is small; streamed chunks are
    // small and compress less well, so a finished run's chunks are merged into one per segment.
    QString compactFile(qint64 fileId);

    // Runs `work` as one transaction: committed when it returns no error, rolled back otherwise (what
    // the calls inside wrote is then undone together).
    QString inTransaction(const std::function<QString()>& work);

private:
    QString lastError(const char* what) const;
    bool m_inTransaction = false;

    QString m_connection;
    QString m_path;
};

} // namespace TuneDeck::Archive
