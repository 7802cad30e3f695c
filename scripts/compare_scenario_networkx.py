#!/usr/bin/python3
"""Recompute a scenario's OD distance savings with NetworkX, to the millimetre.

Reads the outputs of `plan compare STUDY SCENARIO... -o OUT --export-networks`:
  OUT/networks/base.gpkg      layers `edges` (the base network) and `od_points`
  OUT/networks/NAME.gpkg      layer `edges` (the scenario's edited network)
  OUT/od/NAME.csv             pair, origin, destination, base_mm, scenario_mm
and recomputes, independently of libplan, on each network:
  - the snap of every OD point on the BASE network: its nearest edge (shapely,
    every edge; ties: lowest edge id), the distance to it and the position
    along it (whole mm). On a scenario network a point keeps that seat
    (docs/scenarios.md): on its base edge when it is still there; on an edge an
    added line split, on the piece covering its base whole-mm offset (the
    scenario edges lying along the base edge, ordered from its `from` node,
    their whole-mm lengths summed), with its base leg; only when no live piece
    covers it (a closed road) is it snapped afresh on the scenario network.
    (When a closed piece precedes the point's piece, the piece's start offset
    is its rounded position along the base edge: exact when no road is closed.)
  - the graph: NetworkX, edge weights in whole millimetres (at least 1; the
    shortest of parallel edges; self-loops dropped), each point inserted on its
    edge at its position (mm, clamped to the edge), points on one edge chained
    in order along it;
  - each pair's distance: shortest path between the two inserted points plus
    both snap legs (each rounded to the mm); -1 when there is no path.
Then checks every pair's base and scenario distance against plan's exactly, and
prints the saving figures (total, mean, improved, newly connected).
Exit 1 when any distance differs.

usage: compare_scenario_networkx.py OUT NAME [--pairs N]
"""
import argparse
import csv
import math
import sys

import geopandas as gpd
import networkx as nx


def mm(length):
    return max(1, int(math.floor(length * 1000.0 + 0.5)))


def rnd(x):
    return int(math.floor(x * 1000.0 + 0.5))


def read_edges(gpkg):
    edges = gpd.read_file(gpkg, layer="edges").sort_values("edge_id").reset_index(drop=True)
    return edges, {int(r.edge_id): r for r in edges.itertuples()}


def snap(edges, by_id, pt):
    d = edges.geometry.distance(pt)
    best = d.min()
    row = edges[d == best].iloc[0]  # sorted by edge_id: the lowest id on a tie
    e = int(row.edge_id)
    along = min(max(rnd(float(row.geometry.project(pt))), 0), mm(by_id[e].length_m))
    return e, along, rnd(float(best))


def base_seats(gpkg, points, used):
    edges, by_id = read_edges(gpkg)
    return {i: snap(edges, by_id, points[i]) for i in used}


def seat_on_scenario(seat, base_by_id, edges, by_id, pt):
    """(edge, along, leg) of a point seated `seat` on the base, on the scenario network."""
    e, along, leg = seat
    if e in by_id:
        return seat
    line = base_by_id[e].geometry
    near = edges[edges.geometry.intersects(line.buffer(1e-6))]
    pieces = []
    for r in near.itertuples():
        g = r.geometry
        if int(r.edge_id) <= max(base_by_id) or not line.buffer(1e-6).contains(g):
            continue
        a0, a1 = line.project(g.interpolate(0.0)), line.project(g.interpolate(g.length))
        start = min(a0, a1)
        pieces.append((start, int(r.edge_id), a0 > a1))
    pieces.sort()
    before, expect = 0, 0.0
    for k, (start, pe, reversed_) in enumerate(pieces):
        pl = mm(by_id[pe].length_m)
        if abs(start - expect) > 1e-6:  # a gap: a closed piece before this one
            if rnd(expect) <= along < rnd(start):
                break
            before = rnd(start)
        if along <= before + pl or (k + 1 == len(pieces) and abs(start + by_id[pe].length_m - line.length) < 1e-6):
            off = along - before
            return pe, (pl - off if reversed_ else off), leg
        before += pl
        expect = start + by_id[pe].length_m
    return snap(edges, by_id, pt)


def distances(gpkg, points, pairs, seats, base_by_id=None):
    edges, by_id = read_edges(gpkg)
    g = nx.Graph()
    for r in edges.itertuples():
        u, v, w = int(r.from_node), int(r.to_node), mm(r.length_m)
        if u == v:
            continue
        if not g.has_edge(u, v) or w < g[u][v]["weight"]:
            g.add_edge(u, v, weight=w)
    used = sorted({p for pair in pairs for p in pair[1:3]})
    leg = {}
    on_edge = {}
    for i in used:
        e, along, lg = seats[i] if base_by_id is None else seat_on_scenario(seats[i], base_by_id, edges, by_id, points[i])
        along = min(max(along, 0), mm(by_id[e].length_m))
        leg[i] = lg
        on_edge.setdefault(e, []).append((along, ("p", i)))
        g.add_node(("p", i))
    for e, items in on_edge.items():
        r = by_id[e]
        chain = [(0, int(r.from_node))] + sorted(items) + [(mm(r.length_m), int(r.to_node))]
        for (a0, k0), (a1, k1) in zip(chain, chain[1:]):
            w = a1 - a0
            if k0 == k1:
                continue
            if not g.has_edge(k0, k1) or w < g[k0][k1]["weight"]:
                g.add_edge(k0, k1, weight=w)
    out = {}
    by_origin = {}
    for pair in pairs:
        by_origin.setdefault(pair[1], []).append(pair)
    for o, group in by_origin.items():
        dist = nx.single_source_dijkstra_path_length(g, ("p", o), weight="weight")
        for pair in group:
            d = dist.get(("p", pair[2]))
            out[pair[0]] = -1 if d is None else d + leg[o] + leg[pair[2]]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("name")
    ap.add_argument("--pairs", type=int, default=0, help="check only the first N pairs (0 = all)")
    a = ap.parse_args()
    pts = gpd.read_file(f"{a.out}/networks/base.gpkg", layer="od_points").sort_values("point")
    points = list(pts.geometry)
    rows = []
    with open(f"{a.out}/od/{a.name}.csv", newline="") as f:
        for r in csv.DictReader(f):
            rows.append((int(r["pair"]), int(r["origin"]), int(r["destination"]), int(r["base_mm"]), int(r["scenario_mm"])))
    if a.pairs:
        rows = rows[: a.pairs]
    used = sorted({p for pair in rows for p in pair[1:3]})
    seats = base_seats(f"{a.out}/networks/base.gpkg", points, used)
    _, base_by_id = read_edges(f"{a.out}/networks/base.gpkg")
    base = distances(f"{a.out}/networks/base.gpkg", points, rows, seats)
    scen = distances(f"{a.out}/networks/{a.name}.gpkg", points, rows, seats, base_by_id)
    bad = 0
    total = improved = compared = newly = 0
    for pair, o, d, bmm, smm in rows:
        for what, ours, theirs in (("base", bmm, base[pair]), ("scenario", smm, scen[pair])):
            if ours != theirs:
                bad += 1
                if bad <= 10:
                    print(f"DIFF pair {pair} ({o}->{d}) {what}: plan {ours} networkx {theirs}")
        b, s = base[pair], scen[pair]
        if b >= 0 and s >= 0:
            compared += 1
            total += b - s
            improved += s < b
        elif b < 0 and s >= 0:
            newly += 1
    print(f"{len(rows)} pairs checked, {bad} differ")
    print(f"networkx: total_saving_mm {total}, compared {compared}, improved {improved}, newly_connected {newly}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
