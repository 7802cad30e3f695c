// write_sample_city: design, node, check and write the sample city.
#include "plan/samplecity.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "plan/error.hpp"
#include "plan/output.hpp"
#include "samplecity/enterprises.hpp"
#include "samplecity/files.hpp"
#include "samplecity/gdal_out.hpp"
#include "samplecity/model.hpp"

namespace plan {

namespace fs = std::filesystem;
using namespace plan::samplecity;

namespace {

ErrorContext plan_file(const std::string& file) {
    ErrorContext c;
    c.file = file;
    return c;
}

struct PointLess {
    bool operator()(const Point& a, const Point& b) const { return a.x < b.x || (a.x == b.x && a.y < b.y); }
};

double polyline_distance(const Point& p, const LineString& l) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < l.size(); ++i) best = std::min(best, point_segment_distance(p, l[i], l[i + 1]));
    return best;
}

std::string fmt_point(const Point& p) { return fmt::format("({:.3f}, {:.3f})", p.x, p.y); }

/// Checks the noded roads against the plan: every dead end is a planted defect
/// or a road cut by the study boundary, no bridge shares a vertex with what it
/// passes over, and no end lies near another road unless planted as a near miss.
/// Returns the defects with their EPSG:4548 positions and measures.
std::vector<DefectRow> check_and_locate(const CityDesign& city, const std::vector<RoadFeature>& roads, const Warp& warp) {
    std::map<Point, std::vector<std::size_t>, PointLess> at_vertex;
    std::map<Point, int, PointLess> ends;
    for (std::size_t i = 0; i < roads.size(); ++i) {
        std::set<Point, PointLess> seen(roads[i].geom.begin(), roads[i].geom.end());
        for (const auto& p : seen) at_vertex[p].push_back(i);
        ++ends[roads[i].geom.front()];
        ++ends[roads[i].geom.back()];
    }
    for (std::size_t i = 0; i < roads.size(); ++i) {
        if (roads[i].layer == 0) continue;
        for (std::size_t k = 1; k + 1 < roads[i].geom.size(); ++k)
            if (at_vertex[roads[i].geom[k]].size() > 1)
                throw processing_error("sample city: bridge or tunnel " + roads[i].name + " shares a vertex at " + fmt_point(roads[i].geom[k]));
    }
    std::map<Point, std::size_t, PointLess> dead; // dead end -> its feature
    for (const auto& [p, n] : ends)
        if (n == 1 && at_vertex[p].size() == 1) dead[p] = at_vertex[p].front();

    // Nearest other road, leaving out the end's own feature and, for a short
    // feature, the roads at its other end (its own junction).
    auto nearest = [&](const Point& p, std::size_t own) {
        const auto& g = roads[own].geom;
        const Point other = g.front() == p ? g.back() : g.front();
        std::vector<std::size_t> skip{own};
        if (length(g) < 30.0)
            for (std::size_t i : at_vertex[other]) skip.push_back(i);
        std::pair<double, std::size_t> best{std::numeric_limits<double>::infinity(), roads.size()};
        for (std::size_t i = 0; i < roads.size(); ++i) {
            if (std::find(skip.begin(), skip.end(), i) != skip.end()) continue;
            const double d = polyline_distance(p, roads[i].geom);
            if (d < best.first) best = {d, i};
        }
        return best;
    };

    std::vector<DefectRow> out;
    for (const auto& d : city.defects) {
        DefectRow row{d.id, d.kind, warp(d.at), std::nullopt, d.road, d.target, 0.0, {}, d.note};
        if (d.at2) row.at2 = warp(*d.at2);
        if (d.kind == "skeleton_gap") {
            row.measure = length(warp.line({d.at, *d.at2}));
            out.push_back(row);
            continue;
        }
        const auto it = dead.find(row.at);
        if (it == dead.end()) throw processing_error("sample city: planted " + d.id + " is not a dead end at " + fmt_point(row.at));
        const std::size_t own = it->second;
        dead.erase(it);
        row.fids = {static_cast<std::int64_t>(own) + 1};
        const auto [dist, near] = nearest(row.at, own);
        if (d.kind == "near_miss") {
            if (dist < 1.0 || dist > 15.0 || roads[near].name != d.target)
                throw processing_error(fmt::format("sample city: near miss {} is {:.2f} m from {} (planned: {})", d.id, dist,
                                                   roads[near].name, d.target));
            row.measure = dist;
            row.fids.push_back(static_cast<std::int64_t>(near) + 1);
        } else {
            if (dist < 20.0)
                throw processing_error(fmt::format("sample city: {} is only {:.2f} m from {}", d.id, dist, roads[near].name));
            row.measure = length(roads[own].geom);
        }
        out.push_back(row);
    }
    const Ring boundary = warp.ring(city.boundary);
    int n = 0;
    for (const auto& [p, own] : dead) {
        const double to_edge = polyline_distance(p, boundary);
        if (to_edge > 0.5) throw processing_error("sample city: unplanned dead end on " + roads[own].name + " at " + fmt_point(p));
        const auto [dist, near] = nearest(p, own);
        if (dist < 20.0) throw processing_error("sample city: boundary end at " + fmt_point(p) + " is near " + roads[near].name);
        out.push_back({fmt::format("BD{:02d}", ++n), "boundary", p, std::nullopt, roads[own].name, "", to_edge,
                       {static_cast<std::int64_t>(own) + 1}, "road cut by the study boundary"});
    }
    return out;
}

