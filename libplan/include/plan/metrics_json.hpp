#pragma once
// The JSON object `plan metrics --json` prints: the study-level report plus,
// when computed, the zones, the OD-layer circuity and the accessibility summary
// (in that key order, after the report's own keys). Shared by `plan metrics`
// and `plan run`.
#include <string>
#include <vector>

#include "plan/accessibility.hpp"
#include "plan/metrics.hpp"
#include "plan/zones.hpp"

namespace plan {

/// The classes of --access-class in words that name the Chinese classes:
/// "主干路 (arterial)", "干线 trunk (快速路 expressway + 主干路 arterial)", "次干路+支路 (collector, local)".
std::string access_classes_label(const std::vector<RoadClass>& classes);

/// The accessibility summary (sites, road classes, far, unreachable, mean and
/// max distance to the road class, target names), as JSON text.
std::string access_summary_json(const AccessReport& report);

/// `plan metrics --json`: to_json(report) with "zones", "od_layer_circuity"
/// and "access" appended for those given (null = not computed).
std::string metrics_json(const MetricsReport& report, const ZoneReport* zones, const OdLayerCircuity* od,
                         const AccessReport* access);

} // namespace plan
