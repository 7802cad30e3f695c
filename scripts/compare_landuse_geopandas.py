#!/usr/bin/python3
"""Oracle check of `plan landuse` against GeoPandas (Debian's python3-geopandas).

Recomputes, independently of libplan, every parcel's area in mu (in the CRS of
plan's result layer), the total and per-land-use parcel mu, and the tax summed
per land-use class from the enterprise table, and compares them with plan's
`parcels` layer and JSON summary.

Usage (run with /usr/bin/python3):
  compare_landuse_geopandas.py --parcels P --enterprises CSV --result OUT.gpkg --summary SUMMARY.json
      [--parcel-id parcel_id] [--enterprise-parcel parcel_id] [--id id] [--tax tax]
      [--land land_mu] [--landuse landuse]
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
        return pd.read_excel(path, dtype=str)
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
    ap.add_argument("--enterprises", required=True)
    ap.add_argument("--result", required=True)
    ap.add_argument("--summary", required=True)
    ap.add_argument("--parcel-id", default="parcel_id")
    ap.add_argument("--enterprise-parcel", default="parcel_id")
    ap.add_argument("--id", default="id")
    ap.add_argument("--tax", default="tax")
    ap.add_argument("--land", default="land_mu")
    ap.add_argument("--landuse", default="landuse")
    ap.add_argument("--tolerance", type=float, default=1e-6, help="relative tolerance")
    a = ap.parse_args()

    result = gpd.read_file(a.result, layer="parcels")
    summary = json.load(open(a.summary, encoding="utf-8"))
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

    plan_lu = {x["key"]: x for x in summary["aggregates"].get("landuse", [])}
    gpd_lu = usable.groupby(usable[a.landuse].map(key))["mu_gpd"].sum().to_dict()
    for k, mu in gpd_lu.items():
        if k not in plan_lu or not close(plan_lu[k]["parcel_mu"], mu):
            errors.append(f"land use {k!r}: plan {plan_lu.get(k, {}).get('parcel_mu')}, GeoPandas {mu:.6f} mu")

    # Tax by land-use class: first row of each id; joined to a usable parcel,
    # or evaluated without one when the table gives a positive land area.
    t = read_table(a.enterprises)
    t["eid"] = t[a.id].map(key)
    t = t[t["eid"] != ""].drop_duplicates("eid", keep="first")
    landuse_of = usable[a.landuse].map(key).to_dict()
    tax = {}
    for _, r in t.iterrows():
        pid = key(r[a.enterprise_parcel])
        land = number(r[a.land]) if a.land in t.columns else None
        if pid in landuse_of:
            k = landuse_of[pid]
        elif land is not None and land > 0:
            k = ""
        else:
            continue
        v = number(r[a.tax])
        tax[k] = tax.get(k, 0.0) + (v if v is not None and v >= 0 else 0.0)
    for k, v in tax.items():
        if k not in plan_lu or not close(plan_lu[k]["tax"], v):
            errors.append(f"tax of land use {k!r}: plan {plan_lu.get(k, {}).get('tax')}, GeoPandas/pandas {v}")

    if errors:
        print("\n".join(errors))
        return 1
    print(f"agree: {len(ok)} parcels, {total:.4f} mu, {len(gpd_lu)} land-use classes, tax of {len(tax)} classes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
