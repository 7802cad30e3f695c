// OD pairs drawn with a fixed seed and their network distances in whole
// millimetres: one Dijkstra per distinct origin, seeded at the origin's seat
// on its snapped edge; the snap legs are added, rounded to the millimetre.
#include "plan/od.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <thread>

#include "metrics/road_graph.hpp"
#include "metrics/seat.hpp"

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

OdDistances od_distances(const Network& network, const OdPairs& pairs, unsigned threads) {
    OdDistances out;
    out.mm.assign(pairs.pairs.size(), detail::kUnreached);
    out.snaps.reserve(pairs.points.size());
    std::vector<detail::Seat> seats;
    seats.reserve(pairs.points.size());
    for (const Point& p : pairs.points) {
        out.snaps.push_back(snap_to_network(network, p));
        seats.push_back(detail::seat_of(network, out.snaps.back()));
    }
    if (network.live_edge_count() == 0 || pairs.pairs.empty()) return out;
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

    auto work = [&](std::size_t first_group, std::size_t step) {
        std::vector<std::int64_t> dist;
        for (std::size_t g = first_group; g < groups.size(); g += step) {
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
                out.mm[pair] = d + leg_mm(out.snaps[origin].distance_m) + leg_mm(out.snaps[dest].distance_m);
            }
        }
    };
    const unsigned n = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(groups.size())));
    if (n == 1) {
        work(0, 1);
    } else {
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < n; ++t) pool.emplace_back(work, t, n);
        for (auto& t : pool) t.join();
    }
    return out;
}

} // namespace plan
