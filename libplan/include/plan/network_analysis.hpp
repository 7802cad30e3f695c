#pragma once
// What a network is made of: connected components, critical links (edges whose
// removal disconnects the network; never called "bridges" in outputs), cut
// vertices, parallel edges and self-loops; dead ends in exactly one class; the
// summary and the result layers of `plan network`.
#include <cstdint>
#include <string>
#include <vector>

#include "plan/network.hpp"
#include "plan/network_build.hpp"
#include "plan/output.hpp"

namespace plan {

struct Component {
    std::uint32_t id = 0;    ///< 0 = the largest by length
    std::size_t nodes = 0;
    std::size_t edges = 0;
    double length_m = 0.0;
};

struct Structure {
    std::vector<std::uint32_t> node_component; ///< per node; kNoId for nodes without live edges
    std::vector<std::uint32_t> edge_component; ///< per edge; kNoId for removed edges
    std::vector<Component> components;         ///< by length, longest first (ties: lowest node)
    std::vector<EdgeId> critical_links;        ///< graph bridges, ascending
    std::vector<NodeId> cut_vertices;          ///< articulation points, ascending
    std::vector<std::vector<EdgeId>> parallel_edges; ///< groups sharing both ends
    std::vector<EdgeId> self_loops;
    double critical_links_m = 0.0;
};
Structure analyse_structure(const Network& network);

enum class DeadEndClass : std::uint8_t { boundary, near_miss, stub, isolated, cul_de_sac };
inline constexpr int kDeadEndClassCount = 5;
const char* to_string(DeadEndClass c); ///< "boundary", "near_miss", ...

struct DeadEndOptions {
    /// Dead ends within this distance (m) of the study-area edge are `boundary`.
    double boundary = 30.0;
    /// Study area; empty = the data extent (its bounding rectangle).
    std::vector<Polygon> study_area;
    /// Near-miss search radius (m); edges within 2 × gap of network distance are its own junction.
    double gap = 15.0;
    /// Dangling pieces shorter than this (m), reaching a junction, are `stub`.
    double stub = 10.0;
    /// Components shorter than this (m) in total, other than the largest, are `isolated`.
    double isolated_length = 1000.0;
};

struct DeadEnd {
    NodeId node = kNoId;
    EdgeId edge = kNoId;        ///< the edge leaving it
    DeadEndClass kind = DeadEndClass::cul_de_sac;
    RoadClass road_class = RoadClass::other;
    std::uint32_t component = kNoId;
    double dangling_m = 0.0;    ///< length to the first node with street count != 2
    // near_miss: the nearest road or end not in its own junction
    double gap_m = -1.0;        ///< distance to it (m); -1 when none within `gap`
    Point target;               ///< nearest point there
    EdgeId target_edge = kNoId;
    NodeId target_node = kNoId; ///< set when the target is another dead end's node
    double boundary_m = -1.0;   ///< distance to the study-area edge
};

struct DeadEndCounts {
    std::size_t total = 0;
    std::size_t by_class[kDeadEndClassCount] = {};
    std::size_t by_road_class[kRoadClassCount] = {};
};

/// Every node with street count 1, classed boundary -> near_miss -> stub ->
/// isolated -> cul_de_sac (first that applies), ordered by node id.
std::vector<DeadEnd> find_dead_ends(const Network& network, const Structure& structure,
                                    const DeadEndOptions& options);
DeadEndCounts count_dead_ends(const std::vector<DeadEnd>& dead_ends);
/// Throws usage_error for a negative tolerance or one larger than the data extent.
void check_tolerances(const DeadEndOptions& options, const Envelope& extent);

/// The study-level figures `plan network` prints (keys as in `--json`).
struct NetworkSummary {
    std::string crs;
    std::string noding;
    std::size_t nodes = 0, edges = 0, intersections = 0;
    DeadEndCounts dead_ends;
    std::size_t components = 0;
    double largest_component_share = 0.0; ///< of length
    double length_km = 0.0, critical_links_km = 0.0;
    double dead_ends_per_100km = 0.0;     ///< excluding boundary dead ends
    std::size_t cut_vertices = 0, parallel_edges = 0, self_loops = 0;
    double length_km_by_class[kRoadClassCount] = {};
};
NetworkSummary summarise(const Network& network, const Structure& structure,
                         const std::vector<DeadEnd>& dead_ends, const BuildReport& report);
/// JSON with stable key order (the documented `--json` keys first).
std::string to_json(const NetworkSummary& summary, const BuildReport& report);
std::string to_text(const NetworkSummary& summary);

/// Result layers: edges, nodes, dead_ends, gaps, components, critical_links.
std::vector<OutLayer> network_layers(const Network& network, const Structure& structure,
                                     const std::vector<DeadEnd>& dead_ends);

} // namespace plan