/// Appends exact duplicates of a few local street segments (one reversed).
void add_duplicates(const CityDesign& city, std::vector<RoadFeature>& roads, std::vector<DefectRow>& defects, Rng rng) {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < roads.size(); ++i) {
        const double len = length(roads[i].geom);
        if (city.roads[static_cast<std::size_t>(roads[i].line)].tag == "local" && len > 80 && len < 260 && !roads[i].name.empty())
            candidates.push_back(i);
    }
    if (candidates.size() < 8) throw processing_error("sample city: too few streets to duplicate");
    const std::size_t original_count = roads.size();
    for (int k = 0; k < 4; ++k) {
        const std::size_t slot = candidates.size() * static_cast<std::size_t>(k) / 4;
        const std::size_t i = candidates[slot + static_cast<std::size_t>(rng.integer(0, static_cast<int>(candidates.size() / 8)))];
        RoadFeature copy = roads[i];
        if (k == 2) std::reverse(copy.geom.begin(), copy.geom.end());
        roads.push_back(copy);
        const Point mid = copy.geom[copy.geom.size() / 2];
        defects.push_back({fmt::format("DU{:02d}", k + 1), "duplicate", mid, std::nullopt, copy.name, "", length(copy.geom),
                           {static_cast<std::int64_t>(i) + 1, static_cast<std::int64_t>(roads.size())},
                           k == 2 ? "reversed copy of a segment" : "exact copy of a segment"});
    }
    (void)original_count;
}

const char* land_use_name(const std::string& code) {
    static const std::map<std::string, const char*> names = {
        {"R", "居住用地"}, {"A", "公共管理与公共服务用地"}, {"B", "商业服务业设施用地"}, {"M1", "一类工业用地"},
        {"M2", "二类工业用地"}, {"M3", "三类工业用地"}, {"W", "物流仓储用地"}, {"S", "道路与交通设施用地"},
        {"G", "绿地与广场用地"}};
    const auto it = names.find(code);
    return it == names.end() ? "" : it->second;
}

FieldValue text_or_null(const std::string& s) { return s.empty() ? FieldValue{} : FieldValue{s}; }
FieldValue number_or_null(const std::optional<double>& v) { return v ? FieldValue{*v} : FieldValue{}; }

Geometry line_geometry(LineString l) {
    Geometry g;
    g.kind = GeometryKind::line;
    g.lines.push_back(std::move(l));
    return g;
}
Geometry polygon_geometry(Ring r) {
    Geometry g;
    g.kind = GeometryKind::polygon;
    g.polygons.push_back({{std::move(r)}});
    return g;
}
Geometry point_geometry(const Point& p) {
    Geometry g;
    g.kind = GeometryKind::point;
    g.points.push_back(p);
    return g;
}

