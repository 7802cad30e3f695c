#!/usr/bin/python3
"""Compare `plan metrics --access` with NetworkX.

Reads the `edges` and `access` layers of `plan metrics ... --access P -o OUT.gpkg`
and recomputes, independently:
- the snap: each site's nearest edge and distance (shapely, every edge);
- the network: NetworkX graph of the edges with lengths in whole millimetres
  (at least 1), each site inserted on its edge at `snap_along_m` (mm), sites on
  one edge chained in order along it;
- distance to the nearest road of the classes (--classes, default arterial):
  multi-source Dijkstra from every node of such a road and every site on one;
- for each radius: road length reachable (each piece of edge between nodes
  covered from both ends) and the number of other sites within it;
- with --skeleton: distance to the skeleton, from every node of an edge of the
  `skeleton_edges` layer (the edges `plan metrics --skeleton` matched to a
  skeleton line) and every site on one; and the summary (mean, nearest-rank
  median and p90, max, unreachable count) against --json's access.to_skeleton
  when --json FILE is given;
- for each --target NAME=FILE[:LAYER]: distance to the nearest target point
  (centroids of polygons), the targets snapped and inserted like the sites;
- with --json FILE: the summaries access.to_targets (reachable, unreachable,
  mean, max per target) and access.within (sites, mean and least road km,
  mean number of other sites per radius) from the per-site values above.
Exit 1 when a value differs by more than 1e-6 m (counts: exactly).

usage: compare_accessibility.py OUT.gpkg [--classes arterial] [--radii 400,800] [--target NAME=FILE[:LAYER]]
                                [--skeleton] [--json METRICS.json]
"""
import argparse
import json
import math
import sys

import geopandas as gpd
import networkx as nx


def mm(length):
    return max(1, int(math.floor(length * 1000.0 + 0.5)))


