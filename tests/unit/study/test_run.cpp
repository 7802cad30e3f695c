// plan run: the output folder, its atomicity, the study file's errors.
#include <algorithm>
#include <map>
#include <regex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "plan/source.hpp"
#include "plan/study.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using Catch::Contains;
using plan::test::quote;

namespace {

fs::path sample() { return plan::test::source_dir() / "data" / "sample-city"; }

/// A small study of the sample city (roads and boundary; one radius) in `dir`.
fs::path small_study(const fs::path& dir, const std::string& extra = {}) {
    const fs::path s = dir / "small.toml";
    plan::test::write_file(s, "[study]\nname = \"small\"\n\n[inputs]\nroads = [" + quote((sample() / "roads.gpkg").string()) +
                                  "]\nboundary = \"" + (sample() / "landuse.gpkg").string() +
                                  "|layername=study_boundary\"\n\n[centrality]\nradii = [400]\n" + extra);
    return s;
}

std::vector<std::string> leftovers(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(".plan-run-", 0) == 0 || e.path().filename().string().rfind(".tmp-", 0) == 0)
            out.push_back(e.path().filename().string());
    return out;
}

} // namespace

TEST_CASE("plan run on the sample city writes results.gpkg, geojson, summary.json, study.qgz and report.html", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-sample");
    const fs::path out = dir / "out";
    const auto r = plan::test::run_plan("run " + quote((sample() / "plan.toml").string()) + " -o " + quote(out.string()) +
                                        " --threads 2");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(leftovers(dir).empty());
    // The base's warnings are printed once, not again by every scenario that repeats them.
    auto count = [&](const std::string& text) {
        std::size_t n = 0;
        for (auto at = r.err.find(text); at != std::string::npos; at = r.err.find(text, at + 1)) ++n;
        return n;
    };
    CHECK(count("parcels are more than 100 m from any road") == 1);
    CHECK(count("not evaluated; see the issues in the summary") == 1);
    REQUIRE(fs::exists(out / "results.gpkg"));
    REQUIRE(fs::exists(out / "summary.json"));
    REQUIRE(fs::exists(out / "study.qgz"));
    REQUIRE(fs::exists(out / "report.html"));

    const auto j = nlohmann::ordered_json::parse(plan::test::read_file(out / "summary.json"));
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"study", "base", "scenarios", "comparison"});
    keys.clear();
    for (const auto& [k, v] : j["base"].items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"network", "metrics", "skeleton", "landuse", "access"});
    CHECK(j["study"]["name"] == "sample-city");
    CHECK(j["study"]["inputs"]["parcels"] == "landuse.gpkg|layername=parcels");
    CHECK(j["base"]["network"]["edges"].get<int>() > 1000);
    // The four scenarios of plan.toml, each with the subcommands' objects and its changes.
    std::vector<std::string> scenario_names;
    for (const auto& [k, v] : j["scenarios"].items()) scenario_names.push_back(k);
    CHECK(scenario_names == std::vector<std::string>{"phase1", "river_bridge", "relocation", "phase2"});
    CHECK(j["scenarios"]["phase1"].contains("network"));
    CHECK(j["scenarios"]["phase1"]["changes"]["figures"]["dead_ends_removed"] == 9);
    REQUIRE(j["comparison"].size() == 4);
    CHECK(j["comparison"][0]["scenario"] == "phase2"); // the largest OD saving
    CHECK(j["comparison"][0]["interaction_od_saving_m"].is_number());

    // Every layer prefixed base__ or a scenario's name, the same in the GeoPackage and as GeoJSON files:
    // 13 result layers + centrality for the base, and for each scenario also its changes.
    plan::VectorSource gpkg((out / "results.gpkg").string());
    auto names = gpkg.layer_names();
    // QGIS's layer_styles table (the default style of every layer) is there too.
    const auto styles = std::find(names.begin(), names.end(), "layer_styles");
    REQUIRE(styles != names.end());
    names.erase(styles);
    CHECK(names.size() == 14 + 4 * 15);
    std::size_t base_layers = 0;
    for (const auto& n : names) {
        INFO(n);
        base_layers += n.rfind("base__", 0) == 0;
        const bool known = n.rfind("base__", 0) == 0 || n.rfind("phase1__", 0) == 0 || n.rfind("phase2__", 0) == 0 ||
                           n.rfind("river_bridge__", 0) == 0 || n.rfind("relocation__", 0) == 0;
        CHECK(known);
        CHECK(fs::exists(out / "geojson" / (n + ".geojson")));
    }
    CHECK(base_layers == 14);
    CHECK(std::find(names.begin(), names.end(), "phase1__changes") != names.end());
    CHECK(std::find(names.begin(), names.end(), "base__centrality") != names.end());
    CHECK(std::find(names.begin(), names.end(), "base__edges") != names.end());
    CHECK(std::find(names.begin(), names.end(), "base__parcels") != names.end());

    // study.qgz of the real run opens in QGIS (tests/qgis/check_project.py, headless): every layer
    // valid, in its scenario's group, with the feature count of the GeoPackage and the renderer
    // the issue asks for, written down here by hand (not taken from libplan's style code).
    {
        const std::map<std::string, std::pair<std::string, std::string>> intended{
            {"edges", {"categorizedSymbol", "class"}},          {"nodes", {"categorizedSymbol", "kind"}},
            {"dead_ends", {"categorizedSymbol", "class"}},      {"gaps", {"singleSymbol", ""}},
            {"components", {"graduatedSymbol", "share"}},       {"critical_links", {"singleSymbol", ""}},
            {"zones", {"singleSymbol", ""}},                    {"access", {"graduatedSymbol", "to_road_class_m"}},
            {"skeleton_lines", {"graduatedSymbol", "completion_pct"}},
            {"skeleton_gaps", {"categorizedSymbol", "needs"}},  {"skeleton_crossings", {"categorizedSymbol", "exists"}},
            {"parcels", {"categorizedSymbol", "class"}},        {"enterprises", {"", ""}},
            {"centrality", {"graduatedSymbol", "betweenness_r1600"}}, {"changes", {"categorizedSymbol", "action"}}};
        nlohmann::ordered_json e;
        e["crs"] = "EPSG:4548";
        e["groups"] = {"base", "phase1", "river_bridge", "relocation", "phase2"};
        e["gpkg"] = (out / "results.gpkg").string();
        plan::VectorSource src((out / "results.gpkg").string());
        for (const auto& n : names) {
            const auto cut = n.find("__");
            REQUIRE(cut != std::string::npos);
            const std::string kind = n.substr(cut + 2);
            INFO(n);
            REQUIRE(intended.count(kind) == 1);
            const plan::LayerInfo li = src.info(src.resolve_layer(n));
            e["layers"][n] = {{"group", n.substr(0, cut)},
                              {"features", li.feature_count},
                              {"renderer", intended.at(kind).first},
                              {"field", intended.at(kind).second}};
            if (n == "base__edges") e["extent"] = {li.extent.minx, li.extent.miny, li.extent.maxx, li.extent.maxy};
        }
        const fs::path expected = dir / "expected.json";
        plan::test::write_file(expected, e.dump(2));
        const fs::path xdg = dir / "xdg"; // Qt wants a private runtime folder
        fs::create_directories(xdg);
        fs::permissions(xdg, fs::perms::owner_all, fs::perm_options::replace);
        const auto q = plan::test::run_shell("QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=" + quote(xdg.string()) + " " +
                                             std::string(PLAN_SYSTEM_PYTHON) + " " +
                                             quote((plan::test::source_dir() / "tests/qgis/check_project.py").string()) +
                                             " " + quote((out / "study.qgz").string()) + " " + quote(expected.string()));
        INFO(q.out << q.err);
        if (q.exit_code != 77) {
            CHECK(q.exit_code == 0);
            CHECK_THAT(q.out, Contains("74 layers in 5 groups checked"));
        }
    }

    // RFC 7946: lon/lat, at most 7 decimals, UTF-8 Chinese names as they are.
    const std::string edges = plan::test::read_file(out / "geojson" / "base__edges.geojson");
    CHECK_THAT(edges, Contains("青年路"));
    CHECK_THAT(edges, !Contains("\\u"));
    CHECK_FALSE(std::regex_search(edges, std::regex(R"(\[\s*-?\d+\.\d{8,})")));
    CHECK(std::regex_search(edges, std::regex(R"(\[\s*115\.\d+,\s*36\.\d+)"))); // Linqing: 115.7 E, 36.8 N
    CHECK_THAT(edges, !Contains("\"crs\""));

    // The report of the real run renders in headless Chromium with no console error
    // (tests/browser/check_report.mjs; the screenshot is a test artifact).
    const fs::path shot = fs::path(PLAN_BINARY_DIR) / "test-artifacts" / "plan-run-report.png";
    fs::create_directories(shot.parent_path());
    const auto b = plan::test::run_shell("node " + quote((plan::test::source_dir() / "tests/browser/check_report.mjs").string()) +
                                         " " + quote((out / "report.html").string()) + " " + quote(shot.string()));
    INFO(b.out << b.err);
    if (b.exit_code != 77) CHECK(b.exit_code == 0);
}

