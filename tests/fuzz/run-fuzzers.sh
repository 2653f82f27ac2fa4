#!/bin/bash
# Builds the libFuzzer targets with the "fuzz" preset (clang, build/fuzz) and runs each for SECONDS
# (default 10), seeded with the real samples under tests/*/data. Exits non-zero when a target crashes,
# leaks or finds that chunking changes a reader's result; the reproducer is left in build/fuzz/findings/.
#
#   tests/fuzz/run-fuzzers.sh [SECONDS]
set -euo pipefail

SECONDS_EACH=${1:-10}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build/fuzz
LOCK=/tmp/tunedeck-build.lock
cd "$ROOT"

flock "$LOCK" cmake --preset fuzz >/dev/null
TARGETS=(fuzz_dmonreader fuzz_vmstatreader fuzz_trainerlogreader fuzz_trainerjsonlreader fuzz_slurmparsers)
flock "$LOCK" cmake --build "$BUILD" -j2 --target "${TARGETS[@]}"

seeds_for() {
    case "$1" in
    fuzz_dmonreader | fuzz_vmstatreader | fuzz_trainerlogreader | fuzz_trainerjsonlreader)
        echo "$ROOT/tests/telemetry/data/real" ;;
    fuzz_slurmparsers) echo "$ROOT/tests/slurm/data/real" ;;
    esac
}

mkdir -p "$BUILD/findings"
status=0
for target in "${TARGETS[@]}"; do
    corpus=$BUILD/corpus/$target
    mkdir -p "$corpus"
    echo "== $target (${SECONDS_EACH}s)"
    if ! ASAN_OPTIONS=detect_leaks=1 "$BUILD/tests/fuzz/$target" -max_total_time="$SECONDS_EACH" \
        -artifact_prefix="$BUILD/findings/$target-" -print_final_stats=1 "$corpus" "$(seeds_for "$target")" \
        2>"$BUILD/findings/$target.log"; then
        echo "   FAILED, see $BUILD/findings/$target.log"
        tail -30 "$BUILD/findings/$target.log"
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$BUILD/findings/$target.log" | sed 's/^/   /' || true
    fi
done
exit $status
