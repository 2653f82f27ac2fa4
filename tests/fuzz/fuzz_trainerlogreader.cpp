#include "core/telemetry/trainerlogreader.h"
#include "fuzzsupport.h"

using namespace TuneDeck::Telemetry;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    TuneDeck::Fuzz::checkChunking<TrainerLogReader>(data, size, [](const TrainerLogReader& r) -> QByteArray {
        QByteArray s = QByteArray::number(r.setup().totalSteps.value_or(-1)) + '|'
            + QByteArray::number(r.setup().numExamples.value_or(-1)) + '|'
            + QByteArray::number(r.setup().trainableParams.value_or(-1)) + '|' + QByteArray::number(r.progress().size())
            + '|' + QByteArray::number(r.losses().size()) + '|' + QByteArray::number(r.evals().size()) + '|'
            + QByteArray::number(r.finalLoss().value_or(-1), 'g', 17) + '|' + terminationName(r.termination()).toUtf8()
            + '|' + QByteArray::number(r.issues().count());
        if (const auto p = r.lastProgress())
            s += '|' + QByteArray::number(p->step) + '/' + QByteArray::number(p->total);
        return s;
    });
    return 0;
}
