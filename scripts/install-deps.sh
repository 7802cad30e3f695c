#!/usr/bin/env bash
# Idempotent installer of libplan's Debian (bookworm) dependencies.
# Usage: scripts/install-deps.sh [--oracles] [--postgis]
#   default     build dependencies (compiler, CMake, GDAL, GEOS, PROJ, Boost.Graph, Catch2, ...)
#   --oracles   also the independent implementations the tests compare against
#               (OSMnx, NetworkX, igraph, GeoPandas, osmium-tool) and the real clients the
#               outputs are checked in (QGIS's Python API, Chromium with CJK fonts, Node.js;
#               `npm ci` in tests/browser for puppeteer-core)
#   --postgis   also PostgreSQL 15 with PostGIS (the `plan run` PostGIS round-trip test, label postgis)
# A no-op when everything is already installed.
set -euo pipefail

build_pkgs=(
  g++ cmake make pkg-config file
  libgdal-dev gdal-bin
  libgeos-dev
  libproj-dev proj-bin
  libgeographiclib-dev
  libboost-graph-dev
  catch2
  libcli11-dev
  libtomlplusplus-dev
  nlohmann-json3-dev
  libfmt-dev
  libosmium2-dev libprotozero-dev libexpat1-dev libbz2-dev zlib1g-dev
)
postgis_pkgs=(postgresql-15 postgresql-15-postgis-3)
oracle_pkgs=(
  python3 python3-osmnx python3-networkx python3-igraph python3-geopandas
  osmium-tool sqlite3
  python3-qgis qgis-providers chromium fonts-noto-cjk nodejs
)

want=("${build_pkgs[@]}")
oracles=0
for a in "$@"; do
  case "$a" in
    --oracles) want+=("${oracle_pkgs[@]}"); oracles=1 ;;
    --postgis) want+=("${postgis_pkgs[@]}") ;;
    *) echo "install-deps: unknown option '$a'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
apt_install() {
  echo "install-deps: installing $*" >&2
  # Refresh the package lists when they are missing or older than a day.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
    $SUDO apt-get update -qq
  fi
  $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}"
fi
if [ "$oracles" -eq 1 ]; then
  # Debian's nodejs comes without npm (NodeSource's includes it).
  command -v npm >/dev/null || apt_install npm
  browser="$(dirname "$0")/../tests/browser"
  if [ ! -d "$browser/node_modules/puppeteer-core" ]; then
    echo "install-deps: npm ci in tests/browser (puppeteer-core)" >&2
    (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi
