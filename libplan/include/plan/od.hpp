#pragma once
// Origin-destination pairs and their network distances, in whole millimetres
// (integer arithmetic, so an incremental evaluation can equal a full
// recompute exactly). Distances are on the undirected network (one-way rules
// ignored, as every shortest-path metric here), each endpoint joined to the
// nearest live edge by its perpendicular foot (the snap leg counts).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "plan/accessibility.hpp"
#include "plan/geometry.hpp"
#include "plan/network.hpp"

namespace plan {

struct OdPairs {
    std::vector<Point> points;                                  ///< endpoints
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs; ///< (origin, destination) indices into points
    std::string basis;                                          ///< "parcel centroids", "network nodes", ...
};

/// `count` distinct unordered pairs of distinct points drawn with `seed` (a
/// platform-independent generator: the same on every machine); all pairs when
/// there are fewer. Pairs are sorted by (origin, destination), origin < destination.
OdPairs draw_od_pairs(std::vector<Point> points, std::size_t count, std::uint64_t seed, std::string basis);
/// Every origin to every destination (origins first in `points`, then destinations).
OdPairs od_product(const std::vector<Point>& origins, const std::vector<Point>& destinations, std::string basis);
/// Positions of the nodes that have a live edge, by node id.
std::vector<Point> node_points(const Network& network);

/// Snap leg + along-edge leg + shortest path, in mm, per pair; -1 when there is
/// no path (or the network is empty). Endpoints on the same edge may also go
/// directly along it. `threads` only changes speed, never the result.
struct OdDistances {
    std::vector<std::int64_t> mm;      ///< per pair
    std::vector<NetworkSnap> snaps;    ///< per point
};
OdDistances od_distances(const Network& network, const OdPairs& pairs, unsigned threads = 1);

/// A point's seat in whole millimetres: its edge, the offset of its foot from
/// the edge's `from` node (clamped to the edge's whole-mm length) and its snap leg.
struct OdSeat {
    EdgeId edge = kNoId;      ///< kNoId: no seat (no path from or to it)
    std::int64_t along_mm = 0;
    std::int64_t leg_mm = 0;
};
/// The seat of a snap: llround of its offset and leg in mm.
OdSeat od_seat(const Network& network, const NetworkSnap& snap);
/// od_distances() with the points already seated (a seat per point of `pairs`,
/// on live edges of `network`): what scenarios use to keep the base seats.
std::vector<std::int64_t> od_distances_from_seats(const Network& network, const OdPairs& pairs,
                                                 const std::vector<OdSeat>& seats, unsigned threads = 1);

/// snap_to_network() of every point (the same results), with the network's
/// extent computed once instead of per point, split over `threads`.
std::vector<NetworkSnap> snap_points(const Network& network, const std::vector<Point>& points, unsigned threads = 1);

} // namespace plan
