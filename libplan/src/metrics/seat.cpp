#include "metrics/seat.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <queue>

namespace plan::detail {

Seat seat_of(const Network& net, const NetworkSnap& s) {
    Seat out;
    if (s.edge == kNoId) return out;
    const Edge& e = net.edge(s.edge);
    out.edge = s.edge;
    out.from = e.from;
    out.to = e.to;
    out.length = length_mm(e.length);
    out.along = std::clamp<std::int64_t>(std::llround(s.along_m * 1000.0), 0, out.length);
    return out;
}

void dijkstra(const RoadGraph& g, const std::vector<std::pair<NodeId, std::int64_t>>& seeds, std::int64_t cutoff,
              std::vector<std::int64_t>& dist) {
    dist.assign(g.node_count(), kUnreached);
    using Item = std::pair<std::int64_t, NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    for (const auto& [v, d] : seeds) {
        if (cutoff >= 0 && d > cutoff) continue;
        if (dist[v] == kUnreached || d < dist[v]) {
            dist[v] = d;
            heap.push({d, v});
        }
    }
    while (!heap.empty()) {
        const auto [d, v] = heap.top();
        heap.pop();
        if (d != dist[v]) continue;
        for (std::uint32_t a = g.offset[v]; a < g.offset[v + 1]; ++a) {
            const std::int64_t nd = d + g.weight_mm[a];
            if (cutoff >= 0 && nd > cutoff) continue;
            if (dist[g.target[a]] == kUnreached || nd < dist[g.target[a]]) {
                dist[g.target[a]] = nd;
                heap.push({nd, g.target[a]});
            }
        }
    }
}

std::int64_t to_seat(const std::vector<std::int64_t>& dist, const Seat& s) {
    std::int64_t best = kUnreached;
    if (dist[s.from] != kUnreached) best = dist[s.from] + s.along;
    if (dist[s.to] != kUnreached) {
        const std::int64_t d = dist[s.to] + (s.length - s.along);
        if (best == kUnreached || d < best) best = d;
    }
    return best;
}

std::int64_t seat_to_seat(const std::vector<std::int64_t>& dist, const Seat& from, const Seat& to) {
    std::int64_t d = to_seat(dist, to);
    if (from.edge != kNoId && from.edge == to.edge) {
        const std::int64_t direct = std::abs(from.along - to.along);
        if (d == kUnreached || direct < d) d = direct;
    }
    return d;
}

} // namespace plan::detail
