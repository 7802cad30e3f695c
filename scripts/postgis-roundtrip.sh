#!/usr/bin/env bash
# PostGIS round trip of `plan run` (issue #9 point 4), against a throwaway
# PostgreSQL 15 + PostGIS on loopback:
#   1. initdb + pg_ctl in a temporary folder on a free port (as user postgres when run as root);
#   2. ogr2ogr loads the sample city (roads, land use, barriers, enterprises) into schema public;
#   3. `plan run` of the study from the files into a folder, and of the same study with
#      PG:... inputs into a schema (-o PG:... --schema results); again without --overwrite
#      (refused), and a small study with --overwrite (the schema replaced as a whole);
#   4. the layers, their feature counts and every number of summary.json are compared with
#      the run of data/sample-city/plan.toml from the files.
# The server is stopped and the folder removed whatever happens.
# Usage: scripts/postgis-roundtrip.sh PLAN_BINARY [WORK_DIR]
# Exit: 0 match, 1 mismatch or failure, 77 PostgreSQL/PostGIS not installed (skip).
set -euo pipefail

plan=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
city="$root/data/sample-city"
pgbin=/usr/lib/postgresql/15/bin
if [ ! -x "$pgbin/initdb" ] || [ ! -e /usr/share/postgresql/15/extension/postgis.control ]; then
  echo "postgis-roundtrip: PostgreSQL 15 + PostGIS not installed (scripts/install-deps.sh --postgis); skipped"
  exit 77
fi
py=/usr/bin/python3
work=$(mktemp -d "${2:-/tmp}/plan-postgis.XXXXXX")
chmod 755 "$work"
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi
data="$work/pgdata"
mkdir -p "$data" "$work/sock"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$data" "$work/sock"; fi

cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$pgbin/initdb" -D "$data" -A trust -U plan -E UTF8 --no-locale >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log"; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -w -t 60 -l "$work/sock/server.log" \
  -o "-p $port -k $work/sock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
  { cat "$work/sock/server.log"; exit 1; }
psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U plan)
"${psql[@]}" -d postgres -c "CREATE DATABASE city" >/dev/null
"${psql[@]}" -d city -c "CREATE EXTENSION postgis" >/dev/null
pg="PG:dbname=city host=127.0.0.1 port=$port user=plan"

# 2. The sample city into PostGIS, feature ids and field names kept.
load() { # SOURCE LAYER TABLE
  ogr2ogr -f PostgreSQL "$pg" "$1" "$2" -nln "$3" -preserve_fid -lco LAUNDER=NO -lco GEOMETRY_NAME=geom \
    -lco FID=fid >/dev/null
}
load "$city/roads.gpkg" roads roads
for l in parcels zones industrial_parks study_boundary; do load "$city/landuse.gpkg" "$l" "$l"; done
for l in river railway buildings; do load "$city/barriers.gpkg" "$l" "$l"; done
load "$city/enterprises.csv" enterprises enterprises

# 3. The sample city's plan.toml, with one centrality radius and no scenarios to keep the test
# short (the round trip compares the base): from the files (paths made absolute) and from PostGIS.
sed -E -e "s#^radii = \[400, 800, 1600\]#radii = [400]#" \
    -e "/^scenarios = \[/,/\]/c scenarios = []" \
    -e "s#(\[|= |, )\"([a-z_]+\.(gpkg|csv|toml))#\1\"$city/\2#g" "$city/plan.toml" >"$work/files.toml"
grep -q "radii = \[400\]" "$work/files.toml"
grep -q "^scenarios = \[\]$" "$work/files.toml"
sed -e "s#^roads = [\\\"[].*#roads = [\"$pg|layername=roads\"]#" \
    -e "s#^parcels = [\\\"[].*#parcels = \"$pg|layername=parcels\"#" \
    -e "s#^enterprises = [\\\"[].*#enterprises = \"$pg tables=enterprises|layername=enterprises\"#" \
    -e "s#^zones = [\\\"[].*#zones = \"$pg|layername=zones\"#" \
    -e "s#^parks = [\\\"[].*#parks = \"$pg|layername=industrial_parks\"#" \
    -e "s#^boundary = [\\\"[].*#boundary = \"$pg|layername=study_boundary\"#" \
    -e "s#^barriers = [\\\"[].*#barriers = [\"$pg|layername=river\", \"$pg|layername=railway\", \"$pg|layername=buildings\"]#" \
    "$work/files.toml" >"$work/pg.toml"
