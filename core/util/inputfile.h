#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace TuneDeck {

// The most bytes each kind of input may have. Real files are a few KiB; the limits are far above that
// and far below what would exhaust memory, so /dev/zero-like or mistyped inputs end in a message.
namespace InputLimit {
inline constexpr qint64 JobSpec = 1 << 20;
inline constexpr qint64 ClusterProfile = 1 << 20;
inline constexpr qint64 ImportedFile = 4 << 20; // sbatch script, accelerate config, LLaMA-Factory YAML
inline constexpr qint64 SacctOutput = qint64(256) << 20; // read whole; the other logs are streamed
} // namespace InputLimit

struct InputFile
{
    QByteArray bytes;
    QString error; // "path: why"; empty on success
    bool ok() const { return error.isEmpty(); }
};

// Opens `path` for reading only when it is a regular file (or a Qt resource). The check is made on the
// opened descriptor (open with O_NONBLOCK, then fstat), so a FIFO without a writer never blocks and a
// file swapped between check and read is still the one checked. Returns an empty string with `file`
// open, otherwise "path: why" (no such file, is a folder, is a FIFO, is a device, ...).
QString openInputFile(const QString& path, QFile& file);

// openInputFile(), then the whole content when it is at most maxBytes; `kind` names the input for the
// size message ("a job spec"). A file that grows past the limit while being read is refused too.
InputFile readInputFile(const QString& path, qint64 maxBytes, const QString& kind);

// "1.5 MiB", for messages about sizes.
QString formatByteSize(qint64 bytes);

} // namespace TuneDeck
