#include "core/archive/runarchive.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QUuid>
#include <QVariant>

namespace TuneDeck::Archive {

namespace {

constexpr int SchemaVersion = 1;

QVariant optional(const std::optional<qint64>& v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<qint64>());
}

// Qt SQL binds a null QString as NULL; the text columns are NOT NULL DEFAULT ''.
QString text(const QString& s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

// Prepares `sql`, binds `values` in order and runs it.
bool exec(QSqlQuery& q, const QString& sql, std::initializer_list<QVariant> values)
{
    q.prepare(sql);
    for (const QVariant& v : values)
        q.addBindValue(v);
    return q.exec();
}

std::optional<qint64> optionalValue(const QVariant& v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toLongLong();
}

const char* const Schema[] = {
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS runs("
    " id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE, name TEXT NOT NULL, cluster TEXT NOT NULL DEFAULT '',"
    " job_id TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 1, nodes INTEGER NOT NULL DEFAULT 0,"
    " gpus_per_node INTEGER NOT NULL DEFAULT 0, gpu_type TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT '',"
    " ended_by TEXT NOT NULL DEFAULT '', submitted_ms INTEGER, started_ms INTEGER, ended_ms INTEGER,"
    " time_limit_s INTEGER, queue_wait_s INTEGER, spec_yaml BLOB, sbatch BLOB, accelerate_yaml BLOB, train_yaml BLOB,"
    " archived_ms INTEGER NOT NULL, summary_json BLOB)",
    "CREATE TABLE IF NOT EXISTS files("
    " id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL, node TEXT NOT NULL DEFAULT '', path TEXT NOT NULL, segment INTEGER NOT NULL DEFAULT 1,"
    " offset INTEGER NOT NULL DEFAULT 0, tail BLOB, stored_bytes INTEGER NOT NULL DEFAULT 0, UNIQUE(run_id, path))",
    "CREATE TABLE IF NOT EXISTS chunks("
    " file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " segment INTEGER NOT NULL, offset INTEGER NOT NULL, raw_size INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(file_id, seq))",
    "CREATE TABLE IF NOT EXISTS derived("
    " run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE, coarse_view BLOB NOT NULL)",
};

const QString RunColumns = QStringLiteral(
    "id, source, name, cluster, job_id, attempts, nodes, gpus_per_node, gpu_type, state, ended_by, submitted_ms,"
    " started_ms, ended_ms, time_limit_s, spec_yaml, sbatch, accelerate_yaml, train_yaml, archived_ms, summary_json,"
    " queue_wait_s");

ArchivedRun runFromQuery(const QSqlQuery& q)
{
    ArchivedRun r;
    r.id = q.value(0).toLongLong();
    r.source = q.value(1).toString();
    r.name = q.value(2).toString();
    r.cluster = q.value(3).toString();
    r.jobId = q.value(4).toString();
    r.attempts = q.value(5).toInt();
    r.nodes = q.value(6).toInt();
    r.gpusPerNode = q.value(7).toInt();
    r.gpuType = q.value(8).toString();
    r.state = q.value(9).toString();
    r.endedBy = q.value(10).toString();
    r.submittedMs = optionalValue(q.value(11));
    r.startedMs = optionalValue(q.value(12));
    r.endedMs = optionalValue(q.value(13));
    r.timeLimitSeconds = optionalValue(q.value(14));
    r.specYaml = q.value(15).toByteArray();
    r.sbatchScript = q.value(16).toByteArray();
    r.accelerateConfig = q.value(17).toByteArray();
    r.trainConfig = q.value(18).toByteArray();
    r.archivedMs = q.value(19).toLongLong();
    // A summary that does not parse is left empty: the loader rebuilds it from the raw text.
    const QJsonDocument summary = QJsonDocument::fromJson(q.value(20).toByteArray());
    r.summary = summary.isObject() ? summary.object() : QJsonObject();
    r.queueWaitSeconds = optionalValue(q.value(21));
    return r;
}

// One transaction: committed when commit() is called, rolled back otherwise.
// Inside RunArchive::inTransaction() (nested), the outer transaction commits or rolls back instead.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase db, bool nested = false)
        : m_db(std::move(db))
        , m_nested(nested)
    {
        if (!m_nested)
            m_error = begin(m_db);
        m_active = m_nested || m_error.isEmpty();
    }
    ~Transaction()
    {
        if (m_active && !m_nested)
            QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    }
    bool active() const { return m_active; }
    QString error() const { return m_error; }
    bool commit()
    {
        if (m_nested) {
            m_active = false;
            return true;
        }
        QSqlQuery q(m_db);
        if (q.exec(QStringLiteral("COMMIT"))) {
            m_active = false;
            return true;
        }
        m_error = q.lastError().text(); // still active: the destructor rolls back
        return false;
    }
    // IMMEDIATE takes the write lock up front, waiting for another writer (busy timeout). A deferred
    // transaction that reads first would instead fail with "database is locked" when another process
    // wrote in between: the read snapshot cannot be upgraded.
    static QString begin(const QSqlDatabase& db)
    {
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("BEGIN IMMEDIATE")))
            return {};
        return q.lastError().text().isEmpty() ? QStringLiteral("unknown error") : q.lastError().text();
    }

