#pragma once
// Scenarios (issue #8): what-if edits on top of a study — add roads, close or
// reclassify roads, re-zone parcels, relocate or retire enterprises — read
// from TOML files (format: docs/scenarios.md), applied to copies of the base
// network and land-use layers, and evaluated against the base: deltas of every
// figure, OD distance savings, dead ends removed, components joined, skeleton
// completion, cost, and the interaction term of a combined scenario.
#include <functional>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plan/layer.hpp"
#include "plan/network.hpp"
#include "plan/log.hpp"
#include "plan/od.hpp"
#include "plan/output.hpp"
#include "plan/study.hpp"

namespace plan {

/// Where an edit was written: the scenario file, its line and key.
struct EditOrigin {
    std::string file;
    std::int64_t line = 0;
    std::string key;   ///< "add", "close", ...
    /// The line of each key written in the table ("close.names" -> 3), so that
    /// a message about a key points to the key's own line.
    std::map<std::string, std::int64_t> key_lines;
    /// The line of `key` ("close.names"), else the table's line.
    std::int64_t line_of(const std::string& full_key) const {
        auto it = key_lines.find(full_key);
        return it == key_lines.end() ? line : it->second;
    }
};

/// Which roads an edit touches: source feature ids of the study's roads
/// (Edge::sources), exact road names, or edges lying inside polygons.
struct RoadSelection {
    std::vector<std::int64_t> fids;
    std::vector<std::string> names;
    std::string within;   ///< polygon layer ("path|layername=NAME", resolved)
    ReadOptions within_read; ///< its encoding, src_crs, where (table form or the edit's `src_crs`)
};

struct AddEdit {
    EditOrigin origin;
    std::string layer;         ///< resolved "path" or "path|layername=NAME"
    ReadOptions read;          ///< the layer's encoding, src_crs, where (table form or `src_crs` key)
    std::string road_class;    ///< fixed class for every feature ("" = from class_field / the study's mapping)
    std::string class_field;   ///< "" = the study's class mapping fields (等级, highway, fclass, ...)
    std::string name_field;    ///< "" = the study's name fields
    std::string oneway_field;  ///< "" = the study's oneway fields
    double snap = 1.0;         ///< m: ends this close to a node or road join it
};
struct CloseEdit {
    EditOrigin origin;
    RoadSelection select;
};
struct ReclassifyEdit {
    EditOrigin origin;
    RoadSelection select;
    RoadClass to = RoadClass::other;
};
struct RezoneEdit {
    EditOrigin origin;
    std::vector<std::string> parcels;
    std::string landuse;
};
struct RelocateEdit {
    EditOrigin origin;
    std::string layer;                    ///< fields enterprise_id, from_parcel, to_parcel
    ReadOptions layer_read;               ///< its encoding, where (table form)
    std::vector<std::string> enterprises; ///< with to_parcel
    std::string to_parcel;
};
struct RetireEdit {
    EditOrigin origin;
    std::vector<std::string> enterprises;
    bool zombies = false;                 ///< every enterprise the base land-use evaluation flags as zombie
};

/// One scenario file as written (edits of this file only).
struct ScenarioFile {
    std::string path;                  ///< the file
    std::string dir;                   ///< its folder
    std::string name;                  ///< `name`, default the file stem
    std::string title;
    std::vector<std::string> extends;  ///< resolved paths of the scenarios it extends, in order
    std::vector<AddEdit> add;
    std::vector<CloseEdit> close;
    std::vector<ReclassifyEdit> reclassify;
    std::vector<RezoneEdit> rezone;
    std::vector<RelocateEdit> relocate;
    std::vector<RetireEdit> retire;
    bool has_edits() const {
        return !add.empty() || !close.empty() || !reclassify.empty() || !rezone.empty() || !relocate.empty() ||
               !retire.empty();
    }
    /// Parses one file. Throws config_error (file, line, key) for syntax errors,
    /// unknown keys and bad values; input_error when the file cannot be read.
    static ScenarioFile from_file(const std::string& path);
    static ScenarioFile parse(const std::string& text, const std::string& path);
};

/// A scenario with its `extends` chain resolved: `files` in the order their
/// edits apply (every extended scenario once, depth first, then this file).
struct Scenario {
    std::string name, title, path;
    std::vector<ScenarioFile> files;
    /// The direct parts for the interaction term: the names of the scenarios
    /// this one extends (empty when it extends none).
    std::vector<std::string> extends;
    const ScenarioFile& own() const { return files.back(); }
};

/// Loads a scenario and its `extends` chain. An `extends` value is a scenario
/// name (NAME.toml in the same folder) or a path (relative to the file).
/// Throws config_error for a missing extended scenario (naming the file, line
/// and the path tried) and for a cycle (listing it).
Scenario load_scenario(const std::string& path);
/// Every *.toml file of a folder, sorted by name.
std::vector<std::string> scenario_files_in(const std::string& folder);

/// What an edit did to a road, for the `changes` layer.
struct RoadChange {
    std::string action;        ///< added, closed, reclassified
    LineString geometry;
    std::string name;
    RoadClass road_class = RoadClass::other;   ///< class after the edit
    RoadClass from_class = RoadClass::other;   ///< reclassified: the class before
    double length_m = 0.0;
    std::string file;          ///< scenario file that made the edit
    std::int64_t line = 0;     ///< its line
    std::string source;        ///< added: the layer label; closed/reclassified: the road sources' fids
    std::int64_t fid = -1;     ///< added: the feature id in the edit layer
    std::string note;          ///< e.g. "isolated: 312.4 m from the nearest road"
};

/// A land-use change (rezone, relocate, retire).
struct LandChange {
    std::string action;        ///< rezone, relocate, retire
    std::string id;            ///< parcel id (rezone) or enterprise id
    std::string from, to;      ///< land use or parcel ids; retire: from = parcel
    std::string file;
    std::int64_t line = 0;
};

/// A scenario applied to copies of the base.
struct AppliedScenario {
    Network network;
    std::optional<Layer> parcels, enterprises;   ///< edited copies (absent when the study has none)
    std::vector<RoadChange> roads;               ///< added edges are the final pieces (after later noding)
    std::vector<LandChange> land;
    std::vector<std::string> warnings;           ///< also logged
    std::uint32_t first_scenario_source = 0;     ///< Network::sources() from here on are scenario layers
    /// Every edge an added line split (Network::split_edge): its first half, from
    /// the edge's `from` node; the second half is the next edge id. OD points
    /// keep their base seats through these (a point on a split edge sits on the
    /// piece covering its base offset).
    std::map<EdgeId, EdgeId> split_halves;
};

/// Applies the scenario's edits in order to copies of the base. `base` (the
/// base analysis) is needed for `retire zombies = true`. Throws config_error
/// naming the file, line and key for an edit that selects nothing (a road or
/// parcel or enterprise that does not exist), input_error for unreadable edit
/// layers and crs_error for an edit layer without a CRS.
AppliedScenario apply_scenario(const Scenario& scenario, const StudyConfig& config, const StudyData& data,
                               const AnalysisResult* base = nullptr);

/// The figures one scenario is ranked by (all: larger is better, except cost).
struct ScenarioFigures {
    double od_saving_m = 0.0;        ///< total network-distance saving over pairs connected in both
    double od_mean_saving_m = 0.0;
    double od_improved_share = 0.0;
    std::int64_t od_newly_connected = 0;
    std::int64_t dead_ends_removed = 0, dead_ends_added = 0;
    std::int64_t components_joined = 0;
    /// Mean over the skeleton lines; nullopt when the study has no skeleton.
    std::optional<double> skeleton_completion_change;
    double new_road_km = 0.0;
    std::optional<double> cost;      ///< money, when cost_per_km covers every added class
    double od_saving_per_km = 0.0;   ///< od_saving_m per km of new road (0 when none)
    /// A scenario that extends others: its od_saving_m minus the sum of its parts'.
    std::optional<double> interaction_od_saving_m;
};

struct EvaluateOptions {
    unsigned threads = 1;            ///< for OD distances; never changes the result
    bool interaction = true;         ///< evaluate the parts of a scenario that extends others
};

struct ScenarioEvaluation {
    std::string name, title;
    ScenarioFigures figures;
    std::string json;                ///< the evaluation object (docs/scenarios.md), pretty-printed
    OutLayer changes;                ///< layer "changes": added / closed / reclassified edges
    AnalysisResult result;           ///< the scenario's own analysis
    std::vector<std::int64_t> od_mm; ///< per OD pair of the base: scenario distance in mm (-1 = no path)
    std::vector<std::string> warnings;
    /// What the scenario's analysis logged (warnings, notes), kept instead of printed:
    /// print them with log_scenario_messages(), once and attributed.
    std::vector<log::Capture::Message> messages;
};

/// The base analysis and the OD pairs every scenario is measured on.
struct BaseEvaluation {
    const StudyConfig* config = nullptr;
    const StudyData* data = nullptr;
    AnalysisResult result;
    OdPairs od;
    OdDistances distances;
    std::vector<log::Capture::Message> messages; ///< what the base analysis logged (also printed)
};
/// Analyses the base and draws the OD pairs (options.od: count and seed;
/// parcel centroids when the study has parcels, else network nodes).
/// `on_step` is passed to analyse() (progress and interruption in `plan run`).
BaseEvaluation evaluate_base(const StudyConfig& config, const StudyData& data, unsigned threads = 1,
                             const std::function<void(const std::string& step)>& on_step = {});

ScenarioEvaluation evaluate_scenario(const BaseEvaluation& base, const Scenario& scenario,
                                     const EvaluateOptions& options = {});

/// Logs each scenario's messages (in the order given) that neither the base nor
/// an earlier scenario logged, prefixed "scenario NAME: ": a warning every run
/// repeats (a parcel far from any road) is printed once, by the base; one about
/// phase1's file, once, by phase1 and not again by phase2 that extends it.
void log_scenario_messages(const BaseEvaluation& base, const std::vector<ScenarioEvaluation>& evaluations);

/// Objectives `plan compare --objective` accepts, the default first.
const std::vector<std::string>& scenario_objectives();
/// Ranks evaluations by an objective (ties by name); throws usage_error for an unknown one.
std::vector<const ScenarioEvaluation*> rank_scenarios(const std::vector<ScenarioEvaluation>& evaluations,
                                                      const std::string& objective);
/// The comparison table: JSON (object with "objective", "scenarios" ranked,
/// and each scenario's evaluation), CSV and Markdown, one row per scenario.
std::string comparison_json(const std::vector<ScenarioEvaluation>& evaluations, const std::string& objective);
std::string comparison_csv(const std::vector<ScenarioEvaluation>& evaluations, const std::string& objective);
std::string comparison_markdown(const std::vector<ScenarioEvaluation>& evaluations, const std::string& objective);

/// Loads and evaluates many scenarios on `threads` threads (0 = hardware): up
/// to that many scenarios at once, the threads left over shared out to each
/// scenario's OD distances; the result is in the order given, the same
/// whatever the thread count.
std::vector<ScenarioEvaluation> evaluate_scenarios(const BaseEvaluation& base, const std::vector<Scenario>& scenarios,
                                                   unsigned threads);

} // namespace plan
