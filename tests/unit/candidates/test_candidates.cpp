// Link candidates: the incremental OD evaluation equals a full recompute
// (the links really added by Network::add_line, every pair recomputed by a
// plain Dijkstra from the points' base seats) exactly, in whole millimetres,
// alone and in sequence; barrier and at-grade rules on hand-made cases; the
// planted near misses of the sample city rank near the top; threads never change bytes.
#include <catch2/catch.hpp>

#include "../network/network_fixtures.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <queue>
#include <unordered_map>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "plan/candidates.hpp"
#include "plan/error.hpp"
#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"
#include "plan/od.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {

/// A jittered lattice with some streets removed and dead-end spurs that stop short.
Network random_city(std::uint64_t seed, int nx, int ny) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> jit(-20.0, 20.0), unit(0.0, 1.0);
    std::vector<std::vector<Point>> p(static_cast<std::size_t>(nx), std::vector<Point>(static_cast<std::size_t>(ny)));
    for (int i = 0; i < nx; ++i)
        for (int j = 0; j < ny; ++j)
            p[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = {i * 200.0 + jit(rng) + 0.123, j * 170.0 + jit(rng) + 0.456};
    std::vector<Road> roads;
    for (int i = 0; i < nx; ++i)
        for (int j = 0; j < ny; ++j) {
            const Point a = p[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
            if (i + 1 < nx && unit(rng) < 0.8) {
                const Point b = p[static_cast<std::size_t>(i + 1)][static_cast<std::size_t>(j)];
                if (unit(rng) < 0.25) { // a dead end stopping short of b
                    const double f = 0.55 + 0.3 * unit(rng);
                    roads.emplace_back(LineString{a, {a.x + f * (b.x - a.x), a.y + f * (b.y - a.y)}}, "residential");
                } else {
                    roads.emplace_back(LineString{a, {(a.x + b.x) / 2, (a.y + b.y) / 2 + jit(rng) / 4}, b},
                                       unit(rng) < 0.3 ? "primary" : "residential");
                }
            }
            if (j + 1 < ny && unit(rng) < 0.8) {
                const Point b = p[static_cast<std::size_t>(i)][static_cast<std::size_t>(j + 1)];
                roads.emplace_back(LineString{a, b}, "tertiary");
            }
        }
    BuildOptions o;
    o.noding = Noding::vertices;
    return build_network(make_roads(roads), o);
}

OdPairs random_points(std::uint64_t seed, const Envelope& box, std::size_t n, std::size_t pairs) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> x(box.minx, box.maxx), y(box.miny, box.maxy);
    std::vector<Point> pts;
    for (std::size_t i = 0; i < n; ++i) pts.push_back({x(rng), y(rng)});
    return draw_od_pairs(pts, pairs, seed, "test points");
}

/// The independent oracle, a full recompute: the links really added to a copy
/// of the base network by Network::add_line, then every pair's distance by a
/// plain Dijkstra over all live edges of the edited network (whole-mm edge
/// lengths, length_mm), from each point's base seat. A point keeps the whole-mm
/// offset A of its base foot along its base edge (clamped to the edge, as every
/// seat) and its base leg; when add_line splits that edge, the foot is placed on
/// the piece covering A, at A minus the whole-mm lengths of the pieces before
/// it (so the pieces' whole-mm lengths must add up to the edge's: checked).
/// An edge length in whole mm, at least 1 (the documented rule of every shortest-path metric).
std::int64_t length_mm(double metres) { return std::max<std::int64_t>(1, std::llround(metres * 1000.0)); }

struct FullRecompute {
    Network edited;
    std::vector<std::int64_t> mm; ///< per pair, -1 when unconnected
    std::size_t feet_on_pieces = 0; ///< points whose base edge was split
};

