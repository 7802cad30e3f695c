// Road-density targets: the DOMAIN.md defaults by area type, or a TOML file.
#include <cctype>
#include <cmath>
#include <utility>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "plan/error.hpp"
#include "plan/metrics.hpp"

namespace plan {

std::vector<DensityTarget> default_targets(const std::string& area_type) {
    std::vector<DensityTarget> t;
    if (area_type == "built-up")
        t.push_back({"overall", "2016 national guidance 窄马路、密路网: >= 8 km/km² in built-up areas", std::nullopt, 8.0,
                     std::nullopt});
    else if (area_type == "central")
        t.push_back({"overall", "GB/T 51328-2018 central districts 10-20 km/km² (clause unverified)", std::nullopt, 10.0,
                     20.0});
    else if (area_type == "residential")
        t.push_back({"overall", "GB/T 51328-2018 residential areas 8-13 km/km² (clause unverified)", std::nullopt, 8.0,
                     13.0});
    else if (area_type == "industrial")
        t.push_back({"overall",
                     "GB/T 51328-2018 industrial areas: blocks up to ~600 m, i.e. >= 2/0.6 = 3.33 km/km² (clause "
                     "unverified)",
                     std::nullopt, 2.0 / 0.6, std::nullopt});
    else
        throw usage_error(fmt::format("unknown area type '{}'", area_type), {},
                          "use built-up, central, residential or industrial");
    const char* old = "GB 50220-95 (superseded), medium city";
    t.push_back({"arterial", fmt::format("{}: 主干路 1.0-1.2 km/km²", old), RoadClass::arterial, 1.0, 1.2});
    t.push_back({"collector", fmt::format("{}: 次干路 1.2-1.4 km/km²", old), RoadClass::collector, 1.2, 1.4});
    t.push_back({"local", fmt::format("{}: 支路 3-4 km/km²", old), RoadClass::local, 3.0, 4.0});
    return t;
}

std::string target_label(const DensityTarget& t) {
    if (t.trunk) return t.key == "trunk" ? "干线 trunk (快速路+主干路)" : t.key + " (干线 trunk: 快速路+主干路)";
    if (!t.road_class) return t.key + " (all roads)";
    std::string s = fmt::format("{} ({})", road_class_label(*t.road_class), road_class_key(*t.road_class));
    if (t.key != road_class_key(*t.road_class)) s += " [" + t.key + "]";
    return s;
}

std::vector<DensityTarget> targets_from_toml(const std::string& path) {
    toml::table doc;
    try {
        doc = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        ErrorContext ctx{path};
        ctx.line = static_cast<std::int64_t>(e.source().begin.line);
        throw config_error(std::string(e.description()), ctx);
    }
    const toml::array* list = doc["target"].as_array();
    if (!list || list->empty()) throw config_error("no [[target]] table", ErrorContext{path});
    std::vector<DensityTarget> out;
    for (const auto& node : *list) {
        const toml::table* tab = node.as_table();
        ErrorContext ctx{path};
        ctx.line = static_cast<std::int64_t>(node.source().begin.line);
        if (!tab) throw config_error("a [[target]] entry is not a table", ctx);
        DensityTarget t;
        t.key = tab->get_as<std::string>("key") ? tab->get_as<std::string>("key")->get() : "";
        if (t.key.empty()) throw config_error("a target needs a key", ctx);
        if (auto l = tab->get_as<std::string>("label")) t.label = l->get();
        auto number = [&](const char* k) -> std::optional<double> {
            const toml::node* v = tab->get(k);
            if (!v) return std::nullopt;
            if (auto d = v->value<double>()) return *d;
            ctx.field = k;
            throw config_error(fmt::format("'{}' must be a number (km/km²)", k), ctx);
        };
        t.min = number("min");
        t.max = number("max");
        if (!t.min && !t.max) throw config_error(fmt::format("target '{}' has neither min nor max", t.key), ctx);
        for (const auto& [name, bound] : {std::pair{"min", t.min}, std::pair{"max", t.max}})
            if (bound && (*bound < 0 || !std::isfinite(*bound))) {
                ctx.field = name;
                throw config_error(fmt::format("target '{}': {} must be a density of 0 km/km² or more", t.key, name), ctx);
            }
        if (t.min && t.max && *t.min > *t.max)
            throw config_error(fmt::format("target '{}': min {} is above max {}", t.key, *t.min, *t.max), ctx);
        if (auto c = tab->get_as<std::string>("class")) {
            const std::string cls = c->get();
            if (cls == "干线" || cls == "trunk") t.trunk = true;
            else t.road_class = road_class_from_text(cls);
            if (!t.road_class && !t.trunk) {
                ctx.field = "class";
                ctx.line = static_cast<std::int64_t>(c->source().begin.line);
                throw config_error(fmt::format("unknown road class '{}'", c->get()), ctx);
            }
        }
        if (!t.road_class && !t.trunk) {
            // Without `class` a target judges the density of all roads: a key
            // that names a class, 干线 or another index would read as a target
            // on that and silently judge the total instead.
            std::string k;
            for (const char ch : t.key) k += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            const bool names_class = road_class_from_text(t.key).has_value();
            const bool names_trunk = k == "trunk" || k == "干线" || k.find("trunk") != std::string::npos ||
                                     k.find("arterial") != std::string::npos;
            const bool other_index = k.find("density") != std::string::npos && k != "road_density";
            if (names_class || names_trunk || other_index) {
                ctx.field = "key";
                if (const auto* k_node = tab->get("key")) ctx.line = static_cast<std::int64_t>(k_node->source().begin.line);
                throw config_error(
                    fmt::format("target '{}' has no class, so it would judge the density of all roads, not what its key "
                                "names",
                                t.key),
                    ctx,
                    names_trunk ? "for 干线 (快速路+主干路) give class = \"干线\" (or \"trunk\"); for 主干路 alone class = \"主干路\""
                                : "give class = \"...\" for a class density, or use key = \"overall\" for all roads "
                                  "(targets are road densities in km/km²)");
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace plan
