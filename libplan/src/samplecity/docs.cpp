// The sample city's README.md and draft skeleton.toml, written by the generator
// so that they always describe the data next to them.
#include <iconv.h>

#include <cerrno>
#include <map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "plan/error.hpp"
#include "samplecity/files.hpp"

namespace plan::samplecity {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string to_gbk(const std::string& utf8) {
    iconv_t cd = iconv_open("GBK", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) throw processing_error("this system's iconv cannot convert UTF-8 to GBK");
    std::string out(utf8.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(utf8.data());
    std::size_t in_left = utf8.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    const std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    const int err = errno;
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1))
        throw processing_error("cannot convert the enterprise table to GBK at byte " + std::to_string(utf8.size() - in_left) +
                               " (errno " + std::to_string(err) + ")");
    out.resize(out.size() - out_left);
    return out;
}

namespace {

std::string cell(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

std::string quoted_list(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + ("\"" + v[i] + "\"");
    return out + "]";
}

} // namespace

std::string plan_toml(const CityFacts&) {
    // The study file of docs/study.md (`plan run data/sample-city/plan.toml -o OUT`).
    return R"(# The study of the sample city (docs/study.md): every layer of this folder.
# This file is written by `plan sample-city` and is regenerated with the data.
# Run it:  plan run data/sample-city/plan.toml -o out/sample-city --overwrite
# Paths are relative to this file; scenario files are listed in run order.
scenarios = ["scenarios/phase1.toml", "scenarios/river_bridge.toml", "scenarios/relocation.toml",
             "scenarios/phase2.toml"]

[study]
name = "sample-city"
title = "临清市中心城区（样例城市）"
# crs = "EPSG:4548"   # default: the roads' metric CRS

[inputs]
roads = ["roads.gpkg"]
parcels = "landuse.gpkg|layername=parcels"
enterprises = "enterprises.csv"
zones = "landuse.gpkg|layername=zones"
parks = "landuse.gpkg|layername=industrial_parks"
boundary = "landuse.gpkg|layername=study_boundary"
barriers = ["barriers.gpkg"]
skeleton = "skeleton.toml"
method = "zhejiang"

[dead_ends]
gap = 15
stub = 10
boundary = 30
isolated = 1000

[metrics]
area_type = "built-up"
zone_id_field = "zone_id"

[centrality]
radii = [400, 800, 1600]
global = false

[access]
classes = ["主干路"]
radii = [400, 800]
far = 100
id_field = "parcel_id"

[od]
pairs = 1000
seed = 1

# Cost of new road per km by class, for scenario costs (indicative figures).
[cost]
unit = "万元"
per_km = { "快速路" = 8000, "主干路" = 5000, "次干路" = 3000, "支路" = 1500 }
)";
}

std::string skeleton_toml(const CityFacts& facts) {
    // The format of docs/skeleton.md (`plan skeleton --spec`).
    std::string s;
    s += "# 四横七纵: the planned arterial skeleton of the sample city (docs/skeleton.md).\n";
    s += "# This file is written by `plan sample-city` and is regenerated with the data.\n";
    s += "name = \"临清市中心城区四横七纵\"\n";
    s += "\n# Planned centrelines: the feature whose `id` is the line's id.\n";
    s += "[centrelines]\nfile = \"skeleton.gpkg\"\nlayer = \"skeleton_planned\"\nfield = \"id\"\n";
    s += "\n# Spacing target between neighbouring parallel lines, metres.\n";
    s += "[grid]\nspacing_min_m = 800\nspacing_max_m = 2000\n";
    for (const auto& l : facts.skeleton) {
        s += "\n[[line]]\n";
        s += fmt::format("id = \"{}\"\n", l.id);
        s += fmt::format("orientation = \"{}\"\n", l.orientation == "NS" || l.orientation == "ns" ? "ns" : "ew");
        s += fmt::format("name = \"{}\"\n", l.name);
        s += fmt::format("roads = [\"{}\"]\n", l.name);
        s += fmt::format("aliases = {}\n", quoted_list(l.aliases));
        s += "target_class = \"主干路\"\n";
        s += fmt::format("# planned length (centreline): {:.1f} m\n", l.planned_m);
    }
    return s;
}

