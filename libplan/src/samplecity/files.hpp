#pragma once
// What the sample city's text files (README.md, skeleton.toml, CSVs) are made from.
#include <optional>
#include <string>
#include <vector>

#include "plan/geometry.hpp"
#include "samplecity/enterprises.hpp"
#include "samplecity/model.hpp"

namespace plan::samplecity {

/// A planted defect as written to defects.csv (EPSG:4548 coordinates).
struct DefectRow {
    std::string id, kind;
    Point at;
    std::optional<Point> at2;
    std::string road, target;
    double measure = 0.0;
    std::vector<std::int64_t> fids;
    std::string note;
};

struct SkeletonRow {
    std::string id, name, orientation;
    std::vector<std::string> aliases;
    double planned_m = 0.0;
};

struct CityFacts {
    std::uint64_t seed = 0;
    std::int64_t roads = 0, parcels = 0, buildings = 0, enterprises = 0, zones = 0, parks = 0;
    std::vector<std::pair<std::string, std::int64_t>> land_use_counts;
    std::vector<std::pair<std::string, std::int64_t>> grade_counts;
    std::vector<DefectRow> defects;
    std::vector<SkeletonRow> skeleton;
    const EnterpriseTable* table = nullptr;
    Envelope extent;
};

std::string readme_text(const CityFacts& facts);
std::string skeleton_toml(const CityFacts& facts);
/// The study file plan.toml (docs/study.md) naming every layer of the folder.
std::string plan_toml(const CityFacts& facts);
/// The scenario files of scenarios/ (docs/scenarios.md): file name -> TOML text.
std::vector<std::pair<std::string, std::string>> scenario_tomls();
std::string csv_field(const std::string& s);
/// Converts UTF-8 text to GBK; throws processing_error on a character GBK lacks.
std::string to_gbk(const std::string& utf8);

} // namespace plan::samplecity