FullRecompute full_recompute(const Network& base, const std::vector<Candidate>& links, const OdPairs& od, double snap) {
    FullRecompute out{base, {}};
    Network& net = out.edited;
    // the pieces of each base edge in order from its `from` node: edge id, walked backwards
    struct Piece { EdgeId e; bool reversed; };
    const std::size_t nb = base.edges().size();
    std::vector<std::vector<Piece>> chain(nb);
    std::unordered_map<EdgeId, EdgeId> base_of; // piece -> its base edge
    for (EdgeId e = 0; e < nb; ++e) { chain[e] = {{e, false}}; base_of[e] = e; }
    for (const Candidate& c : links) {
        const std::size_t n0 = net.edges().size();
        std::vector<bool> live(n0);
        for (EdgeId e = 0; e < n0; ++e) live[e] = !net.edge(e).removed;
        const std::vector<EdgeId> made = net.add_line(c.line, candidate_attributes(c), {}, AddLineOptions{snap, true});
        std::vector<EdgeId> split, halves;
        for (EdgeId e = 0; e < n0; ++e)
            if (live[e] && net.edge(e).removed) split.push_back(e);
        for (EdgeId e = static_cast<EdgeId>(n0); e < net.edges().size(); ++e)
            if (std::find(made.begin(), made.end(), e) == made.end()) halves.push_back(e);
        REQUIRE(split.size() <= 1);
        REQUIRE(halves.size() == 2 * split.size());
        if (split.empty()) continue;
        auto owner = base_of.find(split[0]);
        if (owner == base_of.end()) continue; // a half of an earlier link: no point sits on it
        auto& pieces = chain[owner->second];
        const auto at = std::find_if(pieces.begin(), pieces.end(), [&](const Piece& p) { return p.e == split[0]; });
        REQUIRE(at != pieces.end());
        const Edge& r = net.edge(split[0]);
        const NodeId s = at->reversed ? r.to : r.from; // the piece's start, walking the chain
        EdgeId h1 = halves[0], h2 = halves[1];
        if (net.edge(h1).from != s && net.edge(h1).to != s) std::swap(h1, h2);
        REQUIRE((net.edge(h1).from == s || net.edge(h1).to == s));
        const NodeId p = net.edge(h1).from == s ? net.edge(h1).to : net.edge(h1).from;
        const Piece a{h1, net.edge(h1).from != s}, b{h2, net.edge(h2).from != p};
        base_of[h1] = base_of[h2] = owner->second;
        const auto pos = pieces.erase(at);
        pieces.insert(pos, {a, b});
    }
    // the pieces of a split edge add up to its whole mm, so a split lengthens no path
    for (EdgeId e = 0; e < nb; ++e) {
        if (chain[e].size() < 2) continue;
        std::int64_t sum = 0;
        for (const Piece& p : chain[e]) sum += length_mm(net.edge(p.e).length);
        INFO("base edge " << e << " split into " << chain[e].size() << " pieces");
        REQUIRE(sum == length_mm(base.edge(e).length));
    }
    // each point's seat on the edited network: piece, offsets to its ends, leg
    struct Foot { EdgeId e = kNoId; NodeId from = kNoId, to = kNoId; std::int64_t to_from = 0, to_to = 0, leg = 0; };
    const auto snaps = snap_points(base, od.points);
    std::vector<Foot> feet(od.points.size());
    for (std::size_t i = 0; i < feet.size(); ++i) {
        const NetworkSnap& sn = snaps[i];
        if (sn.edge == kNoId) continue;
        const std::int64_t len = length_mm(base.edge(sn.edge).length);
        const std::int64_t A = std::clamp<std::int64_t>(std::llround(sn.along_m * 1000.0), 0, len);
        std::int64_t before = 0;
        if (chain[sn.edge].size() > 1) ++out.feet_on_pieces;
        for (const Piece& p : chain[sn.edge]) {
            const Edge& pe = net.edge(p.e);
            const std::int64_t pl = length_mm(pe.length);
            if (A <= before + pl || &p == &chain[sn.edge].back()) {
                const std::int64_t off = A - before; // from the piece's start in chain order
                Foot& f = feet[i];
                f.e = p.e;
                f.from = pe.from;
                f.to = pe.to;
                f.to_from = p.reversed ? pl - off : off;
                f.to_to = pl - f.to_from;
                f.leg = std::llround(sn.distance_m * 1000.0);
                break;
            }
            before += pl;
        }
    }
    // Dijkstra per origin over every live edge (parallel edges and all)
    std::vector<std::vector<std::pair<NodeId, std::int64_t>>> adj(net.nodes().size());
    for (const Edge& e : net.edges())
        if (!e.removed && e.from != e.to) {
            adj[e.from].push_back({e.to, length_mm(e.length)});
            adj[e.to].push_back({e.from, length_mm(e.length)});
        }
    constexpr std::int64_t inf = std::numeric_limits<std::int64_t>::max() / 4;
    out.mm.assign(od.pairs.size(), -1);
    std::map<std::uint32_t, std::vector<std::size_t>> by_origin;
    for (std::size_t k = 0; k < od.pairs.size(); ++k) by_origin[od.pairs[k].first].push_back(k);
    std::vector<std::int64_t> d;
    for (const auto& [o, ks] : by_origin) {
        const Foot& x = feet[o];
        if (x.e == kNoId) continue;
        d.assign(adj.size(), inf);
        using Item = std::pair<std::int64_t, NodeId>;
        std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
        d[x.from] = x.to_from;
        d[x.to] = std::min(d[x.to], x.to_to);
        heap.push({d[x.from], x.from});
        heap.push({d[x.to], x.to});
        while (!heap.empty()) {
            const auto [dv, v] = heap.top();
            heap.pop();
            if (dv != d[v]) continue;
            for (const auto& [w, l] : adj[v])
                if (dv + l < d[w]) { d[w] = dv + l; heap.push({d[w], w}); }
        }
        for (const std::size_t k : ks) {
            const Foot& y = feet[od.pairs[k].second];
            if (y.e == kNoId) continue;
            std::int64_t best = std::min(d[y.from] + y.to_from, d[y.to] + y.to_to);
            if (x.e == y.e) best = std::min(best, std::abs(x.to_from - y.to_from));
            if (best < inf) out.mm[k] = best + x.leg + y.leg;
        }
    }
    return out;
}

