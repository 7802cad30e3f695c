#pragma once
// JSON blocks shared by the study-level and the per-zone reports, so a key
// means the same in both.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "plan/metrics.hpp"

namespace plan {
nlohmann::ordered_json indices_json(const ConnectivityIndices& indices, double consolidate_tolerance);
nlohmann::ordered_json circuity_json(const CircuityResult& circuity);
nlohmann::ordered_json densities_json(const Densities& densities, const std::string& area_type);
} // namespace plan
