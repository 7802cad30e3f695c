// Topology building on hand-made layers: noding modes, grade separation,
// snapping, duplicates, dissolution of pass-through nodes.
#include <catch2/catch.hpp>

#include <algorithm>

#include "network_fixtures.hpp"
#include "plan/error.hpp"
#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {
BuildOptions opts(Noding n, double snap = 0.0) {
    BuildOptions o;
    o.noding = n;
    o.snap = snap;
    return o;
}
std::size_t count_sc(const Network& net, int sc) {
    std::size_t c = 0;
    for (NodeId n = 0; n < net.nodes().size(); ++n) c += net.street_count(n) == sc ? 1 : 0;
    return c;
}
// A "+" of two roads that cross at (50,50) without a shared vertex.
std::vector<Road> plus_roads() {
    return {Road{{{0, 50}, {100, 50}}}, Road{{{50, 0}, {50, 100}}}};
}
} // namespace

TEST_CASE("vertices noding joins lines only where they share a vertex", "[network]") {
    auto net = build_network(make_roads(plus_roads()), opts(Noding::vertices));
    CHECK(net.live_edge_count() == 2);
    CHECK(count_sc(net, 1) == 4);
    auto shared = make_roads({Road{{{0, 50}, {50, 50}, {100, 50}}}, Road{{{50, 0}, {50, 50}, {50, 100}}}});
    auto net2 = build_network(shared, opts(Noding::vertices));
    CHECK(net2.live_edge_count() == 4);
    CHECK(count_sc(net2, 4) == 1);
    CHECK(count_sc(net2, 1) == 4);
}

TEST_CASE("crossings noding splits lines where they cross and where an end touches an interior", "[network]") {
    auto net = build_network(make_roads(plus_roads()), opts(Noding::crossings));
    CHECK(net.live_edge_count() == 4);
    REQUIRE(count_sc(net, 4) == 1);
    for (NodeId n = 0; n < net.nodes().size(); ++n)
        if (net.street_count(n) == 4) CHECK(net.node(n).position == Point{50, 50});
    CHECK(net.total_length() == Approx(200.0));
    // T-junction: the end (50,50) lies on the other line's interior.
    auto tee = build_network(make_roads({Road{{{0, 50}, {100, 50}}}, Road{{{50, 0}, {50, 50}}}}), opts(Noding::crossings));
    CHECK(tee.live_edge_count() == 3);
    CHECK(count_sc(tee, 3) == 1);
}

TEST_CASE("automatic noding picks vertices for OSM and crossings for other sources", "[network]") {
    BuildReport rep;
    auto osm = make_roads(plus_roads(), "city.osm");
    osm.driver = "OSM";
    auto n1 = build_network(osm, opts(Noding::automatic), &rep);
    CHECK(rep.sources.at(0).noding == Noding::vertices);
    CHECK(n1.live_edge_count() == 2);
    auto n2 = build_network(make_roads(plus_roads()), opts(Noding::automatic), &rep);
    CHECK(rep.sources.at(0).noding == Noding::crossings);
    CHECK_FALSE(rep.sources.at(0).noding_reason.empty());
    CHECK(n2.live_edge_count() == 4);
}

TEST_CASE("grade separation: a bridge joins at its ends, not where it passes over", "[network]") {
    // Ground road east-west; bridge (layer 1) north-south passing over it, with
    // approach roads meeting the bridge ends.
    std::vector<Road> roads{
        Road{{{0, 50}, {100, 50}}},
        Road{{{50, 20}, {50, 80}}, "primary", "桥", "yes", "1"},
        Road{{{50, 0}, {50, 20}}, "primary", "桥"},
        Road{{{50, 80}, {50, 100}}, "primary", "桥"},
    };
    BuildReport rep;
    auto o = opts(Noding::crossings);
    o.keep_level_change = true;
    auto net = build_network(make_roads(roads), o, &rep);
    CHECK(rep.grade_separated == 1);
    CHECK(count_sc(net, 4) == 0);
    CHECK(count_sc(net, 3) == 0);
    // Ground road alone is one edge; the bridge route is three edges (levels differ).
    CHECK(net.live_edge_count() == 4);
    // The same crossing at grade joins.
    roads[1].bridge.clear();
    roads[1].layer.clear();
    auto at_grade = build_network(make_roads(roads), o);
    CHECK(count_sc(at_grade, 4) == 1);
}

