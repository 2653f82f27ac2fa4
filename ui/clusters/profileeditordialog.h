#pragma once

#include "core/job/profiledraft.h"

#include <QDialog>
#include <QTimer>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace TuneDeck::Ui {

// Adds, edits or duplicates a cluster profile: its YAML, checked as you type by the same loader as
// every profile file (the errors are the usual `file:line: key: message`), saved atomically into the
// user's profiles folder only when it has no error.
class ProfileEditorDialog : public QDialog
{
    Q_OBJECT
public:
    ProfileEditorDialog(const ProfileDraft& draft, const QString& title, QWidget* parent = nullptr);

    QPlainTextEdit* editor() const { return m_editor; }
    QPushButton* saveButton() const { return m_save; }
    const ProfileDraft& draft() const { return m_draft; }

    void accept() override;

Q_SIGNALS:
    void saved(const QString& path, const QString& profileName);

private:
    void check();

    ProfileDraft m_draft;
    QPlainTextEdit* m_editor;
    QLabel* m_status;
    QPushButton* m_save;
    QTimer m_debounce;
};

} // namespace TuneDeck::Ui
