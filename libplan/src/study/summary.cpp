// summary.json of `plan run`: the study, the base and scenario analyses, the comparison.
#include <nlohmann/json.hpp>

#include "plan/study.hpp"

namespace plan {

namespace {
using ojson = nlohmann::ordered_json;
}

std::string analysis_json(const AnalysisResult& result) {
    ojson j = ojson::object();
    for (const char* key : {"network", "metrics", "skeleton", "landuse", "access"})
        if (const auto it = result.json.find(key); it != result.json.end()) j[key] = ojson::parse(it->second);
    return j.dump(2);
}

std::string summary_json(const StudyConfig& config, const CrsRef& crs, const std::string& base_json,
                         const std::vector<std::pair<std::string, std::string>>& scenarios,
                         const std::string& comparison_json) {
    const StudyInputs& w = config.inputs_as_written;
    const StudyInputs& r = config.inputs;
    auto pick = [](const std::string& written, const std::string& resolved) { return written.empty() ? resolved : written; };
    ojson inputs = ojson::object();
    const auto& roads = w.roads.empty() ? r.roads : w.roads;
    inputs["roads"] = roads;
    auto one = [&](const char* key, const std::string& written, const std::string& resolved) {
        const std::string v = pick(written, resolved);
        if (!v.empty()) inputs[key] = v;
    };
    one("parcels", w.parcels, r.parcels);
    one("enterprises", w.enterprises, r.enterprises);
    one("zones", w.zones, r.zones);
    one("parks", w.parks, r.parks);
    one("boundary", w.boundary, r.boundary);
    const auto& barriers = w.barriers.empty() ? r.barriers : w.barriers;
    if (!barriers.empty()) inputs["barriers"] = barriers;
    one("skeleton", w.skeleton, r.skeleton);
    if (!r.parcels.empty() && !r.enterprises.empty()) one("method", w.method, r.method);
    one("od_origins", w.od_origins, r.od_origins);
    one("od_destinations", w.od_destinations, r.od_destinations);

    ojson j;
    j["study"]["name"] = config.name;
    j["study"]["title"] = config.title;
    j["study"]["crs"] = crs.label();
    j["study"]["inputs"] = inputs;
    j["base"] = ojson::parse(base_json);
    j["scenarios"] = ojson::object();
    for (const auto& [name, text] : scenarios) j["scenarios"][name] = ojson::parse(text);
    j["comparison"] = ojson::parse(comparison_json);
    return j.dump(2) + "\n";
}

std::vector<OutLayer> prefixed_layers(const std::string& prefix, std::vector<OutLayer> layers) {
    for (auto& l : layers) l.name = prefix + "__" + l.name;
    return layers;
}

} // namespace plan
