// plan run STUDY.toml -o OUT: every analysis of a study (base, then scenarios)
// into one output folder (results.gpkg, geojson/, summary.json) or a PostGIS
// schema. The folder is built in a temporary sibling and renamed at the end,
// so a failed or interrupted run (Ctrl-C, SIGTERM) leaves nothing behind.
#include <algorithm>
#include <iostream>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/output.hpp"
#include "plan/progress.hpp"
#include "plan/qgis.hpp"
#include "plan/report.hpp"
#include "plan/scenario.hpp"
#include "plan/source.hpp"
#include "plan/study.hpp"

namespace plan::cli {
namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_signal(int) { g_interrupted = 1; }

struct Interrupted {};

/// Installs SIGINT/SIGTERM handlers for its lifetime (restores the previous ones).
class SignalGuard {
public:
    SignalGuard() {
        g_interrupted = 0;
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int_);
        sigaction(SIGTERM, &sa, &old_term_);
    }
    ~SignalGuard() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
    }
    SignalGuard(const SignalGuard&) = delete;
    SignalGuard& operator=(const SignalGuard&) = delete;

private:
    struct sigaction old_int_ {}, old_term_ {};
};

/// Steps of the run: a progress line per step on a terminal, a timing line per
/// step with -v, and the interrupt check between steps.
class Steps {
public:
    Steps() {
        if (const char* d = std::getenv("PLAN_TEST_STEP_DELAY_MS")) delay_ms_ = std::atoi(d); // tests only
    }
    ~Steps() {
        try {
            end();
        } catch (...) {
        }
    }
    void begin(const std::string& name) {
        end();
        check();
        for (int waited = 0; waited < delay_ms_; waited += 10) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            check();
        }
        name_ = name;
        start_ = std::chrono::steady_clock::now();
        bar_.emplace("plan run: " + name);
        bar_->note("…");
    }
    void end() {
        if (name_.empty()) return;
        bar_->finish();
        bar_.reset();
        log::debug(fmt::format("step {}: {:.2f} s", name_,
                               std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count()));
        name_.clear();
    }
    static void check() {
        if (g_interrupted) throw Interrupted{};
    }

private:
    std::string name_;
    std::chrono::steady_clock::time_point start_;
    std::optional<ProgressBar> bar_;
    int delay_ms_ = 0;
};

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw output_error("cannot write " + path.string(), ErrorContext{path.string()});
}

/// A `centrality` layer beside `edges` when it has betweenness columns: the
/// same lines with only class, name and betweenness, so that QGIS can draw
/// centrality as graduated widths while `edges` stays coloured by class.
std::optional<OutLayer> centrality_layer(const std::vector<OutLayer>& layers) {
    const auto edges = std::find_if(layers.begin(), layers.end(), [](const OutLayer& l) { return l.name == "edges"; });
    if (edges == layers.end()) return std::nullopt;
    std::vector<std::size_t> keep;
    bool any = false;
    for (std::size_t i = 0; i < edges->fields.size(); ++i) {
        const std::string& n = edges->fields[i].name;
        const bool b = n.rfind("betweenness", 0) == 0;
        any = any || b;
        if (b || n == "edge_id" || n == "class" || n == "road_class" || n == "name" || n == "length_m") keep.push_back(i);
    }
    if (!any) return std::nullopt;
    OutLayer c;
    c.name = "centrality";
    c.kind = edges->kind;
    c.multi = edges->multi;
    for (const auto i : keep) c.fields.push_back(edges->fields[i]);
    c.features.reserve(edges->features.size());
    for (const auto& f : edges->features) {
        OutFeature g;
        g.geometry = f.geometry;
        for (const auto i : keep) g.values.push_back(f.values[i]);
        c.features.push_back(std::move(g));
    }
    return c;
}

/// A group's result layers with the centrality layer added.
std::vector<OutLayer> with_centrality(std::vector<OutLayer> layers) {
    if (auto c = centrality_layer(layers)) layers.push_back(std::move(*c));
    return layers;
}

class RunCommand : public Command {
public:
    std::string name() const override { return "run"; }
    std::string summary() const override {
        return "Run a study (plan.toml): every analysis of the base and the scenarios into one output folder or PostGIS";
    }

