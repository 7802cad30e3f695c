#pragma once
// Connectivity metrics a planner quotes: graph indices (β, 连通度 J, μ, α, γ,
// meshedness, connected node ratio), road density against national targets
// (raw and centreline-equivalent for dual carriageways), intersection counts
// (raw and consolidated), OSMnx's basic_stats with OSMnx's own definitions, and
// the origin-destination circuity (非直线系数). Definitions: docs/metrics.md.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plan/centrality.hpp"
#include "plan/geometry.hpp"
#include "plan/network.hpp"
#include "plan/output.hpp"

namespace plan {

/// The area behind every density. Never the data's bounding box.
struct StudyArea {
    enum class Basis { none, boundary, built_up, zone };
    Basis basis = Basis::none;
    std::vector<Polygon> polygons; ///< in the network's CRS
    double area_m2 = 0.0;          ///< of the union (overlaps counted once)
    std::string source;            ///< file it came from, for the output
    double closing_m = 0.0;        ///< built-up: the closing distance applied to the union of parcels
    double parcels_union_m2 = 0.0; ///< built-up: area of the plain union, before closing
};
/// Default closing of the union of parcels (m): half of a 30 m street between
/// kerbs plus a 10 m margin. Parcels stop at the kerb; their union closed by
/// this distance takes in the street space between neighbouring blocks
/// (streets up to 50 m between kerbs), not the open land around the town.
inline constexpr double kBuiltUpClosingM = 25.0;
const char* to_string(StudyArea::Basis basis); ///< "none", "boundary", "built-up area (union of parcels)", "zone"
/// The union of the boundary polygons. Throws input_error when they have no area.
StudyArea study_area_from_boundary(const std::vector<Polygon>& polygons, std::string source);
/// The built-up area: the union of the parcels closed morphologically by
/// `closing_m` (buffer +d then -d, round joins, 16 segments per quarter
/// circle), which fills the street space and every gap or hole narrower than
/// 2d; larger holes (a park or lake no parcel covers) stay out. 0 = the plain
/// union. Throws input_error when they have no area, usage_error for a
/// negative or non-finite closing.
StudyArea study_area_from_parcels(const std::vector<Polygon>& parcels, std::string source,
                                  double closing_m = kBuiltUpClosingM);

/// A density target: pass when min <= value <= max (a missing bound is open).
struct DensityTarget {
    std::string key;                    ///< "overall", "central", "arterial", ...
    std::string label;                  ///< where it comes from
    std::optional<RoadClass> road_class;///< nullopt = all roads; arterial targets use 主干路 only
    std::optional<double> min, max;     ///< km/km²
    bool trunk = false;                 ///< 干线 (快速路+主干路), judged on trunk_density: `class = "干线"` or "trunk"
};
/// The defaults of DOMAIN.md for an area type: "built-up" (8 km/km², 2016
/// guidance), "central" (10–20), "residential" (8–13), "industrial" (>= 3.33,
/// blocks up to 600 m), each with the superseded GB 50220-95 medium-city class
/// ranges (主干 1.0–1.2, 次干 1.2–1.4, 支路 3–4). Throws usage_error when unknown.
std::vector<DensityTarget> default_targets(const std::string& area_type);
/// Reads targets from TOML: `[[target]] key = "overall" min = 8 max = 20 class = "arterial" label = "..."`.
std::vector<DensityTarget> targets_from_toml(const std::string& path);

struct MetricsOptions {
    /// Intersections closer than twice this (m) merge into one junction, as in
    /// OSMnx consolidate_intersections(tolerance, dead_ends=False).
    double consolidate_tolerance = 15.0;
    /// One-way carriageways at most this far apart (m), running opposite ways,
    /// of the same class (and name when both have one), count as one road.
    double dual_carriageway_distance = 40.0;
    /// ... and within this angle (degrees) of anti-parallel.
    double dual_carriageway_angle = 30.0;
    std::string area_type = "built-up";
    std::vector<DensityTarget> targets = default_targets("built-up");
};

/// Graph indices on the network after pass-through (street count 2) nodes are
/// contracted: v = intersections + ends, e = links between them, p = components.
struct ConnectivityIndices {
    std::size_t nodes_raw = 0, edges_raw = 0; ///< as built (live)
    std::size_t v = 0, e = 0, p = 0;
    std::size_t intersections = 0;            ///< street count >= 3
    std::size_t intersections_consolidated = 0;
    std::size_t dead_ends = 0;                ///< street count 1
    double beta = 0, mean_degree = 0;         ///< e/v, 2e/v (连通度 J)
    std::int64_t cyclomatic = 0;              ///< e - v + p
    std::optional<double> alpha, gamma;       ///< undefined for tiny graphs
    std::optional<double> meshedness;         ///< Buhl, on the largest component
    std::optional<double> connected_node_ratio;
    double link_node_ratio = 0;               ///< links / nodes (= beta)
};

struct DensityCheck {
    DensityTarget target;
    double value = 0;   ///< km/km² it was checked against
    /// true / false: met or not; nullopt: cannot be judged (`reason` says why),
    /// e.g. a class target on a network where every road is class `other`.
    std::optional<bool> pass;
    std::string reason; ///< why the target is not judged; empty when it is
};
/// "主干路 (arterial)" for a class target, "overall (all roads)" or "KEY (all roads)" otherwise;
/// a custom key that differs from the class key is added in brackets.
std::string target_label(const DensityTarget& target);

struct Densities {
    StudyArea::Basis basis = StudyArea::Basis::none;
    std::string area_source;
    double area_km2 = 0;
    double area_closing_m = 0;                ///< built-up: the closing applied to the union of parcels
    double parcels_union_km2 = 0;             ///< built-up: the plain union, before closing
    double length_km = 0, length_km_centreline = 0;   ///< inside the area
    double length_km_by_class[kRoadClassCount] = {};
    double length_km_centreline_by_class[kRoadClassCount] = {};
    std::size_t intersections = 0, intersections_consolidated = 0, dead_ends = 0; ///< inside the area
    // per km² (absent without an area)
    std::optional<double> road_density, road_density_centreline;
    std::optional<double> arterial_density, arterial_density_centreline; ///< 干线: 快速路 expressway + 主干路 arterial
    bool classified = true; ///< the network has a road of a class other than `other` (else class targets are not judged)
    std::optional<double> by_class[kRoadClassCount], by_class_centreline[kRoadClassCount];
    std::optional<double> intersection_density, intersection_density_consolidated, dead_end_density;
    std::optional<double> dead_ends_per_100km;
    std::vector<DensityCheck> checks;  ///< on centreline-equivalent figures
};

/// OSMnx 1.2.3 basic_stats, with OSMnx's definitions on the network seen as
/// OSMnx's directed multigraph (two-way edges as two arcs, one-way as one).
struct OsmnxStats {
    std::size_t n = 0, m = 0;
    double k_avg = 0, edge_length_total = 0, edge_length_avg = 0;
    double streets_per_node_avg = 0;
    std::map<int, std::size_t> streets_per_node_counts;
    std::map<int, double> streets_per_node_proportions;
    std::size_t intersection_count = 0; ///< nodes with street count > 1 (OSMnx's rule)
    double street_length_total = 0;
    std::size_t street_segment_count = 0;
    double street_length_avg = 0;
    std::optional<double> circuity_avg; ///< edge-based: Σ length / Σ straight line
    double self_loop_proportion = 0;
    std::optional<std::size_t> clean_intersection_count;
    std::optional<double> node_density_km, intersection_density_km, edge_density_km, street_density_km,
        clean_intersection_density_km;
};
/// `area_m2` <= 0: no density keys; `clean_int_tol` <= 0: no clean intersections.
OsmnxStats osmnx_basic_stats(const Network& network, double area_m2 = 0, double clean_int_tol = 0);
/// OSMnx's street count per node (a street between two nodes counted once per
/// pair of opposite arcs; any number of self-loops at a node counts 2).
std::vector<int> osmnx_street_counts(const Network& network);

/// Per-edge weight in the centreline-equivalent length: 0.5 for each one-way
/// carriageway of a dual carriageway, else 1. Rule in docs/metrics.md.
std::vector<double> centreline_weights(const Network& network, const MetricsOptions& options);
/// Junctions after merging the nodes with at least `min_streets` streets whose
/// discs of radius `tolerance` overlap (OSMnx consolidate_intersections with
/// dead_ends=False is min_streets = 2 on OSMnx's street counts; our own
/// intersection figures use 3). Returns each node's junction id or kNoId.
std::vector<std::uint32_t> consolidate_intersections(const Network& network, double tolerance, int min_streets,
                                                     std::size_t* junctions = nullptr);

ConnectivityIndices connectivity_indices(const Network& network, const MetricsOptions& options);
Densities densities(const Network& network, const StudyArea& area, const MetricsOptions& options);

/// Length of each edge inside the polygons (m), per edge id; removed edges get 0.
std::vector<double> length_inside(const Network& network, const std::vector<Polygon>& polygons);

/// Origin-destination circuity (非直线系数): network distance over straight-line distance.
struct CircuityOptions {
    std::size_t all_pairs_max_nodes = 1500; ///< all node pairs up to this many nodes, else sample
    std::size_t sample_pairs = 20000;       ///< pairs drawn when sampling
    std::uint64_t seed = 1;
    double min_straight_m = 1.0;            ///< pairs closer than this are skipped (counted)
    unsigned threads = 1;                   ///< shortest-path trees in parallel; never changes the result
};
struct CircuityResult {
    bool sampled = false;
    std::size_t pairs = 0;         ///< ordered pairs considered
    std::size_t reachable = 0;     ///< with a finite network distance
    std::size_t unreachable = 0;   ///< no path: counted, never in the averages
    std::size_t too_close = 0;     ///< straight line < min_straight_m
    std::optional<double> mean, median, p90, ratio_of_sums;
    std::vector<std::pair<double, std::size_t>> histogram; ///< (bin upper bound, count); last bin open
};
CircuityResult od_circuity(const Network& network, const CircuityOptions& options);

/// Everything `plan metrics` reports at study level.
struct MetricsReport {
    std::string crs;
    std::string area_type;
    ConnectivityIndices indices;
    Densities densities;
    OsmnxStats osmnx;
    CircuityResult circuity;
    double consolidate_tolerance = 0;
};
std::string to_json(const MetricsReport& report);
std::string to_text(const MetricsReport& report);

/// Result layers: `edges` (class, length, centreline weight, betweenness per
/// radius) and `nodes` (street count, junction, betweenness and harmonic
/// closeness per radius). `centrality` may be null.
std::vector<OutLayer> metrics_layers(const Network& network, const MetricsOptions& options,
                                     const CentralityResult* centrality);

} // namespace plan
