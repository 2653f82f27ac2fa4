#include "core/ssh/remotecommand.h"

#include "core/util/shellquote.h"

namespace TuneDeck {

RemoteCommand::RemoteCommand(QString fixedText)
    : m_text(std::move(fixedText))
{ }

RemoteCommand& RemoteCommand::fixed(QStringView text)
{
    if (!m_text.isEmpty())
        m_text += u' ';
    m_text += text;
    return *this;
}

RemoteCommand& RemoteCommand::arg(QStringView value)
{
    // The SSH exec request carries a C string: a NUL would silently cut the command short.
    if (value.contains(QChar(0)) && m_error.isEmpty())
        m_error = QStringLiteral("a value contains a NUL character, which cannot be passed to a remote command");
    if (!m_text.isEmpty())
        m_text += u' ';
    m_text += shellSingleQuote(value);
    return *this;
}

} // namespace TuneDeck
