// Matching and measuring lines on hand-made networks: name variants, side
// roads and ramps, dual carriageways, gaps, barriers, far pieces, classes.
#include <catch2/catch.hpp>

#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/skeleton.hpp"
#include "skeleton_fixtures.hpp"

using namespace plan;
using plan::test::build_scene;
using plan::test::line_of;
using plan::test::Road;

namespace {
SkeletonSpec spec_of(const std::string& lines) { return SkeletonSpec::parse(lines, "test.toml"); }

// 青年路 in three name variants with a 300 m gap, beside its side roads and a
// ramp that start with the same name, crossed by a local street.
std::vector<Road> youth_road() {
    return {
        Road{{{0, 0}, {400, 0}}, "primary", "青年路"},
        Road{{{400, 0}, {1000, 0}}, "primary", "青年路（东段）"},
        Road{{{1300, 0}, {2000, 0}}, "primary", "青 年 路东段"},
        Road{{{0, 25}, {2000, 25}}, "primary", "青年路辅路"},
        Road{{{0, -25}, {2000, -25}}, "primary", "青年路(辅路)"},
        Road{{{1000, 0}, {1150, 120}}, "primary", "青年路匝道"},
        Road{{{500, -300}, {500, 300}}, "residential", "小巷"},
    };
}
const char* kYouthSpec = "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"青年路\"\n";
} // namespace

TEST_CASE("name variants match, side roads and ramps do not, and the gap is found exactly", "[skeleton]") {
    const auto net = build_scene(youth_road());
    const auto r = analyse_skeleton(net, spec_of(kYouthSpec));
    const auto& h = line_of(r, "H1");
    CHECK(h.unmatched_roads.empty());
    CHECK(h.built_m == Approx(1700.0));
    CHECK(h.planned_m == Approx(2000.0));
    CHECK(h.completion == Approx(0.85));
    for (EdgeId e : h.edges) {
        CHECK(net.edge(e).attributes.name.find("辅路") == std::string::npos);
        CHECK(net.edge(e).attributes.name.find("匝道") == std::string::npos);
    }
    REQUIRE(h.gaps.size() == 1);
    const auto& g = h.gaps[0];
    CHECK(g.from == Point{1000, 0});
    CHECK(g.to == Point{1300, 0});
    CHECK(g.length_m == Approx(300.0));
    CHECK(g.barriers.empty());
    // the ramp leaves at (1000,0), so only the far ends and the gap's east end are dead ends
    CHECK(h.dead_ends.size() == 3);
    // the local street crosses at (500,0): two arms on the line
    CHECK(h.local_connections == 2);
    CHECK(h.local_per_km == Approx(2 / 1.7));
    CHECK(h.below_class.empty());
}

TEST_CASE("a dual carriageway is measured once and its junction nodes count as one crossing", "[skeleton]") {
    const auto net = build_scene({
        Road{{{0, 0}, {1000, 0}}, "primary", "人民路", {}, {}, "yes"},        // eastbound
        Road{{{1000, 30}, {0, 30}}, "primary", "人民路", {}, {}, "yes"},      // westbound, drawn westwards
        Road{{{0, 60}, {1000, 60}}, "primary", "人民路辅路"},
        Road{{{500, -500}, {500, 500}}, "primary", "建设路"},
        // a second dual carriageway whose reverse direction is given by oneway = -1
        Road{{{0, 2000}, {1000, 2000}}, "primary", "和平路", {}, {}, "yes"},
        Road{{{0, 2040}, {1000, 2040}}, "primary", "和平路", {}, {}, "-1"},
        Road{{{500, 1500}, {500, 2500}}, "primary", "建设路"},
    });
    const auto r = analyse_skeleton(net, spec_of(std::string(
        "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"人民路\"\n"
        "[[line]]\nid = \"H2\"\norientation = \"ew\"\nname = \"和平路\"\n"
        "[[line]]\nid = \"V1\"\norientation = \"ns\"\nname = \"建设路\"\n")));
    const auto& h1 = line_of(r, "H1");
    CHECK(h1.built_m == Approx(1000.0));
    CHECK(h1.planned_m == Approx(1000.0));
    CHECK(h1.gaps.empty());
    CHECK(h1.paired_edges == 2); // the westbound carriageway, split at 建设路
    const auto& h2 = line_of(r, "H2");
    CHECK(h2.built_m == Approx(1000.0));
    CHECK(h2.paired_edges == 2);
    // V1 is two pieces 1000 m apart (within the default far-piece distance): one gap
    const auto& v1 = line_of(r, "V1");
    REQUIRE(v1.gaps.size() == 1);
    CHECK(v1.gaps[0].length_m == Approx(1000.0));
    CHECK(r.crossings_expected == 2);
    CHECK(r.crossings_existing == 2);
    for (const auto& c : r.crossings) {
        CHECK(c.exists);
        CHECK(c.nodes == 2); // both carriageways' junction nodes, one crossing
    }
    CHECK(r.crossings[0].at.x == Approx(500.0));
    CHECK(r.crossings[0].at.y == Approx(15.0));
}

