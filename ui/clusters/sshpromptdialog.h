#pragma once

#include "core/ssh/sshprompt.h"

#include <QDialog>

class QLineEdit;

namespace TuneDeck::Ui {

// One question from the SSH thread, as a dialog: an unknown host key (host, port, key type, SHA-256
// fingerprint; accept and remember, or cancel), one keyboard-interactive round (a field per prompt,
// echo off where the server says so: the one-time code), a key passphrase, a password, or "the
// connection dropped; log in again?". Opened non-modally with open(); the answer goes out through
// answered() once, on accept or cancel. Nothing typed is kept: the fields are cleared as the answer
// leaves, and the caller's copy is wiped by the SSH thread after use.
class SshPromptDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SshPromptDialog(const SshPrompt& prompt, QWidget* parent = nullptr);
    ~SshPromptDialog() override;

    const SshPrompt& prompt() const { return m_prompt; }
    QList<QLineEdit*> fields() const { return m_fields; }

    void done(int result) override;

Q_SIGNALS:
    void answered(const TuneDeck::SshPromptAnswer& answer);

private:
    SshPrompt m_prompt;
    QList<QLineEdit*> m_fields;
    bool m_answered = false;
};

// The host key is not the one on record: both fingerprints, where the record is, what to do. There is
// deliberately no way to connect anyway (STYLE.md item 12).
class HostKeyRefusedDialog : public QDialog
{
    Q_OBJECT
public:
    explicit HostKeyRefusedDialog(const HostKeyInfo& info, QWidget* parent = nullptr);
};

} // namespace TuneDeck::Ui