TEST_CASE("plan run: same bytes whatever the thread count, and the --overwrite rule", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-determinism");
    const fs::path study = small_study(dir);
    const auto a = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "a").string()) + " --threads 1 -q");
    REQUIRE(a.exit_code == 0);
    const auto b = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "b").string()) + " --threads 2 -q");
    REQUIRE(b.exit_code == 0);
    CHECK(plan::test::read_file(dir / "a" / "results.gpkg") == plan::test::read_file(dir / "b" / "results.gpkg"));
    CHECK(plan::test::read_file(dir / "a" / "summary.json") == plan::test::read_file(dir / "b" / "summary.json"));
    CHECK(plan::test::read_file(dir / "a" / "geojson" / "base__edges.geojson") ==
          plan::test::read_file(dir / "b" / "geojson" / "base__edges.geojson"));

    // An existing output is kept without --overwrite ...
    plan::test::write_file(dir / "a" / "summary.json", "x");
    fs::remove_all(dir / "a" / "geojson");
    const auto c = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "a").string()));
    CHECK(c.exit_code == 1);
    CHECK_THAT(c.err, Contains("already exists"));
    CHECK_THAT(c.err, Contains("--overwrite"));
    CHECK(plan::test::read_file(dir / "a" / "summary.json") == "x");
    // ... and replaced as a whole with it (an earlier output: only files plan run writes).
    const auto d = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "a").string()) + " --overwrite -q");
    CHECK(d.exit_code == 0);
    CHECK(plan::test::read_file(dir / "a" / "summary.json") != "x");
    CHECK(fs::exists(dir / "a" / "geojson"));
    CHECK(fs::exists(dir / "a" / "results.gpkg"));
    CHECK(leftovers(dir).empty());
}