std::vector<std::int64_t> full_od(const Network& base, const std::vector<Candidate>& links, const OdPairs& od, double snap) {
    return full_recompute(base, links, od, snap).mm;
}

/// Saving (m) of `after` over `before`, over pairs connected in both: as the candidates sum it.
double saving_m(const std::vector<std::int64_t>& before, const std::vector<std::int64_t>& after) {
    std::int64_t s = 0;
    for (std::size_t k = 0; k < before.size(); ++k)
        if (before[k] >= 0 && after[k] >= 0) s += before[k] - after[k];
    return static_cast<double>(s) / 1000.0;
}

/// Checks incremental == full recompute (==, whole mm) for up to `max_alone`
/// candidates alone and for the greedy picks in sequence; returns how many OD
/// points had their foot placed on a piece of a split edge (the case that needs
/// the whole-mm offsets).
std::size_t check_exact(const Network& net, const OdPairs& od, const CandidateResult& r, double snap, std::size_t max_alone) {
    const auto base = od_distances(net, od).mm;
    REQUIRE(full_od(net, {}, od, snap) == base); // the oracle itself, with no link: od_distances
    std::size_t checked = 0, on_pieces = 0;
    for (const auto& c : r.candidates) {
        if (checked++ >= max_alone) break;
        const FullRecompute f = full_recompute(net, {c}, od, snap);
        const auto& full = f.mm;
        on_pieces += f.feet_on_pieces;
        const auto inc = incremental_od_after(net, od, {c}, snap);
        INFO("candidate " << c.id << " from node " << c.dead_end << " to " << (c.target_edge != kNoId ? "edge" : "node"));
        REQUIRE(inc == full);
        CHECK(c.road_class == link_class_for(c.dead_end_road_class)); // never 快速路, 匝道 or 其他
        CHECK(c.od_saving_m == saving_m(base, inc));
        CHECK(c.pairs_worse == 0);
        for (std::size_t k = 0; k < inc.size(); ++k)
            if (base[k] >= 0) CHECK(inc[k] <= base[k]);
    }
    if (!r.picks.empty()) {
        std::vector<Candidate> seq;
        for (const auto& p : r.picks) seq.push_back(p.link);
        const FullRecompute f = full_recompute(net, seq, od, snap);
        on_pieces += f.feet_on_pieces;
        const auto inc = incremental_od_after(net, od, seq, snap);
        REQUIRE(inc == f.mm);
        CHECK(r.picks.back().total_od_saving_m == saving_m(base, inc));
    }
    return on_pieces;
}

std::filesystem::path sample_city() { return plan::test::source_dir() / "data" / "sample-city"; }

} // namespace

TEST_CASE("candidates: incremental OD distances equal a full recompute on random small cities",
          "[candidates]") {
    std::size_t on_pieces = 0;
    for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
        const Network net = random_city(seed, 7, 6);
        Envelope box = net.extent();
        box.minx -= 50; box.miny -= 50; box.maxx += 50; box.maxy += 50;
        const OdPairs od = random_points(seed * 11, box, 60, 400);
        CandidateOptions opt;
        opt.max_length_m = 250;
        ScoringOptions sc;
        sc.budget_km = 0.6;
        const CandidateResult r = plan_candidates(net, od, opt, sc);
        INFO("seed " << seed << ": " << r.candidates.size() << " candidates, " << r.picks.size() << " picks");
        REQUIRE(r.candidates.size() >= 3);
        REQUIRE(r.picks.size() >= 1);
        on_pieces += check_exact(net, od, r, opt.snap_m, 1000);
    }
    // points seated on split edges were exercised (their feet re-placed on the halves)
    CHECK(on_pieces > 0);
}

