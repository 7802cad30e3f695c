#!/usr/bin/env bash
# The README's test command: install dependencies (apt-get, a no-op when present),
# configure the developer build (Debug, -Werror, ASan + UBSan), build, run every test.
# Usage: scripts/test.sh [ctest arguments...], e.g. scripts/test.sh -L network
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --oracles --postgis
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$jobs"
ctest --preset dev -j"$jobs" "$@"