TEST_CASE("a gap across a river polygon needs a bridge, across a railway a bridge or underpass", "[skeleton]") {
    const auto net = build_scene({
        Road{{{0, 0}, {800, 0}}, "primary", "卫河路"},
        Road{{{1200, 0}, {2000, 0}}, "primary", "卫河路"},
        Road{{{2300, 0}, {3000, 0}}, "primary", "卫河路"},
        Road{{{0, 1000}, {500, 1000}}, "primary", "平安路"},
        Road{{{600, 1000}, {1000, 1000}}, "primary", "平安路"},
    });
    BarrierLayer river;
    river.label = "river";
    river.polygons.push_back(Polygon{{{{900, -500}, {1100, -500}, {1100, 500}, {900, 500}, {900, -500}}}});
    river.polygon_names.push_back("卫运河");
    BarrierLayer railway;
    railway.label = "railway";
    railway.lines.push_back({{2600, -1000}, {2600, 1000}}); // crosses the road itself, not a gap
    railway.lines.push_back({{2150, -1000}, {2150, 500}});
    railway.line_names = {"", "京九铁路"};
    SkeletonInputs in;
    in.barriers = {river, railway};
    const auto r = analyse_skeleton(net, spec_of(std::string(
        "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"卫河路\"\n"
        "[[line]]\nid = \"H2\"\norientation = \"ew\"\nname = \"平安路\"\n")), in);
    const auto& h1 = line_of(r, "H1");
    REQUIRE(h1.gaps.size() == 2);
    CHECK(h1.gaps[0].length_m == Approx(400.0));
    CHECK(h1.gaps[0].needs_bridge);
    CHECK_FALSE(h1.gaps[0].needs_underpass);
    CHECK(h1.gaps[0].barriers == std::vector<std::string>{"river: 卫运河"});
    CHECK(h1.gaps[1].length_m == Approx(300.0));
    CHECK(h1.gaps[1].needs_underpass);
    CHECK_FALSE(h1.gaps[1].needs_bridge);
    CHECK(h1.gaps[1].barriers == std::vector<std::string>{"railway: 京九铁路"});
    const auto& h2 = line_of(r, "H2");
    REQUIRE(h2.gaps.size() == 1);
    CHECK(h2.gaps[0].barriers.empty());
    CHECK(h2.gaps[0].from == Point{500, 1000});
    CHECK(h2.gaps[0].to == Point{600, 1000});
}

TEST_CASE("pieces far from the rest are reported and not measured", "[skeleton]") {
    const auto net = build_scene({
        Road{{{0, 0}, {1000, 0}}, "primary", "建国路"},
        Road{{{1200, 0}, {2000, 0}}, "primary", "建国路"},
        Road{{{10000, 5000}, {11000, 5000}}, "primary", "建国路"}, // another town's 建国路
        Road{{{0, 3000}, {1000, 3000}}, "primary", "胜利路"},
    });
    std::vector<std::string> logged;
    log::set_sink([&](log::Level, const std::string& m) { logged.push_back(m); });
    const auto r = analyse_skeleton(net, spec_of(std::string(
        "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"建国路\"\n"
        "[[line]]\nid = \"H2\"\norientation = \"ew\"\nroads = [\"胜利路\", \"光明路\"]\n")));
    log::set_sink(nullptr);
    const auto& h1 = line_of(r, "H1");
    CHECK(h1.built_m == Approx(1800.0));
    REQUIRE(h1.gaps.size() == 1);
    CHECK(h1.gaps[0].length_m == Approx(200.0));
    REQUIRE(h1.far_pieces.size() == 1);
    CHECK(h1.far_pieces[0].length_m == Approx(1000.0));
    CHECK(h1.far_pieces[0].from == Point{10000, 5000});
    const auto& h2 = line_of(r, "H2");
    CHECK(h2.unmatched_roads == std::vector<std::string>{"光明路"});
    REQUIRE(r.warnings.size() == 2);
    CHECK_THAT(r.warnings[0], Catch::Contains("line H1") && Catch::Contains("1 matched piece(s) lie more than 1000 m") &&
                                  Catch::Contains("(10000.0, 5000.0)"));
    CHECK_THAT(r.warnings[1], Catch::Contains("line H2") && Catch::Contains("'光明路' matches no edge"));
    CHECK(logged.size() == 2); // the warnings reach the log once each
}

TEST_CASE("a spec that matches nothing is an input error", "[skeleton]") {
    const auto net = build_scene({Road{{{0, 0}, {1000, 0}}, "primary", "建国路"}});
    CHECK_THROWS_AS(analyse_skeleton(net, spec_of("[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"无名路\"\n")),
                    input_error);
}

