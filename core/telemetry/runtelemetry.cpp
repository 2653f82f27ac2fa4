#include "core/telemetry/runtelemetry.h"

#include "core/telemetry/dmonreader.h"
#include "core/telemetry/dmonstorewriter.h"
#include "core/telemetry/trainerjsonlreader.h"
#include "core/telemetry/trainerlogreader.h"
#include "core/telemetry/vmstatreader.h"
#include "core/telemetry/vmstatstorewriter.h"

namespace TuneDeck::Telemetry {

struct RunTelemetry::Source
{
    int attempt = 1;
    qint64 bytes = 0;
    std::unique_ptr<DmonStoreWriter> dmonWriter;
    std::unique_ptr<DmonReader> dmon;
    std::unique_ptr<VmstatStoreWriter> vmstatWriter;
    std::unique_ptr<VmstatReader> vmstat;
    std::unique_ptr<TrainerLogReader> log;
    std::unique_ptr<TrainerJsonlReader> jsonl;
};

RunTelemetry::RunTelemetry(QString runId, qint64 dmonIntervalMs, qint64 vmstatIntervalMs)
    : m_runId(std::move(runId))
    , m_dmonIntervalMs(dmonIntervalMs)
    , m_vmstatIntervalMs(vmstatIntervalMs)
{ }

RunTelemetry::~RunTelemetry() = default;

QString RunTelemetry::key(TelemetryFile file, const QString& node) const
{
    const bool perNode = file == TelemetryFile::Dmon || file == TelemetryFile::Vmstat;
    return QString::number(int(file)) + QLatin1Char('\n') + (perNode ? node : QString());
}

RunTelemetry::Source& RunTelemetry::source(TelemetryFile file, const QString& node)
{
    std::shared_ptr<Source>& s = m_sources[key(file, node)];
    if (!s)
        s = std::make_shared<Source>();
    if (s->dmon || s->vmstat || s->log || s->jsonl)
        return *s;
    const QString run = s->attempt == 1 ? m_runId : m_runId + QLatin1Char('#') + QString::number(s->attempt);
    switch (file) {
    case TelemetryFile::Dmon:
        s->dmonWriter = std::make_unique<DmonStoreWriter>(m_store, run, node, m_dmonIntervalMs);
        s->dmon = std::make_unique<DmonReader>();
        s->dmon->setSink(s->dmonWriter.get());
        s->dmon->setVectorKernel(m_vectorKernel);
        break;
    case TelemetryFile::Vmstat:
        s->vmstatWriter = std::make_unique<VmstatStoreWriter>(m_store, run, node, m_vmstatIntervalMs);
        s->vmstat = std::make_unique<VmstatReader>();
        s->vmstat->setSink(s->vmstatWriter.get());
        break;
    case TelemetryFile::TrainerLog:
        s->log = std::make_unique<TrainerLogReader>();
        break;
    case TelemetryFile::TrainerJsonl:
        s->jsonl = std::make_unique<TrainerJsonlReader>();
        break;
    }
    return *s;
}

void RunTelemetry::feed(TelemetryFile file, const QString& node, QByteArrayView bytes)
{
    Source& s = source(file, node);
    s.bytes += bytes.size();
    if (s.dmon)
        s.dmon->feed(bytes);
    else if (s.vmstat)
        s.vmstat->feed(bytes);
    else if (s.log)
        s.log->feed(bytes);
    else if (s.jsonl)
        s.jsonl->feed(bytes);
}

void RunTelemetry::finish(TelemetryFile file, const QString& node)
{
    Source& s = source(file, node);
    if (s.dmon)
        s.dmon->finish();
    else if (s.vmstat)
        s.vmstat->finish();
    else if (s.log)
        s.log->finish();
    else if (s.jsonl)
        s.jsonl->finish();
}

void RunTelemetry::restart(TelemetryFile file, const QString& node)
{
    // No finish(): a partial last line of the old file will never be completed, so it is dropped unread.
    Source& s = source(file, node);
    const int next = s.attempt + 1;
    // The training outputs of the old attempt stay readable until the new attempt writes its own.
    s = Source {};
    s.attempt = next;
}

int RunTelemetry::attempt(TelemetryFile file, const QString& node) const
{
    const auto it = m_sources.constFind(key(file, node));
    return it == m_sources.cend() ? 1 : it.value()->attempt;
}

qint64 RunTelemetry::bytesFed(TelemetryFile file, const QString& node) const
{
    const auto it = m_sources.constFind(key(file, node));
    return it == m_sources.cend() ? 0 : it.value()->bytes;
}

const TrainerLogReader* RunTelemetry::trainerLog() const
{
    const auto it = m_sources.constFind(key(TelemetryFile::TrainerLog, {}));
    return it == m_sources.cend() ? nullptr : it.value()->log.get();
}

const TrainerJsonlReader* RunTelemetry::trainerJsonl() const
{
    const auto it = m_sources.constFind(key(TelemetryFile::TrainerJsonl, {}));
    return it == m_sources.cend() ? nullptr : it.value()->jsonl.get();
}

RunFigures RunTelemetry::figures(const RunTiming& timing) const
{
    return computeRunFigures(trainerLog(), trainerJsonl(), timing);
}

} // namespace TuneDeck::Telemetry
