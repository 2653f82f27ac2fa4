#pragma once

#include "core/util/coreonly.h"

#include <QByteArrayView>
#include <QString>

namespace TuneDeck::Telemetry {

enum class LogFormat { Unknown, Dmon, Vmstat, TrainerLog, TrainerJsonl, Sacct };

// "dmon", "vmstat", "trainer-log", "trainer-jsonl", "sacct" (the names `tunedeck inspect` prints).
QString formatName(LogFormat format);
LogFormat formatFromName(QStringView name);

// Decides from the first bytes of a file (64 KiB are plenty) what it holds, by content only: run
// directories name their files freely (dmon.txt, gpu.log, cpu.txt, stdout-890671.out).
LogFormat detectFormat(QByteArrayView head);

} // namespace TuneDeck::Telemetry