std::string readme_text(const CityFacts& f) {
    std::string s;
    s += "# The sample city (样例城市)\n\n";
    s += "A made-up study area shaped like the central city of Linqing, Shandong (临清, about\n"
         "115.7°E 36.8°N): the default data of `plan`, and the ground truth of the tests. Every\n"
         "file here is written by libplan's generator (`plan sample-city`); nothing is edited by\n"
         "hand. Do not edit it: change the generator and regenerate.\n\n";
    s += "- CRS: **EPSG:4548**, CGCS2000 / 3-degree Gauss-Krüger CM 117E (false easting 500 000),\n"
         "  coordinates in metres, easting first (GDAL's traditional GIS order).\n";
    s += fmt::format("- Extent of the roads: E {:.0f}–{:.0f}, N {:.0f}–{:.0f}.\n", f.extent.minx, f.extent.maxx, f.extent.miny,
                     f.extent.maxy);
    s += "- Text is UTF-8 (Chinese names), except `enterprises_gbk.csv`, which is GBK on purpose.\n";
    s += fmt::format("- Seed: {}. The same seed gives the same content: GeoPackages byte for byte\n"
                     "  (GDAL's timestamp pinned with `OGR_CURRENT_DATE`), the XLSX cell for cell.\n\n",
                     f.seed);
    s += "## Regenerate\n\n```sh\nplan sample-city -o data/sample-city          # this folder\n"
         "plan sample-city -o /tmp/big --segments 1000000  # scale mode: roads only, for benchmarks\n```\n\n"
         "The test `samplecity: the generator reproduces data/sample-city` regenerates into a scratch\n"
         "folder and compares every file with this one (GeoPackages and XLSX feature by feature,\n"
         "the rest byte for byte). `preview.png` is drawn by `scripts/sample_city_preview.py`.\n\n";
    s += "## Files\n\n| file | layer | content |\n|---|---|---|\n";
    s += fmt::format("| roads.gpkg | roads | {} road segments: `name`, `等级` (快速路/主干路/次干路/支路), `oneway`, `bridge`, `tunnel` (yes/no), `layer` (integer) |\n", f.roads);
    s += fmt::format("| landuse.gpkg | parcels | {} parcels: `parcel_id`, `landuse` (GB 50137: R, A, B, M1, M2, M3, W, S, G), `landuse_name`, `zone`, `park` |\n", f.parcels);
    s += fmt::format("| landuse.gpkg | industrial_parks | {} industrial parks: `name` |\n", f.parks);
    s += fmt::format("| landuse.gpkg | zones | {} districts (片区): `zone_id`, `name` |\n", f.zones);
    s += "| landuse.gpkg | study_boundary | the study area |\n";
    s += "| barriers.gpkg | river | 卫运河 (the Wei canal) as a polygon |\n";
    s += "| barriers.gpkg | railway | 京九铁路 (main) and a siding into the development zone: `name`, `kind` |\n";
    s += fmt::format("| barriers.gpkg | buildings | {} building footprints of the old town: `building_id`, `parcel_id` |\n", f.buildings);
    s += "| skeleton.gpkg | skeleton_planned | planned centrelines of H1–H4 and V1–V7: `id`, `name`, `orientation`, `target_class` |\n";
    s += "| skeleton.toml | | draft skeleton spec (ids, names, aliases, target class) |\n";
    s += "| plan.toml | | the study file: every layer here, for `plan run` (docs/study.md) |\n";
    s += "| scenarios.gpkg | phase1_links | new links opening the near misses, two cul-de-sacs and the 先锋路 gap (`opens` = defect ids) |\n";
    s += "| scenarios.gpkg | river_bridge | 新漳卫河特大桥, closing the 新华路 gap over the canal |\n";
    s += "| scenarios.gpkg | relocation | old-town factories moved to a reserved park parcel (退城入园): from and to parcel |\n";
    s += fmt::format("| enterprises.csv | | {} enterprises (UTF-8); the same rows in enterprises.xlsx and enterprises_gbk.csv |\n", f.enterprises);
    s += "| enterprise_plants.csv | | the table's planted anomalies (below), machine-readable |\n";
    s += "| defects.csv, defects.gpkg | defects | every planted road defect with its coordinates (below) |\n\n";
    s += "Road segments by class: ";
    for (std::size_t i = 0; i < f.grade_counts.size(); ++i)
        s += fmt::format("{}{} {}", i ? ", " : "", f.grade_counts[i].first, f.grade_counts[i].second);
    s += ". Parcels by land use: ";
    for (std::size_t i = 0; i < f.land_use_counts.size(); ++i)
        s += fmt::format("{}{} {}", i ? ", " : "", f.land_use_counts[i].first, f.land_use_counts[i].second);
    s += ".\n\n";
    s += "## What the city holds\n\n"
         "- **四横七纵**: east-west H1 光岳路, H2 青年路, H3 新华路, H4 温泉路 (north to south); north-south\n"
         "  V1 河西大街 (west of the canal), V2 大众路, V3 红星路, V4 临清大道, V5 先锋路, V6 曙光路, V7 东环路.\n"
         "  They curve and their spacing varies. Name variants to match: 青年路 / 青年路东段 / 青年路(东段) /\n"
         "  青年路（东段） / `青年路 东段` / 青年路西段, its canal bridge is named 运河大桥; 红星路 / 红星路北段 / 红星路(北段).\n"
         "- **Dual carriageway**: 临清大道 between 温泉路 and 光岳路 is two one-way lines (`oneway = yes`, drawn\n"
         "  in the direction of travel), with side roads 临清大道西辅路 and 临清大道东辅路.\n"
         "- **Interchange**: 青年路 crosses 东外环快速路 on a bridge (`layer = 1`), with four ramps\n"
         "  东外环青年路立交A–D匝道 (one-way) joining the bridge ends and the expressway.\n"
         "- **Grade separation**: 青年路's canal bridge (运河大桥) passes over 滨河西路 and 滨河东路 without\n"
         "  joining them; 新华路 passes over the railway and 铁路东街 on an overpass; 温泉路, 青年路 and 光岳路\n"
         "  pass under the railway (`tunnel = yes`, `layer = -1`). Bridge and tunnel ends share a vertex\n"
         "  with their approach roads; nothing beneath shares a vertex with them.\n"
         "- **CAD-drawn lines**: 文化路 and the development zone's 经一路, 经二路, 纬一路, 纬二路, 纬三路 are\n"
         "  single polylines that cross other roads without a shared vertex (they need `crossings`\n"
         "  noding); a road ending on one of them has a vertex there.\n"
         "- **Old town** (老城片区, between the canal, 红星路, 新华路 and 青年路): irregular lanes (锅市街, 竹竿巷,\n"
         "  考棚街, ...), building footprints, and four old factories (M2 parcels) to move out.\n"
         "- **Industrial parks**: 烟店轴承产业园 (bearings, south) and 临清经济开发区 (east of the railway),\n"
         "  with large blocks.\n\n";
    s += "## Planted road defects\n\n"
         "Every dead end of the network (a road end that meets no other road, counting `crossings`\n"
         "noding and grade separation as above) is listed here, each in exactly one class of the\n"
         "network issue, and no other end lies within 20 m of another road. `defects.csv` holds the\n"
         "same rows: `defect_id, kind, x, y, x2, y2, road, target, measure_m, fids, note`, where\n"
         "`fids` are the roads.gpkg feature ids involved (the end's own segment first; for a near\n"
         "miss, then the road it stops short of; for a duplicate, the original then the copy), and\n"
         "`measure_m` is: near miss, the gap to the target; stub, cul-de-sac and isolated, the length\n"
         "of the end's segment; boundary, the distance to the study boundary; duplicate, the\n"
         "segment length; skeleton gap, the planned length of the missing stretch.\n\n";
    s += "| id | kind | x | y | road | target | measure (m) | note |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& d : f.defects)
        s += fmt::format("| {} | {} | {:.1f} | {:.1f} | {} | {} | {:.2f} | {} |\n", d.id, d.kind, d.at.x, d.at.y, cell(d.road),
                         cell(d.target), d.measure, cell(d.note) + (d.at2 ? fmt::format(" (to {:.1f}, {:.1f})", d.at2->x, d.at2->y) : ""));
    s += "\nKinds: `cul_de_sac` genuine ends far from any road; `near_miss` ends 1–15 m short of\n"
         "another road (NM06/NM07 face each other across a 6 m gap); `stub` overshoots of 3–6 m past\n"
         "a junction; `isolated` ends of three small pieces not connected to the network; `boundary`\n"
         "roads cut by the study boundary; `duplicate` exact copies of a segment (DU03 reversed);\n"
         "`skeleton_gap` planned but unbuilt stretches of a skeleton line — SG01 on H3 新华路 crosses\n"
         "卫运河 and needs a bridge, SG02 on V5 先锋路 runs through a village. The skeleton gaps are not\n"
         "dead ends: each gap ends at a junction.\n\n";
    s += "## Enterprises\n\n"
         "Columns of `enterprises.csv` (the XLSX has the same columns; the GBK copy the same bytes in GBK):\n\n"
         "| column | meaning | unit |\n|---|---|---|\n"
         "| enterprise_id | id (E0001, ...) | |\n| name | company name | |\n"
         "| parcel_id | the land parcel it occupies (landuse.gpkg `parcels`) | |\n"
         "| industry | 轴承, 纺织, 电机, 电子信息, 食品医药, 造纸 | |\n| scale | 规上 (above-scale) or 规下 | |\n"
         "| tax | taxes paid | 万元 |\n| revenue | main business revenue | 万元 |\n| value_added | industrial value added | 万元 |\n"
         "| employees | average employees | persons |\n| energy_tce | energy use | tonnes of coal equivalent |\n"
         "| emissions | main pollutant emissions (equivalent) | tonnes |\n| rd_spending | R&D spending | 万元 |\n"
         "| electricity_mwh | electricity use | MWh |\n| land_mu | land held | 亩 (1 亩 = 666.67 m²) |\n"
         "| founded | year established (2025 = new enterprise) | |\n| accident | 1 = safety or environmental accident this year | |\n\n"
         "Industrial enterprises stand only on M1/M2/M3 parcels. Several enterprises share a parcel\n"
         "where the parcel is large (standard factory buildings); their `land_mu` values split the\n"
         "parcel. Empty cells are missing values.\n\n";
    s += "Planted anomalies (`enterprise_plants.csv`: `kind, enterprise_id, row, parcel_id, field, note`;\n"
         "`row` is the 1-based data row of the CSV, header excluded):\n\n| kind | enterprise | row | parcel | field | note |\n|---|---|---|---|---|---|\n";
    std::map<std::string, int> shared;
    for (const auto& p : f.table->plants) {
        if (p.kind == "shared_parcel") { ++shared[p.kind]; continue; }
        s += fmt::format("| {} | {} | {} | {} | {} | {} |\n", p.kind, p.enterprise_id, p.row ? std::to_string(p.row) : "", p.parcel_id,
                         p.field, cell(p.note));
    }
    s += fmt::format("\nAnd {} parcels shared by several enterprises (listed in `enterprise_plants.csv` as `shared_parcel`).\n\n",
                     shared["shared_parcel"]);
    s += "The built-in methods' zombie rule (output under 5 万元 per mu a year) also catches a few\n"
         "ordinary enterprises whose output happens to fall under it (in this seed E0238, E0407 and\n"
         "E0503: 128-185 万元 on 39-44 mu). They are not planted: they are what the rule says.\n\n";
    s += "## Scenarios\n\n"
         "`scenarios/` holds four scenario files (format: docs/scenarios.md) on the layers of\n"
         "`scenarios.gpkg`; the study file `plan.toml` lists them, so `plan run data/sample-city/plan.toml -o OUT`\n"
         "evaluates them all, and `plan compare data/sample-city/plan.toml -o OUT` ranks them:\n\n"
         "| file | edits |\n|---|---|\n"
         "| scenarios/phase1.toml | adds `phase1_links`: opens NM01–NM07, CD02, CD04 and builds the 先锋路 gap SG02 |\n"
         "| scenarios/river_bridge.toml | adds `river_bridge`: 新漳卫河特大桥 closes the 新华路 gap SG01 over the canal |\n"
         "| scenarios/relocation.toml | relocates the four old-town factories of layer `relocation` (退城入园) |\n"
         "| scenarios/phase2.toml | extends phase1, adds `river_bridge` and the relocation: its interaction term is "
         "phase2's gain minus phase1's and its own edits' |\n";
    return s;
}

