#pragma once
// The arterial skeleton (四横七纵): a declared set of planned trunk roads, each
// matched to the network by name, alias, source feature id or planned
// centreline, chained along its direction and measured: built against planned
// length, gaps (and the barriers they cross), stretches below the target
// class, dead ends and local-street connections; then the grid as a whole:
// spacing of neighbouring parallel lines, the expected H×V crossings, and the
// share of parcels within reach of a skeleton line.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/layer.hpp"
#include "plan/network.hpp"
#include "plan/output.hpp"

namespace plan {

// --- names --------------------------------------------------------------------

/// The comparable form of a road name: full-width ASCII, brackets and spaces
/// folded to half width, spaces removed, bracketed parts dropped, and trailing
/// direction or section suffixes (东段, 西段, 中段, 一段, 2段, ...) stripped, so
/// that 青年路, 青年路东段, 青年路(东段) and 青年路（东段） all give 青年路.
std::string normalise_road_name(std::string_view name);
/// True for names of side roads (…辅路) and ramps (…匝道), in any bracket or
/// width variant: they are never the main road of a skeleton line.
bool is_side_road_or_ramp_name(std::string_view name);

// --- the spec -------------------------------------------------------------------

enum class Orientation : std::uint8_t { ew, ns };
const char* to_string(Orientation o); ///< "ew", "ns"

/// Where a line's planned centreline comes from: one feature of a layer.
struct CentrelineRef {
    std::string file;  ///< resolved against the spec file's folder
    std::string layer; ///< "" = the first layer
    std::string field; ///< the field that picks the feature ("" = by fid)
    std::string value; ///< its value (or the fid when field is empty)
};

struct SkeletonLineSpec {
    std::string id;
    Orientation orientation = Orientation::ew;
    std::string display_name;
    std::vector<std::string> roads;         ///< road names and aliases, as written
    std::vector<std::int64_t> source_fids;  ///< source feature ids that belong to it (any input)
    std::optional<CentrelineRef> centreline;
    RoadClass target_class = RoadClass::arterial;
    std::int64_t spec_line = 0;             ///< line of the spec file that declares it
};

struct SkeletonSpec {
    std::string path;                        ///< file it was read from ("" = text)
    std::string name;                        ///< title, e.g. 临清市中心城区四横七纵
    std::vector<SkeletonLineSpec> lines;
    // [grid]
    double spacing_min_m = 0.0;              ///< target spacing of neighbouring parallel lines (0 = none)
    double spacing_max_m = 0.0;
    double coverage_m = 500.0;               ///< parcels within this distance are covered
    // [matching]
    double centreline_buffer_m = 30.0;       ///< edges within this of a planned centreline follow it
    double carriageway_pair_m = 60.0;        ///< one-way edges this close and parallel are one road
    double far_piece_m = 1000.0;             ///< pieces farther than this from the rest are reported, not measured
    double junction_tolerance_m = 60.0;      ///< nodes of one junction within this count once
    double min_gap_m = 1.0;                  ///< breaks shorter than this are not gaps

