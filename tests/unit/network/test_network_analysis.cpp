// Structure, dead-end classes and their precedence, edits and graph views, bad input.
#include <catch2/catch.hpp>

#include <map>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include "network_fixtures.hpp"
#include "plan/error.hpp"
#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"
#include "plan/network_graph.hpp"
#include "test_support.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {
BuildOptions crossings() {
    BuildOptions o;
    o.noding = Noding::crossings;
    o.snap = 0.0;
    return o;
}

// The dead-end scene (crossings mode): a 2 km square ring with a central cross,
// in a study area from -500 to 2500, and one dead end of each kind.
std::vector<Road> dead_end_scene() {
    return {
        Road{{{0, 0}, {2000, 0}, {2000, 2000}, {0, 2000}, {0, 0}}},
        Road{{{0, 1000}, {2000, 1000}}},
        Road{{{1000, 0}, {1000, 2000}}},
        Road{{{1000, 2000}, {1000, 2495}}},  // boundary: 5 m from the study-area edge
        Road{{{1008, 2300}, {1008, 2495}}},  // boundary at the top; near miss (8 m) at the bottom
        Road{{{500, 1000}, {500, 700}}},     // cul-de-sac
        Road{{{1500, 1000}, {1500, 1005}}},  // stub (5 m)
        Road{{{1000, 1700}, {1992, 1700}}},  // near miss: 8 m short of the ring
        Road{{{1000, 500}, {1005, 500}}},    // near miss beats stub: 7 m from the road below
        Road{{{1012, 400}, {1012, 600}}},    // near miss beats isolated: 12 m from the cross
        Road{{{300, 300}, {400, 300}}},      // isolated
        Road{{{350, 300}, {350, 305}}},      // stub beats isolated
    };
}

DeadEndOptions scene_options() {
    DeadEndOptions o;
    o.study_area.push_back(Polygon{{{{-500, -500}, {2500, -500}, {2500, 2500}, {-500, 2500}, {-500, -500}}}});
    return o;
}

std::map<std::pair<double, double>, DeadEnd> by_position(const Network& net, const std::vector<DeadEnd>& ends) {
    std::map<std::pair<double, double>, DeadEnd> m;
    for (const auto& d : ends) m[{net.node(d.node).position.x, net.node(d.node).position.y}] = d;
    return m;
}
} // namespace

TEST_CASE("each dead end gets exactly one class, by precedence", "[network][dead_ends]") {
    auto net = build_network(make_roads(dead_end_scene()), crossings());
    auto s = analyse_structure(net);
    auto ends = find_dead_ends(net, s, scene_options());
    auto at = by_position(net, ends);
    REQUIRE(ends.size() == 12);
    auto kind = [&](double x, double y) { return to_string(at.at({x, y}).kind); };
    CHECK(kind(1000, 2495) == std::string("boundary"));
    CHECK(kind(1008, 2495) == std::string("boundary"));
    CHECK(kind(1008, 2300) == std::string("near_miss"));
    CHECK(kind(500, 700) == std::string("cul_de_sac"));
    CHECK(kind(1500, 1005) == std::string("stub"));
    CHECK(kind(1992, 1700) == std::string("near_miss"));
    CHECK(kind(1005, 500) == std::string("near_miss"));
    CHECK(kind(1012, 400) == std::string("near_miss"));
    CHECK(kind(1012, 600) == std::string("near_miss"));
    CHECK(kind(300, 300) == std::string("isolated"));
    CHECK(kind(400, 300) == std::string("isolated"));
    CHECK(kind(350, 305) == std::string("stub"));
    const DeadEnd& miss = at.at({1992, 1700});
    CHECK(miss.gap_m == Approx(8.0));
    CHECK(miss.target == Point{2000, 1700});
    CHECK(net.edge(miss.target_edge).geometry.front().x == 2000);
    CHECK(at.at({1005, 500}).gap_m == Approx(7.0));
    auto counts = count_dead_ends(ends);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::boundary)] == 2);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::near_miss)] == 5);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::stub)] == 2);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::isolated)] == 2);
    CHECK(counts.by_class[static_cast<int>(DeadEndClass::cul_de_sac)] == 1);
    // Without a study area, the data extent is the boundary; with a larger gap the
    // cul-de-sac is still one (nothing within 100 m but its own junction).
    auto o = scene_options();
    o.gap = 100;
    auto wide = by_position(net, find_dead_ends(net, s, o));
    CHECK(to_string(wide.at({500, 700}).kind) == std::string("cul_de_sac"));
    CHECK(to_string(wide.at({1500, 1005}).kind) == std::string("stub")); // its own junction is excluded
    o.gap = 0;
    auto nogap = by_position(net, find_dead_ends(net, s, o));
    CHECK(to_string(nogap.at({1005, 500}).kind) == std::string("stub"));
    CHECK(to_string(nogap.at({1012, 400}).kind) == std::string("isolated"));
}

