#!/usr/bin/python3
"""Draws a PNG preview of the sample city (roads by class, parcels by land use,
river, railway, buildings, planted defects). Needs Debian's python3-gdal and
python3-matplotlib.

Usage: scripts/sample_city_preview.py [DIR] [OUT.png] [--bbox minx miny maxx maxy]
"""
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.collections import LineCollection, PolyCollection
from osgeo import ogr

ogr.UseExceptions()
args = sys.argv[1:]
bbox = None
if "--bbox" in args:
    i = args.index("--bbox")
    bbox = [float(v) for v in args[i + 1:i + 5]]
    del args[i:i + 5]
folder = args[0] if args else "data/sample-city"
out = args[1] if len(args) > 1 else folder + "/preview.png"


def features(path, layer):
    ds = ogr.Open(f"{folder}/{path}")
    for f in ds.GetLayerByName(layer):
        yield f, f.GetGeometryRef().Clone()


def rings(g):
    if g.GetGeometryType() in (ogr.wkbPolygon,):
        return [g.GetGeometryRef(0).GetPoints()]
    return [g.GetGeometryRef(i).GetGeometryRef(0).GetPoints() for i in range(g.GetGeometryCount())]


USE_COLOURS = {"R": "#f6e7a6", "A": "#f2b6c6", "B": "#f4a582", "M1": "#c7a7d8", "M2": "#a58cc4",
               "M3": "#7d68a8", "W": "#b9b2d8", "S": "#cccccc", "G": "#a6d49b"}
fig, ax = plt.subplots(figsize=(14, 10.5), dpi=90)
polys, colours = [], []
for f, g in features("landuse.gpkg", "parcels"):
    for r in rings(g):
        polys.append([p[:2] for p in r])
        colours.append(USE_COLOURS.get(f.GetField("landuse"), "#ffffff"))
ax.add_collection(PolyCollection(polys, facecolors=colours, edgecolors="#ffffff", linewidths=0.3))
river = [[p[:2] for p in r] for _, g in features("barriers.gpkg", "river") for r in rings(g)]
ax.add_collection(PolyCollection(river, facecolors="#8ec5e8", edgecolors="#5b9bc9", linewidths=0.5))
bld = [[p[:2] for p in r] for _, g in features("barriers.gpkg", "buildings") for r in rings(g)]
ax.add_collection(PolyCollection(bld, facecolors="#8c7b70", edgecolors="none"))
rail = [[p[:2] for p in g.GetPoints()] for _, g in features("barriers.gpkg", "railway")]
ax.add_collection(LineCollection(rail, colors="#333333", linewidths=2.2, linestyles="dashed"))
STYLE = {"快速路": ("#d7301f", 3.0), "主干路": ("#fc8d59", 2.2), "次干路": ("#555555", 1.3), "支路": ("#777777", 0.6)}
for grade in ("支路", "次干路", "主干路", "快速路"):
    segs = [[p[:2] for p in g.GetPoints()] for f, g in features("roads.gpkg", "roads") if f.GetField("等级") == grade]
    colour, width = STYLE[grade]
    ax.add_collection(LineCollection(segs, colors=colour, linewidths=width, zorder=3))
bridges = [[p[:2] for p in g.GetPoints()] for f, g in features("roads.gpkg", "roads") if f.GetField("bridge") == "yes"]
ax.add_collection(LineCollection(bridges, colors="#000000", linewidths=3.5, zorder=4))
bd = [g.GetGeometryRef(0).GetPoints() for _, g in features("landuse.gpkg", "study_boundary")][0]
ax.plot([p[0] for p in bd], [p[1] for p in bd], color="#2b8cbe", linewidth=1.0)
KIND = {"cul_de_sac": "o", "near_miss": "X", "stub": "^", "isolated": "s", "boundary": "D", "duplicate": "P", "skeleton_gap": "*"}
for f, g in features("defects.gpkg", "defects"):
    x, y = g.GetX(), g.GetY()
    ax.plot(x, y, KIND[f.GetField("kind")], color="#e7298a", markersize=9, zorder=5)
    if f.GetField("kind") != "boundary":
        ax.annotate(f.GetField("defect_id"), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=7, zorder=6)
ax.set_aspect("equal")
if bbox:
    ax.set_xlim(bbox[0], bbox[2])
    ax.set_ylim(bbox[1], bbox[3])
else:
    ax.autoscale()
ax.set_title("sample city (EPSG:4548): roads by class, parcels by land use, planted defects")
fig.tight_layout()
fig.savefig(out)
print(out)
