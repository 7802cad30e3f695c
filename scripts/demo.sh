#!/usr/bin/env bash
# The README's main command: install dependencies, build the release binary and
# run the study of the bundled sample city (data/sample-city/plan.toml) with
# `plan run`. Results go to out/sample-city (or the folder given as $1):
# results.gpkg (open in QGIS), geojson/ and summary.json.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release >/dev/null
cmake --build --preset release -j"$jobs" --target plan_cli
out=${1:-out/sample-city}
plan=build/release/bin/plan
city=data/sample-city
step() { printf '\n== %s\n' "$*" >&2; }

step "the sample city's roads"
"$plan" info "$city/roads.gpkg"

step "plan run $city/plan.toml: network, dead ends, metrics, centrality, skeleton, land efficiency (-> $out)"
start=$(date +%s.%N)
"$plan" run "$city/plan.toml" -o "$out" --overwrite --threads "$jobs"
end=$(date +%s.%N)

step "done in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s: the results are in $out/"
for f in "$out"/*; do
  case "$f" in
    *.gpkg) echo "  $f   every layer (base__edges, base__dead_ends, ...): open it in QGIS" ;;
    *.qgz) echo "  $f   the styled QGIS project: open it in QGIS" ;;
    *.html) echo "  $f   the report: open it in a browser" ;;
    *.json) echo "  $f   every figure, as the subcommands print them with --json" ;;
    *) [ -d "$f" ] && echo "  $f/   the same layers as GeoJSON (WGS84) for the web" ;;
  esac
done
