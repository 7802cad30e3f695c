// The skeleton spec file (TOML): [grid], [matching] and one [[line]] per
// planned trunk road. Every mistake names the file, the line and the key.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "plan/error.hpp"
#include "plan/skeleton.hpp"

namespace plan {
namespace {

std::optional<std::int64_t> line_of(const toml::node& n) {
    const auto& src = n.source();
    if (src.begin.line == 0) return std::nullopt;
    return static_cast<std::int64_t>(src.begin.line);
}

class Reader {
public:
    explicit Reader(std::string path) : path_(std::move(path)) {}

    [[noreturn]] void fail(const std::string& message, const toml::node& at, const std::string& key,
                           const std::string& hint = {}) const {
        throw config_error(message, {path_, {}, {}, line_of(at), key}, hint);
    }

    std::string text(const toml::node& n, const std::string& key) const {
        const auto v = n.value<std::string>();
        if (!v) fail(fmt::format("'{}' must be text", key), n, key);
        return *v;
    }

    double number(const toml::node& n, const std::string& key) const {
        const auto v = n.value<double>();
        if (!v || !(*v >= 0.0)) fail(fmt::format("'{}' must be a number >= 0 (metres)", key), n, key);
        return *v;
    }

    std::vector<std::string> texts(const toml::node& n, const std::string& key) const {
        const auto* arr = n.as_array();
        if (!arr) {
            if (n.is_string()) return {text(n, key)};
            fail(fmt::format("'{}' must be a list of road names", key), n, key);
        }
        std::vector<std::string> out;
        for (const auto& item : *arr) out.push_back(text(item, key));
        return out;
    }

    std::vector<std::int64_t> integers(const toml::node& n, const std::string& key) const {
        const auto* arr = n.as_array();
        if (!arr) fail(fmt::format("'{}' must be a list of feature ids", key), n, key);
        std::vector<std::int64_t> out;
        for (const auto& item : *arr) {
            const auto v = item.value<std::int64_t>();
            if (!v || !item.is_integer()) fail(fmt::format("'{}' must hold integers only", key), item, key);
            out.push_back(*v);
        }
        return out;
    }

    void read_grid(const toml::table& t, SkeletonSpec& spec) const {
        for (const auto& [k, node] : t) {
            const std::string key(k.str());
            if (key == "spacing_min_m") spec.spacing_min_m = number(node, key);
            else if (key == "spacing_max_m") spec.spacing_max_m = number(node, key);
            else if (key == "coverage_m") spec.coverage_m = number(node, key);
            else fail(fmt::format("unknown key '{}' in [grid]", key), node, key,
                      "[grid] knows spacing_min_m, spacing_max_m, coverage_m");
        }
        if (spec.spacing_max_m > 0 && spec.spacing_min_m > spec.spacing_max_m)
            fail("spacing_min_m is larger than spacing_max_m", t, "spacing_min_m");
    }

    void read_matching(const toml::table& t, SkeletonSpec& spec) const {
        for (const auto& [k, node] : t) {
            const std::string key(k.str());
            if (key == "centreline_buffer_m") spec.centreline_buffer_m = number(node, key);
            else if (key == "carriageway_pair_m") spec.carriageway_pair_m = number(node, key);
            else if (key == "far_piece_m") spec.far_piece_m = number(node, key);
            else if (key == "junction_tolerance_m") spec.junction_tolerance_m = number(node, key);
            else if (key == "min_gap_m") spec.min_gap_m = number(node, key);
            else fail(fmt::format("unknown key '{}' in [matching]", key), node, key,
                      "[matching] knows centreline_buffer_m, carriageway_pair_m, far_piece_m, junction_tolerance_m, "
                      "min_gap_m");
        }
    }

    CentrelineRef read_centreline(const toml::node& n, bool is_default = false) const {
        const auto* t = n.as_table();
        if (!t) fail("'centreline' must be a table { file = ..., layer = ..., field = ..., value = ... }", n, "centreline");
        CentrelineRef c;
        for (const auto& [k, node] : *t) {
            const std::string key(k.str());
            if (key == "file") c.file = text(node, key);
            else if (key == "layer") c.layer = text(node, key);
            else if (key == "field") c.field = text(node, key);
            else if (key == "value") {
                if (const auto i = node.value<std::int64_t>(); i && node.is_integer()) c.value = std::to_string(*i);
                else c.value = text(node, key);
            } else fail(fmt::format("unknown key '{}' in centreline", key), node, key,
                        is_default ? "[centrelines] knows file, layer, field" : "a centreline knows file, layer, field, value");
        }
        if (c.file.empty()) fail("centreline names no file", n, "file");
        if (is_default && !c.value.empty()) fail("[centrelines] takes no value: each line's id picks its feature", n, "value");
        if (!is_default && c.value.empty()) fail("centreline names no value (the feature to take)", n, "value");
        const std::filesystem::path p(c.file);
        if (p.is_relative() && !path_.empty())
            c.file = (std::filesystem::path(path_).parent_path() / p).lexically_normal().string();
        return c;
    }

