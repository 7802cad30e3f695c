#pragma once
#include <string>

namespace plan::detail {

/// Counts a GDAL warning when a GdalWarningSummary is active (true), else
/// returns false and the caller prints it.
bool collect_warning(const std::string& text);

} // namespace plan::detail
