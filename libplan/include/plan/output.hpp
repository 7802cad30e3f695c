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

/// Writes `layers` into the schema `schema` of a PostgreSQL/PostGIS database
/// (`connection` = "PG:dbname=... host=..."), atomically: every table goes into
/// a temporary schema, then one transaction drops the old schema (only with
/// `overwrite`; otherwise an existing schema is an output_error) and renames
/// the temporary one. A failure drops the temporary schema. The connection
/// gets connect_timeout=10 unless it sets one (see with_connect_timeout).
void write_layers_postgis(const std::string& connection, const std::string& schema, const CrsRef& crs,
                          const std::vector<OutLayer>& layers, const WriteOptions& options = {});

/// Connects and checks that `schema` may be written (absent, or `overwrite`):
/// the same errors as write_layers_postgis, before any work is done.
void check_postgis_output(const std::string& connection, const std::string& schema, const WriteOptions& options = {});

/// "PG:..." with " connect_timeout=10" appended when it has none, so that an
/// unreachable server fails in seconds instead of hanging; other strings unchanged.
std::string with_connect_timeout(const std::string& connection);

} // namespace plan
