#pragma once
// The last step of every read: identify the source CRS and move the geometries
// to the metric CRS of the analysis (shared by the GDAL and the OSM reader).
#include <string>

#include "plan/layer.hpp"
#include "plan/source.hpp"

namespace plan::detail {

/// `declared` is the CRS the source states (unknown when none). Uses
/// options.src_crs and options.target_crs as VectorSource::read does; sets
/// out.source_crs and out.crs and transforms every geometry. Expects
/// out.source and out.name to be set (for messages).
void to_metric_crs(Layer& out, const CrsRef& declared, const ReadOptions& options);

/// The CRS GDAL's OSM driver states for its layers (WGS84, lon/lat order).
/// Written out; osm_source_crs_from_gdal() (in the GDAL module) builds the
/// same through GDAL.
CrsRef osm_source_crs();
CrsRef osm_source_crs_from_gdal();

/// The CRS of a layer's data, after --src-crs and the lon/lat fallback.
/// `declared` is what the source says (unknown when it says nothing).
CrsRef source_crs_of(const CrsRef& declared, const std::string& layer_name, const std::string& src_crs,
                     const Envelope& data_extent, const std::string& path, std::string* note);

struct MetricChoice {
    CrsRef crs;
    std::string note;
};

/// The CRS analyses use for data in `source` covering `lonlat` (--crs `target`).
MetricChoice metric_for(const CrsRef& source, const Envelope& lonlat, const std::string& target);

/// `e` (in `source`) as a lon/lat envelope.
Envelope to_lonlat(const CrsRef& source, const Envelope& e);

} // namespace plan::detail
