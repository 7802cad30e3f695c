#pragma once
// The one place densities are added up, for the study area and for each zone:
// the caller says how much of each edge lies inside and which nodes count.
#include <cstdint>
#include <vector>

#include "plan/metrics.hpp"

namespace plan {

struct DensityInputs {
    std::vector<double> length_m;      ///< per edge id: metres inside
    std::vector<char> node_in;         ///< per node id: counted here
    std::vector<char> junction_here;   ///< per node id: its consolidated junction is counted here
    bool classified = true;            ///< has_classified_roads of the whole network
};

/// Whether any live edge has a class other than `other`. Without one (a layer
/// with no class field) class targets cannot be judged: they say so instead of FAIL.
bool has_classified_roads(const Network& network);

/// The consolidated junction of each node (kNoId when not an intersection);
/// empty when the network has no intersection.
std::vector<std::uint32_t> intersection_junctions(const Network& network, const MetricsOptions& options);

Densities tally_densities(const Network& network, const StudyArea& area, const DensityInputs& in,
                          const std::vector<double>& centreline_weights, const MetricsOptions& options);

} // namespace plan