TEST_CASE("chains follow the straightest continuation and stretches below the target class are reported", "[skeleton]") {
    const auto net = build_scene({
        Road{{{0, 0}, {1000, 0}}, "primary", "长江路"},
        Road{{{1000, 0}, {1600, 0}}, "secondary", "长江路"},  // built only as a collector
        Road{{{1600, 0}, {2500, 0}}, "primary", "长江路"},
        // a same-named branch that turns off north at the junction (1000,0)
        Road{{{1000, 0}, {1050, 400}}, "primary", "长江路"},
    });
    const auto r = analyse_skeleton(net, spec_of("[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"长江路\"\n"));
    const auto& h = line_of(r, "H1");
    CHECK(h.built_m == Approx(2500.0));
    CHECK(h.gaps.empty());
    CHECK(h.completion == Approx(1.0));
    REQUIRE(h.below_class.size() == 1);
    CHECK(h.below_class[0].road_class == RoadClass::collector);
    CHECK(h.below_class[0].length_m == Approx(600.0));
    CHECK(h.below_class[0].from == Point{1000, 0});
    CHECK(h.below_class[0].to == Point{1600, 0});
    CHECK(h.other_edges.size() == 1); // the branch is matched but not measured
}

TEST_CASE("spacing of neighbouring parallel lines and missing crossings", "[skeleton]") {
    const auto net = build_scene({
        Road{{{0, 0}, {2000, 0}}, "primary", "一路"},
        Road{{{0, 1000}, {1000, 1000}, {2000, 1200}}, "primary", "二路"},
        Road{{{500, -200}, {500, 1300}}, "primary", "甲路"},
        Road{{{1500, -200}, {1500, 900}}, "primary", "乙路"}, // stops short of 二路
    });
    const auto r = analyse_skeleton(net, spec_of(std::string(
        "[grid]\nspacing_min_m = 900\nspacing_max_m = 1100\n"
        "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"一路\"\n"
        "[[line]]\nid = \"H2\"\norientation = \"ew\"\nname = \"二路\"\n"
        "[[line]]\nid = \"V1\"\norientation = \"ns\"\nname = \"甲路\"\n"
        "[[line]]\nid = \"V2\"\norientation = \"ns\"\nname = \"乙路\"\n")));
    REQUIRE(r.spacing.size() == 2);
    const auto& ew = r.spacing[0];
    CHECK(ew.a == "H1");
    CHECK(ew.b == "H2");
    CHECK(ew.min_m == Approx(1000.0));
    // (2000,0) is 1176.7 m from the sloping end of H2, its nearest point
    CHECK(ew.max_m == Approx(1176.7).margin(0.1));
    CHECK_FALSE(ew.within_target);
    const auto& ns = r.spacing[1];
    CHECK(ns.a == "V1");
    CHECK(ns.min_m == Approx(1000.0));
    CHECK(ns.max_m == Approx(1000.0));
    CHECK(ns.within_target);
    CHECK(r.crossings_expected == 4);
    CHECK(r.crossings_existing == 3);
    for (const auto& c : r.crossings)
        if (c.h == "H2" && c.v == "V2") {
            CHECK_FALSE(c.exists);
            // the point of H2 nearest to V2's end (1500,900) is the foot at x = 1461.5 (sampled every 25 m)
            CHECK(c.at.x == Approx(1461.5).margin(13.0));
        }
}

TEST_CASE("parcel coverage by straight-line and network distance", "[skeleton]") {
    const auto net = build_scene({
        Road{{{0, 0}, {2000, 0}}, "primary", "一路"},
        Road{{{1000, 0}, {1000, 900}, {1600, 900}}, "residential", "小街"},
    });
    auto square = [](double x, double y, double s) {
        return std::vector<Polygon>{Polygon{{{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}}}};
    };
    SkeletonInputs in;
    in.parcels = {square(100, 100, 100),   // centroid 150 m from the line: both
                  square(1550, 950, 100),  // 1000 m straight; by 小街 100 + 1500: neither
                  square(1020, 360, 40),   // 380 m straight; by 小街 40 + 380: straight only
                  square(1020, 180, 40)};  // 200 m straight; by 小街 40 + 200: both
    const auto r = analyse_skeleton(net, SkeletonSpec::parse(
        "[grid]\ncoverage_m = 400\n[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"一路\"\n", "t.toml"), in);
    REQUIRE(r.coverage.computed);
    CHECK(r.coverage.parcels == 4);
    CHECK(r.coverage.parcels_straight == 3);
    CHECK(r.coverage.parcels_network == 2);
    CHECK(r.coverage.area_straight_m2 == Approx(10000.0 + 1600 + 1600));
    CHECK(r.coverage.area_network_m2 == Approx(10000.0 + 1600));
}
