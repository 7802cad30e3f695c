#!/bin/sh
# Benchmark of `plan network` (issue 4, Performance): the whole plan process
# against the whole OSMnx process on the same OSM files (wall time and peak
# memory from /usr/bin/time -v, with ratios), a bare GDAL read loop over the
# same features (the floor while reading through GDAL), plan with GDAL's OSM
# reader (PLAN_OSM_READER=gdal) for comparison with the native one, and the synthetic
# networks of `plan sample-city --segments N` (250k / 500k / 1M) in vertices and
# crossings mode. Prints the machine load first: the machine may be shared.
#
#   scripts/bench_network.sh [PLAN_BINARY] [DATA_DIR]
# Default PLAN_BINARY: build/release/bin/plan (cmake --preset release first).
# SEGMENTS="250000 500000 1000000" (the default) chooses the synthetic sizes;
# SEGMENTS= (empty) runs the OSM extracts only.
set -eu
PLAN=${1:-build/release/bin/plan}
DATA=${2:-../shared/data/real}
PY=/usr/bin/python3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# measure LABEL CMD... -> prints "LABEL wall_s peak_MB cpu_s" (cpu = user + system:
# on a shared machine it says what the wall time would be with a core to itself)
measure() {
    label=$1; shift
    /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.txt" || { echo "$label FAILED" >&2; grep -v '^\s' "$WORK/time.txt" | tail -3 >&2; echo "$label nan nan"; return 0; }
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time.txt")
    mem=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$WORK/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$WORK/time.txt")
    echo "$label $wall $mem $cpu"
}

cat > "$WORK/osmnx_run.py" <<'PYEOF'
import sys, osmnx as ox
G = ox.graph_from_xml(sys.argv[1], simplify=True, retain_all=True)
ox.stats.count_streets_per_node(G)
PYEOF
cat > "$WORK/gdal_loop.py" <<'PYEOF'
import sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1])
lyr = ds.GetLayerByName(sys.argv[2]) if len(sys.argv) > 2 else ds.GetLayer(0)
n = 0
for f in lyr:
    g = f.GetGeometryRef()
    if g is not None:
        n += len(g.ExportToWkb())
print(n)
PYEOF

echo "== load: $(uptime)"
echo "== real OSM extracts: plan vs OSMnx (wall s, peak MB)"
for f in chengdu_2018.osm monaco_2016.osm.pbf; do
    src="$DATA/$f"
    [ -f "$src" ] || { echo "skip $f (absent)"; continue; }
    osmium tags-filter "$src" w/highway -o "$WORK/hw.osm" --overwrite -f osm
    p=$(measure plan "$PLAN" network "$src" --classes all --noding vertices --snap 0 --json -q)
    o=$(measure osmnx "$PY" "$WORK/osmnx_run.py" "$WORK/hw.osm")
    g=$(measure gdal "$PY" "$WORK/gdal_loop.py" "$src" lines)
    # plan reading the file through GDAL's OSM driver instead of the native reader
    pg=$(measure plan-gdal env PLAN_OSM_READER=gdal "$PLAN" network "$src" --classes all --noding vertices --snap 0 --json -q)
    echo "$f: $pg" | awk '{ printf "%-22s plan with PLAN_OSM_READER=gdal %.2f s (cpu %.2f) %.0f MB\n", $1, $3, $5, $4 }' 
    echo "$f: $p | $o | $g" | awk '{
        printf "%-22s plan %.2f s (cpu %.2f) %.0f MB | osmnx %.2f s (cpu %.2f) %.0f MB | gdal loop %.2f s (cpu %.2f) %.0f MB | speed-up %.1fx (cpu %.1fx), memory %.2f of osmnx, plan/gdal %.2fx (cpu %.2fx)\n",
            $1, $3, $5, $4, $8, $10, $9, $13, $15, $14, $8/$3, $10/$5, $4/$9, $3/$13, $5/$15 }'
done

echo "== synthetic networks from plan sample-city --segments N (segments, mode, wall s, peak MB)"
for n in ${SEGMENTS-250000 500000 1000000}; do
    "$PLAN" sample-city --segments $n -o "$WORK/synth" -q >/dev/null
    for mode in vertices crossings; do
        r=$(measure "$n $mode" "$PLAN" network "$WORK/synth/roads.gpkg" --noding $mode --json -q)
        echo "$r"
    done
    g=$(measure "$n gdal-loop" "$PY" "$WORK/gdal_loop.py" "$WORK/synth/roads.gpkg")
    echo "$g"
    rm -rf "$WORK/synth"
done
