// What --snap changed: the ends it moved, how far (BuildReport::snapping), the
// warning when it closed gaps wider than 5 m, and the "snapping" JSON key.
// The figures are worked out by hand from the layers' coordinates.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "network_fixtures.hpp"
#include "plan/log.hpp"
#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {

BuildOptions opts(Noding n, double snap) {
    BuildOptions o;
    o.noding = n;
    o.snap = snap;
    return o;
}

struct Built {
    Network net;
    BuildReport report;
    std::vector<std::string> warnings;
};

Built build(const std::vector<Road>& roads, const BuildOptions& o) {
    Built b;
    log::Capture capture;
    b.net = build_network(make_roads(roads), o, &b.report);
    for (const auto& m : capture.stop())
        if (m.level == log::Level::warning) b.warnings.push_back(m.text);
    return b;
}

// A T that misses: road 2 (fid 2) ends at (50, 30), 30 m from road 1's interior
// at (50, 0). Every other end is farther than 50 m from anything: road 1's ends
// are hypot(50, 30) = 58.31 m from road 2's end and line, road 2's far end 100 m up.
std::vector<Road> tee_30m() { return {Road{{{0, 0}, {100, 0}}}, Road{{{50, 30}, {50, 100}}}}; }

} // namespace

TEST_CASE("snapping: an end 30 m from a line joined by --snap 50 is counted, measured and warned about", "[network]") {
    for (Noding mode : {Noding::vertices, Noding::crossings}) {
        const Built b = build(tee_30m(), opts(mode, 50.0));
        const auto& s = b.report.snapping;
        CHECK(b.report.snapped_to_line == 1);
        CHECK(s.tolerance_m == 50.0);
        CHECK(s.ends_moved == 1);
        CHECK(s.ends_over_warn == 1);
        CHECK(s.max_move_m == Approx(30.0).margin(1e-9));
        CHECK(s.mean_move_m == Approx(30.0).margin(1e-9));
        CHECK(s.p95_move_m == Approx(30.0).margin(1e-9));
        CHECK(s.max_feature.fid == 2);
        CHECK(s.max_source == "hand.gpkg:roads");
        CHECK(s.max_at.x == 50.0);
        CHECK(s.max_at.y == 30.0);
        // Joined: a T, one node of three streets.
        std::size_t t = 0;
        for (NodeId n = 0; n < b.net.nodes().size(); ++n) t += b.net.street_count(n) == 3;
        CHECK(t == 1);
        REQUIRE(b.warnings.size() == 1);
        CHECK(b.warnings[0] ==
              "--snap 50 m moved 1 road end to close gaps, 1 by more than 5 m (largest 30.00 m: hand.gpkg:roads feature "
              "2 at 50.0, 30.0; mean 30.00 m, 95th percentile 30.00 m): a gap that wide is a real gap in the network, not "
              "a digitising error to close (raise --gap above it to list such gaps as near misses among the dead ends); "
              "lower --snap (e.g. 0.01 to 1 m) to keep it a gap");

        // In the JSON summary, under "snapping", after every existing key.
        const auto structure = analyse_structure(b.net);
        const auto dead = find_dead_ends(b.net, structure, DeadEndOptions{});
        const auto j = nlohmann::ordered_json::parse(to_json(summarise(b.net, structure, dead, b.report), b.report));
        REQUIRE(j.contains("snapping"));
        CHECK(j.back() == j["snapping"]);
        CHECK(j["snapping"].dump() == R"({"tolerance_m":50.0,"ends_moved":1,"ends_moved_over_5m":1,"max_move_m":30.0,)"
                                      R"("mean_move_m":30.0,"p95_move_m":30.0,"max_move_at":[50.0,30.0],)"
                                      R"("max_move_source":"hand.gpkg:roads","max_move_fid":2})");
    }
}

TEST_CASE("snapping: the default tolerance leaves the 30 m gap, moves nothing and says nothing", "[network]") {
    const Built b = build(tee_30m(), opts(Noding::crossings, BuildOptions{}.snap));
    CHECK(b.report.snapping.tolerance_m == 0.01);
    CHECK(b.report.snapping.ends_moved == 0);
    CHECK(b.report.snapping.max_move_m == 0.0);
    CHECK(b.report.snapping.mean_move_m == 0.0);
    CHECK(b.warnings.empty());
    const auto structure = analyse_structure(b.net);
    const auto dead = find_dead_ends(b.net, structure, DeadEndOptions{});
    const auto j = nlohmann::ordered_json::parse(to_json(summarise(b.net, structure, dead, b.report), b.report));
    CHECK(j["snapping"]["ends_moved"] == 0);
    CHECK(j["snapping"]["max_move_at"].is_null());
    CHECK(j["snapping"]["max_move_fid"].is_null());
}

