// plan compare STUDY.toml [SCENARIO.toml | FOLDER]... -o OUTDIR: evaluate many
// scenarios against the base in parallel and write a ranked comparison table
// (CSV, JSON, Markdown) and each scenario's changes as GeoJSON.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

#include "../../libplan/src/text_width.hpp" // display columns of Chinese names
#include "command.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/output.hpp"
#include "plan/scenario.hpp"
#include "plan/study.hpp"

namespace fs = std::filesystem;

namespace plan::cli {
namespace {

void write_text_file(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw output_error("cannot write " + file.string(), ErrorContext{file.string()});
}

class CompareCommand : public Command {
public:
    std::string name() const override { return "compare"; }
    std::string summary() const override {
        return "Evaluate scenarios against the base and rank them: comparison table (CSV, JSON, Markdown) and changes";
    }

    void setup(CLI::App& app) override {
        app.add_option("study", study_, "Study file (plan.toml, see docs/study.md)")->required();
        app.add_option("scenarios", scenarios_,
                       "Scenario files (TOML, see docs/scenarios.md) or folders of them; default: the study's scenarios");
        app.add_option("-o,--output", output_, "Output folder: comparison.csv/.json/.md and changes/<scenario>.geojson")
            ->required();
        app.add_option("--objective", objective_, "Rank by: od_saving (default), od_saving_per_km, od_mean_saving, "
                                                  "od_improved_share, newly_connected, dead_ends_removed, components_joined, "
                                                  "skeleton_completion, cost (lowest first)");
        app.add_option("--threads", threads_, "Threads: for the base, then scenarios evaluated at once (0 = the study's setting, "
                                           "and a study's 0 = all cores); output is the same whatever the count")
            ->check(CLI::NonNegativeNumber);
        app.add_flag("--overwrite", overwrite_, "Replace an existing output folder");
        app.add_flag("--json", json_, "Print the comparison as JSON");
        app.add_flag("--export-networks", export_,
                     "Also write networks/<name>.gpkg (edges) and od/<name>.csv (per-pair mm), for checking");
        common_.add_to(app);
        app.description(summary() +
                        ".\nEach scenario is applied to a copy of the study's network and land use; every figure of the "
                        "network, metrics, skeleton and land-use analyses is compared with the base, and OD distance "
                        "savings are measured on the same pairs (whole millimetres). Output is the same whatever --threads.");
    }

    int run() override {
        common_.apply();
        (void)rank_check(); // an unknown objective is a usage error before any work
        const fs::path out = fs::absolute(fs::path(output_));
        if (fs::exists(out) && !overwrite_)
            throw output_error("the output already exists", ErrorContext{output_}, "pass --overwrite to replace it, or choose another name");

        StudyConfig config = StudyConfig::from_file(study_);
        // --threads for everything, the base too (its analyses and OD distances), as
        // plan run; 0 = the study's setting, and a study's 0 = every core
        if (threads_) config.options.threads = threads_;
        const unsigned threads =
            config.options.threads > 0 ? config.options.threads : std::max(1u, std::thread::hardware_concurrency());
        std::vector<std::string> files;
        const auto& args = scenarios_.empty() ? config.scenarios : scenarios_;
        for (const auto& a : args) {
            if (fs::is_directory(a)) {
                const auto in = scenario_files_in(a);
                if (in.empty()) throw usage_error("the folder holds no scenario file (*.toml): " + a);
                files.insert(files.end(), in.begin(), in.end());
            } else if (!fs::exists(a)) throw input_error("scenario file not found", ErrorContext{a});
            else files.push_back(a);
        }
        if (files.empty())
            throw usage_error("no scenario to compare: name scenario files or folders, or list them in the study's 'scenarios'");
        std::vector<Scenario> scenarios;
        std::set<std::string> names;
        for (const auto& f : files) {
            scenarios.push_back(load_scenario(f));
            if (!names.insert(scenarios.back().name).second)
                throw usage_error(fmt::format("two scenarios are named '{}' (their outputs would collide)", scenarios.back().name),
                                  ErrorContext{f});
        }

        const StudyData data = load_study_data(config);
        log::info(fmt::format("evaluating the base and {} scenario(s)", scenarios.size()));
        const BaseEvaluation base = evaluate_base(config, data, threads);
        const auto evaluations = evaluate_scenarios(base, scenarios, threads);
        log_scenario_messages(base, evaluations);

        // Everything into a temporary sibling, renamed when complete.
        const fs::path tmp = out.parent_path() / fmt::format(".{}.tmp-{}", out.filename().string(), ::getpid());
        std::error_code ec;
        fs::remove_all(tmp, ec);
        try {
            fs::create_directories(tmp / "changes");
            write_text_file(tmp / "comparison.csv", comparison_csv(evaluations, objective_));
            write_text_file(tmp / "comparison.json", comparison_json(evaluations, objective_));
            write_text_file(tmp / "comparison.md", comparison_markdown(evaluations, objective_));
            for (const auto& e : evaluations) {
                const fs::path one = tmp / (".changes-" + e.name);
                write_layers(one.string(), OutputFormat::geojson, data.network.crs(), {e.changes});
                fs::rename(one / "changes.geojson", tmp / "changes" / (e.name + ".geojson"));
                fs::remove_all(one);
            }
            if (export_) export_networks(tmp, base, evaluations, data.network.crs());
            if (fs::exists(out)) fs::remove_all(out);
            fs::rename(tmp, out);
        } catch (const plan::error&) {
            fs::remove_all(tmp, ec);
            throw;
        } catch (const std::exception& ex) {
            fs::remove_all(tmp, ec);
            throw output_error(std::string("cannot write the comparison: ") + ex.what(), ErrorContext{output_});
        }
        log::info("wrote " + out.string());

        if (json_) {
            std::cout << comparison_json(evaluations, objective_);
            return 0;
        }
        print_table(evaluations, base.od.pairs.size(), config.options.cost_unit);
        return 0;
    }

private:
    /// The text table: the figures that separate scenarios, with the same names
    /// and signs as comparison.csv (counts are never negative), and a footer
    /// saying what each column is and why a cell is empty.
    void print_table(const std::vector<ScenarioEvaluation>& evaluations, std::size_t pairs, const std::string& cost_unit) const {
        int w = 8;
        for (const auto& e : evaluations) w = std::max(w, detail::display_width(e.name));
        auto pad = [&](const std::string& name) { return detail::pad_right(name, w); };
        std::cout << fmt::format("{:<4} {} {:>12} {:>9} {:>15} {:>17} {:>17} {:>8} {:>10} {:>13}\n", "rank", pad("scenario"),
                                 "od_saving_m", "improved", "newly_connected", "components_joined", "dead_ends_removed",
                                 "new_km", "cost", "interaction_m");
        int rank = 0;
        bool any_interaction = false;
        std::vector<std::string> created;
        for (const auto* e : rank_scenarios(evaluations, objective_)) {
            const auto& f = e->figures;
            any_interaction = any_interaction || f.interaction_od_saving_m.has_value();
            if (f.dead_ends_added > 0) created.push_back(fmt::format("{} {}", e->name, f.dead_ends_added));
            std::cout << fmt::format("{:<4} {} {:>12.1f} {:>8.1f}% {:>15} {:>17} {:>17} {:>8.3f} {:>10} {:>13}\n", ++rank,
                                     pad(e->name), f.od_saving_m, 100.0 * f.od_improved_share, f.od_newly_connected,
                                     f.components_joined, f.dead_ends_removed, f.new_road_km,
                                     f.cost ? fmt::format("{:.1f}", *f.cost) : std::string("-"),
                                     f.interaction_od_saving_m ? fmt::format("{:+.1f}", *f.interaction_od_saving_m)
                                                               : std::string("-"));
        }
        std::cout << fmt::format("improved: % of all {} OD pairs drawn that got shorter; "
                                 "distances ignore one-way rules (undirected network)\n",
                                 pairs);
        std::cout << "newly_connected: OD pairs with no path before and one after, the same two points (not in "
                     "od_saving_m; a point re-seated by a closure does not count); "
                     "components_joined: base components joined to another\n";
        std::cout << "dead_ends_removed: base dead ends the scenario opens (a count, as in comparison.csv; dead ends it "
                     "creates are dead_ends_added"
                  << (created.empty() ? std::string(": none") : ": " + join(created)) << ")\n";
        std::cout << fmt::format("cost: {} ('-': the study gives no cost per km for a class of the new roads)\n", cost_unit);
        if (any_interaction)
            std::cout << "interaction_m: a scenario's od_saving_m minus the sum of its parts' (the scenarios it extends "
                         "and its own edits); '-': it extends none\n";
    }

