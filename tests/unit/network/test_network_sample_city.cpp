// The sample city (data/sample-city) is the ground truth of the dead-end
// classes: every planted defect of defects.csv is found, in its class, at its
// place, and nothing else; duplicates are merged and counted; the river bridge
// and the railway overpass join only at their ends.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

using namespace plan;

namespace {

std::filesystem::path sample_city() { return plan::test::source_dir() / "data" / "sample-city"; }

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> out{""};
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                out.back() += '"';
                ++i;
            } else if (c == '"') quoted = false;
            else out.back() += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') out.emplace_back();
        else out.back() += c;
    }
    return out;
}

struct Defect {
    std::string id, kind, road, target;
    Point at;
    double measure = 0.0;
    std::vector<std::int64_t> fids;
};

std::vector<Defect> planted_defects() {
    std::istringstream in(plan::test::read_file(sample_city() / "defects.csv"));
    std::string line;
    std::getline(in, line);
    const auto header = split_csv_line(line);
    auto col = [&](const char* name) {
        const auto it = std::find(header.begin(), header.end(), name);
        REQUIRE(it != header.end());
        return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t id = col("defect_id"), kind = col("kind"), x = col("x"), y = col("y"), road = col("road"),
                      target = col("target"), measure = col("measure_m"), fids = col("fids");
    std::vector<Defect> out;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto c = split_csv_line(line);
        Defect d{c[id], c[kind], c[road], c[target], {std::stod(c[x]), std::stod(c[y])}, std::stod(c[measure]), {}};
        std::istringstream f(c[fids]);
        for (std::int64_t v; f >> v;) d.fids.push_back(v);
        out.push_back(std::move(d));
    }
    return out;
}

double dist(Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); }

bool has_source(const Edge& e, std::int64_t fid) {
    return std::any_of(e.sources.begin(), e.sources.end(), [&](const SourceRef& s) { return s.fid == fid; });
}

/// Where segments [a, b] and [c, d] cross, if they do.
std::optional<Point> crossing(Point a, Point b, Point c, Point d) {
    const double rx = b.x - a.x, ry = b.y - a.y, sx = d.x - c.x, sy = d.y - c.y;
    const double den = rx * sy - ry * sx;
    if (den == 0.0) return std::nullopt;
    const double t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / den;
    const double u = ((c.x - a.x) * ry - (c.y - a.y) * rx) / den;
    if (t < 0.0 || t > 1.0 || u < 0.0 || u > 1.0) return std::nullopt;
    return Point{a.x + t * rx, a.y + t * ry};
}

struct SampleCity {
    Layer roads;
    Network net;
    BuildReport report;
    Structure structure;
    std::vector<DeadEnd> dead_ends;
};

const SampleCity& sample_city_network() {
    static const SampleCity city = [] {
        init_gdal();
        SampleCity c;
        c.roads = read_layer((sample_city() / "roads.gpkg").string());
        BuildOptions o; // defaults: auto noding (crossings for a GeoPackage), 0.01 m snap, duplicates merged
        c.net = build_network(c.roads, o, &c.report);
        c.structure = analyse_structure(c.net);
        DeadEndOptions d; // defaults: boundary 30 m, gap 15 m, stub 10 m, isolated 1000 m
        ReadOptions r;
        r.want = GeometryKind::polygon;
        r.target_crs = c.net.crs().wkt;
        const Layer boundary = read_layer((sample_city() / "landuse.gpkg").string(), "study_boundary", r);
        for (const auto& f : boundary.features)
            for (const auto& p : f.geometry.polygons) d.study_area.push_back(p);
        c.dead_ends = find_dead_ends(c.net, c.structure, d);
        return c;
    }();
    return city;
}

} // namespace

