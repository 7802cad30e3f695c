// Every bad input of the foundation issue: a one-line message naming the
// culprit, the documented exit code, and no crash (the suite runs under
// ASan/UBSan, which turn a crash or leak into a failure).
#include <filesystem>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace plan::test;

namespace {

const char* kLines =
    "id,name,WKT\n"
    "1,a,\"LINESTRING (500000 4000000,500100 4000000)\"\n"
    "2,b,\"LINESTRING (500100 4000000,500100 4000100)\"\n"
    "3,c,\"LINESTRING (500100 4000100,500200 4000150)\"\n";

/// A small line Shapefile (EPSG:4548) made from CSV with ogr2ogr.
fs::path make_shapefile(const fs::path& dir) {
    write_file(dir / "lines.csv", kLines);
    const auto r = run_shell("ogr2ogr -a_srs EPSG:4548 -f 'ESRI Shapefile' " + quote((dir / "lines.shp").string()) + " " +
                             quote((dir / "lines.csv").string()) + " -nlt LINESTRING");
    REQUIRE(r.exit_code == 0);
    return dir / "lines.shp";
}

void check_error(const RunResult& r, int code, const std::string& must_contain) {
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == code);
    CHECK(r.err.find(must_contain) != std::string::npos);
    CHECK(r.err.find("plan: error: ") != std::string::npos);
    CHECK(r.err.find("AddressSanitizer") == std::string::npos);
    CHECK(r.err.find("runtime error") == std::string::npos);
}

} // namespace

TEST_CASE("bad input: missing file", "[io][bad-input]") {
    const auto d = scratch_dir("missing");
    check_error(run_plan("info " + quote((d / "nope.shp").string())), 1, "nope.shp: no such file or folder");
}

TEST_CASE("bad input: truncated .shp", "[io][bad-input]") {
    const auto d = scratch_dir("truncated");
    const fs::path shp = make_shapefile(d);
    fs::resize_file(shp, 150);
    check_error(run_plan("info " + quote(shp.string())), 1, "damaged record");
    check_error(run_plan("info " + quote(shp.string())), 1, "lines.shp");
}

TEST_CASE("bad input: garbage .shp", "[io][bad-input]") {
    const auto d = scratch_dir("garbage");
    const fs::path shp = make_shapefile(d);
    write_file(shp, std::string(400, 'x'));
    check_error(run_plan("info " + quote(shp.string())), 1, "lines.shp");
}

TEST_CASE("bad input: missing .shx", "[io][bad-input]") {
    const auto d = scratch_dir("noshx");
    const fs::path shp = make_shapefile(d);
    fs::remove(d / "lines.shx");
    check_error(run_plan("info " + quote(shp.string())), 1, "index (.shx) is missing");
}

TEST_CASE("bad input: missing .dbf", "[io][bad-input]") {
    const auto d = scratch_dir("nodbf");
    const fs::path shp = make_shapefile(d);
    fs::remove(d / "lines.dbf");
    check_error(run_plan("info " + quote(shp.string())), 1, "attribute table (.dbf) is missing");
}

TEST_CASE("bad input: unknown layer lists the layers", "[io][bad-input]") {
    const auto d = scratch_dir("nolayer");
    const fs::path shp = make_shapefile(d);
    const auto r = run_plan("info " + quote(shp.string()) + " roads");
    check_error(r, 2, "no layer 'roads'");
    CHECK(r.err.find("lines (0)") != std::string::npos);
}

TEST_CASE("bad input: empty layer", "[io][bad-input]") {
    const auto d = scratch_dir("empty");
    write_file(d / "e.geojson", R"({"type":"FeatureCollection","features":[]})");
    // Describing an empty layer is fine; reading it for an analysis is an error.
    const auto info = run_plan("info " + quote((d / "e.geojson").string()));
    CHECK(info.exit_code == 0);
    CHECK(info.out.find("0 feature(s)") != std::string::npos);
    check_error(run_plan("info --expect lines " + quote((d / "e.geojson").string())), 1, "the layer is empty");
}

TEST_CASE("bad input: points where lines are needed", "[io][bad-input]") {
    const auto d = scratch_dir("points");
    write_file(d / "p.geojson",
               R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[115.7,36.8]}}]})");
    check_error(run_plan("info --expect lines " + quote((d / "p.geojson").string())), 1, "holds no lines");
}

TEST_CASE("bad input: NaN and infinite coordinates are skipped and counted", "[io][bad-input]") {
    const auto d = scratch_dir("nan");
    write_file(d / "n.geojson",
               R"({"type":"FeatureCollection","features":[)"
               R"({"type":"Feature","properties":{"id":1},"geometry":{"type":"LineString","coordinates":[[NaN,36.8],[115.71,36.8]]}},)"
               R"({"type":"Feature","properties":{"id":2},"geometry":{"type":"LineString","coordinates":[[115.7,36.8],[115.71,Infinity]]}},)"
               R"({"type":"Feature","properties":{"id":3},"geometry":{"type":"LineString","coordinates":[[115.7,36.8],[115.71,36.81]]}}]})");
    const auto r = run_plan("info --json --expect lines " + quote((d / "n.geojson").string()));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\"skipped_invalid_geometry\": 2") != std::string::npos);
    CHECK(r.out.find("\"features\": 1") != std::string::npos);
    CHECK(r.err.find("skipped 2 feature(s) with an invalid geometry") != std::string::npos);
}

