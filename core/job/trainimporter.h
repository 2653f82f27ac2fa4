#pragma once

#include "core/job/importresult.h"

#include <QByteArray>
#include <QString>

namespace TuneDeck {

// Imports a LLaMA-Factory training YAML (the keys of its examples/train_lora/*.yaml) into
// result.spec.training: model, method (finetuning_type, with quantization_bit meaning QLoRA), LoRA rank
// and target, dataset, template, lengths, epochs, batch and accumulation, learning rate (kept as text:
// PyYAML reads `1e-4` as a string, so the spelling matters), logging and save steps, output_dir and
// precision. Keys the generator writes with fixed values are noted when they differ; every other key
// is noted as not carried over, since the spec has no place for arbitrary training arguments.
void importTrainConfig(const QByteArray& text, const QString& sourceName, ImportResult& result);

} // namespace TuneDeck
