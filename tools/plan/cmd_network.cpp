// plan network ROADS... [-o OUT]: build the road network, find its structure and
// dead ends, print a summary and write the result layers.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "command.hpp"
#include "input_options.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"
#include "plan/output.hpp"
#include "plan/progress.hpp"
#include "plan/source.hpp"

namespace plan::cli {
namespace {

bool looks_osm(const std::string& path) {
    auto ends = [&](const char* s) {
        const std::string suf(s);
        return path.size() >= suf.size() && path.compare(path.size() - suf.size(), suf.size(), suf) == 0;
    };
    return ends(".osm") || ends(".pbf") || ends(".osm.bz2");
}

class NetworkCommand : public Command {
public:
    std::string name() const override { return "network"; }
    std::string summary() const override {
        return "Build the road network from line layers: topology, components, critical links, dead ends";
    }

    void setup(CLI::App& app) override {
        app.add_option("roads", roads_, "Road line sources (files or connection strings); several are merged")->required();
        app.add_option("-o,--output", output_, "Write layers to a GeoPackage (*.gpkg, default) or a folder of GeoJSON files");
        app.add_flag("--overwrite", overwrite_, "Replace an existing output");
        app.add_option("--layer", layer_, "Layer of each source by name or index (default: 'lines' for OSM, else the first)");
        app.add_option("--classes", classes_,
                       "Road classes to take: 'all', 'public' (default) or a list of expressway, arterial, collector, "
                       "local, ramp, side_road, other (or 快速路, 主干路, 次干路, 支路, 匝道, 辅路, 其他)");
        app.add_option("--class-map", class_map_, "TOML file mapping attribute values to road classes (see docs/network.md)");
        app.add_option("--noding", noding_, "auto (default: OSM -> vertices, others -> crossings), vertices or crossings");
        app.add_option("--snap", snap_, "Join ends closer than this to another end or line, in metres (default 0.01)");
        app.add_option("--gap", gap_, "Near-miss search distance for dead ends, in metres (default 15)");
        app.add_option("--stub", stub_, "Dangling pieces shorter than this are stubs, in metres (default 10)");
        app.add_option("--boundary", boundary_,
                       "Dead ends this close to the study-area edge are boundary ends, in metres (default 30)");
        app.add_option("--study-area", study_area_, "Polygon layer of the study area (default: the data extent)");
        app.add_option("--isolated", isolated_,
                       "Components shorter than this (metres), other than the largest, are isolated (default 1000)");
        app.add_flag("--no-dissolve", no_dissolve_, "Keep pass-through (degree-2) nodes");
        app.add_flag("--keep-duplicates", keep_duplicates_,
                     "Keep identical pieces as parallel edges instead of merging them (as OSMnx does)");
        app.add_flag("--dissolve-changes", dissolve_changes_,
                     "Dissolve pass-through nodes even where class, name or level changes");
        app.add_option("--bridge-field", bridge_field_, "Field that flags bridges (default: bridge)");
        app.add_option("--tunnel-field", tunnel_field_, "Field that flags tunnels (default: tunnel)");
        app.add_option("--level-field", level_field_, "Field with the grade level (default: layer)");
        app.add_option("--oneway-field", oneway_field_, "Field with the direction (default: oneway)");
        app.add_option("--name-field", name_field_, "Field with the road name (default: name)");
        app.add_flag("--json", json_, "Print the summary as JSON (stable key order)");
        input_.add_to(app);
        common_.add_to(app);
    }

