#!/bin/bash
# The README's screenshots, from the real window on a 1366x768 virtual screen: runs the end-to-end
# window test (tst_guisubmit) against mini-Baskerville on Xvfb and captures the screen at each stage
# with `import -window root` (ImageMagick) into docs/screenshots/.
#   tests/ui/take-screenshots.sh            (needs a dev build and `tests/cluster/minibask up`)
#   SCREEN=1920x1080 tests/ui/take-screenshots.sh   another screen size
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$PWD/docs/screenshots"
mkdir -p "$out"
fd_file="$(mktemp)"
# -displayfd: Xvfb takes a free display and names it once it accepts clients.
Xvfb -displayfd 3 -screen 0 "${SCREEN:-1366x768}x24" -nolisten tcp 3>"$fd_file" >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -f "$fd_file"' EXIT
for _ in $(seq 300); do [ -s "$fd_file" ] && break; sleep 0.1; done
display=":$(head -n 1 "$fd_file")"
DISPLAY="$display" QT_QPA_PLATFORM=xcb QT_FONT_DPI=96 TUNEDECK_SCREENSHOT_DIR="$out" \
    build/dev/tests/ui/tst_guisubmit
ls -l "$out"
