#include "plan/metrics_json.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace plan {

namespace {

nlohmann::ordered_json access_summary(const AccessReport& a) {
    nlohmann::ordered_json j;
    j["sites"] = a.sites.size();
    std::string classes;
    for (const auto c : a.options.road_classes) classes += (classes.empty() ? "" : ",") + std::string(road_class_key(c));
    j["road_classes"] = classes;
    j["road_classes_label"] = access_classes_label(a.options.road_classes);
    j["road_class_edges"] = a.class_edges;
    j["reason"] = a.class_edges == 0
                      ? nlohmann::ordered_json(fmt::format("no road of class {} in the network: distances not computed",
                                                           access_classes_label(a.options.road_classes)))
                      : nlohmann::ordered_json(nullptr);
    j["distance_rule"] = "network distance from the site's snap point (its nearest point on a road) to the nearest "
                         "node of a road of these classes, 0 on such a road; the snap leg from the site to the road "
                         "is not included (snap_mean_m, snap_max_m)";
    j["far_m"] = a.options.far_m;
    j["far_from_road"] = a.far;
    j["unreachable_road_class"] = a.unreachable_class;
    std::vector<double> snaps;
    for (const auto& s : a.sites)
        if (s.snap.edge != kNoId) snaps.push_back(s.snap.distance_m);
    j["snap_mean_m"] = snaps.empty() ? nlohmann::ordered_json(nullptr)
                                     : nlohmann::ordered_json(std::accumulate(snaps.begin(), snaps.end(), 0.0) /
                                                              static_cast<double>(snaps.size()));
    j["snap_max_m"] = snaps.empty() ? nlohmann::ordered_json(nullptr)
                                    : nlohmann::ordered_json(*std::max_element(snaps.begin(), snaps.end()));
    std::vector<double> d;
    for (const auto& s : a.sites)
        if (s.to_road_class_m) d.push_back(*s.to_road_class_m);
    std::sort(d.begin(), d.end());
    j["to_road_class_mean_m"] =
        d.empty() ? nlohmann::ordered_json(nullptr)
                  : nlohmann::ordered_json(std::accumulate(d.begin(), d.end(), 0.0) / static_cast<double>(d.size()));
    j["to_road_class_max_m"] = d.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d.back());
    j["targets"] = a.target_names;
    // per target layer and per radius: the summary of the access layer's columns
    auto mean_of = [](const std::vector<double>& v) {
        return v.empty() ? nlohmann::ordered_json(nullptr)
                         : nlohmann::ordered_json(std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()));
    };
    nlohmann::ordered_json tj = nlohmann::ordered_json::array();
    for (std::size_t t = 0; t < a.target_names.size(); ++t) {
        std::vector<double> v;
        std::size_t unreachable = 0;
        for (const auto& s : a.sites) {
            if (s.snap.edge == kNoId) continue;
            if (t < s.to_target_m.size() && s.to_target_m[t]) v.push_back(*s.to_target_m[t]);
            else ++unreachable;
        }
        nlohmann::ordered_json one;
        one["name"] = a.target_names[t];
        one["reachable"] = v.size();
        one["unreachable"] = unreachable;
        one["mean_m"] = mean_of(v);
        one["max_m"] = v.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(*std::max_element(v.begin(), v.end()));
        tj.push_back(std::move(one));
    }
    j["to_targets"] = tj;
    nlohmann::ordered_json wj = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < a.options.radii.size(); ++k) {
        std::vector<double> road, others;
        for (const auto& s : a.sites) {
            if (s.snap.edge == kNoId || k >= s.road_m_within.size()) continue;
            road.push_back(s.road_m_within[k] / 1000.0);
            others.push_back(static_cast<double>(s.sites_within[k]));
        }
        nlohmann::ordered_json one;
        one["radius_m"] = a.options.radii[k];
        one["sites"] = road.size();
        one["road_km_mean"] = mean_of(road);
        one["road_km_min"] = road.empty() ? nlohmann::ordered_json(nullptr)
                                          : nlohmann::ordered_json(*std::min_element(road.begin(), road.end()));
        one["sites_mean"] = mean_of(others);
        wj.push_back(std::move(one));
    }
    j["within"] = wj;
    // to the skeleton (null when none is declared): nearest-rank quantiles, as od_circuity's
    if (!a.options.skeleton_edges) {
        j["to_skeleton"] = nullptr;
        return j;
    }
    std::vector<double> k;
    for (const auto& s : a.sites)
        if (s.to_skeleton_m) k.push_back(*s.to_skeleton_m);
    std::sort(k.begin(), k.end());
    auto q = [&](double p) {
        return k.empty() ? nlohmann::ordered_json(nullptr)
                         : nlohmann::ordered_json(k[std::min(k.size() - 1, static_cast<std::size_t>(
                                                                               p * static_cast<double>(k.size() - 1) + 0.5))]);
    };
    nlohmann::ordered_json sk;
    sk["skeleton"] = a.options.skeleton_name;
    sk["skeleton_edges"] = a.options.skeleton_edges->size();
    sk["reachable"] = k.size();
    sk["unreachable"] = a.unreachable_skeleton;
    sk["mean_m"] = k.empty() ? nlohmann::ordered_json(nullptr)
                             : nlohmann::ordered_json(std::accumulate(k.begin(), k.end(), 0.0) / static_cast<double>(k.size()));
    sk["median_m"] = q(0.5);
    sk["p90_m"] = q(0.9);
    sk["max_m"] = k.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(k.back());
    j["to_skeleton"] = sk;
    return j;
}

} // namespace

std::string access_classes_label(const std::vector<RoadClass>& classes) {
    const bool trunk = classes.size() == 2 &&
                       std::find(classes.begin(), classes.end(), RoadClass::expressway) != classes.end() &&
                       std::find(classes.begin(), classes.end(), RoadClass::arterial) != classes.end();
    if (trunk) return "干线 trunk (快速路 expressway + 主干路 arterial)";
    std::string zh, en;
    for (const auto c : classes) {
        zh += (zh.empty() ? "" : "+") + std::string(road_class_label(c));
        en += (en.empty() ? "" : ", ") + std::string(road_class_key(c));
    }
    return zh + " (" + en + ")";
}

std::string access_summary_json(const AccessReport& report) { return access_summary(report).dump(2); }

std::string metrics_json(const MetricsReport& report, const ZoneReport* zones, const OdLayerCircuity* od,
                         const AccessReport* access) {
    std::string text = to_json(report);
    if (!zones && !od && !access) return text;
    auto j = nlohmann::ordered_json::parse(text);
    if (zones) j["zones"] = nlohmann::ordered_json::parse(to_json(*zones));
    if (od) j["od_layer_circuity"] = nlohmann::ordered_json::parse(to_json(*od));
    if (access) j["access"] = access_summary(*access);
    return j.dump(2);
}

} // namespace plan
