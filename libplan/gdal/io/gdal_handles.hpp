#pragma once
// Owners for GDAL's C/C++ handles, and the conversion of OGR geometries into
// libplan's own types. Private to libplan.
#include <memory>
#include <string>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "plan/geometry.hpp"

namespace plan::detail {

struct FeatureDeleter {
    void operator()(OGRFeature* f) const noexcept { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

struct SpatialRefReleaser {
    void operator()(OGRSpatialReference* s) const noexcept {
        if (s) s->Release();
    }
};
using SpatialRefPtr = std::unique_ptr<OGRSpatialReference, SpatialRefReleaser>;

/// The last GDAL error message, or a fallback when GDAL gave none.
std::string last_gdal_error(const std::string& fallback = "unknown GDAL error");

/// Counts of what a conversion dropped.
struct ConversionNotes {
    bool had_z_or_m = false;
    bool non_finite = false; ///< NaN or infinite coordinate found: the geometry is unusable
};

/// Appends the parts of `g` to `out` (points, lines, polygons; curves are
/// linearised; collections flattened). Z and M are dropped.
void append_geometry(const OGRGeometry& g, Geometry& out, ConversionNotes& notes);

/// Builds an OGR geometry from ours (for writing). `kind` and `multi` pick the type.
std::unique_ptr<OGRGeometry> to_ogr(const Geometry& g, GeometryKind kind, bool multi);

} // namespace plan::detail
