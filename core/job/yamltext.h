#pragma once

#include "core/util/coreonly.h"

#include <QString>

namespace TuneDeck {

// Writing YAML by hand (the generated files follow the layout of the walkthrough's and LLaMA-Factory's
// examples, which an emitter would not), with user text always made safe: a plain scalar when it
// cannot be misread, a double-quoted one with escapes otherwise.

// A scalar that YAML 1.1 (PyYAML, which accelerate and LLaMA-Factory use) reads back as this exact text.
QString yamlString(const QString& text);
QString yamlBool(bool value);
// A float that PyYAML reads as a float: YAML 1.1 needs a '.' in the mantissa, so 1e-4 becomes 1.0e-4
// (PyYAML would load "1e-4" as a string and the trainer would fail on it).
QString yamlFloat(const QString& text);

} // namespace TuneDeck
