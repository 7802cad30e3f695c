// Scenario files (TOML): parsing with file/line/key in every message, and the
// resolution of `extends` chains with cycle detection.
#include <algorithm>
#include <cmath>
#include <functional>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "plan/crs.hpp"
#include "plan/error.hpp"
#include "plan/scenario.hpp"
#include "plan/source.hpp"

namespace fs = std::filesystem;

namespace plan {
namespace {

std::int64_t line_of(const toml::node& n) { return static_cast<std::int64_t>(n.source().begin.line); }

/// "path|layername=x" with the path made absolute against `dir` (PG: strings kept).
std::string resolve_layer_ref(const std::string& ref, const std::string& dir) {
    if (ref.rfind("PG:", 0) == 0) return ref;
    const LayerUri uri = split_layer_uri(ref);
    fs::path p(uri.path);
    if (p.is_relative()) p = fs::path(dir) / p;
    std::string out = p.lexically_normal().string();
    if (!uri.layer.empty()) out += "|layername=" + uri.layer;
    return out;
}

class Reader {
public:
    Reader(std::string path, std::string dir) : path_(std::move(path)), dir_(std::move(dir)) {}

    [[noreturn]] void fail(const std::string& message, const toml::node& at, const std::string& key,
                           const std::string& hint = {}) const {
        throw config_error(message, {path_, {}, {}, line_of(at), key}, hint);
    }

    std::string text(const toml::node& n, const std::string& key) const {
        const auto v = n.value<std::string>();
        if (!v || !n.is_string()) fail(fmt::format("'{}' must be text", key), n, key);
        return *v;
    }
    std::vector<std::string> texts(const toml::node& n, const std::string& key) const {
        if (n.is_string()) return {text(n, key)};
        const auto* arr = n.as_array();
        if (!arr) fail(fmt::format("'{}' must be a list of text values", key), n, key);
        std::vector<std::string> out;
        for (const auto& item : *arr) {
            if (item.is_integer()) out.push_back(std::to_string(*item.value<std::int64_t>()));
            else out.push_back(text(item, key));
        }
        return out;
    }
    std::vector<std::int64_t> integers(const toml::node& n, const std::string& key) const {
        const auto* arr = n.as_array();
        if (!arr) fail(fmt::format("'{}' must be a list of feature ids (integers)", key), n, key);
        std::vector<std::int64_t> out;
        for (const auto& item : *arr) {
            if (!item.is_integer()) fail(fmt::format("'{}' must be a list of feature ids (integers)", key), item, key);
            out.push_back(*item.value<std::int64_t>());
        }
        return out;
    }
    double metres(const toml::node& n, const std::string& key) const {
        const auto v = n.value<double>();
        if (!(n.is_integer() || n.is_floating_point()) || !v || !(*v >= 0.0) || !std::isfinite(*v))
            fail(fmt::format("'{}' must be a number >= 0 (metres)", key), n, key);
        return *v;
    }
    bool boolean(const toml::node& n, const std::string& key) const {
        if (!n.is_boolean()) fail(fmt::format("'{}' must be true or false", key), n, key);
        return *n.value<bool>();
    }
    /// A layer reference: "path" or "path|layername=NAME", or, as the study's
    /// inputs, a table {path = "...", encoding = "GBK", src_crs = "EPSG:4548",
    /// where = "..."} whose read options go to `read`.
    std::string layer(const toml::node& n, const std::string& key, ReadOptions* read = nullptr) const {
        if (const auto* t = n.as_table()) {
            const toml::node* path_node = t->get("path");
            if (!path_node) fail(fmt::format("'{}' given as a table needs path = \"...\"", key), n, key);
            ReadOptions r;
            for (const auto& [k, v] : *t) {
                const std::string sub(k.str());
                if (sub == "path") continue;
                if (sub == "encoding") r.encoding = text(v, key + "." + sub);
                else if (sub == "src_crs") r.src_crs = crs(v, key + "." + sub);
                else if (sub == "where") r.where = text(v, key + "." + sub);
                else fail(fmt::format("unknown key '{}' in '{}'", sub, key), v, key + "." + sub,
                          "known keys: path, encoding, src_crs, where");
            }
            if (read) *read = r;
            return layer(*path_node, key);
        }
        const std::string t = text(n, key);
        if (t.empty()) fail(fmt::format("'{}' must name a layer: \"path\" or \"path|layername=NAME\"", key), n, key);
        return resolve_layer_ref(t, dir_);
    }
    /// A CRS to assume for an edit layer (as --src-crs): checked here so that a
    /// typo points to its line.
    std::string crs(const toml::node& n, const std::string& key) const {
        const std::string t = text(n, key);
        try {
            (void)crs_from_user(t);
        } catch (const error& e) {
            fail(fmt::format("'{}' = \"{}\" is not a CRS: {}", key, t, e.message()), n, key,
                 "give an EPSG code such as \"EPSG:4548\", or GCJ02 / BD09 for web-map coordinates");
        }
        return t;
    }
    /// The edit's own `src_crs` key, given to the layer's read options (an
    /// error when the layer's table form gives another).
    void apply_src_crs(ReadOptions& r, const std::string& src_crs, const toml::table& t, const std::string& section,
                       const std::string& layer_key) const {
        if (src_crs.empty()) return;
        const toml::node& at = *t.get("src_crs");
        if (!r.src_crs.empty() && r.src_crs != src_crs)
            fail(fmt::format("[[{}]] gives src_crs twice: \"{}\" and, in '{}', \"{}\"", section, src_crs, layer_key,
                             r.src_crs),
                 at, section + ".src_crs");
        r.src_crs = src_crs;
    }

