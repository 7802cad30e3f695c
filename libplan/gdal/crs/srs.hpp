#pragma once
// Private bridge between plan::CrsRef and GDAL's OGRSpatialReference, shared
// by the CRS module and the input layer. Not installed: GDAL types stay here.
#include <memory>
#include <string>

#include <ogr_spatialref.h>

#include "plan/crs.hpp"

namespace plan::detail {

struct SpatialReferenceRelease {
    void operator()(OGRSpatialReference* srs) const { if (srs) srs->Release(); }
};
/// An owned, reference-counted OGRSpatialReference.
using SpatialReferencePtr = std::unique_ptr<OGRSpatialReference, SpatialReferenceRelease>;

/// A new spatial reference in traditional GIS axis order (x = lon / east).
SpatialReferencePtr make_spatial_reference();

/// The spatial reference of a CrsRef in traditional GIS axis order; GCJ-02 and
/// BD-09 give their underlying WGS 84. Throws crs_error when unknown or unreadable.
SpatialReferencePtr to_spatial_reference(const CrsRef& crs);

/// A CrsRef describing an OGRSpatialReference (WKT2, name, EPSG code when one
/// can be identified, geographic or not).
CrsRef crs_from_spatial_reference(const OGRSpatialReference& srs);

/// libplan's GDAL message handler and settings, without registering the
/// drivers: all that spatial references and transformations need.
void init_gdal_crs();

/// GDAL's last error message, "" when none; for error details.
std::string last_gdal_message();

} // namespace plan::detail
