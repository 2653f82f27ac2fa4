#include "core/telemetry/samplescsv.h"

#include <cmath>

namespace TuneDeck::Telemetry {
namespace {

QByteArray csvField(const QString& text)
{
    QByteArray bytes = text.toUtf8();
    if (!bytes.contains(',') && !bytes.contains('"') && !bytes.contains('\n') && !bytes.contains('\r'))
        return bytes;
    bytes.replace('"', "\"\"");
    return '"' + bytes + '"';
}

} // namespace

QByteArray samplesCsv(const MetricStore& store, const QList<int>& series, qint64 t0, qint64 t1, qint64 origin)
{
    QByteArray out("seconds,node,gpu,metric,value\n");
    for (int id : series) {
        const SeriesKey& key = store.key(id);
        const QByteArray prefix = ',' + csvField(key.node) + ','
            + (key.gpu >= 0 ? QByteArray::number(key.gpu) : QByteArray()) + ',' + csvField(key.metric) + ',';
        for (const auto& [t, value] : store.samples(id, t0, t1)) {
            const qint64 ms = t - origin;
            // Exact decimal seconds from integer milliseconds (no binary-float rounding in the file).
            out += (ms < 0 ? "-" : "") + QByteArray::number(std::abs(ms) / 1000) + '.'
                + QByteArray::number(std::abs(ms) % 1000).rightJustified(3, '0');
            out += prefix;
            if (std::isfinite(value))
                out += QByteArray::number(double(value), 'g', 9); // float32 round-trips in 9 digits
            out += '\n';
        }
    }
    return out;
}

QByteArray stepValuesCsv(const QList<std::pair<QString, QList<std::pair<qint64, double>>>>& metrics)
{
    QByteArray out("step,metric,value\n");
    for (const auto& [name, values] : metrics)
        for (const auto& [step, value] : values)
            out += QByteArray::number(step) + ',' + csvField(name) + ','
                + (std::isfinite(value) ? QByteArray::number(value, 'g', 17) : QByteArray()) + '\n';
    return out;
}

} // namespace TuneDeck::Telemetry