TEST_CASE("candidates: greedy with rows kept and updated between rounds equals the naive full re-score every round",
          "[candidates]") {
    // small and medium random cities, points off the roads and at the nodes; budgets for many picks
    struct Case { std::uint64_t seed; int nx, ny; bool nodes; double budget_km; };
    for (const Case& k : {Case{1, 7, 6, false, 0.8}, Case{2, 7, 6, true, 0.8}, Case{5, 11, 9, false, 2.0},
                          Case{6, 11, 9, true, 2.0}}) {
        const Network net = random_city(k.seed, k.nx, k.ny);
        Envelope box = net.extent();
        box.minx -= 50; box.miny -= 50; box.maxx += 50; box.maxy += 50;
        const OdPairs od = k.nodes ? draw_od_pairs(node_points(net), 400, k.seed, "network nodes")
                                   : random_points(k.seed * 13, box, 80, 500);
        CandidateOptions opt;
        opt.max_length_m = 250;
        ScoringOptions kept;
        kept.budget_km = k.budget_km;
        kept.threads = 2;
        ScoringOptions naive = kept;
        naive.reuse_rows = false;
        naive.threads = 1;
        const CandidateResult a = plan_candidates(net, od, opt, kept), b = plan_candidates(net, od, opt, naive);
        INFO("seed " << k.seed << ": " << a.candidates.size() << " candidates, " << a.picks.size() << " picks");
        REQUIRE(a.picks.size() >= 3);
        CHECK(to_json(a) == to_json(b));
        REQUIRE(a.picks.size() == b.picks.size());
        for (std::size_t i = 0; i < a.picks.size(); ++i) {
            CHECK(a.picks[i].candidate == b.picks[i].candidate);
            CHECK(a.picks[i].marginal_score == b.picks[i].marginal_score);
            CHECK(a.picks[i].total_od_saving_m == b.picks[i].total_od_saving_m);
        }
        // and the kept rows' pair distances equal a full recompute after every pick
        std::vector<Candidate> seq;
        for (const auto& p : a.picks) seq.push_back(p.link);
        CHECK(incremental_od_after(net, od, seq, opt.snap_m, 2) == full_od(net, seq, od, opt.snap_m));
    }
}

TEST_CASE("candidates: OD points on network nodes (the default basis) and links to nodes", "[candidates]") {
    const Network net = random_city(9, 6, 6);
    const OdPairs od = draw_od_pairs(node_points(net), 300, 1, "network nodes");
    CandidateOptions opt;
    ScoringOptions sc;
    sc.budget_km = 0.5;
    const CandidateResult r = plan_candidates(net, od, opt, sc);
    REQUIRE(!r.candidates.empty());
    check_exact(net, od, r, opt.snap_m, 1000);
}

TEST_CASE("candidates: a river needs a bridge at its factor, buildings are never crossed", "[candidates]") {
    // a dead end at (0, 0) from the west; a road at x = 100 behind a river strip 40..60
    const Network net = build_network(make_roads({Road(LineString{{-300, 0}, {0, 0}}, "residential", "西街"),
                                                  Road(LineString{{-300, -500}, {-300, 500}}, "primary", "西环路"),
                                                  Road(LineString{{100, -500}, {100, 500}}, "primary", "东环路"),
                                                  Road(LineString{{-300, 500}, {100, 500}}, "primary")}),
                                      BuildOptions{});
    const OdPairs od = draw_od_pairs(node_points(net), 100, 1, "nodes");
    BarrierLayer river;
    river.label = "river";
    river.polygons.push_back(Polygon{{Ring{{40, -1000}, {60, -1000}, {60, 1000}, {40, 1000}, {40, -1000}}}});
    river.polygon_names.push_back("卫运河");
    CandidateOptions opt;
    opt.barriers = {river};
    ScoringOptions sc;
    CandidateResult r = plan_candidates(net, od, opt, sc);
    REQUIRE(r.candidates.size() == 1);
    const Candidate& c = r.candidates[0];
    CHECK(c.bridge);
    CHECK(c.factor == 8.0);
    CHECK(c.crosses == std::vector<std::string>{"river: 卫运河"});
    CHECK(c.target_name == "东环路");
    CHECK(c.length_m == Approx(100).margin(0.01));
    CHECK(c.cost == Approx(0.1 * 8).margin(1e-4));
    CHECK(candidate_attributes(c).level == 1);

    opt.crossing_factor.clear(); // the river may not be crossed at all
    r = plan_candidates(net, od, opt, sc);
    CHECK(r.candidates.empty());
    CHECK(r.rejected.count("crosses river") == 1);

    BarrierLayer buildings;
    buildings.label = "buildings";
    buildings.polygons.push_back(Polygon{{Ring{{20, -10}, {30, -10}, {30, 10}, {20, 10}, {20, -10}}}});
    buildings.polygon_names.push_back("");
    opt.barriers = {buildings};
    opt.crossing_factor = {{"river", 8.0}, {"railway", 5.0}};
    r = plan_candidates(net, od, opt, sc);
    // the straight link to 东环路 hits the building; nothing else is within 300 m but the own junction
    CHECK(r.candidates.empty());
    CHECK(r.rejected.count("crosses buildings") == 1);
}

