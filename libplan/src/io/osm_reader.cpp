// OSM roads in one pass with libosmium (docs/input.md, "OSM files"), producing
// the same layers as GDAL's OSM driver gives for `lines` and for the standalone
// highway areas of `multipolygons`, so that everything downstream is unchanged.
// GDAL stays available (OsmReader::gdal, PLAN_OSM_READER=gdal) for comparison
// and for --where / --bbox filters.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <unistd.h>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <osmium/handler.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/entity_bits.hpp>
#include <osmium/visitor.hpp>

#include "io/reproject.hpp"
#include "gdal_bridge/gdal_module.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/source.hpp"

namespace fs = std::filesystem;

namespace plan {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    for (std::size_t i = 0; i < suffix.size(); ++i) {
        char c = s[s.size() - suffix.size() + i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != suffix[i]) return false;
    }
    return true;
}

// The attribute fields of GDAL's default osmconf.ini (GDAL 3.6).
constexpr const char* kLineFields[] = {"name", "highway", "waterway", "aerialway", "barrier", "man_made", "railway"};
constexpr const char* kAreaFields[] = {"name",     "type",     "aeroway",    "amenity",  "admin_level", "barrier",
                                       "boundary", "building", "craft",      "geological", "historic",  "land_area",
                                       "landuse",  "leisure",  "man_made",   "military", "natural",     "office",
                                       "place",    "shop",     "sport",      "tourism"};
constexpr const char* kIgnoredKeys[] = {"created_by", "converted_by", "source", "time", "ele",
                                        "note",       "todo",         "openGeoDB:", "fixme", "FIXME"};
// closed_ways_are_polygons: a closed way with one of these keys (or key=value) is an area.
constexpr const char* kAreaKeys[] = {"aeroway", "amenity", "boundary", "building", "craft",  "geological",
                                     "historic", "landuse", "leisure", "military", "natural", "office",
                                     "place",    "shop",    "sport",   "tourism"};
constexpr const char* kAreaKeyValues[] = {"highway=platform", "public_transport=platform"};

/// GDAL leaves these keys out of other_tags: listed ones, and keys whose prefix
/// up to the first ':' is listed ("openGeoDB:...").
bool ignored_key(const char* key, bool area_layer) {
    if (area_layer && std::strcmp(key, "area") == 0) return true;
    for (const char* k : kIgnoredKeys)
        if (std::strcmp(key, k) == 0) return true;
    if (const char* colon = std::strchr(key, ':')) {
        const std::string_view prefix(key, static_cast<std::size_t>(colon - key) + 1);
        for (const char* k : kIgnoredKeys)
            if (prefix == k) return true;
    }
    return false;
}

/// GDAL's rule for a closed way: area=yes/no decides, else a key (or key=value)
/// of closed_ways_are_polygons makes it an area.
bool tagged_as_area(const osmium::TagList& tags) {
    bool area = false;
    for (const osmium::Tag& t : tags) {
        const char* k = t.key();
        if (std::strcmp(k, "area") == 0) {
            if (std::strcmp(t.value(), "yes") == 0) return true;
            if (std::strcmp(t.value(), "no") == 0) return false;
        }
        if (area) continue;
        for (const char* a : kAreaKeys)
            if (std::strcmp(k, a) == 0) area = true;
        if (area) continue;
        const std::size_t kl = std::strlen(k);
        for (const char* kv : kAreaKeyValues) {
            const std::string_view s(kv);
            if (s.size() > kl + 1 && s.compare(0, kl, k) == 0 && s[kl] == '=' && s.substr(kl + 1) == t.value()) area = true;
        }
    }
    return area;
}

void append_hstore(std::string& out, const char* text) {
    out += '"';
    for (const char* c = text; *c; ++c) {
        if (*c == '"' || *c == '\\') out += '\\';
        out += *c;
    }
    out += '"';
}

int field_slot(const char* key, const char* const* fields, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (std::strcmp(key, fields[i]) == 0) return static_cast<int>(i);
    return -1;
}

