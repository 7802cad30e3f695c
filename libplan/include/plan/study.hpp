#pragma once
// A study: one TOML file (plan.toml) naming the inputs (paths relative to the
// file, or PostGIS connection strings), the analysis options and the
// scenarios; the data read from it; and every analysis run on one network
// (the base, or a scenario's edited copy). Format: docs/study.md.
#include <cstdint>
#include <functional>
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
#include "plan/source.hpp"
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

/// Centrality in a study: radii 400, 800 and 1600 m, no global.
inline CentralityOptions study_centrality_defaults() {
    CentralityOptions c;
    c.global = false;
    c.radii = {400, 800, 1600};
    return c;
}

struct StudyOptions {
    BuildOptions build;
    DeadEndOptions dead_ends;
    MetricsOptions metrics;
    CircuityOptions circuity;
    bool centrality = true;
    CentralityOptions centrality_options = study_centrality_defaults(); ///< radii 400, 800, 1600; no global
    bool access_enabled = true;             ///< parcel accessibility when parcels are given
    AccessOptions access;
    /// Field naming each access site (parcel), each zone, each OD origin and
    /// destination; "" = the feature id (zone name: "name" when present), as in `plan metrics`.
    std::string access_id_field, zone_id_field, zone_name_field, od_origin_id_field, od_name_field;
    std::string targets_file;               ///< density targets TOML ("" = defaults of metrics.area_type)
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
    /// The same references as written in the study file (relative paths kept):
    /// the labels in summary.json and in the reports (area_source, zones source),
    /// so that outputs do not depend on where the study folder lies. Empty
    /// members fall back to `inputs`.
    StudyInputs inputs_as_written;
    StudyOptions options;
    std::vector<std::string> scenarios;  ///< scenario files (TOML, docs/scenarios.md), resolved, in order
    std::map<std::string, std::int64_t> input_lines; ///< line of each [inputs] key in the study file
    /// Read options of inputs written as tables ({path = ..., encoding = "GBK",
    /// src_crs = "GCJ02", where = "..."}), by resolved reference.
    std::map<std::string, ReadOptions> input_reads;
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
/// `on_step`, when set, is called with the name of each step as it starts
/// ("network", "metrics", "centrality", "zones", "access", "od", "skeleton",
/// "landuse"): `plan run` draws progress and timings and stops between steps
/// (the callback may throw to abandon the run).
/// The structure and dead ends of analyse()'s network step alone (the other
/// members are left empty): what a scenario's gains need from its parts.
AnalysisResult analyse_network(const StudyConfig& config, const StudyData& data, const Network& network);

AnalysisResult analyse(const StudyConfig& config, const StudyData& data, const Network& network,
                       const Layer* parcels, const Layer* enterprises,
                       const std::function<void(const std::string& step)>& on_step = {});

/// The JSON object of one analysis in summary.json: "network", "metrics",
/// "skeleton", "landuse", "access" (those run), each the subcommand's --json.
std::string analysis_json(const AnalysisResult& result);

/// summary.json: {"study": {"name", "title", "crs", "inputs": {as written}},
/// "base": analysis_json(base), "scenarios": {name: object, ...} (JSON texts, in
/// order), "comparison": comparison_json (a JSON array text)}. Ends with a newline.
std::string summary_json(const StudyConfig& config, const CrsRef& crs, const std::string& base_json,
                         const std::vector<std::pair<std::string, std::string>>& scenarios = {},
                         const std::string& comparison_json = "[]");

/// `layers` renamed `<prefix>__<name>` (prefix "base" or a scenario name).
std::vector<OutLayer> prefixed_layers(const std::string& prefix, std::vector<OutLayer> layers);

} // namespace plan
