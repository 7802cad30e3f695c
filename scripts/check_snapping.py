#!/usr/bin/python3
"""Independent check of what `plan network --snap S` moves (the "snapping" key).

Reads a line layer already in a metric CRS with GeoPandas and re-does the
snapping rule of docs/network.md with NumPy, written apart from libplan:

1. every line part has two ends; an end within S of another end is joined to
   it (a line's own two ends only when they coincide); joined groups meet at
   the position of their first end (in feature and part order); an end that
   goes elsewhere has moved by the distance it went;
2. an end that met no other end goes to the nearest segment of another line
   (or of its own line, but not the segment it ends) within S: onto a vertex
   it moves there, into an interior it is joined across the gap; either way
   the move is the end's distance to that segment.

Prints JSON: tolerance_m, ends_moved, ends_moved_over_5m, max_move_m,
mean_move_m, p95_move_m (nearest rank), max_move_fid and max_move_at, to compare
with `plan network --classes all --noding vertices --json` on the same layer.

usage: check_snapping.py LAYER_PATH LAYER_NAME TOLERANCE_M
"""
import json
import math
import sys

import geopandas as gpd
import numpy as np


def parts_of(geom):
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    if geom.geom_type == "MultiLineString":
        return list(geom.geoms)
    return []


def main():
    path, layer, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
    gdf = gpd.read_file(path, layer=layer)
    fids = list(gdf.index + 1)  # GeoPackage fids are 1-based and in this order for the sample layers
    lines, line_fid = [], []
    for fid, geom in zip(fids, gdf.geometry):
        for part in parts_of(geom):
            pts = []
            for c in part.coords:
                p = (float(c[0]), float(c[1]))
                if not pts or pts[-1] != p:
                    pts.append(p)
            if len(pts) >= 2:
                lines.append(pts)
                line_fid.append(int(fid))
    n = len(lines)
    ends = np.array([[l[0], l[-1]] for l in lines]).reshape(2 * n, 2)
    original = ends.copy()

    # 1. End to end, union-find with the smallest index as root.
    parent = list(range(2 * n))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    joined = np.zeros(2 * n, dtype=bool)
    for i in range(2 * n):
        d = np.hypot(ends[:, 0] - ends[i, 0], ends[:, 1] - ends[i, 1])
        for j in np.nonzero(d <= tol)[0]:
            if j == i:
                continue
            if j // 2 == i // 2 and d[j] > 0:
                continue  # a line's own ends join only when they coincide
            a, b = find(i), find(int(j))
            if a != b:
                parent[max(a, b)] = min(a, b)
            joined[i] = joined[j] = True
    moves = []  # (distance, line, x, y) in end order
    for i in range(2 * n):
        r = find(i)
        if tuple(ends[r]) != tuple(ends[i]):
            d = math.hypot(*(ends[r] - ends[i]))
            if d > 0:
                moves.append((d, i // 2, ends[i][0], ends[i][1]))
            ends[i] = ends[r]
    for l in range(n):
        lines[l][0] = tuple(ends[2 * l])
        lines[l][-1] = tuple(ends[2 * l + 1])

    # 2. Ends that met no end: the nearest segment within tol.
    a = np.array([p for l in lines for p in l[:-1]])
    b = np.array([p for l in lines for p in l[1:]])
    seg_line = np.array([k for k, l in enumerate(lines) for _ in l[:-1]])
    first_seg = np.cumsum([0] + [len(l) - 1 for l in lines])
    ab = b - a
    l2 = (ab ** 2).sum(axis=1)
    for i in range(2 * n):
        if joined[i]:
            continue
        line = i // 2
        own = first_seg[line] if i % 2 == 0 else first_seg[line + 1] - 1
        p = ends[i]
        t = np.where(l2 > 0, ((p - a) * ab).sum(axis=1) / np.where(l2 > 0, l2, 1), 0.0)
        tc = np.clip(t, 0.0, 1.0)
        q = a + ab * tc[:, None]
        d = np.hypot(q[:, 0] - p[0], q[:, 1] - p[1])
        d[own] = np.inf
        s = int(np.argmin(d))  # the first of the nearest: the lowest segment index, as plan
        if d[s] > tol:
            continue
        if t[s] <= 0.0 or t[s] >= 1.0:
            v = a[s] if t[s] <= 0.0 else b[s]
            if tuple(v) == tuple(p):
                continue
        if d[s] > 0:
            moves.append((float(d[s]), line, p[0], p[1]))

    out = {"tolerance_m": tol, "ends_moved": len(moves),
           "ends_moved_over_5m": sum(1 for m in moves if m[0] > 5.0)}
    if moves:
        ds = sorted(m[0] for m in moves)
        far = moves[0]
        for m in moves:
            if m[0] > far[0]:
                far = m
        rank = max(1, math.ceil(0.95 * len(ds)))
        out.update(max_move_m=ds[-1], mean_move_m=sum(ds) / len(ds), p95_move_m=ds[rank - 1],
                   max_move_fid=line_fid[far[1]], max_move_at=[far[2], far[3]])
    else:
        out.update(max_move_m=0.0, mean_move_m=0.0, p95_move_m=0.0, max_move_fid=None, max_move_at=None)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
