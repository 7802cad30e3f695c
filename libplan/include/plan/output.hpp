#pragma once
// Writing result layers: a GeoPackage (the default) or a folder of RFC 7946
// GeoJSON files (WGS84, at most 7 decimals, right-hand polygons, UTF-8).
// Outputs are written to a temporary name and renamed when complete, so a
// failure never leaves a half-written result.
#include <string>
#include <vector>

#include "plan/crs.hpp"
#include "plan/geometry.hpp"
#include "plan/layer.hpp"

namespace plan {

struct OutField {
    std::string name;
    FieldType type = FieldType::string;
};

struct OutFeature {
    Geometry geometry;
    std::vector<FieldValue> values; ///< one per field, in order; monostate = null
};

struct OutLayer {
    std::string name;
    GeometryKind kind = GeometryKind::none; ///< none = attribute table without geometry
    bool multi = false;                     ///< write Multi* geometry types
    std::vector<OutField> fields;
    std::vector<OutFeature> features;
};

enum class OutputFormat { gpkg, geojson };

/// Guesses the format from the path: "*.gpkg" -> gpkg, "*.geojson" or a folder -> geojson.
OutputFormat output_format_for(const std::string& path);

struct WriteOptions {
    bool overwrite = false; ///< replace an existing output; otherwise an existing output is an output_error
};

/// Writes `layers` (geometries in `crs`) to `path`. For gpkg, `path` is the
/// .gpkg file; for geojson, a folder that receives one <layer>.geojson per layer
/// (reprojected to WGS84). Throws output_error naming the path on failure.
void write_layers(const std::string& path, OutputFormat format, const CrsRef& crs,
                  const std::vector<OutLayer>& layers, const WriteOptions& options = {});

} // namespace plan