TEST_CASE("candidates: a railway line is crossed by an underpass candidate", "[candidates]") {
    const Network net = build_network(make_roads({Road(LineString{{-300, 0}, {0, 0}}, "residential"),
                                                  Road(LineString{{-300, -500}, {-300, 500}}, "primary"),
                                                  Road(LineString{{100, -500}, {100, 500}}, "primary"),
                                                  Road(LineString{{-300, 500}, {100, 500}}, "primary")}),
                                      BuildOptions{});
    BarrierLayer rail;
    rail.label = "railway";
    rail.lines.push_back(LineString{{50, -1000}, {50, 1000}});
    rail.line_names.push_back("京九铁路");
    CandidateOptions opt;
    opt.barriers = {rail};
    const CandidateResult r = plan_candidates(net, draw_od_pairs(node_points(net), 50, 1, "n"), opt, {});
    REQUIRE(r.candidates.size() == 1);
    CHECK(r.candidates[0].bridge);
    CHECK(r.candidates[0].factor == 5.0);
}

TEST_CASE("candidates: no link crosses or joins an expressway at grade", "[candidates]") {
    auto city = [](const std::string& expressway_layer) {
        return build_network(make_roads({Road(LineString{{-300, 0}, {0, 0}}, "residential"),
                                         Road(LineString{{-300, -500}, {-300, 500}}, "primary"),
                                         Road(LineString{{50, -600}, {50, 600}}, "motorway", "快速路", expressway_layer.empty() ? "" : "yes", expressway_layer),
                                         Road(LineString{{100, -500}, {100, 500}}, "primary"),
                                         Road(LineString{{-300, 500}, {100, 500}}, "primary")}),
                             BuildOptions{});
    };
    const Network ground = city("");
    CandidateResult r = plan_candidates(ground, draw_od_pairs(node_points(ground), 50, 1, "n"), {}, {});
    CHECK(r.candidates.empty());
    CHECK(r.rejected.count("crosses a road at grade") == 1);
    // an elevated expressway (layer 1) is passed under: the link to x = 100 is fine
    const Network elevated = city("1");
    r = plan_candidates(elevated, draw_od_pairs(node_points(elevated), 50, 1, "n"), {}, {});
    REQUIRE(r.candidates.size() == 1);
    CHECK(r.candidates[0].length_m == Approx(100).margin(0.01));
    CHECK_FALSE(r.candidates[0].bridge);
}

TEST_CASE("candidates: threads change nothing", "[candidates]") {
    const Network net = random_city(5, 7, 7);
    const OdPairs od = random_points(5, net.extent(), 80, 500);
    ScoringOptions one, two;
    one.budget_km = two.budget_km = 0.5;
    two.threads = 2;
    const auto a = plan_candidates(net, od, {}, one), b = plan_candidates(net, od, {}, two);
    CHECK(to_json(a) == to_json(b));
    CHECK(to_text(a) == to_text(b));
}

TEST_CASE("candidates: bad options are usage errors", "[candidates]") {
    const Network net = random_city(6, 4, 4);
    const OdPairs od = draw_od_pairs(node_points(net), 20, 1, "n");
    ScoringOptions sc;
    sc.budget_km = 0.0;
    CHECK_THROWS_AS(plan_candidates(net, od, {}, sc), usage_error);
    sc.budget_km = -1.0;
    CHECK_THROWS_AS(plan_candidates(net, od, {}, sc), usage_error);
    sc.budget_km.reset();
    sc.budget_cost = 100.0; // no cost per km
    CHECK_THROWS_AS(plan_candidates(net, od, {}, sc), usage_error);
    CandidateOptions opt;
    opt.max_length_m = 0;
    CHECK_THROWS_AS(plan_candidates(net, od, opt, {}), usage_error);
    CHECK_THROWS_AS(objective_from_text("speed"), usage_error);
    // a price for a class no link can have (快速路, 匝道, 其他) prices nothing: a usage error
    sc.budget_cost.reset();
    sc.cost_per_km = {{RoadClass::local, 3000.0}, {RoadClass::other, 5000.0}};
    CHECK_THROWS_WITH(plan_candidates(net, od, {}, sc), Catch::Contains("no new link is of class 其他 (other)"));
    CHECK_THROWS_AS(plan_candidates(net, od, {}, sc), usage_error);
    for (int k = 0; k < kRoadClassCount; ++k) {
        const auto c = static_cast<RoadClass>(k);
        const bool link = c == RoadClass::arterial || c == RoadClass::collector || c == RoadClass::local ||
                          c == RoadClass::side_road;
        INFO(road_class_key(c));
        CHECK((link_class_for(c) == c) == link);
        CHECK(link_class_for(link_class_for(c)) == link_class_for(c));
        if (link) CHECK_NOTHROW(check_cost_classes({{c, 1.0}}));
        else CHECK_THROWS_AS(check_cost_classes({{c, 1.0}}), usage_error);
    }
}

