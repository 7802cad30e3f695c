// plan candidates ROADS... [--barriers B]... [--objective O] [--budget-km X | --budget C] -o OUT:
// new links for dead ends, scored alone and chosen greedily under a budget.
#include <filesystem>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "command.hpp"
#include "input_options.hpp"
#include "network_options.hpp"
#include "plan/accessibility.hpp"
#include "plan/candidates.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/od.hpp"
#include "plan/output.hpp"
#include "plan/source.hpp"

namespace plan::cli {
namespace {

/// Every layer of `ref` (or the one named by |layername= or |layerid=, parsed
/// by the shared split_layer_uri) with lines or polygons, in `crs`.
std::vector<Layer> read_layers(const std::string& ref, const CrsRef& crs, const std::string& option) {
    const auto [path, name] = split_layer_uri(ref);
    ReadOptions r;
    r.target_crs = crs.known() ? crs.wkt : "source";
    VectorSource src(path);
    std::vector<Layer> out;
    auto note = [&](const Layer& l) {
        if (l.source_crs.known() && crs.known() && l.source_crs.wkt != crs.wkt)
            log::info(fmt::format("{} {}: layer '{}' reprojected from {} to {}", option, path, l.name,
                                  l.source_crs.label(), crs.label()));
    };
    if (!name.empty()) {
        out.push_back(src.read(src.resolve_layer(name), r));
        note(out.back());
        return out;
    }
    const auto names = src.layer_names();
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        Layer l = src.read(i, r);
        bool usable = false;
        for (const auto& f : l.features) usable = usable || !f.geometry.lines.empty() || !f.geometry.polygons.empty();
        if (usable) { note(l); out.push_back(std::move(l)); }
    }
    if (out.empty()) throw input_error(fmt::format("{}: no line or polygon layer", option), ErrorContext{path});
    return out;
}

std::vector<Point> read_points(const std::string& ref, const CrsRef& crs, const std::string& option) {
    const auto [path, name] = split_layer_uri(ref);
    ReadOptions r;
    r.target_crs = crs.known() ? crs.wkt : "source";
    Layer layer = read_layer(path, name, r);
    if (layer.source_crs.known() && crs.known() && layer.source_crs.wkt != crs.wkt)
        log::info(fmt::format("{} {}: reprojected from {} to {}", option, path, layer.source_crs.label(), crs.label()));
    std::vector<Point> out;
    for (const auto& f : layer.features)
        if (auto p = site_position(f.geometry)) out.push_back(*p);
    if (out.empty()) throw input_error(fmt::format("{}: no polygon or point", option), ErrorContext{path, layer.name});
    return out;
}

/// "KEY=NUMBER" for an option; throws usage_error naming it.
std::pair<std::string, double> key_number(const std::string& text, const std::string& option) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        throw usage_error(fmt::format("{} '{}': expected NAME=NUMBER", option, text), {},
                          fmt::format("e.g. {} {}", option, option == "--cost" ? "支路=3000" : "river=8"));
    const std::string key = text.substr(0, eq), num = text.substr(eq + 1);
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(num, &used);
    } catch (...) {
        used = 0;
    }
    if (used == 0 || used != num.size() || !std::isfinite(v))
        throw usage_error(fmt::format("{} '{}': '{}' is not a number", option, text, num));
    return {key, v};
}

/// A number as given ("0.5", "8"), without trailing zeros.
std::string num_text(double v) { return fmt::format("{:g}", v); }

class CandidatesCommand : public Command {
public:
    std::string name() const override { return "candidates"; }
    std::string summary() const override {
        return "New links for dead ends: shortest feasible link each, scored by OD saving (or reach, components, "
               "dead ends) per km or cost, chosen greedily under a budget";
    }

