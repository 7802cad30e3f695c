// OD pairs drawn with a fixed seed and their network distances in whole
// millimetres: one Dijkstra per distinct origin, seeded at the origin's seat
// on its snapped edge; the snap legs are added, rounded to the millimetre.
// Snapping and the Dijkstras are split over the threads, each result written
// to its own slot, so the output does not depend on the thread count.
#include "plan/od.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <thread>

#include "metrics/road_graph.hpp"
#include "metrics/seat.hpp"
#include "plan/error.hpp"

#include <fmt/format.h>

namespace plan {
namespace {

/// Uniform in [0, bound): mt19937_64's raw output is fixed by the standard, and
/// rejection keeps it free of modulo bias, so draws are the same everywhere.
std::uint64_t below(std::mt19937_64& rng, std::uint64_t bound) {
    const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = top - top % bound;
    std::uint64_t x;
    do x = rng(); while (x >= limit);
    return x % bound;
}

std::int64_t leg_mm(double metres) { return std::llround(metres * 1000.0); }

/// snap_to_network() with the network's extent computed once (it costs a pass
/// over every edge): the same search, the same edges in the same order, the
/// same comparisons, so the same result bit for bit (tests/unit/candidates).
NetworkSnap snap_with_extent(const Network& net, const Envelope& ext, const Point& p) {
    NetworkSnap best;
    double reach = 50;
    const double span = std::max({ext.width(), ext.height(), 1.0}) +
                        std::max({std::abs(p.x - ext.minx), std::abs(p.x - ext.maxx), std::abs(p.y - ext.miny),
                                  std::abs(p.y - ext.maxy)});
    double best_d = std::numeric_limits<double>::infinity();
    for (;;) {
        const Envelope box{p.x - reach, p.y - reach, p.x + reach, p.y + reach};
        std::vector<EdgeId> cand = net.edges_in(box);
        std::sort(cand.begin(), cand.end());
        for (const EdgeId e : cand) {
            const LineString& g = net.edge(e).geometry;
            double walked = 0;
            for (std::size_t i = 1; i < g.size(); ++i) {
                double t = 0;
                const double d = point_segment_distance(p, g[i - 1], g[i], &t);
                const double seg = distance(g[i - 1], g[i]);
                if (d < best_d) {
                    best_d = d;
                    best.edge = e;
                    best.distance_m = d;
                    best.along_m = walked + t * seg;
                    best.foot = {g[i - 1].x + t * (g[i].x - g[i - 1].x), g[i - 1].y + t * (g[i].y - g[i - 1].y)};
                }
                walked += seg;
            }
        }
        if (best.edge != kNoId && best_d <= reach) return best;
        if (reach > 2 * span) return best;
        reach *= 2;
    }
}

/// Runs f(i) for i in [0, n) on `threads` threads, i striding; f writes only its own slot.
template <class F> void strided(std::size_t n, unsigned threads, F&& f) {
    const unsigned k = std::max(1u, static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1))));
    auto work = [&](unsigned w) {
        for (std::size_t i = w; i < n; i += k) f(i);
    };
    if (k == 1) { work(0); return; }
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < k; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
}

} // namespace

OdPairs draw_od_pairs(std::vector<Point> points, std::size_t count, std::uint64_t seed, std::string basis) {
    OdPairs out;
    out.points = std::move(points);
    out.basis = std::move(basis);
    const std::uint64_t n = out.points.size();
    if (n < 2 || count == 0) return out;
    const std::uint64_t all = n * (n - 1) / 2;
    if (all <= count) {
        for (std::uint32_t i = 0; i < n; ++i)
            for (std::uint32_t j = i + 1; j < n; ++j) out.pairs.emplace_back(i, j);
        return out;
    }
    std::mt19937_64 rng(seed);
    std::set<std::pair<std::uint32_t, std::uint32_t>> chosen;
    while (chosen.size() < count) {
        auto a = static_cast<std::uint32_t>(below(rng, n));
        auto b = static_cast<std::uint32_t>(below(rng, n));
        if (a == b) continue;
        if (a > b) std::swap(a, b);
        chosen.emplace(a, b);
    }
    out.pairs.assign(chosen.begin(), chosen.end());
    return out;
}

OdPairs od_product(const std::vector<Point>& origins, const std::vector<Point>& destinations, std::string basis) {
    OdPairs out;
    out.basis = std::move(basis);
    out.points = origins;
    out.points.insert(out.points.end(), destinations.begin(), destinations.end());
    const auto no = static_cast<std::uint32_t>(origins.size());
    for (std::uint32_t i = 0; i < no; ++i)
        for (std::uint32_t j = 0; j < destinations.size(); ++j) out.pairs.emplace_back(i, no + j);
    return out;
}

