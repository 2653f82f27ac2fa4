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
// Text that already is such a float is kept as written; other number text goes through yamlFloat(double).
QString yamlFloat(const QString& text);
// The shortest text that reads back as exactly `value` (Python's repr digits), in the form YAML 1.1's
// float pattern needs: a '.' in the mantissa and a signed exponent (1.0e-05, 1.0e+20, 123456789.0).
// `value` must be finite: YAML has .nan and .inf, but no trainer wants them, so validation refuses them.
QString yamlFloat(double value);

} // namespace TuneDeck
