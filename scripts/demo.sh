#!/usr/bin/env bash
# The README's main command: install dependencies, build the release binary and
# run the analyses on the bundled sample city (data/sample-city). Results go to
# ./out/ (or the folder given as $1); open the .gpkg files in QGIS.
# (`plan run` with a study file, the QGIS project and the HTML report replace
# these steps when that issue lands.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release >/dev/null
cmake --build --preset release -j"$jobs" --target plan_cli
out=${1:-out}
mkdir -p "$out"
plan=build/release/bin/plan
city=data/sample-city
step() { printf '\n== %s\n' "$*" >&2; }

step "the sample city's layers"
"$plan" info "$city/roads.gpkg"

step "road network: topology, components, critical links, dead ends (-> $out/network.gpkg)"
"$plan" network "$city/roads.gpkg" --study-area "$city/landuse.gpkg|layername=study_boundary" --overwrite -o "$out/network.gpkg"

step "connectivity: indices, densities against targets, circuity, centrality at 800 m (-> $out/metrics.gpkg)"
"$plan" metrics "$city/roads.gpkg" --parcels "$city/landuse.gpkg|layername=parcels" --radius 800 --threads "$jobs" \
  --overwrite -o "$out/metrics.gpkg"

step "land efficiency (亩均论英雄), zhejiang method (-> $out/landuse.gpkg, $out/enterprises.csv)"
"$plan" landuse "$city/landuse.gpkg" --parcels-layer parcels --enterprises "$city/enterprises.csv" \
  --method zhejiang --overwrite -o "$out/landuse.gpkg" --csv "$out/enterprises.csv"

step "done: open $out/network.gpkg, $out/metrics.gpkg and $out/landuse.gpkg in QGIS"