TEST_CASE("candidates: sample city: exact against full recompute, and the planted near misses rank near the top",
          "[candidates][sample_city]") {
    init_gdal();
    const Layer roads = read_layer((sample_city() / "roads.gpkg").string());
    const Network net = build_network(roads, BuildOptions{});
    ReadOptions rp;
    rp.target_crs = net.crs().wkt;
    const Layer parcels = read_layer((sample_city() / "landuse.gpkg").string(), "parcels", rp);
    std::vector<Point> centroids;
    for (const auto& f : parcels.features)
        if (auto p = site_position(f.geometry)) centroids.push_back(*p);
    const OdPairs od = draw_od_pairs(centroids, 400, 1, "parcel centroids");
    CandidateOptions opt;
    const Layer boundary = read_layer((sample_city() / "landuse.gpkg").string(), "study_boundary", rp);
    for (const auto& f : boundary.features)
        for (const auto& p : f.geometry.polygons) opt.dead_ends.study_area.push_back(p);
    for (const char* name : {"river", "railway", "buildings"})
        opt.barriers.push_back(barrier_from_layer(read_layer((sample_city() / "barriers.gpkg").string(), name, rp)));
    ScoringOptions sc;
    sc.budget_km = 0.15;
    sc.threads = 2;
    const CandidateResult r = plan_candidates(net, od, opt, sc);
    REQUIRE(r.candidates.size() >= 10);
    REQUIRE(r.picks.size() >= 2);

    // planted near misses: the dead end at (x, y) of defects.csv
    std::istringstream in(plan::test::read_file(sample_city() / "defects.csv"));
    std::string line;
    std::vector<std::pair<std::string, Point>> near;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ls(line);
        for (std::string cell; std::getline(ls, cell, ',');) f.push_back(cell);
        if (f.size() > 3 && f[1] == "near_miss") near.push_back({f[0], {std::stod(f[2]), std::stod(f[3])}});
    }
    REQUIRE(near.size() == 7);
    const std::size_t top = 2 * near.size();
    for (const auto& [id, at] : near) {
        const Candidate* found = nullptr;
        for (const auto& c : r.candidates)
            // (or the dead end's link from the facing dead end: duplicates merged, the lower id kept)
            if (distance(net.node(c.dead_end).position, at) < 0.01 ||
                (c.target_node != kNoId && distance(net.node(c.target_node).position, at) < 0.01))
                found = &c;
        INFO(id);
        REQUIRE(found != nullptr);
        std::cout << "near miss " << id << ": candidate C" << found->id << " rank " << found->rank << " of "
                  << r.candidates.size() << " (" << found->length_m << " m, " << found->od_saving_m
                  << " m saved)\n";
        CHECK(found->rank <= top);
    }
    // exactness on a subset (each full recompute costs a full od_distances)
    check_exact(net, od, r, opt.snap_m, 6);
}

// --- the command --------------------------------------------------------------

namespace {
std::string city_arg(const std::string& file) { return plan::test::quote((sample_city() / file).string()); }
} // namespace

TEST_CASE("candidates cli: writes scenario-ready layers and a JSON summary", "[candidates][cli]") {
    const auto dir = plan::test::scratch_dir("candidates_cli");
    const std::string out = (dir / "c.gpkg").string();
    const auto r = plan::test::run_plan(
        "candidates " + city_arg("roads.gpkg") + " --barriers " + city_arg("barriers.gpkg") + " --parcels " +
        plan::test::quote((sample_city() / "landuse.gpkg").string() + "|layername=parcels") + " --study-area " +
        plan::test::quote((sample_city() / "landuse.gpkg").string() + "|layername=study_boundary") +
        " --pairs 300 --budget-km 0.2 --json -q -o " + plan::test::quote(out));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("\"objective\": \"od_saving\"") != std::string::npos);
    CHECK(r.out.find("\"share_of_pairs_improved\"") != std::string::npos);
    init_gdal();
    const Layer cands = read_layer(out, "candidates");
    const Layer sel = read_layer(out, "selection");
    CHECK(cands.features.size() > 10);
    CHECK(!sel.features.empty());
    for (const char* f : {"等级", "name", "oneway", "bridge", "tunnel", "layer", "length_m", "crosses", "rank"})
        CHECK(cands.field_index(f) >= 0);
    for (const char* f : {"等级", "name", "oneway", "bridge", "layer", "pick", "marginal_score", "total_km"})
        CHECK(sel.field_index(f) >= 0);
    const int cls = cands.field_index("等级");
    for (const auto& f : cands.features) CHECK(road_class_from_text(to_text(f.values[static_cast<std::size_t>(cls)])));
}

