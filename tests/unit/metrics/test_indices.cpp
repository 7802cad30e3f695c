// Connectivity indices, densities and OSMnx basic_stats on hand-made networks
// whose answers are worked out by hand in the comments.
#include <catch2/catch.hpp>

#include <cmath>

#include "../network/network_fixtures.hpp"
#include "plan/error.hpp"
#include "plan/metrics.hpp"
#include "plan/network_build.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {
Network build(const std::vector<Road>& roads) {
    BuildOptions o;
    o.noding = Noding::vertices;
    o.snap = 0.0;
    return build_network(make_roads(roads), o);
}
Polygon square(double x0, double y0, double x1, double y1) {
    return Polygon{{Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
}
// 4 x 4 lattice of roads at 100 m spacing over [0,300]²: 8 roads of 300 m.
std::vector<Road> grid_roads() {
    std::vector<Road> r;
    for (int i = 0; i < 4; ++i) {
        LineString h, v;
        for (int j = 0; j < 4; ++j) {
            h.push_back({100.0 * j, 100.0 * i});
            v.push_back({100.0 * i, 100.0 * j});
        }
        r.emplace_back(h);
        r.emplace_back(v);
    }
    return r;
}
} // namespace

TEST_CASE("grid: indices by hand", "[metrics]") {
    const Network net = build(grid_roads());
    const auto x = connectivity_indices(net, MetricsOptions{});
    // The 4 corners are pass-through (street count 2): v = 16 - 4 = 12, e = 24 - 4 = 20.
    CHECK(x.v == 12);
    CHECK(x.e == 20);
    CHECK(x.p == 1);
    CHECK(x.cyclomatic == 9); // the 9 blocks
    CHECK(x.beta == Approx(20.0 / 12));
    CHECK(x.mean_degree == Approx(40.0 / 12));
    REQUIRE(x.alpha);
    CHECK(*x.alpha == Approx(9.0 / 19));
    REQUIRE(x.gamma);
    CHECK(*x.gamma == Approx(20.0 / 30));
    REQUIRE(x.meshedness);
    CHECK(*x.meshedness == Approx(9.0 / 19));
    CHECK(x.intersections == 12);
    CHECK(x.dead_ends == 0);
    CHECK(*x.connected_node_ratio == 1.0);
    CHECK(x.intersections_consolidated == 12); // 100 m apart, tolerance 15 m
}

TEST_CASE("grid: densities on a boundary and against targets", "[metrics]") {
    const Network net = build(grid_roads());
    MetricsOptions o;
    // Boundary at half a block outside the grid: 400 m x 400 m = 0.16 km², 2.4 km inside.
    const StudyArea area = study_area_from_boundary({square(-50, -50, 350, 350)}, "hand");
    CHECK(area.area_m2 == Approx(160000));
    const Densities d = densities(net, area, o);
    CHECK(d.length_km == Approx(2.4));
    CHECK(*d.road_density == Approx(15.0));
    CHECK(*d.road_density_centreline == Approx(15.0));
    CHECK(*d.intersection_density == Approx(12 / 0.16));
    // built-up defaults: overall >= 8 passes; 支路 3-4 km/km² (GB 50220-95) fails at 15
    REQUIRE(d.checks.size() == 4);
    CHECK(d.checks[0].target.key == "overall");
    CHECK(d.checks[0].pass == true);
    CHECK(d.checks[3].target.key == "local");
    CHECK(d.checks[3].value == Approx(15.0));
    CHECK(d.checks[3].pass == false);
    CHECK(d.checks[1].value == 0.0); // no arterial
    CHECK(d.checks[1].pass == false);

    // A boundary through the middle cuts lines at its edge: [0,150] x [0,300]
    // holds 4 x 150 m of the horizontal roads and the roads at x = 0 and x = 100.
    const Densities half = densities(net, study_area_from_boundary({square(0, 0, 150, 300)}, "hand"), o);
    CHECK(half.length_km == Approx(1.2));
    CHECK(*half.road_density == Approx(1.2 / 0.045));
    CHECK(half.intersections == 6); // x = 0 column without its 2 corners (street count 2), x = 100 column
}

TEST_CASE("no area: no densities, never the bounding box", "[metrics]") {
    const Network net = build(grid_roads());
    const Densities d = densities(net, StudyArea{}, MetricsOptions{});
    CHECK(d.basis == StudyArea::Basis::none);
    CHECK_FALSE(d.road_density);
    CHECK(d.checks.empty());
    CHECK(d.length_km == Approx(2.4));
}

TEST_CASE("built-up area is the union of parcels, overlaps counted once", "[metrics]") {
    const StudyArea a = study_area_from_parcels({square(0, 0, 100, 100), square(50, 0, 150, 100)}, "parcels");
    CHECK(a.basis == StudyArea::Basis::built_up);
    CHECK(a.area_m2 == Approx(15000));
    CHECK_THROWS_AS(study_area_from_boundary({square(0, 0, 0, 0)}, "empty"), input_error);
    CHECK(a.closing_m == kBuiltUpClosingM); // closing a rectangle gives it back
    CHECK(a.parcels_union_m2 == Approx(15000));
}

TEST_CASE("built-up area: the closing fills streets and holes narrower than twice the distance", "[metrics]") {
    // two blocks with a 20 m street between them
    const std::vector<Polygon> blocks{square(0, 0, 100, 100), square(120, 0, 220, 100)};
    CHECK(study_area_from_parcels(blocks, "p", 0).area_m2 == Approx(20000));
    CHECK(study_area_from_parcels(blocks, "p", 5).area_m2 == Approx(20000)); // 20 m > 2 × 5 m: stays out
    const StudyArea closed = study_area_from_parcels(blocks, "p", 25);
    // the street is in, but for a shallow notch at each mouth (the discs of the two
    // blocks' corners meet 2.9 m below the buffered edge): 56 m² of its 2000 m²
    CHECK(closed.area_m2 > 21900);
    CHECK(closed.area_m2 < 22000);
    CHECK(closed.parcels_union_m2 == Approx(20000));
    REQUIRE(closed.polygons.size() == 1);
    // a ring of parcels around a 30 m courtyard: filled at 25 m, kept at 10 m
    Polygon ring = square(0, 0, 100, 100);
    ring.rings.push_back(Ring{{35, 35}, {35, 65}, {65, 65}, {65, 35}, {35, 35}});
    // at 10 m the courtyard stays, its corners rounded (radius 10 m): hole = 10×10 + 4·10·10 + π·10²
    CHECK(study_area_from_parcels({ring}, "p", 10).area_m2 == Approx(10000 - (500 + M_PI * 100)).epsilon(1e-4));
    CHECK(study_area_from_parcels({ring}, "p", 25).area_m2 == Approx(10000).epsilon(1e-4)); // arcs as 16 segments
    CHECK_THROWS_AS(study_area_from_parcels(blocks, "p", -1), usage_error);
}

TEST_CASE("tree: no cycle, dead ends", "[metrics]") {
    // A Y: centre (0,0) and three 100 m arms.
    const Network net = build({Road{{{0, 0}, {100, 0}}}, Road{{{0, 0}, {-100, 0}}}, Road{{{0, 0}, {0, 100}}}});
    const auto x = connectivity_indices(net, MetricsOptions{});
    CHECK(x.v == 4);
    CHECK(x.e == 3);
    CHECK(x.cyclomatic == 0);
    CHECK(*x.alpha == 0.0);
    CHECK(*x.gamma == Approx(0.5));
    CHECK(x.beta == Approx(0.75));
    CHECK(x.dead_ends == 3);
    CHECK(x.intersections == 1);
    CHECK(*x.connected_node_ratio == Approx(0.25));
    CHECK(*x.meshedness == 0.0); // (3 - 4 + 1) / (8 - 5)
}

TEST_CASE("ring: one loop, indices that are undefined say so", "[metrics]") {
    const Network net = build({Road{{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}}});
    const auto x = connectivity_indices(net, MetricsOptions{});
    CHECK(x.v == 1);
    CHECK(x.e == 1);
    CHECK(x.cyclomatic == 1);
    CHECK_FALSE(x.alpha); // 2v - 5p < 0
    CHECK_FALSE(x.gamma);
    CHECK_FALSE(x.connected_node_ratio); // neither intersections nor dead ends
    const OsmnxStats s = osmnx_basic_stats(net);
    CHECK(s.self_loop_proportion == 1.0);
    CHECK(s.m == 2);
    CHECK_FALSE(s.circuity_avg); // straight-line total is 0: OSMnx returns None
    CHECK(s.streets_per_node_counts.at(2) == 1);
}

TEST_CASE("grid: OSMnx basic_stats by hand", "[metrics]") {
    const Network net = build(grid_roads());
    const OsmnxStats s = osmnx_basic_stats(net, 160000, 15);
    CHECK(s.n == 12);
    CHECK(s.m == 40); // two-way: two arcs per edge
    CHECK(s.k_avg == Approx(80.0 / 12));
    CHECK(s.edge_length_total == Approx(4800));
    CHECK(s.street_length_total == Approx(2400));
    CHECK(s.street_segment_count == 20);
    CHECK(s.intersection_count == 12);
    CHECK(s.streets_per_node_counts == std::map<int, std::size_t>{{0, 0}, {1, 0}, {2, 0}, {3, 8}, {4, 4}});
    // the 4 corner edges are 200 m long for a 141.42 m chord
    CHECK(*s.circuity_avg == Approx(2400 / (1600 + 400 * std::sqrt(2.0))));
    CHECK(*s.clean_intersection_count == 12);
    CHECK(*s.street_density_km == Approx(2400 / 0.16)); // OSMnx: metres per km²
}

namespace {
// Eastbound carriageway y = 0 and westbound y = 20 (one-way, primary, named),
// crossed at x = 500 by a two-way local road.
std::vector<Road> dual_roads(const std::string& second_oneway = "yes") {
    return {Road{{{0, 0}, {500, 0}, {1000, 0}}, "primary", "Main Rd", "", "", "yes"},
            Road{{{1000, 20}, {500, 20}, {0, 20}}, "primary", "Main Rd", "", "", second_oneway},
            Road{{{500, -500}, {500, 0}, {500, 20}, {500, 520}}, "residential", "Cross St"}};
}
} // namespace

TEST_CASE("dual carriageway: counted once in centreline length, junction merged", "[metrics]") {
    const Network net = build(dual_roads());
    MetricsOptions o;
    const auto w = centreline_weights(net, o);
    double raw = 0, centre = 0;
    for (EdgeId e = 0; e < net.edges().size(); ++e) {
        if (net.edge(e).removed) continue;
        raw += net.edge(e).length;
        centre += net.edge(e).length * w[e];
        const bool carriageway = net.edge(e).attributes.road_class == RoadClass::arterial;
        CHECK(w[e] == (carriageway ? 0.5 : 1.0));
    }
    CHECK(raw == Approx(3020));
    CHECK(centre == Approx(2020));
    const auto x = connectivity_indices(net, o);
    CHECK(x.intersections == 2);
    CHECK(x.intersections_consolidated == 1); // 20 m apart < 2 x 15 m
    o.consolidate_tolerance = 5;
    CHECK(connectivity_indices(net, o).intersections_consolidated == 2);
    // OSMnx's streets: each carriageway node has 4 arcs' worth of streets
    const OsmnxStats s = osmnx_basic_stats(net);
    CHECK(s.m == 4 + 6); // 4 one-way halves + 3 two-way edges x 2
}

TEST_CASE("dual carriageway: one-ways running the same way are not a pair", "[metrics]") {
    auto roads = dual_roads();
    // reverse the second carriageway's geometry: now both run eastbound
    roads[1].line = {{0, 20}, {500, 20}, {1000, 20}};
    const Network net = build(roads);
    const auto w = centreline_weights(net, MetricsOptions{});
    for (EdgeId e = 0; e < net.edges().size(); ++e)
        if (!net.edge(e).removed) CHECK(w[e] == 1.0);
    // ... but "-1" (travel against the geometry) makes them a pair again
    roads[1].oneway = "-1";
    const Network back = build(roads);
    const auto wb = centreline_weights(back, MetricsOptions{});
    for (EdgeId e = 0; e < back.edges().size(); ++e)
        if (!back.edge(e).removed && back.edge(e).attributes.road_class == RoadClass::arterial) CHECK(wb[e] == 0.5);
}

TEST_CASE("density targets: defaults by area type and a TOML file", "[metrics]") {
    CHECK(default_targets("central")[0].min == 10.0);
    CHECK(default_targets("central")[0].max == 20.0);
    CHECK(default_targets("residential")[0].max == 13.0);
    CHECK_THROWS_AS(default_targets("suburb"), usage_error);
}

#include "metrics/geos_ops.hpp"

TEST_CASE("merging junction discs follows GEOS's 64-gon buffers exactly, not true circles", "[metrics]") {
    // Discs of radius 10 are GEOS buffers with 16 segments per quarter: vertices on the
    // circle at angles k*pi/32 starting at 0, so they reach 10 along the x axis but only
    // 10*cos(pi/64) = 9.988 between two vertices. Pairs 19.98 m apart: merged along x,
    // apart at the angle pi/64 (checked against shapely: relate 212101212 / FF2FF1212).
    const double a = std::acos(-1.0) / 64.0;
    const std::vector<plan::Point> pts{{0, 0}, {19.98, 0},                                   // merged
                                       {0, 100}, {19.98 * std::cos(a), 100 + 19.98 * std::sin(a)}, // apart
                                       {0, 200}, {19.0, 200}, {38.0, 200},                   // chain of three
                                       {0, 300}, {20.5, 300}};                               // beyond 2r
    std::size_t parts = 0;
    const auto part = plan::merge_discs(pts, 10.0, &parts);
    REQUIRE(part.size() == pts.size());
    CHECK(part[0] == part[1]);
    CHECK(part[2] != part[3]);
    CHECK(part[4] == part[5]);
    CHECK(part[5] == part[6]);
    CHECK(part[7] != part[8]);
    CHECK(parts == 6);
    // parts numbered in order of first point
    CHECK(part[0] == 0);
    CHECK(part[2] == 1);
    CHECK(part[3] == 2);
    CHECK(part[8] == 5);
    CHECK_THROWS(plan::merge_discs(pts, 0.0, nullptr));
}

TEST_CASE("density targets: class targets are not judged on a network without road classes", "[metrics]") {
    // The lattice with a class value no mapping knows: every road is class 'other'.
    std::vector<Road> roads;
    for (auto& r : grid_roads()) roads.emplace_back(r.line, "no-such-class");
    BuildOptions o;
    o.noding = Noding::vertices;
    o.snap = 0.0;
    o.classes.all = true; // keep the lines whose class is unknown
    const Network net = build_network(make_roads(roads), o);
    for (const auto& e : net.edges()) REQUIRE(e.attributes.road_class == RoadClass::other);
    const Densities d = densities(net, study_area_from_boundary({square(-50, -50, 350, 350)}, "hand"), MetricsOptions{});
    CHECK_FALSE(d.classified);
    REQUIRE(d.checks.size() == 4);
    // the overall target is still judged: 15 km/km² >= 8
    CHECK(d.checks[0].target.key == "overall");
    CHECK(d.checks[0].pass == true);
    CHECK(d.checks[0].reason.empty());
    for (std::size_t i = 1; i < 4; ++i) {
        INFO(d.checks[i].target.key);
        CHECK_FALSE(d.checks[i].pass.has_value());
        CHECK(d.checks[i].reason.find("no classified roads") != std::string::npos);
    }
    // the report says n/a with the reason, and null in JSON
    MetricsReport rep;
    rep.densities = d;
    const std::string text = to_text(rep);
    CHECK(text.find("target 主干路 (arterial) 1-1.2 km/km²: n/a (no classified roads") != std::string::npos);
    CHECK(text.find("FAIL") == std::string::npos);
    CHECK(text.find("target overall (all roads) >= 8 km/km² (judged on centreline-equivalent length 15.00; raw 15.00): PASS") != std::string::npos);
    const std::string json = to_json(rep);
    CHECK(json.find("\"pass\": null") != std::string::npos);
    CHECK(json.find("\"pass\": true") != std::string::npos);
    CHECK(json.find("\"pass\": false") == std::string::npos);
}

TEST_CASE("density report: 干线 and the 主干路 class target are told apart", "[metrics]") {
    const Network net = build(grid_roads());
    MetricsReport rep;
    rep.densities = densities(net, study_area_from_boundary({square(-50, -50, 350, 350)}, "hand"), MetricsOptions{});
    const std::string text = to_text(rep);
    INFO(text);
    CHECK(text.find("trunk roads 干线 (快速路+主干路) density: 0.00 raw") != std::string::npos);
    CHECK(text.find("target 主干路 (arterial) 1-1.2 km/km² (judged on centreline-equivalent length 0.00; raw 0.00): FAIL") != std::string::npos);
    CHECK(text.find("target 支路 (local) 3-4 km/km² (judged on centreline-equivalent length 15.00; raw 15.00): FAIL") != std::string::npos);
    CHECK(text.find("  支路 (local): 15.00 km/km²") != std::string::npos);
    // a custom key on a class keeps its key beside the class name
    DensityTarget t{"trunk", "", RoadClass::arterial, 1.0, std::nullopt};
    CHECK(target_label(t) == "主干路 (arterial) [trunk]");
    CHECK(target_label(DensityTarget{"overall", "", std::nullopt, 8.0, std::nullopt}) == "overall (all roads)");
}
