#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace TuneDeck {

struct FileContent
{
    QString path;
    QByteArray bytes;
};

// Writes a set of files so that a reader never sees a half-written one and a failure leaves the old
// files in place: every file is written and flushed to a temporary sibling first, and only when all of
// them succeeded are they renamed over their targets. Parent folders are created. Returns an empty
// string on success, otherwise a message naming the file that failed.
QString writeFilesAtomically(const QList<FileContent>& files);

} // namespace TuneDeck