private:
    QSqlDatabase m_db;
    QString m_error;
    bool m_nested = false;
    bool m_active = false;
};

} // namespace

RunArchive::RunArchive()
    : m_connection(QStringLiteral("tunedeck-archive-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{ }

RunArchive::~RunArchive()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QString RunArchive::defaultPath()
{
    if (const QString path = qEnvironmentVariable("TUNEDECK_ARCHIVE"); !path.isEmpty())
        return path;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/archive.sqlite";
}

bool RunArchive::isOpen() const
{
    return QSqlDatabase::database(m_connection, false).isOpen();
}

QString RunArchive::lastError(const char* what) const
{
    const QSqlError e = QSqlDatabase::database(m_connection, false).lastError();
    return QStringLiteral("the run archive %1: cannot %2: %3")
        .arg(m_path, QLatin1StringView(what), e.text().isEmpty() ? QStringLiteral("unknown error") : e.text());
}

QString RunArchive::open(const QString& path)
{
    m_path = path;
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return QStringLiteral("the run archive needs Qt's SQLite driver (Debian package libqt6sql6-sqlite)");
    const QFileInfo info(path);
    if (info.exists() && !info.isFile())
        return QStringLiteral("the run archive %1: not a regular file").arg(path);
    if (!QDir().mkpath(info.absolutePath()))
        return QStringLiteral("the run archive %1: cannot create the folder %2").arg(path, info.absolutePath());
    QSqlDatabase db = QSqlDatabase::contains(m_connection)
        ? QSqlDatabase::database(m_connection, false)
        : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    // A second TuneDeck writing at the same moment: wait for its lock instead of failing at once.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        return QStringLiteral("the run archive %1: cannot open: %2").arg(path, db.lastError().text());
    QSqlQuery q(db);
    // WAL: readers never block the writer, and a crash mid-write leaves the last committed state.
    for (const char* pragma : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON" }) {
        // Two TuneDecks opening a new archive at the same moment both switch it to WAL; SQLite answers
        // one of them SQLITE_BUSY at once, without the busy wait (waiting could deadlock): try again.
        bool ok = q.exec(QString::fromLatin1(pragma));
        for (int attempt = 0; !ok && attempt < 100 && q.lastError().nativeErrorCode() == u"5"; ++attempt) {
            QThread::msleep(50);
            ok = q.exec(QString::fromLatin1(pragma));
        }
        if (!ok) {
            const QString error
                = QStringLiteral("the run archive %1: %2 (is it a TuneDeck archive?)").arg(path, q.lastError().text());
            db.close();
            return error;
        }
    }
    Transaction t(db, m_inTransaction);
    for (const char* statement : Schema) {
        if (!q.exec(QString::fromLatin1(statement))) {
            const QString error
                = QStringLiteral("the run archive %1: cannot create its tables: %2").arg(path, q.lastError().text());
            return error;
        }
    }
    q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema'"));
    if (q.next()) {
        if (q.value(0).toInt() > SchemaVersion)
            return QStringLiteral("the run archive %1 was written by a newer TuneDeck (schema %2, this one reads %3)")
                .arg(path)
                .arg(q.value(0).toInt())
                .arg(SchemaVersion);
    } else {
        if (!exec(q, QStringLiteral("INSERT INTO meta(key, value) VALUES('schema', ?)"), { SchemaVersion }))
            return lastError("write its schema version");
    }
    if (!t.commit())
        return QStringLiteral("the run archive %1: cannot create its tables: %2").arg(m_path, t.error());
    return {};
}

QList<ArchivedRun> RunArchive::runs() const
{
    QList<ArchivedRun> result;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT %1 FROM runs ORDER BY id").arg(RunColumns)))
        return result;
    while (q.next())
        result.append(runFromQuery(q));
    return result;
}

std::optional<ArchivedRun> RunArchive::run(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!exec(q, QStringLiteral("SELECT %1 FROM runs WHERE id = ?").arg(RunColumns), { id }) || !q.next())
        return std::nullopt;
    return runFromQuery(q);
}

std::optional<ArchivedRun> RunArchive::runBySource(const QString& source) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!exec(q, QStringLiteral("SELECT %1 FROM runs WHERE source = ?").arg(RunColumns), { source }) || !q.next())
        return std::nullopt;
    return runFromQuery(q);
}