TEST_CASE("grade separation: an overpass exactly over a ground intersection does not join it", "[network]") {
    // Ground roads share the vertex (50,50); the overpass has a vertex there too.
    std::vector<Road> roads{
        Road{{{0, 50}, {50, 50}, {100, 50}}},
        Road{{{50, 0}, {50, 50}, {50, 100}}},
        Road{{{0, 0}, {50, 50}, {100, 100}}, "motorway", "高架", "yes", "1"},
    };
    auto net = build_network(make_roads(roads), opts(Noding::crossings));
    CHECK(count_sc(net, 4) == 1); // the ground intersection only
    std::size_t bridge_edges = 0;
    for (const auto& e : net.edges())
        if (!e.removed && e.attributes.bridge) ++bridge_edges;
    CHECK(bridge_edges == 1);
    // In vertices mode a shared vertex is a junction whatever the level (OSM model).
    auto osm = build_network(make_roads(roads), opts(Noding::vertices));
    CHECK(count_sc(osm, 6) == 1);
}

TEST_CASE("a bridge's end joins the road it touches even on another level", "[network]") {
    std::vector<Road> roads{
        Road{{{0, 50}, {100, 50}}},
        Road{{{50, 50}, {50, 100}}, "primary", "", "yes", "2"},
    };
    auto net = build_network(make_roads(roads), opts(Noding::crossings));
    CHECK(count_sc(net, 3) == 1);
}

TEST_CASE("snapping joins ends within the tolerance to ends and to interiors", "[network]") {
    // Two roads whose ends are 5 mm apart.
    std::vector<Road> ends{Road{{{0, 0}, {100, 0}}, "residential", "a"}, Road{{{100.005, 0}, {200, 0}}, "residential", "b"}};
    BuildReport rep;
    auto joined = build_network(make_roads(ends), opts(Noding::vertices, 0.01), &rep);
    CHECK(rep.snapped_to_end == 1);
    CHECK(count_sc(joined, 2) == 1);
    CHECK(count_sc(joined, 1) == 2);
    auto apart = build_network(make_roads(ends), opts(Noding::vertices, 0.0));
    CHECK(count_sc(apart, 1) == 4);
    // An end 4 mm short of another road's interior (a T that missed).
    std::vector<Road> tee{Road{{{0, 0}, {100, 0}}}, Road{{{50, 0.004}, {50, 80}}}};
    for (Noding mode : {Noding::vertices, Noding::crossings}) {
        auto t = build_network(make_roads(tee), opts(mode, 0.01), &rep);
        CHECK(rep.snapped_to_line == 1);
        CHECK(count_sc(t, 3) == 1);
        auto t0 = build_network(make_roads(tee), opts(mode, 0.001));
        CHECK(count_sc(t0, 3) == 0);
    }
}

TEST_CASE("degree-2 nodes dissolve into one edge keeping geometry, length and sources", "[network]") {
    std::vector<Road> roads{
        Road{{{0, 0}, {10, 0}}, "primary", "青年路"},
        Road{{{10, 0}, {20, 5}}, "primary", "青年路"},
        Road{{{20, 5}, {30, 5}}, "primary", "青年路"},
    };
    BuildReport rep;
    auto net = build_network(make_roads(roads), opts(Noding::vertices), &rep);
    REQUIRE(net.live_edge_count() == 1);
    const Edge& e = net.edge(0);
    CHECK(e.geometry.size() == 4);
    CHECK(e.length == Approx(10 + std::hypot(10, 5) + 10));
    CHECK(e.sources.size() == 3);
    CHECK(rep.dissolved_nodes == 2);
    // A name change keeps the node; turning the option off dissolves it.
    roads[2].name = "青年路东段";
    auto kept = build_network(make_roads(roads), opts(Noding::vertices));
    CHECK(kept.live_edge_count() == 2);
    auto o = opts(Noding::vertices);
    o.keep_name_change = false;
    CHECK(build_network(make_roads(roads), o).live_edge_count() == 1);
    // Oneway pieces pointing at each other never dissolve.
    roads[2].name = "青年路";
    roads[1].oneway = "yes";
    roads[2].oneway = "-1";
    auto ow = build_network(make_roads(roads), opts(Noding::vertices));
    CHECK(ow.live_edge_count() == 3);
    // Consistent oneway pieces (one drawn backwards with -1) dissolve into one oneway edge.
    roads[1].oneway = "yes";
    roads[2].oneway = "yes";
    roads[0].oneway = "yes";
    auto ow2 = build_network(make_roads(roads), opts(Noding::vertices));
    REQUIRE(ow2.live_edge_count() == 1);
    CHECK(ow2.edge(0).attributes.oneway != Oneway::both);
}

TEST_CASE("duplicated segments are merged and counted, overlaps too in crossings mode", "[network]") {
    std::vector<Road> roads{Road{{{0, 0}, {100, 0}}}, Road{{{100, 0}, {0, 0}}}, Road{{{0, 0}, {0, 50}}}};
    BuildReport rep;
    auto net = build_network(make_roads(roads), opts(Noding::vertices), &rep);
    CHECK(rep.duplicates_merged == 1);
    CHECK(net.total_length() == Approx(150.0));
    // Overlap: (0,0)-(100,0) and (50,0)-(150,0) share 50 m.
    std::vector<Road> overlap{Road{{{0, 0}, {100, 0}}}, Road{{{50, 0}, {150, 0}}}};
    auto o = build_network(make_roads(overlap), opts(Noding::crossings), &rep);
    CHECK(rep.duplicates_merged == 1);
    CHECK(o.total_length() == Approx(150.0));
}

