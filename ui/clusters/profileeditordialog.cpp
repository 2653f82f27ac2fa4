#include "ui/clusters/profileeditordialog.h"

#include "ui/design/filehighlighter.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace TuneDeck::Ui {

ProfileEditorDialog::ProfileEditorDialog(const ProfileDraft& draft, const QString& title, QWidget* parent)
    : QDialog(parent)
    , m_draft(draft)
    , m_editor(new QPlainTextEdit)
    , m_status(new QLabel)
{
    setWindowTitle(title);
    setAttribute(Qt::WA_DeleteOnClose);
    auto* intro = new QLabel(tr("The profile's YAML (the format is described at the top of the bundled "
                                "Baskerville profile). It is checked as you type."));
    intro->setWordWrap(true);
    auto* editorLabel = new QLabel(tr("&Profile"));
    editorLabel->setBuddy(m_editor);
    m_editor->setObjectName(QStringLiteral("profileText"));
    m_editor->setAccessibleName(tr("Profile"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setPlainText(QString::fromUtf8(draft.text()));
    new FileHighlighter(FileHighlighter::Language::Yaml, m_editor->document());
    m_status->setObjectName(QStringLiteral("profileErrors"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setAccessibleName(m_save->text().remove(u'&'));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(editorLabel);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(720, 560);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &ProfileEditorDialog::check);
    connect(m_editor, &QPlainTextEdit::textChanged, &m_debounce, qOverload<>(&QTimer::start));
    check();
}

void ProfileEditorDialog::check()
{
    m_draft.setText(m_editor->toPlainText().toUtf8());
    m_save->setEnabled(m_draft.isValid());
    if (m_draft.isValid())
        m_status->setText(tr("No errors. Saved as %1").arg(m_draft.targetPath()));
    else
        m_status->setText(m_draft.errors().join(u'\n'));
}

void ProfileEditorDialog::accept()
{
    m_debounce.stop();
    check();
    if (!m_draft.isValid())
        return;
    if (const QString error = m_draft.save(); !error.isEmpty()) {
        m_status->setText(tr("Not saved: %1").arg(error));
        return;
    }
    Q_EMIT saved(m_draft.targetPath(), m_draft.profile()->name);
    QDialog::accept();
}

} // namespace TuneDeck::Ui
