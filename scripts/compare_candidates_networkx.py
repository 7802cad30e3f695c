#!/usr/bin/python3
"""Recompute the OD savings of `plan candidates` with NetworkX, to the millimetre.

Runs `plan network` (the graph: edges with their node ids and lengths) and
`plan candidates` with given origin and destination points (every origin to
every destination, so the pairs are known here), then for each of the top K
candidates rebuilds the edited graph independently: the target edge split at
the link's end point, the link added; every OD point snapped to its nearest
edge (perpendicular foot; ties to the lowest edge id, new edges last); pair
distance = both snap legs + the shortest path between the seats (NetworkX
Dijkstra), all in whole millimetres (lengths rounded half up, at least 1 mm).
The saving over the pairs connected before and after must equal the
candidate's od_saving_m exactly.

With --check reach (or both): the road length reachable from the dead end
within --reach-radius on the edited graph minus on the base graph (NetworkX
Dijkstra from the dead end with the radius as cutoff; an edge whose end is
reached at d counts from that end for radius - d, the two ends' pieces as a
union, self-loops left out), in whole millimetres, must equal the candidate's
reach_gain_m (to 1e-6 m: plan sums the same millimetres and rounds to whole mm).
Exit 0 when all agree.

usage: compare_candidates_networkx.py PLAN ROADS WORKDIR [--barriers B ...] [--top K] [--points N] [--seed S]
                                      [--check od|reach|both] [--reach-radius M]
Run with Debian's /usr/bin/python3 (networkx, geopandas, numpy).
"""
import argparse
import json
import math
import os
import subprocess
import sys

import geopandas as gpd
import networkx as nx
import numpy as np
from shapely.geometry import Point


def mm(metres):
    return max(1, int(math.floor(metres * 1000.0 + 0.5)))


def leg_mm(metres):
    return int(math.floor(metres * 1000.0 + 0.5))


def line_length(coords):
    return sum(math.hypot(coords[i][0] - coords[i - 1][0], coords[i][1] - coords[i - 1][1]) for i in range(1, len(coords)))


def snap(p, edges):
    """Nearest edge to p: (edge id, along m, distance m); ties: lowest id."""
    best = None
    for eid in sorted(edges):
        c = edges[eid]["coords"]
        walked = 0.0
        for i in range(1, len(c)):
            ax, ay = c[i - 1]
            bx, by = c[i]
            dx, dy = bx - ax, by - ay
            l2 = dx * dx + dy * dy
            t = 0.0 if l2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / l2))
            fx, fy = ax + t * dx, ay + t * dy
            d = math.hypot(p[0] - fx, p[1] - fy)
            seg = math.sqrt(l2)
            if best is None or d < best[2]:
                best = (eid, walked + t * seg, d)
            walked += seg
    return best


def simple_graph(edges):
    g = nx.Graph()
    for eid, e in edges.items():
        if e["from"] == e["to"]:
            continue
        w = mm(e["length"])
        if g.has_edge(e["from"], e["to"]) and g[e["from"]][e["to"]]["weight"] <= w:
            continue
        g.add_edge(e["from"], e["to"], weight=w)
    return g


def pair_distances(edges, origins, destinations, near):
    """Distances (mm, None = no path) for every origin to every destination."""
    g = simple_graph(edges)
    pts = origins + destinations

    def seat(p):
        eid, along, d = snap(p, near(p, edges))
        e = edges[eid]
        length = mm(e["length"])
        a = min(max(leg_mm(along), 0), length)
        return eid, e["from"], e["to"], a, length, leg_mm(d)

    seats = [seat(p) for p in pts]
    out = []
    for i in range(len(origins)):
        s = seats[i]
        g.add_edge("o", s[1], weight=s[3])
        if s[2] != s[1]:
            g.add_edge("o", s[2], weight=s[4] - s[3])
        dist = nx.single_source_dijkstra_path_length(g, "o", weight="weight")
        g.remove_node("o")
        for j in range(len(destinations)):
            t = seats[len(origins) + j]
            best = None
            for node, off in ((t[1], t[3]), (t[2], t[4] - t[3])):
                if node in dist and (best is None or dist[node] + off < best):
                    best = dist[node] + off
            if s[0] == t[0]:
                direct = abs(s[3] - t[3])
                best = direct if best is None else min(best, direct)
            out.append(None if best is None else best + s[5] + t[5])
    return out


