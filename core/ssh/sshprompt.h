#pragma once

#include "core/ssh/hostkeypolicy.h"
#include "core/ssh/sshtarget.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace TuneDeck {

// One question the SSH thread needs a human to answer. Every question goes through this one type, out
// through SshConnection::promptRequested and back through SshConnection::answerPrompt, so the CLI can
// answer on the terminal and the GUI with a dialog, and the SSH thread never waits in a nested loop.
struct SshPromptField
{
    QString text; // e.g. "Verification code: "
    bool echo = false; // false: a secret, read with echo off
};

struct SshPrompt
{
    enum class Kind {
        HostKey, // unknown host: accept (and remember) this key? hostKey is filled, no fields
        Passphrase, // one field: the passphrase of `keyFile`
        KeyboardInteractive, // one round of keyboard-interactive: zero or more fields
        Password, // one field
        Reconnect, // the connection dropped and logging in again needs a human: reconnect? no fields
    };
    quint64 id = 0;
    Kind kind = Kind::KeyboardInteractive;
    SshTarget target;
    QString name; // keyboard-interactive: the server's name for the round
    QString instruction; // keyboard-interactive: the server's instruction; Reconnect: why it dropped
    QString keyFile; // Passphrase
    HostKeyInfo hostKey; // HostKey
    QList<SshPromptField> fields;
};

// The reply to an SshPrompt with the same id. `accepted` false means cancel/no. The answers are secrets
// (codes, passphrases, passwords): whoever holds them wipes them with wipeSecret() after use.
struct SshPromptAnswer
{
    quint64 id = 0;
    bool accepted = false;
    QList<QByteArray> answers;
};

// Overwrites the bytes of a secret, in place, then clears it. QByteArray is implicitly shared and a
// queued signal copies share the same buffer, so we write through constData() on purpose: detaching
// first (data()) would wipe a private copy and leave the shared original readable.
void wipeSecret(QByteArray& secret);
void wipeSecrets(QList<QByteArray>& secrets);

} // namespace TuneDeck

Q_DECLARE_METATYPE(TuneDeck::SshPrompt)
Q_DECLARE_METATYPE(TuneDeck::SshPromptAnswer)