/// GDAL's hard-coded z_order (osmconf.ini's z_order_sql).
std::int64_t z_order(const osmium::TagList& tags) {
    std::int64_t z = 0;
    if (const char* h = tags["highway"]) {
        const std::string_view v(h);
        if (v == "minor" || v == "road" || v == "unclassified" || v == "residential") z += 3;
        else if (v == "tertiary_link" || v == "tertiary") z += 4;
        else if (v == "secondary_link" || v == "secondary") z += 6;
        else if (v == "primary_link" || v == "primary") z += 7;
        else if (v == "trunk_link" || v == "trunk") z += 8;
        else if (v == "motorway_link" || v == "motorway") z += 9;
    }
    auto yes = [](const char* v) { return v && (!std::strcmp(v, "yes") || !std::strcmp(v, "true") || !std::strcmp(v, "1")); };
    if (yes(tags["bridge"])) z += 10;
    if (yes(tags["tunnel"])) z -= 10;
    if (tags["railway"]) z += 5;
    if (const char* l = tags["layer"]) z += 10 * std::atoi(l);
    return z;
}

/// Attribute values as GDAL's OSM layers give them: listed keys in their field,
/// the rest in other_tags (hstore text), null when absent.
void fill_values(const osmium::TagList& tags, const char* const* fields, std::size_t nfields, std::size_t first,
                 std::size_t other_tags, bool area_layer, std::vector<FieldValue>& values) {
    std::string other;
    for (const osmium::Tag& t : tags) {
        const int slot = field_slot(t.key(), fields, nfields);
        if (slot >= 0) {
            values[first + static_cast<std::size_t>(slot)] = std::string(t.value());
            continue;
        }
        if (ignored_key(t.key(), area_layer)) continue;
        if (!other.empty()) other += ',';
        append_hstore(other, t.key());
        other += "=>";
        append_hstore(other, t.value());
    }
    if (!other.empty()) values[other_tags] = std::move(other);
}

std::vector<FieldDef> line_fields() {
    std::vector<FieldDef> f{{"osm_id", FieldType::string, "String"}};
    for (const char* n : kLineFields) f.push_back({n, FieldType::string, "String"});
    f.push_back({"z_order", FieldType::integer, "Integer"});
    f.push_back({"other_tags", FieldType::string, "String"});
    return f;
}

std::vector<FieldDef> area_fields() {
    std::vector<FieldDef> f{{"osm_id", FieldType::string, "String"}, {"osm_way_id", FieldType::string, "String"}};
    for (const char* n : kAreaFields) f.push_back({n, FieldType::string, "String"});
    f.push_back({"other_tags", FieldType::string, "String"});
    return f;
}

