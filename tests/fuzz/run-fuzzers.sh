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
TARGETS=(fuzz_dmonreader fuzz_vmstatreader fuzz_trainerlogreader fuzz_trainerjsonlreader fuzz_slurmparsers fuzz_jobinputs)
flock "$LOCK" cmake --build "$BUILD" -j2 --target "${TARGETS[@]}"

seeds_for() {
    case "$1" in
    fuzz_dmonreader | fuzz_vmstatreader | fuzz_trainerlogreader | fuzz_trainerjsonlreader)
        echo "$ROOT/tests/telemetry/data/real" ;;
    fuzz_slurmparsers) echo "$ROOT/tests/slurm/data/real" ;;
    fuzz_jobinputs) echo "$BUILD/seeds/fuzz_jobinputs" ;;
    esac
}

# Seeds for fuzz_jobinputs: real scripts, configs, specs and profiles, each behind the byte that picks its
# reader (0 spec, 1 profile, 2 sbatch, 3 accelerate, 4 LLaMA-Factory YAML).
seed_dir=$BUILD/seeds/fuzz_jobinputs
rm -rf "$seed_dir" && mkdir -p "$seed_dir"
n=0
add_seed() { # KIND FILE
    n=$((n + 1))
    { printf "\\$(printf '%03o' "$1")"; cat "$2"; } >"$seed_dir/seed-$n"
}
for f in resources/profiles/*.yaml; do add_seed 1 "$f"; done
for f in tests/job/data/import/walkthrough/*.sh tests/job/data/import/*/*.sh tests/job/data/import/*/*.sbatch; do
    [ -f "$f" ] && add_seed 2 "$f"
done
for f in tests/job/data/import/*/*.yaml tests/job/data/import/walkthrough/*.yaml; do
    [ -f "$f" ] || continue
    add_seed 3 "$f"
    add_seed 4 "$f"
    add_seed 0 "$f"
done

mkdir -p "$BUILD/findings"
status=0
for target in "${TARGETS[@]}"; do
    corpus=$BUILD/corpus/$target
    mkdir -p "$corpus"
    echo "== $target (${SECONDS_EACH}s)"
    # A bomb or a blow-up is a failure, not a slow pass: 2 GB of memory and 10 s per input at most.
    if ! ASAN_OPTIONS=detect_leaks=1 "$BUILD/tests/fuzz/$target" -max_total_time="$SECONDS_EACH" \
        -rss_limit_mb=2048 -timeout=10 \
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