def snap(point, edges):
    """(edge_id, distance, along) of the nearest edge; ties: lowest edge id."""
    d = edges.geometry.distance(point)
    best = d.min()
    row = edges[d == best].sort_values("edge_id").iloc[0]
    return int(row.edge_id), float(best), float(row.geometry.project(point))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gpkg")
    ap.add_argument("--classes", default="arterial")
    ap.add_argument("--radii", default="400,800")
    ap.add_argument("--target", action="append", default=[])
    ap.add_argument("--skeleton", action="store_true", help="check to_skeleton_m from the skeleton_edges layer")
    ap.add_argument("--json", help="plan metrics --json output: check the summaries access.to_skeleton, "
                    "access.to_targets and access.within")
    a = ap.parse_args()
    edges = gpd.read_file(a.gpkg, layer="edges")
    access = gpd.read_file(a.gpkg, layer="access")
    classes = set(a.classes.split(","))
    radii = [float(r) for r in a.radii.split(",")] if a.radii else []
    bad = 0

    def check(what, ours, theirs, tol=1e-6):
        nonlocal bad
        if ours is None or theirs is None or (isinstance(ours, float) and math.isnan(ours)):
            same = (ours is None or (isinstance(ours, float) and math.isnan(ours))) and theirs is None
        else:
            same = abs(float(ours) - float(theirs)) <= tol
        if not same:
            bad += 1
            if bad <= 10:
                print(f"DIFF {what}: plan {ours} networkx {theirs}")

    by_id = {int(r.edge_id): r for r in edges.itertuples()}
    # 1. the snap, by brute force
    for r in access.itertuples():
        e, dist, _ = snap(r.geometry, edges)
        check(f"site {r.site_id} snap distance", r.snap_distance_m, dist)

    # 2. the graph with the sites (and targets) inserted on their edges
    g = nx.Graph()
    for r in edges.itertuples():
        u, v, w = int(r.from_node), int(r.to_node), mm(r.length_m)
        if u == v:
            continue
        if not g.has_edge(u, v) or w < g[u][v]["weight"]:
            g.add_edge(u, v, weight=w)
    on_edge = {}  # edge id -> [(along mm, node key)]

    def seat(key, edge_id, along_m):
        e = by_id[edge_id]
        length = mm(e.length_m)
        along = min(max(int(math.floor(along_m * 1000.0 + 0.5)), 0), length)
        on_edge.setdefault(edge_id, []).append((along, key))
        g.add_node(key)

    for i, r in enumerate(access.itertuples()):
        seat(("site", i), int(r.snap_edge), float(r.snap_along_m))
    target_keys = {}
    for spec in a.target:
        name, _, src = spec.partition("=")
        path, _, layer = src.partition(":")
        t = gpd.read_file(path, layer=layer or None).to_crs(edges.crs)
        keys = []
        for i, geom in enumerate(t.geometry):
            p = geom if geom.geom_type == "Point" else geom.centroid
            e, _, along = snap(p, edges)
            seat(("target", name, i), e, along)
            keys.append(("target", name, i))
        target_keys[name] = keys
    for edge_id, items in on_edge.items():
        e = by_id[edge_id]
        chain = [(0, int(e.from_node))] + sorted(items, key=lambda x: (x[0], str(x[1]))) + [(mm(e.length_m), int(e.to_node))]
        for (a0, k0), (a1, k1) in zip(chain, chain[1:]):
            w = a1 - a0
            if not g.has_edge(k0, k1) or w < g[k0][k1]["weight"]:
                g.add_edge(k0, k1, weight=w)

    sites = [("site", i) for i in range(len(access))]
    # 3. nearest road of the classes
    sources = set()
    for r in edges.itertuples():
        if r.road_class in classes:
            sources.update([int(r.from_node), int(r.to_node)])
    for edge_id, items in on_edge.items():
        if by_id[edge_id].road_class in classes:
            sources.update(k for _, k in items if k[0] == "site")
    dist = nx.multi_source_dijkstra_path_length(g, sources, weight="weight") if sources else {}
    for r, s in zip(access.itertuples(), sites):
        d = dist.get(s)
        check(f"site {r.site_id} to road class", r.to_road_class_m, None if d is None else d / 1000.0)
    # 3b. the skeleton: sources are the nodes of its edges and the sites on them
    if a.skeleton:
        sk_edges = set(int(e) for e in gpd.read_file(a.gpkg, layer="skeleton_edges").edge_id)
        sources = set()
        for e in sk_edges:
            sources.update([int(by_id[e].from_node), int(by_id[e].to_node)])
            sources.update(k for _, k in on_edge.get(e, []) if k[0] == "site")
        dist = nx.multi_source_dijkstra_path_length(g, sources, weight="weight") if sources else {}
        reached = []
        for r, s in zip(access.itertuples(), sites):
            d = dist.get(s)
            reached += [] if d is None else [d / 1000.0]
            check(f"site {r.site_id} to skeleton", r.to_skeleton_m, None if d is None else d / 1000.0)
        print(f"skeleton: {len(sk_edges)} edges, {len(reached)} sites reach it, {len(access) - len(reached)} do not")
        if a.json:
            with open(a.json, encoding="utf-8") as f:
                ours = json.load(f)["access"]["to_skeleton"]
            reached.sort()
            n = len(reached)
            rank = lambda p: reached[min(n - 1, int(p * (n - 1) + 0.5))]
            check("skeleton edges", ours["skeleton_edges"], len(sk_edges), tol=0)
            check("skeleton reachable", ours["reachable"], n, tol=0)
            check("skeleton unreachable", ours["unreachable"], len(access) - n, tol=0)
            check("skeleton mean", ours["mean_m"], sum(reached) / n if n else None)
            check("skeleton median", ours["median_m"], rank(0.5) if n else None)
            check("skeleton p90", ours["p90_m"], rank(0.9) if n else None)
            check("skeleton max", ours["max_m"], reached[-1] if n else None)
            print(f"skeleton summary: mean {ours['mean_m']} m, median {ours['median_m']} m, p90 {ours['p90_m']} m")
    summary = None
    if a.json:
        with open(a.json, encoding="utf-8") as f:
            summary = json.load(f)["access"]
    # 4. targets
    for name, keys in target_keys.items():
        dist = nx.multi_source_dijkstra_path_length(g, set(keys), weight="weight")
        reached = []
        for r, s in zip(access.itertuples(), sites):
            d = dist.get(s)
            reached += [] if d is None else [d / 1000.0]
            check(f"site {r.site_id} to {name}", getattr(r, f"to_{name}_m"), None if d is None else d / 1000.0)
        if summary is not None:
            ours = next(t for t in summary["to_targets"] if t["name"] == name)
            check(f"target {name} reachable", ours["reachable"], len(reached), tol=0)
            check(f"target {name} unreachable", ours["unreachable"], len(access) - len(reached), tol=0)
            check(f"target {name} mean", ours["mean_m"], sum(reached) / len(reached) if reached else None)
            check(f"target {name} max", ours["max_m"], max(reached) if reached else None)
            print(f"target {name} summary: mean {ours['mean_m']} m, max {ours['max_m']} m")
    # 5. within radii
    site_set = set(sites)
    pieces = physical_pieces(on_edge, edges)
    road_by_radius = {rad: [] for rad in radii}
    sites_by_radius = {rad: [] for rad in radii}
    for r, s in zip(access.itertuples(), sites):
        for rad in radii:
            cut = int(math.floor(rad * 1000.0 + 0.5))
            d = nx.single_source_dijkstra_path_length(g, s, cutoff=cut, weight="weight")
            n_sites = sum(1 for k in d if k in site_set and k != s)
            check(f"site {r.site_id} sites within {rad:.0f}", getattr(r, f"sites_r{rad:.0f}"), n_sites, tol=0)
            road_ours = getattr(r, f"road_m_r{rad:.0f}")
            road_nx = road_within(pieces, d, cut) / 1000.0
            check(f"site {r.site_id} road within {rad:.0f}", road_ours, road_nx, tol=1e-3)
            road_by_radius[rad].append(road_nx / 1000.0)
            sites_by_radius[rad].append(n_sites)
    if summary is not None:
        for rad in radii:
            ours = next(w for w in summary["within"] if w["radius_m"] == rad)
            km, ns = road_by_radius[rad], sites_by_radius[rad]
            check(f"within {rad:.0f} sites", ours["sites"], len(km), tol=0)
            check(f"within {rad:.0f} road km mean", ours["road_km_mean"], sum(km) / len(km) if km else None, tol=1e-6)
            check(f"within {rad:.0f} road km min", ours["road_km_min"], min(km) if km else None, tol=1e-6)
            check(f"within {rad:.0f} sites mean", ours["sites_mean"], sum(ns) / len(ns) if ns else None, tol=1e-9)
            print(f"within {rad:.0f} m summary: {ours['road_km_mean']} km of road, {ours['sites_mean']} sites on average")
    print(f"{len(access)} sites, {len(radii)} radii, {len(target_keys)} target layers: {bad} differ")
    return 1 if bad else 0


def physical_pieces(on_edge, edges):
    """Every physical edge (parallel ones and self-loops included) split at the
    sites and targets on it: [(node, node, mm)]."""
    out = []
    for r in edges.itertuples():
        length = mm(r.length_m)
        chain = [(0, int(r.from_node))] + sorted(on_edge.get(int(r.edge_id), []), key=lambda x: (x[0], str(x[1]))) \
            + [(length, int(r.to_node))]
        out.extend((k0, k1, a1 - a0) for (a0, k0), (a1, k1) in zip(chain, chain[1:]))
    return out


def road_within(pieces, d, cut):
    """Road length (mm) within `cut` of the source: each piece covered from both ends."""
    total = 0
    for k0, k1, w in pieces:
        cover = (cut - d[k0] if k0 in d else 0) + (cut - d[k1] if k1 in d else 0)
        total += min(w, cover)
    return total


if __name__ == "__main__":
    sys.exit(main())
