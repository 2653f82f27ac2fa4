#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace TuneDeck {

struct FileContent
{
    QString path;
    QByteArray bytes;
};

// Checks a set of output paths before anything is written. Each must be missing or a regular file: a
// symlink, device, FIFO, socket or folder is refused (replacing /dev/full or a link's target is never
// what was meant). No two outputs may be the same file, and no output may be one of `inputs` (the files
// the outputs are made from), compared by device and inode so other spellings of a path count too.
// Returns an empty string, or "path: why" for the first problem.
QString checkOutputPaths(const QStringList& outputs, const QStringList& inputs = {});

// Writes a set of files all or nothing: checkOutputPaths() first, then every file is written, flushed
// and synced to a new temporary sibling (O_EXCL, so nothing planted there is followed), and only when
// all of them succeeded are they renamed over their targets. If a rename fails, the files already moved
// are put back from hard-link backups, so the old set is what remains. Parent folders are created, and
// removed again when the write fails. Returns an empty string on success, otherwise a message naming
// the file that failed.
QString writeFilesAtomically(const QList<FileContent>& files, const QStringList& inputs = {});

} // namespace TuneDeck