Point centroid(const Ring& r) {
    double a = 0, cx = 0, cy = 0;
    const Point o = r.front();
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        const double x0 = r[i].x - o.x, y0 = r[i].y - o.y, x1 = r[i + 1].x - o.x, y1 = r[i + 1].y - o.y;
        const double c = x0 * y1 - x1 * y0;
        a += c;
        cx += (x0 + x1) * c;
        cy += (y0 + y1) * c;
    }
    return {std::round((o.x + cx / (3 * a)) * 1000) / 1000, std::round((o.y + cy / (3 * a)) * 1000) / 1000};
}

OutLayer road_layer(const std::string& name, bool with_opens) {
    OutLayer l;
    l.name = name;
    l.kind = GeometryKind::line;
    l.fields = {{"name", FieldType::string}, {"等级", FieldType::string}, {"oneway", FieldType::string},
                {"bridge", FieldType::string}, {"tunnel", FieldType::string}, {"layer", FieldType::integer}};
    if (with_opens) {
        l.fields.insert(l.fields.begin(), {"link_id", FieldType::string});
        l.fields.push_back({"opens", FieldType::string});
    }
    return l;
}

std::vector<FieldValue> road_values(const std::string& name, RoadClass cls, bool oneway, bool bridge, bool tunnel, int layer) {
    return {text_or_null(name), std::string(grade_name(cls)), std::string(oneway ? "yes" : "no"),
            std::string(bridge ? "yes" : "no"), std::string(tunnel ? "yes" : "no"), std::int64_t{layer}};
}

void write_text(const fs::path& file, const std::string& text) {
    const fs::path tmp = file.parent_path() / (".tmp-" + file.filename().string());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out) throw output_error("cannot write " + tmp.string(), plan_file(file.string()));
    }
    std::error_code ec;
    fs::rename(tmp, file, ec);
    if (ec) throw output_error("cannot replace " + file.string() + ": " + ec.message(), plan_file(file.string()));
}

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string money(const std::optional<double>& v) { return v ? fmt::format("{:.2f}", *v) : std::string(); }

} // namespace

