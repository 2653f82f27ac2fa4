#include "core/telemetry/dmonreader.h"
#include "core/telemetry/dmonstorewriter.h"
#include "core/telemetry/metricstore.h"
#include "fuzzsupport.h"

using namespace TuneDeck::Telemetry;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto signature = [](const DmonReader& r) -> QByteArray {
        QByteArray s = r.columns().join(',') + '|' + QByteArray::number(r.rows()) + '|'
            + QByteArray::number(r.skipped()) + '|' + r.firstTimestamp() + '|' + r.lastTimestamp();
        for (int g : r.gpus()) {
            for (const QByteArray& c : r.allValueNames())
                s += '|' + QByteArray::number(r.mean(g, c).value_or(-1), 'g', 17);
        }
        return s;
    };
    TuneDeck::Fuzz::checkChunking<DmonReader>(data, size, signature);
    // Whole-buffer feeding is where the AVX-512 row kernel runs (where the CPU has it): it must agree with the
    // portable paths on any bytes.
    const QByteArrayView bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    DmonReader vector, portable;
    portable.setVectorKernel(false);
    vector.feed(bytes);
    vector.finish();
    portable.feed(bytes);
    portable.finish();
    if (signature(vector) != signature(portable)) {
        std::fprintf(stderr, "the vector kernel changed the result:\n%s\n%s\n", signature(vector).constData(),
            signature(portable).constData());
        std::abort();
    }
    // Through the store as well, and one view of everything that arrived.
    MetricStore store;
    DmonStoreWriter writer(store, QStringLiteral("r"), QStringLiteral("n"));
    DmonReader reader;
    reader.setSink(&writer);
    reader.feed(bytes);
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
