#pragma once
// The undirected simple graph that shortest-path metrics run on: adjacency in
// compressed rows (indexed by NodeId), lengths in whole millimetres (at least
// 1), self-loops left out, of parallel edges the shortest (ties: lowest id).
#include <cstdint>
#include <vector>

#include "plan/network.hpp"

namespace plan {

struct RoadGraph {
    std::vector<std::uint32_t> offset;    ///< arcs of node v: [offset[v], offset[v+1])
    std::vector<NodeId> target;
    std::vector<std::int64_t> weight_mm;
    std::vector<EdgeId> edge;

    static RoadGraph simple(const Network& network);
    std::size_t node_count() const { return offset.empty() ? 0 : offset.size() - 1; }
    std::int64_t min_weight_mm() const;
    /// Network distances (mm) from s to every node; -1 when unreachable.
    void distances_from(NodeId s, std::vector<std::int64_t>& dist) const;
};

/// An edge length in whole millimetres, at least 1 (the rounding every
/// shortest-path metric and its oracle scripts use).
std::int64_t length_mm(double metres);

} // namespace plan
