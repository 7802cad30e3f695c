#pragma once
// The sample city's enterprise table (亩均论英雄 input): one row per
// enterprise on an industrial parcel, with planted anomalies.
#include <optional>
#include <string>
#include <vector>

#include "plan/geometry.hpp"
#include "samplecity/random.hpp"

namespace plan::samplecity {

/// What the enterprise generator needs to know about a parcel.
struct ParcelFacts {
    std::string id;
    std::string use;
    std::string park;
    bool oldtown = false;
    double area_m2 = 0.0;
    Point centroid;
};

struct Enterprise {
    std::string id, name, parcel_id, industry, scale;
    std::optional<double> tax, revenue, value_added, employees, energy_tce, emissions, rd_spending, land_mu,
        electricity_mwh;
    int founded = 2000;
    int accident = 0;
};

/// A planted anomaly in the table, for tests and the README.
struct EnterprisePlant {
    std::string kind; ///< zombie, missing_value, unknown_parcel, negative_value, duplicate_id, land_mismatch, shared_parcel, vacant_parcel
    std::string enterprise_id;
    int row = 0;      ///< 1-based data row in the CSV (header excluded); 0 when not a row
    std::string parcel_id;
    std::string field;
    std::string note;
};

struct Relocation {
    std::string enterprise_id, enterprise_name, from_parcel, to_parcel;
    Point from, to;
};

struct EnterpriseTable {
    std::vector<Enterprise> rows;
    std::vector<EnterprisePlant> plants;
    std::vector<Relocation> relocations;
};

EnterpriseTable make_enterprises(const std::vector<ParcelFacts>& parcels, Rng rng);

} // namespace plan::samplecity
