#!/bin/sh
# Candidate scoring benchmark (not a test; figures go to docs/candidates.md):
# 1,000 dead-end candidates scored alone (OD saving over 1,000 node pairs) on
# synthetic networks of about 25k, 50k and 100k edges with many dead ends
# (scripts/make_deadend_grid.py: a jittered grid with block sides removed,
# near misses and stubs), with 1 and 2 threads.
# usage: scripts/bench_candidates.sh [PLAN_BINARY]   (default build/release/bin/plan;
#        build it with: cmake --preset release && cmake --build --preset release -j2)
#        EDGES="25000 50000 100000" and THREADS="1 2" choose the runs.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
plan=${1:-$here/build/release/bin/plan}
work=${TMPDIR:-/tmp}/plan-bench-cand-$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
echo "plan: $plan ($(nproc) cores), $(date -u '+%Y-%m-%d %H:%M UTC'), load:$(uptime | sed 's/.*load average://')"
for n in ${EDGES:-25000 50000 100000}; do
  roads="$work/g$n.gpkg"
  /usr/bin/python3 "$here/scripts/make_deadend_grid.py" "$roads" "$n" >/dev/null
  edges=$("$plan" network "$roads" --json -q | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["edges"], "edges,", j["dead_ends"]["total"], "dead ends")')
  echo "== make_deadend_grid.py $n: $edges"
  first=""
  for t in ${THREADS:-1 2}; do
    /usr/bin/time -f "threads $t: %e s wall (whole process), %U s user + %S s sys CPU, %M KB peak" "$plan" candidates "$roads" \
      --limit 1000 --include-boundary --threads "$t" --json -v -o "$work/c$n-$t.gpkg" 2>&1 >"$work/c$n-$t.json" | grep -E "timings|wall"
    /usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("  candidates scored:", j["candidates"])' "$work/c$n-$t.json"
    if [ -z "$first" ]; then first=$t; else
      cmp "$work/c$n-$first.json" "$work/c$n-$t.json" && echo "  $first and $t threads: identical JSON"
    fi
  done
done