    /// The tables of an array-of-tables key ([[add]]), each with its line.
    std::vector<const toml::table*> tables(const toml::node& n, const std::string& key) const {
        std::vector<const toml::table*> out;
        if (const auto* arr = n.as_array()) {
            for (const auto& item : *arr) {
                if (!item.is_table()) fail(fmt::format("'{}' must be written as [[{}]] tables", key, key), item, key);
                out.push_back(item.as_table());
            }
            return out;
        }
        if (const auto* t = n.as_table()) return {t};
        fail(fmt::format("'{}' must be written as [[{}]] tables", key, key), n, key);
    }

    EditOrigin origin(const toml::table& t, const std::string& key) const {
        EditOrigin o{path_, line_of(t), key, {}};
        for (const auto& [k, v] : t) o.key_lines[key + "." + std::string(k.str())] = line_of(v);
        return o;
    }

    [[noreturn]] void unknown(const std::string& key, const toml::node& at, const std::string& section,
                              const std::vector<std::string>& known) const {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        fail(fmt::format("unknown key '{}'{}", key, section.empty() ? "" : " in [[" + section + "]]"), at,
             section.empty() ? key : section + "." + key, "known keys: " + list);
    }

    void selection_key(RoadSelection& s, const std::string& k, const toml::node& v, const std::string& section) const {
        const std::string full = section + "." + k;
        if (k == "fids") s.fids = integers(v, full);
        else if (k == "names") s.names = texts(v, full);
        else if (k == "within") s.within = layer(v, full, &s.within_read);
    }

    /// `src_crs` of [[close]] / [[reclassify]]: the CRS of its `within` layer.
    void within_src_crs(RoadSelection& s, const std::string& src_crs, const toml::table& t, const std::string& section) const {
        if (src_crs.empty()) return;
        if (s.within.empty())
            fail(fmt::format("'{}.src_crs' is the CRS of the 'within' layer, and [[{}]] has none", section, section),
                 *t.get("src_crs"), section + ".src_crs");
        apply_src_crs(s.within_read, src_crs, t, section, section + ".within");
    }

    void check_selection(const RoadSelection& s, const toml::table& t, const std::string& section) const {
        if (s.fids.empty() && s.names.empty() && s.within.empty())
            fail(fmt::format("[[{}]] selects no road: give fids = [...], names = [...] or within = \"layer\"", section), t,
                 section);
    }

