#!/usr/bin/python3
"""Oracle check of `plan landuse` against GeoPandas (Debian's python3-geopandas).

Recomputes, independently of libplan, every parcel's area in mu (in the CRS of
plan's result layer), the total parcel mu, and per land-use class, park and
zone (the parcel fields, when the parcels have them): the parcel count and mu,
and the enterprises, tax and output summed from the enterprise table; compares
them with plan's `parcels` layer and JSON summary.

Usage (run with /usr/bin/python3):
  compare_landuse_geopandas.py --parcels P [--parcels-layer L] --enterprises TABLE --result OUT.gpkg
      --summary SUMMARY.json [--parcel-id parcel_id] [--enterprise-parcel parcel_id]
      [--id enterprise_id] [--tax tax] [--output revenue] [--land land_mu]
      [--landuse landuse] [--park park] [--zone zone]
The defaults are the sample city's columns (data/sample-city/README.md), which
are also the defaults of the shipped methods.
Exit 0 when everything agrees, 1 with the differences listed otherwise.
"""
import argparse
import json
import math
import sys

import geopandas as gpd
import pandas as pd

MU = 10000.0 / 15.0


def read_table(path):
    if path.lower().endswith((".xlsx", ".xls")):
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, encoding=enc, keep_default_na=False)
        except UnicodeDecodeError:
            continue
    raise SystemExit(f"cannot decode {path}")


def number(text):
    try:
        v = float(str(text).strip())
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def key(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    f = number(v)
    if f is not None and f == int(f) and not str(v).strip().startswith("0"):
        return str(int(f))
    return str(v).strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--parcels", required=True)
    ap.add_argument("--parcels-layer", default=None)
    ap.add_argument("--enterprises", required=True)
    ap.add_argument("--result", required=True)
    ap.add_argument("--summary", required=True)
    ap.add_argument("--parcel-id", default="parcel_id")
    ap.add_argument("--enterprise-parcel", default="parcel_id")
    ap.add_argument("--id", default="enterprise_id")
    ap.add_argument("--tax", default="tax")
    ap.add_argument("--output", default="revenue", help="the method's output column")
    ap.add_argument("--park", default="park", help="parcel field naming the park (skipped when absent)")
    ap.add_argument("--zone", default="zone", help="parcel field naming the zone (skipped when absent)")
    ap.add_argument("--land", default="land_mu")
    ap.add_argument("--landuse", default="landuse")
    ap.add_argument("--tolerance", type=float, default=1e-6, help="relative tolerance")
    a = ap.parse_args()

    result = gpd.read_file(a.result, layer="parcels")
    summary = json.load(open(a.summary, encoding="utf-8"))
    if a.parcels_layer:
        parcels = gpd.read_file(a.parcels, layer=a.parcels_layer).to_crs(result.crs)
    else:
        parcels = gpd.read_file(a.parcels).to_crs(result.crs)
    parcels["pid"] = parcels[a.parcel_id].map(key)
    parcels["mu_gpd"] = parcels.geometry.area / MU
    errors = []

    def close(x, y):
        return abs(x - y) <= a.tolerance * max(1.0, abs(x), abs(y))

    ok = result[result["status"] == "ok"].set_index("parcel_id")
    first = parcels.drop_duplicates("pid", keep="first").set_index("pid")
    for pid, row in ok.iterrows():
        if pid not in first.index:
            errors.append(f"parcel {pid}: in plan's result, not in the input")
        elif not close(first.loc[pid, "mu_gpd"], row["mu"]):
            errors.append(f"parcel {pid}: plan {row['mu']:.6f} mu, GeoPandas {first.loc[pid, 'mu_gpd']:.6f} mu")
    usable = first.loc[[p for p in ok.index if p in first.index]]
    total = float(usable["mu_gpd"].sum())
    if not close(total, summary["land"]["parcel_mu"]):
        errors.append(f"total parcel mu: plan {summary['land']['parcel_mu']:.6f}, GeoPandas {total:.6f}")

    # Enterprises: first row of each id; joined to a usable parcel, or
    # evaluated without one when the table gives a positive land area (key "").
    t = read_table(a.enterprises)
    t["eid"] = t[a.id].map(key)
    t = t[t["eid"] != ""].drop_duplicates("eid", keep="first")
    dims = [d for d in (("landuse", a.landuse), ("park", a.park), ("zone", a.zone)) if d[1] in usable.columns]
    checked = []
    for dim, field in dims:
        plan_agg = {x["key"]: x for x in summary["aggregates"].get(dim, [])}
        keys = usable[field].map(key)
        # parcels and mu per key
        for k, grp in usable.groupby(keys):
            mu = float(grp["mu_gpd"].sum())
            got = plan_agg.get(k, {})
            if got.get("parcels") != len(grp) or not close(got.get("parcel_mu", math.nan), mu):
                errors.append(f"{dim} {k!r}: plan {got.get('parcels')} parcels {got.get('parcel_mu')} mu, "
                              f"GeoPandas {len(grp)} parcels {mu:.6f} mu")
        # enterprises, tax and output per key
        key_of = keys.to_dict()
        sums = {}
        for _, r in t.iterrows():
            pid = key(r[a.enterprise_parcel]) if a.enterprise_parcel in t.columns else ""
            land = number(r[a.land]) if a.land in t.columns else None
            if pid in key_of:
                k = key_of[pid]
            elif land is not None and land > 0:
                k = ""
            else:
                continue
            acc = sums.setdefault(k, [0, 0.0, 0.0])
            acc[0] += 1
            for i, col in ((1, a.tax), (2, a.output)):
                v = number(r[col]) if col in t.columns else None
                acc[i] += v if v is not None and v >= 0 else 0.0
        for k, (n, tax, out) in sums.items():
            got = plan_agg.get(k, {})
            if got.get("enterprises") != n or not close(got.get("tax", math.nan), tax) or not close(got.get("output", math.nan), out):
                errors.append(f"{dim} {k!r}: plan {got.get('enterprises')} enterprises, tax {got.get('tax')}, output "
                              f"{got.get('output')}; GeoPandas/pandas {n}, {tax}, {out}")
        checked.append(f"{len(plan_agg)} {dim}")

    if errors:
        print("\n".join(errors))
        return 1
    print(f"agree: {len(ok)} parcels, {total:.4f} mu; parcels, mu, enterprises, tax and output of " + ", ".join(checked))
    return 0


if __name__ == "__main__":
    sys.exit(main())