TEST_CASE("plan run: -v prints a timing line per step, -q nothing", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-verbose");
    const fs::path study = small_study(dir, "enabled = false\n");
    const auto v = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "v").string()) + " -v");
    REQUIRE(v.exit_code == 0);
    for (const char* step : {"step read:", "step base: network:", "step base: metrics:", "step write results.gpkg"}) {
        INFO(step << "\n" << v.err);
        CHECK_THAT(v.err, Contains(step));
    }
    const auto q = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "q").string()) + " -q");
    REQUIRE(q.exit_code == 0);
    CHECK(q.err.empty());
    // --progress draws a line per step even when stderr is not a terminal.
    const auto p = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "p").string()) + " --progress");
    REQUIRE(p.exit_code == 0);
    for (const char* step : {"plan run: read …", "plan run: base: network …", "plan run: write study.qgz …"}) {
        INFO(step << "\n" << p.err);
        CHECK_THAT(p.err, Contains(step));
    }
}

TEST_CASE("study file errors name the file, the line and the key", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-bad-study");
    auto run = [&](const std::string& text) {
        plan::test::write_file(dir / "bad.toml", text);
        return plan::test::run_plan("run " + quote((dir / "bad.toml").string()) + " -o " + quote((dir / "out").string()));
    };
    const std::string roads = "[inputs]\nroads = [" + quote((sample() / "roads.gpkg").string()) + "]\n";

    SECTION("syntax error") {
        const auto r = run(roads + "[dead_ends]\ngap = = 3\n");
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Contains("bad.toml"));
        CHECK_THAT(r.err, Contains("line 4"));
        CHECK_THAT(r.err, Contains("not valid TOML"));
    }
    SECTION("unknown key") {
        const auto r = run(roads + "\n[dead_ends]\ngapp = 3\n");
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Contains("bad.toml"));
        CHECK_THAT(r.err, Contains("line 5"));
        CHECK_THAT(r.err, Contains("gapp"));
        CHECK_THAT(r.err, Contains("[dead_ends]"));
    }
    SECTION("unknown table") {
        const auto r = run(roads + "[metric]\n");
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Contains("line 3"));
        CHECK_THAT(r.err, Contains("'metric'"));
    }
    SECTION("wrong type") {
        const auto r = run(roads + "[centrality]\nradii = \"400\"\n");
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Contains("line 4"));
        CHECK_THAT(r.err, Contains("radii"));
    }
    SECTION("missing input path") {
        const auto r = run(roads + "parcels = \"nowhere/parcels.gpkg|layername=parcels\"\n");
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Contains("'parcels'"));
        CHECK_THAT(r.err, Contains((dir / "nowhere" / "parcels.gpkg").string()));
        CHECK_THAT(r.err, Contains("line 3"));
    }
    SECTION("no roads") {
        const auto r = run("[study]\nname = \"x\"\n[inputs]\n");
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Contains("roads"));
    }
    CHECK_FALSE(fs::exists(dir / "out"));
    CHECK(leftovers(dir).empty());
}

