#include "network_options.hpp"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/progress.hpp"
#include "plan/source.hpp"
#include "plan/warning_summary.hpp"

namespace plan::cli {

bool looks_osm(const std::string& path) {
    for (const std::string suffix : {".osm", ".pbf", ".osm.bz2"})
        if (path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
            return true;
    return false;
}

void NetworkOptions::add_to(CLI::App& app) {
    app.add_option("roads", roads, "Road line sources (files or connection strings); several are merged")->required();
    app.add_option("--layer", layer, "Layer of each source by name or index (default: 'lines' for OSM, else the first)");
    app.add_option("--classes", classes,
                   "Road classes to take: 'all', 'public' (default) or a list of expressway, arterial, collector, "
                   "local, ramp, side_road, other (or 快速路, 主干路, 次干路, 支路, 匝道, 辅路, 其他)");
    app.add_option("--class-map", class_map, "TOML file mapping attribute values to road classes")
        ->check(existing_source("--class-map"));
    app.add_option("--noding", noding, "auto (default: OSM -> vertices, others -> crossings), vertices or crossings");
    app.add_option("--snap", snap, "Join ends closer than this to another end or line, in metres (default 0.01)");
    app.add_flag("--no-dissolve", no_dissolve, "Keep pass-through (degree-2) nodes");
    app.add_flag("--keep-duplicates", keep_duplicates,
                 "Keep identical pieces as parallel edges instead of merging them (as OSMnx does)");
    app.add_flag("--dissolve-changes", dissolve_changes,
                 "Dissolve pass-through nodes even where class, name or level changes");
    app.add_option("--bridge-field", bridge_field, "Field that flags bridges (default: bridge)");
    app.add_option("--tunnel-field", tunnel_field, "Field that flags tunnels (default: tunnel)");
    app.add_option("--level-field", level_field, "Field with the grade level (default: layer)");
    app.add_option("--oneway-field", oneway_field, "Field with the direction (default: oneway)");
    app.add_option("--name-field", name_field, "Field with the road name (default: name)");
}

BuildOptions NetworkOptions::to_build_options() const {
    BuildOptions opt;
    try {
        opt.noding = noding_from_text(noding);
    } catch (const usage_error& e) {
        throw usage_error("--noding: " + e.message(), {}, e.hint());
    }
    if (!std::isfinite(snap) || snap < 0)
        throw usage_error(fmt::format("--snap must be zero or a positive distance in metres, not {}", snap));
    opt.snap = snap;
    opt.classes = ClassFilter::parse(classes);
    if (!class_map.empty()) opt.mapping = ClassMapping::from_toml(class_map);
    opt.dissolve = !no_dissolve;
    opt.merge_duplicates = !keep_duplicates;
    if (dissolve_changes) opt.keep_class_change = opt.keep_name_change = opt.keep_level_change = false;
    auto set_field = [](std::vector<std::string>& list, const std::string& v) {
        if (!v.empty()) list = {v};
    };
    set_field(opt.fields.bridge, bridge_field);
    set_field(opt.fields.tunnel, tunnel_field);
    set_field(opt.fields.layer, level_field);
    set_field(opt.fields.oneway, oneway_field);
    set_field(opt.fields.name, name_field);
    return opt;
}

namespace {

/// The layers of a multi-layer source whose geometry type is a line type
/// (LineString, MultiLineString, curves); `total` receives the layer count.
/// Connection strings (PG:) are not listed: a database may hold many tables.
std::vector<std::string> line_layers(const std::string& path, const InputOptions& input, std::size_t* total) {
    *total = 0;
    if (path.rfind("PG:", 0) == 0) return {};
    VectorSource src(path, input.encoding);
    const auto names = src.layer_names();
    *total = names.size();
    std::vector<std::string> out;
    if (names.size() < 2) return out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::string type;
        try {
            type = src.info(static_cast<int>(i), 0, input.src_crs).geometry_type;
        } catch (const plan::error&) {
            continue; // a layer that cannot be described is not offered
        }
        if (type.find("Line") != std::string::npos || type.find("Curve") != std::string::npos ||
            type.find("Circular") != std::string::npos)
            out.push_back(names[i]);
    }
    return out;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string t;
    for (const auto& n : names) t += (t.empty() ? "'" : ", '") + n + "'";
    return t;
}

} // namespace

std::string NetworkOptions::layer_of(const std::string& path, const InputOptions& input) const {
    if (!layer.empty() || looks_osm(path)) return layer;
    const LayerUri uri = split_layer_uri(path);
    if (!uri.layer.empty()) return {};
    std::size_t total = 0;
    const auto lines = line_layers(uri.path, input, &total);
    const std::string file = std::filesystem::path(uri.path).filename().string();
    if (lines.size() == 1) {
        log::info(fmt::format("{}: using layer '{}', the only line layer of {}", file, lines.front(), total));
        return lines.front();
    }
    if (lines.size() > 1)
        throw usage_error(fmt::format("{} has {} line layers ({}) and no layer is named", uri.path, lines.size(), quoted_list(lines)),
                          ErrorContext{uri.path},
                          fmt::format("name one as FILE|layername=NAME, e.g. \"{}|layername={}\" (or --layer NAME)", uri.path,
                                      lines.front()));
    return {}; // one layer, or no line layer: the first layer, as before
}

Network NetworkOptions::build(const InputOptions& input, BuildReport* report, double* crs_scale_error_out) const {
    const BuildOptions opt = to_build_options();
    ReadOptions read = input.to_read_options();
    read.want = GeometryKind::line;
    std::vector<Layer> layers;
    for (const auto& path : roads) {
        const GdalWarningSummary warnings(path); // one line per repeated warning for the whole file
        ReadOptions r = read;
        if (!layers.empty()) r.target_crs = layers.front().crs.wkt; // one CRS for all sources
        if (layer.empty() && looks_osm(path)) {
            ProgressBar bar("reading " + path);
            r.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
            // OSM: the highway ways and the highway areas (closed ways GDAL reads as
            // polygons), natively in one pass (PLAN_OSM_READER=gdal: GDAL's driver).
            OsmRoads osm = read_osm_roads(path, r);
            bar.finish();
            layers.push_back(std::move(osm.lines));
            for (const auto& [f, option] : field_options())
                if (!f->empty()) layers.back().require_field(*f, option);
            if (!osm.areas.features.empty()) layers.push_back(std::move(osm.areas));
            continue;
        }
        const std::string chosen = layer_of(path, input);
        ProgressBar bar("reading " + path);
        r.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
        try {
            layers.push_back(read_layer(path, chosen, r));
        } catch (const input_error& e) {
            if (e.message().find("holds no lines") == std::string::npos) throw;
            std::size_t total = 0;
            std::vector<std::string> lines;
            try {
                lines = line_layers(split_layer_uri(path).path, input, &total);
            } catch (const plan::error&) {
                throw e;
            }
            if (lines.empty()) throw;
            throw input_error(e.message(), e.context(),
                              fmt::format("the line layers of this source: {}; name one as FILE|layername=NAME or with --layer",
                                          quoted_list(lines)));
        }
        bar.finish();
        for (const auto& [f, option] : field_options())
            if (!f->empty()) layers.back().require_field(*f, option);
    }
    std::vector<const Layer*> ptrs;
    for (const auto& l : layers) ptrs.push_back(&l);
    Network net = build_network(ptrs, opt, report);
    const double err = warn_crs_scale(net.crs(), net.extent(), input.crs == "source" ? std::string() : input.crs);
    if (crs_scale_error_out) *crs_scale_error_out = err;
    return net;
}

} // namespace plan::cli
