#include "core/telemetry/trainerjsonlreader.h"
#include "fuzzsupport.h"

using namespace TuneDeck::Telemetry;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    TuneDeck::Fuzz::checkChunking<TrainerJsonlReader>(data, size, [](const TrainerJsonlReader& r) -> QByteArray {
        return QByteArray::number(r.entries().size()) + '|' + QByteArray::number(r.currentSteps().value_or(-1)) + '|'
            + QByteArray::number(r.totalSteps().value_or(-1)) + '|'
            + QByteArray::number(r.finalLoss().value_or(-1), 'g', 17) + '|'
            + QByteArray::number(r.remainingSeconds().value_or(-1)) + '|' + QByteArray::number(r.issues().count());
    });
    return 0;
}