TEST_CASE("from_file resolves paths against the study file and keeps them as written", "[study]") {
    const plan::StudyConfig c = plan::StudyConfig::from_file((sample() / "plan.toml").string());
    CHECK(c.name == "sample-city");
    REQUIRE(c.inputs.roads.size() == 1);
    CHECK(c.inputs.roads[0] == (sample() / "roads.gpkg").lexically_normal().string());
    CHECK(c.inputs.parcels == (sample() / "landuse.gpkg").lexically_normal().string() + "|layername=parcels");
    CHECK(c.inputs_as_written.parcels == "landuse.gpkg|layername=parcels");
    CHECK(c.inputs.method == "zhejiang");
    CHECK(c.options.access_id_field == "parcel_id");
    CHECK(c.options.centrality_options.radii == std::vector<double>{400, 800, 1600});
    CHECK_FALSE(c.options.centrality_options.global);
    CHECK(c.options.cost_per_km.at(plan::RoadClass::arterial) == 5000);
    REQUIRE(c.scenarios.size() == 4);
    CHECK(fs::path(c.scenarios.front()).filename() == "phase1.toml");
    CHECK(fs::path(c.scenarios.back()).filename() == "phase2.toml");
}

TEST_CASE("plan run: an output folder that cannot be written", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-unwritable");
    const fs::path study = small_study(dir);
    plan::test::write_file(dir / "file", "not a folder");
    const auto r = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "file" / "out").string()));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("cannot be written"));
    CHECK(leftovers(dir).empty());
}

TEST_CASE("plan run: Ctrl-C or SIGTERM leaves no output and no temporary folder", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-interrupt");
    const fs::path study = small_study(dir, "enabled = false\n");
    for (const char* sig : {"INT", "TERM"}) {
        INFO(sig);
        const fs::path out = dir / (std::string("out-") + sig);
        // The step delay (tests only) keeps the run in its write steps long enough to be interrupted
        // once its temporary folder exists.
        const std::string script =
            "PLAN_TEST_STEP_DELAY_MS=400 " + quote(PLAN_CLI) + " run " + quote(study.string()) + " -o " +
            quote(out.string()) + " & pid=$!; for i in $(seq 1 600); do ls -a " + quote(dir.string()) +
            " | grep -q '^\\.plan-run-' && break; sleep 0.05; done; kill -" + sig + " $pid; wait $pid; echo rc=$?";
        const auto r = plan::test::run_shell(script);
        INFO(r.out << r.err);
        CHECK_THAT(r.out, Contains("rc=130"));
        CHECK_THAT(r.err, Contains("interrupted"));
        CHECK_FALSE(fs::exists(out));
        CHECK(leftovers(dir).empty());
    }
}

TEST_CASE("plan run --overwrite never deletes the study, a file or a folder it did not write", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-overwrite-guard");
    const fs::path study = small_study(dir, "enabled = false\n");
    // -o . next to the study file: the folder holds the study itself.
    const auto here = plan::test::run_shell("cd " + quote(dir.string()) + " && " + quote(std::string(PLAN_CLI)) +
                                            " run small.toml -o . --overwrite -q");
    CHECK(here.exit_code == 1);
    CHECK_THAT(here.err, Contains("holds an input of the study"));
    CHECK(fs::exists(study));
    // -o the study file itself: not a folder.
    const auto file = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote(study.string()) + " --overwrite -q");
    CHECK(file.exit_code == 1);
    CHECK_THAT(file.err, Contains("is not a folder"));
    CHECK(plan::test::read_file(study).find("[inputs]") != std::string::npos);
    // A folder holding other files is kept.
    fs::create_directories(dir / "notes");
    plan::test::write_file(dir / "notes" / "minutes.txt", "council, 12 May");
    const auto notes = plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "notes").string()) +
                                            " --overwrite -q");
    CHECK(notes.exit_code == 1);
    CHECK_THAT(notes.err, Contains("minutes.txt"));
    CHECK(fs::exists(dir / "notes" / "minutes.txt"));
    // An earlier output and an empty folder are replaced.
    fs::create_directories(dir / "empty");
    CHECK(plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "empty").string()) + " --overwrite -q")
              .exit_code == 0);
    CHECK(plan::test::run_plan("run " + quote(study.string()) + " -o " + quote((dir / "empty").string()) + " --overwrite -q")
              .exit_code == 0);
    CHECK(leftovers(dir).empty());
}

