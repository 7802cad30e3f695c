#pragma once
// The CRSs libplan chooses by itself (WGS 84, CGCS2000 3-degree Gauss-Krüger
// EPSG:4534-4554, WGS 84 UTM EPSG:32601-32660 / 32701-32760), built without
// GDAL and, from the table generated at build time, without PROJ. Private to libplan (and its tests).
#include "plan/crs.hpp"

namespace plan::detail {

/// The hint of a CRS error: the forms a CRS can be given in.
extern const char* const kCrsHint;

/// Whether `epsg` is one of them.
bool built_with_proj(int epsg);
/// From the generated table.
CrsRef crs_from_epsg_builtin(int epsg);

} // namespace plan::detail
