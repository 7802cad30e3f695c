#pragma once
// Mean, median, p90, ratio of sums and histogram of circuity ratios: one
// summary for node pairs and for a user's OD pairs.
#include <vector>

#include "plan/metrics.hpp"

namespace plan {
void summarise_circuity(std::vector<double> ratios, double sum_net, double sum_straight, CircuityResult& result);
} // namespace plan