def reach_mm(edges, source, radius_mm):
    """Road length (mm) reachable from node `source` within radius_mm."""
    dist = nx.single_source_dijkstra_path_length(simple_graph(edges), source, cutoff=radius_mm, weight="weight")
    total = 0
    for e in edges.values():
        if e["from"] == e["to"]:
            continue
        length = mm(e["length"])
        pieces = []
        if e["from"] in dist:
            pieces.append((0, min(length, radius_mm - dist[e["from"]])))
        if e["to"] in dist:
            pieces.append((max(0, length - (radius_mm - dist[e["to"]])), length))
        pieces = sorted(p for p in pieces if p[1] > p[0])
        if len(pieces) == 2 and pieces[1][0] <= pieces[0][1]:
            pieces = [(pieces[0][0], max(pieces[0][1], pieces[1][1]))]
        total += sum(b - a for a, b in pieces)
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plan")
    ap.add_argument("roads")
    ap.add_argument("workdir")
    ap.add_argument("--barriers", action="append", default=[])
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--points", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--check", choices=["od", "reach", "both"], default="od")
    ap.add_argument("--reach-radius", type=float, default=800.0)
    a = ap.parse_args()
    check_od, check_reach = a.check in ("od", "both"), a.check in ("reach", "both")
    os.makedirs(a.workdir, exist_ok=True)
    net_path = os.path.join(a.workdir, "network.gpkg")
    subprocess.run([a.plan, "network", a.roads, "-o", net_path, "--overwrite", "-q"], check=True, stdout=subprocess.DEVNULL)
    edges_df = gpd.read_file(net_path, layer="edges")
    crs = edges_df.crs
    edges = {}
    for row in edges_df.itertuples():
        coords = list(row.geometry.coords)
        edges[int(row.edge_id)] = {"from": int(row.from_node), "to": int(row.to_node), "coords": coords,
                                   "length": float(row.length_m)}
    next_id = max(edges) + 1
    next_node = max(max(e["from"], e["to"]) for e in edges.values()) + 1

    # OD points: random, near the roads (fixed seed)
    rng = np.random.default_rng(a.seed)
    minx, miny, maxx, maxy = edges_df.total_bounds
    def pts(n):
        return [(float(x), float(y)) for x, y in zip(rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n))]
    origins, destinations = pts(a.points), pts(a.points)
    for name, p in (("origins", origins), ("destinations", destinations)):
        gpd.GeoDataFrame({"id": list(range(len(p)))}, geometry=[Point(x, y) for x, y in p], crs=crs).to_file(
            os.path.join(a.workdir, name + ".gpkg"), layer=name, driver="GPKG")
    cand_path = os.path.join(a.workdir, "candidates.gpkg")
    cmd = [a.plan, "candidates", a.roads, "--od-origins", os.path.join(a.workdir, "origins.gpkg"),
           "--od-destinations", os.path.join(a.workdir, "destinations.gpkg"), "-o", cand_path, "--overwrite", "--json", "-q",
           "--reach-radius", repr(a.reach_radius)]
    for b in a.barriers:
        cmd += ["--barriers", b]
    summary = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    cands = gpd.read_file(cand_path, layer="candidates").sort_values("rank").head(a.top)

    # a coarse grid of segment boxes would be faster; the sample city is small enough for a full scan
    def near(p, es):
        return es

    radius = leg_mm(a.reach_radius)
    if check_od:
        base = pair_distances(edges, origins, destinations, near)
        print(f"{len(origins)} x {len(destinations)} pairs, {sum(d is not None for d in base)} connected; "
              f"plan: {summary['candidates']} candidates")
    else:
        print(f"plan: {summary['candidates']} candidates; reach within {a.reach_radius:g} m")
    failures = 0
    for row in cands.itertuples():
        coords = list(row.geometry.coords)
        u_pos, q = coords[0], coords[-1]
        edited = {k: dict(v) for k, v in edges.items()}
        # the dead end's node
        u = None
        for e in edges.values():
            for n, c in ((e["from"], e["coords"][0]), (e["to"], e["coords"][-1])):
                if c == u_pos:
                    u = n
        # the target: a node at q (within the snap), else the edge through q, split there
        t = None
        for e in edges.values():
            for n, c in ((e["from"], e["coords"][0]), (e["to"], e["coords"][-1])):
                if math.hypot(c[0] - q[0], c[1] - q[1]) <= 0.01:
                    t = n
        link_end = q
        if t is None:
            eid, along, d = snap(q, edges)
            e = edges[eid]
            c = e["coords"]
            # the segment holding the foot, and the foot itself
            best = None
            for i in range(1, len(c)):
                ax, ay = c[i - 1]
                bx, by = c[i]
                dx, dy = bx - ax, by - ay
                l2 = dx * dx + dy * dy
                tt = max(0.0, min(1.0, ((q[0] - ax) * dx + (q[1] - ay) * dy) / l2))
                f = (ax + tt * dx, ay + tt * dy)
                dd = math.hypot(q[0] - f[0], q[1] - f[1])
                if best is None or dd < best[0]:
                    best = (dd, i, f)
            _, i, foot = best
            half_a = c[:i] + [foot]
            half_b = [foot] + c[i:]
            t = next_node
            del edited[eid]
            edited[next_id] = {"from": e["from"], "to": t, "coords": half_a, "length": line_length(half_a)}
            edited[next_id + 1] = {"from": t, "to": e["to"], "coords": half_b, "length": line_length(half_b)}
            link_end = foot
            link_id = next_id + 2
        else:
            for e in edges.values():
                if e["from"] == t:
                    link_end = e["coords"][0]
                    break
                if e["to"] == t:
                    link_end = e["coords"][-1]
                    break
            link_id = next_id
        link = [u_pos, link_end]
        edited[link_id] = {"from": u, "to": t, "coords": link, "length": line_length(link)}
        if check_od:
            after = pair_distances(edited, origins, destinations, near)
            saving = sum(b - x for b, x in zip(base, after) if b is not None and x is not None)
            plan_mm = int(round(row.od_saving_m * 1000.0))
            ok = saving == plan_mm
            failures += 0 if ok else 1
            print(f"{row.candidate_id} rank {row.rank}: plan {plan_mm} mm, networkx {saving} mm {'ok' if ok else 'DIFFERENT'}")
        if check_reach:
            gain = reach_mm(edited, u, radius) - reach_mm(edges, u, radius)
            ok = abs(gain / 1000.0 - row.reach_gain_m) <= 1e-6
            failures += 0 if ok else 1
            print(f"{row.candidate_id} rank {row.rank}: reach gain plan {row.reach_gain_m:.6f} m, "
                  f"networkx {gain / 1000.0:.6f} m {'ok' if ok else 'DIFFERENT'}")
    if failures:
        print(f"{failures} checks differ")
        return 1
    print("all agree to the millimetre" if check_od else "all agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
