// plan metrics ROADS... [--boundary B | --parcels P] [--radius 400,800] [--json] [-o OUT]:
// connectivity indices, densities against targets, OD circuity, OSMnx
// basic_stats and centrality; per-edge and per-node layers.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "input_options.hpp"
#include "network_options.hpp"
#include "plan/accessibility.hpp"
#include "plan/centrality.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/metrics.hpp"
#include "../../libplan/src/text_width.hpp" // display columns of Chinese zone names
#include "plan/metrics_json.hpp"
#include "plan/output.hpp"
#include "plan/skeleton.hpp"
#include "plan/source.hpp"
#include "plan/xy_points.hpp"
#include "plan/zones.hpp"

namespace plan::cli {
namespace {

std::vector<double> parse_radii(const std::string& text, const std::string& option = "--radius") {
    std::vector<double> out;
    std::size_t start = 0;
    while (start <= text.size() && !text.empty()) {
        const std::size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        double v = 0;
        std::size_t used = 0;
        try {
            v = std::stod(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != item.size())
            throw usage_error(fmt::format("{}: '{}' is not a number of metres", option, item), {},
                              "write radii as " + option + " 400,800,1600");
        if (!(v > 0) || !std::isfinite(v))
            throw usage_error(fmt::format("{}: a radius must be positive, not {}", option, item), {},
                              "write radii as " + option + " 400,800,1600");
        out.push_back(v);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

/// "FILE" or "FILE:LAYER" (the latter when FILE exists and the whole does not).
std::pair<std::string, std::string> file_and_layer(const std::string& spec) {
    const auto colon = spec.rfind(':');
    if (colon != std::string::npos && !std::filesystem::exists(spec) && std::filesystem::exists(spec.substr(0, colon)))
        return {spec.substr(0, colon), spec.substr(colon + 1)};
    return {spec, {}};
}

/// "1 thread", "2 threads".
std::string count(std::size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

/// Reads the layers a user gives besides the roads. Each may name its own CRS
/// (--boundary-crs, --zones-crs, ...: --src-crs applies to the roads only); a
/// layer whose CRS is missing or wrong gets an error naming that option. What
/// the reader says about a file (Z/M dropped, WGS84 assumed, ...) is said once
/// even when the same file is given to several options.
class LayerReader {
public:
    explicit LayerReader(CrsRef network_crs) : crs_(std::move(network_crs)) {}
    const CrsRef& crs() const { return crs_; }

    /// `crs_value` is the layer's CRS option (empty: the layer's own), `crs_option` its name.
    Layer read(const std::string& path, const std::string& layer_name, std::optional<GeometryKind> want,
               const std::string& crs_value, const std::string& crs_option) {
        ReadOptions r;
        r.target_crs = crs_.wkt;
        r.want = want;
        r.src_crs = crs_value;
        log::Capture capture;
        auto say = [&] {
            for (auto& m : capture.stop())
                if (said_.insert(m.text).second) log::write(m.level, m.text);
        };
        try {
            Layer layer = read_layer(path, layer_name, r);
            say();
            return layer;
        } catch (const crs_error& e) {
            say();
            if (!crs_value.empty()) throw;
            // The reader's hint names --src-crs, which applies to the roads only.
            throw crs_error(e.message(), e.context(),
                            fmt::format("pass {} EPSG:NNNN with the CRS the layer was made in (the network is in {}; "
                                        "GeoJSON without a \"crs\" member is read as WGS84 lon/lat)",
                                        crs_option, crs_.label()));
        } catch (...) {
            say();
            throw;
        }
    }

private:
    CrsRef crs_;
    std::set<std::string> said_;
};

/// The polygons of a layer, reprojected to the network's CRS (and said so).
std::vector<Polygon> read_polygons(LayerReader& reader, const std::string& spec, const std::string& option,
                                   const std::string& crs_value) {
    const auto [path, layer_name] = file_and_layer(spec);
    Layer layer = reader.read(path, layer_name, GeometryKind::polygon, crs_value, option + "-crs");
    if (layer.source_crs.known() && layer.source_crs.wkt != reader.crs().wkt)
        log::info(fmt::format("{} {}: reprojected from {} to {}", option, path, layer.source_crs.label(), reader.crs().label()));
    std::vector<Polygon> out;
    for (auto& f : layer.features)
        for (auto& p : f.geometry.polygons) out.push_back(std::move(p));
    if (out.empty()) throw input_error(fmt::format("{}: no polygon", option), ErrorContext{path, layer.name});
    return out;
}

std::string zones_text(const ZoneReport& r) {
    std::string out = fmt::format("\nZones ({}{}): {}, {:.3f} of {:.3f} km of road inside\n", r.source,
                                  r.reprojected_from.empty() ? "" : ", reprojected from " + r.reprojected_from,
                                  count(r.zones.size(), "zone", "zones"), r.length_km_in_zones, r.length_km_network);
    // The density column is judged on centreline-equivalent length (a pair of
    // one-way carriageways once), the length column is every carriageway.
    out += "  km = road length inside (raw, every carriageway); km/km² = centreline-equivalent density\n";
    auto label_of = [](const ZoneMetrics& z) {
        return z.zone.name.empty() || z.zone.name == z.zone.id ? z.zone.id : z.zone.id + " " + z.zone.name;
    };
    int width = 12; // display columns: Chinese names are two columns a character
    for (const auto& z : r.zones) width = std::max(width, detail::display_width(label_of(z)));
    out += fmt::format("  {} {:>9} {:>9} {:>8} {:>6} {:>6} {:>6}\n", detail::pad_right("zone", width), "area km²", "km raw",
                       "km/km²", "ints", "ends", "beta");
    for (const auto& z : r.zones) {
        const std::string label = label_of(z);
        out += fmt::format("  {} {:>9.3f} {:>9.3f} {:>8} {:>6} {:>6} {:>6}{}\n", detail::pad_right(label, width), z.area_km2,
                           z.densities.length_km,
                           z.densities.road_density_centreline ? fmt::format("{:.2f}", *z.densities.road_density_centreline) : "n/a",
                           z.densities.intersections, z.densities.dead_ends,
                           z.indices ? fmt::format("{:.2f}", z.indices->beta) : "n/a",
                           z.overlaps_network ? "" : "  (no road)");
    }
    return out;
}

/// Parcel centroids or points of a layer, reprojected to the network's CRS, or
/// the rows of a table (CSV) placed by their coordinate columns.
struct Sites {
    std::vector<AccessSite> list;
    std::size_t polygons = 0, points = 0;
    /// "parcels" for polygons, "points" for points, "sites" for a mix (singular with n == 1).
    std::string noun(std::size_t n) const {
        if (points == 0) return n == 1 ? "parcel" : "parcels";
        if (polygons == 0) return n == 1 ? "point" : "points";
        return n == 1 ? "site" : "sites";
    }
    std::string counted(std::size_t n) const { return fmt::format("{} {}", n, noun(n)); }
};

struct SiteSpec {
    std::string path, layer, id_field;
    std::string option;      ///< "--access", "--od-origins", "--access-target school"
    std::string id_option;   ///< "--access-id", ...
    std::string crs_value, crs_option;
    std::string xy;          ///< --xy X,Y (empty: found by name)
};

/// The rows of a table without geometry at their coordinate columns.
void sites_from_columns(const Layer& table, const SiteSpec& s, int id, const CrsRef& to, Sites& out) {
    XyColumns cols;
    if (!s.xy.empty()) {
        const auto comma = s.xy.find(',');
        cols.x = table.require_field(s.xy.substr(0, comma), "--xy");
        cols.y = table.require_field(s.xy.substr(comma + 1), "--xy");
    } else {
        cols = find_xy_columns(table);
        if (cols.x < 0)
            throw input_error(fmt::format("{}: no geometry, and no coordinate columns named {}", s.option, xy_column_names()),
                              ErrorContext{s.path, table.name}, "name the columns with --xy X,Y (e.g. --xy 东坐标,北坐标)");
    }
    const std::string xname = table.fields[static_cast<std::size_t>(cols.x)].name;
    const std::string yname = table.fields[static_cast<std::size_t>(cols.y)].name;
    CrsRef from;
    if (!s.crs_value.empty()) {
        from = crs_from_user(s.crs_value);
    } else {
        bool lonlat_range = true, any = false;
        for (const auto& f : table.features) {
            const auto x = to_number(f.values[static_cast<std::size_t>(cols.x)]);
            const auto y = to_number(f.values[static_cast<std::size_t>(cols.y)]);
            if (!x || !y || !std::isfinite(*x) || !std::isfinite(*y)) continue;
            any = true;
            lonlat_range = lonlat_range && std::abs(*x) <= 180 && std::abs(*y) <= 90;
        }
        if (any && !lonlat_range)
            throw crs_error(fmt::format("{}: columns '{}', '{}' hold coordinates with no CRS, and they are not lon/lat",
                                        s.option, xname, yname),
                            ErrorContext{s.path, table.name},
                            fmt::format("pass {} EPSG:NNNN with the CRS of the coordinates (the network is in {})",
                                        s.crs_option, to.label()));
        from = wgs84();
        if (cols.lonlat)
            log::info(fmt::format("{} {}: columns '{}', '{}' read as WGS84 lon/lat (give {} GCJ02, BD09 or "
                                  "EPSG:NNNN if they are not)",
                                  s.option, s.path, xname, yname, s.crs_option));
        else
            log::warn(fmt::format("{} {}: columns '{}', '{}' have no CRS; every coordinate lies in lon/lat range: WGS84 "
                                  "assumed (give {} EPSG:NNNN if it is not)",
                                  s.option, s.path, xname, yname, s.crs_option));
    }
    const auto points = points_from_columns(table, cols.x, cols.y, from, to);
    std::vector<std::string> without;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& f = table.features[i];
        const std::string name = id >= 0 ? to_text(f.values[static_cast<std::size_t>(id)]) : std::to_string(f.fid);
        if (!points[i]) {
            without.push_back(name);
            continue;
        }
        out.list.push_back({name, *points[i]});
        ++out.points;
    }
    if (!without.empty()) {
        std::string list;
        for (std::size_t i = 0; i < without.size() && i < 5; ++i) list += (i ? ", " : "") + without[i];
        if (without.size() > 5) list += ", ...";
        log::warn(fmt::format("{} {}: {} without usable coordinates in columns '{}', '{}' ({}), skipped", s.option, s.path,
                              count(without.size(), "row", "rows"), xname, yname, list));
    }
    if (out.list.empty())
        throw input_error(fmt::format("{}: no row with usable coordinates in columns '{}', '{}'", s.option, xname, yname),
                          ErrorContext{s.path, table.name});
    log::info(fmt::format("{} {}: {} from columns '{}', '{}' ({})", s.option, s.path, count(out.points, "point", "points"),
                          xname, yname, from.label()));
}

Sites read_sites(LayerReader& reader, const SiteSpec& s) {
    Layer layer = reader.read(s.path, s.layer, std::nullopt, s.crs_value, s.crs_option);
    if (layer.source_crs.known() && layer.source_crs.wkt != reader.crs().wkt)
        log::info(fmt::format("{} {}: reprojected from {} to {}", s.option, s.path, layer.source_crs.label(),
                              reader.crs().label()));
    // without an id option, a column named `id` (any case) names each site; else the feature id
    const int id = s.id_field.empty() ? find_id_column(layer) : layer.require_field(s.id_field, s.id_option);
    Sites out;
    const bool table = std::all_of(layer.features.begin(), layer.features.end(), [](const Feature& f) {
        return f.geometry.points.empty() && f.geometry.lines.empty() && f.geometry.polygons.empty();
    });
    if (table && !layer.features.empty()) {
        sites_from_columns(layer, s, id, reader.crs(), out);
        return out;
    }
    std::size_t skipped = 0;
    for (const auto& f : layer.features) {
        const auto p = site_position(f.geometry);
        if (!p) { ++skipped; continue; }
        out.list.push_back({id >= 0 ? to_text(f.values[static_cast<std::size_t>(id)]) : std::to_string(f.fid), *p});
        ++(f.geometry.polygons.empty() ? out.points : out.polygons);
    }
    if (skipped > 0)
        log::warn(fmt::format("{} {}: {} neither polygons nor points, skipped", s.option, s.path,
                              skipped == 1 ? std::string("1 feature is") : fmt::format("{} features are", skipped)));
    if (out.list.empty()) throw input_error(fmt::format("{}: no polygon or point", s.option), ErrorContext{s.path, layer.name});
    return out;
}

/// One summary line for sites snapped farther than `far` m from any road (the
/// farthest named); with -v one line per site.
void report_far(const std::string& what, const std::vector<const AccessSite*>& sites,
                const std::vector<double>& snap_m, double far, const std::string& where, const std::string& prefix) {
    std::size_t n = 0, worst = 0;
    for (std::size_t i = 0; i < sites.size(); ++i) {
        if (!(snap_m[i] > far)) continue;
        if (n == 0 || snap_m[i] > snap_m[worst]) worst = i;
        ++n;
    }
    if (n == 0) return;
    log::warn(fmt::format("{} {} more than {:g} m from any road, the farthest {} at {:.1f} m ({}; -v lists each)", what,
                          n == 1 ? "is" : "are", far, sites[worst]->id, snap_m[worst], where));
    for (std::size_t i = 0; i < sites.size(); ++i)
        if (snap_m[i] > far) log::debug(fmt::format("{}{}: {:.1f} m from the nearest road", prefix, sites[i]->id, snap_m[i]));
}

std::vector<RoadClass> parse_classes(const std::string& text) {
    std::vector<RoadClass> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const auto add = [&](RoadClass c) {
            if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
        };
        if (item == "trunk" || item == "干线") { // 干线 = 快速路 + 主干路 (GB/T 51328-2018)
            add(RoadClass::expressway);
            add(RoadClass::arterial);
        } else {
            const auto c = road_class_from_text(item);
            if (!c)
                throw usage_error(fmt::format("--access-class: unknown road class '{}'", item), {},
                                  "use trunk or 干线 (快速路+主干路), expressway, arterial (主干路 only), collector, "
                                  "local, ramp, side_road, other (or 快速路, 主干路, 次干路, 支路, ...), comma-separated");
            add(*c);
        }
        if (comma == std::string::npos) return out;
        start = comma + 1;
    }
}

/// The zones of a layer, reprojected to the network's CRS; `reprojected_from`
/// names the source CRS when it differed.
std::vector<Zone> read_zones(LayerReader& reader, const std::string& path, const std::string& layer_name,
                             const std::string& id_field, const std::string& name_field, const std::string& crs_value,
                             std::string& reprojected_from) {
    Layer layer = reader.read(path, layer_name, GeometryKind::polygon, crs_value, "--zones-crs");
    if (layer.source_crs.known() && layer.source_crs.wkt != reader.crs().wkt) {
        reprojected_from = layer.source_crs.label();
        log::info(fmt::format("--zones {}: reprojected from {} to {}", path, layer.source_crs.label(), reader.crs().label()));
    }
    const int id = id_field.empty() ? -1 : layer.require_field(id_field, "--zone-id");
    const int nm = name_field.empty() ? layer.field_index("name") : layer.require_field(name_field, "--zone-name");
    std::vector<Zone> out;
    for (auto& f : layer.features) {
        if (f.geometry.polygons.empty()) continue;
        Zone z;
        z.id = id >= 0 ? to_text(f.values[static_cast<std::size_t>(id)]) : std::to_string(f.fid);
        if (nm >= 0) z.name = to_text(f.values[static_cast<std::size_t>(nm)]);
        z.polygons = std::move(f.geometry.polygons);
        out.push_back(std::move(z));
    }
    if (out.empty()) throw input_error("--zones: no polygon", ErrorContext{path, layer.name});
    return out;
}

/// Zones off the network: one warning with the count and the first few; each with -v.
void report_zones_off_network(const ZoneReport& r, bool json, const std::string& output, bool from_layer) {
    std::vector<const ZoneMetrics*> off;
    for (const auto& z : r.zones)
        if (!z.overlaps_network) off.push_back(&z);
    if (off.empty()) return;
    auto name = [](const ZoneMetrics& z) { return z.zone.id + (z.zone.name.empty() ? "" : " (" + z.zone.name + ")"); };
    std::string first;
    for (std::size_t i = 0; i < off.size() && i < 5; ++i) first += (i ? ", " : "") + name(*off[i]);
    if (off.size() > 5) first += fmt::format(" and {} more", off.size() - 5);
    std::string where = json ? "overlaps_network: false per zone in the JSON" : "marked (no road) in the zones table";
    if (!output.empty()) where += "; overlaps_network = 0 in the zones layer of " + output;
    if (off.size() == r.zones.size())
        log::warn(fmt::format("none of the {} overlaps the road network ({}): check that the zones and the roads cover "
                              "the same place{}; {}",
                              count(r.zones.size(), "zone", "zones"), first,
                              from_layer ? " and that the zones' CRS is right (--zones-crs)" : "", where));
    else
        log::warn(fmt::format("{} of {} {} not overlap the road network: {}; {} kept with zero length ({}; -v lists "
                              "each)",
                              off.size(), count(r.zones.size(), "zone", "zones"), off.size() == 1 ? "does" : "do", first,
                              off.size() == 1 ? "it is" : "they are", where));
    for (const auto* z : off) log::debug(fmt::format("zone {}: does not overlap the road network", name(*z)));
}

class MetricsCommand : public Command {
public:
    std::string name() const override { return "metrics"; }
    std::string summary() const override {
        return "Connectivity indices, road density against targets, OD circuity, OSMnx stats and centrality";
    }

    void setup(CLI::App& app) override {
        network_.add_to(app);
        app.add_option("--boundary", boundary_, "Polygon layer of the study area (FILE[:LAYER]): the area behind densities")
            ->check(existing_source("--boundary"));
        app.add_option("--boundary-crs", boundary_crs_,
                       "CRS of --boundary when it has none or a wrong one (--src-crs is for the roads): EPSG:NNNN, WKT, "
                       "PROJ string, GCJ02 or BD09");
        app.add_option("--parcels", parcels_, "Parcel polygons (FILE[:LAYER]): their union is the built-up area behind densities")
            ->check(existing_source("--parcels"));
        app.add_option("--parcels-crs", parcels_crs_, "CRS of --parcels when it has none or a wrong one");
        app.add_option("--closing", closing_,
                       "Built-up area = union of --parcels closed by this many metres (buffer +M then -M) to take in "
                       "the street space; 0 = the plain union (default 25)");
        app.add_option("--area-type", area_type_, "Density targets: built-up (default), central, residential, industrial");
        app.add_option("--targets", targets_, "TOML file of density targets ([[target]] key, min, max, class, label)")
            ->check(existing_source("--targets"));
        app.add_option("--zones", zones_, "Polygon layer of zones: every index per zone (districts, parks, blocks)")
            ->check(existing_source("--zones"));
        app.add_option("--zones-layer", zones_layer_, "Layer of the --zones file (default: the first)");
        app.add_option("--zones-crs", zones_crs_, "CRS of --zones when it has none or a wrong one");
        app.add_option("--zone-id", zone_id_, "Field naming each zone (default: the feature id)");
        app.add_option("--zone-name", zone_name_, "Field with each zone's name (default: 'name' when present)");
        app.add_option("--grid", grid_, "Zones from a generated grid over the network: square:SIZE or hex:SIZE (metres)");
        app.add_option("--access", access_,
                       "Parcels (polygons, at their centroid) or points (a point layer, or a CSV with x/y or lon/lat "
                       "columns): accessibility of each")
            ->check(existing_source("--access"));
        app.add_option("--access-crs", access_crs_, "CRS of --access (or of its coordinate columns) when it has none or a wrong one");
        app.add_option("--access-layer", access_layer_, "Layer of the --access file (default: the first)");
        app.add_option("--access-id", access_id_,
                       "Field naming each parcel or point (default: a field named id in any case, else the feature id)");
        app.add_option("--access-class", access_class_,
                       "Road classes whose nearest road is measured, comma-separated: arterial = 主干路 only (default), "
                       "trunk or 干线 = 快速路+主干路, expressway, collector, local, ramp, side_road, other (or the "
                       "Chinese class names)");
        app.add_option("--access-radius", access_radius_, "Radii (m) for reachable road length and parcels (default 400,800)");
        app.add_option("--access-target", access_targets_,
                       "Destinations NAME=FILE[:LAYER] (points, polygons or a CSV of coordinates; repeatable): distance "
                       "to the nearest")
            ->check(existing_source("--access-target", true));
        app.add_option("--access-target-crs", access_target_crs_, "CRS of every --access-target when it has none or a wrong one");
        app.add_option("--skeleton", skeleton_,
                       "Skeleton spec (TOML, as plan skeleton --spec): each parcel's network distance to it (to_skeleton_m)")
            ->check(existing_source("--skeleton"));
        app.add_option("--far", far_, "Parcels farther than this (m) from any road are reported (default 100)");
        app.add_option("--od-origins", od_origins_, "OD circuity from these points or parcel centroids (FILE[:LAYER])")
            ->check(existing_source("--od-origins"));
        app.add_option("--od-destinations", od_destinations_, "... to each of these named destinations (FILE[:LAYER])")
            ->check(existing_source("--od-destinations"));
        app.add_option("--od-crs", od_crs_, "CRS of --od-origins and --od-destinations when they have none or a wrong one");
        app.add_option("--xy", xy_,
                       "Coordinate columns X,Y of a CSV given to --access, --access-target or --od-* (default: found by "
                       "name: x/y, lon/lat, lng/lat, longitude/latitude, 经度/纬度, ...)");
        app.add_option("--od-origin-id,--od-origin-name", od_origin_id_,
                       "Field naming each origin (default: a field named id in any case, else the feature id)");
        app.add_option("--od-name,--od-destination-id", od_name_,
                       "Field naming each destination (default: a field named id in any case, else the feature id)");
        app.add_option("--tolerance", tolerance_, "Intersections whose discs of this radius (m) overlap are one junction (default 15)");
        app.add_option("--radius", radius_, "Centrality radii in metres, e.g. 400,800,1600 (global is always computed)");
        app.add_flag("--no-global", no_global_, "Skip the global (unlimited) centrality");
        app.add_flag("--no-centrality", no_centrality_, "Skip centrality");
        app.add_option("--sample", sample_, "Centrality from this many sampled sources (default: exact)");
        app.add_option("--threads", threads_, "Threads for centrality and circuity (result independent of it; default 1)");
        app.add_option("--circuity-pairs", circuity_pairs_, "OD circuity: pairs sampled on networks over 1500 nodes (default 20000)");
        app.add_option("--seed", seed_, "Seed for sampled centrality and circuity (default 1)");
        app.add_option("-o,--output", output_, "Write edges and nodes layers to a GeoPackage or a GeoJSON folder");
        app.add_flag("--overwrite", overwrite_, "Replace an existing output");
        app.add_flag("--json", json_, "Print the study-level report as JSON (stable key order)");
        input_.add_to(app);
        common_.add_to(app);
    }

    int run() override {
        common_.apply();
        check_output_early(output_, overwrite_); // a bad or existing -o fails before any reading
        // Everything the user typed is checked before any data is read.
        // --zones and --access take FILE:LAYER as --boundary does, or FILE with --zones-layer / --access-layer.
        for (auto [spec, layer, option] : {std::tuple{&zones_, &zones_layer_, "--zones"},
                                           std::tuple{&access_, &access_layer_, "--access"}}) {
            if (spec->empty()) continue;
            auto [file, named] = file_and_layer(*spec);
            if (named.empty()) continue;
            if (!layer->empty() && *layer != named)
                throw usage_error(fmt::format("{} {} names layer '{}' and {}-layer names '{}'", option, *spec, named,
                                              option, *layer),
                                  {}, fmt::format("give the layer once: {} FILE:LAYER or {} FILE {}-layer LAYER", option,
                                                  option, option));
            *spec = file;
            *layer = named;
        }
        const std::vector<double> radii = parse_radii(radius_);
        if (threads_ < 1) throw usage_error("--threads must be at least 1");
        if (!(tolerance_ > 0)) throw usage_error(fmt::format("--tolerance must be positive, not {}", tolerance_));
        if (!(closing_ >= 0) || !std::isfinite(closing_))
            throw usage_error(fmt::format("--closing must be 0 or more metres, not {}", closing_));
        if (!boundary_.empty() && !parcels_.empty())
            throw usage_error("give --boundary or --parcels, not both: a density has one area");
        struct CrsOption {
            const std::string& value;
            const char* option;
            bool layer_given;
            const char* layer;
        };
        const CrsOption crs_options[] = {
            {boundary_crs_, "--boundary-crs", !boundary_.empty(), "--boundary"},
            {parcels_crs_, "--parcels-crs", !parcels_.empty(), "--parcels"},
            {zones_crs_, "--zones-crs", !zones_.empty(), "--zones"},
            {access_crs_, "--access-crs", !access_.empty(), "--access"},
            {access_target_crs_, "--access-target-crs", !access_targets_.empty(), "--access-target"},
            {od_crs_, "--od-crs", !od_origins_.empty(), "--od-origins and --od-destinations"}};
        for (const auto& c : crs_options) {
            if (c.value.empty()) continue;
            if (!c.layer_given)
                throw usage_error(fmt::format("{} is the CRS of {}, which is not given", c.option, c.layer), {},
                                  fmt::format("give {} too, or leave {} out", c.layer, c.option));
            try {
                (void)crs_from_user(c.value);
            } catch (const crs_error& e) {
                throw usage_error(fmt::format("{}: {}", c.option, e.message()), {},
                                  e.hint().empty() ? "give a code such as EPSG:4548" : e.hint());
            }
        }
        if (!xy_.empty()) {
            const auto comma = xy_.find(',');
            if (comma == std::string::npos || comma == 0 || comma + 1 == xy_.size() || xy_.find(',', comma + 1) != std::string::npos)
                throw usage_error(fmt::format("--xy '{}' is not X,Y", xy_), {}, "e.g. --xy lon,lat");
        }
        AccessOptions aopt;
        aopt.road_classes = parse_classes(access_class_);
        aopt.radii = access_radius_.empty() ? std::vector<double>{} : parse_radii(access_radius_, "--access-radius");
        if (!(far_ >= 0)) throw usage_error(fmt::format("--far must be 0 or more, not {}", far_));
        aopt.far_m = far_;
        std::vector<std::pair<std::string, std::string>> target_specs;
        for (const auto& t : access_targets_) {
            const auto eq = t.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == t.size())
                throw usage_error(fmt::format("--access-target: '{}' is not NAME=FILE", t), {},
                                  "write --access-target school=schools.gpkg");
            target_specs.push_back({t.substr(0, eq), t.substr(eq + 1)});
        }
        if (od_origins_.empty() != od_destinations_.empty())
            throw usage_error("--od-origins and --od-destinations go together");
        if (!zones_.empty() && !grid_.empty()) throw usage_error("give --zones or --grid, not both");
        if (!grid_.empty()) (void)grid_from_spec(grid_, Envelope{}); // checks the spec before reading data
        MetricsOptions mopt;
        mopt.consolidate_tolerance = tolerance_;
        mopt.area_type = area_type_;
        mopt.targets = targets_.empty() ? default_targets(area_type_) : targets_from_toml(targets_);
        (void)network_.to_build_options();
        std::optional<SkeletonSpec> skeleton_spec;
        if (!skeleton_.empty()) {
            if (access_.empty()) throw usage_error("--skeleton measures parcels' distance to it: give --access too");
            skeleton_spec = SkeletonSpec::from_file(skeleton_); // spec errors before any reading
        }

        BuildReport build_report;
        double scale_error = 0.0;
        const Network net = network_.build(input_, &build_report, &scale_error);
        LayerReader reader(net.crs());
        StudyArea area;
        if (!boundary_.empty())
            area = study_area_from_boundary(read_polygons(reader, boundary_, "--boundary", boundary_crs_), boundary_);
        if (!parcels_.empty())
            area = study_area_from_parcels(read_polygons(reader, parcels_, "--parcels", parcels_crs_), parcels_, closing_);
        if (area.basis != StudyArea::Basis::none) {
            const Envelope ne = net.extent();
            Envelope ae;
            for (const auto& p : area.polygons)
                for (const auto& q : p.rings.empty() ? Ring{} : p.rings[0]) ae.expand(q);
            if (!ae.intersects(ne))
                throw input_error(fmt::format("the {} does not overlap the road network", to_string(area.basis)),
                                  ErrorContext{area.source}, "check that both layers cover the same place");
        } else {
            log::warn("no --boundary or --parcels: densities are not computed (the data's bounding box is never used)");
        }

        MetricsReport report;
        report.crs = net.crs().label();
        report.area_type = targets_.empty() ? area_type_ : "custom (" + targets_ + ")";
        report.consolidate_tolerance = tolerance_;
        report.indices = connectivity_indices(net, mopt);
        report.densities = densities(net, area, mopt);
        report.osmnx = osmnx_basic_stats(net, area.area_m2, tolerance_);
        CircuityOptions copt;
        copt.sample_pairs = circuity_pairs_;
        copt.seed = seed_;
        copt.threads = static_cast<unsigned>(threads_);
        report.circuity = od_circuity(net, copt);
        if (report.indices.p > 1)
            log::warn(fmt::format("the network is in {} components: {} of {} cannot reach each other and are "
                                  "counted apart, not averaged",
                                  report.indices.p, report.circuity.unreachable,
                                  count(report.circuity.pairs, "OD pair", "OD pairs")));

        std::optional<ZoneReport> zone_report;
        if (!zones_.empty() || !grid_.empty()) {
            std::string reprojected_from, source = zones_;
            std::vector<Zone> zones;
            if (!zones_.empty()) {
                zones = read_zones(reader, zones_, zones_layer_, zone_id_, zone_name_, zones_crs_, reprojected_from);
            } else if (area.basis == StudyArea::Basis::none) {
                zones = grid_from_spec(grid_, net.extent());
                source = "grid " + grid_ + " over the network's extent";
            } else {
                // cells over the study area, clipped to it: densities use each cell's area inside it
                Envelope ae;
                for (const auto& p : area.polygons)
                    for (const auto& q : p.rings.empty() ? Ring{} : p.rings[0]) ae.expand(q);
                const auto cells = grid_from_spec(grid_, ae);
                zones = clip_zones(cells, area.polygons);
                source = fmt::format("grid {} clipped to the {} ({}): {} of {} {} it", grid_, to_string(area.basis),
                                     area.source, zones.size(), count(cells.size(), "cell", "cells"),
                                     zones.size() == 1 ? "meets" : "meet");
            }
            zone_report = zone_metrics(net, zones, mopt);
            zone_report->source = source;
            zone_report->reprojected_from = reprojected_from;
            report_zones_off_network(*zone_report, json_, output_, !zones_.empty());
            if (zone_report->length_km_in_zones < zone_report->length_km_network * (1 - 1e-9))
                log::info(fmt::format("zones: {:.3f} of {:.3f} km of road lie in a zone",
                                      zone_report->length_km_in_zones, zone_report->length_km_network));
        }

        std::optional<AccessReport> access;
        std::optional<SkeletonResult> skeleton;
        Sites sites;
        if (!access_.empty()) {
            sites = read_sites(reader, {access_, access_layer_, access_id_, "--access", "--access-id", access_crs_,
                                        "--access-crs", xy_});
            std::vector<AccessTargets> targets;
            for (const auto& [name, spec] : target_specs) {
                AccessTargets t;
                t.name = name;
                const auto [file, layer] = file_and_layer(spec);
                for (const auto& s : read_sites(reader, {file, layer, {}, "--access-target " + name, {}, access_target_crs_,
                                                         "--access-target-crs", xy_})
                                         .list)
                    t.points.push_back(s.position);
                targets.push_back(std::move(t));
            }
            if (skeleton_spec) {
                skeleton = analyse_skeleton(net, *skeleton_spec);
                aopt.skeleton_edges = skeleton_edge_ids(*skeleton);
                aopt.skeleton_name = skeleton_spec->name.empty() ? skeleton_ : skeleton_spec->name;
            }
            access = accessibility(net, sites.list, targets, aopt);
            std::vector<const AccessSite*> ptrs;
            std::vector<double> snap;
            for (std::size_t i = 0; i < sites.list.size(); ++i) {
                ptrs.push_back(&sites.list[i]);
                snap.push_back(access->sites[i].snap.distance_m);
            }
            report_far(fmt::format("--access: {} of {}", access->far, sites.counted(sites.list.size())), ptrs, snap, far_,
                       "snap distance in the access layer, far_from_road = 1", "--access ");
            if (access->class_edges == 0)
                log::warn(fmt::format("--access-class {}: no road of class {} in the network: distances to it are not "
                                      "computed (use --access-class with a class the network has, e.g. trunk, "
                                      "collector or local; plan network lists the length by class)",
                                      access_class_, access_classes_label(aopt.road_classes)));
            else if (access->unreachable_class > 0)
                log::warn(fmt::format("{} cannot reach a road of class {}: counted apart, not averaged",
                                      sites.counted(access->unreachable_class), access_classes_label(aopt.road_classes)));
            for (std::size_t t = 0; t < access->target_names.size(); ++t) {
                std::size_t unreachable = 0;
                for (const auto& a : access->sites)
                    if (a.snap.edge != kNoId && (t >= a.to_target_m.size() || !a.to_target_m[t])) ++unreachable;
                if (unreachable > 0)
                    log::warn(fmt::format("{} cannot reach a point of --access-target {}: counted apart, not averaged{}",
                                          sites.counted(unreachable), access->target_names[t],
                                          unreachable == access->sites.size()
                                              ? " (none can: are the targets on a piece of road cut off from the rest?)"
                                              : ""));
            }
            if (access->unreachable_skeleton > 0)
                log::warn(fmt::format("{} cannot reach the skeleton: counted apart, not averaged",
                                      sites.counted(access->unreachable_skeleton)));
        }

        std::optional<OdLayerCircuity> od;
        std::vector<AccessSite> od_from, od_to;
        if (!od_origins_.empty()) {
            const auto [ofile, olayer] = file_and_layer(od_origins_);
            const auto [dfile, dlayer] = file_and_layer(od_destinations_);
            od_from = read_sites(reader, {ofile, olayer, od_origin_id_, "--od-origins", "--od-origin-id", od_crs_, "--od-crs", xy_}).list;
            od_to = read_sites(reader, {dfile, dlayer, od_name_, "--od-destinations", "--od-name", od_crs_, "--od-crs", xy_}).list;
            od = od_circuity_layer(net, od_from, od_to, far_);
            std::vector<const AccessSite*> ptrs;
            std::vector<double> snap;
            std::vector<AccessSite> labelled;
            labelled.reserve(od_from.size() + od_to.size());
            for (std::size_t i = 0; i < od_from.size(); ++i)
                labelled.push_back({"origin " + od_from[i].id, od_from[i].position}), snap.push_back(od->origin_snaps[i].distance_m);
            for (std::size_t i = 0; i < od_to.size(); ++i)
                labelled.push_back({"destination " + od_to[i].id, od_to[i].position}),
                    snap.push_back(od->destination_snaps[i].distance_m);
            for (const auto& l : labelled) ptrs.push_back(&l);
            report_far(fmt::format("OD layer: {} of {} origins and destinations", od->far, od_from.size() + od_to.size()),
                       ptrs, snap, far_, "snap distances in the od_pairs layer", "OD layer ");
            if (od->summary.unreachable > 0)
                log::warn(fmt::format("OD layer: {} of {} cannot reach each other: counted apart, not averaged",
                                      od->summary.unreachable, count(od->summary.pairs, "pair", "pairs")));
            if (od->summary.too_close > 0)
                log::warn(fmt::format("OD layer: {} of {} {} closer than 1 m in a straight line: counted apart "
                                      "(too_close), not averaged",
                                      od->summary.too_close, count(od->summary.pairs, "pair", "pairs"),
                                      od->summary.too_close == 1 ? "is" : "are"));
        }

        std::optional<CentralityResult> cen;
        if (!no_centrality_) {
            CentralityOptions opt;
            opt.global = !no_global_;
            opt.radii = radii;
            opt.threads = static_cast<unsigned>(threads_);
            opt.sample_sources = sample_;
            opt.seed = seed_;
            const auto t0 = std::chrono::steady_clock::now();
            cen = centrality(net, opt);
            log::info(fmt::format("centrality: {} on {} in {:.2f} s", count(cen->sources, "source", "sources"),
                                  count(static_cast<std::size_t>(threads_), "thread", "threads"),
                                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()));
            // harmonic closeness sums 1/d: two junctions a few cm apart give each other a term of
            // hundreds, which a map of closeness shows as a hot spot; say where such edges are
            std::size_t short_edges = 0;
            EdgeId shortest = kNoId;
            for (EdgeId e = 0; e < net.edges().size(); ++e) {
                const Edge& ed = net.edge(e);
                if (ed.removed || ed.from == ed.to || !(ed.length < 1.0)) continue;
                ++short_edges;
                if (shortest == kNoId || ed.length < net.edge(shortest).length) shortest = e;
            }
            if (short_edges > 0) {
                const Edge& se = net.edge(shortest);
                log::warn(fmt::format("{} shorter than 1 m (shortest: edge {}{}, {:.3f} m): harmonic closeness sums 1/d, "
                                      "so each gives the nodes at its ends at least 1/length (here {:.1f}) and they "
                                      "stand out on a map; check them in the edges layer (length_m)",
                                      count(short_edges, "edge is", "edges are"), shortest,
                                      se.attributes.name.empty() ? std::string() : " " + se.attributes.name, se.length,
                                      1.0 / std::max(se.length, 0.001)));
            }
            if (cen->sampled)
                for (const auto& r : cen->radii)
                    log::info(fmt::format("centrality {} from {} of {} sources: betweenness within ±{:.4g} of exact "
                                          "with 99 % confidence",
                                          r.radius > 0 ? fmt::format("{:.0f} m", r.radius) : "global", cen->sources,
                                          cen->nodes, r.betweenness_error_bound));
        }
        if (!output_.empty()) {
            auto layers = metrics_layers(net, mopt, cen ? &*cen : nullptr);
            if (zone_report) layers.push_back(zone_layer(*zone_report));
            if (access) layers.push_back(access_layer(sites.list, *access));
            if (skeleton) layers.push_back(skeleton_edges_layer(net, *skeleton));
            if (od) layers.push_back(od_pairs_layer(od_from, od_to, *od));
            write_layers(output_, output_format_for(output_), net.crs(), layers, WriteOptions{overwrite_});
            log::info("wrote " + output_);
        }
        if (json_) {
            const std::string text = metrics_json(report, zone_report ? &*zone_report : nullptr, od ? &*od : nullptr,
                                                  access ? &*access : nullptr);
            auto j = nlohmann::ordered_json::parse(text);
            j["network_build"] = nlohmann::ordered_json::parse(network_build_json(build_report, ClassFilter::parse(network_.classes)));
            std::cout << with_crs_scale_error(j.dump(2), scale_error, net.crs()) << "\n";
        } else {
            std::cout << to_text(report) << build_class_text(build_report, network_.classes);
            if (zone_report) std::cout << zones_text(*zone_report);
            if (od)
                std::cout << fmt::format("\nOD layer circuity (非直线系数): {} x {}: {}: {} reachable, {} unreachable "
                                         "(no path), {} too close (under 1 m apart); mean {}, ratio of sums {}\n",
                                         count(od_from.size(), "origin", "origins"),
                                         count(od_to.size(), "destination", "destinations"),
                                         count(od->summary.pairs, "pair", "pairs"), od->summary.reachable,
                                         od->summary.unreachable, od->summary.too_close,
                                         od->summary.mean ? fmt::format("{:.3f}", *od->summary.mean) : "n/a",
                                         od->summary.ratio_of_sums ? fmt::format("{:.3f}", *od->summary.ratio_of_sums) : "n/a");
            if (access) {
                const auto a = nlohmann::ordered_json::parse(access_summary_json(*access));
                auto metres = [&](const nlohmann::ordered_json& v) {
                    return v.is_null() ? std::string("n/a") : fmt::format("{:.0f}", v.get<double>());
                };
                const std::string label = a["road_classes_label"].get<std::string>();
                if (access->class_edges == 0)
                    std::cout << fmt::format("\nAccessibility: {}; no road of class {} in the network: distances not "
                                             "computed (use --access-class trunk, collector, local, ...)\n",
                                             sites.counted(sites.list.size()), label);
                else
                    std::cout << fmt::format("\nAccessibility: {}, nearest road of class {}: mean {} m, max {} m "
                                             "(network distance from each site's snap point; the snap leg is not "
                                             "included: mean {} m, max {} m)\n",
                                             sites.counted(sites.list.size()), label, metres(a["to_road_class_mean_m"]),
                                             metres(a["to_road_class_max_m"]), metres(a["snap_mean_m"]),
                                             metres(a["snap_max_m"]));
                std::cout << fmt::format("  {} more than {:g} m from any road{}\n", access->far, far_,
                                         access->unreachable_class > 0 && access->class_edges > 0
                                             ? fmt::format("; {} cannot reach a road of that class",
                                                           access->unreachable_class)
                                             : std::string());
                for (const auto& t : a["to_targets"])
                    std::cout << fmt::format("  to the nearest {}: mean {}, max {} over {}{}\n",
                                             t["name"].get<std::string>(),
                                             t["mean_m"].is_null() ? std::string("n/a") : metres(t["mean_m"]) + " m",
                                             t["max_m"].is_null() ? std::string("n/a") : metres(t["max_m"]) + " m",
                                             sites.counted(t["reachable"].get<std::size_t>()),
                                             t["unreachable"].get<std::size_t>() > 0
                                                 ? fmt::format("; {} cannot reach one",
                                                               sites.counted(t["unreachable"].get<std::size_t>()))
                                                 : std::string());
                for (const auto& w : a["within"]) {
                    auto km = [](const nlohmann::ordered_json& v) {
                        return v.is_null() ? std::string("n/a") : fmt::format("{:.2f}", v.get<double>());
                    };
                    auto n = [](const nlohmann::ordered_json& v) {
                        return v.is_null() ? std::string("n/a") : fmt::format("{:.1f}", v.get<double>());
                    };
                    std::cout << fmt::format("  within {:g} m of network distance: {} km of road on average (least {} "
                                             "km), {} other {} on average\n",
                                             w["radius_m"].get<double>(), km(w["road_km_mean"]), km(w["road_km_min"]),
                                             n(w["sites_mean"]), sites.noun(2));
                }
                if (const auto& k = a["to_skeleton"]; !k.is_null()) {
                    auto m = [&](const char* key) {
                        return k[key].is_null() ? std::string("n/a") : fmt::format("{:.0f}", k[key].get<double>());
                    };
                    const auto unreachable = k["unreachable"].get<std::size_t>();
                    std::cout << fmt::format("  to the skeleton ({}, {}): mean {} m, median {} m, p90 {} m, max "
                                             "{} m; {} cannot reach it\n",
                                             k["skeleton"].get<std::string>(),
                                             count(k["skeleton_edges"].get<std::size_t>(), "edge", "edges"), m("mean_m"),
                                             m("median_m"), m("p90_m"), m("max_m"), sites.counted(unreachable));
                }
            }
        }
        return 0;
    }

private:
    NetworkOptions network_;
    std::string od_origins_, od_destinations_, od_origin_id_, od_name_;
    std::string access_, access_layer_, access_id_, access_class_ = "arterial", access_radius_ = "400,800";
    std::string boundary_crs_, parcels_crs_, zones_crs_, access_crs_, access_target_crs_, od_crs_, xy_;
    std::vector<std::string> access_targets_;
    double far_ = 100;
    std::string skeleton_;
    std::string zones_, zones_layer_, zone_id_, zone_name_, grid_;
    std::string boundary_, parcels_, area_type_ = "built-up", targets_, radius_, output_;
    double tolerance_ = 15.0;
    double closing_ = kBuiltUpClosingM;
    bool no_global_ = false, no_centrality_ = false, overwrite_ = false, json_ = false;
    std::size_t sample_ = 0, circuity_pairs_ = 20000;
    int threads_ = 1;
    std::uint64_t seed_ = 1;
    InputOptions input_;
    CommonOptions common_;
};

const Registration registration{[] { return std::make_unique<MetricsCommand>(); }};

} // namespace
} // namespace plan::cli
