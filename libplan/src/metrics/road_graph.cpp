#include "metrics/road_graph.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <unordered_map>

namespace plan {

std::int64_t length_mm(double metres) {
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(metres * 1000.0)));
}

RoadGraph RoadGraph::simple(const Network& net) {
    const auto& edges = net.edges();
    // shortest edge per unordered node pair; ties: the lowest edge id (scan order)
    std::unordered_map<std::uint64_t, EdgeId> best;
    best.reserve(net.live_edge_count());
    for (EdgeId e = 0; e < edges.size(); ++e) {
        const Edge& ed = edges[e];
        if (ed.removed || ed.from == ed.to) continue;
        const std::uint64_t key = (std::uint64_t{std::min(ed.from, ed.to)} << 32) | std::max(ed.from, ed.to);
        auto [it, inserted] = best.try_emplace(key, e);
        if (!inserted && length_mm(ed.length) < length_mm(edges[it->second].length)) it->second = e;
    }
    std::vector<EdgeId> kept;
    kept.reserve(best.size());
    for (const auto& kv : best) kept.push_back(kv.second);
    std::sort(kept.begin(), kept.end()); // adjacency order independent of hashing
    const std::size_t n = net.nodes().size();
    RoadGraph g;
    g.offset.assign(n + 1, 0);
    for (EdgeId e : kept) { ++g.offset[edges[e].from + 1]; ++g.offset[edges[e].to + 1]; }
    for (std::size_t v = 0; v < n; ++v) g.offset[v + 1] += g.offset[v];
    g.target.resize(kept.size() * 2);
    g.weight_mm.resize(kept.size() * 2);
    g.edge.resize(kept.size() * 2);
    std::vector<std::uint32_t> fill(g.offset.begin(), g.offset.end() - 1);
    for (EdgeId e : kept) {
        const Edge& ed = edges[e];
        const std::int64_t w = length_mm(ed.length);
        auto put = [&](NodeId a, NodeId b) {
            const std::uint32_t i = fill[a]++;
            g.target[i] = b;
            g.weight_mm[i] = w;
            g.edge[i] = e;
        };
        put(ed.from, ed.to);
        put(ed.to, ed.from);
    }
    return g;
}

std::int64_t RoadGraph::min_weight_mm() const {
    if (weight_mm.empty()) return 1;
    return *std::min_element(weight_mm.begin(), weight_mm.end());
}

void RoadGraph::distances_from(NodeId s, std::vector<std::int64_t>& dist) const {
    dist.assign(node_count(), -1);
    using Item = std::pair<std::int64_t, NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    dist[s] = 0;
    heap.push({0, s});
    while (!heap.empty()) {
        const auto [d, v] = heap.top();
        heap.pop();
        if (d != dist[v]) continue;
        for (std::uint32_t a = offset[v]; a < offset[v + 1]; ++a) {
            const std::int64_t nd = d + weight_mm[a];
            if (dist[target[a]] < 0 || nd < dist[target[a]]) {
                dist[target[a]] = nd;
                heap.push({nd, target[a]});
            }
        }
    }
}

} // namespace plan
