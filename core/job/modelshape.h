#pragma once

#include "core/util/coreonly.h"

#include <QString>

#include <optional>

namespace TuneDeck {

// The few architecture numbers the memory estimate needs. Known families are looked up from their
// published configs (config.json on Hugging Face); anything else is derived from the parameter count.
struct ModelShape
{
    double parameters = 0; // total, e.g. 70.6e9
    int hiddenSize = 0;
    int layers = 0;
    int intermediateSize = 0;
    int kvHeadsRatio = 8; // attention heads per key/value head (grouped-query attention)
    int vocabulary = 32000;
    bool fromCatalog = false; // false: derived from the parameter count
};

// Billions of parameters written in a model id: "meta-llama/Meta-Llama-3-70B-Instruct" -> 70.
std::optional<double> parameterBillionsFromName(const QString& model);

// Shape for a model id; paramsBillions > 0 overrides the size read from the name.
std::optional<ModelShape> modelShapeFor(const QString& model, double paramsBillions);

} // namespace TuneDeck
