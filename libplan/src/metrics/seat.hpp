#pragma once
// Where a point sits on the network, in whole millimetres, and the Dijkstra
// that starts from such seats: shared by parcel accessibility, OD circuity and
// OD distances. A site sits on its snapped edge at `along`; it reaches the
// edge's ends after `along` and `length - along`, then the network.
#include <cstdint>
#include <utility>
#include <vector>

#include "metrics/road_graph.hpp"
#include "plan/accessibility.hpp"
#include "plan/network.hpp"

namespace plan::detail {

inline constexpr std::int64_t kUnreached = -1;

struct Seat {
    EdgeId edge = kNoId;
    NodeId from = kNoId, to = kNoId;
    std::int64_t along = 0, length = 0;
};

Seat seat_of(const Network& net, const NetworkSnap& s);

/// Multi-source Dijkstra on `g`, stopping beyond `cutoff` (mm; < 0 = none);
/// dist[v] = kUnreached where not reached.
void dijkstra(const RoadGraph& g, const std::vector<std::pair<NodeId, std::int64_t>>& seeds, std::int64_t cutoff,
              std::vector<std::int64_t>& dist);

/// Distance from node distances to a seat, through either end (kUnreached if neither).
std::int64_t to_seat(const std::vector<std::int64_t>& dist, const Seat& s);

/// Network distance between two seats given `dist` from Dijkstra seeded at `from`:
/// through the network, or directly along a shared edge.
std::int64_t seat_to_seat(const std::vector<std::int64_t>& dist, const Seat& from, const Seat& to);

} // namespace plan::detail
