// plan skeleton ROADS... --spec FILE: match the planned arterial skeleton
// (四横七纵) to the network and report completion, gaps, spacing, crossings.
#include <iostream>

#include <fmt/format.h>

#include "command.hpp"
#include "input_options.hpp"
#include "network_options.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/output.hpp"
#include "plan/skeleton.hpp"
#include "plan/source.hpp"

namespace plan::cli {
namespace {

// Every layer of `ref` (or the one named by |layername= or |layerid=, parsed by
// the shared split_layer_uri, as every other command) with geometry of the
// wanted kinds, read in the network's CRS. A layer that does not exist is the
// usage error of VectorSource::resolve_layer (exit 2), listing the layers.
std::vector<Layer> read_layers(const std::string& ref, const CrsRef& crs, std::optional<GeometryKind> want) {
    const auto [path, name] = split_layer_uri(ref);
    ReadOptions r;
    r.target_crs = crs.known() ? crs.wkt : "source";
    r.want = want;
    VectorSource src(path);
    std::vector<Layer> out;
    if (!name.empty()) {
        out.push_back(src.read(src.resolve_layer(name), r));
        return out;
    }
    const auto names = src.layer_names();
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        Layer l = src.read(i, r);
        bool usable = false;
        for (const auto& f : l.features)
            usable = usable || !f.geometry.lines.empty() || !f.geometry.polygons.empty();
        if (usable) out.push_back(std::move(l));
    }
    if (out.empty()) throw input_error("no line or polygon layer", {path, {}, {}, {}, {}});
    return out;
}

class SkeletonCommand : public Command {
public:
    std::string name() const override { return "skeleton"; }
    std::string summary() const override {
        return "Check the planned arterial skeleton (四横七纵): completion, gaps, spacing, crossings, coverage";
    }

    void setup(CLI::App& app) override {
        app.add_option("--spec", spec_, "Skeleton spec (TOML, see docs/skeleton.md)")
            ->check(existing_source("--spec"))->required();
        app.add_option("--barriers", barriers_,
                       "Barrier layers that gaps may cross (river polygons, railway lines): PATH, PATH|layername=NAME or "
                       "PATH|layerid=N")
            ->check(existing_source("--barriers"));
        app.add_option("--parcels", parcels_, "Parcel polygons for coverage: PATH, PATH|layername=NAME or PATH|layerid=N")
            ->check(existing_source("--parcels"));
        app.add_option("-o,--output", output_, "Write layers to a GeoPackage (*.gpkg, default) or a folder of GeoJSON files");
        app.add_flag("--overwrite", overwrite_, "Replace an existing output");
        app.add_flag("--json", json_, "Print the summary as JSON (stable key order)");
        app.add_flag("--strict", strict_, "Exit with 1 when a road name matches nothing or a line has far-apart pieces");
        network_.add_to(app);
        input_.add_to(app);
        common_.add_to(app);
        app.description(summary() +
                        ".\nEach line of the spec is matched by road name (variants such as 青年路东段 or 青年路（东段） "
                        "match 青年路; 辅路 and 匝道 never do), source feature id or planned centreline, chained along "
                        "its direction and measured; a dual carriageway counts once.");
    }

    int run() override {
        common_.apply();
        check_output_early(output_, overwrite_); // a bad or existing -o fails before any reading
        const SkeletonSpec spec = SkeletonSpec::from_file(spec_); // spec errors before any reading
        BuildReport report;
        double scale_error = 0.0;
        const Network net = network_.build(input_, &report, &scale_error);
        SkeletonInputs inputs;
        for (const auto& b : barriers_)
            for (const auto& layer : read_layers(b, net.crs(), std::nullopt)) inputs.barriers.push_back(barrier_from_layer(layer));
        if (!parcels_.empty())
            for (const auto& layer : read_layers(parcels_, net.crs(), GeometryKind::polygon))
                for (const auto& f : layer.features)
                    if (!f.geometry.polygons.empty()) inputs.parcels.push_back(f.geometry.polygons);
        const SkeletonResult result = analyse_skeleton(net, spec, inputs);
        if (!output_.empty()) {
            write_layers(output_, output_format_for(output_), net.crs(), skeleton_layers(result), WriteOptions{overwrite_});
            log::info("wrote " + output_);
        }
        if (json_) std::cout << with_crs_scale_error(to_json(result), scale_error, net.crs()) << "\n";
        else std::cout << to_text(result);
        if (strict_ && !result.warnings.empty()) {
            log::error(fmt::format("--strict: {} warning(s) about the skeleton's matching", result.warnings.size()));
            return 1;
        }
        return 0;
    }

private:
    std::vector<std::string> barriers_;
    std::string spec_, parcels_, output_;
    bool overwrite_ = false, json_ = false, strict_ = false;
    NetworkOptions network_;
    InputOptions input_;
    CommonOptions common_;
};

const Registration registration{[] { return std::make_unique<SkeletonCommand>(); }};

} // namespace
} // namespace plan::cli
