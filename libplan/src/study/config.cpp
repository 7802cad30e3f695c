// The study file (plan.toml): [study], [inputs], the analysis options and the
// scenarios. Every mistake names the file, the line and the key. Format: docs/study.md.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "plan/error.hpp"
#include "plan/landuse.hpp"
#include "plan/source.hpp"
#include "plan/study.hpp"

namespace plan {
namespace {

namespace fs = std::filesystem;

std::optional<std::int64_t> line_of(const toml::node& n) {
    const auto& src = n.source();
    if (src.begin.line == 0) return std::nullopt;
    return static_cast<std::int64_t>(src.begin.line);
}

bool is_connection(const std::string& ref) { return ref.rfind("PG:", 0) == 0; }

class Reader {
public:
    explicit Reader(std::string path, std::string dir) : path_(std::move(path)), dir_(std::move(dir)) {}
    std::map<std::string, ReadOptions> reads() const { return reads_; }

    [[noreturn]] void fail(const std::string& message, const toml::node& at, const std::string& key,
                           const std::string& hint = {}) const {
        throw config_error(message, {path_, {}, {}, line_of(at), key}, hint);
    }

    const toml::table& table(const toml::node& n, const std::string& key) const {
        const auto* t = n.as_table();
        if (!t) fail(fmt::format("'{}' must be a table: write [{}]", key, key), n, key);
        return *t;
    }
    std::string text(const toml::node& n, const std::string& key) const {
        const auto v = n.value_exact<std::string>();
        if (!v) fail(fmt::format("'{}' must be text (in quotes)", key), n, key);
        return *v;
    }
    bool boolean(const toml::node& n, const std::string& key) const {
        const auto v = n.value_exact<bool>();
        if (!v) fail(fmt::format("'{}' must be true or false", key), n, key);
        return *v;
    }
    double number(const toml::node& n, const std::string& key, double min = 0.0, bool strict = false) const {
        const auto v = n.value<double>();
        if (!v || !std::isfinite(*v) || (strict ? !(*v > min) : !(*v >= min)))
            fail(fmt::format("'{}' must be a number {} {}", key, strict ? ">" : ">=", min), n, key);
        return *v;
    }
    std::int64_t integer(const toml::node& n, const std::string& key, std::int64_t min = 0) const {
        const auto v = n.value_exact<std::int64_t>();
        if (!v || *v < min) fail(fmt::format("'{}' must be a whole number >= {}", key, min), n, key);
        return *v;
    }
    std::vector<std::string> texts(const toml::node& n, const std::string& key) const {
        if (n.is_string()) return {text(n, key)};
        const auto* arr = n.as_array();
        if (!arr) fail(fmt::format("'{}' must be a list of text", key), n, key);
        std::vector<std::string> out;
        for (const auto& item : *arr) out.push_back(text(item, key));
        return out;
    }
    std::vector<double> numbers(const toml::node& n, const std::string& key) const {
        const auto* arr = n.as_array();
        if (!arr) fail(fmt::format("'{}' must be a list of numbers, e.g. [400, 800]", key), n, key);
        std::vector<double> out;
        for (const auto& item : *arr) out.push_back(number(item, key, 0.0, true));
        return out;
    }
    [[noreturn]] void unknown(const std::string& section, const std::string& key, const toml::node& n,
                              const std::string& known) const {
        fail(fmt::format("unknown key '{}' in {}", key, section), n, key, "known keys: " + known);
    }

