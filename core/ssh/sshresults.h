#pragma once

#include "core/util/coreonly.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace TuneDeck {

// Results of the operations an SshConnection carries out. Each says whether it succeeded; when the
// connection dropped while it ran, `connectionLost` is set so callers can retry after the reconnect
// instead of treating it as a remote failure.

struct [[nodiscard]] SshCommandResult
{
    bool started = false; // the command ran (its exit status is meaningful)
    int exitStatus = -1;
    QByteArray standardOutput; // everything after TuneDeck's start marker (login-shell noise removed)
    QByteArray standardError;
    QString error; // why it did not run or did not finish
    bool connectionLost = false;

    bool ok() const { return started && exitStatus == 0 && error.isEmpty(); }
};

struct SftpFileInfo
{
    bool exists = false;
    qint64 size = 0;
    QDateTime modified; // UTC, second resolution
    quint32 permissions = 0;
};

struct [[nodiscard]] SftpStatResult
{
    QString path;
    SftpFileInfo info; // info.exists false with an empty error: no such file
    QString error;
    bool connectionLost = false;
    bool ok() const { return error.isEmpty(); }
};

struct [[nodiscard]] SftpReadResult
{
    QString path;
    qint64 offset = 0; // where `data` starts
    QByteArray data; // may be shorter than asked: end of file
    SftpFileInfo info; // the file's attributes at the time of the read (fstat)
    QString error;
    bool connectionLost = false;
    bool ok() const { return error.isEmpty(); }
};

struct SftpUploadFile
{
    QString name; // file name inside the remote directory: no '/'
    QByteArray content;
    int permissions = 0644;
};

struct [[nodiscard]] SftpUploadResult
{
    QString directory;
    QStringList written; // absolute remote paths, in order
    QString error;
    bool connectionLost = false;
    bool ok() const { return error.isEmpty(); }
};

} // namespace TuneDeck

Q_DECLARE_METATYPE(TuneDeck::SshCommandResult)
Q_DECLARE_METATYPE(TuneDeck::SftpStatResult)
Q_DECLARE_METATYPE(TuneDeck::SftpReadResult)
Q_DECLARE_METATYPE(TuneDeck::SftpUploadResult)