    void setup(CLI::App& app) override {
        network_.add_to(app);
        app.add_option("--barriers", barriers_,
                       "Barrier layers a link must not cross (river, railway, buildings): PATH or PATH|layername=NAME; "
                       "repeatable")
            ->check(existing_source("--barriers"));
        app.add_option("--bridge-factor", bridge_factors_,
                       "LAYER=FACTOR: links may cross this barrier layer (a layer name of --barriers) as a bridge or "
                       "underpass at this cost factor, at least 1 (default river=8 railway=5; other layers, such as "
                       "buildings, are never crossed)");
        app.add_option("--no-at-grade", no_at_grade_,
                       "Road classes a link may neither join nor cross at grade (default 快速路 and 匝道; giving the "
                       "option replaces the default; 'none' for no class)");
        app.add_option("--parcels", parcels_, "OD endpoints: parcel centroids (PATH or PATH|layername=NAME)")
            ->check(existing_source("--parcels"));
        app.add_option("--od-origins", origins_, "OD origins layer (points or polygons): every origin to every destination")
            ->check(existing_source("--od-origins"));
        app.add_option("--od-destinations", destinations_, "OD destinations layer (with --od-origins)")
            ->check(existing_source("--od-destinations"));
        app.add_option("--pairs", pairs_, "OD pairs drawn from the parcels or network nodes (default 1000)");
        app.add_option("--seed", seed_, "Seed of the OD draw (default 1)");
        app.add_option("--max-length", max_length_, "Longest link proposed, in metres (default 300)");
        app.add_option("--objective", objective_, "od_saving (default), reach, components or dead_ends");
        app.add_option("--reach-radius", reach_radius_, "Radius of the reach objective, in metres (default 800)");
        app.add_option("--budget-km", budget_km_, "Choose links greedily up to this many km of new road (plain length: bridge factors not applied)");
        app.add_option("--budget", budget_, "Choose links greedily up to this cost (needs --cost)");
        app.add_option("--cost", costs_, "CLASS=AMOUNT: cost per km of a new link of this class (repeatable)");
        app.add_option("--cost-unit", cost_unit_, "Unit of the --cost amounts, for the labels (default 万元)");
        app.add_option("--gap", gap_, "Near-miss distance and own-junction radius (×2) of dead ends, in metres (default 15)");
        app.add_option("--study-area", study_area_,
                       "Polygons of the study area for boundary dead ends (PATH or PATH|layername=NAME; default: the "
                       "data extent)")
            ->check(existing_source("--study-area"));
        app.add_flag("--include-boundary", include_boundary_, "Also propose links for boundary dead ends");
        app.add_option("--limit", limit_, "Consider at most this many dead ends, near misses first (default 0: all)");
        app.add_option("--threads", threads_, "Threads (speed only, never the result; default 1)");
        app.add_option("-o,--output", output_, "Write layers candidates and selection (*.gpkg, or a GeoJSON folder)");
        app.add_flag("--overwrite", overwrite_, "Replace an existing output");
        app.add_flag("--json", json_, "Print the summary as JSON (stable key order)");
        input_.add_to(app);
        common_.add_to(app);
    }

