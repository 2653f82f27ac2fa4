#!/bin/bash
# Starts the real window on Xvfb with its own D-Bus session and AT-SPI bus, opens the walkthrough's
# job, and drives it through the accessibility tree (drive_window.py). With RUN_FOLDER, that folder is
# imported into the app's archive first and opened from the Runs page as RUN_NAME.
# Usage: run.sh TUNEDECK SPEC [RUN_FOLDER RUN_NAME]
set -euo pipefail
tunedeck=$1
spec=$2
run_folder=${3:-}
run_name=${4:-}
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
# Xvfb picks a free display itself and writes its number once it accepts clients (-displayfd): no
# clash with another Xvfb, and no race with a server still starting on a loaded machine.
Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3>"$work/display" >/dev/null 2>&1 &
xvfb=$!
app=""
atspi=""
# Every step may fail without stopping the rest (set -e applies inside a trap, too).
cleanup() {
    if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; fi
    if [ -n "$atspi" ]; then
        pkill -P "$atspi" 2>/dev/null || true
        kill "$atspi" 2>/dev/null || true
    fi
    if [ -n "${DBUS_SESSION_BUS_PID:-}" ]; then kill "$DBUS_SESSION_BUS_PID" 2>/dev/null || true; fi
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 300); do
    [ -s "$work/display" ] && break
    kill -0 "$xvfb" 2>/dev/null || { echo "FAIL: Xvfb did not start" >&2; exit 1; }
    sleep 0.1
done
[ -s "$work/display" ] || { echo "FAIL: Xvfb gave no display within 30 s" >&2; exit 1; }
display=":$(head -n 1 "$work/display")"
export DISPLAY="$display" HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
export XDG_RUNTIME_DIR="$work/run"
mkdir "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export TUNEDECK_ARCHIVE="$work/archive.sqlite"
if [ -n "$run_folder" ]; then
    "$tunedeck" import-run "$run_folder" >"$work/import.log" 2>&1 || { cat "$work/import.log"; exit 1; }
fi
unset QT_QPA_PLATFORM
eval "$(dbus-launch --sh-syntax)"
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
atspi=$!
sleep 1
QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 "$tunedeck" gui "$spec" >"$work/app.log" 2>&1 &
app=$!
/usr/bin/python3 "$here/drive_window.py" ${run_name:+"$run_name"} || { cat "$work/app.log"; exit 1; }
