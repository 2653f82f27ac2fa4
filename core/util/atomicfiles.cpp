#include "core/util/atomicfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

namespace TuneDeck {
namespace {

QByteArray nativePath(const QString& path)
{
    return QFile::encodeName(path);
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

QString notRegular(mode_t mode)
{
    if (S_ISLNK(mode))
        return QStringLiteral("is a symbolic link; give the path of the file itself");
    if (S_ISDIR(mode))
        return QStringLiteral("is a folder, not a file name");
    if (S_ISFIFO(mode))
        return QStringLiteral("is a FIFO (named pipe), not a regular file");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return QStringLiteral("is a device, not a regular file");
    if (S_ISSOCK(mode))
        return QStringLiteral("is a socket, not a regular file");
    return QStringLiteral("is not a regular file");
}

// What identifies a file: device and inode when it exists, otherwise its absolute path with the existing
// part of the folder resolved (so "a/../b" and "b" are one name).
struct Identity
{
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    QString path;

    bool operator==(const Identity& other) const
    {
        if (exists != other.exists)
            return false;
        return exists ? device == other.device && inode == other.inode : path == other.path;
    }
};

Identity identityOf(const QString& path, const struct stat* info)
{
    Identity identity;
    if (info) {
        identity.exists = true;
        identity.device = info->st_dev;
        identity.inode = info->st_ino;
        return identity;
    }
    const QFileInfo file(path);
    const QString folder = file.absolutePath();
    const QString canonical = QFileInfo(folder).canonicalFilePath();
    identity.path = (canonical.isEmpty() ? QDir::cleanPath(folder) : canonical) + u'/' + file.fileName();
    return identity;
}

// The folders mkpath() would create for `folder`, deepest first.
QStringList missingFolders(const QString& folder)
{
    QStringList missing;
    QString current = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    while (!current.isEmpty() && !QFileInfo::exists(current)) {
        missing.append(current);
        const QString parent = QFileInfo(current).path();
        if (parent == current)
            break;
        current = parent;
    }
    return missing;
}

} // namespace

QString checkOutputPaths(const QStringList& outputs, const QStringList& inputs)
{
    QList<Identity> inputIds;
    for (const QString& input : inputs) {
        struct stat info
        {
        };
        if (!input.isEmpty() && ::stat(nativePath(input).constData(), &info) == 0)
            inputIds.append(identityOf(input, &info));
        else
            inputIds.append(identityOf(input, nullptr));
    }
    QList<Identity> seen;
    for (qsizetype i = 0; i < outputs.size(); ++i) {
        const QString& path = outputs[i];
        if (path.isEmpty())
            return QStringLiteral("'': an empty output file name");
        if (path.endsWith(u'/') || QFileInfo(path).fileName().isEmpty())
            return path + QStringLiteral(": is a folder name, not a file name");
        struct stat info
        {
        };
        const bool exists = ::lstat(nativePath(path).constData(), &info) == 0;
        if (!exists && errno != ENOENT)
            return path + u": " + systemError();
        if (exists && !S_ISREG(info.st_mode))
            return path + u": " + notRegular(info.st_mode);
        const Identity identity = identityOf(path, exists ? &info : nullptr);
        for (qsizetype j = 0; j < inputs.size(); ++j) {
            if (inputIds[j] == identity)
                return QStringLiteral("%1: is also an input (%2); writing it would replace what is being read")
                    .arg(path, inputs[j]);
        }
        for (qsizetype j = 0; j < seen.size(); ++j) {
            if (seen[j] == identity)
                return QStringLiteral("%1: is the same file as the output %2").arg(path, outputs[j]);
        }
        seen.append(identity);
    }
    return {};
}

QString writeFilesAtomically(const QList<FileContent>& files, const QStringList& inputs)
{
    QStringList targets;
    for (const FileContent& file : files)
        targets.append(file.path);
    if (const QString problem = checkOutputPaths(targets, inputs); !problem.isEmpty())
        return problem;

    QStringList createdFolders; // deepest first within each file's chain
    QStringList temporaries;
    QStringList backups; // per file: a hard link to the old target, or empty
    const auto undo = [&]() {
        for (const QString& temporary : std::as_const(temporaries))
            QFile::remove(temporary);
        for (const QString& backup : std::as_const(backups)) {
            if (!backup.isEmpty())
                QFile::remove(backup);
        }
        // Only folders this call created, and only when empty: never remove what someone else put there.
        for (const QString& folder : std::as_const(createdFolders))
            ::rmdir(nativePath(folder).constData());
    };

    for (const FileContent& file : files) {
        const QFileInfo info(file.path);
        const QString folder = info.absolutePath();
        const QStringList missing = missingFolders(folder);
        if (!QDir().mkpath(folder)) {
            undo();
            return QStringLiteral("%1: cannot create folder").arg(folder);
        }
        createdFolders = missing + createdFolders;
        QTemporaryFile out(folder + u"/." + info.fileName() + u".XXXXXX.tunedeck-tmp");
        out.setAutoRemove(false);
        if (!out.open()) {
            undo();
            return QStringLiteral("%1: %2").arg(file.path, out.errorString());
        }
        temporaries.append(out.fileName());
        // An existing file keeps its mode; a new one gets what open(2) would give it (0666 less umask),
        // not QTemporaryFile's 0600.
        struct stat old
        {
        };
        mode_t mode = 0;
        if (::stat(nativePath(file.path).constData(), &old) == 0) {
            mode = old.st_mode & 07777;
        } else {
            const mode_t mask = ::umask(0);
            ::umask(mask);
            mode = 0666 & ~mask;
        }
        if (out.write(file.bytes) != file.bytes.size() || !out.flush() || ::fchmod(out.handle(), mode) != 0
            || ::fsync(out.handle()) != 0) {
            const QString why = out.error() != QFileDevice::NoError ? out.errorString() : systemError();
            out.close();
            undo();
            return QStringLiteral("%1: %2").arg(file.path, why);
        }
        out.close();
    }
    for (const FileContent& file : files) {
        QString backup;
        if (QFileInfo::exists(file.path)) {
            backup = QFileInfo(file.path).absolutePath() + u"/." + QFileInfo(file.path).fileName() + u".tunedeck-old";
            QFile::remove(backup);
            if (::link(nativePath(file.path).constData(), nativePath(backup).constData()) != 0)
                backup.clear(); // no hard links here: that file cannot be restored, the others still can
        }
        backups.append(backup);
    }
    for (qsizetype i = 0; i < files.size(); ++i) {
        // rename(2) replaces the target atomically (QFile::rename refuses to overwrite).
        if (::rename(nativePath(temporaries[i]).constData(), nativePath(files[i].path).constData()) != 0) {
            const QString why = systemError();
            for (qsizetype j = 0; j < i; ++j) {
                if (!backups[j].isEmpty())
                    ::rename(nativePath(backups[j]).constData(), nativePath(files[j].path).constData());
                else
                    QFile::remove(files[j].path);
                temporaries[j].clear();
                backups[j].clear();
            }
            undo();
            return QStringLiteral("%1: cannot move the new file into place: %2").arg(files[i].path, why);
        }
    }
    for (const QString& backup : std::as_const(backups)) {
        if (!backup.isEmpty())
            QFile::remove(backup);
    }
    return {};
}

} // namespace TuneDeck