std::optional<ArchivedRun> RunArchive::findRun(const QString& idOrName, QString* error) const
{
    bool isNumber = false;
    const qint64 id = idOrName.toLongLong(&isNumber);
    if (isNumber) {
        if (auto found = run(id))
            return found;
    }
    QList<ArchivedRun> named;
    for (const ArchivedRun& r : runs()) {
        if (r.name == idOrName)
            named.append(r);
    }
    if (named.size() == 1)
        return named.first();
    if (error) {
        *error = named.isEmpty()
            ? QStringLiteral("no archived run has the id or name '%1' (see 'tunedeck runs')").arg(idOrName)
            : QStringLiteral("%1 archived runs are named '%2'; give the id instead (see 'tunedeck runs')")
                  .arg(named.size())
                  .arg(idOrName);
    }
    return std::nullopt;
}

QString RunArchive::saveRun(ArchivedRun& run)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    if (run.archivedMs == 0)
        run.archivedMs = QDateTime::currentMSecsSinceEpoch();
    const QString columns = QStringLiteral(
        "source, name, cluster, job_id, attempts, nodes, gpus_per_node, gpu_type, state, ended_by, submitted_ms,"
        " started_ms, ended_ms, time_limit_s, spec_yaml, sbatch, accelerate_yaml, train_yaml, archived_ms, "
        "summary_json,"
        " queue_wait_s");
    if (run.id == 0) {
        q.prepare(
            QStringLiteral("INSERT INTO runs(%1) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)").arg(columns));
    } else {
        q.prepare(QStringLiteral(
            "UPDATE runs SET source=?, name=?, cluster=?, job_id=?, attempts=?, nodes=?, gpus_per_node=?, gpu_type=?,"
            " state=?, ended_by=?, submitted_ms=?, started_ms=?, ended_ms=?, time_limit_s=?, spec_yaml=?, sbatch=?,"
            " accelerate_yaml=?, train_yaml=?, archived_ms=?, summary_json=?, queue_wait_s=? WHERE id=?"));
    }
    q.addBindValue(text(run.source));
    q.addBindValue(text(run.name));
    q.addBindValue(text(run.cluster));
    q.addBindValue(text(run.jobId));
    q.addBindValue(run.attempts);
    q.addBindValue(run.nodes);
    q.addBindValue(run.gpusPerNode);
    q.addBindValue(text(run.gpuType));
    q.addBindValue(text(run.state));
    q.addBindValue(text(run.endedBy));
    q.addBindValue(optional(run.submittedMs));
    q.addBindValue(optional(run.startedMs));
    q.addBindValue(optional(run.endedMs));
    q.addBindValue(optional(run.timeLimitSeconds));
    q.addBindValue(run.specYaml);
    q.addBindValue(run.sbatchScript);
    q.addBindValue(run.accelerateConfig);
    q.addBindValue(run.trainConfig);
    q.addBindValue(run.archivedMs);
    q.addBindValue(run.summary.isEmpty() ? QByteArray() : QJsonDocument(run.summary).toJson(QJsonDocument::Compact));
    q.addBindValue(optional(run.queueWaitSeconds));
    if (run.id != 0)
        q.addBindValue(run.id);
    if (!q.exec())
        return QStringLiteral("the run archive %1: cannot save the run '%2': %3")
            .arg(m_path, run.name, q.lastError().text());
    if (run.id == 0)
        run.id = q.lastInsertId().toLongLong();
    return {};
}

