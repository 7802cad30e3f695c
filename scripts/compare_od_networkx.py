#!/usr/bin/python3
"""Compare `plan metrics --od-origins O --od-destinations D` with NetworkX and shapely.

Reads the `edges` and `od_pairs` layers of `plan metrics ... -o OUT.gpkg` and
the --json output (a file), and recomputes independently:
- each origin and destination point: a point feature itself, a polygon's
  centroid (shapely), reprojected to the roads' CRS; checked against the ends
  of each od_pairs line;
- the snap: nearest edge by brute force (shapely distance to every edge, ties:
  lowest edge id) and the distance to it (origin_snap_m, destination_snap_m);
- the network distance: the snap legs plus the shortest path between the two
  snapped points on the NetworkX graph of the edges (undirected, lengths in
  whole millimetres, at least 1; the points inserted on their edges, several
  on one edge chained in order along it);
- straight_m, circuity = network / straight, and the summary of
  od_layer_circuity: pairs, reachable, unreachable (no path: never averaged),
  too_close (straight < 1 m), mean, nearest-rank median and p90, ratio of sums,
  far_from_road (snapped farther than --far).
Exit 1 when a value differs by more than 1e-6 m (1e-9 relative for ratios;
counts exactly).

usage: compare_od_networkx.py OUT.gpkg METRICS.json ORIGINS[:LAYER] DESTINATIONS[:LAYER] [--far 100]
"""
import argparse
import json
import math
import sys

import geopandas as gpd
import networkx as nx


def mm(length):
    return max(1, int(math.floor(length * 1000.0 + 0.5)))


def points_of(spec, crs):
    path, _, layer = spec.partition(":")
    df = gpd.read_file(path, layer=layer or None).to_crs(crs)
    return [g if g.geom_type == "Point" else g.centroid for g in df.geometry if g is not None and not g.is_empty]


def snap(point, edges):
    d = edges.geometry.distance(point)
    best = d.min()
    row = edges[d == best].sort_values("edge_id").iloc[0]
    return int(row.edge_id), float(best), float(row.geometry.project(point))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gpkg")
    ap.add_argument("json")
    ap.add_argument("origins")
    ap.add_argument("destinations")
    ap.add_argument("--far", type=float, default=100.0)
    a = ap.parse_args()
    edges = gpd.read_file(a.gpkg, layer="edges")
    pairs = gpd.read_file(a.gpkg, layer="od_pairs")
    with open(a.json, encoding="utf-8") as f:
        ours = json.load(f)["od_layer_circuity"]
    origins = points_of(a.origins, edges.crs)
    dests = points_of(a.destinations, edges.crs)
    bad = 0

    def check(what, plan, ref, tol=1e-6, rel=False):
        nonlocal bad
        if plan is None or ref is None or (isinstance(plan, float) and math.isnan(plan)):
            same = (plan is None or (isinstance(plan, float) and math.isnan(plan))) and ref is None
        else:
            same = abs(float(plan) - float(ref)) <= (tol * max(abs(float(ref)), 1.0) if rel else tol)
        if not same:
            bad += 1
            if bad <= 10:
                print(f"DIFF {what}: plan {plan} reference {ref}")

    by_id = {int(r.edge_id): r for r in edges.itertuples()}
    g = nx.Graph()
    for r in edges.itertuples():
        u, v, w = int(r.from_node), int(r.to_node), mm(r.length_m)
        if u != v and (not g.has_edge(u, v) or w < g[u][v]["weight"]):
            g.add_edge(u, v, weight=w)
    on_edge = {}
    snaps = {}
    for kind, pts in (("o", origins), ("d", dests)):
        for i, p in enumerate(pts):
            e, dist, along = snap(p, edges)
            snaps[(kind, i)] = dist
            length = mm(by_id[e].length_m)
            on_edge.setdefault(e, []).append((min(max(int(math.floor(along * 1000.0 + 0.5)), 0), length), (kind, i)))
            g.add_node((kind, i))
    for e, items in on_edge.items():
        r = by_id[e]
        chain = [(0, int(r.from_node))] + sorted(items, key=lambda x: (x[0], str(x[1]))) + [(mm(r.length_m), int(r.to_node))]
        for (a0, k0), (a1, k1) in zip(chain, chain[1:]):
            if k0 != k1 and (not g.has_edge(k0, k1) or a1 - a0 < g[k0][k1]["weight"]):
                g.add_edge(k0, k1, weight=a1 - a0)

    check("pairs", len(pairs), len(origins) * len(dests), tol=0)
    ratios, sum_net, sum_straight = [], 0.0, 0.0
    unreachable = too_close = 0
    rows = list(pairs.itertuples())
    for j, q in enumerate(dests):
        dist = nx.single_source_dijkstra_path_length(g, ("d", j), weight="weight")
        for i, p in enumerate(origins):
            r = rows[i * len(dests) + j]
            xy = list(r.geometry.coords)
            check(f"pair {i},{j} origin point", math.dist(xy[0], (p.x, p.y)), 0.0)
            check(f"pair {i},{j} destination point", math.dist(xy[-1], (q.x, q.y)), 0.0)
            straight = p.distance(q)
            check(f"pair {i},{j} straight_m", r.straight_m, straight)
            check(f"pair {i},{j} origin_snap_m", r.origin_snap_m, snaps[("o", i)])
            check(f"pair {i},{j} destination_snap_m", r.destination_snap_m, snaps[("d", j)])
            d = dist.get(("o", i))
            net = None if d is None else d / 1000.0 + snaps[("o", i)] + snaps[("d", j)]
            check(f"pair {i},{j} network_m", r.network_m, net)
            if straight < 1.0:
                too_close += 1
                continue
            if net is None:
                unreachable += 1
                check(f"pair {i},{j} circuity", r.circuity, None)
                continue
            ratios.append(net / straight)
            sum_net += net
            sum_straight += straight
            check(f"pair {i},{j} circuity", r.circuity, net / straight, tol=1e-9, rel=True)
    far = sum(1 for v in snaps.values() if v > a.far)
    ratios.sort()
    n = len(ratios)
    rank = lambda p: ratios[min(n - 1, int(p * (n - 1) + 0.5))] if n else None
    check("origins", ours["origins"], len(origins), tol=0)
    check("destinations", ours["destinations"], len(dests), tol=0)
    check("far_from_road", ours["far_from_road"], far, tol=0)
    check("summary pairs", ours["pairs"], len(origins) * len(dests), tol=0)
    check("summary reachable", ours["reachable"], n, tol=0)
    check("summary unreachable", ours["unreachable"], unreachable, tol=0)
    check("summary too_close", ours["too_close"], too_close, tol=0)
    check("summary mean", ours["mean"], sum(ratios) / n if n else None, tol=1e-9, rel=True)
    check("summary median", ours["median"], rank(0.5), tol=1e-9, rel=True)
    check("summary p90", ours["p90"], rank(0.9), tol=1e-9, rel=True)
    check("summary ratio_of_sums", ours["ratio_of_sums"], sum_net / sum_straight if n else None, tol=1e-9, rel=True)
    mean = f"{sum(ratios) / n:.4f}" if n else "n/a"
    print(f"{len(origins)} origins x {len(dests)} destinations: {n} reachable, {unreachable} unreachable, "
          f"{too_close} too close, {far} far from road, mean circuity {mean}: {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
