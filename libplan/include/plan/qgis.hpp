#pragma once
// QGIS outputs: layer styles (QML) for libplan's result layers, the GeoPackage's
// `layer_styles` table (so the GeoPackage alone opens styled), and a QGIS
// project (.qgz). The XML is written by libplan itself (no QGIS at build time);
// every output is deterministic: layer ids derive from table names and the zip
// entries carry fixed timestamps. Styles: docs/outputs.md.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "plan/crs.hpp"
#include "plan/geometry.hpp"
#include "plan/output.hpp"

namespace plan {

struct StyledLayer {
    std::string table;   ///< GeoPackage layer name, e.g. "base__dead_ends"
    std::string group;   ///< "base" or a scenario name
    /// Plain name: edges, nodes, dead_ends, gaps, components, critical_links,
    /// skeleton_lines, skeleton_gaps, skeleton_crossings, parcels, enterprises,
    /// access, zones, candidates, selection, changes, od_pairs, centrality ...
    /// (unknown kinds get a plain single-symbol style).
    std::string kind;
    GeometryKind geometry = GeometryKind::none;
    std::size_t features = 0;
    std::vector<OutField> fields;
    /// Class breaks (ascending, 5 quantiles' upper bounds) of the numeric fields
    /// a style graduates on whose range depends on the data (betweenness,
    /// candidate scores). Filled by styled_layer() from the features, or by
    /// write_layer_styles / write_qgis_project from the GeoPackage when empty.
    std::map<std::string, std::vector<double>> breaks;
};

/// A StyledLayer for a result layer about to be written as `table`: kind =
/// the layer's name, geometry, feature count, fields and the breaks of its
/// graduated fields.
StyledLayer styled_layer(const OutLayer& layer, const std::string& table, const std::string& group);

/// What the style of a layer is: the QGIS renderer type ("categorizedSymbol",
/// "graduatedSymbol", "singleSymbol", or "" for a table without geometry) and
/// the field it classifies on ("" for a single symbol).
struct StyleChoice {
    std::string renderer;
    std::string field;
};
StyleChoice style_choice(const StyledLayer& layer);

/// The layer's style as a QGIS QML document (UTF-8 text).
std::string layer_style_qml(const StyledLayer& layer);

/// Writes QGIS's `layer_styles` table into the GeoPackage: one default style
/// (useAsDefault) per layer, replacing earlier styles of the same tables, so
/// that the GeoPackage alone opens styled. The file is rewritten atomically.
/// Throws output_error naming the file on failure.
void write_layer_styles(const std::string& gpkg_path, const std::vector<StyledLayer>& layers);

/// Writes a QGIS project (.qgz, zipped .qgs) whose layers read
/// `gpkg_relative_path` (relative to the project's folder): grouped base first
/// then scenarios (in order of first appearance), each layer styled, the
/// project CRS set and the view opening on `extent` (in `crs`). Atomic.
void write_qgis_project(const std::string& qgz_path, const std::string& gpkg_relative_path,
                        const std::vector<StyledLayer>& layers, const CrsRef& crs, const Envelope& extent,
                        const std::string& title);

} // namespace plan
