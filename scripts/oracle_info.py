#!/usr/bin/python3
"""Independent figures for `plan info`: feature count and exact extent of a layer
from a full scan by GDAL's own command-line tools.

  count:  ogrinfo -ro -sql "SELECT COUNT(*) FROM <layer>"
  extent: ogr2ogr writes every feature as GeoJSON in the source CRS (no
          reprojection) and the min/max of all coordinates is taken here.

Usage: oracle_info.py SOURCE LAYER      -> prints JSON {"count": n, "extent": [minx, miny, maxx, maxy]}
"""
import json
import math
import re
import subprocess
import sys


def count(source, layer):
    out = subprocess.run(["ogrinfo", "-ro", "-q", "-sql", f'SELECT COUNT(*) FROM "{layer}"', source],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"COUNT_\*\s*\(Integer\)\s*=\s*(\d+)", out) or re.search(r"=\s*(\d+)", out)
    return int(m.group(1))


def walk(coords, box):
    if isinstance(coords, (int, float)):
        return
    if coords and isinstance(coords[0], (int, float)):
        x, y = coords[0], coords[1]
        if math.isfinite(x) and math.isfinite(y):
            box[0] = min(box[0], x); box[1] = min(box[1], y)
            box[2] = max(box[2], x); box[3] = max(box[3], y)
        return
    for c in coords:
        walk(c, box)


def extent(source, layer):
    # GeoJSON (not GeoJSONSeq, which always reprojects to WGS84) keeps the source CRS.
    out = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", source, layer,
                          "-lco", "RFC7946=NO", "-lco", "COORDINATE_PRECISION=15"],
                         check=True, capture_output=True, text=True,
                         env={"OSM_USE_CUSTOM_INDEXING": "NO", "PATH": "/usr/bin:/bin"}).stdout
    box = [math.inf, math.inf, -math.inf, -math.inf]
    for feature in json.loads(out)["features"]:
        g = feature.get("geometry")
        if not g:
            continue
        if g["type"] == "GeometryCollection":
            for part in g["geometries"]:
                walk(part["coordinates"], box)
        else:
            walk(g["coordinates"], box)
    return box if math.isfinite(box[0]) else None


if __name__ == "__main__":
    src, lyr = sys.argv[1], sys.argv[2]
    print(json.dumps({"count": count(src, lyr), "extent": extent(src, lyr)}))
