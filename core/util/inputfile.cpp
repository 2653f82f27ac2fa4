#include "core/util/inputfile.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace TuneDeck {
namespace {

QString notRegular(mode_t mode)
{
    if (S_ISDIR(mode))
        return QStringLiteral("is a folder, not a file");
    if (S_ISFIFO(mode))
        return QStringLiteral("is a FIFO (named pipe), not a regular file");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return QStringLiteral("is a device, not a regular file");
    if (S_ISSOCK(mode))
        return QStringLiteral("is a socket, not a regular file");
    return QStringLiteral("is not a regular file");
}

} // namespace

QString formatByteSize(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 bytes").arg(bytes);
    static const char* const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return QString::number(value, 'f', value < 10 ? 1 : 0) + u' ' + QLatin1StringView(units[unit]);
}

QString openInputFile(const QString& path, QFile& file)
{
    if (path.isEmpty())
        return QStringLiteral("'': an empty file name");
    // Resources are compiled in (the bundled profiles): always regular, never blocking.
    if (path.startsWith(u":/")) {
        file.setFileName(path);
        if (!file.open(QIODevice::ReadOnly))
            return path + u": cannot read: " + file.errorString();
        return {};
    }
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        const int why = errno;
        return path + u": cannot read: " + QString::fromLocal8Bit(std::strerror(why));
    }
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        const QString why = S_ISREG(info.st_mode) ? QStringLiteral("cannot read") : notRegular(info.st_mode);
        ::close(fd);
        return path + u": " + why;
    }
    // A regular file never blocks; clear the flag so reads behave as usual.
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return path + u": cannot read: " + file.errorString();
    }
    return {};
}

InputFile readInputFile(const QString& path, qint64 maxBytes, const QString& kind)
{
    InputFile result;
    QFile file;
    if (const QString problem = openInputFile(path, file); !problem.isEmpty()) {
        result.error = problem;
        return result;
    }
    const auto tooLarge = [&](qint64 size) {
        return QStringLiteral("%1: %2 is more than the %3 %4 may have")
            .arg(path, formatByteSize(size), formatByteSize(maxBytes), kind);
    };
    if (file.size() > maxBytes) {
        result.error = tooLarge(file.size());
        return result;
    }
    // One byte more than allowed tells a file that grew while being read.
    result.bytes = file.read(maxBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        result.error = path + u": cannot read: " + file.errorString();
        result.bytes.clear();
    } else if (result.bytes.size() > maxBytes) {
        result.error = tooLarge(result.bytes.size());
        result.bytes.clear();
    }
    return result;
}

} // namespace TuneDeck