    /// A reference to a layer: a path relative to the study file (optionally
    /// "|layername=NAME") or a PostGIS connection "PG:...". The file must exist.
    /// An input may also be a table: {path = "...", encoding = "GBK", src_crs = "GCJ02",
    /// where = "..."}: the read options of that one input (kept in `reads_`).
    std::string input(const toml::node& n, const std::string& key, std::string& written) const {
        if (const auto* t = n.as_table()) {
            const toml::node* path_node = t->get("path");
            if (!path_node) fail(fmt::format("input '{}' given as a table needs path = \"...\"", key), n, key);
            ReadOptions r;
            for (const auto& [k2, v] : *t) {
                const std::string sub(k2.str());
                if (sub == "path") continue;
                if (sub == "encoding") r.encoding = text(v, key + "." + sub);
                else if (sub == "src_crs") r.src_crs = text(v, key + "." + sub);
                else if (sub == "where") r.where = text(v, key + "." + sub);
                else unknown("input '" + key + "'", sub, v, "path, encoding, src_crs, where");
            }
            const std::string resolved = input(*path_node, key, written);
            reads_[resolved] = r;
            return resolved;
        }
        written = text(n, key);
        if (written.empty()) fail(fmt::format("'{}' is empty", key), n, key);
        if (is_connection(written)) return written;
        const LayerUri uri = split_layer_uri(written);
        const std::string layer_part = written.substr(uri.path.size());
        fs::path p = fs::path(uri.path);
        if (p.is_relative()) p = fs::path(dir_) / p;
        const std::string resolved = p.lexically_normal().string();
        if (!fs::exists(resolved))
            throw input_error(fmt::format("input '{}': {} does not exist", key, resolved),
                              {path_, {}, {}, line_of(n), key}, "paths are relative to the study file's folder");
        return resolved + layer_part;
    }

    // The analysis CRS must be projected, in metres (as plan's --crs): a geographic
    // one would build the network in degrees, a foot-based one in feet.
    void check_metric_crs(const std::string& value, const toml::node& n, const std::string& key) const {
        if (value.empty() || value == "source") return;
        CrsRef crs;
        try {
            crs = crs_from_user(value);
        } catch (const crs_error&) {
            return; // an unknown CRS is reported where it is used, as before
        }
        const std::string instead = "plan needs a projected CRS in metres, e.g. EPSG:4548 (CGCS2000 3° GK, CM 117°E), "
                                    "or leave 'crs' out to let plan choose";
        if (crs.geographic || crs.offset != CrsRef::Offset::none)
            fail(fmt::format("'crs' = \"{}\" is geographic (degrees); {}", value, instead), n, key);
        const auto at = crs.wkt.rfind("UNIT[\"");
        if (at == std::string::npos) return;
        const auto end = crs.wkt.find('"', at + 6);
        if (end == std::string::npos || end + 1 >= crs.wkt.size() || crs.wkt[end + 1] != ',') return;
        const double factor = std::strtod(crs.wkt.c_str() + end + 2, nullptr);
        if (std::abs(factor - 1.0) > 1e-9)
            fail(fmt::format("'crs' = \"{}\" is in {}, not metres; {}", value, crs.wkt.substr(at + 6, end - at - 6), instead), n,
                 key);
    }

    void read_study(const toml::table& t, StudyConfig& c) const {
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            if (key == "name") {
                c.name = text(n, key);
                bool ok = !c.name.empty();
                for (const char ch : c.name)
                    ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-');
                if (!ok || c.name.find("__") != std::string::npos)
                    fail(fmt::format("'name' must be letters, digits, '_' or '-' (it names outputs), not '{}'", c.name), n,
                         key);
            } else if (key == "title") c.title = text(n, key);
            else if (key == "crs") {
                c.crs = text(n, key);
                check_metric_crs(c.crs, n, key);
            }
            else unknown("[study]", key, n, "name, title, crs");
        }
    }