QString RunArchive::saveSummary(qint64 runId, const QJsonObject& summary)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!exec(q, QStringLiteral("UPDATE runs SET summary_json = ? WHERE id = ?"),
            { QJsonDocument(summary).toJson(QJsonDocument::Compact), runId }))
        return QStringLiteral("the run archive %1: cannot save the figures of run %2: %3")
            .arg(m_path)
            .arg(runId)
            .arg(q.lastError().text());
    return {};
}

QString RunArchive::removeRun(qint64 runId)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    Transaction t(db, m_inTransaction);
    QSqlQuery q(db);
    // ON DELETE CASCADE would do this too; explicit so it holds whatever the foreign_keys pragma says.
    const bool ok
        = exec(q, QStringLiteral("DELETE FROM chunks WHERE file_id IN (SELECT id FROM files WHERE run_id = ?)"),
              { runId })
        && exec(q, QStringLiteral("DELETE FROM files WHERE run_id = ?"), { runId })
        && exec(q, QStringLiteral("DELETE FROM derived WHERE run_id = ?"), { runId })
        && exec(q, QStringLiteral("DELETE FROM runs WHERE id = ?"), { runId });
    if (!ok || !t.commit())
        return QStringLiteral("the run archive %1: cannot remove run %2: %3")
            .arg(m_path)
            .arg(runId)
            .arg(q.lastError().text());
    return {};
}

QString RunArchive::saveCoarseView(qint64 runId, const QByteArray& bytes)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!exec(q, QStringLiteral("INSERT OR REPLACE INTO derived(run_id, coarse_view) VALUES(?, ?)"), { runId, bytes }))
        return QStringLiteral("the run archive %1: cannot save the chart data of run %2: %3")
            .arg(m_path)
            .arg(runId)
            .arg(q.lastError().text());
    return {};
}

QByteArray RunArchive::coarseView(qint64 runId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!exec(q, QStringLiteral("SELECT coarse_view FROM derived WHERE run_id = ?"), { runId }) || !q.next())
        return {};
    return q.value(0).toByteArray();
}

QList<ArchivedFile> RunArchive::files(qint64 runId) const
{
    QList<ArchivedFile> result;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!exec(q,
            QStringLiteral("SELECT id, kind, node, path, segment, offset, tail, stored_bytes FROM files WHERE run_id = "
                           "? ORDER BY id"),
            { runId }))
        return result;
    while (q.next()) {
        ArchivedFile f;
        f.id = q.value(0).toLongLong();
        f.kind = fileKindFromName(q.value(1).toString()).value_or(FileKind::Dmon);
        f.node = q.value(2).toString();
        f.path = q.value(3).toString();
        f.segment = q.value(4).toInt();
        f.offset = q.value(5).toLongLong();
        f.tail = q.value(6).toByteArray();
        f.storedBytes = q.value(7).toLongLong();
        result.append(f);
    }
    return result;
}

