#pragma once

#include "core/job/clusterprofile.h"
#include "core/util/coreonly.h"

#include <QStringList>

#include <optional>

namespace TuneDeck {

// A cluster profile being added, edited or duplicated in the window: its YAML text, checked by the
// same loader as every profile file, so the errors are the usual `file:line: key: message`. Saved as
// <name>.yaml in the user's profiles folder, where a bundled profile of that name is overridden.
class ProfileDraft
{
public:
    // A new profile, starting from the bundled Baskerville one with a new name.
    static ProfileDraft newProfile(const QString& userFolder);
    // Edits a user profile file in place.
    static std::optional<ProfileDraft> edit(const QString& path, QString* error = nullptr);
    // A copy of any profile (bundled or the user's) under a new name, to be saved as a new file.
    static ProfileDraft duplicate(const ClusterProfile& profile, const QString& userFolder);

    const QByteArray& text() const { return m_text; }
    void setText(const QByteArray& text);
    // The loader's errors for the current text, and the clash with another file (a new profile whose
    // name an existing user profile already has). Empty: the draft can be saved.
    const QStringList& errors() const { return m_errors; }
    bool isValid() const { return m_errors.isEmpty(); }
    // Where save() writes: the edited file, or <folder>/<name>.yaml for a new profile.
    QString targetPath() const;
    // Writes the text atomically. Returns an error message, empty on success.
    QString save() const;
    const std::optional<ClusterProfile>& profile() const { return m_profile; }

private:
    ProfileDraft(QString userFolder, QString editedPath, QByteArray text);
    void check();

    QString m_userFolder;
    QString m_editedPath; // empty for a new file
    QByteArray m_text;
    QStringList m_errors;
    std::optional<ClusterProfile> m_profile;
};

} // namespace TuneDeck
