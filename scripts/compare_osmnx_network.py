#!/usr/bin/python3
"""Compare `plan network` with OSMnx 1.2.3 on OSM extracts (issue 4, Correctness).

For each OSM file: OSMnx gets the highway ways alone (`osmium tags-filter FILE
w/highway`), builds `graph_from_xml(simplify=True, retain_all=True)` and counts
streets per node with `osmnx.stats.count_streets_per_node`; `plan network
--classes all --noding vertices --snap 0 --keep-duplicates --json` runs on the
original file (identical pieces kept as parallel edges, as OSMnx keeps them).
Compared: dead ends (street count 1), intersections (street count >= 3),
weakly connected components, and length in km of the undirected graph.
Tolerances: counts within 1 %, length within 0.5 %. Exit 0 when all agree,
1 when a figure is out of tolerance, 77 when a tool is missing.

Run with Debian's interpreter:  /usr/bin/python3 scripts/compare_osmnx_network.py \
    --plan build/release/bin/plan ../shared/data/real/chengdu_2018.osm ../shared/data/real/monaco_2016.osm.pbf
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

COUNT_TOL = 0.01
LENGTH_TOL = 0.005


def osmnx_figures(path, workdir):
    try:
        import networkx as nx
        import osmnx as ox
    except ImportError as e:  # pragma: no cover - environment dependent
        print(f"SKIPPED: {e}", file=sys.stderr)
        sys.exit(77)
    if shutil.which("osmium") is None:
        print("SKIPPED: osmium-tool is not installed", file=sys.stderr)
        sys.exit(77)
    hw = os.path.join(workdir, os.path.basename(path).split(".")[0] + "_highways.osm")
    subprocess.run(["osmium", "tags-filter", path, "w/highway", "-o", hw, "--overwrite", "-f", "osm"],
                   check=True, capture_output=True)
    G = ox.graph_from_xml(hw, simplify=True, retain_all=True)
    sc = ox.stats.count_streets_per_node(G)
    Gu = ox.get_undirected(G)
    return {
        "dead_ends": sum(1 for v in sc.values() if v == 1),
        "intersections": sum(1 for v in sc.values() if v >= 3),
        "components": nx.number_weakly_connected_components(G),
        "length_km": sum(d["length"] for _, _, d in Gu.edges(data=True)) / 1000.0,
        "nodes": G.number_of_nodes(),
        "edges_undirected": Gu.number_of_edges(),
    }


def plan_figures(plan, path):
    out = subprocess.run([plan, "network", path, "--classes", "all", "--noding", "vertices", "--snap", "0", "--keep-duplicates", "--json",
                          "--quiet"], check=True, capture_output=True, text=True)
    j = json.loads(out.stdout)
    return {
        "dead_ends": j["dead_ends"]["total"],
        "intersections": j["intersections"],
        "components": j["components"],
        "length_km": j["length_km"],
        "nodes": j["nodes"],
        "edges_undirected": j["edges"],
        "duplicates_merged": j["build"]["duplicates_merged"],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plan", required=True, help="path to the plan binary")
    ap.add_argument("--json", action="store_true", help="print the comparison as JSON")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    ok = True
    report = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in args.files:
            o = osmnx_figures(path, tmp)
            p = plan_figures(args.plan, path)
            rows = []
            for key, tol in (("dead_ends", COUNT_TOL), ("intersections", COUNT_TOL), ("components", COUNT_TOL),
                             ("length_km", LENGTH_TOL)):
                ref = o[key]
                rel = abs(p[key] - ref) / ref if ref else (0.0 if p[key] == ref else 1.0)
                good = rel <= tol
                ok = ok and good
                rows.append({"figure": key, "osmnx": ref, "plan": p[key], "relative_difference": round(rel, 6),
                             "tolerance": tol, "ok": good})
            report.append({"file": os.path.basename(path), "rows": rows,
                           "info": {"osmnx_nodes": o["nodes"], "osmnx_undirected_edges": o["edges_undirected"],
                                    "plan_nodes": p["nodes"], "plan_edges": p["edges_undirected"],
                                    "plan_duplicates_merged": p["duplicates_merged"]}})
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for r in report:
            print(r["file"])
            for row in r["rows"]:
                print(f"  {row['figure']:<14} osmnx {row['osmnx']:>12.3f}  plan {row['plan']:>12.3f}  "
                      f"diff {100 * row['relative_difference']:6.3f} %  (tol {100 * row['tolerance']:.1f} %)  "
                      f"{'ok' if row['ok'] else 'OUT OF TOLERANCE'}")
            print("  " + ", ".join(f"{k} {v}" for k, v in r["info"].items()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
