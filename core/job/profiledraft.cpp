#include "core/job/profiledraft.h"

#include "core/job/profileloader.h"
#include "core/util/atomicfiles.h"
#include "core/util/inputfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace TuneDeck {
namespace {

QByteArray bundledText(const QString& name)
{
    QFile file(u":/tunedeck/profiles/" + name + u".yaml");
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The text with its `name:` (and `display_name:`) replaced, keeping everything else as written.
QByteArray renamed(QByteArray text, const QString& name, const QString& displayName)
{
    static const QRegularExpression nameLine(QStringLiteral("^name:.*$"), QRegularExpression::MultilineOption);
    static const QRegularExpression displayLine(
        QStringLiteral("^display_name:.*$"), QRegularExpression::MultilineOption);
    QString s = QString::fromUtf8(text);
    s.replace(nameLine, u"name: " + name);
    s.replace(displayLine, u"display_name: \"" + displayName + u'"');
    return s.toUtf8();
}

// "baskerville-2", "baskerville-3", ...: a name no file in the folder has yet.
QString freeName(const QString& base, const QString& folder)
{
    for (int n = 2;; ++n) {
        const QString candidate = base + u'-' + QString::number(n);
        if (!QFileInfo::exists(QDir(folder).filePath(candidate + u".yaml")))
            return candidate;
    }
}

} // namespace

ProfileDraft::ProfileDraft(QString userFolder, QString editedPath, QByteArray text)
    : m_userFolder(std::move(userFolder))
    , m_editedPath(std::move(editedPath))
    , m_text(std::move(text))
{
    check();
}

ProfileDraft ProfileDraft::newProfile(const QString& userFolder)
{
    const QString name = freeName(QStringLiteral("my-cluster"), userFolder);
    return ProfileDraft(userFolder, QString(), renamed(bundledText(QStringLiteral("baskerville")), name, name));
}

std::optional<ProfileDraft> ProfileDraft::edit(const QString& path, QString* error)
{
    const InputFile file = readInputFile(path, InputLimit::ClusterProfile, QStringLiteral("a cluster profile"));
    if (!file.ok()) {
        if (error)
            *error = file.error;
        return std::nullopt;
    }
    return ProfileDraft(QFileInfo(path).absolutePath(), path, file.bytes);
}

ProfileDraft ProfileDraft::duplicate(const ClusterProfile& profile, const QString& userFolder)
{
    QByteArray text;
    if (profile.sourceFile.startsWith(u':')) {
        QFile bundled(profile.sourceFile);
        if (bundled.open(QIODevice::ReadOnly))
            text = bundled.readAll();
    } else {
        text = readInputFile(profile.sourceFile, InputLimit::ClusterProfile, QString()).bytes;
    }
    const QString name = freeName(profile.name, userFolder);
    return ProfileDraft(userFolder, QString(), renamed(text, name, profile.displayName + u" (copy)"));
}

void ProfileDraft::setText(const QByteArray& text)
{
    m_text = text;
    check();
}

QString ProfileDraft::targetPath() const
{
    if (!m_editedPath.isEmpty())
        return m_editedPath;
    return m_profile ? QDir(m_userFolder).filePath(m_profile->name + u".yaml") : QString();
}

void ProfileDraft::check()
{
    const QString source = m_editedPath.isEmpty() ? QStringLiteral("new profile") : QFileInfo(m_editedPath).fileName();
    const ProfileLoadResult loaded = loadProfileFromYaml(m_text, source);
    m_errors = loaded.errors;
    m_profile.reset();
    if (!loaded.ok())
        return;
    m_profile = loaded.profile;
    // The loader refuses names that are not letters, digits, '_', '.', '-', so the name is a safe file name.
    if (m_editedPath.isEmpty() && QFileInfo::exists(targetPath()))
        m_errors.append(source + u": name: a profile file " + targetPath() + u" exists already; pick another name");
}

QString ProfileDraft::save() const
{
    if (!isValid())
        return m_errors.value(0);
    return writeFilesAtomically({ { targetPath(), m_text } });
}

} // namespace TuneDeck
