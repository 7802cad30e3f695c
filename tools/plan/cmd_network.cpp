// plan network ROADS... [-o OUT]: build the road network, find its structure and
// dead ends, print a summary and write the result layers.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "input_options.hpp"
#include "network_options.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"
#include "plan/output.hpp"
#include "plan/progress.hpp"
#include "plan/source.hpp"

namespace plan::cli {
namespace {

class NetworkCommand : public Command {
public:
    std::string name() const override { return "network"; }
    std::string summary() const override {
        return "Build the road network from line layers: topology, components, critical links, dead ends";
    }

    void setup(CLI::App& app) override {
        network_.add_to(app);
        app.add_option("-o,--output", output_, "Write layers to a GeoPackage (*.gpkg, default) or a folder of GeoJSON files");
        app.add_flag("--overwrite", overwrite_, "Replace an existing output");
        app.add_option("--gap", gap_, "Near-miss search distance for dead ends, in metres (default 15)");
        app.add_option("--stub", stub_, "Dangling pieces shorter than this are stubs, in metres (default 10)");
        app.add_option("--boundary", boundary_,
                       "Dead ends this close to the study-area edge are boundary ends, in metres (default 30)");
        app.add_option("--study-area", study_area_, "Polygon source of the study area (default: the data extent)")
            ->check(existing_source("--study-area"));
        app.add_option("--study-area-layer", study_area_layer_,
                       "Layer of the --study-area source by name or index (default: its first layer)");
        app.add_option("--isolated", isolated_,
                       "Components shorter than this (metres), other than the largest, are isolated (default 1000)");
        app.add_flag("--json", json_, "Print the summary as JSON (stable key order)");
        input_.add_to(app);
        common_.add_to(app);
    }

    int run() override {
        common_.apply();
        const auto t0 = std::chrono::steady_clock::now();
        DeadEndOptions dopt;
        dopt.gap = gap_;
        dopt.stub = stub_;
        dopt.boundary = boundary_;
        dopt.isolated_length = isolated_;
        check_tolerances(dopt, Envelope{}); // signs first, before reading anything

        network_.to_build_options(); // options first, before reading anything
        (void)input_.to_read_options();
        check_output_early(output_, overwrite_); // a bad or existing -o fails before any reading
        BuildReport report;
        double scale_error = 0.0;
        Network net = network_.build(input_, &report, &scale_error);
        const auto t2 = std::chrono::steady_clock::now();

        const Envelope extent = net.extent();
        check_tolerances(dopt, extent);
        if (!study_area_.empty()) {
            ReadOptions r;
            r.target_crs = net.crs().wkt;
            r.want = GeometryKind::polygon;
            Layer area = read_layer(study_area_, study_area_layer_, r);
            for (auto& f : area.features)
                for (auto& p : f.geometry.polygons) dopt.study_area.push_back(std::move(p));
        }
        const Structure structure = analyse_structure(net);
        const auto dead_ends = find_dead_ends(net, structure, dopt);
        const NetworkSummary summary = summarise(net, structure, dead_ends, report);
        const auto t3 = std::chrono::steady_clock::now();
        if (structure.components.size() > 1 && summary.largest_component_share < 0.5)
            log::warn(fmt::format("the network is in {} pieces and the largest holds only {:.1f} % of the length: "
                                  "check --noding (crossings for lines that cross without a shared vertex), and "
                                  "whether the data has coordinate noise that a --snap of 0.01 to 1 m would close",
                                  structure.components.size(), 100 * summary.largest_component_share));
        if (net.live_edge_count() > 0 && summary.intersections == 0)
            log::warn("no intersection at all: every road is an isolated piece (check --noding crossings, and whether the "
                      "data has coordinate noise that a --snap of 0.01 to 1 m would close; wider gaps are real)");
        for (const auto& s : report.sources)
            log::info(fmt::format("{}: noding {} ({}), {}, {} lines", s.label, to_string(s.noding), s.noding_reason,
                                  s.class_field.empty() ? std::string("no class field (every line 'other')")
                                                        : "class field '" + s.class_field + "'",
                                  s.lines));

        if (!output_.empty()) {
            write_layers(output_, output_format_for(output_), net.crs(), network_layers(net, structure, dead_ends),
                         WriteOptions{overwrite_});
            log::info("wrote " + output_);
        }
        const auto t4 = std::chrono::steady_clock::now();
        auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
        log::debug(fmt::format("timings: read and build {:.0f} ms, analyse {:.0f} ms, write {:.0f} ms", ms(t0, t2),
                               ms(t2, t3), ms(t3, t4)));
        if (json_) std::cout << with_crs_scale_error(to_json(summary, report), scale_error, net.crs()) << "\n";
        else std::cout << to_text(summary) << build_class_text(report, network_.classes);
        return 0;
    }

private:
    NetworkOptions network_;
    std::string output_, study_area_, study_area_layer_;
    double gap_ = 15.0, stub_ = 10.0, boundary_ = 30.0, isolated_ = 1000.0;
    bool overwrite_ = false, json_ = false;
    InputOptions input_;
    CommonOptions common_;
};

const Registration registration{[] { return std::make_unique<NetworkCommand>(); }};

} // namespace
} // namespace plan::cli