TEST_CASE("plan run: a layer the input file does not have names the study file, line and key (exit 1)", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-bad-layer");
    const fs::path s = dir / "bad.toml";
    plan::test::write_file(s, "[study]\nname = \"bad\"\n\n[inputs]\nroads = [" + quote((sample() / "roads.gpkg").string()) +
                                  "]\nzones = \"" + (sample() / "landuse.gpkg").string() + "|layername=zone\"\n");
    const auto r = plan::test::run_plan("run " + quote(s.string()) + " -o " + quote((dir / "out").string()) + " -q");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("bad.toml: line 6: field 'zones'"));
    CHECK_THAT(r.err, Contains("zone"));
    CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("an input written as a table carries its own read options (encoding, src_crs, where)", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-input-table");
    const std::string roads = (sample() / "roads.gpkg").string();
    plan::test::write_file(dir / "t.toml", "[study]\nname = \"t\"\n\n[inputs]\nroads = [{path = " + quote(roads) +
                                               ", where = \"等级 = '主干路'\", encoding = \"UTF-8\"}]\n\n"
                                               "[centrality]\nenabled = false\n");
    const plan::StudyConfig c = plan::StudyConfig::from_file((dir / "t.toml").string());
    REQUIRE(c.inputs.roads.size() == 1);
    REQUIRE(c.input_reads.count(c.inputs.roads[0]) == 1);
    CHECK(c.input_reads.at(c.inputs.roads[0]).where == "等级 = '主干路'");
    CHECK(c.input_reads.at(c.inputs.roads[0]).encoding == "UTF-8");
    CHECK(c.input_lines.at("roads") == 5);
    // The filter is applied: only the arterials enter the network.
    const plan::StudyData d = plan::load_study_data(c);
    const plan::StudyConfig all = plan::StudyConfig::from_file(small_study(dir).string());
    const plan::StudyData every = plan::load_study_data(all);
    CHECK(d.network.live_edge_count() > 0);
    CHECK(d.network.live_edge_count() < every.network.live_edge_count() / 2);
    // An unknown key of the table is named with its line.
    plan::test::write_file(dir / "u.toml", "[inputs]\nroads = [{path = " + quote(roads) + ", encodng = \"GBK\"}]\n");
    const auto r = plan::test::run_plan("run " + quote((dir / "u.toml").string()) + " -o " + quote((dir / "out").string()));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("line 2"));
    CHECK_THAT(r.err, Contains("encodng"));
    // A folder given as the study file.
    const auto f = plan::test::run_plan("run " + quote(dir.string()) + " -o " + quote((dir / "out").string()));
    CHECK(f.exit_code == 1);
    CHECK_THAT(f.err, Contains("a folder, not a study file"));
}

TEST_CASE("a study on an OSM file reads its roads as plan network does: ways and closed highway areas", "[study]") {
    const fs::path dir = plan::test::scratch_dir("run-osm-study");
    const fs::path osm = plan::test::source_dir() / "tests" / "data" / "osm" / "tiny_roads.osm";
    plan::test::write_file(dir / "osm.toml", "[study]\nname = \"osm\"\n\n[inputs]\nroads = [" + quote(osm.string()) +
                                                "]\n\n[network]\nclasses = \"all\"\n");
    const plan::StudyConfig c = plan::StudyConfig::from_file((dir / "osm.toml").string());
    const plan::StudyData d = plan::load_study_data(c);
    const auto net = plan::test::run_plan("network " + quote(osm.string()) + " --classes all --json -q");
    REQUIRE(net.exit_code == 0);
    const auto j = nlohmann::json::parse(net.out);
    CHECK(d.network.live_edge_count() == j["edges"].get<std::size_t>());
    // two sources: the ways, and the closed highway areas (the pedestrian square)
    CHECK(d.build_report.sources.size() == 2);
    CHECK(j["length_km"].get<double>() > 0);
}