TEST_CASE("bad input: a layer of only NaN coordinates is an error", "[io][bad-input]") {
    const auto d = scratch_dir("allnan");
    write_file(d / "n.geojson",
               R"({"type":"FeatureCollection","features":[)"
               R"({"type":"Feature","properties":{"id":1},"geometry":{"type":"LineString","coordinates":[[NaN,36.8],[115.71,36.8]]}}]})");
    check_error(run_plan("info --expect lines " + quote((d / "n.geojson").string())), 1, "no usable lines");
}

TEST_CASE("bad input: empty and invalid geometries are skipped and counted, not fatal", "[io][bad-input]") {
    const auto d = scratch_dir("emptygeom");
    write_file(d / "g.csv",
               "id,WKT\n1,\"LINESTRING (500000 4000000,500100 4000000)\"\n2,\"LINESTRING EMPTY\"\n3,\n4,\"LINESTRING (500000 4000000)\"\n");
    const auto r = run_plan("info --json --src-crs EPSG:4548 --expect lines " + quote((d / "g.csv").string()));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\"features\": 1") != std::string::npos);
    CHECK(r.out.find("\"skipped_empty_geometry\": 2") != std::string::npos);
    CHECK(r.out.find("\"skipped_invalid_geometry\": 1") != std::string::npos);
}

TEST_CASE("bad input: --where naming a field that does not exist", "[io][bad-input]") {
    const auto d = scratch_dir("nofield");
    const fs::path shp = make_shapefile(d);
    check_error(run_plan("info --where \"nosuch = 1\" " + quote(shp.string())), 2, "--where 'nosuch = 1' is not a valid filter");
}

TEST_CASE("bad input: unknown CRS code", "[io][bad-input]") {
    const auto d = scratch_dir("nocrs");
    const fs::path shp = make_shapefile(d);
    check_error(run_plan("info --crs EPSG:999999 " + quote(shp.string())), 2, "--crs");
    check_error(run_plan("info --src-crs EPSG:999999 " + quote(shp.string())), 2, "--src-crs");
}

TEST_CASE("bad input: a layer without CRS and not in lon/lat range", "[io][bad-input]") {
    const auto d = scratch_dir("nosrs");
    write_file(d / "l.csv", kLines);
    const auto r = run_plan("info " + quote((d / "l.csv").string()));
    check_error(r, 1, "has no CRS");
    CHECK(r.err.find("--src-crs") != std::string::npos);
    const auto ok = run_plan("info --src-crs EPSG:4548 " + quote((d / "l.csv").string()));
    CHECK(ok.exit_code == 0);
}

TEST_CASE("bad input: no CRS but lon/lat coordinates: WGS84 assumed with a warning", "[io][bad-input]") {
    const auto d = scratch_dir("lonlat");
    write_file(d / "l.csv", "id,WKT\n1,\"LINESTRING (115.70 36.80,115.71 36.81)\"\n");
    const auto r = run_plan("info --expect lines " + quote((d / "l.csv").string()));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("WGS84 assumed") != std::string::npos);
    CHECK(r.out.find("EPSG:4548") != std::string::npos);
}

TEST_CASE("bad input: a folder that is not a vector source", "[io][bad-input]") {
    const auto d = scratch_dir("emptydir");
    fs::create_directories(d / "nothing");
    check_error(run_plan("info " + quote((d / "nothing").string())), 1, "nothing");
}

TEST_CASE("bad input: an unreadable folder", "[io][bad-input]") {
    if (::geteuid() == 0) skip("running as root, which reads any folder: permission errors cannot be produced");
    const auto d = scratch_dir("unreadable");
    fs::create_directories(d / "locked");
    fs::permissions(d / "locked", fs::perms::none);
    check_error(run_plan("info " + quote((d / "locked").string())), 1, "permission denied");
    fs::permissions(d / "locked", fs::perms::owner_all);
}

TEST_CASE("bad input: malformed --bbox and --sample", "[io][bad-input]") {
    const auto d = scratch_dir("bbox");
    const fs::path shp = make_shapefile(d);
    check_error(run_plan("info --bbox 1,2,3 " + quote(shp.string())), 2, "--bbox");
    check_error(run_plan("info --bbox 5,5,1,1 " + quote(shp.string())), 2, "is empty");
    const auto r = run_plan("info --sample -3 " + quote(shp.string()));
    CHECK(r.exit_code == 2);
}

TEST_CASE("input: --where and --bbox filter what is read", "[io]") {
    const auto d = scratch_dir("filter");
    const fs::path shp = make_shapefile(d);
    auto r = run_plan("info --json --where \"name = 'b'\" " + quote(shp.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("\"features\": 1") != std::string::npos);
    r = run_plan("info --json --bbox 499999,3999999,500101,4000001 " + quote(shp.string()));
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("\"features\": 2") != std::string::npos);
}

TEST_CASE("input: inputs are never modified", "[io]") {
    const auto d = scratch_dir("untouched");
    const fs::path shp = make_shapefile(d);
    const std::string before = read_file(shp) + read_file(d / "lines.dbf") + read_file(d / "lines.shx");
    const auto listing_before = std::distance(fs::directory_iterator(d), fs::directory_iterator());
    REQUIRE(run_plan("info --sample 3 --expect lines " + quote(shp.string())).exit_code == 0);
    CHECK(read_file(shp) + read_file(d / "lines.dbf") + read_file(d / "lines.shx") == before);
    CHECK(std::distance(fs::directory_iterator(d), fs::directory_iterator()) == listing_before);
}

TEST_CASE("bad input: unknown --encoding", "[io][bad-input]") {
    const auto d = scratch_dir("badenc");
    const fs::path shp = make_shapefile(d);
    check_error(run_plan("info --encoding KLINGON " + quote(shp.string())), 2, "--encoding 'KLINGON'");
}
