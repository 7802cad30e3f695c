// OD pairs and their network distances in whole millimetres, on a hand-made
// network whose answers are worked out by hand, and on the sample city for
// determinism across thread counts. Independent checks against NetworkX live
// with the scenario and candidate comparisons (scripts/compare_*_networkx.py).
#include <catch2/catch.hpp>

#include "../network/network_fixtures.hpp"

#include <set>

#include "plan/metrics.hpp"
#include "plan/network_build.hpp"
#include "plan/od.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {
// A square loop 0..1000 with a spur from (1000, 500) east to (1400, 500), and an
// island road far away (no path to it).
Network loop_with_island() {
    BuildOptions o;
    o.noding = Noding::vertices;
    o.snap = 0.0;
    return build_network(make_roads({Road(LineString{{0, 0}, {1000, 0}, {1000, 500}}, "primary"),
                                     Road(LineString{{1000, 500}, {1000, 1000}, {0, 1000}, {0, 0}}, "primary"),
                                     Road(LineString{{1000, 500}, {1400, 500}}, "residential"),
                                     Road(LineString{{5000, 5000}, {5100, 5000}}, "residential")}),
                         o);
}
} // namespace

TEST_CASE("od: distances by hand on a loop with a spur and an island", "[metrics][od]") {
    const Network net = loop_with_island();
    // 0: 10 m below (200, 0); 1: on the spur at (1300, 500); 2: 5 m left of (0, 700);
    // 3: next to the island road
    OdPairs p;
    p.points = {{200, -10}, {1300, 503}, {-5, 700}, {5050, 5001}};
    p.pairs = {{0, 1}, {0, 2}, {1, 2}, {0, 3}, {2, 0}};
    const OdDistances d = od_distances(net, p);
    REQUIRE(d.mm.size() == 5);
    // 0 -> 1: 10 leg + 800 along y=0 to x=1000 + 500 up + 300 along the spur + 3 leg
    CHECK(d.mm[0] == 10'000 + 800'000 + 500'000 + 300'000 + 3'000);
    // 0 -> 2: 10 + 200 west + 700 up the west side + 5 (the other way round is longer)
    CHECK(d.mm[1] == 10'000 + 200'000 + 700'000 + 5'000);
    // 1 -> 2: 3 + 300 + min(500 + 1000 + 700 + 200 .. via south: 500 + 1000 + 700; via north: 500 + 1000 + 300) + 5
    CHECK(d.mm[2] == 3'000 + 300'000 + 500'000 + 1'000'000 + 300'000 + 5'000);
    CHECK(d.mm[3] == -1);               // the island: no path
    CHECK(d.mm[4] == d.mm[1]);          // undirected
    CHECK(d.snaps[0].distance_m == Approx(10));
}

TEST_CASE("od: two points on one edge go directly along it", "[metrics][od]") {
    const Network net = loop_with_island();
    OdPairs p;
    p.points = {{1350, 500}, {1310, 500}};
    p.pairs = {{0, 1}};
    CHECK(od_distances(net, p).mm[0] == 40'000);
}

TEST_CASE("od: pairs drawn with a seed are distinct, sorted, reproducible, all pairs when few", "[metrics][od]") {
    std::vector<Point> pts;
    for (int i = 0; i < 60; ++i) pts.push_back({double(i), double(i % 7)});
    const OdPairs a = draw_od_pairs(pts, 1000, 7, "test");
    const OdPairs b = draw_od_pairs(pts, 1000, 7, "test");
    const OdPairs c = draw_od_pairs(pts, 1000, 8, "test");
    REQUIRE(a.pairs.size() == 1000);
    CHECK(a.pairs == b.pairs);
    CHECK(a.pairs != c.pairs);
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen(a.pairs.begin(), a.pairs.end());
    CHECK(seen.size() == 1000);
    CHECK(std::is_sorted(a.pairs.begin(), a.pairs.end()));
    for (const auto& [o, d] : a.pairs) CHECK(o < d);
    // 10 points: 45 pairs < 1000, so all of them
    pts.resize(10);
    CHECK(draw_od_pairs(pts, 1000, 7, "test").pairs.size() == 45);
    const OdPairs x = od_product({{0, 0}, {1, 1}}, {{2, 2}, {3, 3}, {4, 4}}, "layers");
    CHECK(x.points.size() == 5);
    CHECK(x.pairs.size() == 6);
    CHECK(x.pairs.front() == std::pair<std::uint32_t, std::uint32_t>{0, 2});
}

TEST_CASE("od: the sample city's node pairs give the same distances with 1 and 2 threads", "[metrics][od]") {
    ReadOptions r;
    const Layer roads = read_layer((plan::test::source_dir() / "data/sample-city/roads.gpkg").string(), "roads", r);
    BuildOptions o;
    const Network net = build_network(roads, o);
    const OdPairs p = draw_od_pairs(node_points(net), 300, 1, "network nodes");
    const OdDistances one = od_distances(net, p, 1);
    const OdDistances two = od_distances(net, p, 2);
    CHECK(one.mm == two.mm);
    std::size_t reached = 0;
    for (auto d : one.mm) reached += d > 0;
    CHECK(reached > 250); // the sample city is one piece but for planted isolated roads
}

TEST_CASE("circuity: the same figures with 1, 2 and 3 threads, all pairs and sampled", "[metrics][od]") {
    ReadOptions r;
    const Layer roads = read_layer((plan::test::source_dir() / "data/sample-city/roads.gpkg").string(), "roads", r);
    BuildOptions o;
    const Network net = build_network(roads, o);
    for (const std::size_t all_pairs_max : {std::size_t{100000}, std::size_t{10}}) {
        CircuityOptions c;
        c.all_pairs_max_nodes = all_pairs_max;
        c.sample_pairs = 3000;
        c.threads = 1;
        const CircuityResult one = od_circuity(net, c);
        CHECK(one.sampled == (all_pairs_max == 10));
        CHECK(one.reachable > 0);
        for (unsigned t : {2u, 3u}) {
            c.threads = t;
            const CircuityResult other = od_circuity(net, c);
            CHECK(other.pairs == one.pairs);
            CHECK(other.reachable == one.reachable);
            CHECK(other.unreachable == one.unreachable);
            CHECK(other.too_close == one.too_close);
            CHECK(other.mean == one.mean); // exactly: same pairs summed in the same order
            CHECK(other.median == one.median);
            CHECK(other.p90 == one.p90);
            CHECK(other.ratio_of_sums == one.ratio_of_sums);
        }
    }
}
