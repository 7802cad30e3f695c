#!/usr/bin/python3
"""Compare `plan metrics` centrality with igraph and NetworkX (and, for radii,
igraph's cutoff and scripts/dijkstra_cutoff.py).

Reads the edges/nodes layers of `plan metrics -o OUT.gpkg`, keeps the largest
connected component, makes the undirected simple graph (self-loops out, of
parallel edges the shortest; ties: lowest edge id, as plan does) with lengths
rounded to whole millimetres (at least 1), and computes unnormalised node and
edge betweenness and harmonic closeness (1/m). Reports the largest relative
difference per measure; exit 1 when one exceeds --rtol (default 1e-9).

usage: compare_centrality.py OUT.gpkg [--radii 400,800] [--no-networkx] [--no-python-cutoff] [--time]
"""
import argparse
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import geopandas as gpd  # noqa: E402
import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402

from dijkstra_cutoff import brandes_cutoff  # noqa: E402


def mm(length):
    return max(1, int(math.floor(length * 1000.0 + 0.5)))


def load(gpkg):
    edges = gpd.read_file(gpkg, layer="edges")
    nodes = gpd.read_file(gpkg, layer="nodes")
    best = {}
    for row in edges.itertuples():
        u, v, e = int(row.from_node), int(row.to_node), int(row.edge_id)
        if u == v:
            continue
        key = (min(u, v), max(u, v))
        w = mm(float(row.length_m))
        if key not in best or (w, e) < best[key][:2]:
            best[key] = (w, e)
    g = nx.Graph()
    for (u, v), (w, e) in best.items():
        g.add_edge(u, v, w=w, edge=e)
    comp = max(nx.connected_components(g), key=len)
    g = g.subgraph(comp).copy()
    return g, edges.set_index("edge_id"), nodes.set_index("node_id")


def worst(ours, ref):
    w = 0.0
    for k, r in ref.items():
        o = ours[k]
        d = abs(o - r)
        scale = max(abs(o), abs(r))
        w = max(w, d / scale if scale > 0 else 0.0)
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gpkg")
    ap.add_argument("--radii", default="")
    ap.add_argument("--rtol", type=float, default=1e-9)
    ap.add_argument("--no-networkx", action="store_true")
    ap.add_argument("--no-python-cutoff", action="store_true")
    a = ap.parse_args()
    g, edges, nodes = load(a.gpkg)
    order = sorted(g.nodes)
    index = {v: i for i, v in enumerate(order)}
    elist = sorted(g.edges(data=True), key=lambda x: x[2]["edge"])
    h = ig.Graph(n=len(order), edges=[(index[u], index[v]) for u, v, _ in elist])
    weights = [d["w"] for _, _, d in elist]
    ekeys = [d["edge"] for _, _, d in elist]
    print(f"largest component: {len(order)} nodes, {len(elist)} edges (undirected simple graph, mm lengths)")
    failures = 0

    def report(label, ours, ref):
        nonlocal failures
        w = worst(ours, ref)
        ok = w <= a.rtol
        failures += 0 if ok else 1
        print(f"  {label}: max relative difference {w:.3g} {'ok' if ok else 'FAIL'}")

    radii = [0.0] + [float(r) for r in a.radii.split(",") if r]
    for r in radii:
        col = "global" if r == 0 else f"r{r:.0f}"
        ours_n = {v: float(nodes.loc[v, f"betweenness_{col}"]) for v in order}
        ours_h = {v: float(nodes.loc[v, f"harmonic_{col}"]) for v in order}
        ours_e = {e: float(edges.loc[e, f"betweenness_{col}"]) for e in ekeys}
        cutoff = None if r == 0 else mm(r)
        print(f"{col}:")
        t0 = time.perf_counter()
        bn = h.betweenness(directed=False, weights=weights, cutoff=cutoff)
        t1 = time.perf_counter()
        be = h.edge_betweenness(directed=False, weights=weights, cutoff=cutoff)
        hc = h.harmonic_centrality(weights=weights, cutoff=cutoff, normalized=False)
        print(f"  igraph {ig.__version__}: node betweenness {t1 - t0:.2f} s")
        report("igraph node betweenness", ours_n, {v: bn[index[v]] for v in order})
        report("igraph edge betweenness", ours_e, {ekeys[i]: be[i] for i in range(len(ekeys))})
        if r == 0:
            report("igraph harmonic", ours_h, {v: 1000.0 * hc[index[v]] for v in order})
        else:
            # igraph 0.10.2 returns 0 for every vertex of a weighted harmonic
            # centrality with a cutoff (3-node path, weights 100, cutoff 250: [0, 0, 0]);
            # dijkstra_cutoff.py is the reference for radii.
            print(f"  igraph harmonic with cutoff: not compared (igraph {ig.__version__} returns all zeros)")
        if r == 0 and not a.no_networkx:
            t0 = time.perf_counter()
            nb = nx.betweenness_centrality(g, weight="w", normalized=False)
            t1 = time.perf_counter()
            eb = nx.edge_betweenness_centrality(g, weight="w", normalized=False)
            nh = nx.harmonic_centrality(g, distance="w")
            print(f"  NetworkX {nx.__version__}: node betweenness {t1 - t0:.2f} s")
            report("NetworkX node betweenness", ours_n, nb)
            report("NetworkX edge betweenness", ours_e, {g[u][v]["edge"]: x for (u, v), x in eb.items()})
            report("NetworkX harmonic", ours_h, {v: 1000.0 * x for v, x in nh.items()})
        if r > 0 and not a.no_python_cutoff:
            adj = {v: [] for v in order}
            for u, v, d in elist:
                adj[u].append((v, d["w"], d["edge"]))
                adj[v].append((u, d["w"], d["edge"]))
            pn, pe, ph = brandes_cutoff(adj, cutoff)
            report("dijkstra_cutoff.py node betweenness", ours_n, pn)
            report("dijkstra_cutoff.py edge betweenness", ours_e, {k: pe.get(k, 0.0) for k in ekeys})
            report("dijkstra_cutoff.py harmonic", ours_h, {v: 1000.0 * x for v, x in ph.items()})
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
