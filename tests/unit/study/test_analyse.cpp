// analyse() on the sample city gives the very JSON the subcommands print with
// --json when given the same inputs and options.
#include <algorithm>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "plan/log.hpp"
#include "plan/study.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace plan;

namespace {

/// The sample city's study, built in code (paths as written relative to the folder).
StudyConfig sample_study() {
    const fs::path dir = plan::test::source_dir() / "data" / "sample-city";
    StudyConfig c;
    c.path = (dir / "plan.toml").string();
    c.dir = dir.string();
    c.name = "sample";
    StudyInputs w;
    w.roads = {"roads.gpkg"};
    w.parcels = "landuse.gpkg|layername=parcels";
    w.enterprises = "enterprises.csv";
    w.zones = "landuse.gpkg|layername=zones";
    w.parks = "landuse.gpkg|layername=industrial_parks";
    w.boundary = "landuse.gpkg|layername=study_boundary";
    w.barriers = {"barriers.gpkg"};
    w.skeleton = "skeleton.toml";
    c.inputs_as_written = w;
    auto abs = [&](const std::string& s) { return (dir / s).string(); };
    StudyInputs& in = c.inputs;
    in.roads = {abs(w.roads[0])};
    in.parcels = abs(w.parcels);
    in.enterprises = abs(w.enterprises);
    in.zones = abs(w.zones);
    in.parks = abs(w.parks);
    in.boundary = abs(w.boundary);
    in.barriers = {abs(w.barriers[0])};
    in.skeleton = abs(w.skeleton);
    c.options.threads = 2;
    return c;
}

std::string cli_json(const std::string& args) {
    const fs::path dir = plan::test::source_dir() / "data" / "sample-city";
    const auto r = plan::test::run_shell("cd " + plan::test::quote(dir.string()) + " && " +
                                         plan::test::quote(PLAN_CLI) + " " + args + " --json --quiet");
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

// The subcommands' --json also state crs_scale_error (the CLI's CRS check,
// tools/plan/input_options.cpp), which the study's summary does not carry.
// plan landuse, whose summary has no "crs" of its own, states it beside the
// scale error (`crs_added`).
std::string without_scale_error(const std::string& cli, bool crs_added = false) {
    auto j = nlohmann::ordered_json::parse(cli);
    REQUIRE(j.contains("crs_scale_error"));
    j.erase("crs_scale_error");
    if (crs_added) {
        REQUIRE(j.contains("crs"));
        j.erase("crs");
    }
    return j.dump();
}

void same_json(const std::string& ours, const std::string& theirs) {
    const auto a = nlohmann::ordered_json::parse(ours);
    const auto b = nlohmann::ordered_json::parse(theirs);
    INFO("analyse: " << a.dump(2).substr(0, 3000) << "\nCLI: " << b.dump(2).substr(0, 3000));
    CHECK(a == b);
    CHECK(a.dump() == b.dump()); // key order too
}

} // namespace

TEST_CASE("analyse on the sample city equals the subcommands' --json", "[study]") {
    const StudyConfig config = sample_study();
    const StudyData data = load_study_data(config);
    std::vector<std::string> steps;
    const AnalysisResult r = analyse(config, data, data.network, data.parcels ? &*data.parcels : nullptr,
                                     data.enterprises ? &*data.enterprises : nullptr,
                                     [&](const std::string& s) { steps.push_back(s); });
    CHECK(steps == std::vector<std::string>{"network", "metrics", "centrality", "zones", "access", "skeleton", "landuse"});
    REQUIRE(r.json.count("network"));
    REQUIRE(r.json.count("metrics"));
    REQUIRE(r.json.count("skeleton"));
    REQUIRE(r.json.count("landuse"));
    REQUIRE(r.json.count("access"));

    // plan network --json also states crs_scale_error (the CLI's CRS check,
    // tools/plan/input_options.cpp), which the study's summary does not carry.
    auto network_cli = nlohmann::ordered_json::parse(
        cli_json("network roads.gpkg --study-area 'landuse.gpkg|layername=study_boundary'"));
    REQUIRE(network_cli.contains("crs_scale_error"));
    network_cli.erase("crs_scale_error");
    same_json(r.json.at("network"), network_cli.dump());
    const std::string metrics = without_scale_error(cli_json(
        "metrics roads.gpkg --boundary 'landuse.gpkg|layername=study_boundary' --zones 'landuse.gpkg|layername=zones' "
        "--access 'landuse.gpkg|layername=parcels' --skeleton skeleton.toml --radius 400,800,1600 --no-global "
        "--threads 2"));
    same_json(r.json.at("metrics"), metrics);
    same_json(r.json.at("access"), nlohmann::ordered_json::parse(metrics)["access"].dump());
    same_json(r.json.at("skeleton"), without_scale_error(cli_json("skeleton roads.gpkg --spec skeleton.toml --barriers barriers.gpkg "
                                                                  "--parcels 'landuse.gpkg|layername=parcels'")));
    same_json(r.json.at("landuse"),
              without_scale_error(cli_json("landuse 'landuse.gpkg|layername=parcels' --enterprises enterprises.csv "
                                           "--zones 'landuse.gpkg|layername=zones' --parks 'landuse.gpkg|layername=industrial_parks'"),
                                  true));

    // Plain layer names, unique; edges carry the network and the centrality columns.
    std::vector<std::string> names;
    for (const auto& l : r.layers) names.push_back(l.name);
    CHECK(names == std::vector<std::string>{"edges", "nodes", "dead_ends", "gaps", "components", "critical_links",
                                            "zones", "access", "skeleton_lines", "skeleton_gaps", "skeleton_crossings",
                                            "parcels", "enterprises"});
    const OutLayer& edges = r.layers[0];
    std::vector<std::string> fields;
    for (const auto& f : edges.fields) fields.push_back(f.name);
    CHECK(std::find(fields.begin(), fields.end(), "critical_link") != fields.end());
    CHECK(std::find(fields.begin(), fields.end(), "betweenness_r800") != fields.end());
    CHECK(edges.features.size() == r.network.edges);
    for (const auto& f : edges.features) REQUIRE(f.values.size() == edges.fields.size());
}

TEST_CASE("analyse without land use runs the network and metrics only", "[study]") {
    StudyConfig config = sample_study();
    config.inputs.parcels.clear();
    config.inputs.enterprises.clear();
    config.inputs.skeleton.clear();
    config.options.centrality = false;
    const StudyData data = load_study_data(config);
    const AnalysisResult r = analyse(config, data, data.network, nullptr, nullptr);
    CHECK(r.json.count("network") == 1);
    CHECK(r.json.count("metrics") == 1);
    CHECK(r.json.count("skeleton") == 0);
    CHECK(r.json.count("landuse") == 0);
    CHECK(r.json.count("access") == 0);
    CHECK_FALSE(r.landuse.has_value());
}

TEST_CASE("analyse: zones off the road network give one warning, not one per zone", "[study]") {
    // The Beijing townships lie far from the sample city: none overlaps.
    const fs::path townships = plan::test::shared_data("beijing_townships/townships.shp");
    const fs::path dir = plan::test::source_dir() / "data" / "sample-city";
    StudyConfig c;
    c.path = (dir / "plan.toml").string();
    c.dir = dir.string();
    c.name = "zones-off";
    c.inputs_as_written.roads = {"roads.gpkg"};
    c.inputs_as_written.zones = townships.string();
    c.inputs.roads = {(dir / "roads.gpkg").string()};
    c.inputs.zones = townships.string();
    const StudyData data = load_study_data(c);
    std::vector<log::Capture::Message> messages;
    {
        log::Capture capture;
        const AnalysisResult r = analyse(c, data, data.network, nullptr, nullptr, {});
        messages = capture.stop();
    }
    int off_lines = 0;
    std::string summary;
    for (const auto& m : messages) {
        if (m.level != log::Level::warning) continue;
        if (m.text.find("does not overlap the road network") != std::string::npos) ++off_lines;
        if (m.text.find("overlaps the road network") != std::string::npos) summary = m.text;
    }
    INFO(summary);
    CHECK(off_lines == 0);
    CHECK(summary.find("none of the 331 zones overlaps the road network") != std::string::npos);
    CHECK(summary.find("and 326 more") != std::string::npos);
}