    int run() override {
        common_.apply();
        check_output_early(output_, overwrite_); // a bad or existing -o fails before any reading
        CandidateOptions opt;
        ScoringOptions sc;
        // options first, before reading anything
        opt.max_length_m = max_length_;
        if (!(max_length_ > 0) || !std::isfinite(max_length_))
            throw usage_error(fmt::format("--max-length must be positive, not {}", max_length_));
        if (!(gap_ >= 0)) throw usage_error(fmt::format("--gap must be zero or positive, not {}", gap_));
        opt.dead_ends.gap = gap_;
        opt.include_boundary = include_boundary_;
        opt.max_dead_ends = limit_;
        sc.objective = objective_from_text(objective_);
        if (!(reach_radius_ > 0)) throw usage_error(fmt::format("--reach-radius must be positive, not {}", reach_radius_));
        sc.reach_radius_m = reach_radius_;
        if (budget_km_ && budget_) throw usage_error("give --budget-km or --budget, not both");
        if (budget_km_ && !(*budget_km_ > 0))
            throw usage_error(fmt::format("--budget-km must be positive, not {}", *budget_km_), {},
                              "give the kilometres of new road the selection may build");
        if (budget_ && !(*budget_ > 0))
            throw usage_error(fmt::format("--budget must be positive, not {}", *budget_), {},
                              "give the money the selection may spend");
        sc.budget_km = budget_km_;
        sc.budget_cost = budget_;
        for (const auto& c : costs_) {
            auto [key, v] = key_number(c, "--cost");
            const auto rc = road_class_from_text(key);
            if (!rc) throw usage_error(fmt::format("--cost '{}': unknown road class '{}'", c, key), {},
                                       "a new link is 主干路, 次干路, 支路 or 辅路 (arterial, collector, local, side_road)");
            if (!(v > 0)) throw usage_error(fmt::format("--cost '{}': the cost must be positive", c));
            sc.cost_per_km[*rc] = v;
        }
        check_cost_classes(sc.cost_per_km); // 快速路, 匝道, 其他: no link has them, a usage error before reading
        if (cost_unit_.empty()) throw usage_error("--cost-unit must not be empty");
        sc.cost_unit = cost_unit_;
        if (budget_ && sc.cost_per_km.empty())
            throw usage_error("--budget needs costs per km by class", {}, "add --cost 支路=3000 (and other classes)");
        std::vector<std::string> given_factors; // keys given with --bridge-factor, checked against the barriers read
        for (const auto& b : bridge_factors_) {
            auto [key, v] = key_number(b, "--bridge-factor");
            if (!(v >= 1))
                throw usage_error(fmt::format("--bridge-factor '{}': the factor {} is below 1, a bridge or underpass "
                                              "cheaper than a road at grade",
                                              b, num_text(v)),
                                  {}, "give a factor of at least 1, e.g. --bridge-factor river=8");
            opt.crossing_factor[key] = v;
            given_factors.push_back(key);
        }
        if (!given_factors.empty() && barriers_.empty())
            throw usage_error(fmt::format("--bridge-factor '{}': no --barriers given, so there is no barrier layer named "
                                          "'{}' to cross",
                                          bridge_factors_.front(), given_factors.front()),
                              {}, "add --barriers FILE (its layer names are the barrier names), or drop --bridge-factor");
        if (!no_at_grade_.empty()) {
            opt.no_at_grade.clear();
            for (const auto& t : no_at_grade_) {
                if (t == "none") continue;
                const auto rc = road_class_from_text(t);
                if (!rc) {
                    std::vector<std::string> valid;
                    for (int k = 0; k <= static_cast<int>(RoadClass::other); ++k)
                        valid.push_back(fmt::format("{} ({})", road_class_label(static_cast<RoadClass>(k)),
                                                    road_class_key(static_cast<RoadClass>(k))));
                    throw usage_error(fmt::format("--no-at-grade: unknown road class '{}'", t), {},
                                      fmt::format("valid classes: {}; or 'none'", fmt::join(valid, ", ")));
                }
                opt.no_at_grade.insert(*rc);
            }
        }
        if (threads_ == 0) throw usage_error("--threads must be at least 1");
        sc.threads = threads_;
        if (pairs_ == 0) throw usage_error("--pairs must be at least 1");
        if (!origins_.empty() != !destinations_.empty())
            throw usage_error("give --od-origins and --od-destinations together");
        if (!origins_.empty() && !parcels_.empty())
            throw usage_error("give --parcels or --od-origins/--od-destinations, not both");
        const BuildOptions bo = network_.to_build_options();
        opt.snap_m = bo.snap;

        double scale_error = 0.0;
        Network net = network_.build(input_, nullptr, &scale_error);
        std::vector<std::string> labels;
        for (const auto& b : barriers_)
            for (const auto& layer : read_layers(b, net.crs(), "--barriers")) {
                opt.barriers.push_back(barrier_from_layer(layer));
                labels.push_back(layer.name);
            }
        for (std::size_t i = 0; i < given_factors.size(); ++i)
            if (const auto& key = given_factors[i]; std::find(labels.begin(), labels.end(), key) == labels.end())
                throw usage_error(fmt::format("--bridge-factor '{}': no barrier layer named '{}'", bridge_factors_[i], key), {},
                                  fmt::format("the barrier layers read are: {}", fmt::join(labels, ", ")));
        if (!study_area_.empty()) {
            const auto [path, name] = split_layer_uri(study_area_);
            ReadOptions r;
            r.target_crs = net.crs().wkt;
            r.want = GeometryKind::polygon;
            Layer area = read_layer(path, name, r);
            for (auto& f : area.features)
                for (auto& p : f.geometry.polygons) opt.dead_ends.study_area.push_back(std::move(p));
            if (opt.dead_ends.study_area.empty())
                throw input_error("--study-area: no polygon", ErrorContext{path, area.name});
        }
        OdPairs od;
        if (!origins_.empty())
            od = od_product(read_points(origins_, net.crs(), "--od-origins"),
                            read_points(destinations_, net.crs(), "--od-destinations"), "given origins and destinations");
        else if (!parcels_.empty())
            od = draw_od_pairs(read_points(parcels_, net.crs(), "--parcels"), pairs_, seed_, "parcel centroids");
        else
            od = draw_od_pairs(node_points(net), pairs_, seed_, "network nodes");

        const CandidateResult result = plan_candidates(net, od, opt, sc);
        if (!output_.empty()) {
            write_layers(output_, output_format_for(output_), net.crs(), candidate_layers(result),
                         WriteOptions{overwrite_});
            log::info("wrote " + output_);
        }
        if (json_) std::cout << with_crs_scale_error(to_json(result), scale_error, net.crs()) << "\n";
        else std::cout << to_text(result);
        return 0;
    }

private:
    NetworkOptions network_;
    InputOptions input_;
    CommonOptions common_;
    std::vector<std::string> barriers_, bridge_factors_, no_at_grade_, costs_;
    std::string parcels_, study_area_, origins_, destinations_, objective_ = "od_saving", output_,
        cost_unit_ = "万元";
    std::size_t pairs_ = 1000, limit_ = 0;
    std::uint64_t seed_ = 1;
    double max_length_ = 300, reach_radius_ = 800, gap_ = 15;
    std::optional<double> budget_km_, budget_;
    unsigned threads_ = 1;
    bool include_boundary_ = false, overwrite_ = false, json_ = false;
};

const Registration registration{[] { return std::make_unique<CandidatesCommand>(); }};

} // namespace
} // namespace plan::cli
