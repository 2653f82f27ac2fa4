#include "ui/clusters/sshpromptdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace TuneDeck::Ui {
namespace {

QLabel* wrapped(const QString& text)
{
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel* mono(const QString& text, const QString& accessibleName)
{
    auto* label = new QLabel(text);
    QFont font = label->font();
    font.setFamily(QStringLiteral("monospace"));
    font.setStyleHint(QFont::Monospace);
    label->setFont(font);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setAccessibleName(accessibleName);
    return label;
}

QString promptLabel(const SshPromptField& field)
{
    QString text = field.text.trimmed();
    if (text.endsWith(u':'))
        text.chop(1);
    return text.isEmpty() ? SshPromptDialog::tr("Answer") : text;
}

} // namespace

SshPromptDialog::SshPromptDialog(const SshPrompt& prompt, QWidget* parent)
    : QDialog(parent)
    , m_prompt(prompt)
{
    const QString host = prompt.target.displayName();
    auto* layout = new QVBoxLayout(this);
    auto* buttons = new QDialogButtonBox;
    auto* form = new QFormLayout;
    QPushButton* ok = nullptr;
    switch (prompt.kind) {
    case SshPrompt::Kind::HostKey: {
        const HostKeyInfo& key = prompt.hostKey;
        setWindowTitle(tr("Unknown host key"));
        layout->addWidget(wrapped(tr("TuneDeck has never connected to <b>%1</b> before. Check that the fingerprint "
                                     "below is the one your cluster publishes before you accept it.")
                                      .arg(key.hostForKnownHosts().toHtmlEscaped())));
        form->addRow(tr("Host:"), mono(key.host, tr("Host")));
        form->addRow(tr("Port:"), mono(QString::number(key.port), tr("Port")));
        form->addRow(tr("Key type:"), mono(key.keyType, tr("Key type")));
        form->addRow(tr("Fingerprint:"), mono(key.fingerprint, tr("Fingerprint")));
        form->addRow(tr("Remembered in:"), mono(key.knownHostsFile, tr("Remembered in")));
        ok = buttons->addButton(tr("&Accept and remember"), QDialogButtonBox::AcceptRole);
        buttons->addButton(QDialogButtonBox::Cancel);
        break;
    }
    case SshPrompt::Kind::Reconnect:
        setWindowTitle(tr("Connection lost"));
        layout->addWidget(wrapped(
            prompt.instruction.isEmpty() ? tr("The connection to %1 was lost.").arg(host) : prompt.instruction));
        layout->addWidget(wrapped(tr("Logging in again needs you (a new one-time code). Reconnect now?")));
        ok = buttons->addButton(tr("&Reconnect"), QDialogButtonBox::AcceptRole);
        buttons->addButton(tr("&Not now"), QDialogButtonBox::RejectRole);
        break;
    case SshPrompt::Kind::Passphrase:
    case SshPrompt::Kind::Password:
    case SshPrompt::Kind::KeyboardInteractive: {
        if (prompt.kind == SshPrompt::Kind::Passphrase) {
            setWindowTitle(tr("Key passphrase"));
            layout->addWidget(wrapped(tr("Enter the passphrase of the key %1 to log in to %2.")
                                          .arg(prompt.keyFile.toHtmlEscaped(), host.toHtmlEscaped())));
        } else if (prompt.kind == SshPrompt::Kind::Password) {
            setWindowTitle(tr("Password"));
            layout->addWidget(wrapped(tr("Enter your password for %1.").arg(host.toHtmlEscaped())));
        } else {
            setWindowTitle(prompt.name.isEmpty() ? tr("Log in to %1").arg(host) : prompt.name);
            layout->addWidget(wrapped(tr("%1 asks:").arg(host.toHtmlEscaped())));
            if (!prompt.instruction.isEmpty())
                layout->addWidget(wrapped(prompt.instruction.toHtmlEscaped()));
        }
        QList<SshPromptField> fields = prompt.fields;
        if (fields.isEmpty() && prompt.kind != SshPrompt::Kind::KeyboardInteractive)
            fields.append({ prompt.kind == SshPrompt::Kind::Passphrase ? tr("Passphrase") : tr("Password"), false });
        for (const SshPromptField& field : std::as_const(fields)) {
            auto* edit = new QLineEdit;
            edit->setEchoMode(field.echo ? QLineEdit::Normal : QLineEdit::Password);
            // A secret: no undo history or drag out of the field, no completion.
            edit->setDragEnabled(false);
            edit->setInputMethodHints(Qt::ImhSensitiveData | Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase);
            const QString label = promptLabel(field);
            edit->setAccessibleName(label);
            auto* text = new QLabel(label);
            text->setBuddy(edit);
            form->addRow(text, edit);
            m_fields.append(edit);
        }
        ok = buttons->addButton(tr("&Log in"), QDialogButtonBox::AcceptRole);
        buttons->addButton(QDialogButtonBox::Cancel);
        break;
    }
    }
    layout->addLayout(form);
    layout->addWidget(buttons);
    if (ok)
        ok->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (!m_fields.isEmpty())
        m_fields.front()->setFocus();
    setAttribute(Qt::WA_DeleteOnClose);
}

SshPromptDialog::~SshPromptDialog()
{
    // Closed some other way (the window quit): the SSH thread must not wait for ever.
    if (!m_answered)
        Q_EMIT answered({ m_prompt.id, false, {} });
}

void SshPromptDialog::done(int result)
{
    if (!m_answered) {
        m_answered = true;
        SshPromptAnswer answer;
        answer.id = m_prompt.id;
        answer.accepted = result == QDialog::Accepted;
        for (QLineEdit* edit : std::as_const(m_fields)) {
            if (answer.accepted)
                answer.answers.append(edit->text().toUtf8());
            edit->clear(); // the widget keeps no copy once the answer has gone
        }
        // Not wiped here: the queued copies on their way to the SSH thread share this buffer, and the SSH
        // thread wipes it after use (SshPromptAnswer, wipeSecret()).
        Q_EMIT answered(answer);
    }
    QDialog::done(result);
}

HostKeyRefusedDialog::HostKeyRefusedDialog(const HostKeyInfo& info, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Host key changed: not connecting"));
    auto* layout = new QVBoxLayout(this);
    auto* head = new QHBoxLayout;
    auto* icon = new QLabel;
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(48, 48));
    head->addWidget(icon, 0, Qt::AlignTop);
    const bool changed = info.state == KnownHostState::Changed || info.state == KnownHostState::OtherType;
    head->addWidget(
        wrapped(changed
                ? tr("<b>The host key of %1 is not the one on record.</b> Someone could be intercepting the connection "
                     "(a man-in-the-middle attack), or the cluster's key was replaced. TuneDeck will not connect.")
                      .arg(info.hostForKnownHosts().toHtmlEscaped())
                : tr("<b>The host key of %1 cannot be checked</b>: the known hosts file could not be read. TuneDeck "
                     "will "
                     "not connect.")
                      .arg(info.hostForKnownHosts().toHtmlEscaped())),
        1);
    layout->addLayout(head);
    auto* form = new QFormLayout;
    form->addRow(tr("Key on record:"),
        mono((info.knownKeyType.isEmpty() ? QString() : info.knownKeyType + u' ')
                + (info.knownFingerprint.isEmpty() ? tr("(fingerprint not available)") : info.knownFingerprint),
            tr("Key on record")));
    form->addRow(tr("Key offered now:"), mono(info.keyType + u' ' + info.fingerprint, tr("Key offered now")));
    form->addRow(tr("Record:"), mono(info.knownHostsFile, tr("Record")));
    layout->addLayout(form);
    layout->addWidget(wrapped(tr("What to do: ask the cluster's administrators whether the key changed and what its "
                                 "new fingerprint is. Only if it did, remove the old entry, e.g. with "
                                 "<code>ssh-keygen -R '%1'</code>, and connect again to check the new one.")
                                  .arg(info.hostForKnownHosts().toHtmlEscaped())));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setAttribute(Qt::WA_DeleteOnClose);
}

} // namespace TuneDeck::Ui
