#!/usr/bin/python3
"""Recompute with shapely/GeoPandas the roads every bridge or underpass
candidate of `plan candidates` passes over, and compare with its layer fields
passes_over_roads and passes_over (docs/candidates.md, "Bridges pass over roads").

usage: check_passes_over_shapely.py EDGES.gpkg CANDIDATES.gpkg

EDGES.gpkg: `plan network ... -o` of the same roads (layer edges);
CANDIDATES.gpkg: `plan candidates ... -o` (layer candidates). A crossing is
any point where the link meets an edge more than 1 mm from the link's ends
(plan uses max(--snap, 1 mm)); crossings within 1 cm of each other (a node)
count once. Names: the edge's name, or "unnamed <class label>", each once in
order along the link. Prints one line per bridge candidate and
"N bridge candidates checked, M differ"; exits 1 when any differs or none was checked.
"""
import sys

import geopandas as gpd
from shapely.geometry import Point


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    edges = gpd.read_file(sys.argv[1], layer="edges")
    cands = gpd.read_file(sys.argv[2], layer="candidates")
    bridges = cands[cands["bridge"] == "yes"]
    checked = differ = 0
    for _, c in bridges.iterrows():
        line = c.geometry
        hits = []
        for _, r in edges[edges.intersects(line)].iterrows():
            x = line.intersection(r.geometry)
            for p in getattr(x, "geoms", [x]):
                if p.geom_type != "Point":
                    continue
                s = line.project(p)
                if 0.001 < s < line.length - 0.001:
                    name = r.get("name")
                    if not isinstance(name, str) or not name:
                        name = "unnamed " + str(r.get("class_label"))
                    hits.append((s, name))
        hits.sort()
        count, names, last = 0, [], None
        for s, name in hits:
            if last is not None and s - last <= 0.01:
                continue
            last = s
            count += 1
            if name not in names:
                names.append(name)
        want = ", ".join(names) if names else None
        got = c["passes_over"] if isinstance(c["passes_over"], str) else None
        ok = count == int(c["passes_over_roads"]) and want == got
        checked += 1
        differ += 0 if ok else 1
        print(f"{c['candidate_id']}: plan {int(c['passes_over_roads'])} ({got}), shapely {count} ({want}) "
              f"{'ok' if ok else 'DIFFERENT'}")
    print(f"{checked} bridge candidates checked, {differ} differ")
    return 0 if checked > 0 and differ == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
