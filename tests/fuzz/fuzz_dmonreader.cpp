#include "core/telemetry/dmonreader.h"
#include "core/telemetry/dmonstorewriter.h"
#include "core/telemetry/metricstore.h"
#include "fuzzsupport.h"

using namespace TuneDeck::Telemetry;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    TuneDeck::Fuzz::checkChunking<DmonReader>(data, size, [](const DmonReader& r) -> QByteArray {
        QByteArray s = r.columns().join(',') + '|' + QByteArray::number(r.rows()) + '|'
            + QByteArray::number(r.skipped()) + '|' + r.firstTimestamp() + '|' + r.lastTimestamp();
        for (int g : r.gpus()) {
            for (const QByteArray& c : r.allValueNames())
                s += '|' + QByteArray::number(r.mean(g, c).value_or(-1), 'g', 17);
        }
        return s;
    });
    // Through the store as well, and one view of everything that arrived.
    MetricStore store;
    DmonStoreWriter writer(store, QStringLiteral("r"), QStringLiteral("n"));
    DmonReader reader;
    reader.setSink(&writer);
    reader.feed(QByteArrayView(reinterpret_cast<const char*>(data), qsizetype(size)));
    reader.finish();
    for (int id = 0; id < store.seriesKeys().size(); ++id) {
        if (const auto range = store.timeRange(id)) {
            const auto fast = store.view(id, range->first, range->second + 1, 7);
            const auto slow = store.viewFromRaw(id, range->first, range->second + 1, 7);
            if (fast.size() != slow.size())
                std::abort();
        }
    }
    return 0;
}
