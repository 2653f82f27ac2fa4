#include "core/telemetry/vmstatreader.h"
#include "fuzzsupport.h"

using namespace TuneDeck::Telemetry;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    TuneDeck::Fuzz::checkChunking<VmstatReader>(data, size, [](const VmstatReader& r) -> QByteArray {
        QByteArray s = r.columns().join(',') + '|' + r.timeZone() + '|' + QByteArray::number(r.rows()) + '|'
            + QByteArray::number(r.sinceBootRows()) + '|' + QByteArray::number(r.skipped());
        for (const QByteArray& c : r.columns())
            s += '|' + QByteArray::number(r.mean(c).value_or(-1), 'g', 17);
        return s;
    });
    return 0;
}