TEST_CASE("candidates cli: bad input is a clear error with its exit code", "[candidates][cli]") {
    const std::string roads = city_arg("roads.gpkg");
    auto err = [&](const std::string& args, int code, const std::string& text) {
        const auto r = plan::test::run_plan("candidates " + roads + " " + args);
        INFO(args << "\n" << r.err);
        CHECK(r.exit_code == code);
        CHECK(r.err.find(text) != std::string::npos);
    };
    err("--budget-km 0", 2, "--budget-km must be positive");
    err("--budget-km -3", 2, "--budget-km must be positive");
    err("--budget 1000", 2, "--budget needs costs per km");
    err("--budget 0 --cost 支路=3000", 2, "--budget must be positive");
    err("--cost 支路=lots", 2, "is not a number");
    err("--cost 小路=3000", 2, "unknown road class '小路'");
    err("--cost motorway=3000", 2, "unknown road class 'motorway'");
    err("--cost motorway=3000", 2, "a new link is 主干路, 次干路, 支路 or 辅路");
    // classes that exist but that no new link has: their price would price nothing
    err("--cost 其他=5000", 2, "--cost 其他: no new link is of class 其他 (other), so its price would price nothing");
    err("--cost 其他=5000", 2, "a link takes its dead end's class: 主干路, 次干路, 支路 or 辅路");
    err("--cost 支路=3000 --cost other=5000 --budget 100", 2, "no new link is of class 其他 (other)");
    err("--cost 快速路=9000", 2, "no new link is of class 快速路 (expressway)");
    err("--cost ramp=9000", 2, "no new link is of class 匝道 (ramp)");
    err("--objective speed", 2, "unknown objective");
    err("--max-length 0", 2, "--max-length must be positive");
    err("--barriers " + plan::test::quote((sample_city() / "barriers.gpkg").string() + "|layername=lake"), 2,
        "no layer 'lake'");
    err("--bridge-factor canal=3 --barriers " + city_arg("barriers.gpkg"), 2, "no barrier layer named 'canal'");
    err("--threads 0", 2, "--threads must be at least 1");
    err("--od-origins " + city_arg("landuse.gpkg"), 2, "together");
}

TEST_CASE("candidates: NetworkX recomputes the savings of the top sample-city candidates to the millimetre",
          "[candidates][oracle]") {
    const auto dir = plan::test::scratch_dir("candidates_networkx");
    const auto r = plan::test::run_python(
        plan::test::quote((plan::test::source_dir() / "scripts" / "compare_candidates_networkx.py").string()) + " " +
        plan::test::quote(PLAN_CLI) + " " + city_arg("roads.gpkg") + " " + plan::test::quote(dir.string()) +
        " --barriers " + city_arg("barriers.gpkg") + " --top 5 --points 15");
    std::cout << r.out;
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("all agree to the millimetre") != std::string::npos);
}

TEST_CASE("candidates: NetworkX recomputes the reach gain of every sample-city candidate", "[candidates][oracle]") {
    const auto dir = plan::test::scratch_dir("candidates_networkx_reach");
    const auto r = plan::test::run_python(
        plan::test::quote((plan::test::source_dir() / "scripts" / "compare_candidates_networkx.py").string()) + " " +
        plan::test::quote(PLAN_CLI) + " " + city_arg("roads.gpkg") + " " + plan::test::quote(dir.string()) +
        " --barriers " + city_arg("barriers.gpkg") + " --check reach --reach-radius 500 --top 1000 --points 3");
    std::cout << r.out;
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("all agree") != std::string::npos);
    // every candidate checked, and most gain something (a zero everywhere would prove little)
    std::size_t checked = 0, gained = 0;
    for (std::size_t at = r.out.find("reach gain plan"); at != std::string::npos; at = r.out.find("reach gain plan", at + 1)) {
        ++checked;
        const double v = std::stod(r.out.substr(at + 16));
        if (v > 0) ++gained;
    }
    CHECK(checked >= 15);
    CHECK(gained >= 5);
}

TEST_CASE("candidates: snap_points equals snap_to_network point by point, with any thread count", "[candidates]") {
    const Network net = random_city(3, 9, 7);
    Envelope box = net.extent();
    box.minx -= 300; box.miny -= 300; box.maxx += 300; box.maxy += 300;
    OdPairs od = random_points(17, box, 300, 10);
    for (const Point& p : node_points(net)) od.points.push_back(p); // on the nodes: ties between edges
    const auto one = snap_points(net, od.points, 1), two = snap_points(net, od.points, 2);
    REQUIRE(one.size() == od.points.size());
    for (std::size_t i = 0; i < od.points.size(); ++i) {
        const NetworkSnap s = snap_to_network(net, od.points[i]);
        INFO("point " << i);
        CHECK(one[i].edge == s.edge);
        CHECK(one[i].along_m == s.along_m);
        CHECK(one[i].distance_m == s.distance_m);
        CHECK(two[i].edge == s.edge);
        CHECK(two[i].along_m == s.along_m);
    }
}

