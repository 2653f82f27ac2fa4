#!/bin/bash
# The README's test command: builds everything and runs every test, as CI does (.ci/run calls it).
#   1. unit tests (ctest -L unit) in a Debug build, and a short run of the benchmarks
#   2. cluster tests (ctest -L cluster) against the mini-Baskerville, brought up here and down at exit
#   3. unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset)
#   4. each libFuzzer target for a few seconds (tests/fuzz/run-fuzzers.sh)
# Set TUNEDECK_SKIP_ASAN=1 / TUNEDECK_SKIP_FUZZ=1 to shorten a local run; CI sets neither.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${TUNEDECK_BUILD_JOBS:-2}"
# ccache (picked up by CMakeLists.txt) hashes paths relative to the checkout, so a fresh clone reuses
# what an earlier build of the same sources compiled.
export CCACHE_BASEDIR="$PWD"

# Each phase prints how long the one before it took, and the total at the end (CI must stay under
# 45 minutes on a 2-core machine).
phase_name="setup"
phase_start=$SECONDS
phase() {
    echo "   ($phase_name took $((SECONDS - phase_start)) s)"
    phase_name="$1"
    phase_start=$SECONDS
    echo "== $1"
}

packaging/setup.sh --deps

phase "build (dev)"
cmake --preset dev -DTUNEDECK_STRICT_TESTS=ON >/dev/null
cmake --build --preset dev -j "$jobs"

phase "unit tests"
ctest --preset dev -L unit -j "$jobs"

phase "benchmarks, short run (tests/bench/run-benchmarks.sh --short: identical-results checks)"
tests/bench/run-benchmarks.sh --short

phase "package: build the .deb, install it with apt-get, run it, remove it"
(cd build/dev && rm -f tunedeck_*.deb && cpack -G DEB >/dev/null)
deb=$(ls build/dev/tunedeck_*.deb)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
installed_version=$("$(dpkg -L tunedeck | grep '/bin/tunedeck$')" --version)
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq tunedeck >/dev/null
[ "$installed_version" = "tunedeck $(grep -oP '^    VERSION \K[0-9.]+' CMakeLists.txt)" ] \
    || { echo "installed package reports '$installed_version'"; exit 1; }
echo "$deb installs and runs: $installed_version"

if [ -f tests/cluster/minibask ]; then
    phase "cluster tests (mini-Baskerville)"
    trap 'tests/cluster/minibask down || true' EXIT
    tests/cluster/minibask up
    ctest --preset dev -L cluster
    tests/cluster/minibask down
    trap - EXIT
fi

if [ "${TUNEDECK_SKIP_ASAN:-0}" != 1 ]; then
    phase "unit tests under ASan/UBSan"
    cmake --preset asan -DTUNEDECK_STRICT_TESTS=ON >/dev/null
    cmake --build --preset asan -j "$jobs"
    ctest --preset asan -L unit -j "$jobs"
fi

if [ "${TUNEDECK_SKIP_FUZZ:-0}" != 1 ] && [ -x tests/fuzz/run-fuzzers.sh ]; then
    phase "fuzzers"
    tests/fuzz/run-fuzzers.sh 10
fi
echo "   ($phase_name took $((SECONDS - phase_start)) s)"
echo "== all tests passed in $SECONDS s"
