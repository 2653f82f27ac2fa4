#pragma once

#include <QObject>
#include <QPointer>

class QWidget;

namespace TuneDeck {
class ClusterSession;
class ClusterSessions;
} // namespace TuneDeck

namespace TuneDeck::Ui {

// Answers the SSH questions of every cluster session with dialogs over `window`: each prompt opens a
// non-modal SshPromptDialog (no nested event loop; the SSH thread waits for the answer, the window
// does not), a refused host key the error dialog. The window's counterpart of the CLI's
// TerminalPrompter.
class SshPromptHandler : public QObject
{
    Q_OBJECT
public:
    SshPromptHandler(ClusterSessions* sessions, QWidget* window);

private:
    void watch(ClusterSession* session);

    QPointer<QWidget> m_window;
};

} // namespace TuneDeck::Ui