    SkeletonLineSpec read_line(const toml::table& t, const std::optional<CentrelineRef>& default_centreline) const {
        SkeletonLineSpec l;
        l.spec_line = line_of(t).value_or(0);
        bool have_orientation = false;
        std::vector<std::string> aliases; // after the roads, whatever the key order
        for (const auto& [k, node] : t) {
            const std::string key(k.str());
            if (key == "id") l.id = text(node, key);
            else if (key == "orientation") {
                std::string o = text(node, key);
                for (auto& ch : o)
                    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
                if (o == "ew" || o == "横" || o == "east-west") l.orientation = Orientation::ew;
                else if (o == "ns" || o == "纵" || o == "north-south") l.orientation = Orientation::ns;
                else fail(fmt::format("orientation '{}' is not ew or ns", o), node, key);
                have_orientation = true;
            } else if (key == "name") l.display_name = text(node, key);
            else if (key == "roads") l.roads = texts(node, key);
            else if (key == "aliases") aliases = texts(node, key); else if (key == "source_fids") l.source_fids = integers(node, key);
            else if (key == "centreline") l.centreline = read_centreline(node);
            else if (key == "target_class") {
                const std::string c = text(node, key);
                const auto rc = road_class_from_text(c);
                if (!rc) fail(fmt::format("target_class '{}' is not a road class", c), node, key,
                              "use expressway, arterial, collector, local (or 快速路, 主干路, 次干路, 支路)");
                l.target_class = *rc;
            } else fail(fmt::format("unknown key '{}' in [[line]]", key), node, key,
                        "[[line]] knows id, orientation, name, roads, aliases, source_fids, centreline, target_class");
        }
        if (l.id.empty()) fail("a [[line]] has no id", t, "id");
        if (!l.centreline && default_centreline) {
            l.centreline = default_centreline;
            l.centreline->value = l.id;
        }
        if (!have_orientation) fail(fmt::format("line {} has no orientation (ew or ns)", l.id), t, "orientation");
        if (l.display_name.empty()) l.display_name = l.roads.empty() ? l.id : l.roads.front();
        if (l.roads.empty() && t.contains("name")) l.roads.push_back(l.display_name);
        l.roads.insert(l.roads.end(), aliases.begin(), aliases.end());
        if (l.roads.empty() && l.source_fids.empty() && !l.centreline)
            fail(fmt::format("line {} names no road, source feature or centreline", l.id), t, "roads");
        return l;
    }

    SkeletonSpec read(const toml::table& doc) const {
        SkeletonSpec spec;
        spec.path = path_;
        std::map<std::string, std::int64_t> seen;
        std::optional<CentrelineRef> default_centreline;
        if (const auto* node = doc.get("centrelines")) default_centreline = read_centreline(*node, true);
        for (const auto& [k, node] : doc) {
            const std::string key(k.str());
            if (key == "centrelines") continue;
            if (key == "name") spec.name = text(node, key);
            else if (key == "grid" || key == "matching") {
                const auto* t = node.as_table();
                if (!t) fail(fmt::format("'{}' must be a table", key), node, key);
                key == "grid" ? read_grid(*t, spec) : read_matching(*t, spec);
            } else if (key == "line") {
                const auto* arr = node.as_array();
                if (!arr) fail("'line' must be an array of tables: write [[line]]", node, key);
                for (const auto& item : *arr) {
                    const auto* t = item.as_table();
                    if (!t) fail("each [[line]] must be a table", item, key);
                    SkeletonLineSpec l = read_line(*t, default_centreline);
                    if (auto it = seen.find(l.id); it != seen.end())
                        fail(fmt::format("duplicate line id '{}' (first declared on line {})", l.id, it->second), *t, "id");
                    seen.emplace(l.id, l.spec_line);
                    spec.lines.push_back(std::move(l));
                }
            } else fail(fmt::format("unknown key '{}' in skeleton spec", key), node, key,
                        "the spec knows name, [grid], [matching], [centrelines] and [[line]]");
        }
        if (spec.lines.empty())
            throw config_error("the skeleton spec declares no [[line]]", {path_, {}, {}, {}, "line"});
        return spec;
    }

private:
    std::string path_;
};

} // namespace

const char* to_string(Orientation o) { return o == Orientation::ew ? "ew" : "ns"; }

SkeletonSpec SkeletonSpec::parse(const std::string& text, const std::string& path) {
    toml::table doc;
    try {
        doc = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw config_error(fmt::format("skeleton spec is not valid TOML: {}", e.description()),
                           {path, {}, {}, static_cast<std::int64_t>(e.source().begin.line), {}});
    }
    return Reader(path).read(doc);
}

SkeletonSpec SkeletonSpec::from_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config_error("cannot open the skeleton spec", {path, {}, {}, {}, {}}, "check the --spec path");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), path);
}

} // namespace plan
