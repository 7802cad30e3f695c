#pragma once
// The last step of every read: identify the source CRS and move the geometries
// to the metric CRS of the analysis (shared by the GDAL and the OSM reader).
#include "plan/layer.hpp"
#include "plan/source.hpp"

namespace plan::detail {

/// `declared` is the CRS the source states (unknown when none). Uses
/// options.src_crs and options.target_crs as VectorSource::read does; sets
/// out.source_crs and out.crs and transforms every geometry. Expects
/// out.source and out.name to be set (for messages).
void to_metric_crs(Layer& out, const CrsRef& declared, const ReadOptions& options);

/// The CRS GDAL's OSM driver states for its layers (WGS84, lon/lat order).
/// Written out; osm_source_crs_from_gdal() builds the same through GDAL.
CrsRef osm_source_crs();
CrsRef osm_source_crs_from_gdal();

} // namespace plan::detail
