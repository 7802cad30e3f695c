#!/usr/bin/env bash
# The README's main command: install dependencies, build the release binary and
# run the main job on the bundled sample city. Results go to ./out/ (or $1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release >/dev/null
cmake --build --preset release -j"$jobs" --target plan_cli
out=${1:-out}
mkdir -p "$out"
plan=build/release/bin/plan
echo "== plan info on the sample city's layers" >&2
"$plan" info data/sample-city/roads.gpkg