SampleCityReport write_sample_city(const fs::path& dir, const SampleCityOptions& options) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) throw output_error("cannot create folder " + dir.string() + ": " + ec.message(), plan_file(dir.string()));

    const CityDesign city = design_city(options.seed);
    const Warp warp(options.seed);
    std::vector<RoadFeature> roads = node_roads(city.roads, warp);
    CityFacts facts;
    facts.seed = options.seed;
    facts.defects = check_and_locate(city, roads, warp);
    add_duplicates(city, roads, facts.defects, Rng(options.seed).fork(0xD0));
    std::stable_sort(facts.defects.begin(), facts.defects.end(), [](const DefectRow& a, const DefectRow& b) {
        static const std::vector<std::string> order = {"cul_de_sac", "near_miss", "stub", "isolated", "boundary", "duplicate", "skeleton_gap"};
        return std::find(order.begin(), order.end(), a.kind) < std::find(order.begin(), order.end(), b.kind);
    });

    SampleCityReport report;
    // roads.gpkg
    {
        OutLayer l = road_layer("roads", false);
        std::map<std::string, std::int64_t> grades;
        for (const auto& r : roads) {
            l.features.push_back({line_geometry(r.geom), road_values(r.name, r.cls, r.oneway, r.bridge, r.tunnel, r.layer)});
            ++grades[grade_name(r.cls)];
            for (const auto& p : r.geom) facts.extent.expand(p);
        }
        facts.grade_counts.assign(grades.begin(), grades.end());
        write_gpkg(dir / "roads.gpkg", {l});
        report.road_segments = facts.roads = static_cast<std::int64_t>(roads.size());
    }
    // landuse.gpkg, with the parcels' facts for the enterprise table.
    std::vector<ParcelFacts> parcel_facts;
    std::vector<Ring> parcel_rings;
    {
        OutLayer parcels{"parcels", GeometryKind::polygon, false,
                         {{"parcel_id", FieldType::string}, {"landuse", FieldType::string}, {"landuse_name", FieldType::string},
                          {"zone", FieldType::string}, {"park", FieldType::string}}, {}};
        std::map<std::string, std::int64_t> uses;
        for (std::size_t i = 0; i < city.parcels.size(); ++i) {
            const auto& p = city.parcels[i];
            const std::string id = fmt::format("P{:04d}", i + 1);
            Ring ring = warp.ring(p.design);
            parcel_facts.push_back({id, p.use, p.park, p.oldtown, area(Polygon{{ring}}), centroid(ring)});
            parcels.features.push_back({polygon_geometry(ring), {id, p.use, std::string(land_use_name(p.use)), p.zone, text_or_null(p.park)}});
            parcel_rings.push_back(std::move(ring));
            ++uses[p.use];
        }
        facts.land_use_counts.assign(uses.begin(), uses.end());
        OutLayer parks{"industrial_parks", GeometryKind::polygon, false, {{"name", FieldType::string}}, {}};
        for (const auto& a : city.parks) parks.features.push_back({polygon_geometry(warp.ring(a.design)), {a.name}});
        OutLayer zones{"zones", GeometryKind::polygon, false, {{"zone_id", FieldType::string}, {"name", FieldType::string}}, {}};
        for (std::size_t i = 0; i < city.zones.size(); ++i)
            zones.features.push_back({polygon_geometry(warp.ring(city.zones[i].design)), {fmt::format("Z{}", i + 1), city.zones[i].name}});
        OutLayer boundary{"study_boundary", GeometryKind::polygon, false, {{"name", FieldType::string}}, {}};
        boundary.features.push_back({polygon_geometry(warp.ring(city.boundary)), {std::string("临清市中心城区研究范围")}});
        write_gpkg(dir / "landuse.gpkg", {parcels, parks, zones, boundary});
        report.parcels = facts.parcels = static_cast<std::int64_t>(city.parcels.size());
        facts.zones = static_cast<std::int64_t>(city.zones.size());
        facts.parks = static_cast<std::int64_t>(city.parks.size());
    }
    // barriers.gpkg
    {
        OutLayer river{"river", GeometryKind::polygon, false, {{"name", FieldType::string}}, {}};
        river.features.push_back({polygon_geometry(warp.ring(city.river)), {std::string("卫运河")}});
        OutLayer rail{"railway", GeometryKind::line, false, {{"name", FieldType::string}, {"kind", FieldType::string}}, {}};
        for (const auto& [name, line] : city.railways)
            rail.features.push_back({line_geometry(warp.line(line)), {name, std::string(name == "京九铁路" ? "main" : "siding")}});
        OutLayer buildings{"buildings", GeometryKind::polygon, false, {{"building_id", FieldType::string}, {"parcel_id", FieldType::string}}, {}};
        for (std::size_t i = 0; i < city.buildings.size(); ++i)
            buildings.features.push_back({polygon_geometry(warp.ring(city.buildings[i].second)),
                                          {fmt::format("B{:05d}", i + 1), fmt::format("P{:04d}", city.buildings[i].first + 1)}});
        write_gpkg(dir / "barriers.gpkg", {river, rail, buildings});
        report.buildings = facts.buildings = static_cast<std::int64_t>(city.buildings.size());
    }
    // skeleton.gpkg
    {
        OutLayer l{"skeleton_planned", GeometryKind::line, false,
                   {{"id", FieldType::string}, {"name", FieldType::string}, {"orientation", FieldType::string},
                    {"target_class", FieldType::string}}, {}};
        for (const auto& s : city.skeleton) {
            LineString g = warp.line(s.planned);
            facts.skeleton.push_back({s.id, s.name, s.orientation, s.aliases, length(g)});
            l.features.push_back({line_geometry(std::move(g)), {s.id, s.name, s.orientation, std::string("主干路")}});
        }
        write_gpkg(dir / "skeleton.gpkg", {l});
    }
    // Enterprises and the scenario layers that use them.
    const EnterpriseTable table = make_enterprises(parcel_facts, Rng(options.seed).fork(0xE0));
    facts.table = &table;
    report.enterprises = facts.enterprises = static_cast<std::int64_t>(table.rows.size());
    {
        OutLayer phase1 = road_layer("phase1_links", true), bridge = road_layer("river_bridge", true);
        for (const auto& link : city.scenario_links) {
            auto values = road_values(link.name, link.cls, false, link.bridge, false, link.bridge ? 1 : 0);
            values.insert(values.begin(), link.id);
            values.push_back(link.opens);
            (link.layer == "river_bridge" ? bridge : phase1).features.push_back({line_geometry(warp.line(link.design)), values});
        }
        OutLayer moves{"relocation", GeometryKind::line, false,
                       {{"enterprise_id", FieldType::string}, {"enterprise_name", FieldType::string},
                        {"from_parcel", FieldType::string}, {"to_parcel", FieldType::string}}, {}};
        for (const auto& m : table.relocations)
            moves.features.push_back({line_geometry({m.from, m.to}), {m.enterprise_id, m.enterprise_name, m.from_parcel, m.to_parcel}});
        write_gpkg(dir / "scenarios.gpkg", {phase1, bridge, moves});
    }
    // The enterprise table: CSV (UTF-8), the same in GBK, and XLSX.
    {
        const std::vector<std::string> header = {"enterprise_id", "name", "parcel_id", "industry", "scale", "tax", "revenue",
                                                 "value_added", "employees", "energy_tce", "emissions", "rd_spending",
                                                 "electricity_mwh", "land_mu", "founded", "accident"};
        std::string csv;
        for (std::size_t i = 0; i < header.size(); ++i) csv += (i ? "," : "") + header[i];
        csv += "\n";
        OutLayer xlsx{"enterprises", GeometryKind::none, false, {}, {}};
        for (const auto& h : header) {
            FieldType t = FieldType::real;
            if (h == "enterprise_id" || h == "name" || h == "parcel_id" || h == "industry" || h == "scale") t = FieldType::string;
            if (h == "employees" || h == "founded" || h == "accident") t = FieldType::integer;
            xlsx.fields.push_back({h, t});
        }
        for (const auto& e : table.rows) {
            const std::string employees = e.employees ? fmt::format("{:.0f}", *e.employees) : "";
            csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", e.id, csv_field(e.name), e.parcel_id, e.industry,
                               e.scale, money(e.tax), money(e.revenue), money(e.value_added), employees, money(e.energy_tce),
                               money(e.emissions), money(e.rd_spending), money(e.electricity_mwh), money(e.land_mu), e.founded,
                               e.accident);
            xlsx.features.push_back({Geometry{}, {e.id, e.name, e.parcel_id, e.industry, e.scale, number_or_null(e.tax),
                                                  number_or_null(e.revenue), number_or_null(e.value_added),
                                                  e.employees ? FieldValue{static_cast<std::int64_t>(*e.employees)} : FieldValue{},
                                                  number_or_null(e.energy_tce), number_or_null(e.emissions),
                                                  number_or_null(e.rd_spending), number_or_null(e.electricity_mwh),
                                                  number_or_null(e.land_mu), std::int64_t{e.founded}, std::int64_t{e.accident}}});
        }
        write_text(dir / "enterprises.csv", csv);
        write_text(dir / "enterprises_gbk.csv", to_gbk(csv));
        write_xlsx(dir / "enterprises.xlsx", xlsx);
        std::string plants = "kind,enterprise_id,row,parcel_id,field,note\n";
        for (const auto& p : table.plants)
            plants += fmt::format("{},{},{},{},{},{}\n", p.kind, p.enterprise_id, p.row ? std::to_string(p.row) : "", p.parcel_id,
                                  p.field, csv_field(p.note));
        write_text(dir / "enterprise_plants.csv", plants);
    }
    // Defects: CSV and a point layer for QGIS.
    {
        std::string csv = "defect_id,kind,x,y,x2,y2,road,target,measure_m,fids,note\n";
        OutLayer points{"defects", GeometryKind::point, false,
                        {{"defect_id", FieldType::string}, {"kind", FieldType::string}, {"road", FieldType::string},
                         {"target", FieldType::string}, {"measure_m", FieldType::real}, {"note", FieldType::string}}, {}};
        for (const auto& d : facts.defects) {
            std::string fids;
            for (auto f : d.fids) {
                if (!fids.empty()) fids += ' ';
                fids += std::to_string(f);
            }
            csv += fmt::format("{},{},{:.3f},{:.3f},{},{},{},{},{:.2f},{},{}\n", d.id, d.kind, d.at.x, d.at.y,
                               d.at2 ? fmt::format("{:.3f}", d.at2->x) : "", d.at2 ? fmt::format("{:.3f}", d.at2->y) : "",
                               csv_field(d.road), csv_field(d.target), d.measure, fids, csv_field(d.note));
            points.features.push_back({point_geometry(d.at), {d.id, d.kind, text_or_null(d.road), text_or_null(d.target),
                                                               std::round(d.measure * 100) / 100, d.note}});
        }
        write_text(dir / "defects.csv", csv);
        write_gpkg(dir / "defects.gpkg", {points});
    }
    write_text(dir / "skeleton.toml", skeleton_toml(facts));
    {
        std::error_code dir_ec;
        fs::create_directories(dir / "scenarios", dir_ec);
        if (dir_ec) throw output_error("cannot create " + (dir / "scenarios").string() + ": " + dir_ec.message(),
                                   plan_file((dir / "scenarios").string()));
        for (const auto& [file, text] : scenario_tomls()) write_text(dir / "scenarios" / file, text);
    }
    write_text(dir / "plan.toml", plan_toml(facts));
    write_text(dir / "README.md", readme_text(facts));
    report.defects = static_cast<std::int64_t>(facts.defects.size());
    report.files = {"README.md", "barriers.gpkg", "defects.csv", "defects.gpkg", "enterprise_plants.csv", "enterprises.csv",
                    "enterprises.xlsx", "enterprises_gbk.csv", "landuse.gpkg", "plan.toml", "roads.gpkg", "scenarios.gpkg",
                    "skeleton.gpkg", "skeleton.toml"};
    for (const auto& [file, text] : scenario_tomls()) report.files.push_back("scenarios/" + file);
    return report;
}