    ScenarioFile read(const toml::table& doc) const {
        ScenarioFile f;
        f.path = path_;
        f.dir = dir_;
        f.name = fs::path(path_).stem().string();
        for (const auto& [key_view, node] : doc) {
            const std::string key(key_view.str());
            if (key == "name") {
                f.name = text(node, key);
                if (f.name.empty() || f.name.find_first_of("/\\ ") != std::string::npos)
                    fail("'name' must be a non-empty name without spaces or slashes (it names output files)", node, key);
            } else if (key == "title") f.title = text(node, key);
            else if (key == "extends") {
                for (const auto& e : texts(node, key)) {
                    if (e.empty()) fail("'extends' names an empty scenario", node, key);
                    f.extends.push_back(e);
                }
            } else if (key == "add") {
                for (const auto* t : tables(node, key)) f.add.push_back(read_add(*t));
            } else if (key == "close") {
                for (const auto* t : tables(node, key)) {
                    CloseEdit e{origin(*t, key), {}};
                    std::string src_crs;
                    for (const auto& [k, v] : *t) {
                        const std::string kk(k.str());
                        if (kk == "fids" || kk == "names" || kk == "within") selection_key(e.select, kk, v, key);
                        else if (kk == "src_crs") src_crs = crs(v, "close.src_crs");
                        else unknown(kk, v, key, {"fids", "names", "within", "src_crs"});
                    }
                    check_selection(e.select, *t, key);
                    within_src_crs(e.select, src_crs, *t, key);
                    f.close.push_back(std::move(e));
                }
            } else if (key == "reclassify") {
                for (const auto* t : tables(node, key)) {
                    ReclassifyEdit e{origin(*t, key), {}, RoadClass::other};
                    bool has_to = false;
                    std::string src_crs;
                    for (const auto& [k, v] : *t) {
                        const std::string kk(k.str());
                        if (kk == "fids" || kk == "names" || kk == "within") selection_key(e.select, kk, v, key);
                        else if (kk == "src_crs") src_crs = crs(v, "reclassify.src_crs");
                        else if (kk == "to") {
                            const auto c = road_class_from_text(text(v, "reclassify.to"));
                            if (!c) fail("'reclassify.to' must be a road class: 快速路, 主干路, 次干路, 支路, 匝道, 辅路 "
                                         "or expressway, arterial, collector, local, ramp, side_road",
                                         v, "reclassify.to");
                            e.to = *c;
                            has_to = true;
                        } else unknown(kk, v, key, {"fids", "names", "within", "to", "src_crs"});
                    }
                    if (!has_to) fail("[[reclassify]] needs 'to' (the new road class)", *t, "reclassify.to");
                    check_selection(e.select, *t, key);
                    within_src_crs(e.select, src_crs, *t, key);
                    f.reclassify.push_back(std::move(e));
                }
            } else if (key == "rezone") {
                for (const auto* t : tables(node, key)) {
                    RezoneEdit e{origin(*t, key), {}, {}};
                    for (const auto& [k, v] : *t) {
                        const std::string kk(k.str());
                        if (kk == "parcels") e.parcels = texts(v, "rezone.parcels");
                        else if (kk == "landuse") e.landuse = text(v, "rezone.landuse");
                        else unknown(kk, v, key, {"parcels", "landuse"});
                    }
                    if (e.parcels.empty()) fail("[[rezone]] needs 'parcels' (parcel ids)", *t, "rezone.parcels");
                    if (e.landuse.empty()) fail("[[rezone]] needs 'landuse' (the new land-use class)", *t, "rezone.landuse");
                    f.rezone.push_back(std::move(e));
                }
            } else if (key == "relocate") {
                for (const auto* t : tables(node, key)) {
                    RelocateEdit e{origin(*t, key), {}, {}, {}};
                    for (const auto& [k, v] : *t) {
                        const std::string kk(k.str());
                        if (kk == "layer") {
                            e.layer = layer(v, "relocate.layer", &e.layer_read);
                            if (!e.layer_read.src_crs.empty())
                                fail("'relocate.layer' takes no src_crs: the relocation table's geometry is not used", v,
                                     "relocate.layer.src_crs");
                        }
                        else if (kk == "enterprises") e.enterprises = texts(v, "relocate.enterprises");
                        else if (kk == "to_parcel") e.to_parcel = text(v, "relocate.to_parcel");
                        else unknown(kk, v, key, {"layer", "enterprises", "to_parcel"});
                    }
                    if (e.layer.empty() == (e.enterprises.empty() && e.to_parcel.empty()))
                        fail("[[relocate]] needs either 'layer' (fields enterprise_id, from_parcel, to_parcel) or "
                             "'enterprises' with 'to_parcel'",
                             *t, key);
                    if (e.layer.empty() && (e.enterprises.empty() || e.to_parcel.empty()))
                        fail("[[relocate]] needs both 'enterprises' and 'to_parcel'", *t, key);
                    f.relocate.push_back(std::move(e));
                }
            } else if (key == "retire") {
                for (const auto* t : tables(node, key)) {
                    RetireEdit e{origin(*t, key), {}, false};
                    for (const auto& [k, v] : *t) {
                        const std::string kk(k.str());
                        if (kk == "enterprises") e.enterprises = texts(v, "retire.enterprises");
                        else if (kk == "zombies") e.zombies = boolean(v, "retire.zombies");
                        else unknown(kk, v, key, {"enterprises", "zombies"});
                    }
                    if (e.enterprises.empty() && !e.zombies)
                        fail("[[retire]] needs 'enterprises' (ids) or 'zombies = true'", *t, key);
                    f.retire.push_back(std::move(e));
                }
            } else {
                unknown(key, node, "", {"name", "title", "extends", "add", "close", "reclassify", "rezone", "relocate", "retire"});
            }
        }
        return f;
    }

