// plan metrics ROADS... [--boundary B | --parcels P] [--radius 400,800] [--json] [-o OUT]:
// connectivity indices, densities against targets, OD circuity, OSMnx
// basic_stats and centrality; per-edge and per-node layers.
#include <chrono>
#include <cmath>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "input_options.hpp"
#include "network_options.hpp"
#include "plan/centrality.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/metrics.hpp"
#include "plan/output.hpp"
#include "plan/source.hpp"
#include "plan/zones.hpp"

namespace plan::cli {
namespace {

std::vector<double> parse_radii(const std::string& text) {
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
            throw usage_error(fmt::format("--radius: '{}' is not a number of metres", item), {},
                              "write radii as --radius 400,800,1600");
        if (!(v > 0) || !std::isfinite(v))
            throw usage_error(fmt::format("--radius: a radius must be positive, not {}", item), {},
                              "write radii as --radius 400,800,1600");
        out.push_back(v);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

/// The polygons of a layer, reprojected to the network's CRS (and said so).
std::vector<Polygon> read_polygons(const std::string& path, const std::string& option, const CrsRef& crs) {
    ReadOptions r;
    r.target_crs = crs.wkt;
    r.want = GeometryKind::polygon;
    Layer layer = read_layer(path, {}, r);
    if (layer.source_crs.known() && layer.source_crs.wkt != crs.wkt)
        log::info(fmt::format("{} {}: reprojected from {} to {}", option, path, layer.source_crs.label(), crs.label()));
    std::vector<Polygon> out;
    for (auto& f : layer.features)
        for (auto& p : f.geometry.polygons) out.push_back(std::move(p));
    if (out.empty()) throw input_error(fmt::format("{}: no polygon", option), ErrorContext{path, layer.name});
    return out;
}

std::string zones_text(const ZoneReport& r) {
    std::string out = fmt::format("\nZones ({}{}): {} zones, {:.3f} of {:.3f} km of road inside\n", r.source,
                                  r.reprojected_from.empty() ? "" : ", reprojected from " + r.reprojected_from,
                                  r.zones.size(), r.length_km_in_zones, r.length_km_network);
    out += fmt::format("  {:<12} {:>9} {:>9} {:>8} {:>6} {:>6} {:>6}\n", "zone", "area km²", "km", "km/km²", "ints",
                       "ends", "beta");
    for (const auto& z : r.zones)
        out += fmt::format("  {:<12} {:>9.3f} {:>9.3f} {:>8} {:>6} {:>6} {:>6}{}\n", z.zone.id, z.area_km2,
                           z.densities.length_km,
                           z.densities.road_density_centreline ? fmt::format("{:.2f}", *z.densities.road_density_centreline) : "n/a",
                           z.densities.intersections, z.densities.dead_ends,
                           z.indices ? fmt::format("{:.2f}", z.indices->beta) : "n/a",
                           z.overlaps_network ? "" : "  (no road)");
    return out;
}

/// The zones of a layer, reprojected to the network's CRS; `reprojected_from`
/// names the source CRS when it differed.
std::vector<Zone> read_zones(const std::string& path, const std::string& layer_name, const std::string& id_field,
                             const std::string& name_field, const CrsRef& crs, std::string& reprojected_from) {
    ReadOptions r;
    r.target_crs = crs.wkt;
    r.want = GeometryKind::polygon;
    Layer layer = read_layer(path, layer_name, r);
    if (layer.source_crs.known() && layer.source_crs.wkt != crs.wkt) {
        reprojected_from = layer.source_crs.label();
        log::info(fmt::format("--zones {}: reprojected from {} to {}", path, layer.source_crs.label(), crs.label()));
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

class MetricsCommand : public Command {
public:
    std::string name() const override { return "metrics"; }
    std::string summary() const override {
        return "Connectivity indices, road density against targets, OD circuity, OSMnx stats and centrality";
    }

    void setup(CLI::App& app) override {
        network_.add_to(app);
        app.add_option("--boundary", boundary_, "Polygon layer of the study area: the area behind densities");
        app.add_option("--parcels", parcels_, "Parcel polygons: their union is the built-up area behind densities");
        app.add_option("--area-type", area_type_, "Density targets: built-up (default), central, residential, industrial");
        app.add_option("--targets", targets_, "TOML file of density targets ([[target]] key, min, max, class, label)");
        app.add_option("--zones", zones_, "Polygon layer of zones: every index per zone (districts, parks, blocks)");
        app.add_option("--zones-layer", zones_layer_, "Layer of the --zones file (default: the first)");
        app.add_option("--zone-id", zone_id_, "Field naming each zone (default: the feature id)");
        app.add_option("--zone-name", zone_name_, "Field with each zone's name (default: 'name' when present)");
        app.add_option("--grid", grid_, "Zones from a generated grid over the network: square:SIZE or hex:SIZE (metres)");
        app.add_option("--tolerance", tolerance_, "Intersections whose discs of this radius (m) overlap are one junction (default 15)");
        app.add_option("--radius", radius_, "Centrality radii in metres, e.g. 400,800,1600 (global is always computed)");
        app.add_flag("--no-global", no_global_, "Skip the global (unlimited) centrality");
        app.add_flag("--no-centrality", no_centrality_, "Skip centrality");
        app.add_option("--sample", sample_, "Centrality from this many sampled sources (default: exact)");
        app.add_option("--threads", threads_, "Threads for centrality (result independent of it; default 1)");
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
        // Everything the user typed is checked before any data is read.
        const std::vector<double> radii = parse_radii(radius_);
        if (threads_ < 1) throw usage_error("--threads must be at least 1");
        if (!(tolerance_ > 0)) throw usage_error(fmt::format("--tolerance must be positive, not {}", tolerance_));
        if (!boundary_.empty() && !parcels_.empty())
            throw usage_error("give --boundary or --parcels, not both: a density has one area");
        if (!zones_.empty() && !grid_.empty()) throw usage_error("give --zones or --grid, not both");
        if (!grid_.empty()) (void)grid_from_spec(grid_, Envelope{}); // checks the spec before reading data
        MetricsOptions mopt;
        mopt.consolidate_tolerance = tolerance_;
        mopt.area_type = area_type_;
        mopt.targets = targets_.empty() ? default_targets(area_type_) : targets_from_toml(targets_);
        (void)network_.to_build_options();

        BuildReport build_report;
        const Network net = network_.build(input_, &build_report);
        StudyArea area;
        if (!boundary_.empty()) area = study_area_from_boundary(read_polygons(boundary_, "--boundary", net.crs()), boundary_);
        if (!parcels_.empty()) area = study_area_from_parcels(read_polygons(parcels_, "--parcels", net.crs()), parcels_);
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
        report.circuity = od_circuity(net, copt);
        if (report.indices.p > 1)
            log::warn(fmt::format("the network is in {} components: {} of {} OD pairs cannot reach each other and are "
                                  "counted apart, not averaged",
                                  report.indices.p, report.circuity.unreachable, report.circuity.pairs));

        std::optional<ZoneReport> zone_report;
        if (!zones_.empty() || !grid_.empty()) {
            std::string reprojected_from;
            const std::vector<Zone> zones =
                !zones_.empty() ? read_zones(zones_, zones_layer_, zone_id_, zone_name_, net.crs(), reprojected_from)
                                : grid_from_spec(grid_, net.extent());
            zone_report = zone_metrics(net, zones, mopt);
            zone_report->source = !zones_.empty() ? zones_ : "grid " + grid_;
            zone_report->reprojected_from = reprojected_from;
            for (const auto& z : zone_report->zones)
                if (!z.overlaps_network)
                    log::warn(fmt::format("zone {}{}: does not overlap the road network", z.zone.id,
                                          z.zone.name.empty() ? "" : " (" + z.zone.name + ")"));
            if (zone_report->length_km_in_zones < zone_report->length_km_network * (1 - 1e-9))
                log::info(fmt::format("zones: {:.3f} of {:.3f} km of road lie in a zone",
                                      zone_report->length_km_in_zones, zone_report->length_km_network));
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
            log::info(fmt::format("centrality: {} sources on {} threads in {:.2f} s", cen->sources, threads_,
                                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()));
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
            write_layers(output_, output_format_for(output_), net.crs(), layers, WriteOptions{overwrite_});
            log::info("wrote " + output_);
        }
        if (json_) {
            std::string text = to_json(report);
            if (zone_report) { // one more top-level key, after the others
                auto j = nlohmann::ordered_json::parse(text);
                j["zones"] = nlohmann::ordered_json::parse(to_json(*zone_report));
                text = j.dump(2);
            }
            std::cout << text << "\n";
        } else {
            std::cout << to_text(report);
            if (zone_report) std::cout << zones_text(*zone_report);
        }
        return 0;
    }

private:
    NetworkOptions network_;
    std::string zones_, zones_layer_, zone_id_, zone_name_, grid_;
    std::string boundary_, parcels_, area_type_ = "built-up", targets_, radius_, output_;
    double tolerance_ = 15.0;
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