std::vector<std::pair<std::string, std::string>> scenario_tomls() {
    const std::string head = "# Written by `plan sample-city` (libplan/src/samplecity/docs.cpp); format: docs/scenarios.md.\n";
    return {
        {"phase1.toml", head +
                            "# Phase 1: open the near misses NM01-NM07 and the cul-de-sacs CD02, CD04, and build the\n"
                            "# missing stretch of 先锋路 (SG02). Each link's `opens` names the defects it removes.\n"
                            "name = \"phase1\"\n"
                            "title = \"一期：打通断头路与先锋路缺口\"\n\n"
                            "[[add]]\n"
                            "layer = \"../scenarios.gpkg|layername=phase1_links\"\n"},
        {"phase2.toml", head +
                            "# Phase 2 = phase 1 + the river bridge + the relocation of the old-town factories.\n"
                            "name = \"phase2\"\n"
                            "title = \"二期：一期 + 新漳卫河特大桥 + 退城入园\"\n"
                            "extends = \"phase1\"\n\n"
                            "[[add]]\n"
                            "layer = \"../scenarios.gpkg|layername=river_bridge\"\n\n"
                            "[[relocate]]\n"
                            "layer = \"../scenarios.gpkg|layername=relocation\"\n"},
        {"relocation.toml", head +
                                "# 退城入园: the four old-town factories move to the reserved parcel of the development zone.\n"
                                "name = \"relocation\"\n"
                                "title = \"退城入园：老城工厂迁入开发区\"\n\n"
                                "[[relocate]]\n"
                                "layer = \"../scenarios.gpkg|layername=relocation\"\n"},
        {"river_bridge.toml", head +
                                  "# 新漳卫河特大桥: closes the 新华路 (H3) gap over the canal (SG01).\n"
                                  "name = \"river_bridge\"\n"
                                  "title = \"新漳卫河特大桥\"\n\n"
                                  "[[add]]\n"
                                  "layer = \"../scenarios.gpkg|layername=river_bridge\"\n"},
    };
}

} // namespace plan::samplecity