    static std::string join(const std::vector<std::string>& items) {
        std::string s;
        for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
        return s;
    }

    static OutLayer edges_of(const AnalysisResult& r) {
        for (const auto& l : r.layers)
            if (l.name == "edges") return l;
        throw processing_error("the analysis wrote no edges layer");
    }

    // networks/base.gpkg (edges, od_points), networks/<name>.gpkg (edges), od/<name>.csv.
    static void export_networks(const fs::path& dir, const BaseEvaluation& base, const std::vector<ScenarioEvaluation>& evs,
                                const CrsRef& crs) {
        fs::create_directories(dir / "networks");
        fs::create_directories(dir / "od");
        OutLayer points{"od_points", GeometryKind::point, false, {{"point", FieldType::integer}}, {}};
        for (std::size_t i = 0; i < base.od.points.size(); ++i) {
            Geometry g;
            g.kind = GeometryKind::point;
            g.points = {base.od.points[i]};
            points.features.push_back({g, {static_cast<std::int64_t>(i)}});
        }
        write_layers((dir / "networks" / "base.gpkg").string(), OutputFormat::gpkg, crs, {edges_of(base.result), points});
        for (const auto& e : evs) {
            write_layers((dir / "networks" / (e.name + ".gpkg")).string(), OutputFormat::gpkg, crs, {edges_of(e.result)});
            std::string csv = "pair,origin,destination,base_mm,scenario_mm\n";
            for (std::size_t i = 0; i < base.od.pairs.size(); ++i)
                csv += fmt::format("{},{},{},{},{}\n", i, base.od.pairs[i].first, base.od.pairs[i].second,
                                   base.distances.mm[i], e.od_mm[i]);
            write_text_file(dir / "od" / (e.name + ".csv"), csv);
        }
    }

    bool rank_check() const {
        for (const auto& o : scenario_objectives())
            if (o == objective_) return true;
        std::string list;
        for (const auto& o : scenario_objectives()) list += (list.empty() ? "" : ", ") + o;
        throw usage_error(fmt::format("unknown --objective '{}'", objective_), {}, "objectives: " + list);
    }

    std::string study_, output_, objective_ = "od_saving";
    std::vector<std::string> scenarios_;
    unsigned threads_ = 0;
    bool overwrite_ = false, json_ = false, export_ = false;
    CommonOptions common_;
};

const Registration registration{[] { return std::make_unique<CompareCommand>(); }};

} // namespace
} // namespace plan::cli
