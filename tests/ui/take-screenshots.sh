#!/bin/bash
# The README's screenshots, from the real window on a 1366x768 virtual screen: runs the end-to-end
# window test (tst_guisubmit) against mini-Baskerville on Xvfb and captures the screen at each stage
# with `import -window root` (ImageMagick) into docs/screenshots/.
#   tests/ui/take-screenshots.sh            (needs a dev build and `tests/cluster/minibask up`)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$PWD/docs/screenshots"
mkdir -p "$out"
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
sleep 1
DISPLAY="$display" QT_QPA_PLATFORM=xcb QT_FONT_DPI=96 TUNEDECK_SCREENSHOT_DIR="$out" \
    build/dev/tests/ui/tst_guisubmit
ls -l "$out"