QString RunArchive::addFile(qint64 runId, ArchivedFile& file)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (exec(q, QStringLiteral("SELECT id FROM files WHERE run_id = ? AND path = ?"), { runId, file.path })
        && q.next()) {
        file.id = q.value(0).toLongLong();
        return {};
    }
    if (!exec(q,
            QStringLiteral("INSERT INTO files(run_id, kind, node, path, segment, offset) VALUES(?, ?, ?, ?, ?, 0)"),
            { runId, fileKindName(file.kind), text(file.node), text(file.path), file.segment }))
        return QStringLiteral("the run archive %1: cannot add %2: %3").arg(m_path, file.path, q.lastError().text());
    file.id = q.lastInsertId().toLongLong();
    file.offset = 0;
    return {};
}

QString RunArchive::appendBytes(qint64 fileId, int segment, qint64 offset, QByteArrayView bytes, const QByteArray& tail)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    Transaction t(db, m_inTransaction);
    if (!t.active())
        return QStringLiteral("the run archive %1: cannot start a write: %2").arg(m_path, t.error());
    QSqlQuery q(db);
    if (!exec(q, QStringLiteral("SELECT segment, offset, path FROM files WHERE id = ?"), { fileId }) || !q.next())
        return QStringLiteral("the run archive %1: no file %2").arg(m_path).arg(fileId);
    const int storedSegment = q.value(0).toInt();
    const qint64 storedOffset = q.value(1).toLongLong();
    const QString path = q.value(2).toString();
    const bool newSegment = segment != storedSegment;
    if (newSegment ? (segment < storedSegment || offset != 0) : offset != storedOffset)
        return QStringLiteral("the run archive %1: %2: bytes from segment %3 offset %4 do not follow the stored "
                              "segment %5 offset %6; nothing stored")
            .arg(m_path, path)
            .arg(segment)
            .arg(offset)
            .arg(storedSegment)
            .arg(storedOffset);
    if (!exec(q, QStringLiteral("SELECT COALESCE(MAX(seq), 0) + 1 FROM chunks WHERE file_id = ?"), { fileId })
        || !q.next())
        return lastError("read the file's chunks");
    const qint64 seq = q.value(0).toLongLong();
    if (!bytes.isEmpty()) {
        if (!exec(q,
                QStringLiteral(
                    "INSERT INTO chunks(file_id, seq, segment, offset, raw_size, data) VALUES(?, ?, ?, ?, ?, ?)"),
                { fileId, seq, segment, offset, qint64(bytes.size()),
                    qCompress(reinterpret_cast<const uchar*>(bytes.data()), qsizetype(bytes.size()), 6) }))
            return QStringLiteral("the run archive %1: cannot store %2 bytes of %3: %4")
                .arg(m_path)
                .arg(bytes.size())
                .arg(path, q.lastError().text());
    }
    if (!exec(q,
            QStringLiteral(
                "UPDATE files SET segment = ?, offset = ?, tail = ?, stored_bytes = stored_bytes + ? WHERE id = ?"),
            { segment, offset + bytes.size(), tail, qint64(bytes.size()), fileId }))
        return QStringLiteral("the run archive %1: cannot update %2: %3").arg(m_path, path, q.lastError().text());
    if (!t.commit())
        return QStringLiteral("the run archive %1: cannot store %2 bytes of %3: %4")
            .arg(m_path)
            .arg(bytes.size())
            .arg(path, t.error());
    return {};
}

