// plan network after the second new-user trial of session 6: --overwrite never
// deletes inputs or other files, --crs source on lon/lat data is refused, the
// edges' sources field reads back as text, and a T-junction rounded by a
// reprojection gives no spurious duplicate.
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

// A street EW, a side street S2 starting on it and a 5 m stub, drawn in EPSG:4548 and written in
// lon/lat (CRS84) by GeoPandas: S2's first point lies a few nanometres off EW after the round trip.
const char* kRoundedT = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"highway":"residential","name":"EW"},"geometry":{"type":"LineString","coordinates":[[117.33620008619191,36.810195559956526],[117.34740657172745,36.81016335100629]]}},
{"type":"Feature","properties":{"highway":"residential","name":"S2"},"geometry":{"type":"LineString","coordinates":[[117.34516527604954,36.81016987727451],[117.34517255746528,36.81179184780205]]}},
{"type":"Feature","properties":{"highway":"residential","name":"stub"},"geometry":{"type":"LineString","coordinates":[[117.34404462794056,36.810173124568976],[117.34404442634396,36.810128069820465]]}}]})";
} // namespace

TEST_CASE("trial4b: --overwrite replaces only an earlier output, never an input or other files", "[cli]") {
    const auto d = scratch_dir("trial4b_overwrite");
    // a folder holding the input itself
    fs::create_directories(d / "inp");
    fs::copy_file(kSampleRoads, d / "inp" / "roads.gpkg");
    const auto in_folder = run_plan("network " + quote((d / "inp" / "roads.gpkg").string()) + " -q -o " +
                                    quote((d / "inp").string() + "/") + " --overwrite");
    CHECK(in_folder.exit_code == 1);
    CHECK(in_folder.err.find("which this run reads") != std::string::npos);
    CHECK(fs::exists(d / "inp" / "roads.gpkg"));
    // the input GeoPackage as the output
    const auto self = run_plan("network " + quote((d / "inp" / "roads.gpkg").string()) + " -q -o " +
                               quote((d / "inp" / "roads.gpkg").string()) + " --overwrite");
    CHECK(self.exit_code == 1);
    CHECK(fs::file_size(d / "inp" / "roads.gpkg") == fs::file_size(kSampleRoads));
    // a folder with someone's notes in it
    fs::create_directories(d / "mine");
    { std::ofstream(d / "mine" / "notes.txt") << "x\n"; }
    const auto mine = run_plan("network " + quote(kSampleRoads.string()) + " -q -o " + quote((d / "mine").string()) +
                               " --overwrite");
    CHECK(mine.exit_code == 1);
    CHECK(mine.err.find("also holds 1 other entry (notes.txt)") != std::string::npos);
    CHECK(fs::exists(d / "mine" / "notes.txt"));
    // a plain file is not replaced by a folder of layers, a folder not by a GeoPackage
    { std::ofstream(d / "afile") << "x\n"; }
    CHECK(run_plan("network " + quote(kSampleRoads.string()) + " -q -o " + quote((d / "afile").string()) + "/ --overwrite")
              .exit_code == 1);
    CHECK(fs::exists(d / "afile"));
    fs::create_directories(d / "dir.gpkg");
    CHECK(run_plan("network " + quote(kSampleRoads.string()) + " -q -o " + quote((d / "dir.gpkg").string()) +
                   " --overwrite").exit_code == 1);
    CHECK(fs::is_directory(d / "dir.gpkg"));
    // an earlier output (GeoJSON layers alone) is replaced
    const auto first = run_plan("network " + quote(kSampleRoads.string()) + " -q -o " + quote((d / "out").string()));
    REQUIRE(first.exit_code == 0);
    CHECK(run_plan("network " + quote(kSampleRoads.string()) + " -q -o " + quote((d / "out").string()) + " --overwrite")
              .exit_code == 0);
}

TEST_CASE("trial4b: --crs source on lon/lat data is refused, the sources field is not a time, no spurious duplicate",
          "[cli]") {
    const auto d = scratch_dir("trial4b_crs_source");
    { std::ofstream(d / "t.geojson") << kRoundedT; }
    const std::string roads = quote((d / "t.geojson").string());
    const auto src = run_plan("network " + roads + " --crs source");
    CHECK(src.exit_code == 1);
    CHECK(src.err.find("--crs source: the source CRS") != std::string::npos);
    CHECK(src.err.find("geographic (degrees)") != std::string::npos);
    // the rounded T: three lines, one junction, no duplicate, each edge from its own line
    const auto j = run_plan("network " + roads + " --json -o " + quote((d / "out").string()));
    INFO(j.err);
    REQUIRE(j.exit_code == 0);
    const auto s = nlohmann::json::parse(j.out);
    CHECK(s["nodes"] == 6);
    CHECK(s["edges"] == 5);
    CHECK(s["build"]["duplicates_merged"] == 0);
    CHECK(j.err.find("duplicated or overlapping") == std::string::npos);
    const std::string edges = read_file(d / "out" / "edges.geojson");
    CHECK(edges.find("\"sources\": \"0/0;0/1\"") == std::string::npos);
    CHECK(edges.find("\"sources\": \"0/1\"") != std::string::npos);
    CHECK(edges.find("\"sources\": \"0:") == std::string::npos);
    // GDAL reads the field back as text, not as a time of day
    const auto py = run_python("-c \"import geopandas as g; e = g.read_file('" + (d / "out" / "edges.geojson").string() +
                               "'); print(sorted(set(e.sources)))\"");
    INFO(py.err);
    CHECK(py.out.find("'0/1'") != std::string::npos);
}

TEST_CASE("trial4b: a missing --*-field names its option, an existing output is reported before reading", "[cli]") {
    const auto d = scratch_dir("trial4b_field_output");
    const auto f = run_plan("network " + quote(kSampleRoads.string()) + " --name-field nofield");
    CHECK(f.exit_code == 2);
    CHECK(f.err.find("--name-field names a field that does not exist") != std::string::npos);
    // the output exists: said at once, even though the input does not exist
    { std::ofstream(d / "x.gpkg") << "x\n"; }
    for (const std::string cmd : {"network", "metrics", "candidates"}) {
        INFO(cmd);
        const auto r = run_plan(cmd + " no-such-roads.gpkg -o " + quote((d / "x.gpkg").string()));
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("the output already exists") != std::string::npos);
        CHECK(r.err.find("no-such-roads") == std::string::npos);
    }
}
