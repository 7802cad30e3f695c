#!/bin/sh
# Candidate scoring benchmark (not a test; figures go to docs/candidates.md):
# 1,000 dead-end candidates scored alone (OD saving over 1,000 node pairs) on
# synthetic networks of about 25k, 50k and 100k edges, with 1 and 2 threads.
# usage: scripts/bench_candidates.sh [PLAN_BINARY]   (default build/release/bin/plan;
#        build it with: cmake --preset release && cmake --build --preset release -j2)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
plan=${1:-$here/build/release/bin/plan}
work=${TMPDIR:-/tmp}/plan-bench-cand-$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
echo "plan: $plan ($(nproc) cores)"
for segs in ${SEGMENTS:-30000 60000 120000}; do
  "$plan" sample-city -o "$work/s$segs" --segments "$segs" >/dev/null
  roads="$work/s$segs/roads.gpkg"
  edges=$("$plan" network "$roads" --json -q | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["edges"], j["dead_ends"]["total"])')
  echo "== --segments $segs: edges, dead ends = $edges"
  for t in 1 2; do
    /usr/bin/time -f "threads $t: %e s wall (whole process), %M KB peak" "$plan" candidates "$roads" --limit 1000 --include-boundary \
      --threads "$t" --json -v -o "$work/c$segs-$t.gpkg" 2>&1 >"$work/c$segs-$t.json" | grep -E "timings|wall"
    /usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("  candidates scored:", j["candidates"])' "$work/c$segs-$t.json"
  done
  cmp "$work/c$segs-1.json" "$work/c$segs-2.json" && echo "  1 and 2 threads: identical JSON"
done
