#include "core/util/atomicfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace TuneDeck {

QString writeFilesAtomically(const QList<FileContent>& files)
{
    QStringList temporaries;
    const auto discard = [&temporaries]() {
        for (const QString& temporary : std::as_const(temporaries))
            QFile::remove(temporary);
    };
    for (const FileContent& file : files) {
        const QFileInfo info(file.path);
        // Catch what would make a rename fail before anything is replaced.
        if (info.fileName().isEmpty() || info.isDir()) {
            discard();
            return QStringLiteral("%1: is a folder, not a file name").arg(file.path);
        }
        if (!QDir().mkpath(info.absolutePath())) {
            discard();
            return QStringLiteral("%1: cannot create folder").arg(info.absolutePath());
        }
        const QString temporary = info.absolutePath() + u"/." + info.fileName() + u".tunedeck-tmp";
        QFile out(temporary);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(file.bytes) != file.bytes.size()
            || !out.flush()) {
            const QString why = out.errorString();
            out.close();
            QFile::remove(temporary);
            discard();
            return QStringLiteral("%1: %2").arg(file.path, why);
        }
        out.close();
        temporaries.append(temporary);
    }
    for (qsizetype i = 0; i < files.size(); ++i) {
        // rename(2) replaces the target atomically (QFile::rename refuses to overwrite).
        if (std::rename(QFile::encodeName(temporaries[i]).constData(), QFile::encodeName(files[i].path).constData())
            != 0) {
            discard();
            return QStringLiteral("%1: cannot move the new file into place").arg(files[i].path);
        }
    }
    return {};
}

} // namespace TuneDeck