    AddEdit read_add(const toml::table& t) const {
        AddEdit e;
        e.origin = origin(t, "add");
        std::string src_crs;
        for (const auto& [k, v] : t) {
            const std::string kk(k.str());
            if (kk == "layer") e.layer = layer(v, "add.layer", &e.read);
            else if (kk == "src_crs") src_crs = crs(v, "add.src_crs");
            else if (kk == "class") {
                e.road_class = text(v, "add.class");
                if (!road_class_from_text(e.road_class))
                    fail(fmt::format("'add.class' = \"{}\" is not a road class", e.road_class), v, "add.class",
                         "use 快速路, 主干路, 次干路, 支路, 匝道, 辅路 or expressway, arterial, collector, local, ramp, side_road");
            } else if (kk == "class_field") e.class_field = text(v, "add.class_field");
            else if (kk == "name_field") e.name_field = text(v, "add.name_field");
            else if (kk == "oneway_field") e.oneway_field = text(v, "add.oneway_field");
            else if (kk == "snap") e.snap = metres(v, "add.snap");
            else unknown(kk, v, "add", {"layer", "src_crs", "class", "class_field", "name_field", "oneway_field", "snap"});
        }
        if (e.layer.empty()) fail("[[add]] needs 'layer' (the new lines)", t, "add.layer");
        apply_src_crs(e.read, src_crs, t, "add", "add.layer");
        return e;
    }

private:
    std::string path_, dir_;
};

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error("cannot open the scenario file", {path, {}, {}, {}, {}});
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

ScenarioFile ScenarioFile::parse(const std::string& text, const std::string& path) {
    toml::table doc;
    try {
        doc = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw config_error(fmt::format("scenario file is not valid TOML: {}", e.description()),
                           {path, {}, {}, static_cast<std::int64_t>(e.source().begin.line), {}});
    }
    const std::string dir = fs::absolute(fs::path(path)).parent_path().string();
    Reader reader(path, dir);
    ScenarioFile f = reader.read(doc);
    // `extends`: a name (NAME.toml beside this file) or a path relative to it.
    for (auto& e : f.extends) {
        fs::path p(e);
        const bool is_path = e.find('/') != std::string::npos || e.find('\\') != std::string::npos ||
                             p.extension() == ".toml";
        if (!is_path) p = fs::path(dir) / (e + ".toml");
        else if (p.is_relative()) p = fs::path(dir) / p;
        e = p.lexically_normal().string();
    }
    return f;
}

ScenarioFile ScenarioFile::from_file(const std::string& path) { return parse(read_text(path), path); }

Scenario load_scenario(const std::string& path) {
    Scenario s;
    std::vector<std::string> stack;       // files being resolved (for cycles)
    std::set<std::string> done;
    std::function<void(const std::string&, const std::string&, std::int64_t)> visit =
        [&](const std::string& file, const std::string& from, std::int64_t from_line) {
            const std::string key = fs::weakly_canonical(fs::path(file)).string();
            if (std::find(stack.begin(), stack.end(), key) != stack.end()) {
                std::string cycle;
                bool on = false;
                for (const auto& st : stack) {
                    if (st == key) on = true;
                    if (on) cycle += fs::path(st).stem().string() + " -> ";
                }
                cycle += fs::path(key).stem().string();
                throw config_error("scenarios extend each other in a cycle: " + cycle, {from, {}, {}, from_line, "extends"},
                                   "remove one of the 'extends' entries");
            }
            if (done.count(key)) return; // reached twice through different parts: applied once
            if (!from.empty() && !fs::exists(file))
                throw config_error(fmt::format("extends a scenario that does not exist: {}", file),
                                   {from, {}, {}, from_line, "extends"},
                                   "'extends' takes a scenario name (NAME.toml in the same folder) or a path");
            ScenarioFile f = ScenarioFile::from_file(file);
            stack.push_back(key);
            std::int64_t line = 0;
            {
                // The line of `extends` in this file, for messages about its targets.
                std::istringstream in(read_text(file));
                std::string l;
                std::int64_t n = 0;
                while (std::getline(in, l)) {
                    ++n;
                    if (l.rfind("extends", 0) == 0) { line = n; break; }
                }
            }
            for (const auto& e : f.extends) visit(e, file, line);
            stack.pop_back();
            done.insert(key);
            s.files.push_back(std::move(f));
        };
    visit(path, {}, 0);
    const ScenarioFile& own = s.files.back();
    s.name = own.name;
    s.title = own.title.empty() ? own.name : own.title;
    s.path = own.path;
    for (const auto& e : own.extends) {
        for (const auto& f : s.files)
            if (fs::weakly_canonical(fs::path(f.path)) == fs::weakly_canonical(fs::path(e))) s.extends.push_back(f.name);
    }
    // Names must be unique along the chain: they label parts and changes.
    std::set<std::string> names;
    for (const auto& f : s.files)
        if (!names.insert(f.name).second)
            throw config_error(fmt::format("two scenarios of the chain are named '{}'", f.name), {f.path, {}, {}, {}, "name"});
    return s;
}

std::vector<std::string> scenario_files_in(const std::string& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".toml") out.push_back(entry.path().string());
    if (ec) throw input_error("cannot list the scenario folder: " + ec.message(), {folder, {}, {}, {}, {}});
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace plan