    /// Reads a spec file; throws config_error with the file, line and key for
    /// syntax errors, unknown keys, wrong types, duplicate ids, unknown classes.
    static SkeletonSpec from_file(const std::string& path);
    /// Same from text; `path` names it in messages and resolves centreline files.
    static SkeletonSpec parse(const std::string& text, const std::string& path);
};

// --- results --------------------------------------------------------------------

/// A barrier that a gap crosses (a river polygon, a railway line).
struct BarrierLayer {
    std::string label;                 ///< e.g. "river", shown in results
    std::vector<Polygon> polygons;     ///< crossing one needs a bridge
    std::vector<LineString> lines;     ///< crossing one needs a bridge or underpass
    std::vector<std::string> polygon_names; ///< per polygon ("" when unnamed)
    std::vector<std::string> line_names;
};
/// Builds a barrier from a layer already read in the network's CRS; names come
/// from the first of name/名称 the layer has.
BarrierLayer barrier_from_layer(const Layer& layer);

struct SkeletonGap {
    std::string line_id;
    int number = 0;               ///< 1.. along the line's direction
    Point from, to;               ///< the built ends it lies between
    LineString geometry;          ///< the planned link (centreline part, else straight)
    double length_m = 0.0;
    double station_m = 0.0;       ///< where it starts, along the line
    std::vector<std::string> barriers; ///< "label: name" of each barrier crossed
    bool needs_bridge = false;    ///< crosses a barrier polygon (river)
    bool needs_underpass = false; ///< crosses a barrier line (railway): bridge or underpass
};

struct ClassStretch {
    Point from, to;
    double length_m = 0.0;
    RoadClass road_class = RoadClass::other;
};

struct FarPiece {
    Point from, to;
    double length_m = 0.0;
    double distance_m = 0.0;      ///< to the measured part of the line
};

struct SkeletonLineResult {
    std::string id, display_name;
    Orientation orientation = Orientation::ew;
    RoadClass target_class = RoadClass::arterial;
    std::vector<EdgeId> edges;        ///< the measured chain, in order along the line
    std::vector<EdgeId> other_edges;  ///< matched but not measured: the other carriageway, branches
    std::vector<LineString> built;    ///< the measured chains, in order along the line
    LineString planned;               ///< the line as planned: centreline, else built chains and gaps in order
    double built_m = 0.0;             ///< measured chains; with a centreline, only within its span
    double planned_m = 0.0;
    double completion = 0.0;          ///< built share of the planned length, 0..1
    bool has_centreline = false;
    std::vector<SkeletonGap> gaps;
    std::vector<ClassStretch> below_class;
    double below_class_m = 0.0;
    std::vector<Point> dead_ends;     ///< nodes of the chain with street count 1
    std::size_t local_connections = 0;
    double local_per_km = 0.0;
    std::size_t paired_edges = 0;     ///< one-way edges of the other carriageway, not counted again
    std::vector<std::string> unmatched_roads; ///< names (as written) that matched no edge
    std::vector<FarPiece> far_pieces;
};

struct SpacingResult {
    std::string a, b;                 ///< line ids, a before b (south->north or west->east)
    Orientation orientation = Orientation::ew;
    double min_m = 0.0, mean_m = 0.0, max_m = 0.0;
    bool within_target = true;        ///< true when no target is set
};

struct CrossingResult {
    std::string h, v;                 ///< the ew and the ns line
    bool exists = false;
    Point at;                         ///< junction centre, or the planned crossing point
    std::size_t nodes = 0;            ///< network nodes merged into the junction
};

struct CoverageResult {
    bool computed = false;
    double distance_m = 0.0;
    std::size_t parcels = 0;
    double area_m2 = 0.0;
    std::size_t parcels_straight = 0;  ///< within straight-line distance
    double area_straight_m2 = 0.0;
    std::size_t parcels_network = 0;   ///< within network distance
    double area_network_m2 = 0.0;
};

struct SkeletonResult {
    std::vector<SkeletonLineResult> lines;   ///< in spec order
    std::vector<SpacingResult> spacing;
    std::vector<CrossingResult> crossings;   ///< every ew × ns pair, in spec order
    std::size_t crossings_expected = 0, crossings_existing = 0;
    CoverageResult coverage;
    std::vector<std::string> warnings;       ///< unmatched names, far pieces: also logged
    std::string crs;                         ///< label of the network's CRS, which coordinates are in
    double min_gap_m = 0.0;                  ///< the spec's min_gap_m, for the text's notes
};

struct SkeletonInputs {
    std::vector<BarrierLayer> barriers;
    std::vector<std::vector<Polygon>> parcels; ///< each parcel as its polygon parts
};

/// Matches and measures every line of the spec on the network. Centreline
/// layers are read and reprojected to the network's CRS. Throws input_error
/// when no line matches anything (wrong name field?), crs_error/input_error
/// for a centreline that cannot be read or has no such feature.
SkeletonResult analyse_skeleton(const Network& network, const SkeletonSpec& spec, const SkeletonInputs& inputs = {});

/// `skeleton_lines`, `skeleton_gaps` and `skeleton_crossings`.
std::vector<OutLayer> skeleton_layers(const SkeletonResult& result);
/// JSON with stable key order, as `plan skeleton --json` prints it.
std::string to_json(const SkeletonResult& result);
std::string to_text(const SkeletonResult& result);

} // namespace plan
