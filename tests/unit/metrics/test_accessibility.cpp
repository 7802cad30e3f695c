// Parcel accessibility on a hand-made "T" whose answers are worked out by
// hand: an arterial along y = 0 from x = 0 to 1000 and a local road up from
// (500, 0) to (500, 600).
#include <catch2/catch.hpp>

#include "../network/network_fixtures.hpp"
#include <cmath>

#include "plan/accessibility.hpp"
#include "plan/error.hpp"
#include "plan/network_build.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {
Network tee() {
    BuildOptions o;
    o.noding = Noding::vertices;
    o.snap = 0.0;
    return build_network(make_roads({Road(LineString{{0, 0}, {500, 0}, {1000, 0}}, "primary"),
                                     Road(LineString{{500, 0}, {500, 600}}, "residential")}),
                         o);
}
} // namespace

TEST_CASE("accessibility: distances, reach and snapping on a T, by hand", "[metrics]") {
    const Network net = tee();
    const std::vector<AccessSite> sites{{"p1", {510, 400}}, {"p2", {200, 30}}, {"p3", {5000, 5000}}};
    AccessTargets school{"school", {{900, -20}}};
    AccessOptions opt;
    opt.radii = {400, 800};
    const AccessReport r = accessibility(net, sites, {school}, opt);
    REQUIRE(r.sites.size() == 3);
    const auto& p1 = r.sites[0];
    const auto& p2 = r.sites[1];
    const auto& p3 = r.sites[2];
    // snapping: p1 10 m east of the local road, p2 30 m north of the arterial,
    // p3 far away, nearest to the local road's end (500, 600)
    CHECK(p1.snap.distance_m == Approx(10));
    CHECK(p2.snap.distance_m == Approx(30));
    CHECK(p3.snap.distance_m == Approx(std::hypot(4500.0, 4400.0)));
    CHECK_FALSE(p1.far);
    CHECK_FALSE(p2.far);
    CHECK(p3.far);
    CHECK(r.far == 1);
    // to the nearest arterial: 400 m down the local road; 0 on it; 600 from the top
    CHECK(*p1.to_road_class_m == Approx(400));
    CHECK(*p2.to_road_class_m == 0);
    CHECK(*p3.to_road_class_m == Approx(600));
    // to the school at (900, 0): 400 + 400, 300 + 400, 600 + 400
    REQUIRE(p1.to_target_m.size() == 1);
    CHECK(*p1.to_target_m[0] == Approx(800));
    CHECK(*p2.to_target_m[0] == Approx(700));
    CHECK(*p3.to_target_m[0] == Approx(1000));
    // road within 400 m of p1 (500, 400): 400 down to the junction, 200 up to the end
    CHECK(p1.road_m_within[0] == Approx(600));
    // of p2 (200, 0): 200 west, 400 east (300 to the junction and 100 on), 100 up the local road
    CHECK(p2.road_m_within[0] == Approx(700));
    // within 800 m of p2: the whole arterial (1000) and 500 of the local road
    CHECK(p2.road_m_within[1] == Approx(1500));
    // other sites: p3 is 200 m from p1, p2 700 m
    CHECK(p1.sites_within[0] == 1);
    CHECK(p1.sites_within[1] == 2);
    CHECK(p2.sites_within[0] == 0);
    CHECK(p2.sites_within[1] == 1);
}

TEST_CASE("accessibility: chosen classes, an unreachable class, a bad radius", "[metrics]") {
    const Network net = tee();
    const std::vector<AccessSite> sites{{"p2", {200, 30}}};
    AccessOptions opt;
    opt.road_classes = {RoadClass::local};
    opt.radii = {};
    const AccessReport r = accessibility(net, sites, {}, opt);
    CHECK(*r.sites[0].to_road_class_m == Approx(300)); // to the junction, where the local road starts
    opt.road_classes = {RoadClass::expressway};
    const AccessReport none = accessibility(net, sites, {}, opt);
    CHECK_FALSE(none.sites[0].to_road_class_m);
    CHECK(none.unreachable_class == 1);
    opt.radii = {0};
    CHECK_THROWS_AS(accessibility(net, sites, {}, opt), usage_error);
    opt.radii = {-400};
    CHECK_THROWS_AS(accessibility(net, sites, {}, opt), usage_error);
}

TEST_CASE("accessibility: a parcel sits at its centroid, holes taken out", "[metrics]") {
    Geometry g;
    g.kind = GeometryKind::polygon;
    // a 10 x 10 square with a 2 x 2 hole at its lower left corner (clockwise)
    g.polygons.push_back(Polygon{{Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
                                  Ring{{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}}});
    const auto c = site_position(g);
    REQUIRE(c);
    // (100·5 - 4·2) / 96 = 5.125 in x and y
    CHECK(c->x == Approx(492.0 / 96));
    CHECK(c->y == Approx(492.0 / 96));
    Geometry pt;
    pt.kind = GeometryKind::point;
    pt.points.push_back({3, 4});
    CHECK(*site_position(pt) == Point{3, 4});
    CHECK_FALSE(site_position(Geometry{}));
}

TEST_CASE("OD circuity for a user OD layer: snap legs, ratio, unreachable pairs apart", "[metrics]") {
    BuildOptions o;
    o.noding = Noding::vertices;
    o.snap = 0.0;
    // the T and, apart, a 100 m road
    const Network net = build_network(make_roads({Road(LineString{{0, 0}, {500, 0}, {1000, 0}}, "primary"),
                                                  Road(LineString{{500, 0}, {500, 600}}, "residential"),
                                                  Road(LineString{{3000, 0}, {3100, 0}}, "residential")}),
                                      o);
    const std::vector<AccessSite> from{{"p1", {510, 400}}, {"p2", {200, 30}}};
    const std::vector<AccessSite> to{{"school", {900, -20}}, {"island", {3050, 10}}};
    const OdLayerCircuity r = od_circuity_layer(net, from, to, 100);
    REQUIRE(r.pairs.size() == 4);
    // p1 -> school: 10 (snap) + 400 + 400 + 20 (snap); straight line (390, 420)
    CHECK(*r.pairs[0].network_m == Approx(830));
    CHECK(r.pairs[0].straight_m == Approx(std::hypot(390.0, 420.0)));
    CHECK(*r.pairs[0].circuity == Approx(830 / std::hypot(390.0, 420.0)));
    // p2 -> school: 30 + 700 + 20; straight (700, 50)
    CHECK(*r.pairs[2].network_m == Approx(750));
    CHECK_FALSE(r.pairs[1].network_m); // the island cannot be reached
    CHECK_FALSE(r.pairs[3].network_m);
    CHECK(r.summary.pairs == 4);
    CHECK(r.summary.reachable == 2);
    CHECK(r.summary.unreachable == 2);
    CHECK(*r.summary.ratio_of_sums == Approx((830 + 750) / (std::hypot(390.0, 420.0) + std::hypot(700.0, 50.0))));
    CHECK(*r.summary.mean == Approx((830 / std::hypot(390.0, 420.0) + 750 / std::hypot(700.0, 50.0)) / 2));
    CHECK(r.far == 0);
}
