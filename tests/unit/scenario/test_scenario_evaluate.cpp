// Evaluating the sample city's scenarios against the base: deltas, OD gains,
// dead ends, skeleton completion, cost, the interaction term; `plan compare`
// outputs the same bytes with 1 and 2 threads; bad inputs give their exit
// codes; OD distances agree with NetworkX to the millimetre.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "plan/scenario.hpp"
#include "plan/study.hpp"
#include "test_support.hpp"

using namespace plan;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

fs::path city() { return test::source_dir() / "data" / "sample-city"; }

/// A study file for the sample city in a scratch folder (absolute input paths).
fs::path study_file() {
    static const fs::path file = [] {
        const fs::path dir = test::scratch_dir("scenario_study");
        const std::string c = city().string();
        std::string t;
        t += "scenarios = [\"" + c + "/scenarios/phase1.toml\", \"" + c + "/scenarios/river_bridge.toml\", \"" + c +
             "/scenarios/relocation.toml\", \"" + c + "/scenarios/phase2.toml\"]\n\n";
        t += "[study]\nname = \"sample\"\n\n[inputs]\n";
        t += "roads = [\"" + c + "/roads.gpkg\"]\n";
        t += "parcels = \"" + c + "/landuse.gpkg|layername=parcels\"\n";
        t += "enterprises = \"" + c + "/enterprises.csv\"\n";
        t += "boundary = \"" + c + "/landuse.gpkg|layername=study_boundary\"\n";
        t += "barriers = [\"" + c + "/barriers.gpkg\"]\n";
        t += "skeleton = \"" + c + "/skeleton.toml\"\n\n";
        t += "[centrality]\nenabled = false\n\n[access]\nenabled = false\n\n";
        // lighter than the defaults (20,000 circuity pairs, 1,000 OD pairs), the same points proven
        t += "[metrics]\ncircuity_pairs = 2000\n\n[od]\npairs = 300\n\n";
        t += "[cost]\nunit = \"万元\"\nper_km = { arterial = 3000, local = 800 }\n";
        test::write_file(dir / "plan.toml", t);
        return dir / "plan.toml";
    }();
    return file;
}

struct Fixture {
    StudyConfig config;
    StudyData data;
    BaseEvaluation base;
};
const Fixture& fixture() {
    static const Fixture* f = [] {
        auto* x = new Fixture{StudyConfig::from_file(study_file().string()), {}, {}};
        x->data = load_study_data(x->config);
        x->base = evaluate_base(x->config, x->data, 2);
        return x;
    }();
    return *f;
}

const ScenarioEvaluation& evaluated(const std::string& name) {
    static std::map<std::string, ScenarioEvaluation> cache;
    auto it = cache.find(name);
    if (it == cache.end())
        it = cache.emplace(name, evaluate_scenario(fixture().base, load_scenario((city() / "scenarios" / (name + ".toml")).string()),
                                                   EvaluateOptions{2, true}))
                 .first;
    return it->second;
}

void check_phase1() {
    const auto& e = evaluated("phase1");
    const auto j = json::parse(e.json);
    CHECK(j["dead_ends"]["removed_count"] == 9);
    CHECK(j["dead_ends"]["added_count"] == 0);
    CHECK(e.figures.dead_ends_removed == 9);
    CHECK(j["od"]["pairs"] == 300);
    CHECK(j["od"]["basis"] == "parcel centroids");
    CHECK(e.figures.od_saving_m > 0.0);
    CHECK(j["od"]["total_saving_mm"].get<std::int64_t>() > 0);
    CHECK(j["od"]["worse"] == 0); // adding roads never lengthens a path
    CHECK(e.figures.od_improved_share > 0.0);
    CHECK(j["od"]["circuity_change"].get<double>() < 0.0);
    // Cost: 支路 800 and 主干路 3000 per km.
    const double km_local = j["cost"]["km_by_class"]["local"], km_art = j["cost"]["km_by_class"]["arterial"];
    CHECK(km_art > 0.7);
    REQUIRE(e.figures.cost);
    CHECK(*e.figures.cost == Approx(800.0 * km_local + 3000.0 * km_art));
    CHECK(e.figures.new_road_km == Approx(km_local + km_art));
    // Deltas: every numeric figure, keyed by JSON path.
    const auto& d = j["deltas"];
    REQUIRE(d.contains("network.dead_ends.total"));
    CHECK(d["network.dead_ends.total"]["delta"] == -9);
    CHECK(d["network.dead_ends.total"]["relative"].get<double>() < 0.0);
    CHECK(d["network.length_km"]["delta"].get<double>() == Approx(e.figures.new_road_km).margin(1e-5));
    CHECK(d.contains("skeleton.lines[V5].completion_pct"));
    // Changes layer: added pieces only.
    for (const auto& f : e.changes.features) CHECK(std::get<std::string>(f.values[0]) == "added");
    CHECK(e.changes.features.size() >= 9);
}