    int run() override {
        common_.apply();
        const auto t0 = std::chrono::steady_clock::now();
        BuildOptions opt;
        opt.noding = noding_from_text(noding_);
        opt.snap = snap_;
        opt.classes = ClassFilter::parse(classes_);
        if (!class_map_.empty()) opt.mapping = ClassMapping::from_toml(class_map_);
        opt.dissolve = !no_dissolve_;
        opt.merge_duplicates = !keep_duplicates_;
        if (dissolve_changes_) opt.keep_class_change = opt.keep_name_change = opt.keep_level_change = false;
        auto set_field = [](std::vector<std::string>& list, const std::string& v) {
            if (!v.empty()) list = {v};
        };
        set_field(opt.fields.bridge, bridge_field_);
        set_field(opt.fields.tunnel, tunnel_field_);
        set_field(opt.fields.layer, level_field_);
        set_field(opt.fields.oneway, oneway_field_);
        set_field(opt.fields.name, name_field_);
        DeadEndOptions dopt;
        dopt.gap = gap_;
        dopt.stub = stub_;
        dopt.boundary = boundary_;
        dopt.isolated_length = isolated_;
        check_tolerances(dopt, Envelope{}); // signs first, before reading anything

        ReadOptions read = input_.to_read_options();
        read.want = GeometryKind::line;
        std::vector<Layer> layers;
        for (const auto& path : roads_) {
            ReadOptions r = read;
            if (!layers.empty()) r.target_crs = layers.front().crs.wkt; // one CRS for all sources
            std::string layer = layer_;
            if (layer.empty() && looks_osm(path)) layer = "lines";
            ProgressBar bar("reading " + path);
            r.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
            layers.push_back(read_layer(path, layer, r));
            bar.finish();
            if (layer_.empty() && looks_osm(path)) {
                // Closed highway ways that are areas (area=yes, pedestrian squares) are put by GDAL among
                // multipolygons; OSMnx takes them as ways, so take their rings as lines too.
                ReadOptions ra = r;
                ra.target_crs = layers.back().crs.wkt;
                ra.want = GeometryKind::polygon;
                ra.where = "osm_way_id IS NOT NULL AND other_tags LIKE '%\"highway\"=>%'";
                if (!read.where.empty()) ra.where = "(" + ra.where + ") AND (" + read.where + ")";
                ra.progress = {};
                try {
                    Layer areas = read_layer(path, "multipolygons", ra);
                    for (auto& f : areas.features) {
                        f.geometry.kind = GeometryKind::line;
                        for (auto& poly : f.geometry.polygons)
                            for (auto& ring : poly.rings) f.geometry.lines.push_back(std::move(ring));
                        f.geometry.polygons.clear();
                    }
                    if (!areas.features.empty()) {
                        log::info(fmt::format("{}: {} highway areas (closed ways GDAL reads as polygons) taken as rings",
                                              path, areas.features.size()));
                        layers.push_back(std::move(areas));
                    }
                } catch (const input_error&) {
                    // no highway area in this file
                }
            }
            const auto& specified = layers.front();
            for (const auto& f : {bridge_field_, tunnel_field_, level_field_, oneway_field_, name_field_})
                if (!f.empty()) specified.require_field(f, "a --*-field option");
        }
        const auto t1 = std::chrono::steady_clock::now();
        std::vector<const Layer*> ptrs;
        for (const auto& l : layers) ptrs.push_back(&l);
        BuildReport report;
        Network net = build_network(ptrs, opt, &report);
        layers.clear();
        layers.shrink_to_fit();
        const auto t2 = std::chrono::steady_clock::now();

        const Envelope extent = net.extent();
        check_tolerances(dopt, extent);
        if (!study_area_.empty()) {
            ReadOptions r;
            r.target_crs = net.crs().wkt;
            r.want = GeometryKind::polygon;
            Layer area = read_layer(study_area_, {}, r);
            for (auto& f : area.features)
                for (auto& p : f.geometry.polygons) dopt.study_area.push_back(std::move(p));
        }
        const Structure structure = analyse_structure(net);
        const auto dead_ends = find_dead_ends(net, structure, dopt);
        const NetworkSummary summary = summarise(net, structure, dead_ends, report);
        const auto t3 = std::chrono::steady_clock::now();
        if (structure.components.size() > 1 && summary.largest_component_share < 0.5)
            log::warn(fmt::format("the network is in {} pieces and the largest holds only {:.1f} % of the length: "
                                  "check --noding and --snap",
                                  structure.components.size(), 100 * summary.largest_component_share));
        if (net.live_edge_count() > 0 && summary.intersections == 0)
            log::warn("no intersection at all: every road is an isolated piece (check --noding crossings or --snap)");
        for (const auto& s : report.sources)
            log::info(fmt::format("{}: noding {} ({}), class field '{}', {} lines", s.label, to_string(s.noding),
                                  s.noding_reason, s.class_field, s.lines));

        if (!output_.empty()) {
            write_layers(output_, output_format_for(output_), net.crs(), network_layers(net, structure, dead_ends),
                         WriteOptions{overwrite_});
            log::info("wrote " + output_);
        }
        const auto t4 = std::chrono::steady_clock::now();
        auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
        log::debug(fmt::format("timings: read {:.0f} ms, build {:.0f} ms, analyse {:.0f} ms, write {:.0f} ms", ms(t0, t1),
                               ms(t1, t2), ms(t2, t3), ms(t3, t4)));
        if (json_) std::cout << to_json(summary, report) << "\n";
        else std::cout << to_text(summary);
        return 0;
    }

private:
    std::vector<std::string> roads_;
    std::string output_, layer_, classes_ = "public", class_map_, noding_ = "auto", study_area_;
    std::string bridge_field_, tunnel_field_, level_field_, oneway_field_, name_field_;
    double snap_ = 0.01, gap_ = 15.0, stub_ = 10.0, boundary_ = 30.0, isolated_ = 1000.0;
    bool overwrite_ = false, no_dissolve_ = false, keep_duplicates_ = false, dissolve_changes_ = false, json_ = false;
    InputOptions input_;
    CommonOptions common_;
};

const Registration registration{[] { return std::make_unique<NetworkCommand>(); }};

} // namespace
} // namespace plan::cli
