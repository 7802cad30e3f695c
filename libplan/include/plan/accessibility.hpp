#pragma once
// Parcel accessibility: for each parcel (its centroid) or point, snapped to
// the nearest road, the network distance to the nearest road of chosen classes
// (arterials by default) and to each target layer, and the road length and
// number of other sites reachable within network radii. Distances are on the
// undirected network (one-way rules ignored: people walk), in whole
// millimetres as every shortest-path metric here. Rules in docs/metrics.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plan/geometry.hpp"
#include "plan/metrics.hpp"
#include "plan/network.hpp"
#include "plan/output.hpp"
#include "plan/skeleton.hpp"

namespace plan {

/// A point on the network: the foot of the perpendicular on the nearest edge.
struct NetworkSnap {
    EdgeId edge = kNoId;    ///< kNoId: the network is empty
    double along_m = 0;     ///< from the edge's `from` node along its geometry
    double distance_m = 0;  ///< straight line from the point to the foot
    Point foot;
};
/// Nearest live edge (ties: lowest edge id).
NetworkSnap snap_to_network(const Network& network, const Point& p);

struct AccessSite {
    std::string id;
    Point position;         ///< parcel centroid or the point itself
};
/// A layer of destinations (schools, parks, stations): each feature's point.
struct AccessTargets {
    std::string name;
    std::vector<Point> points;
};

/// The centroid of a parcel (area-weighted over its parts, holes taken out)
/// or a point feature's first point; nullopt for other geometry.
std::optional<Point> site_position(const Geometry& geometry);

struct AccessOptions {
    std::vector<RoadClass> road_classes{RoadClass::arterial};
    std::vector<double> radii{400, 800};
    double far_m = 100;     ///< sites snapped farther than this are reported
    /// The skeleton's edges (skeleton_edge_ids of a matched skeleton): when
    /// set, each site's network distance to the nearest node of one of them
    /// (0 on one) is measured as `to_skeleton_m`.
    std::optional<std::vector<EdgeId>> skeleton_edges;
    std::string skeleton_name;  ///< the skeleton's title or spec file, for the output
};

/// Every edge the skeleton matching assigned to a line (measured chains and
/// other edges: the other carriageway, branches), sorted, each once.
std::vector<EdgeId> skeleton_edge_ids(const SkeletonResult& result);

struct SiteAccess {
    NetworkSnap snap;
    bool far = false;
    std::optional<double> to_road_class_m;            ///< none: unreachable (or no road of the class)
    std::optional<double> to_skeleton_m;              ///< none: no skeleton given, or unreachable
    std::vector<std::optional<double>> to_target_m;   ///< per target layer
    std::vector<double> road_m_within;                ///< per radius: road length reachable
    std::vector<std::size_t> sites_within;            ///< per radius: other sites reachable
};

struct AccessReport {
    AccessOptions options;
    std::vector<std::string> target_names;
    std::vector<SiteAccess> sites;
    std::size_t far = 0;                 ///< sites snapped farther than options.far_m
    std::size_t unreachable_class = 0;   ///< sites with no road of the classes in reach
    std::size_t class_edges = 0;         ///< live edges of the chosen classes (0: none in the network)
    std::size_t unreachable_skeleton = 0;///< sites with no skeleton edge in reach (skeleton given)
};

/// Throws usage_error for a radius that is not positive.
AccessReport accessibility(const Network& network, const std::vector<AccessSite>& sites,
                           const std::vector<AccessTargets>& targets, const AccessOptions& options);

/// The `skeleton_edges` layer: each edge the matching assigned to a skeleton
/// line (edge_id, line_id, measured = 1 on the measured chain, 0 for the other
/// carriageway or a branch), so the to_skeleton_m sources can be checked.
OutLayer skeleton_edges_layer(const Network& network, const SkeletonResult& result);

/// The `access` layer: one point per site (its position) with the snap and the results.
OutLayer access_layer(const std::vector<AccessSite>& sites, const AccessReport& report);

/// OD circuity (非直线系数) for a user's OD layer: every origin (points or
/// parcel centroids) to every named destination. Network distance = the snap
/// leg at each end + the network distance between the snapped points;
/// straight line between the original points. Pairs without a path are
/// counted apart; pairs closer than `min_straight_m` are counted as too close.
struct OdPair {
    std::size_t origin = 0, destination = 0;
    double straight_m = 0;
    std::optional<double> network_m, circuity;
};
struct OdLayerCircuity {
    CircuityResult summary;            ///< over the pairs, as od_circuity
    std::vector<OdPair> pairs;         ///< origin-major order
    std::vector<NetworkSnap> origin_snaps, destination_snaps;
    std::size_t far = 0;               ///< origins and destinations snapped farther than far_m
};
OdLayerCircuity od_circuity_layer(const Network& network, const std::vector<AccessSite>& origins,
                                  const std::vector<AccessSite>& destinations, double far_m,
                                  double min_straight_m = 1.0);
/// {"origins", "destinations", "far_from_road", then the od_circuity keys}.
std::string to_json(const OdLayerCircuity& result);
/// The `od_pairs` layer: a straight line per pair with its distances and ratio.
OutLayer od_pairs_layer(const std::vector<AccessSite>& origins, const std::vector<AccessSite>& destinations,
                        const OdLayerCircuity& result);

} // namespace plan
