#pragma once
// The state of one land-efficiency run shared by its stages: evaluate.cpp
// (joining, land, units, scope groups, scoring) and aggregate.cpp (aggregates
// per park, zone, industry and land use, and the low-efficiency list).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "landuse/scoring.hpp"
#include "plan/landuse.hpp"

namespace plan::landuse::detail {

struct ParcelInfo {
    std::string id;
    bool usable = false;   ///< valid, non-zero area, first of its id
    double mu = 0.0;
    std::vector<std::size_t> rows; ///< enterprise rows joined to it
};

struct Row {
    std::int64_t row = 0;
    std::string id, name, industry, parcel_text;
    int parcel = -1;
    std::optional<double> table_mu;
    bool joined = false;   ///< passed id and parcel checks and has a land source
    std::string exclusion; ///< reason code when not joined
    int unit = -1;
};

struct Unit {
    std::string id;
    std::vector<std::size_t> members; ///< row indexes, by enterprise id
    int parcel = -1;
    double land_mu = 0.0;
    std::string land_source;
    int group = -1;
    Status status = Status::excluded;
    std::string reason;
    std::string note;
    bool zombie = false;
    ScoredUnit scored;
};


/// Which parcel dimensions have regions (a layer or a parcel field).
struct RegionDims {
    bool park = false;
    bool zone = false;
};

/// Fills e.aggregates: per park and zone (when given), land-use class (when
/// parcels carry one) and industry. Needs e.parcels and e.enterprises done.
void aggregate(Evaluation& e, const Method& m, const RegionDims& regions, const std::vector<Row>& rows,
               const std::vector<Unit>& units, const std::vector<ParcelInfo>& parcels);

/// Fills e.low_efficiency (worst class and zombie units, by mu descending, then
/// unit) and marks their parcels low_efficiency.
void list_low_efficiency(Evaluation& e, const Method& m, const std::vector<Row>& rows, const std::vector<Unit>& units);

} // namespace plan::landuse::detail