void check_river_bridge_and_phase2() {
    const auto j = json::parse(evaluated("river_bridge").json);
    bool found = false;
    for (const auto& l : j["skeleton_completion"])
        if (l["id"] == "H3") {
            found = true;
            CHECK(l["change"].get<double>() > 0.02);
        }
    CHECK(found);
    CHECK(evaluated("river_bridge").figures.od_saving_m > 0.0);
    // threads never change the result: evaluated() runs the scenario's OD
    // distances on 2 threads, evaluate_scenarios() with 1 thread on 1
    const auto one = evaluate_scenarios(fixture().base, {load_scenario((city() / "scenarios" / "river_bridge.toml").string())}, 1);
    REQUIRE(one.size() == 1);
    CHECK(one[0].json == evaluated("river_bridge").json);

    // phase2 reports its interaction term: its gain minus phase1's and its own edits'.
    const auto& p2 = evaluated("phase2");
    const auto j2 = json::parse(p2.json);
    REQUIRE(j2.contains("interaction"));
    CHECK(j2["interaction"]["parts"] == json::array({"phase1", "phase2 (own edits)"}));
    const auto& f = j2["interaction"]["figures"]["od_saving_m"];
    // The own edits are the river bridge and the relocation: on the network, the river bridge.
    const double p1 = evaluated("phase1").figures.od_saving_m, rb = evaluated("river_bridge").figures.od_saving_m;
    CHECK(f["combined"].get<double>() == Approx(p2.figures.od_saving_m).margin(1e-9));
    CHECK(f["parts"][0].get<double>() == Approx(p1).margin(1e-9));
    CHECK(f["parts"][1].get<double>() == Approx(rb).margin(1e-9));
    CHECK(f["interaction"].get<double>() == Approx(p2.figures.od_saving_m - p1 - rb).margin(1e-6));
    CHECK(j2["interaction"]["figures"]["dead_ends_removed"]["interaction"] == 0.0);
    CHECK(j2["edits"]["relocated_enterprises"] == 4);
    CHECK(p2.figures.dead_ends_removed == 9);
    const auto moved = json::parse(p2.json)["land_changes"];
    CHECK(moved.size() == 4);
    for (const auto& m : moved) CHECK(m["action"] == "relocate");
}

} // namespace

// One process for the library checks: the base and the scenarios are analysed once.
TEST_CASE("evaluation: phase1 dead ends, OD gains, cost, deltas, river_bridge H3, phase2 interaction term", "[scenario]") {
    check_phase1();
    check_river_bridge_and_phase2();
}

TEST_CASE("plan compare: the same bytes with --threads 1 and 2, ranked tables and changes", "[scenario]") {
    const fs::path dir = test::scratch_dir("scenario_compare");
    const std::string study = test::quote(study_file().string());
    const std::string two = " " + test::quote((city() / "scenarios" / "river_bridge.toml").string()) + " " +
                            test::quote((city() / "scenarios" / "relocation.toml").string());
    const auto a = test::run_plan("compare " + study + two + " -o " + test::quote((dir / "t1").string()) + " --threads 1 --quiet");
    INFO(a.err);
    REQUIRE(a.exit_code == 0);
    const auto b = test::run_plan("compare " + study + two + " -o " + test::quote((dir / "t2").string()) + " --threads 2 --quiet");
    INFO(b.err);
    REQUIRE(b.exit_code == 0);
    for (const std::string f : {"comparison.csv", "comparison.json", "comparison.md", "changes/river_bridge.geojson",
                                "changes/relocation.geojson"}) {
        INFO(f);
        CHECK(test::read_file(dir / "t1" / f) == test::read_file(dir / "t2" / f));
    }
    const std::string csv = test::read_file(dir / "t1" / "comparison.csv");
    CHECK(csv.rfind("rank,scenario,title,od_saving_m", 0) == 0);
    CHECK(csv.find("\n1,river_bridge,") != std::string::npos);
    CHECK(csv.find("\n2,relocation,") != std::string::npos);
    const auto j = json::parse(test::read_file(dir / "t1" / "comparison.json"));
    CHECK(j["objective"] == "od_saving");
    CHECK(j["ranking"].size() == 2);
    CHECK(j["scenarios"]["relocation"]["edits"]["relocated_enterprises"] == 4);
    CHECK(test::read_file(dir / "t1" / "changes" / "river_bridge.geojson").find("新漳卫河特大桥") != std::string::npos);
    // An existing output is kept without --overwrite.
    const auto c = test::run_plan("compare " + study + " -o " + test::quote((dir / "t1").string()) + " --quiet");
    CHECK(c.exit_code == 1);
    CHECK(c.err.find("already exists") != std::string::npos);
}

TEST_CASE("plan compare: bad objective, missing extension, cycle: messages and exit codes", "[scenario]") {
    const fs::path dir = test::scratch_dir("scenario_compare_bad");
    const std::string study = test::quote(study_file().string());
    auto r = test::run_plan("compare " + study + " -o " + test::quote((dir / "o").string()) + " --objective speed");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown --objective 'speed'") != std::string::npos);
    test::write_file(dir / "m.toml", "extends = \"phase9\"\n");
    r = test::run_plan("compare " + study + " " + test::quote((dir / "m.toml").string()) + " -o " + test::quote((dir / "o").string()));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("phase9.toml") != std::string::npos);
    CHECK(r.err.find("m.toml") != std::string::npos);
    test::write_file(dir / "x.toml", "extends = \"y\"\n");
    test::write_file(dir / "y.toml", "extends = \"x\"\n");
    r = test::run_plan("compare " + study + " " + test::quote((dir / "x.toml").string()) + " -o " + test::quote((dir / "o").string()));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("cycle") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "o")); // nothing half-written
}

TEST_CASE("OD distances of river_bridge agree with NetworkX to the millimetre", "[scenario]") {
    const fs::path dir = test::scratch_dir("scenario_networkx");
    const auto r = test::run_plan("compare " + test::quote(study_file().string()) + " " +
                                  test::quote((city() / "scenarios" / "river_bridge.toml").string()) + " -o " +
                                  test::quote((dir / "o").string()) + " --export-networks --quiet");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto py = test::run_python((test::source_dir() / "scripts" / "compare_scenario_networkx.py").string() + " " +
                                     test::quote((dir / "o").string()) + " river_bridge --pairs 300");
    INFO(py.out << py.err);
    CHECK(py.exit_code == 0);
    CHECK(py.out.find("300 pairs checked, 0 differ") != std::string::npos);
}