QString RunArchive::addFileWithBytes(qint64 runId, ArchivedFile& file, QByteArrayView bytes)
{
    if (QString error = addFile(runId, file); !error.isEmpty())
        return error;
    const QByteArray tail = bytes.last(qMin<qsizetype>(bytes.size(), 64)).toByteArray();
    return appendBytes(file.id, file.segment, 0, bytes, tail);
}

QList<RunArchive::Segment> RunArchive::rawText(qint64 fileId, QString* error) const
{
    QList<Segment> result;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!exec(q, QStringLiteral("SELECT segment, data, raw_size, seq FROM chunks WHERE file_id = ? ORDER BY seq"),
            { fileId })) {
        if (error)
            *error = lastError("read a file's text");
        return result;
    }
    while (q.next()) {
        const int segment = q.value(0).toInt();
        const QByteArray raw = qUncompress(q.value(1).toByteArray());
        if (raw.size() != q.value(2).toLongLong()) {
            if (error)
                *error = QStringLiteral("the run archive %1: chunk %2 of file %3 is damaged")
                             .arg(m_path)
                             .arg(q.value(3).toLongLong())
                             .arg(fileId);
            continue;
        }
        if (result.isEmpty() || result.last().segment != segment)
            result.append({ segment, raw });
        else
            result.last().bytes += raw;
    }
    return result;
}

QString RunArchive::inTransaction(const std::function<QString()>& work)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (m_inTransaction)
        return work();
    if (const QString error = Transaction::begin(db); !error.isEmpty())
        return QStringLiteral("the run archive %1: cannot start a write: %2").arg(m_path, error);
    m_inTransaction = true;
    QString error = work();
    m_inTransaction = false;
    QSqlQuery q(db);
    if (error.isEmpty() && !q.exec(QStringLiteral("COMMIT")))
        error = QStringLiteral("the run archive %1: cannot commit: %2").arg(m_path, q.lastError().text());
    if (!error.isEmpty())
        q.exec(QStringLiteral("ROLLBACK"));
    return error;
}

qint64 RunArchive::diskBytes() const
{
    qint64 total = 0;
    for (const QString& suffix : { QString(), QStringLiteral("-wal") })
        total += QFileInfo(m_path + suffix).size();
    return total;
}

QString RunArchive::integrityCheck() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("PRAGMA integrity_check")))
        return q.lastError().text();
    QStringList lines;
    while (q.next())
        lines << q.value(0).toString();
    return lines.join(u'\n');
}

QString RunArchive::compactFile(qint64 fileId)
{
    QString error;
    const QList<Segment> segments = rawText(fileId, &error);
    if (!error.isEmpty())
        return error;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    Transaction t(db, m_inTransaction);
    QSqlQuery q(db);
    if (!exec(q, QStringLiteral("SELECT COUNT(*) FROM chunks WHERE file_id = ?"), { fileId }) || !q.next())
        return lastError("count a file's chunks");
    if (q.value(0).toLongLong() <= segments.size())
        return {}; // one chunk per segment already
    if (!exec(q, QStringLiteral("DELETE FROM chunks WHERE file_id = ?"), { fileId }))
        return lastError("merge a file's chunks");
    qint64 seq = 1;
    for (const Segment& s : segments) {
        if (!exec(q,
                QStringLiteral(
                    "INSERT INTO chunks(file_id, seq, segment, offset, raw_size, data) VALUES(?, ?, ?, 0, ?, ?)"),
                { fileId, seq++, s.segment, qint64(s.bytes.size()), qCompress(s.bytes, 9) }))
            return QStringLiteral("the run archive %1: cannot merge the chunks of file %2: %3")
                .arg(m_path)
                .arg(fileId)
                .arg(q.lastError().text());
    }
    if (!t.commit())
        return QStringLiteral("the run archive %1: cannot merge the chunks of file %2: %3")
            .arg(m_path)
            .arg(fileId)
            .arg(t.error());
    return {};
}

} // namespace TuneDeck::Archive