namespace {
/// Two through roads 300 m apart joined at both ends, and two spurs whose dead
/// ends face each other 20 m apart at x = 500 (the upper spur one-way).
Network facing_spurs(const std::string& upper_oneway) {
    std::vector<Road> roads;
    roads.emplace_back(LineString{{0, 0}, {1000, 0}}, "tertiary", "南街");
    roads.emplace_back(LineString{{0, 300}, {1000, 300}}, "tertiary", "北街");
    roads.emplace_back(LineString{{0, 0}, {0, 300}}, "tertiary", "西街");
    roads.emplace_back(LineString{{1000, 0}, {1000, 300}}, "tertiary", "东街");
    roads.emplace_back(LineString{{500, 0}, {500, 140}}, "residential", "下巷");
    roads.emplace_back(LineString{{500, 300}, {500, 160}}, "residential", "上巷", "", "", upper_oneway);
    BuildOptions o;
    o.noding = Noding::vertices;
    return build_network(make_roads(roads), o);
}
} // namespace

TEST_CASE("candidates: two dead ends each other's target give one link, duplicates counted", "[candidates]") {
    const Network net = facing_spurs("");
    const OdPairs od = draw_od_pairs(node_points(net), 40, 1, "network nodes");
    const CandidateResult r = plan_candidates(net, od, {}, {});
    REQUIRE(r.candidates.size() == 1);
    CHECK(r.duplicates_merged == 1);
    CHECK(r.candidates[0].id == 1);
    CHECK(r.candidates[0].target_node != kNoId);
    CHECK(!r.candidates[0].oneway_target);
    CHECK(nlohmann::json::parse(to_json(r))["duplicates_merged"] == 1);
    CHECK(to_text(r).find("duplicates merged: 1") != std::string::npos);
}

TEST_CASE("candidates: links touching a one-way road are flagged in JSON, layers and text", "[candidates]") {
    const Network net = facing_spurs("yes");
    const OdPairs od = draw_od_pairs(node_points(net), 40, 1, "network nodes");
    ScoringOptions sc;
    sc.budget_km = 1;
    const CandidateResult r = plan_candidates(net, od, {}, sc);
    REQUIRE(r.candidates.size() == 1);
    CHECK(r.candidates[0].oneway_target); // whichever end is kept, the link touches the one-way spur
    const auto j = nlohmann::json::parse(to_json(r));
    CHECK(j["top"][0]["oneway_target"] == true);
    CHECK(j["candidates_oneway_target"] == 1);
    REQUIRE(j["selection"]["list"].size() == 1);
    CHECK(j["selection"]["list"][0]["oneway_target"] == true);
    const std::string text = to_text(r);
    INFO(text);
    CHECK(text.find(" one-way,") != std::string::npos);
    CHECK(text.find("1 of the picks touch one-way roads: check them") != std::string::npos);
    const auto layers = candidate_layers(r);
    for (const auto& l : layers) {
        std::size_t at = l.fields.size();
        for (std::size_t i = 0; i < l.fields.size(); ++i)
            if (l.fields[i].name == "oneway_target") at = i;
        REQUIRE(at < l.fields.size());
        for (const auto& f : l.features) CHECK(f.values[at] == FieldValue{std::int64_t{1}});
    }
    // and a two-way network has no flag
    CHECK(!plan_candidates(facing_spurs(""), od, {}, sc).candidates[0].oneway_target);
}

TEST_CASE("candidates: OD points stay where they attach on the base network, no pair gets longer", "[candidates]") {
    // the point at (510, 150) is 14.1 m from either spur's end and 10 m from the
    // new link: re-attached to the link it would walk 15 m instead of 14.1 m
    const Network net = facing_spurs("");
    const OdPairs od = od_product({{510, 150}}, {{20, 10}, {980, 290}}, "test points");
    const CandidateResult r = plan_candidates(net, od, {}, {});
    REQUIRE(r.candidates.size() == 1);
    CHECK(r.candidates[0].pairs_worse == 0);
    CHECK(r.candidates[0].od_saving_m >= 0);
    const auto base = od_distances(net, od).mm;
    const auto after = incremental_od_after(net, od, {r.candidates[0]}, 0.01);
    for (std::size_t k = 0; k < base.size(); ++k) CHECK(after[k] <= base[k]);
    CHECK(after == full_od(net, {r.candidates[0]}, od, 0.01));
}
