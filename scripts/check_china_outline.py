#!/usr/bin/python3
"""Checks libplan's coarse outline of China (libplan/src/crs/china_outline.cpp)
against Natural Earth's 1:110m countries as GeoPandas ships them.

Every land point of a 0.25-degree grid over 70-141 E, 15-56 N that lies more
than 0.5 degree (about 50 km) from Natural Earth's border of China (with
Taiwan) must be on the same side of libplan's outline. Prints the points
that are not, and exits 1 when there are more than --allow of them.

    /usr/bin/python3 scripts/check_china_outline.py [--allow N]
"""
import argparse
import re
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import Point, Polygon
from shapely.ops import unary_union

warnings.filterwarnings("ignore")
ap = argparse.ArgumentParser()
ap.add_argument("--allow", type=int, default=0, help="disagreements tolerated (disputed areas)")
args = ap.parse_args()

src = (Path(__file__).resolve().parent.parent / "libplan/src/crs/china_outline.cpp").read_text()
body = src[src.index("kOutline[][2] = {"):src.index("};", src.index("kOutline[][2] = {"))]
outline = Polygon([(float(a), float(b)) for a, b in re.findall(r"\{([\d.]+), ([\d.]+)\}", body)])
if not outline.is_valid:
    sys.exit("the outline is not a valid polygon (it crosses itself)")

world = gpd.read_file(gpd.datasets.get_path("naturalearth_lowres"))
china = unary_union(list(world[world.name.isin(["China", "Taiwan"])].geometry))
others = unary_union(list(world[~world.name.isin(["China", "Taiwan"])].geometry))
border = china.boundary
checked, wrong = 0, []
for lon in np.arange(70.0, 141.0, 0.25):
    for lat in np.arange(15.0, 56.0, 0.25):
        p = Point(lon, lat)
        in_china = china.contains(p)
        if not (in_china or others.contains(p)) or border.distance(p) < 0.5:
            continue
        checked += 1
        if outline.contains(p) != in_china:
            wrong.append((lon, lat, "China" if in_china else "not China"))
print(f"{checked} land points more than 0.5 degree from the border; {len(wrong)} on the wrong side of libplan's outline")
for w in wrong:
    print(f"  {w[0]:.2f} E {w[1]:.2f} N: Natural Earth says {w[2]}")
sys.exit(0 if len(wrong) <= args.allow else 1)
