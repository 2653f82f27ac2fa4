#include "core/job/modelshape.h"

#include <QRegularExpression>

#include <array>
#include <cmath>

namespace TuneDeck {
namespace {

struct CatalogEntry
{
    double billions; // as written in model names
    double parameters;
    int hidden;
    int layers;
    int intermediate;
    int kvRatio;
    int vocabulary;
};

// From the models' config.json (hidden_size, num_hidden_layers, intermediate_size,
// num_attention_heads / num_key_value_heads, vocab_size). Llama 3 / 3.1 sizes; the 7B/13B rows are
// Llama 2 (multi-head attention, 32000 tokens). Matched by the size in the name, so a same-size model of
// another family gets a close, not exact, shape.
constexpr std::array Catalog {
    CatalogEntry { 1, 1.24e9, 2048, 16, 8192, 4, 128256 },
    CatalogEntry { 3, 3.21e9, 3072, 28, 8192, 3, 128256 },
    CatalogEntry { 7, 6.74e9, 4096, 32, 11008, 1, 32000 },
    CatalogEntry { 8, 8.03e9, 4096, 32, 14336, 4, 128256 },
    CatalogEntry { 13, 13.0e9, 5120, 40, 13824, 1, 32000 },
    CatalogEntry { 70, 70.6e9, 8192, 80, 28672, 8, 128256 },
    CatalogEntry { 405, 405.9e9, 16384, 126, 53248, 16, 128256 },
};

} // namespace

std::optional<double> parameterBillionsFromName(const QString& model)
{
    // A number followed by B/b that stands alone: "70B", "3.2-3B" -> 3, but not "fp16" or "v0.1".
    static const QRegularExpression pattern(QStringLiteral("(?:^|[^0-9A-Za-z.])(\\d+(?:\\.\\d+)?)[bB](?![A-Za-z0-9])"));
    std::optional<double> found;
    auto it = pattern.globalMatch(model);
    while (it.hasNext())
        found = it.next().captured(1).toDouble();
    return found;
}

std::optional<ModelShape> modelShapeFor(const QString& model, double paramsBillions)
{
    const std::optional<double> billions
        = paramsBillions > 0 ? std::optional(paramsBillions) : parameterBillionsFromName(model);
    if (!billions || *billions <= 0)
        return std::nullopt;
    for (const CatalogEntry& entry : Catalog) {
        if (std::abs(entry.billions - *billions) < 0.01) {
            return ModelShape { entry.parameters, entry.hidden, entry.layers, entry.intermediate, entry.kvRatio,
                entry.vocabulary, true };
        }
    }
    // Dense decoder: P ~ 12 * layers * hidden^2, and hidden / layers ~ 100 across the Llama family
    // (8192 / 80, 4096 / 32 is 128). Rounded to a multiple of 128 like real configs.
    ModelShape shape;
    shape.parameters = *billions * 1e9;
    const double hidden = std::cbrt(shape.parameters * 100.0 / 12.0);
    shape.hiddenSize = std::max(128, int(std::lround(hidden / 128.0)) * 128);
    shape.layers = std::max(1, int(std::lround(shape.parameters / (12.0 * shape.hiddenSize * shape.hiddenSize))));
    shape.intermediateSize = shape.hiddenSize * 7 / 2;
    shape.kvHeadsRatio = 8;
    shape.vocabulary = 128256;
    return shape;
}

} // namespace TuneDeck