    void setup(CLI::App& app) override {
        app.add_option("study", study_, "The study file (TOML, see docs/study.md)")->required();
        app.add_option("-o,--output", output_,
                       "Output folder (results.gpkg, geojson/, summary.json), or PG:\"dbname=...\" with --schema")
            ->required();
        app.add_option("--schema", schema_, "With -o PG:...: the schema that receives every layer (replaced atomically)");
        app.add_flag("--overwrite", overwrite_,
                     "Replace an existing output folder (only an earlier plan run output) or schema");
        app.add_option("--threads", threads_,
                       "Threads: centrality, circuity, scenarios side by side, outputs (results do not depend on it; "
                       "default: all cores)");
        common_.add_to(app);
        app.description(summary() +
                        ".\nWrites OUT/results.gpkg (layers named <scenario>__<layer>, e.g. base__edges), "
                        "OUT/geojson/<same>.geojson (RFC 7946), OUT/summary.json, OUT/study.qgz (QGIS) and "
                        "OUT/report.html. The folder is built under a temporary name next to OUT and renamed when "
                        "complete: a failed or interrupted run leaves nothing.\nExit status: 0 done, 1 data, "
                        "configuration or output error, 2 usage error, 130 interrupted (Ctrl-C, SIGTERM).");
    }

    int run() override {
        common_.apply();
        const bool postgis = output_.rfind("PG:", 0) == 0;
        if (postgis && schema_.empty())
            throw usage_error("-o PG:... needs --schema NAME", {}, "e.g. -o PG:\"dbname=plan host=localhost\" --schema linqing");
        if (!postgis && !schema_.empty()) throw usage_error("--schema goes with -o PG:...");
        if (threads_ && *threads_ < 1) throw usage_error("--threads must be at least 1");
        if (postgis) check_schema_name(schema_);

        StudyConfig config = StudyConfig::from_file(study_);
        if (threads_) config.options.threads = static_cast<unsigned>(*threads_);

        fs::path target, tmp;
        if (postgis) check_postgis_output(output_, schema_, WriteOptions{overwrite_}); // fail before the work
        if (!postgis) {
            target = fs::absolute(fs::path(output_)).lexically_normal();
            if (target.filename().empty()) target = target.parent_path();
            if (fs::exists(target) && !overwrite_)
                throw output_error("the output already exists", ErrorContext{output_},
                                   "pass --overwrite to replace it, or choose another name");
            if (fs::exists(target)) check_replaceable(target, config);
            std::error_code ec;
            fs::create_directories(target.parent_path(), ec);
            if (ec || !fs::is_directory(target.parent_path()) || ::access(target.parent_path().c_str(), W_OK) != 0)
                throw output_error("the output folder cannot be written: " + target.parent_path().string(),
                                   ErrorContext{output_});
            tmp = target.parent_path() / fmt::format(".plan-run-{}-{}", ::getpid(), target.filename().string());
        }

        // Scenario files first: a bad one fails before any work.
        std::vector<Scenario> scenarios;
        for (const auto& path : config.scenarios) scenarios.push_back(load_scenario(path));

        const SignalGuard signals;
        const auto t0 = std::chrono::steady_clock::now();
        try {
            Steps steps;
            steps.begin("read");
            const StudyData data = load_study_data(config);
            const unsigned threads =
                config.options.threads > 0 ? config.options.threads : std::max(1u, std::thread::hardware_concurrency());
            const BaseEvaluation base_eval =
                evaluate_base(config, data, threads, [&](const std::string& s) { steps.begin("base: " + s); });
            const AnalysisResult& base = base_eval.result;
            // Every group's layers, plain names: base first, then the scenarios in study order.
            std::vector<ReportLayers> groups{{"base", with_centrality(base.layers)}};
            std::vector<ScenarioEvaluation> evaluations;
            if (!scenarios.empty()) {
                // Scenarios side by side, one per thread; their messages are printed after,
                // in study order, each once (what the base already said is not repeated).
                std::string names;
                for (const auto& sc : scenarios) names += (names.empty() ? "" : ", ") + sc.name;
                steps.begin(fmt::format("scenarios ({})", names));
                evaluations = evaluate_scenarios(base_eval, scenarios, threads);
                steps.end();
                log_scenario_messages(base_eval, evaluations);
            }
            std::vector<std::pair<std::string, std::string>> scenario_json;
            for (const ScenarioEvaluation& ev : evaluations) {
                auto j = nlohmann::ordered_json::parse(analysis_json(ev.result));
                j["changes"] = nlohmann::ordered_json::parse(ev.json);
                scenario_json.emplace_back(ev.name, j.dump());
                std::vector<OutLayer> l = with_centrality(ev.result.layers);
                l.push_back(ev.changes);
                groups.push_back({ev.name, std::move(l)});
            }
            std::string comparison = "[]";
            if (!evaluations.empty())
                comparison = nlohmann::ordered_json::parse(comparison_json(evaluations, scenario_objectives().front()))
                                 .at("ranking")
                                 .dump();
            std::vector<OutLayer> layers;
            std::vector<StyledLayer> styled;
            for (const auto& g : groups)
                for (const auto& l : g.layers) {
                    const std::string table = g.group + "__" + l.name;
                    styled.push_back(styled_layer(l, table, g.group));
                    layers.push_back(l);
                    layers.back().name = table;
                }
            const std::string summary = summary_json(config, data.network.crs(), analysis_json(base), scenario_json, comparison);

            if (postgis) {
                steps.begin("write PostGIS");
                std::vector<OutLayer> all = layers;
                OutLayer s{"summary", GeometryKind::none, false, {{"summary_json", FieldType::string}}, {}};
                s.features.push_back(OutFeature{{}, {summary}});
                all.push_back(std::move(s));
                write_layers_postgis(output_, schema_, data.network.crs(), all, WriteOptions{overwrite_});
                steps.end();
                log::info(fmt::format("wrote {} layers into schema {} in {:.1f} s", all.size(), schema_, seconds(t0)));
                return 0;
            }

            std::error_code ec;
            fs::remove_all(tmp, ec);
            if (!fs::create_directory(tmp, ec) || ec)
                throw output_error("cannot create " + tmp.string() + ": " + ec.message(), ErrorContext{output_});
            steps.begin(threads > 1 ? "write results.gpkg and geojson/" : "write results.gpkg");
            {
                // Two files that share nothing: written side by side when there are threads.
                auto geojson = [&] {
                    write_layers((tmp / "geojson").string(), OutputFormat::geojson, data.network.crs(), layers);
                };
                std::exception_ptr geojson_error;
                std::thread second;
                if (threads > 1)
                    second = std::thread([&] {
                        try {
                            geojson();
                        } catch (...) {
                            geojson_error = std::current_exception();
                        }
                    });
                try {
                    write_layers((tmp / "results.gpkg").string(), OutputFormat::gpkg, data.network.crs(), layers);
                } catch (...) {
                    if (second.joinable()) second.join();
                    throw;
                }
                if (second.joinable()) {
                    second.join();
                    if (geojson_error) std::rethrow_exception(geojson_error);
                } else {
                    steps.begin("write geojson");
                    geojson();
                }
            }
            steps.begin("write summary.json");
            write_text(tmp / "summary.json", summary);
            steps.begin("write study.qgz");
            write_layer_styles((tmp / "results.gpkg").string(), styled);
            Envelope extent = data.network.extent();
            write_qgis_project((tmp / "study.qgz").string(), "results.gpkg", styled, data.network.crs(), extent,
                               config.title.empty() ? config.name : config.title);
            steps.begin("write report.html");
            write_text(tmp / "report.html", render_report_html(summary, groups, data.network.crs()));
            steps.end();
            Steps::check();
            publish(tmp, target);
            log::info(fmt::format("wrote {}: results.gpkg ({} layers), geojson/, summary.json, study.qgz, report.html "
                                  "in {:.1f} s",
                                  target.string(), layers.size(), seconds(t0)));
            log::info(fmt::format("open {} in QGIS (every layer styled, grouped by base and scenario) and {} in a "
                                  "browser",
                                  (target / "study.qgz").string(), (target / "report.html").string()));
            return 0;
        } catch (const Interrupted&) {
            cleanup(tmp);
            log::error("interrupted: nothing was written");
            return 130;
        } catch (...) {
            cleanup(tmp);
            throw;
        }
    }

private:
    static double seconds(std::chrono::steady_clock::time_point t0) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    static void check_schema_name(const std::string& s) {
        bool ok = !s.empty() && s.size() <= 40 && !std::isdigit(static_cast<unsigned char>(s[0]));
        for (const char c : s) ok = ok && (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_');
        if (!ok) throw usage_error(fmt::format("--schema '{}': use lower-case letters, digits and '_'", s));
    }
    static void cleanup(const fs::path& tmp) {
        if (tmp.empty()) return;
        std::error_code ec;
        fs::remove_all(tmp, ec);
    }
    /// Puts the finished folder in place: an existing one is moved aside first
    /// and removed only once the new one is there.
    /// What plan run writes into its folder, and what QGIS leaves beside an open GeoPackage.
    static bool own_entry(const std::string& name) {
        for (const char* n : {"results.gpkg", "results.gpkg-wal", "results.gpkg-shm", "results.gpkg-journal", "geojson",
                              "summary.json", "study.qgz", "report.html"})
            if (name == n) return true;
        return false;
    }
    /// --overwrite replaces a folder as a whole: only an earlier output of plan run (or an
    /// empty folder), never a file, a folder holding other files, or one holding the study's
    /// own inputs (`-o .` next to plan.toml would otherwise delete the study).
    static void check_replaceable(const fs::path& target, const StudyConfig& config) {
        const std::string where = target.string();
        if (!fs::is_directory(target))
            throw output_error("the output exists and is not a folder: --overwrite replaces only a folder that plan run "
                               "wrote",
                               ErrorContext{where}, "choose a folder name for -o");
        std::error_code ec;
        const fs::path canon = fs::weakly_canonical(target, ec);
        std::vector<std::string> inputs{config.path};
        for (const auto& list : {config.inputs.roads, config.inputs.barriers, config.scenarios})
            inputs.insert(inputs.end(), list.begin(), list.end());
        for (const auto* one : {&config.inputs.parcels, &config.inputs.enterprises, &config.inputs.zones,
                                &config.inputs.parks, &config.inputs.boundary, &config.inputs.skeleton,
                                &config.inputs.method, &config.inputs.od_origins, &config.inputs.od_destinations})
            inputs.push_back(*one);
        for (const auto& in : inputs) {
            if (in.empty() || in.rfind("PG:", 0) == 0) continue;
            const fs::path p = fs::weakly_canonical(fs::absolute(split_layer_uri(in).path), ec);
            if (ec || !fs::exists(p)) continue; // a built-in method name, not a file
            const auto rel = p.lexically_relative(canon);
            if (!rel.empty() && *rel.begin() != "..")
                throw output_error("the output folder holds an input of the study (" + p.string() +
                                       "): --overwrite would delete it",
                                   ErrorContext{where}, "write the results to a folder of their own, e.g. -o out");
        }
        std::vector<std::string> foreign;
        for (const auto& e : fs::directory_iterator(target, ec))
            if (!own_entry(e.path().filename().string())) foreign.push_back(e.path().filename().string());
        if (!foreign.empty()) {
            std::sort(foreign.begin(), foreign.end());
            std::string list;
            for (std::size_t i = 0; i < foreign.size() && i < 3; ++i) list += (i ? ", " : "") + foreign[i];
            if (foreign.size() > 3) list += fmt::format(" and {} more", foreign.size() - 3);
            throw output_error("the output folder holds files plan run did not write (" + list +
                                   "): --overwrite replaces only an earlier plan run output or an empty folder",
                               ErrorContext{where}, "move those files away, or choose another folder for -o");
        }
    }

    static void publish(const fs::path& tmp, const fs::path& target) {
        std::error_code ec;
        fs::path old;
        if (fs::exists(target)) {
            old = target.parent_path() / fmt::format(".plan-run-{}-old-{}", ::getpid(), target.filename().string());
            fs::remove_all(old, ec);
            fs::rename(target, old, ec);
            if (ec) throw output_error("cannot replace the output: " + ec.message(), ErrorContext{target.string()});
        }
        fs::rename(tmp, target, ec);
        if (ec) {
            if (!old.empty()) fs::rename(old, target);
            throw output_error("cannot move the results into place: " + ec.message(), ErrorContext{target.string()});
        }
        if (!old.empty()) fs::remove_all(old, ec);
    }

    std::string study_, output_, schema_;
    bool overwrite_ = false;
    std::optional<int> threads_;
    CommonOptions common_;
};

const Registration registration{[] { return std::make_unique<RunCommand>(); }};

} // namespace
} // namespace plan::cli
