#pragma once

#include "core/util/coreonly.h"

#include <QString>
#include <QStringList>

namespace TuneDeck {

// A command line for the remote login shell, built from text fixed by TuneDeck and user values.
// Fixed parts are appended verbatim with `fixed()`; every user value goes through `arg()`, which
// single-quotes it (core/util/shellquote.h), so no value can start a new command, expand a variable
// or be read as an option of its own (callers put `--` before values where the program supports it).
// A value that cannot be carried at all (a NUL byte) makes the command invalid instead of truncated.
class RemoteCommand
{
public:
    explicit RemoteCommand(QString fixedText = QString());

    RemoteCommand& fixed(QStringView text); // appended as is, preceded by a space
    RemoteCommand& arg(QStringView value); // appended quoted, preceded by a space

    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    QString toString() const { return m_text; }

private:
    QString m_text;
    QString m_error;
};

} // namespace TuneDeck