grep -q "layername=roads" "$work/pg.toml"

"$plan" run "$work/files.toml" -o "$work/files" -q
"$plan" run "$work/pg.toml" -o "$pg" --schema results -q
if "$plan" run "$work/pg.toml" -o "$pg" --schema results -q 2>"$work/again.err"; then
  echo "postgis-roundtrip: an existing schema was replaced without --overwrite" >&2; exit 1
fi
grep -q "already exists" "$work/again.err"
"${psql[@]}" -d city -At -c "SELECT summary_json FROM results.summary" >"$work/pg_summary.json"
"$plan" info "$work/files/results.gpkg" --json >"$work/files_info.json"
# Every table of the schema with its row count (GDAL would not list the tables without geometry).
for t in $("${psql[@]}" -d city -At -c "SELECT table_name FROM information_schema.tables WHERE table_schema = 'results'"); do
  printf '%s %s\n' "$t" "$("${psql[@]}" -d city -At -c "SELECT count(*) FROM results.\"$t\"")"
done >"$work/pg_counts.txt"

# --overwrite replaces the schema as a whole (a small study: roads only, no centrality).
printf '[inputs]\nroads = ["%s|layername=roads"]\n[centrality]\nenabled = false\n' "$pg" >"$work/small.toml"
"$plan" run "$work/small.toml" -o "$pg" --schema results --overwrite -q
small=$("${psql[@]}" -d city -At -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'results'")
[ "$small" = 7 ] || { echo "postgis-roundtrip: after --overwrite the schema holds $small tables, not 7" >&2; exit 1; }
leftover=$("${psql[@]}" -d city -At -c "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'plan_tmp_%'")
[ "$leftover" = 0 ] || { echo "postgis-roundtrip: temporary schema left behind" >&2; exit 1; }

# 4. Compare.
"$py" - "$work" <<'EOF'
import json, math, sys
work = sys.argv[1]

def numbers(x, path=""):
    """Every number and boolean of a JSON value by path (text is left out: labels name the sources)."""
    out = {}
    if isinstance(x, dict):
        for k, v in x.items(): out.update(numbers(v, f"{path}/{k}"))
    elif isinstance(x, list):
        for i, v in enumerate(x): out.update(numbers(v, f"{path}[{i}]"))
    elif isinstance(x, (int, float)) and x is not None:
        out[path] = x
    return out

def same(a, b, what):
    na, nb = numbers(a), numbers(b)
    bad = [p for p in sorted(set(na) | set(nb)) if p not in na or p not in nb or
           not math.isclose(na[p], nb[p], rel_tol=1e-9, abs_tol=1e-9)]
    for p in bad[:20]: print(f"{what}: {p}: files {na.get(p)} vs PostGIS {nb.get(p)}", file=sys.stderr)
    if bad: sys.exit(f"postgis-roundtrip: {len(bad)} numbers of {what} differ")
    return len(na)

files = json.load(open(f"{work}/files/summary.json"))
in_pg = json.loads(open(f"{work}/pg_summary.json").read())
n = same(files["base"], in_pg["base"], "summary.json (files) and the summary table (PostGIS in and out)")

def counts(info):
    """Layer -> feature count of the result layers (a schema prefix left out)."""
    out = {}
    for l in info["layers"]:
        name = l["name"].split(".")[-1]
        if name.startswith("base__"): out[name] = l["feature_count"]
    return out
cf = counts(json.load(open(f"{work}/files_info.json")))
cp = {n: int(c) for n, c in (l.split() for l in open(f"{work}/pg_counts.txt")) if n.startswith("base__")}
if cf != cp or len(cf) < 10:
    sys.exit(f"postgis-roundtrip: layers or feature counts differ:\n files {cf}\n PostGIS {cp}")
print(f"postgis-roundtrip: {len(cf)} layers, {sum(cf.values())} features and {n} summary numbers match")
EOF
