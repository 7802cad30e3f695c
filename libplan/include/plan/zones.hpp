#pragma once
// Metrics per zone: every index and density of plan/metrics.hpp for each
// polygon of a zones layer (districts, parks, blocks) or of a generated square
// or hexagonal grid. Lines are cut at zone borders and each piece belongs to
// one zone, so lengths and counts of zones that tile an area add up to the
// area's total. Rules in docs/metrics.md ("Per zone").
#include <optional>
#include <string>
#include <vector>

#include "plan/geometry.hpp"
#include "plan/metrics.hpp"
#include "plan/network.hpp"
#include "plan/output.hpp"

namespace plan {

struct Zone {
    std::string id;                 ///< the layer's id field, the feature id, or the grid cell ("r3c7")
    std::string name;               ///< empty when the layer has no name field
    std::vector<Polygon> polygons;  ///< in the network's CRS
};

/// Square cells of `size` m aligned on multiples of `size`, covering `extent`.
std::vector<Zone> square_grid(const Envelope& extent, double size);
/// Pointy-top hexagons `size` m across flats (neighbouring centres `size` apart,
/// cell area √3/2·size²), covering `extent`. Shared edges are bit-for-bit
/// identical in both cells (vertices on a lattice).
std::vector<Zone> hex_grid(const Envelope& extent, double size);
/// Parses "square:500" or "hex:500"; throws usage_error otherwise.
std::vector<Zone> grid_from_spec(const std::string& spec, const Envelope& extent);

/// Grid cells clipped to a study area: each cell becomes its intersection with
/// the union of `area` (GEOS); cells with no area inside are dropped. Ids stay.
std::vector<Zone> clip_zones(const std::vector<Zone>& zones, const std::vector<Polygon>& area);

struct ZoneMetrics {
    Zone zone;
    double area_km2 = 0;             ///< of the zone's own polygons: the area behind its densities
    std::size_t edges = 0;           ///< edges whose midpoint lies in the zone (the zone's graph)
    bool overlaps_network = false;   ///< any road length or node inside
    std::optional<ConnectivityIndices> indices; ///< on the zone's graph; none without edges
    Densities densities;             ///< lengths cut at the border, nodes counted where they lie
};

struct ZoneReport {
    std::string source;              ///< the layer or the grid spec
    std::string reprojected_from;    ///< non-empty when the zones were in another CRS
    std::vector<ZoneMetrics> zones;
    double length_km_network = 0;    ///< every live edge
    double length_km_in_zones = 0;   ///< Σ zones
    std::size_t zones_without_network = 0;
    std::size_t nodes_outside = 0;   ///< intersections and dead ends in no zone
    double consolidate_tolerance = 0;
    std::string area_type;
};

/// Metrics for every zone. Each piece of road between zone borders and each
/// node belongs to the first zone (in order) that covers it, so overlapping
/// zones never count a metre twice.
ZoneReport zone_metrics(const Network& network, const std::vector<Zone>& zones, const MetricsOptions& options);

/// Road length (m) of each edge in each zone: result[z][e]. Pieces on a
/// shared border go to the first zone.
std::vector<std::vector<double>> zone_edge_lengths(const Network& network, const std::vector<Zone>& zones);

std::string to_json(const ZoneReport& report);
/// The `zones` layer: one feature per zone with its indices and densities.
OutLayer zone_layer(const ZoneReport& report);

} // namespace plan