TEST_CASE("snapping: a move under 5 m is counted but not warned about", "[network]") {
    // The end 4 m short: joined by --snap 5, below the warning's 5 m.
    const Built b = build({Road{{{0, 0}, {100, 0}}}, Road{{{50, 4}, {50, 100}}}}, opts(Noding::vertices, 5.0));
    CHECK(b.report.snapping.ends_moved == 1);
    CHECK(b.report.snapping.ends_over_warn == 0);
    CHECK(b.report.snapping.max_move_m == Approx(4.0).margin(1e-9));
    CHECK(b.warnings.empty());
}

TEST_CASE("snapping: twenty near misses of 1 to 20 m give count, largest, mean and 95th percentile", "[network]") {
    // Road 1 along y = 0 from x = -100 to 2200; roads 2..21 go up from (100 i, i), i = 1..20:
    // the gaps are 1, 2, ..., 20 m; the ends are 100 m apart from each other.
    std::vector<Road> roads{Road{{{-100, 0}, {2200, 0}}}};
    for (int i = 1; i <= 20; ++i) roads.push_back(Road{{{100.0 * i, 1.0 * i}, {100.0 * i, 500}}});
    const Built b = build(roads, opts(Noding::crossings, 25.0));
    const auto& s = b.report.snapping;
    CHECK(b.report.snapped_to_line == 20);
    CHECK(s.ends_moved == 20);
    CHECK(s.ends_over_warn == 15); // 6 .. 20 m
    CHECK(s.max_move_m == Approx(20.0).margin(1e-9));
    CHECK(s.mean_move_m == Approx(10.5).margin(1e-9)); // (1 + ... + 20) / 20 = 210 / 20
    CHECK(s.p95_move_m == Approx(19.0).margin(1e-9));  // nearest rank: the 19th of 20 (ceil 0.95 * 20)
    CHECK(s.max_feature.fid == 21);
    CHECK(s.max_at.x == 2000.0);
    REQUIRE(b.warnings.size() == 1);
    CHECK(b.warnings[0].find("--snap 25 m moved 20 road ends to close gaps, 15 by more than 5 m (largest 20.00 m: "
                             "hand.gpkg:roads feature 21 at 2000.0, 20.0; mean 10.50 m, 95th percentile 19.00 m)") == 0);
    // With no snapping the same layer reports nothing moved.
    const Built none = build(roads, opts(Noding::crossings, 0.0));
    CHECK(none.report.snapping.ends_moved == 0);
    CHECK(none.report.snapping.tolerance_m == 0.0);
    CHECK(none.warnings.empty());
}

TEST_CASE("snapping: ends joined in a chain move farther than the tolerance, and it is measured", "[network]") {
    // Ends at x = 0, 4 and 8 on y = 0; --snap 5 joins 0-4 and 4-8, so all three meet at the first
    // road's end (0, 0): the second end moves 4 m, the third 8 m (more than the tolerance).
    std::vector<Road> roads{Road{{{-100, 0}, {0, 0}}}, Road{{{4, 0}, {4, 100}}}, Road{{{8, 0}, {8, -100}}}};
    const Built b = build(roads, opts(Noding::vertices, 5.0));
    const auto& s = b.report.snapping;
    CHECK(b.report.snapped_to_end == 2);
    CHECK(s.ends_moved == 2);
    CHECK(s.max_move_m == Approx(8.0).margin(1e-12));
    CHECK(s.mean_move_m == Approx(6.0).margin(1e-12));
    CHECK(s.p95_move_m == Approx(8.0).margin(1e-12));
    CHECK(s.max_feature.fid == 3);
    REQUIRE(b.warnings.size() == 1);
    CHECK(b.warnings[0].find("largest 8.00 m: hand.gpkg:roads feature 3 at 8.0, 0.0") != std::string::npos);
    // The warning says why the largest move exceeds --snap.
    CHECK(b.warnings[0].find("95th percentile 8.00 m; moves add up past --snap where ends join one another in a chain)") !=
          std::string::npos);
    CHECK(b.warnings[0].find("self-loop") == std::string::npos);
}

TEST_CASE("snapping: a warning names the self-loops that snapping can make", "[network]") {
    // A U-shaped road whose two ends are 20 m apart: --snap 25 joins them, closing it into a loop.
    const Built b = build({Road{{{0, 0}, {0, 100}, {20, 100}, {20, 0}}}}, opts(Noding::vertices, 25.0));
    CHECK(b.report.snapping.ends_moved == 1);
    CHECK(b.report.self_loops == 1);
    REQUIRE(b.warnings.size() == 1);
    CHECK(b.warnings[0].find("); the result has 1 self-loop, which snapping makes when it joins the two ends of a line: ") !=
          std::string::npos);
}

TEST_CASE("snapping: ends that already coincide are not moves", "[network]") {
    const Built b = build({Road{{{0, 0}, {100, 0}}}, Road{{{100, 0}, {200, 0}}}, Road{{{100, 0}, {100, 80}}}},
                          opts(Noding::vertices, 50.0));
    CHECK(b.report.snapping.ends_moved == 0);
    CHECK(b.warnings.empty());
}
