#pragma once
// Matching one skeleton line to the network and measuring it.
#include <optional>
#include <vector>

#include "plan/skeleton.hpp"
#include "polyline.hpp"

namespace plan::skeleton_detail {

/// One line's matching and measurement; `centreline` is already in the
/// network's CRS and runs along the line's direction (west->east, south->north).
SkeletonLineResult match_line(const Network& network, const SkeletonSpec& spec, const SkeletonLineSpec& line,
                              const std::optional<LineString>& centreline, const std::vector<BarrierLayer>& barriers);

/// Reads a line's planned centreline in the network's CRS, oriented along the line.
LineString read_centreline(const CentrelineRef& ref, const SkeletonLineSpec& line, const CrsRef& crs);

} // namespace plan::skeleton_detail
