#include "network/attributes.hpp"

#include <algorithm>
#include <charconv>

namespace plan::netdetail {

namespace {
int first_field(const Layer& layer, const std::vector<std::string>& names) {
    for (const auto& n : names)
        if (int i = layer.field_index(n); i >= 0) return i;
    return -1;
}

std::string trim(std::string s) {
    s.erase(0, s.find_first_not_of(" \t\r\n"));
    s.erase(s.find_last_not_of(" \t\r\n") + 1);
    return s;
}

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return !suffix.empty() && s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// OSM yes/no, Geofabrik T/F, and anything else non-empty and not "no" as yes.
bool flag(const std::string& raw) {
    const std::string v = lower(raw);
    return !(v.empty() || v == "no" || v == "false" || v == "0" || v == "f" || v == "n");
}
} // namespace

std::string osm_tag(std::string_view tags, std::string_view key) {
    // Format: "k1"=>"v1","k2"=>"v2" with \" escapes inside values.
    std::string needle = "\"";
    needle.append(key);
    needle += "\"=>\"";
    std::size_t pos = 0;
    while ((pos = tags.find(needle, pos)) != std::string_view::npos) {
        if (pos == 0 || tags[pos - 1] == ',') {
            std::string out;
            for (std::size_t i = pos + needle.size(); i < tags.size(); ++i) {
                if (tags[i] == '\\' && i + 1 < tags.size()) { out += tags[++i]; continue; }
                if (tags[i] == '"') break;
                out += tags[i];
            }
            return out;
        }
        pos += needle.size();
    }
    return {};
}

AttributeReader::AttributeReader(const Layer& layer, const BuildOptions& options) : layer_(layer), options_(options) {
    class_field_ = first_field(layer, options.mapping.fields);
    const auto& f = options.fields;
    name_ = first_field(layer, f.name);
    bridge_ = first_field(layer, f.bridge);
    tunnel_ = first_field(layer, f.tunnel);
    layer_field_ = first_field(layer, f.layer);
    oneway_ = first_field(layer, f.oneway);
    other_tags_ = f.other_tags.empty() ? -1 : layer.field_index(f.other_tags);
    // GDAL's OSM multipolygons layer keeps `highway` among other_tags.
    if (class_field_ < 0 && other_tags_ >= 0 && !options.mapping.fields.empty()) class_tag_ = options.mapping.fields.front();
}

std::string AttributeReader::text(const Feature& f, int field, const std::vector<std::string>& tag_names) const {
    if (field >= 0 && static_cast<std::size_t>(field) < f.values.size()) return trim(to_text(f.values[field]));
    if (other_tags_ >= 0 && static_cast<std::size_t>(other_tags_) < f.values.size() && !tag_names.empty()) {
        const auto* tags = std::get_if<std::string>(&f.values[other_tags_]);
        if (tags) return trim(osm_tag(*tags, tag_names.front()));
    }
    return {};
}

std::string AttributeReader::class_value(const Feature& f) const {
    if (class_field_ < 0) return class_tag_.empty() ? std::string() : text(f, -1, {class_tag_});
    if (static_cast<std::size_t>(class_field_) >= f.values.size()) return {};
    return trim(to_text(f.values[class_field_]));
}

RoadClass AttributeReader::classify(const std::string& value, const std::string& name, bool& known) const {
    const auto& m = options_.mapping;
    known = true;
    RoadClass c = RoadClass::other;
    if (auto it = m.values.find(value); it != m.values.end()) c = it->second;
    else if (auto it2 = m.values.find(lower(value)); it2 != m.values.end()) c = it2->second;
    else if (ends_with(lower(value), "_link")) c = RoadClass::ramp;
    else known = false;
    for (const auto& s : m.ramp_suffixes)
        if (ends_with(name, s)) return RoadClass::ramp;
    if (c != RoadClass::ramp)
        for (const auto& s : m.side_road_suffixes)
            if (ends_with(name, s)) return RoadClass::side_road;
    return c;
}

EdgeAttributes AttributeReader::attributes(const Feature& f, const std::string& class_value, RoadClass road_class) const {
    EdgeAttributes a;
    a.road_class = road_class;
    a.source_class = class_value;
    a.name = name_ >= 0 ? text(f, name_, {}) : text(f, -1, {"name"});
    const auto& fl = options_.fields;
    a.bridge = flag(text(f, bridge_, fl.bridge));
    a.tunnel = flag(text(f, tunnel_, fl.tunnel));
    const std::string layer_text = text(f, layer_field_, fl.layer);
    int level = 0;
    bool has_level = false;
    if (!layer_text.empty()) {
        const char* b = layer_text.data();
        if (*b == '+') ++b;
        auto [p, ec] = std::from_chars(b, layer_text.data() + layer_text.size(), level);
        has_level = ec == std::errc() && p == layer_text.data() + layer_text.size();
        if (!has_level) {
            // "1.0" from a real field
            try { level = static_cast<int>(std::stod(layer_text)); has_level = true; } catch (...) { has_level = false; }
        }
    }
    a.level = has_level ? level : a.bridge ? 1 : a.tunnel ? -1 : 0;
    const std::string ow = lower(text(f, oneway_, fl.oneway));
    if (ow == "yes" || ow == "true" || ow == "1" || ow == "f") a.oneway = Oneway::forward;
    else if (ow == "-1" || ow == "reverse" || ow == "t") a.oneway = Oneway::backward;
    else a.oneway = Oneway::both;
    return a;
}

} // namespace plan::netdetail
