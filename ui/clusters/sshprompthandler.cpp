#include "ui/clusters/sshprompthandler.h"

#include "core/remote/clustersessions.h"
#include "ui/clusters/sshpromptdialog.h"

#include <QWidget>

namespace TuneDeck::Ui {

SshPromptHandler::SshPromptHandler(ClusterSessions* sessions, QWidget* window)
    : QObject(window)
    , m_window(window)
{
    for (ClusterSession* session : sessions->sessions())
        watch(session);
    connect(sessions, &ClusterSessions::sessionAdded, this, &SshPromptHandler::watch);
}

void SshPromptHandler::watch(ClusterSession* session)
{
    QPointer<ClusterSession> guarded(session);
    connect(session, &ClusterSession::promptRequested, this, [this, guarded](const SshPrompt& prompt) {
        auto* dialog = new SshPromptDialog(prompt, m_window);
        connect(dialog, &SshPromptDialog::answered, this, [guarded](const SshPromptAnswer& answer) {
            if (guarded)
                guarded->answerPrompt(answer);
        });
        dialog->open();
    });
    connect(session, &ClusterSession::hostKeyRefused, this, [this](const HostKeyInfo& info) {
        auto* dialog = new HostKeyRefusedDialog(info, m_window);
        dialog->open();
    });
}

} // namespace TuneDeck::Ui
