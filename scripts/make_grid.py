#!/usr/bin/python3
"""Write a synthetic square-grid road network (GeoPackage, EPSG:4548 near
Linqing): N x N nodes at SPACING metres, one line per block side.
usage: make_grid.py OUT.gpkg N [SPACING]"""
import sys

import geopandas as gpd
from shapely.geometry import LineString

out, n = sys.argv[1], int(sys.argv[2])
s = float(sys.argv[3]) if len(sys.argv) > 3 else 100.0
x0, y0 = 470000.0, 4070000.0
lines = []
for i in range(n):
    for j in range(n):
        x, y = x0 + i * s, y0 + j * s
        if i + 1 < n:
            lines.append(LineString([(x, y), (x + s, y)]))
        if j + 1 < n:
            lines.append(LineString([(x, y), (x, y + s)]))
gpd.GeoDataFrame({"highway": ["residential"] * len(lines)}, geometry=lines, crs="EPSG:4548").to_file(out, layer="roads", driver="GPKG")
print(f"{out}: {n * n} nodes, {len(lines)} edges")
