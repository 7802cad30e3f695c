#pragma once
// Topology from raw line layers: road classes from a configurable mapping,
// noding at shared vertices or at crossings with grade separation, snapping of
// near ends, merging of duplicates and dissolution of pass-through nodes.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "plan/layer.hpp"
#include "plan/network.hpp"

namespace plan {

/// How lines are joined into a graph.
enum class Noding {
    automatic, ///< per source: OSM -> vertices, anything else -> crossings
    vertices,  ///< join where lines share a vertex (the OSM model)
    crossings  ///< also split where lines cross or touch (CAD data), with grade separation
};
const char* to_string(Noding n);
Noding noding_from_text(const std::string& text); ///< throws usage_error

/// Maps source attribute values to road classes. Fields are tried in order;
/// the first one the layer has decides. Values are matched exactly, then
/// case-insensitively; `*_link` values are ramps unless mapped otherwise.
struct ClassMapping {
    std::vector<std::string> fields;              ///< e.g. highway, fclass, 等级
    std::map<std::string, RoadClass> values;      ///< value -> class
    std::vector<std::string> side_road_suffixes;  ///< names ending so are side roads (辅路)
    std::vector<std::string> ramp_suffixes;       ///< names ending so are ramps (匝道)
    /// Set when the user named the fields: a layer must then have one of them.
    bool fields_required = false;
    std::string origin = "built-in defaults";     ///< where the mapping came from, for messages
    /// Defaults for OSM highway, Geofabrik fclass and Chinese 等级 (DOMAIN.md).
    static ClassMapping defaults();
    /// Reads a TOML file: `fields = [...]`, `[values] primary = "arterial"`,
    /// `side_road_suffixes = [...]`. A class name that is unknown is a config_error
    /// naming the file and line. With `replace = false` (default) the file extends
    /// the defaults.
    static ClassMapping from_toml(const std::string& path);
};

/// Which classes enter the network. Lines whose class value the mapping does
/// not know, or that map to `other` (service, footway, ...), enter only with `all`.
struct ClassFilter {
    bool all = false;
    std::set<RoadClass> classes{RoadClass::expressway, RoadClass::arterial, RoadClass::collector,
                                RoadClass::local,      RoadClass::ramp,     RoadClass::side_road};
    /// "all", or a comma list of keys / Chinese labels. Throws usage_error.
    static ClassFilter parse(const std::string& text);
    bool admits(RoadClass c) const { return all || classes.count(c) > 0; }
};

/// Field names for grade separation and direction. Values understood: OSM
/// yes/no/true/false/1/0/-1, Geofabrik T/F (bridge, tunnel) and F/T/B (oneway:
/// F = forward along the geometry, T = against it, B = both).
struct LevelFields {
    std::vector<std::string> bridge{"bridge", "is_bridge", "桥梁"};
    std::vector<std::string> tunnel{"tunnel", "is_tunnel", "隧道"};
    std::vector<std::string> layer{"layer", "z_level", "层"};
    std::vector<std::string> oneway{"oneway", "one_way", "单行"};
    std::vector<std::string> name{"name", "名称", "道路名称", "路名", "NAME"};
    /// GDAL's OSM driver keeps unlisted tags in this hstore-like text field.
    std::string other_tags = "other_tags";
};

struct BuildOptions {
    Noding noding = Noding::automatic;
    /// Ends closer than this (metres) to another end or a line's interior join it.
    double snap = 0.01;
    ClassMapping mapping = ClassMapping::defaults();
    ClassFilter classes;
    LevelFields fields;
    bool dissolve = true;              ///< dissolve pass-through (degree-2) nodes
    bool keep_class_change = true;     ///< keep the node where the class changes
    bool keep_name_change = true;      ///< ... where the name changes
    bool keep_level_change = true;     ///< ... where bridge/tunnel/level changes
    bool merge_duplicates = true;      ///< merge segments with identical geometry
};

/// What happened while building, for the summary and the log.
struct BuildReport {
    struct SourceReport {
        std::string label;
        Noding noding = Noding::vertices; ///< the mode used for this source
        std::string noding_reason;        ///< why (auto)
        std::string class_field;          ///< the field that gave classes ("" = none)
        std::int64_t features = 0;        ///< features read
        std::int64_t lines = 0;           ///< line parts taken
        std::int64_t filtered_out = 0;    ///< features left out by the class filter
        std::int64_t not_lines = 0;       ///< features that are not lines (polygons, points)
        std::int64_t multipart_split = 0; ///< extra parts from multi-part features
        std::map<std::string, std::int64_t> unknown_values; ///< class values the mapping does not know
        /// Line length (m, in the build CRS) left out by the class filter, by the
        /// source's class value ("service", "footway", ...). Features with no class
        /// value (not roads: railways, rivers) are not counted.
        std::map<std::string, double> excluded_m;
        /// Line length (m) made side roads (辅路) by a name suffix although the
        /// class value says otherwise, by the source's class value.
        std::map<std::string, double> side_road_by_name_m;
    };
    std::vector<SourceReport> sources;
    std::int64_t segments = 0;          ///< input segments (vertex pairs) after cleaning
    std::int64_t repeated_vertices = 0; ///< consecutive duplicate vertices removed
    std::int64_t zero_length = 0;       ///< line parts of zero length dropped
    std::int64_t crossings = 0;         ///< interior crossings noded (crossings mode)
    std::int64_t grade_separated = 0;   ///< crossings not joined: different levels
    std::int64_t snapped_to_end = 0;    ///< ends moved onto another end
    std::int64_t snapped_to_line = 0;   ///< ends joined to a line's interior
    std::int64_t duplicates_merged = 0; ///< duplicated/overlapping pieces merged
    std::int64_t self_loops = 0;        ///< edges that start and end at one node
    std::int64_t dissolved_nodes = 0;   ///< pass-through nodes dissolved
    std::vector<Point> self_loop_at;    ///< where (one point per self-loop edge)
    std::vector<Point> zero_length_at;
    bool dropped_z = false;
    std::vector<std::string> notes;     ///< human-readable notes, also logged
    /// What --snap changed: every end joined to another end or to a line across a
    /// gap wider than zero. The move of an end is that gap: how far the end went
    /// (onto another end or a vertex) or how far the other line was bent to reach it
    /// (a line's interior); an end joined by a chain of ends may go farther than the
    /// tolerance. Ends that already coincided are not counted.
    struct Snapping {
        /// build_network warns when an end moved farther than this (metres).
        static constexpr double kWarnMoveM = 5.0;
        double tolerance_m = 0;       ///< BuildOptions::snap
        std::int64_t ends_moved = 0;  ///< ends joined across a gap
        std::int64_t ends_over_warn = 0; ///< ... of them farther than kWarnMoveM
        double max_move_m = 0;        ///< the largest move
        double mean_move_m = 0;       ///< mean over the moved ends (0 when none)
        double p95_move_m = 0;        ///< 95th percentile (nearest rank) over the moved ends
        Point max_at{};               ///< the end that moved farthest, before the move (build CRS)
        SourceRef max_feature{};      ///< ... its source and feature
        std::string max_source;       ///< ... its source's label
    };
    Snapping snapping;
};

/// Line length (m) left out by the class filter over every source, by class value
/// (summed over sources; values sorted), and the total.
std::map<std::string, double> excluded_by_value(const BuildReport& report, double* total_m = nullptr);
/// ... and made side roads (辅路) by a name suffix.
std::map<std::string, double> side_road_by_name(const BuildReport& report, double* total_m = nullptr);
/// One line for the text output: "left out by the class filter (--classes public):
/// 52.1 km (service 40.1, footway 12.0, ...) in the data read" and, when any, a
/// second one for the side roads by name. Empty when nothing was left out or reclassed.
std::string build_class_text(const BuildReport& report, const std::string& classes);
/// The class filter as text: "all", or the class keys it admits ("expressway,arterial,...").
std::string class_filter_text(const ClassFilter& filter);
/// The "network_build" object of `plan metrics --json` and of `plan run`'s
/// metrics (JSON text): the classes, the length they left out and the side
/// roads made by name, by source class value.
std::string network_build_json(const BuildReport& report, const ClassFilter& filter);

/// Builds the network from one or several layers (already in one metric CRS).
/// Throws input_error when no line is left (with the reason) and usage_error
/// for a negative or absurd tolerance or a mapping field no layer has.
Network build_network(const std::vector<const Layer*>& layers, const BuildOptions& options,
                      BuildReport* report = nullptr);
inline Network build_network(const Layer& layer, const BuildOptions& options, BuildReport* report = nullptr) {
    return build_network(std::vector<const Layer*>{&layer}, options, report);
}

} // namespace plan
