#!/bin/bash
# The README's first command, for a fresh Debian 12 machine (as root):
#   packaging/setup.sh            install packages, build, start the demo cluster, start TuneDeck
#   packaging/setup.sh --deps     only install the Debian packages (used by tests/run-all.sh)
#   packaging/setup.sh --build    install and build, start nothing
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

install_packages() {
    local packages missing=()
    mapfile -t packages < <(grep -v '^\s*#' packaging/debian-packages.txt | grep -v '^\s*$')
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "setup: installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

build() {
    cmake --preset release >/dev/null
    cmake --build --preset release
}

install_packages
[ "$mode" = "--deps" ] && exit 0
build
[ "$mode" = "--build" ] && exit 0

# The demo cluster: a real Slurm and an OpenSSH login node asking for a key and a one-time code,
# with an ~/.ssh/config alias, a cluster profile and a job spec for it.
tests/cluster/minibask up
packaging/demo-cluster.sh
tunedeck=build/release/app/tunedeck
echo "(tunedeck is $PWD/$tunedeck; the commands above use that binary)"
spec="$HOME/tunedeck-demo/walkthrough.yaml" # written by demo-cluster.sh: opens in the job form
if [ -n "${DISPLAY:-}" ]; then
    exec "$tunedeck" gui "$spec"
else
    echo "No DISPLAY: starting the TuneDeck window on a virtual display (xvfb-run); use the CLI meanwhile."
    exec xvfb-run -a "$tunedeck" gui "$spec"
fi
