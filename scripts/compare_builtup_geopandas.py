#!/usr/bin/python3
"""Compare the built-up area of `plan metrics --parcels` with GeoPandas/shapely.

The built-up area is the union of the parcels closed morphologically by d
metres: unary_union (invalid parcels repaired with make_valid first), then
buffer(+d), then buffer(-d), round joins, 16 segments per quarter circle
(shapely's default). d = 0 is the plain union. The parcels are reprojected to
the CRS of the roads, as plan metrics does.

Reads the output of `plan metrics ROADS --parcels P [--closing d] --json` from
a file and checks density.area_km2 (the closed area) and
density.parcels_union_km2 (the plain union) to 1e-6 relative; with
--road-share it also prints the share of road length inside the area and
inside the plain union (plan warns below 25 %).
Exit 1 on a difference.

usage: compare_builtup_geopandas.py METRICS.json ROADS PARCELS[:LAYER] [--closing 25] [--road-share]
"""
import argparse
import json
import sys

import geopandas as gpd
import shapely
import shapely.geos
from shapely.ops import unary_union
from shapely.validation import make_valid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json")
    ap.add_argument("roads")
    ap.add_argument("parcels")
    ap.add_argument("--closing", type=float, default=25.0)
    ap.add_argument("--road-share", action="store_true", help="also print the share of road length inside")
    a = ap.parse_args()
    with open(a.json, encoding="utf-8") as f:
        ours = json.load(f)["density"]
    roads = gpd.read_file(a.roads)
    path, _, layer = a.parcels.partition(":")
    parcels = gpd.read_file(path, layer=layer or None).to_crs(roads.crs)
    geoms = [g if g.is_valid else make_valid(g) for g in parcels.geometry if g is not None and not g.is_empty]
    union = unary_union(geoms)
    d = a.closing
    closed = union.buffer(d, 16).buffer(-d, 16) if d > 0 else union
    union_km2, closed_km2 = union.area / 1e6, closed.area / 1e6
    bad = 0

    def check(what, plan, ref, rel=1e-6):
        nonlocal bad
        ok = abs(plan - ref) <= rel * max(abs(ref), 1e-12)
        bad += not ok
        print(f"{what}: plan {plan:.9f} geopandas {ref:.9f} {'same' if ok else 'DIFFERS'}")

    check("area_km2 (closed)", ours["area_km2"], closed_km2)
    if d > 0:
        check("parcels_union_km2", ours["parcels_union_km2"], union_km2)
    check("area_closing_m", ours["area_closing_m"], d)
    if a.road_share:  # slow on a whole city: one clip of every road per area
        total = roads.geometry.length.sum()
        inside = roads.geometry.intersection(closed).length.sum()
        print(f"road length inside the built-up area: {100 * inside / total:.2f} % "
              f"(union alone: {100 * roads.geometry.intersection(union).length.sum() / total:.2f} %)")
    print(f"shapely {shapely.__version__}, GEOS {shapely.geos.geos_version_string}")
    print(f"built-up area: {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
