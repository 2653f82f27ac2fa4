// Test helper for tst_archivecrash: streams numbered lines into one file of one run of an archive, one
// transaction per line as RunRecorder does, and prints "committed N" after each. Started again on the
// same archive it resumes after the last stored line, as TuneDeck resumes following from stored offsets.
//   archive_stream_writer ARCHIVE RUN-NAME LINES
#include "core/archive/runarchive.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace TuneDeck::Archive;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4)
        return 2;
    RunArchive archive;
    if (const QString error = archive.open(args[1]); !error.isEmpty()) {
        QTextStream(stderr) << error << '\n';
        return 1;
    }
    const QString source = QStringLiteral("test:") + args[2];
    ArchivedRun run = archive.runBySource(source).value_or(ArchivedRun {});
    if (run.id == 0) {
        run.source = source;
        run.name = args[2];
        if (const QString error = archive.saveRun(run); !error.isEmpty()) {
            QTextStream(stderr) << error << '\n';
            return 1;
        }
    }
    ArchivedFile file;
    file.kind = FileKind::TrainerLog;
    file.path = QStringLiteral("/remote/run/slurm-1.out");
    if (const QString error = archive.addFile(run.id, file); !error.isEmpty()) {
        QTextStream(stderr) << error << '\n';
        return 1;
    }
    // Where the stored text ends decides the next line number: resume, never repeat.
    qint64 offset = 0;
    qint64 next = 0;
    for (const ArchivedFile& f : archive.files(run.id)) {
        if (f.id == file.id) {
            offset = f.offset;
            next = f.tail.isEmpty()
                ? 0
                : f.tail.split('\n').value(f.tail.split('\n').size() - 2).split(' ').value(1).toLongLong() + 1;
        }
    }
    const qint64 lines = args[3].toLongLong();
    for (qint64 i = next; i < lines; ++i) {
        const QByteArray line = "line " + QByteArray::number(i) + " " + QByteArray(40, 'x') + '\n';
        if (const QString error = archive.appendBytes(file.id, 1, offset, line, line); !error.isEmpty()) {
            QTextStream(stderr) << error << '\n';
            return 1;
        }
        offset += line.size();
        std::printf("committed %lld\n", static_cast<long long>(i));
        std::fflush(stdout);
    }
    return 0;
}