TEST_CASE("summary counts match the scene and the JSON has the documented keys in order", "[network][dead_ends]") {
    BuildReport rep;
    auto net = build_network(make_roads(dead_end_scene()), crossings(), &rep);
    auto s = analyse_structure(net);
    auto ends = find_dead_ends(net, s, scene_options());
    auto m = summarise(net, s, ends, rep);
    CHECK(m.dead_ends.total == 12);
    CHECK(m.components == 4);
    CHECK(m.length_km == Approx((8000 + 4000 + 495 + 195 + 300 + 5 + 992 + 5 + 200 + 100 + 5) / 1000.0));
    CHECK(m.dead_ends_per_100km == Approx(10.0 / (m.length_km / 100.0)));
    const std::string json = to_json(m, rep);
    const char* keys[] = {"\"crs\"", "\"noding\"", "\"nodes\"", "\"edges\"", "\"intersections\"", "\"dead_ends\"",
                          "\"total\"", "\"boundary\"", "\"near_miss\"", "\"stub\"", "\"isolated\"", "\"cul_de_sac\"",
                          "\"components\"", "\"largest_component_share\"", "\"length_km\"", "\"critical_links_km\"",
                          "\"dead_ends_per_100km\""};
    std::size_t pos = 0;
    for (const char* k : keys) {
        const auto found = json.find(k, pos);
        INFO(k);
        REQUIRE(found != std::string::npos);
        pos = found;
    }
    auto layers = network_layers(net, s, ends);
    REQUIRE(layers.size() == 6);
    CHECK(layers[0].name == "edges");
    CHECK(layers[2].features.size() == 12);
    CHECK(layers[3].name == "gaps");
    CHECK(layers[3].features.size() == 5);
}

TEST_CASE("structure: components, critical links, cut vertices, parallel edges, self-loops", "[network]") {
    // A triangle (a cycle) with a tail and a separate piece; a parallel pair; a self-loop.
    std::vector<Road> roads{
        Road{{{0, 0}, {100, 0}}, "residential", "a"},   Road{{{100, 0}, {50, 80}}, "residential", "b"},
        Road{{{50, 80}, {0, 0}}, "residential", "c"},   Road{{{100, 0}, {200, 0}}, "residential", "tail"},
        Road{{{200, 0}, {300, 0}}, "residential", "t2"}, Road{{{200, 0}, {250, 50}, {300, 0}}, "residential", "t3"},
        Road{{{300, 0}, {320, 0}}, "residential", "t4"},  Road{{{320, 0}, {330, 10}, {320, 10}, {320, 0}}, "residential", "loop"},
        Road{{{1000, 1000}, {1100, 1000}}, "residential", "far"},
    };
    auto o = crossings();
    auto net = build_network(make_roads(roads), o);
    auto s = analyse_structure(net);
    CHECK(s.components.size() == 2);
    CHECK(s.components[0].length_m > s.components[1].length_m);
    // Critical: the tail (100,0)-(200,0), the stick (300,0)-(320,0) and the far piece.
    double crit = 0;
    for (EdgeId e : s.critical_links) crit += net.edge(e).length;
    CHECK(s.critical_links.size() == 3);
    CHECK(crit == Approx(100 + 20 + 100));
    CHECK(s.parallel_edges.size() == 1);
    CHECK(s.self_loops.size() == 1);
    std::vector<Point> cuts;
    for (NodeId n : s.cut_vertices) cuts.push_back(net.node(n).position);
    CHECK(cuts.size() == 3); // (320,0) only holds the self-loop: not a cut vertex
    CHECK(std::find(cuts.begin(), cuts.end(), Point{100, 0}) != cuts.end());
    CHECK(std::find(cuts.begin(), cuts.end(), Point{300, 0}) != cuts.end());
}