std::vector<Point> node_points(const Network& network) {
    std::vector<Point> out;
    for (NodeId n = 0; n < network.nodes().size(); ++n)
        if (!network.incident(n).empty()) out.push_back(network.node(n).position);
    return out;
}

std::vector<NetworkSnap> snap_points(const Network& network, const std::vector<Point>& points, unsigned threads) {
    std::vector<NetworkSnap> out(points.size());
    if (network.live_edge_count() == 0) return out;
    const Envelope ext = network.extent();
    network.edges_in(Envelope{}); // builds the edge index before threads read it
    strided(points.size(), threads, [&](std::size_t i) {
        out[i] = snap_with_extent(network, ext, points[i]);
    });
    return out;
}

std::vector<std::int64_t> od_distances_from_seats(const Network& network, const OdPairs& pairs,
                                                 const std::vector<OdSeat>& given, unsigned threads) {
    std::vector<std::int64_t> out(pairs.pairs.size(), detail::kUnreached);
    if (network.live_edge_count() == 0 || pairs.pairs.empty()) return out;
    std::vector<detail::Seat> seats(given.size());
    for (std::size_t i = 0; i < given.size(); ++i) {
        const OdSeat& g = given[i];
        if (g.edge == kNoId) continue;
        const Edge& e = network.edge(g.edge);
        if (e.removed) throw processing_error(fmt::format("OD point {} is seated on removed edge {}", i, g.edge));
        detail::Seat& s = seats[i];
        s.edge = g.edge;
        s.from = e.from;
        s.to = e.to;
        s.length = length_mm(e.length);
        s.along = std::clamp<std::int64_t>(g.along_mm, 0, s.length);
    }
    const RoadGraph graph = RoadGraph::simple(network);

    // Pairs grouped by origin: [begin, end) ranges over an index sorted by origin.
    std::vector<std::size_t> order(pairs.pairs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return pairs.pairs[a].first < pairs.pairs[b].first; });
    std::vector<std::pair<std::size_t, std::size_t>> groups;
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j < order.size() && pairs.pairs[order[j]].first == pairs.pairs[order[i]].first) ++j;
        groups.emplace_back(i, j);
        i = j;
    }

    // one Dijkstra per origin, each writing only its own pairs' slots
    const unsigned n = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(groups.size())));
    std::vector<std::vector<std::int64_t>> scratch(n);
    std::atomic<std::size_t> next{0};
    auto work = [&](unsigned w) {
        std::vector<std::int64_t>& dist = scratch[w];
        for (std::size_t g; (g = next.fetch_add(1)) < groups.size();) {
            const std::uint32_t origin = pairs.pairs[order[groups[g].first]].first;
            const detail::Seat& s = seats[origin];
            if (s.edge == kNoId) continue;
            detail::dijkstra(graph, {{s.from, s.along}, {s.to, s.length - s.along}}, -1, dist);
            for (std::size_t k = groups[g].first; k < groups[g].second; ++k) {
                const std::size_t pair = order[k];
                const std::uint32_t dest = pairs.pairs[pair].second;
                if (seats[dest].edge == kNoId) continue;
                const std::int64_t d = detail::seat_to_seat(dist, s, seats[dest]);
                if (d == detail::kUnreached) continue;
                out[pair] = d + given[origin].leg_mm + given[dest].leg_mm;
            }
        }
    };
    if (n == 1) {
        work(0);
    } else {
        std::vector<std::thread> pool;
        for (unsigned t = 1; t < n; ++t) pool.emplace_back(work, t);
        work(0);
        for (auto& t : pool) t.join();
    }
    return out;
}

OdSeat od_seat(const Network& network, const NetworkSnap& snap) {
    OdSeat s;
    if (snap.edge == kNoId) return s;
    const detail::Seat d = detail::seat_of(network, snap);
    s.edge = d.edge;
    s.along_mm = d.along;
    s.leg_mm = leg_mm(snap.distance_m);
    return s;
}

OdDistances od_distances(const Network& network, const OdPairs& pairs, unsigned threads) {
    OdDistances out;
    out.snaps = snap_points(network, pairs.points, threads);
    std::vector<OdSeat> seats;
    seats.reserve(out.snaps.size());
    for (const NetworkSnap& s : out.snaps) seats.push_back(od_seat(network, s));
    out.mm = od_distances_from_seats(network, pairs, seats, threads);
    return out;
}

} // namespace plan
