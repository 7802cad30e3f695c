// plan network --snap: the "snapping" JSON key and the warning when snapping
// closed gaps wider than 5 m, on a hand-made layer (figures by hand) and on the
// sample city (figures from scripts/check_snapping.py, GeoPandas + NumPy).
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace plan::test;
namespace fs = std::filesystem;

namespace {

const fs::path kSampleRoads = source_dir() / "data/sample-city/roads.gpkg";

// EPSG:4548 metres. Road 1 along y = 4072000 from x = 380000 to 380100; road 2 goes up from
// (380050, 4072030): its end is 30 m from road 1's interior. Every other end is farther than
// 50 m from any road (hypot(50, 30) = 58.3 m).
const char* kTee = R"({"type":"FeatureCollection","name":"tee",
"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},"features":[
{"type":"Feature","id":1,"properties":{"highway":"residential","name":"EW"},"geometry":{"type":"LineString","coordinates":[[380000,4072000],[380100,4072000]]}},
{"type":"Feature","id":2,"properties":{"highway":"residential","name":"NS"},"geometry":{"type":"LineString","coordinates":[[380050,4072030],[380050,4072100]]}}]})";

fs::path tee_file() {
    const auto d = scratch_dir("cli_snapping");
    const fs::path f = d / "tee.geojson";
    std::ofstream(f) << kTee;
    return f;
}

} // namespace

namespace {
// "EPSG:4548 (CGCS2000 ...)" in --json's "crs" -> "4548".
std::string j_crs_code(const std::string& json_text) {
    const std::string crs = nlohmann::ordered_json::parse(json_text).at("crs").get<std::string>();
    const auto colon = crs.find(':');
    const auto space = crs.find(' ');
    return colon == std::string::npos ? std::string("?") : crs.substr(colon + 1, space - colon - 1);
}
} // namespace

TEST_CASE("cli snapping: --snap 50 joining an end 30 m from a line warns and reports the move", "[cli]") {
    const fs::path f = tee_file();
    const auto r = run_plan("network " + quote(f.string()) + " --snap 50 --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("--snap 50 m moved 1 road end to close gaps, 1 by more than 5 m (largest 30.00 m: ") !=
          std::string::npos);
    // The point is in the analysis CRS, which the warning names.
    CHECK(r.err.find("tee.geojson:tee feature 2 at 380050.0, 4072030.0 in EPSG:" + j_crs_code(r.out) +
                     "; mean 30.00 m, 95th percentile 30.00 m)") != std::string::npos);
    CHECK(r.err.find("lower --snap") != std::string::npos);
    const auto j = nlohmann::ordered_json::parse(r.out);
    const auto& s = j.at("snapping");
    CHECK(s["tolerance_m"] == 50.0);
    CHECK(s["ends_moved"] == 1);
    CHECK(s["ends_moved_over_5m"] == 1);
    CHECK(s["max_move_m"] == 30.0);
    CHECK(s["mean_move_m"] == 30.0);
    CHECK(s["p95_move_m"] == 30.0);
    CHECK(s["max_move_at"] == nlohmann::json::array({380050.0, 4072030.0}));
    CHECK(s["max_move_fid"] == 2);
    CHECK(j["build"]["snapped_to_line"] == 1);
    CHECK(j["intersections"] == 1); // joined: the T

    // The default --snap leaves the gap: nothing moved, no warning, a near miss.
    const auto d = run_plan("network " + quote(f.string()) + " --json");
    REQUIRE(d.exit_code == 0);
    CHECK(d.err.find("to close gaps") == std::string::npos);
    const auto k = nlohmann::ordered_json::parse(d.out);
    CHECK(k["snapping"]["tolerance_m"] == 0.01);
    CHECK(k["snapping"]["ends_moved"] == 0);
    CHECK(k["snapping"]["max_move_m"] == 0.0);
    CHECK(k["snapping"]["max_move_fid"].is_null());
    CHECK(k["intersections"] == 0);
}

TEST_CASE("cli snapping: the sample city, default --snap and --snap 15, against GeoPandas", "[cli]") {
    const std::string script = quote((source_dir() / "scripts/check_snapping.py").string());
    for (const std::string snap : {"0.01", "15"}) {
        INFO("--snap " << snap);
        const auto r = run_plan("network " + quote(kSampleRoads.string()) + " --snap " + snap + " --json");
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const auto j = nlohmann::ordered_json::parse(r.out);
        const auto& s = j.at("snapping");
        const auto py = run_python(script + " " + quote(kSampleRoads.string()) + " roads " + snap);
        INFO(py.err);
        REQUIRE(py.exit_code == 0);
        const auto e = nlohmann::json::parse(py.out);
        CHECK(s["tolerance_m"].get<double>() == e["tolerance_m"].get<double>());
        CHECK(s["ends_moved"] == e["ends_moved"]);
        CHECK(s["ends_moved_over_5m"] == e["ends_moved_over_5m"]);
        CHECK(s["max_move_m"].get<double>() == Approx(e["max_move_m"].get<double>()).margin(2e-6));
        CHECK(s["mean_move_m"].get<double>() == Approx(e["mean_move_m"].get<double>()).margin(2e-6));
        CHECK(s["p95_move_m"].get<double>() == Approx(e["p95_move_m"].get<double>()).margin(2e-6));
        CHECK(s["max_move_fid"] == e["max_move_fid"]);
        if (snap == "0.01") {
            // Default: the sample city's ends meet exactly or stay apart (its near misses are 2-13 m).
            CHECK(s["ends_moved"] == 0);
            CHECK(r.err.find("--snap") == std::string::npos);
            CHECK(r.err.find("warning") == std::string::npos);
        } else {
            // 15 m closes the planted near misses: the widest is NM05, 13.46 m (data/sample-city/README.md).
            CHECK(s["ends_moved"] == 88);
            CHECK(s["max_move_m"].get<double>() == Approx(13.46).margin(0.005));
            CHECK(s["max_move_at"][0].get<double>() == Approx(380663.5).margin(0.05));
            CHECK(s["max_move_at"][1].get<double>() == Approx(4077285.7).margin(0.05));
            CHECK(r.err.find("--snap 15 m moved 88 road ends to close gaps") != std::string::npos);
        }
    }
}
