// Road classes from source attributes, the class filter and the noding names.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "plan/error.hpp"
#include "plan/network_build.hpp"

namespace plan {

const char* to_string(Noding n) {
    switch (n) {
    case Noding::vertices: return "vertices";
    case Noding::crossings: return "crossings";
    default: return "auto";
    }
}

Noding noding_from_text(const std::string& text) {
    if (text == "auto" || text == "automatic") return Noding::automatic;
    if (text == "vertices") return Noding::vertices;
    if (text == "crossings") return Noding::crossings;
    throw usage_error(fmt::format("unknown noding mode '{}'", text), {}, "use one of: auto, vertices, crossings");
}

ClassMapping ClassMapping::defaults() {
    ClassMapping m;
    m.fields = {"highway", "fclass", "等级", "道路等级", "road_class", "roadclass", "class"};
    using R = RoadClass;
    const std::pair<const char*, R> table[] = {
        // OSM highway and Geofabrik fclass (the same words)
        {"motorway", R::expressway}, {"trunk", R::expressway},
        {"primary", R::arterial}, {"secondary", R::collector},
        {"tertiary", R::local}, {"unclassified", R::local}, {"residential", R::local},
        {"living_street", R::local}, {"road", R::local},
        {"motorway_link", R::ramp}, {"trunk_link", R::ramp}, {"primary_link", R::ramp},
        {"secondary_link", R::ramp}, {"tertiary_link", R::ramp},
        {"service", R::other}, {"track", R::other}, {"track_grade1", R::other}, {"track_grade2", R::other},
        {"track_grade3", R::other}, {"track_grade4", R::other}, {"track_grade5", R::other},
        {"footway", R::other}, {"path", R::other}, {"cycleway", R::other}, {"pedestrian", R::other},
        {"steps", R::other}, {"bridleway", R::other}, {"corridor", R::other}, {"construction", R::other},
        {"proposed", R::other}, {"busway", R::other}, {"bus_guideway", R::other}, {"raceway", R::other},
        {"escape", R::other}, {"platform", R::other}, {"elevator", R::other}, {"unknown", R::other},
        {"abandoned", R::other}, {"disused", R::other}, {"rest_area", R::other}, {"services", R::other},
        // Chinese grade fields
        {"快速路", R::expressway}, {"高速公路", R::expressway}, {"高速", R::expressway}, {"城市快速路", R::expressway},
        {"主干路", R::arterial}, {"主干道", R::arterial}, {"城市主干路", R::arterial},
        {"次干路", R::collector}, {"次干道", R::collector}, {"城市次干路", R::collector},
        {"支路", R::local}, {"城市支路", R::local}, {"匝道", R::ramp}, {"辅路", R::side_road},
        {"其他", R::other}, {"其它", R::other},
    };
    for (const auto& [v, c] : table) m.values.emplace(v, c);
    m.side_road_suffixes = {"辅路", "辅道"};
    m.ramp_suffixes = {"匝道"};
    return m;
}

namespace {
std::optional<std::int64_t> line_of(const toml::node& n) {
    const auto& src = n.source();
    if (src.begin.line == 0) return std::nullopt;
    return static_cast<std::int64_t>(src.begin.line);
}

std::vector<std::string> string_list(const toml::node& n, const std::string& path, const char* key) {
    std::vector<std::string> out;
    const auto* arr = n.as_array();
    if (!arr) throw config_error(fmt::format("'{}' must be a list of strings", key), {path, {}, {}, line_of(n), key});
    for (const auto& item : *arr) {
        const auto s = item.value<std::string>();
        if (!s) throw config_error(fmt::format("'{}' must hold strings only", key), {path, {}, {}, line_of(item), key});
        out.push_back(*s);
    }
    return out;
}
} // namespace

ClassMapping ClassMapping::from_toml(const std::string& path) {
    toml::table doc;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw config_error(std::filesystem::exists(path, ec) ? "the class mapping is not a file" : "no such file", {path});
    try {
        doc = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw config_error(fmt::format("class mapping is not valid TOML: {}", e.description()),
                           {path, {}, {}, static_cast<std::int64_t>(e.source().begin.line), {}});
    }
    ClassMapping m = defaults();
    if (auto r = doc["replace"].value<bool>(); r && *r) {
        m.fields.clear();
        m.values.clear();
    }
    m.origin = path;
    for (auto&& [k, node] : doc) {
        const std::string key(k.str());
        if (key == "replace") continue;
        if (key == "fields") {
            m.fields = string_list(node, path, "fields");
            m.fields_required = true;
        } else if (key == "side_road_suffixes") {
            m.side_road_suffixes = string_list(node, path, "side_road_suffixes");
        } else if (key == "ramp_suffixes") {
            m.ramp_suffixes = string_list(node, path, "ramp_suffixes");
        } else if (key == "values") {
            const auto* tbl = node.as_table();
            if (!tbl) throw config_error("'values' must be a table of value = \"class\"", {path, {}, {}, line_of(node), "values"});
            for (auto&& [vk, vn] : *tbl) {
                const auto cls = vn.value<std::string>();
                std::optional<RoadClass> rc = cls ? road_class_from_text(*cls) : std::nullopt;
                if (!rc)
                    throw config_error(fmt::format("[values] '{}' maps to unknown road class '{}'", vk.str(), cls ? *cls : "(not a string)"),
                                       {path, {}, {}, line_of(vn), "values"},
                                       "classes: expressway/快速路, arterial/主干路, collector/次干路, local/支路, ramp/匝道, side_road/辅路, other/其他");
                m.values[std::string(vk.str())] = *rc;
            }
        } else {
            throw config_error(fmt::format("unknown key '{}' in class mapping", key), {path, {}, {}, line_of(node), key},
                               "known keys: replace, fields, values, side_road_suffixes, ramp_suffixes");
        }
    }
    if (m.fields.empty()) throw config_error("class mapping names no field", {path, {}, {}, {}, "fields"});
    return m;
}

ClassFilter ClassFilter::parse(const std::string& text) {
    ClassFilter f;
    if (text == "all") {
        f.all = true;
        return f;
    }
    f.classes.clear();
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) {
            if (item == "public") {
                ClassFilter d;
                f.classes.insert(d.classes.begin(), d.classes.end());
            } else {
                auto c = road_class_from_text(item);
                if (!c)
                    throw usage_error(fmt::format("--classes: unknown road class '{}'", item), {},
                                      "use 'all', 'public', or a comma list of: expressway, arterial, collector, local, ramp, "
                                      "side_road, other (or 快速路, 主干路, 次干路, 支路, 匝道, 辅路, 其他)");
                f.classes.insert(*c);
            }
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (f.classes.empty()) throw usage_error("--classes names no road class");
    return f;
}

} // namespace plan
