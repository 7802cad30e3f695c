// plan run STUDY.toml -o OUT: every analysis of a study (base, then scenarios)
// into one output folder (results.gpkg, geojson/, summary.json) or a PostGIS
// schema. The folder is built in a temporary sibling and renamed at the end,
// so a failed or interrupted run (Ctrl-C, SIGTERM) leaves nothing behind.
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

#include "command.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/output.hpp"
#include "plan/progress.hpp"
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
        bar_.emplace(name);
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
        app.add_flag("--overwrite", overwrite_, "Replace an existing output folder or schema");
        app.add_option("--threads", threads_, "Threads for centrality (results do not depend on it; default: all cores)");
        common_.add_to(app);
        app.description(summary() +
                        ".\nWrites OUT/results.gpkg (layers named <scenario>__<layer>, e.g. base__edges), "
                        "OUT/geojson/<same>.geojson (RFC 7946) and OUT/summary.json. The folder is built under a "
                        "temporary name next to OUT and renamed when complete: a failed or interrupted run leaves "
                        "nothing.");
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
            std::error_code ec;
            fs::create_directories(target.parent_path(), ec);
            if (ec || !fs::is_directory(target.parent_path()) || ::access(target.parent_path().c_str(), W_OK) != 0)
                throw output_error("the output folder cannot be written: " + target.parent_path().string(),
                                   ErrorContext{output_});
            tmp = target.parent_path() / fmt::format(".plan-run-{}-{}", ::getpid(), target.filename().string());
        }

        const SignalGuard signals;
        const auto t0 = std::chrono::steady_clock::now();
        try {
            Steps steps;
            steps.begin("read");
            const StudyData data = load_study_data(config);
            const Layer* parcels = data.parcels ? &*data.parcels : nullptr;
            const Layer* enterprises = data.enterprises ? &*data.enterprises : nullptr;
            const AnalysisResult base = analyse(config, data, data.network, parcels, enterprises,
                                                [&](const std::string& s) { steps.begin("base: " + s); });
            std::vector<OutLayer> layers = prefixed_layers("base", base.layers);
            const std::string summary = summary_json(config, data.network.crs(), analysis_json(base));

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
            steps.begin("write results.gpkg");
            write_layers((tmp / "results.gpkg").string(), OutputFormat::gpkg, data.network.crs(), layers);
            steps.begin("write geojson");
            write_layers((tmp / "geojson").string(), OutputFormat::geojson, data.network.crs(), layers);
            steps.begin("write summary.json");
            write_text(tmp / "summary.json", summary);
            steps.end();
            Steps::check();
            publish(tmp, target);
            log::info(fmt::format("wrote {}: results.gpkg ({} layers), geojson/, summary.json in {:.1f} s",
                                  target.string(), layers.size(), seconds(t0)));
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
