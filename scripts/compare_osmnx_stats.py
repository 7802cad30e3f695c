#!/usr/bin/python3
"""Reproduce `plan metrics` OSMnx keys with OSMnx 1.2.3 itself.

Reads the edges/nodes layers `plan metrics -o OUT.gpkg` wrote, rebuilds the
network as OSMnx models it (a MultiDiGraph: two-way edges as two arcs, one-way
as one, `length` on every arc, geometry kept), lets OSMnx count streets per
node and runs osmnx.basic_stats; then compares every key with the `osmnx`
object of `plan metrics --json`.

usage: compare_osmnx_stats.py OUT.gpkg METRICS.json [--area M2] [--tol M]
exit 0 when every key matches to 1e-9 relative, 1 otherwise.
"""
import argparse
import json
import math
import sys

import geopandas as gpd
import networkx as nx
import osmnx as ox


def build_graph(gpkg):
    edges = gpd.read_file(gpkg, layer="edges")
    nodes = gpd.read_file(gpkg, layer="nodes")
    G = nx.MultiDiGraph(crs=edges.crs)
    for row in nodes.itertuples():
        G.add_node(int(row.node_id), x=row.geometry.x, y=row.geometry.y)
    for row in edges.itertuples():
        u, v = int(row.from_node), int(row.to_node)
        geom = row.geometry
        data = dict(length=float(row.length_m), osmid=int(row.edge_id), geometry=geom)
        if row.oneway in ("both", "forward"):
            G.add_edge(u, v, **data)
        if row.oneway in ("both", "backward"):
            rev = dict(data, geometry=type(geom)(list(geom.coords)[::-1]))
            G.add_edge(v, u, **rev)
    nx.set_node_attributes(G, ox.stats.count_streets_per_node(G), name="street_count")
    return G


def compare(ours, theirs):
    bad = []
    for key, ref in theirs.items():
        if key not in ours:
            bad.append(f"{key}: missing in plan (OSMnx {ref})")
            continue
        got = ours[key]
        if isinstance(ref, dict):
            ref = {str(k): v for k, v in ref.items()}
            if set(ref) != set(got):
                bad.append(f"{key}: keys {sorted(got)} vs OSMnx {sorted(ref)}")
                continue
            for k in ref:
                if not close(got[k], ref[k]):
                    bad.append(f"{key}[{k}]: {got[k]} vs OSMnx {ref[k]}")
        elif not close(got, ref):
            bad.append(f"{key}: {got} vs OSMnx {ref}")
    extra = set(ours) - set(theirs)
    for key in sorted(extra):
        bad.append(f"{key}: in plan only")
    return bad


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gpkg")
    ap.add_argument("metrics_json")
    ap.add_argument("--area", type=float, default=None, help="area in m² (as plan used)")
    ap.add_argument("--tol", type=float, default=15.0, help="clean_int_tol (plan --tolerance)")
    a = ap.parse_args()
    G = build_graph(a.gpkg)
    theirs = ox.basic_stats(G, area=a.area, clean_int_tol=a.tol)
    with open(a.metrics_json) as f:
        ours = json.load(f)["osmnx"]
    bad = compare(ours, theirs)
    print(f"OSMnx {ox.__version__} basic_stats on {len(G)} nodes, {len(G.edges)} arcs: "
          f"{len(theirs)} keys compared, {len(bad)} differ")
    for key in ("n", "m", "intersection_count", "street_length_total", "circuity_avg", "clean_intersection_count"):
        if key in theirs:
            print(f"  {key}: plan {ours.get(key)}  OSMnx {theirs[key]}")
    for b in bad:
        print("  DIFF " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