/// Node locations: osmium's FlexMem index for ids >= 0 (a sorted vector of
/// id + location, 16 bytes per node, that turns into dense 64k-node blocks only
/// when the ids are dense and there are over 16 million nodes), a sorted vector
/// for the negative ids of unsaved editor files.
class Locations {
public:
    void set(osmium::object_id_type id, osmium::Location loc) {
        if (id >= 0) positive_.set(static_cast<osmium::unsigned_object_id_type>(id), loc);
        else negative_.emplace_back(id, loc);
    }
    void seal() {
        positive_.sort();
        std::sort(negative_.begin(), negative_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    osmium::Location get(osmium::object_id_type id) const {
        if (id >= 0) return positive_.get_noexcept(static_cast<osmium::unsigned_object_id_type>(id));
        auto it = std::lower_bound(negative_.begin(), negative_.end(), id,
                                   [](const auto& e, osmium::object_id_type v) { return e.first < v; });
        return it != negative_.end() && it->first == id ? it->second : osmium::Location{};
    }

private:
    osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location> positive_;
    std::vector<std::pair<osmium::object_id_type, osmium::Location>> negative_;
};

class RoadHandler : public osmium::handler::Handler {
public:
    Layer& lines;
    Layer& areas;
    std::int64_t partial_ways = 0, missing_refs = 0, dropped_ways = 0, short_rings = 0;
    std::vector<std::int64_t> partial_ids, dropped_ids, short_ring_ids;

    RoadHandler(Layer& l, Layer& a) : lines(l), areas(a) {}

    void node(const osmium::Node& n) { locations_.set(n.id(), n.location()); }

    void way(const osmium::Way& w) {
        if (!sealed_) {
            locations_.seal();
            sealed_ = true;
        }
        const auto& refs = w.nodes();
        if (refs.size() < 2) return; // GDAL discards such ways
        const bool highway = w.tags().has_key("highway");
        const bool closed = refs.front().ref() == refs.back().ref();
        const bool area = closed && tagged_as_area(w.tags());
        if (!highway) {
            // Only whether it has two located nodes matters (multipolygon members).
            int found = 0;
            for (const auto& r : refs)
                if (located(r.ref()) && ++found == 2) break;
            if (found == 2) present_ways_.push_back(w.id());
            return;
        }
        // Located nodes, as GDAL keeps them: missing ones are left out; an area's
        // ring is its nodes but the last, closed on the first located one.
        LineString pts;
        pts.reserve(refs.size());
        const std::size_t used = refs.size() - (area ? 1 : 0);
        std::size_t missing = 0;
        for (std::size_t i = 0; i < used; ++i) {
            const osmium::Location loc = locations_.get(refs[i].ref());
            if (!loc.valid()) { ++missing; continue; }
            pts.push_back(Point{loc.lon_without_check(), loc.lat_without_check()});
        }
        if (!pts.empty() && area) pts.push_back(pts.front());
        if (missing > 0) {
            ++partial_ways;
            missing_refs += static_cast<std::int64_t>(missing);
            if (partial_ids.size() < 10) partial_ids.push_back(w.id());
        }
        if (pts.size() < 2) {
            ++dropped_ways;
            if (dropped_ids.size() < 10) dropped_ids.push_back(w.id());
            return;
        }
        present_ways_.push_back(w.id());
        Feature f;
        f.fid = w.id();
        f.geometry.kind = GeometryKind::line;
        if (!area) {
            f.values.resize(std::size(kLineFields) + 3);
            f.values[0] = std::to_string(w.id());
            fill_values(w.tags(), kLineFields, std::size(kLineFields), 1, std::size(kLineFields) + 2, false, f.values);
            f.values[std::size(kLineFields) + 1] = z_order(w.tags());
            f.geometry.lines.push_back(std::move(pts));
            lines.features.push_back(std::move(f));
            return;
        }
        if (pts.size() < 4) { // GDAL's reading skips polygons whose ring has under 4 points
            ++short_rings;
            if (short_ring_ids.size() < 10) short_ring_ids.push_back(w.id());
            return;
        }
        f.values.resize(std::size(kAreaFields) + 3);
        f.values[1] = std::to_string(w.id());
        fill_values(w.tags(), kAreaFields, std::size(kAreaFields), 2, std::size(kAreaFields) + 2, true, f.values);
        f.geometry.lines.push_back(std::move(pts));
        areas.features.push_back(std::move(f));
    }

    // GDAL, as plan reads it (multipolygons filtered on osm_way_id), drops a
    // standalone area that is the outer ring of a multipolygon (or boundary)
    // relation tagged with nothing but its type (an old-style multipolygon, which
    // takes the tags of its outer way) whose way members are all in the file. A
    // relation with tags of its own fails the filter before GDAL builds it, and
    // its outer ways stay standalone areas.
    void relation(const osmium::Relation& r) {
        if (areas.features.empty()) return;
        const char* type = nullptr;
        for (const osmium::Tag& t : r.tags()) {
            if (std::strcmp(t.key(), "type") == 0) type = t.value();
            else if (std::strcmp(t.key(), "created_by") != 0) return;
        }
        if (!type || (std::strcmp(type, "multipolygon") != 0 && std::strcmp(type, "boundary") != 0)) return;
        if (!present_sorted_) {
            std::sort(present_ways_.begin(), present_ways_.end());
            std::sort(areas.features.begin(), areas.features.end(), [](const Feature& a, const Feature& b) { return a.fid < b.fid; });
            present_sorted_ = true;
        }
        std::vector<std::int64_t> outers;
        for (const osmium::RelationMember& m : r.members()) {
            if (m.type() != osmium::item_type::way || std::strcmp(m.role(), "subarea") == 0) continue;
            if (!std::binary_search(present_ways_.begin(), present_ways_.end(), m.ref())) return; // GDAL ignores it
            if (std::strcmp(m.role(), "outer") == 0) outers.push_back(m.ref());
        }
        for (std::int64_t id : outers) {
            auto it = std::lower_bound(areas.features.begin(), areas.features.end(), id,
                                       [](const Feature& f, std::int64_t v) { return f.fid < v; });
            if (it != areas.features.end() && it->fid == id) it->fid = kRemoved;
        }
    }

    void finish() {
        if (!present_sorted_)
            std::sort(areas.features.begin(), areas.features.end(), [](const Feature& a, const Feature& b) { return a.fid < b.fid; });
        std::erase_if(areas.features, [](const Feature& f) { return f.fid == kRemoved; });
    }

private:
    static constexpr std::int64_t kRemoved = std::numeric_limits<std::int64_t>::min();
    bool located(osmium::object_id_type id) const { return locations_.get(id).valid(); }
    Locations locations_;
    bool sealed_ = false, present_sorted_ = false;
    std::vector<std::int64_t> present_ways_;
};

std::string id_list(const std::vector<std::int64_t>& ids, std::int64_t total) {
    std::string s;
    for (std::size_t i = 0; i < ids.size(); ++i) s += fmt::format("{}{}", i ? ", " : "", ids[i]);
    if (total > static_cast<std::int64_t>(ids.size())) s += ", ...";
    return s;
}

OsmRoads read_native(const std::string& path, const ReadOptions& options) {
    OsmRoads out;
    out.reader = OsmReader::native;
    for (Layer* l : {&out.lines, &out.areas}) {
        l->source = path;
        l->driver = "OSM";
        l->report.encoding = "UTF-8";
        l->report.noding_hint = "OSM data read with libosmium";
    }
    out.lines.name = "lines";
    out.areas.name = "multipolygons";
    out.lines.fields = line_fields();
    out.areas.fields = area_fields();

    RoadHandler handler(out.lines, out.areas);
    try {
        const osmium::io::File file(path);
        osmium::io::Reader reader(file, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way |
                                            osmium::osm_entity_bits::relation,
                                  osmium::io::read_meta::no);
        const std::size_t size = reader.file_size();
        while (osmium::memory::Buffer buffer = reader.read()) {
            osmium::apply(buffer, handler);
            if (options.progress) options.progress(static_cast<std::int64_t>(reader.offset()), static_cast<std::int64_t>(size));
        }
        reader.close();
    } catch (const error&) {
        throw;
    } catch (const std::exception& e) {
        throw input_error(fmt::format("cannot read the OSM data: {}", e.what()), ErrorContext{path},
                          "the file is corrupt or truncated; download or export it again");
    }
    handler.finish();
    if (options.progress) options.progress(1, 1);

    if (handler.partial_ways > 0)
        log::warn(fmt::format("{}: {} highway way(s) refer to {} node(s) that are not in the file (an extract cut at its "
                              "edge?): those nodes are left out of the ways, as GDAL does; ways {}",
                              path, handler.partial_ways, handler.missing_refs,
                              id_list(handler.partial_ids, handler.partial_ways)));
    if (handler.dropped_ways > 0)
        log::warn(fmt::format("{}: skipped {} highway way(s) with fewer than 2 nodes in the file: ways {}", path,
                              handler.dropped_ways, id_list(handler.dropped_ids, handler.dropped_ways)));
    if (handler.short_rings > 0)
        log::warn(fmt::format("{}: layer 'multipolygons': skipped {} highway area(s) whose ring has fewer than 4 points: "
                              "ways {}", path, handler.short_rings, id_list(handler.short_ring_ids, handler.short_rings)));
    out.ways_with_missing_nodes = handler.partial_ways;
    out.missing_node_refs = handler.missing_refs;
    out.lines.report.invalid_geometry = handler.dropped_ways;
    out.areas.report.invalid_geometry = handler.short_rings;
    out.lines.report.read = static_cast<std::int64_t>(out.lines.features.size());
    out.areas.report.read = static_cast<std::int64_t>(out.areas.features.size());
    if (out.lines.features.empty() && out.areas.features.empty())
        throw input_error("the OSM file holds no highway way (no road)", ErrorContext{path, "lines"},
                          "check that this is the extract you meant; roads are ways tagged highway=*");

    const CrsRef wgs = detail::osm_source_crs();
    if (!out.lines.features.empty()) {
        detail::to_metric_crs(out.lines, wgs, options);
        ReadOptions ra = options;
        ra.target_crs = out.lines.crs.wkt;
        detail::to_metric_crs(out.areas, wgs, ra);
    } else {
        detail::to_metric_crs(out.areas, wgs, options);
        out.lines.source_crs = out.areas.source_crs;
        out.lines.crs = out.areas.crs;
    }
    return out;
}

/// GDAL's OSM driver: `lines`, then the standalone highway areas of `multipolygons`.
OsmRoads read_gdal(const std::string& path, const ReadOptions& options) {
    OsmRoads out;
    out.reader = OsmReader::gdal;
    ReadOptions r = options;
    r.want = GeometryKind::line;
    out.lines = read_layer(path, "lines", r);
    ReadOptions ra = options;
    ra.target_crs = out.lines.crs.wkt;
    ra.want = GeometryKind::polygon;
    const std::string areas = "osm_way_id IS NOT NULL AND other_tags LIKE '%\"highway\"=>%'";
    ra.where = ra.where.empty() ? areas : "(" + areas + ") AND (" + ra.where + ")";
    ra.progress = {};
    try {
        try {
            out.areas = read_layer(path, "multipolygons", ra);
        } catch (const usage_error& e) {
            // --where names a field of `lines` that `multipolygons` lacks (e.g. highway,
            // which GDAL keeps in other_tags there): the areas cannot be filtered alike.
            log::warn(fmt::format("{}: --where does not apply to the highway areas ({}): they are left out", path,
                                  e.message()));
            throw input_error("no area");
        }
    } catch (const input_error&) {
        out.areas = Layer{}; // no highway area in this file (or none passes the filter)
        out.areas.source = path;
        out.areas.name = "multipolygons";
        out.areas.crs = out.lines.crs;
        return out;
    }
    for (auto& f : out.areas.features) {
        f.geometry.kind = GeometryKind::line;
        for (auto& poly : f.geometry.polygons)
            for (auto& ring : poly.rings) f.geometry.lines.push_back(std::move(ring));
        f.geometry.polygons.clear();
    }
    return out;
}

} // namespace

bool is_osm_file(const std::string& path) {
    for (const char* suffix : {".osm", ".pbf", ".osm.bz2", ".osm.gz"})
        if (ends_with(path, suffix)) return true;
    return false;
}

OsmRoads read_osm_roads(const std::string& path, const ReadOptions& options, OsmReader reader) {
    detail::note_input(path);
    if (reader == OsmReader::automatic) {
        reader = OsmReader::native;
        if (const char* env = std::getenv("PLAN_OSM_READER"); env && *env) {
            const std::string v(env);
            if (v == "gdal") reader = OsmReader::gdal;
            else if (v != "native")
                throw usage_error(fmt::format("PLAN_OSM_READER='{}' is not understood", v), ErrorContext{path},
                                  "set it to 'native' (libosmium, the default) or 'gdal' (GDAL's OSM driver)");
        }
        if (reader == OsmReader::native && (!options.where.empty() || options.bbox)) {
            log::debug(fmt::format("{}: --where/--bbox given: reading through GDAL's OSM driver", path));
            reader = OsmReader::gdal;
        }
    }
    if (reader == OsmReader::native && (!options.where.empty() || options.bbox))
        throw usage_error("the native OSM reader takes no --where or --bbox filter", ErrorContext{path},
                          "use the GDAL reader (PLAN_OSM_READER=gdal) for filtered reads");
    OsmRoads out;
    if (reader == OsmReader::gdal) {
        out = read_gdal(path, options);
    } else {
        std::error_code ec;
        if (!fs::exists(path, ec)) throw input_error("no such file or folder", ErrorContext{path});
        if (::access(path.c_str(), R_OK) != 0)
            throw input_error("permission denied: the file or folder cannot be read", ErrorContext{path});
        if (fs::is_directory(path, ec)) throw input_error("is a folder, not an OSM file", ErrorContext{path});
        if (fs::file_size(path, ec) == 0) throw input_error("the file is empty (0 bytes)", ErrorContext{path});
        out = read_native(path, options);
    }
    if (!out.areas.features.empty())
        log::info(fmt::format("{}: {} highway areas (closed ways GDAL reads as polygons) taken as rings", path,
                              out.areas.features.size()));
    return out;
}

} // namespace plan
