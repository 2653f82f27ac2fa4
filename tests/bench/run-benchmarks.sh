#!/bin/bash
# Issue 5 benchmarks, all anchors measured in this one run on the same bytes (docs/benchmarks.md).
#
#   tests/bench/run-benchmarks.sh [FILE]
#
# Builds tunedeck_bench in Release (build/telemetry-release unless BUILD_DIR is set), generates a 50 h x 16 GPU
# `nvidia-smi dmon -o TD -s puct` log (~345 MB, default /tmp/tunedeck-bench-dmon.txt; never in the repo), then
# measures CPU seconds (user+sys, one core, best of RUNS=3) for: mawk summing one column, pandas read_csv,
# TuneDeck's reader doing the same; whole-file vs random-chunk feeding; the decimated view; store memory.
# Not part of ctest: the figures depend on the machine. Exit status 0 even when a target is missed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build/telemetry-release}
FILE=${1:-/tmp/tunedeck-bench-dmon.txt}
RUNS=${RUNS:-3}
LOCK=/tmp/tunedeck-build.lock

flock "$LOCK" cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
flock "$LOCK" cmake --build "$BUILD_DIR" -j2 --target tunedeck_bench monitor_bench >/dev/null
BENCH=$BUILD_DIR/tests/bench/tunedeck_bench

if [ ! -s "$FILE" ]; then
    echo "generating $FILE ..."
    "$BENCH" generate "$FILE" 50 16
fi
BYTES=$(stat -c %s "$FILE")
cat "$FILE" >/dev/null # into the page cache for every contender alike

# CPU seconds (user+sys) of a command, then its output. GNU time measures the exec'd program only (a Python
# wrapper's RUSAGE_CHILDREN would also charge the fork before exec to it).
cpu() {
    local out
    out=$(/usr/bin/time -f "%U %S" -o /tmp/tunedeck-bench-time.$$ "$@")
    echo "$(awk '{ printf "%.3f", $1 + $2 }' /tmp/tunedeck-bench-time.$$) $out"
    rm -f /tmp/tunedeck-bench-time.$$
}

best() { sort -n | head -1; }

echo "file: $FILE ($BYTES bytes, $(grep -vc '^#' "$FILE") rows)"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"

MAWK_LINES=$(for _ in $(seq "$RUNS"); do cpu mawk '!/^#/ { s += $7 } END { printf "%.0f\n", s }' "$FILE"; done)
MAWK=$(echo "$MAWK_LINES" | awk '{print $1}' | best)
MAWK_SUM=$(echo "$MAWK_LINES" | head -1 | awk '{print $2}')
TD_LINES=$(for _ in $(seq "$RUNS"); do cpu "$BENCH" parse-file "$FILE"; done)
TD=$(echo "$TD_LINES" | awk '{print $1}' | best)
TD_SUM=$(echo "$TD_LINES" | head -1 | awk '{print $2}')
PANDAS_LINE=$(/usr/bin/python3 "$ROOT/tests/bench/pandas_sum.py" "$FILE")
PANDAS=$(echo "$PANDAS_LINE" | awk '{print $2}')
PANDAS_SUM=$(echo "$PANDAS_LINE" | awk '{print $1}')

PARSE=$("$BENCH" parse "$FILE")
VIEW=$("$BENCH" view)
MEMORY=$("$BENCH" memory "$FILE")
# The monitor's refresh: 16 GPUs x 50 h (3 M samples per series), offscreen, the app's own feed path.
MONITOR=$(QT_QPA_PLATFORM=offscreen "$BUILD_DIR/tests/bench/monitor_bench" 50 60 2>/dev/null)

val() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
check() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "PASS" : "MISS" }'; }

MBS=$(awk -v b="$BYTES" -v s="$TD" 'BEGIN { printf "%.0f", b / 1e6 / s }')
VS_MAWK=$(ratio "$MAWK" "$TD")
VS_PANDAS=$(ratio "$PANDAS" "$TD")
CHUNK=$(val "$PARSE" chunked_over_whole)
SAME=$(val "$PARSE" chunked_identical)
VIEW_MS=$(val "$VIEW" view_worst_ms)
VIEW_X=$(val "$VIEW" view_worst_speedup)
MEM=$(val "$MEMORY" store_over_raw_payload)

echo
echo "column sums (sm): mawk $MAWK_SUM, pandas $PANDAS_SUM, tunedeck $TD_SUM"
echo "CPU seconds: mawk $MAWK, pandas $PANDAS (read_csv only), tunedeck $TD"
echo "$PARSE" | sed 's/^/  /'
echo "$VIEW" | sed 's/^/  /'
echo "$MEMORY" | sed 's/^/  /'
echo "$MONITOR" | sed 's/^/  /'
REFRESH=$(val "$MONITOR" monitor_refresh_ms_1400px)
REFRESH_TENTH=$(val "$MONITOR" monitor_refresh_ms_1400px_tenth_history)
REFRESH_X=$(val "$MONITOR" refresh_speedup_vs_full_replace)
WITHIN=$(val "$MONITOR" monitor_points_within_width)
echo
printf '%-48s %10s %8s %s\n' "figure" "value" "target" "result"
printf '%-48s %10s %8s %s\n' "TuneDeck vs mawk (CPU time ratio)" "${VS_MAWK}x" ">=4x" "$(check "$VS_MAWK" 4 ">=")"
printf '%-48s %10s %8s %s\n' "TuneDeck vs pandas (CPU time ratio)" "${VS_PANDAS}x" ">=10x" "$(check "$VS_PANDAS" 10 ">=")"
printf '%-48s %10s %8s %s\n' "TuneDeck MB/s on one core (read+parse)" "$MBS" ">=500" "$(check "$MBS" 500 ">=")"
printf '%-48s %10s %8s %s\n' "random chunks 1 B-64 KiB / whole file speed" "$CHUNK" ">=0.8" "$(check "$CHUNK" 0.8 ">=")"
printf '%-48s %10s %8s %s\n' "random chunks give identical results" "$SAME" "yes" "$([ "$SAME" = yes ] && echo PASS || echo MISS)"
printf '%-48s %10s %8s %s\n' "decimated view of 3M points, worst window (ms)" "$VIEW_MS" "<=1" "$(check "$VIEW_MS" 1 "<=")"
printf '%-48s %10s %8s %s\n' "view speed-up over raw samples, worst window" "${VIEW_X}x" ">=10x" "$(check "$VIEW_X" 10 ">=")"
printf '%-48s %10s %8s %s\n' "store memory / raw payload (values x 4 B)" "$MEM" "<=2" "$(check "$MEM" 2 "<=")"
printf '%-48s %10s %8s %s\n' "column sums agree" "$TD_SUM" "$MAWK_SUM" "$([ "$TD_SUM" = "$MAWK_SUM" ] && [ "$PANDAS_SUM" = "$MAWK_SUM" ] && echo PASS || echo MISS)"
printf '%-48s %10s %8s %s\n' "monitor refresh, 16 GPUs x 50 h, 1400 px (ms)" "$REFRESH" "<=16" "$(check "$REFRESH" 16 "<=")"
printf '%-48s %10s %8s %s\n' "  same with a tenth of the history (ms)" "$REFRESH_TENTH" "~same" "-"
printf '%-48s %10s %8s %s\n' "refresh speed-up vs full-resolution replace()" "${REFRESH_X}x" ">=10x" "$(check "$REFRESH_X" 10 ">=")"
printf '%-48s %10s %8s %s\n' "points per series within the chart's width" "$WITHIN" "yes" "$([ "$WITHIN" = yes ] && echo PASS || echo MISS)"
