#!/usr/bin/python3
"""Write a synthetic road network with many dead ends (GeoPackage, layer
`roads`, EPSG:4548 near Linqing), for the `plan candidates` benchmark
(scripts/bench_candidates.sh).

A square grid of n x n nodes, about EDGES edges in all, at SPACING metres (default 100 m) whose
nodes are moved by up to 12 % of the spacing (seeded), one line per block
side, then, each with its own seeded share of the block sides:
  - removed sides (6 %): the block merges with its neighbour;
  - near misses (3 %): the side stops 2-8 m short of the next junction;
  - stubs (3 % of the nodes): a 25-45 m cul-de-sac into a block from a
    junction, at a random angle between the two sides.
The same arguments always give the same file (random.Random(SEED)).

usage: make_deadend_grid.py OUT.gpkg EDGES [SEED] [SPACING]"""
import math
import random
import sys

import geopandas as gpd
from shapely.geometry import LineString

out, target = sys.argv[1], int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
s = float(sys.argv[4]) if len(sys.argv) > 4 else 100.0
rng = random.Random(seed)
# 2 n (n - 1) block sides for n x n nodes, 94 % of them kept, plus stubs
n = max(3, int(round(math.sqrt(target / 1.86))))
x0, y0 = 470000.0, 4070000.0
jit = 0.12 * s
pos = [[(x0 + i * s + rng.uniform(-jit, jit), y0 + j * s + rng.uniform(-jit, jit)) for j in range(n)] for i in range(n)]

lines, kinds = [], []
near_misses = removed = stubs = 0
for i in range(n):
    for j in range(n):
        for di, dj in ((1, 0), (0, 1)):
            if i + di >= n or j + dj >= n:
                continue
            a, b = pos[i][j], pos[i + di][j + dj]
            r = rng.random()
            if r < 0.06:
                removed += 1
                continue
            if r < 0.09:
                # stop a few metres short of b (or of a): a near miss
                if rng.random() < 0.5:
                    a, b = b, a
                gap = rng.uniform(2.0, 8.0)
                L = math.dist(a, b)
                b = (b[0] - (b[0] - a[0]) * gap / L, b[1] - (b[1] - a[1]) * gap / L)
                near_misses += 1
                kinds.append("near_miss")
            else:
                kinds.append("side")
            lines.append(LineString([a, b]))
for i in range(n - 1):
    for j in range(n - 1):
        if rng.random() >= 0.03:
            continue
        # a cul-de-sac from junction (i, j) into the block to its north-east
        a, bx, by = pos[i][j], pos[i + 1][j], pos[i][j + 1]
        t0 = math.atan2(bx[1] - a[1], bx[0] - a[0])
        t1 = math.atan2(by[1] - a[1], by[0] - a[0])
        t = t0 + rng.uniform(0.3, 0.7) * ((t1 - t0) % (2 * math.pi))
        L = rng.uniform(0.25, 0.45) * s
        lines.append(LineString([a, (a[0] + L * math.cos(t), a[1] + L * math.sin(t))]))
        kinds.append("stub")
        stubs += 1

gpd.GeoDataFrame({"highway": ["residential"] * len(lines), "kind": kinds}, geometry=lines,
                 crs="EPSG:4548").to_file(out, layer="roads", driver="GPKG")
print(f"{out}: {n} x {n} grid, {len(lines)} lines ({removed} sides removed, {near_misses} near misses, {stubs} stubs)")