TEST_CASE("sample city: every planted dead end is found in its class and place, and nothing else",
          "[network][data][sample_city]") {
    const SampleCity& c = sample_city_network();
    const auto defects = planted_defects();
    const std::set<std::string> dead_kinds = {"boundary", "near_miss", "stub", "isolated", "cul_de_sac"};
    std::set<NodeId> matched;
    std::size_t planted = 0;
    for (const Defect& d : defects) {
        if (!dead_kinds.count(d.kind)) continue;
        ++planted;
        INFO(d.id << " " << d.kind << " " << d.road);
        const auto it = std::min_element(c.dead_ends.begin(), c.dead_ends.end(), [&](const DeadEnd& a, const DeadEnd& b) {
            return dist(c.net.node(a.node).position, d.at) < dist(c.net.node(b.node).position, d.at);
        });
        REQUIRE(it != c.dead_ends.end());
        CHECK(dist(c.net.node(it->node).position, d.at) < 1.0);
        CHECK(to_string(it->kind) == d.kind);
        CHECK(matched.insert(it->node).second); // one dead end per planted defect
        // The end's own road is the first feature id.
        CHECK(has_source(c.net.edge(it->edge), d.fids.front()));
        if (d.kind == "near_miss") {
            // The gap and the road it stops short of.
            CHECK(it->gap_m == Approx(d.measure).margin(0.05));
            REQUIRE(it->target_edge != kNoId);
            REQUIRE(d.fids.size() == 2);
            CHECK(has_source(c.net.edge(it->target_edge), d.fids[1]));
        }
        if (d.kind == "stub") CHECK(it->dangling_m == Approx(d.measure).margin(0.05));
        if (d.kind == "boundary") CHECK(it->boundary_m <= d.measure + 0.05);
    }
    CHECK(planted == 46);
    // Nothing else: no dead end beyond the planted ones.
    CHECK(c.dead_ends.size() == planted);
    const DeadEndCounts counts = count_dead_ends(c.dead_ends);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::boundary)] == 23);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::near_miss)] == 7);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::stub)] == 4);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::isolated)] == 6);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::cul_de_sac)] == 6);
    // Three isolated pieces besides the main network; no zero-length piece.
    CHECK(c.structure.components.size() == 4);
    CHECK(c.report.zero_length == 0);
    // The only self-loop is the ring of the isolated 砖厂路 piece (IS06), a loop on a stem, not a defect.
    REQUIRE(c.report.self_loops == 1);
    const auto is06 = std::find_if(defects.begin(), defects.end(), [](const Defect& d) { return d.id == "IS06"; });
    REQUIRE(is06 != defects.end());
    for (const Edge& e : c.net.edges())
        if (!e.removed && e.self_loop()) CHECK(e.attributes.name == is06->road);
}

TEST_CASE("sample city: duplicated segments are merged and counted once each", "[network][data][sample_city]") {
    const SampleCity& c = sample_city_network();
    std::size_t planted = 0;
    for (const Defect& d : planted_defects()) {
        if (d.kind != "duplicate") continue;
        ++planted;
        INFO(d.id);
        REQUIRE(d.fids.size() == 2);
        // One live edge carries both the original and the copy, with one duplicate counted.
        std::size_t carriers = 0;
        for (const Edge& e : c.net.edges()) {
            if (e.removed || !has_source(e, d.fids[1])) continue;
            ++carriers;
            CHECK(has_source(e, d.fids[0]));
            CHECK(e.duplicates_merged == 1);
        }
        CHECK(carriers >= 1);
    }
    CHECK(planted == 4);
    CHECK(c.report.duplicates_merged == 4);
    std::uint32_t on_edges = 0;
    for (const Edge& e : c.net.edges())
        if (!e.removed) on_edges += e.duplicates_merged;
    CHECK(on_edges == 4);
}