    void read_inputs(const toml::table& t, StudyConfig& c) const {
        StudyInputs& in = c.inputs;
        StudyInputs& w = c.inputs_as_written;
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            if (const auto line = line_of(n)) c.input_lines[key] = *line;
            auto one = [&](std::string& resolved, std::string& written) { resolved = input(n, key, written); };
            auto many = [&](std::vector<std::string>& resolved, std::vector<std::string>& written) {
                const auto* arr = n.as_array();
                if (!arr && !n.is_string()) fail(fmt::format("'{}' must be a list of layers, e.g. [\"roads.gpkg\"]", key), n, key);
                auto take = [&](const toml::node& item) {
                    std::string wr;
                    resolved.push_back(input(item, key, wr));
                    written.push_back(wr);
                };
                if (arr) for (const auto& item : *arr) take(item);
                else take(n);
            };
            if (key == "roads") many(in.roads, w.roads);
            else if (key == "parcels") one(in.parcels, w.parcels);
            else if (key == "enterprises") one(in.enterprises, w.enterprises);
            else if (key == "zones") one(in.zones, w.zones);
            else if (key == "parks") one(in.parks, w.parks);
            else if (key == "boundary") one(in.boundary, w.boundary);
            else if (key == "barriers") many(in.barriers, w.barriers);
            else if (key == "skeleton") one(in.skeleton, w.skeleton);
            else if (key == "od_origins") one(in.od_origins, w.od_origins);
            else if (key == "od_destinations") one(in.od_destinations, w.od_destinations);
            else if (key == "method") {
                w.method = text(n, key);
                const auto names = landuse::builtin_method_names();
                if (std::find(names.begin(), names.end(), w.method) != names.end()) in.method = w.method;
                else in.method = input(n, key, w.method);
            } else unknown("[inputs]", key, n,
                           "roads, parcels, enterprises, zones, parks, boundary, barriers, skeleton, method, "
                           "od_origins, od_destinations");
        }
        if (in.roads.empty()) fail("[inputs] needs roads = [\"...\"]: the road layers", t, "roads");
    }

    std::string field_or_file(const toml::node& n, const std::string& key) const {
        std::string w;
        return input(n, key, w);
    }