std::vector<std::string> compare_sample_city(const fs::path& expected, const fs::path& actual, std::size_t limit) {
    std::vector<std::string> diffs;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(actual))
        if (entry.is_regular_file() && entry.path().filename().string().rfind(".tmp-", 0) != 0) files.push_back(entry.path());
    if (fs::is_directory(actual / "scenarios"))
        for (const auto& entry : fs::directory_iterator(actual / "scenarios"))
            if (entry.is_regular_file() && entry.path().filename().string().rfind(".tmp-", 0) != 0) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const fs::path other = expected / fs::relative(file, actual);
        if (!fs::exists(other)) {
            diffs.push_back(fs::relative(file, actual).string() + ": missing from " + expected.string());
            continue;
        }
        const std::string ext = file.extension().string();
        if (ext == ".gpkg" || ext == ".xlsx") {
            compare_vector_files(other, file, diffs, limit);
        } else {
            const std::string ta = slurp(other), tb = slurp(file);
            if (ta != tb) {
                std::size_t line = 1, i = 0;
                for (; i < std::min(ta.size(), tb.size()) && ta[i] == tb[i]; ++i)
                    if (ta[i] == '\n') ++line;
                diffs.push_back(file.filename().string() + ": differs from line " + std::to_string(line));
            }
        }
        if (diffs.size() >= limit) break;
    }
    return diffs;
}

} // namespace plan