TEST_CASE("sample city: the river bridge and the railway overpass join only at their ends",
          "[network][data][sample_city]") {
    const SampleCity& c = sample_city_network();
    // 运河大桥 (青年路 over the canal and 滨河西路/滨河东路) and 新华路's overpass (over 铁路东街).
    struct Case {
        std::string bridge_name;
        std::vector<std::string> beneath;
    };
    for (const Case& k : {Case{"运河大桥", {"滨河西路", "滨河东路"}}, Case{"新华路", {"铁路东街"}}}) {
        INFO(k.bridge_name);
        const Feature* bridge = nullptr;
        const int name_i = c.roads.field_index("name"), bridge_i = c.roads.field_index("bridge");
        REQUIRE(name_i >= 0);
        REQUIRE(bridge_i >= 0);
        for (const Feature& f : c.roads.features)
            if (to_text(f.values[name_i]) == k.bridge_name && to_text(f.values[bridge_i]) == "yes") bridge = &f;
        REQUIRE(bridge != nullptr);
        const LineString& line = bridge->geometry.lines.at(0);
        // Its ends connect: each is a node joined to at least one edge that is not the bridge.
        for (const Point end : {line.front(), line.back()}) {
            bool found = false;
            for (NodeId v = 0; v < c.net.nodes().size(); ++v) {
                if (dist(c.net.node(v).position, end) > 1e-6) continue;
                found = true;
                std::size_t approach = 0;
                for (EdgeId e : c.net.incident(v)) approach += !has_source(c.net.edge(e), bridge->fid);
                CHECK(approach >= 1);
            }
            CHECK(found);
        }
        // It passes over each road beneath, and no node lies at the crossing.
        std::size_t passes = 0;
        for (const Feature& f : c.roads.features) {
            if (std::find(k.beneath.begin(), k.beneath.end(), to_text(f.values[name_i])) == k.beneath.end()) continue;
            for (const LineString& under : f.geometry.lines)
                for (std::size_t i = 1; i < line.size(); ++i)
                    for (std::size_t j = 1; j < under.size(); ++j) {
                        const auto x = crossing(line[i - 1], line[i], under[j - 1], under[j]);
                        if (!x) continue;
                        ++passes;
                        for (const Node& n : c.net.nodes()) CHECK(dist(n.position, *x) > 1.0);
                    }
        }
        CHECK(passes >= k.beneath.size());
        // No edge of the bridge meets a road beneath at a node.
        for (const Edge& e : c.net.edges()) {
            if (e.removed || !has_source(e, bridge->fid)) continue;
            for (const NodeId v : {e.from, e.to})
                for (EdgeId o : c.net.incident(v))
                    CHECK(std::find(k.beneath.begin(), k.beneath.end(), c.net.edge(o).attributes.name) ==
                          k.beneath.end());
        }
    }
}

TEST_CASE("plan network --study-area-layer: the sample city's dead ends by class", "[network][cli][sample_city]") {
    const auto dir = sample_city();
    const auto r = plan::test::run_plan("network " + plan::test::quote((dir / "roads.gpkg").string()) + " --study-area " +
                                        plan::test::quote((dir / "landuse.gpkg").string()) +
                                        " --study-area-layer study_boundary --json -q");
    REQUIRE(r.exit_code == 0);
    for (const char* k : {"\"total\": 46", "\"boundary\": 23", "\"near_miss\": 7", "\"stub\": 4", "\"isolated\": 6",
                          "\"cul_de_sac\": 6", "\"duplicates_merged\": 4"})
        CHECK(r.out.find(k) != std::string::npos);
    // Without the layer the first layer (parcels) is taken: parcel edges are not the study-area edge.
    const auto parcels = plan::test::run_plan("network " + plan::test::quote((dir / "roads.gpkg").string()) +
                                              " --study-area " + plan::test::quote((dir / "landuse.gpkg").string()) +
                                              " --json -q");
    REQUIRE(parcels.exit_code == 0);
    CHECK(parcels.out.find("\"boundary\": 23") == std::string::npos);
    const auto bad = plan::test::run_plan("network " + plan::test::quote((dir / "roads.gpkg").string()) + " --study-area " +
                                          plan::test::quote((dir / "landuse.gpkg").string()) +
                                          " --study-area-layer no_such_layer -q");
    CHECK(bad.exit_code != 0);
    CHECK(bad.err.find("no_such_layer") != std::string::npos);
}