    void read_network(const toml::table& t, BuildOptions& b) const {
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            try {
                if (key == "classes") b.classes = ClassFilter::parse(text(n, key));
                else if (key == "class_map") b.mapping = ClassMapping::from_toml(field_or_file(n, key));
                else if (key == "noding") b.noding = noding_from_text(text(n, key));
                else if (key == "snap") b.snap = number(n, key);
                else if (key == "dissolve") b.dissolve = boolean(n, key);
                else if (key == "keep_duplicates") b.merge_duplicates = !boolean(n, key);
                else if (key == "dissolve_changes") {
                    if (boolean(n, key)) b.keep_class_change = b.keep_name_change = b.keep_level_change = false;
                } else if (key == "bridge_field") b.fields.bridge = {text(n, key)};
                else if (key == "tunnel_field") b.fields.tunnel = {text(n, key)};
                else if (key == "level_field") b.fields.layer = {text(n, key)};
                else if (key == "oneway_field") b.fields.oneway = {text(n, key)};
                else if (key == "name_field") b.fields.name = {text(n, key)};
                else unknown("[network]", key, n,
                             "classes, class_map, noding, snap, dissolve, keep_duplicates, dissolve_changes, "
                             "bridge_field, tunnel_field, level_field, oneway_field, name_field");
            } catch (const usage_error& e) { // a bad value of a shared parser: name our file, line and key
                fail(e.message(), n, key, e.hint());
            }
        }
    }

    void read_dead_ends(const toml::table& t, DeadEndOptions& d) const {
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            if (key == "gap") d.gap = number(n, key);
            else if (key == "stub") d.stub = number(n, key);
            else if (key == "boundary") d.boundary = number(n, key);
            else if (key == "isolated") d.isolated_length = number(n, key);
            else unknown("[dead_ends]", key, n, "gap, stub, boundary, isolated");
        }
    }

    void read_metrics(const toml::table& t, StudyOptions& o) const {
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            try {
                if (key == "area_type") {
                    o.metrics.area_type = text(n, key);
                    o.metrics.targets = default_targets(o.metrics.area_type);
                } else if (key == "targets") o.targets_file = field_or_file(n, key);
                else if (key == "tolerance") o.metrics.consolidate_tolerance = number(n, key, 0.0, true);
                else if (key == "circuity_pairs") o.circuity.sample_pairs = static_cast<std::size_t>(integer(n, key, 1));
                else if (key == "seed") o.circuity.seed = static_cast<std::uint64_t>(integer(n, key));
                else if (key == "zone_id_field") o.zone_id_field = text(n, key);
                else if (key == "zone_name_field") o.zone_name_field = text(n, key);
                else unknown("[metrics]", key, n,
                             "area_type, targets, tolerance, circuity_pairs, seed, zone_id_field, zone_name_field");
            } catch (const usage_error& e) {
                fail(e.message(), n, key, e.hint());
            }
        }
    }

    void read_centrality(const toml::table& t, StudyOptions& o) const {
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            if (key == "enabled") o.centrality = boolean(n, key);
            else if (key == "radii") o.centrality_options.radii = numbers(n, key);
            else if (key == "global") o.centrality_options.global = boolean(n, key);
            else if (key == "sample") o.centrality_options.sample_sources = static_cast<std::size_t>(integer(n, key));
            else if (key == "seed") o.centrality_options.seed = static_cast<std::uint64_t>(integer(n, key));
            else unknown("[centrality]", key, n, "enabled, radii, global, sample, seed");
        }
        if (o.centrality && o.centrality_options.radii.empty() && !o.centrality_options.global)
            fail("[centrality] has no radius and global = false: nothing to compute (set enabled = false)", t, "radii");
    }

    void read_access(const toml::table& t, StudyOptions& o) const {
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            if (key == "enabled") o.access_enabled = boolean(n, key);
            else if (key == "classes") {
                o.access.road_classes.clear();
                for (const auto& s : texts(n, key)) {
                    const auto c = road_class_from_text(s);
                    if (!c)
                        fail(fmt::format("'classes': unknown road class '{}'", s), n, key,
                             "use expressway, arterial, collector, local, ramp, side_road, other (or 主干路 ...)");
                    o.access.road_classes.push_back(*c);
                }
            } else if (key == "radii") o.access.radii = numbers(n, key);
            else if (key == "far") o.access.far_m = number(n, key);
            else if (key == "id_field") o.access_id_field = text(n, key);
            else unknown("[access]", key, n, "enabled, classes, radii, far, id_field");
        }
    }

    void read_landuse(const toml::table& t, StudyLanduseOptions& l) const {
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            if (key == "parcel_id_field") l.parcel_id_field = text(n, key);
            else if (key == "enterprise_parcel_field") l.enterprise_parcel_field = text(n, key);
            else if (key == "landuse_field") l.landuse_field = text(n, key);
            else if (key == "zone_field") l.zone_field = text(n, key);
            else if (key == "park_field") l.park_field = text(n, key);
            else if (key == "region_name_field") l.region_name_field = text(n, key);
            else if (key == "xy") {
                const auto v = texts(n, key);
                if (v.size() != 2) fail("'xy' must be two column names, e.g. [\"lon\", \"lat\"]", n, key);
                l.x_field = v[0];
                l.y_field = v[1];
            } else if (key == "xy_crs") {
                l.xy_crs = text(n, key);
                try {
                    (void)crs_from_user(l.xy_crs);
                } catch (const error& e) {
                    fail(e.message(), n, key);
                }
            } else if (key == "fields") {
                for (const auto& [fk, fn] : table(n, key)) l.field_overrides[std::string(fk.str())] = text(fn, "fields." + std::string(fk.str()));
            } else unknown("[landuse]", key, n,
                           "parcel_id_field, enterprise_parcel_field, landuse_field, zone_field, park_field, "
                           "region_name_field, xy, xy_crs, fields");
        }
        if (!l.xy_crs.empty() && l.x_field.empty()) fail("'xy_crs' needs xy = [X, Y]", t, "xy_crs");
    }

    void read_od(const toml::table& t, StudyOptions& o) const {
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            if (key == "pairs") o.od.pairs = static_cast<std::size_t>(integer(n, key, 1));
            else if (key == "seed") o.od.seed = static_cast<std::uint64_t>(integer(n, key));
            else if (key == "origin_id_field") o.od_origin_id_field = text(n, key);
            else if (key == "destination_name_field") o.od_name_field = text(n, key);
            else unknown("[od]", key, n, "pairs, seed, origin_id_field, destination_name_field");
        }
    }

    void read_cost(const toml::table& t, StudyOptions& o) const {
        for (const auto& [k, n] : t) {
            const std::string key(k.str());
            if (key == "unit") o.cost_unit = text(n, key);
            else if (key == "per_km") {
                for (const auto& [ck, cn] : table(n, key)) {
                    const std::string cls(ck.str());
                    const auto c = road_class_from_text(cls);
                    if (!c)
                        fail(fmt::format("'per_km': unknown road class '{}'", cls), cn, "per_km." + cls,
                             "use 快速路, 主干路, 次干路, 支路, 匝道, 辅路, 其他 (or expressway, arterial ...)");
                    o.cost_per_km[*c] = number(cn, "per_km." + cls);
                }
            } else unknown("[cost]", key, n, "unit, per_km");
        }
    }

    StudyConfig read(const toml::table& doc) const {
        StudyConfig c;
        c.path = path_;
        c.dir = dir_;
        c.options.metrics.targets = default_targets(c.options.metrics.area_type);
        bool inputs = false;
        for (const auto& [k, n] : doc) {
            const std::string key(k.str());
            if (key == "study") read_study(table(n, key), c);
            else if (key == "inputs") {
                read_inputs(table(n, key), c);
                inputs = true;
            } else if (key == "network") read_network(table(n, key), c.options.build);
            else if (key == "dead_ends") read_dead_ends(table(n, key), c.options.dead_ends);
            else if (key == "metrics") read_metrics(table(n, key), c.options);
            else if (key == "centrality") read_centrality(table(n, key), c.options);
            else if (key == "access") read_access(table(n, key), c.options);
            else if (key == "landuse") read_landuse(table(n, key), c.options.landuse);
            else if (key == "od") read_od(table(n, key), c.options);
            else if (key == "cost") read_cost(table(n, key), c.options);
            else if (key == "scenarios") {
                for (const auto& s : texts(n, key)) {
                    fs::path p(s);
                    if (p.is_relative()) p = fs::path(dir_) / p;
                    const std::string resolved = p.lexically_normal().string();
                    if (!fs::exists(resolved))
                        throw input_error(fmt::format("scenario file {} does not exist", resolved),
                                          {path_, {}, {}, line_of(n), key}, "paths are relative to the study file's folder");
                    c.scenarios.push_back(resolved);
                }
            } else unknown("the study file", key, n,
                           "scenarios, [study], [inputs], [network], [dead_ends], [metrics], [centrality], [access], "
                           "[landuse], [od], [cost] (top-level keys such as scenarios go before the first [table])");
        }
        if (!inputs) throw config_error("the study file has no [inputs] table", {path_, {}, {}, {}, "inputs"},
                                        "add [inputs] with roads = [\"roads.gpkg\"]");
        c.input_reads = reads_;
        return c;
    }

private:
    std::string path_, dir_;
    mutable std::map<std::string, ReadOptions> reads_;
};

} // namespace

StudyConfig StudyConfig::from_file(const std::string& path) {
    if (fs::is_directory(path))
        throw config_error("this is a folder, not a study file", {path, {}, {}, {}, {}},
                           "give the plan.toml file itself, e.g. plan run data/sample-city/plan.toml");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config_error("cannot open the study file", {path, {}, {}, {}, {}}, "check the path");
    std::stringstream ss;
    ss << in.rdbuf();
    toml::table doc;
    try {
        doc = toml::parse(ss.str(), path);
    } catch (const toml::parse_error& e) {
        throw config_error(fmt::format("the study file is not valid TOML: {}", e.description()),
                           {path, {}, {}, static_cast<std::int64_t>(e.source().begin.line), {}});
    }
    std::string dir = fs::path(path).parent_path().string();
    if (dir.empty()) dir = ".";
    return Reader(path, dir).read(doc);
}

} // namespace plan