TEST_CASE("multi-part lines are split, zero-length parts dropped and self-loops reported", "[network]") {
    Layer l = make_roads({Road{{{0, 0}, {10, 0}}}});
    l.features[0].geometry.lines.push_back({{20, 0}, {30, 0}});
    l.features[0].geometry.lines.push_back({{40, 0}, {40, 0}});
    // A lollipop: a loop returning to its own start, hanging off a stick.
    l.features.push_back(l.features[0]);
    l.features[1].fid = 2;
    l.features[1].geometry.lines = {{{100, 0}, {110, 0}, {110, 10}, {100, 10}, {100, 0}}, {{100, 0}, {90, 0}}};
    BuildReport rep;
    auto net = build_network(l, opts(Noding::vertices), &rep);
    CHECK(rep.sources[0].multipart_split == 3);
    CHECK(rep.zero_length == 1);
    CHECK(rep.self_loops == 1);
    // The loop's node has street count 3 (the loop counts twice).
    CHECK(count_sc(net, 3) == 1);
}

TEST_CASE("road classes come from OSM, Geofabrik and Chinese fields, with side roads by name", "[network]") {
    std::vector<Road> roads{
        Road{{{0, 0}, {10, 0}}, "trunk"},    Road{{{0, 10}, {10, 10}}, "primary_link"},
        Road{{{0, 20}, {10, 20}}, "主干路"}, Road{{{0, 30}, {10, 30}}, "primary", "青年路辅路"},
        Road{{{0, 40}, {10, 40}}, "footway"},
    };
    BuildReport rep;
    auto net = build_network(make_roads(roads), opts(Noding::crossings), &rep);
    REQUIRE(net.live_edge_count() == 4); // footway is not public
    CHECK(rep.sources[0].filtered_out == 1);
    CHECK(net.edge(0).attributes.road_class == RoadClass::expressway);
    CHECK(net.edge(1).attributes.road_class == RoadClass::ramp);
    CHECK(net.edge(2).attributes.road_class == RoadClass::arterial);
    CHECK(net.edge(3).attributes.road_class == RoadClass::side_road);
    auto o = opts(Noding::crossings);
    o.classes = ClassFilter::parse("all");
    CHECK(build_network(make_roads(roads), o).live_edge_count() == 5);
    o.classes = ClassFilter::parse("expressway,主干路");
    CHECK(build_network(make_roads(roads), o).live_edge_count() == 2);
    CHECK_THROWS_AS(ClassFilter::parse("motorway"), usage_error);
}

TEST_CASE("Geofabrik T/F flags and F/T/B oneway are understood", "[network]") {
    std::vector<Road> roads{Road{{{0, 0}, {10, 0}}, "primary", "a", "T", "", "F"},
                            Road{{{0, 10}, {10, 10}}, "primary", "b", "F", "", "T"},
                            Road{{{0, 20}, {10, 20}}, "primary", "c", "F", "", "B"}};
    auto net = build_network(make_roads(roads), opts(Noding::crossings));
    REQUIRE(net.live_edge_count() == 3);
    CHECK(net.edge(0).attributes.bridge);
    CHECK(net.edge(0).attributes.level == 1);
    CHECK(net.edge(0).attributes.oneway == Oneway::forward);
    CHECK_FALSE(net.edge(1).attributes.bridge);
    CHECK(net.edge(1).attributes.oneway == Oneway::backward);
    CHECK(net.edge(2).attributes.oneway == Oneway::both);
}

TEST_CASE("output is deterministic: the same input gives the same network", "[network]") {
    std::vector<Road> roads;
    for (int i = 0; i < 20; ++i) {
        roads.push_back(Road{{{0.0, i * 10.0 + 0.5}, {200.0, i * 10.0 + 0.25}}});
        roads.push_back(Road{{{i * 10.0 + 0.3, 0.0}, {i * 10.0 + 0.7, 200.0}}});
    }
    auto a = build_network(make_roads(roads), opts(Noding::crossings));
    auto b = build_network(make_roads(roads), opts(Noding::crossings));
    REQUIRE(a.edges().size() == b.edges().size());
    CHECK(a.live_edge_count() == 20 * 21 * 2);
    for (EdgeId e = 0; e < a.edges().size(); ++e) CHECK(a.edge(e).geometry == b.edge(e).geometry);
}