TEST_CASE("edits: a new line is noded into the network, remove and reclassify touch only their edges", "[network][edit]") {
    auto net = build_network(make_roads({Road{{{0, 50}, {100, 50}}}, Road{{{0, 0}, {100, 0}}}}), crossings());
    REQUIRE(net.live_edge_count() == 2);
    const auto rev = net.revision();
    EdgeAttributes a;
    a.road_class = RoadClass::local;
    a.name = "新路";
    // A new link from (50,-20) to (50,70) crossing both roads at grade.
    auto added = net.add_line({{50, -20}, {50, 70}}, a, {SourceRef{9, 1}});
    CHECK(added.size() == 3);
    CHECK(net.live_edge_count() == 2 * 2 + 3);
    CHECK(net.revision() != rev);
    int fours = 0, threes = 0;
    for (NodeId n = 0; n < net.nodes().size(); ++n) {
        fours += net.street_count(n) == 4;
        threes += net.street_count(n) == 3;
    }
    CHECK(fours == 2);
    CHECK(threes == 0);
    // A bridge over the top road does not join it.
    EdgeAttributes br = a;
    br.level = 1;
    br.bridge = true;
    auto over = net.add_line({{20, 40}, {20, 60}}, br, {});
    CHECK(over.size() == 1);
    // Snapping an end onto an interior.
    auto snapped = net.add_line({{80, 100}, {80, 50.3}}, a, {}, AddLineOptions{0.5, true});
    REQUIRE(snapped.size() == 1);
    CHECK(net.street_count(net.edge(snapped[0]).to) == 3);
    net.reclassify(added[1], RoadClass::arterial);
    CHECK(net.edge(added[1]).attributes.road_class == RoadClass::arterial);
    const auto before = net.live_edge_count();
    net.remove_edge(added[1]);
    net.remove_edge(added[1]);
    CHECK(net.live_edge_count() == before - 1);
    auto s = analyse_structure(net);
    CHECK(s.components.size() == 3); // bottom, top, and the bridge that joined nothing
}

TEST_CASE("Boost.Graph views: undirected for structure, directed honouring oneway", "[network][graph]") {
    std::vector<Road> roads{Road{{{0, 0}, {100, 0}}, "primary", "a", "", "", "yes"},
                            Road{{{100, 0}, {100, 100}}, "primary", "b"}};
    auto net = build_network(make_roads(roads), crossings());
    auto und = undirected_view(net);
    auto dir = directed_view(net);
    CHECK(boost::num_edges(und.graph) == 4);
    CHECK(boost::num_edges(dir.graph) == 3);
    const auto origin = *net.find_node({100, 100});
    const auto target = *net.find_node({0, 0});
    std::vector<double> d(boost::num_vertices(dir.graph));
    boost::dijkstra_shortest_paths(dir.graph, origin,
                                   boost::distance_map(d.data()).weight_map(boost::get(&ArcProperties::length, dir.graph)));
    CHECK(d[target] > 1e300); // against the oneway: unreachable
    std::vector<double> du(boost::num_vertices(und.graph));
    boost::dijkstra_shortest_paths(und.graph, origin,
                                   boost::distance_map(du.data()).weight_map(boost::get(&ArcProperties::length, und.graph)));
    CHECK(du[target] == Approx(200.0));
}

TEST_CASE("bad input: empty, polygons, absurd tolerances, unknown mapping field or class", "[network][bad_input]") {
    Layer empty = make_roads({});
    CHECK_THROWS_AS(build_network(empty, crossings()), input_error);
    Layer polys = make_roads({});
    Feature f;
    f.geometry.kind = GeometryKind::polygon;
    f.geometry.polygons.push_back(Polygon{{{{0, 0}, {10, 0}, {10, 10}, {0, 0}}}});
    polys.features.push_back(f);
    try {
        build_network(polys, crossings());
        FAIL("polygons accepted as roads");
    } catch (const input_error& e) {
        CHECK(std::string(e.what()).find("polygons") != std::string::npos);
    }
    Layer footways = make_roads({Road{{{0, 0}, {10, 0}}, "footway"}});
    CHECK_THROWS_AS(build_network(footways, crossings()), input_error);
    auto o = crossings();
    o.snap = -1;
    CHECK_THROWS_AS(build_network(make_roads({Road{{{0, 0}, {10, 0}}}}), o), usage_error);
    o.snap = 1e6;
    CHECK_THROWS_AS(build_network(make_roads({Road{{{0, 0}, {10, 0}}}}), o), usage_error);
    DeadEndOptions d;
    d.gap = -5;
    CHECK_THROWS_AS(check_tolerances(d, Envelope{0, 0, 100, 100}), usage_error);
    d.gap = 15;
    d.stub = 1e5;
    CHECK_THROWS_AS(check_tolerances(d, Envelope{0, 0, 100, 100}), usage_error);

    const auto dir = plan::test::scratch_dir("network-mapping");
    plan::test::write_file(dir / "bad_class.toml", "[values]\nprimary = \"arterial\"\nsecondary = \"主干\"\n");
    try {
        ClassMapping::from_toml((dir / "bad_class.toml").string());
        FAIL("unknown class accepted");
    } catch (const config_error& e) {
        CHECK(e.context().line == 3);
    }
    plan::test::write_file(dir / "bad_field.toml", "fields = [\"grade\"]\n[values]\n\"一级\" = \"arterial\"\n");
    auto m = ClassMapping::from_toml((dir / "bad_field.toml").string());
    auto o2 = crossings();
    o2.mapping = m;
    CHECK_THROWS_AS(build_network(make_roads({Road{{{0, 0}, {10, 0}}}}), o2), usage_error);
}
