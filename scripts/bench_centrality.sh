#!/bin/sh
# Centrality benchmark (figures go to docs/metrics.md):
#  1. exact length-weighted betweenness on the Stockholm drive network vs
#     igraph and NetworkX on the same graph (largest component, mm lengths);
#  2. 800 m radius centrality on a 100k-node synthetic grid.
# usage: scripts/bench_centrality.sh [PLAN_BINARY]   (default build/release/bin/plan)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
plan=${1:-$here/build/release/bin/plan}
data=${PLAN_SHARED_DATA_DIR:-$here/../shared/data}/real
work=${TMPDIR:-/tmp}/plan-bench-$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
echo "plan: $plan ($(nproc) cores)"

echo "== Stockholm, exact betweenness + harmonic, global"
for t in 1 2; do
  /usr/bin/time -f "plan --threads $t: %e s wall, %M KB" "$plan" metrics "$data/stockholm_osmnx/edges.shp" \
    --classes all --noding vertices --snap 0 --threads $t -o "$work/stockholm$t.gpkg" --overwrite -v 2>&1 >/dev/null \
    | grep -E "centrality|wall"
done
cmp_gpkg() { /usr/bin/python3 "$here/scripts/compare_centrality.py" "$@"; }
cmp_gpkg "$work/stockholm1.gpkg"

echo "== 100k-node grid, 800 m radius"
/usr/bin/python3 "$here/scripts/make_grid.py" "$work/grid.gpkg" 317 100
for t in 1 2; do
  /usr/bin/time -f "plan --threads $t: %e s wall, %M KB" "$plan" metrics "$work/grid.gpkg" --no-global --radius 800 \
    --threads $t -o "$work/grid$t.gpkg" --overwrite -v 2>&1 >/dev/null | grep -E "centrality|wall"
done
