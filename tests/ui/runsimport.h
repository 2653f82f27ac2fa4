#pragma once

#include "ui/runs/runspage.h"

#include <QSignalSpy>

namespace TuneDeck::Test {

// RunsPage imports on a worker thread; tests wait for its importFinished(). -1: it never finished.
inline qint64 importAndWait(Ui::RunsPage* page, const QStringList& paths, int timeoutMs = 30000)
{
    QSignalSpy finished(page, &Ui::RunsPage::importFinished);
    page->importPaths(paths);
    if (!finished.wait(timeoutMs))
        return -1;
    return finished.first().first().toLongLong();
}

} // namespace TuneDeck::Test
