#pragma once
// A study: one TOML file (plan.toml) naming the inputs (paths relative to the
// file, or PostGIS connection strings), the analysis options and the
// scenarios; the data read from it; and every analysis run on one network
// (the base, or a scenario's edited copy). Format: docs/study.md.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plan/accessibility.hpp"
#include "plan/centrality.hpp"
#include "plan/landuse.hpp"
#include "plan/layer.hpp"
#include "plan/metrics.hpp"
#include "plan/network.hpp"
#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"
#include "plan/output.hpp"
#include "plan/skeleton.hpp"

namespace plan {

/// Input references, resolved: "path", "path|layername=NAME" or "PG:... table".
/// Empty = not given.
struct StudyInputs {
    std::vector<std::string> roads;
    std::string parcels, enterprises, zones, parks, boundary;
    std::vector<std::string> barriers;
    std::string skeleton;               ///< skeleton spec (TOML, docs/skeleton.md)
    std::string method = "zhejiang";    ///< land-efficiency method: built-in name or TOML path
    std::string od_origins, od_destinations;
};

/// Land-use join settings (as the options of `plan landuse`).
struct StudyLanduseOptions {
    std::string parcel_id_field, enterprise_parcel_field, landuse_field, zone_field, park_field,
        region_name_field;
    std::map<std::string, std::string> field_overrides;
    std::string x_field, y_field, xy_crs;
};

/// How scenarios' OD gains are measured (issue #8).
struct OdOptions {
    std::size_t pairs = 1000;   ///< drawn with `seed` from parcel centroids, else from network nodes
    std::uint64_t seed = 1;
};

struct StudyOptions {
    BuildOptions build;
    DeadEndOptions dead_ends;
    MetricsOptions metrics;
    CircuityOptions circuity;
    bool centrality = true;
    CentralityOptions centrality_options;   ///< default radii 400, 800, 1600; no global
    AccessOptions access;
    StudyLanduseOptions landuse;
    OdOptions od;
    /// Cost of new road per km by class, in `cost_unit` (empty = no money figures).
    std::map<RoadClass, double> cost_per_km;
    std::string cost_unit = "万元";
    unsigned threads = 0;                   ///< 0 = hardware concurrency
};

struct StudyConfig {
    std::string path;                    ///< the study file
    std::string dir;                     ///< its folder: relative paths resolve against it
    std::string name = "study", title;
    std::string crs;                     ///< "" = chosen from the roads (metric CRS rules)
    StudyInputs inputs;
    StudyOptions options;
    std::vector<std::string> scenarios;  ///< scenario files (TOML, docs/scenarios.md), resolved, in order
    /// Parses and validates. Throws config_error naming the file, line and key
    /// for syntax errors, unknown keys and bad values; input_error naming the
    /// key and path for a missing input file.
    static StudyConfig from_file(const std::string& path);
};

/// Everything read from a study's inputs, in the network's metric CRS.
struct StudyData {
    Network network;
    BuildReport build_report;
    std::optional<Layer> parcels, enterprises, zones, parks, boundary, od_origins, od_destinations;
    std::vector<Layer> barriers;
    std::optional<SkeletonSpec> skeleton;
    std::optional<landuse::Method> method;
};
StudyData load_study_data(const StudyConfig& config);

/// Every analysis on one network and one set of land-use layers.
struct AnalysisResult {
    Structure structure;
    std::vector<DeadEnd> dead_ends;
    NetworkSummary network;
    MetricsReport metrics;
    std::optional<SkeletonResult> skeleton;
    std::optional<landuse::Evaluation> landuse;
    /// The objects the subcommands print with --json: "network", "metrics",
    /// "skeleton", "landuse", "access" (absent when not run), each a JSON text.
    std::map<std::string, std::string> json;
    /// Result layers with their plain names (edges, nodes, dead_ends, gaps,
    /// components, critical_links, skeleton_lines, skeleton_gaps,
    /// skeleton_crossings, parcels, enterprises, access, zones, ...).
    std::vector<OutLayer> layers;
};

/// Runs every analysis the study's inputs allow on `network` with the given
/// land-use layers (a scenario passes its edited copies; null = none).
AnalysisResult analyse(const StudyConfig& config, const StudyData& data, const Network& network,
                       const Layer* parcels, const Layer* enterprises);

} // namespace plan
