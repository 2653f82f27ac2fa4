#pragma once

#include "core/util/coreonly.h"

#include <QString>
#include <QStringView>

namespace TuneDeck {

// Text for a terminal, with every character that could control it made visible, as `ls` and `git` do:
// C0 controls (ESC starts escape sequences that retitle or clear the terminal, BEL rings), DEL, C1
// controls (U+0080..U+009F, which some terminals take as ESC sequences) and the Unicode bidi and line
// controls (U+202E reverses the text after it). They become \e, \a, \t, \n, \r or \xHH / \uHHHH; a
// backslash stays as it is. With keepNewlines, '\n' passes through (for multi-line reports); tabs
// always do. Values from files, scripts and specs go through this before every text printer; JSON
// output escapes by itself.
QString terminalSafe(QStringView text, bool keepNewlines = false);

} // namespace TuneDeck
