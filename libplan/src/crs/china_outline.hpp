#pragma once
// Whether a WGS 84 lon/lat lies inside libplan's coarse outline of China
// (china_outline.cpp says how coarse, and what it is for).

namespace plan::detail {

bool in_china_outline(double lon, double lat);

} // namespace plan::detail
