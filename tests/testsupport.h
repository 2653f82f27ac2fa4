#pragma once

// Small helpers shared by the test suites (header-only; tests link library targets, not sources).

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

namespace TuneDeck::Test {

inline QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read test file %s", qPrintable(path));
    return file.readAll();
}

inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        qFatal("cannot write test file %s", qPrintable(path));
}

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a program to completion (2 minutes at most) and returns its exit code and output.
inline ProcessResult runProgram(const QString& program, const QStringList& arguments,
    const QString& workingDirectory = {}, const QByteArray& input = {})
{
    QProcess process;
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(program, arguments);
    if (!process.waitForStarted())
        return { -1, {}, QByteArray("cannot start ") + program.toUtf8() };
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(120000);
    return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
        process.readAllStandardError() };
}

inline ProcessResult runTunedeck(const QStringList& arguments, const QString& workingDirectory = {})
{
    return runProgram(QStringLiteral(TUNEDECK_BINARY), arguments, workingDirectory);
}

// Compares generated text with a golden file the way hotspot's tests do: the actual text is written
// beside the expected one (*.actual) and the diff printed, so a reviewer sees exactly what changed.
// TUNEDECK_UPDATE_GOLDEN=1 rewrites the expected files instead (review the git diff afterwards).
inline bool matchesGolden(const QString& expectedPath, const QByteArray& actual)
{
    if (qEnvironmentVariableIntValue("TUNEDECK_UPDATE_GOLDEN") == 1) {
        writeFile(expectedPath, actual);
        return true;
    }
    const QString actualPath = expectedPath + QStringLiteral(".actual");
    writeFile(actualPath, actual);
    QFile expected(expectedPath);
    if (expected.open(QIODevice::ReadOnly) && expected.readAll() == actual) {
        QFile::remove(actualPath);
        return true;
    }
    const ProcessResult diff = runProgram(QStringLiteral("diff"), { QStringLiteral("-u"), expectedPath, actualPath });
    qWarning().noquote() << "golden mismatch:" << expectedPath << "\n" << QString::fromUtf8(diff.out);
    return false;
}

// One figure of run `index` in the "runs" of `tunedeck runs/compare --json`: runs[index].figures[key].
inline QJsonValue runFigure(const QJsonArray& runs, qsizetype index, const QString& key)
{
    return runs.at(index).toObject().value(QStringLiteral("figures")).toObject().value(key);
}

} // namespace TuneDeck::Test
