#pragma once

#include "core/archive/archivedrun.h"
#include "core/util/coreonly.h"

#include <QList>
#include <QStringList>

namespace TuneDeck::Archive {

class RunArchive;

// A run read from files already on disk: a folder laid out like the walkthrough's (dmon.txt, cpu.txt,
// stdout-<id>.out), a LLaMA-Factory output folder (trainer_log.jsonl), TuneDeck's own run folder
// (slurm-<id>.out, telemetry/dmon-<id>-<node>.txt), per-node files, and the sbatch script and YAMLs when
// present. What each file holds is read from its content (Telemetry::detectFormat, detectImportKind);
// node names come only from file or folder names, and a file without one is the batch host's.
struct RunFolderImport
{
    struct File
    {
        ArchivedFile file;
        QByteArray bytes;
    };
    ArchivedRun run;
    QList<File> files;
    QStringList errors; // "file: why" or "file:line: why"; the run is not archived when there are any
    QStringList notes; // what was read how, lines skipped ("file:line: why"), what was left out
    bool ok() const { return errors.isEmpty(); }
};

// Reads the files (a folder is searched two levels deep for the names above). name: the run's name
// (default: the folder's or first file's name).
RunFolderImport readRunFiles(const QStringList& paths, const QString& name = {});

struct ArchiveImportResult
{
    qint64 runId = 0;
    bool alreadyArchived = false; // the same folder or files were imported before: nothing added
    QString error;
};
// Stores an import (ok() only) with its figures; the same source a second time is not duplicated.
ArchiveImportResult archiveImport(RunArchive& archive, RunFolderImport& import);

} // namespace TuneDeck::Archive
