// plan info on every file of ../shared/data/real, against a full scan by GDAL's
// own tools (scripts/oracle_info.py): counts exact, extents to 1e-7 of a degree
// or 1 mm, CRS codes as documented in the data's README.
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using nlohmann::json;
using namespace plan::test;

namespace {

struct Expected {
    std::string file;
    std::string layer;
    int epsg;          // source CRS
    int metric_epsg;   // CRS analyses use
    bool scanned;      // the driver reports no count
};

json info_json(const std::string& file, const std::string& layer) {
    const auto r = run_plan("info --json " + quote(file) + " " + quote(layer));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json j = json::parse(r.out);
    REQUIRE(j["layers"].size() == 1);
    return j["layers"][0];
}

void check_against_oracle(const Expected& e) {
    const std::string path = shared_data(e.file).string();
    const json got = info_json(path, e.layer);
    const auto o = run_python(quote((source_dir() / "scripts/oracle_info.py").string()) + " " + quote(path) + " " + quote(e.layer));
    INFO(o.err);
    REQUIRE(o.exit_code == 0);
    const json want = json::parse(o.out);
    INFO(e.file << " layer " << e.layer);
    CHECK(got["feature_count"].get<long long>() == want["count"].get<long long>());
    CHECK(got["count_scanned"].get<bool>() == e.scanned);
    REQUIRE(!want["extent"].is_null());
    const double tol = e.epsg == 4326 ? 1e-7 : 1e-3;
    CHECK(got["extent"]["minx"].get<double>() == Approx(want["extent"][0].get<double>()).margin(tol));
    CHECK(got["extent"]["miny"].get<double>() == Approx(want["extent"][1].get<double>()).margin(tol));
    CHECK(got["extent"]["maxx"].get<double>() == Approx(want["extent"][2].get<double>()).margin(tol));
    CHECK(got["extent"]["maxy"].get<double>() == Approx(want["extent"][3].get<double>()).margin(tol));
    CHECK(got["crs"]["epsg"].get<int>() == e.epsg);
    CHECK(got["metric_crs"]["epsg"].get<int>() == e.metric_epsg);
}

} // namespace

TEST_CASE("info: Chengdu OSM lines (count -1 in the header, ways past the header box)", "[io][real]") {
    check_against_oracle({"chengdu_2018.osm", "lines", 4326, 4544, true});
}
TEST_CASE("info: Chengdu OSM multipolygons", "[io][real]") {
    check_against_oracle({"chengdu_2018.osm", "multipolygons", 4326, 4544, true});
}
TEST_CASE("info: Monaco PBF lines", "[io][real]") { check_against_oracle({"monaco_2016.osm.pbf", "lines", 4326, 32632, true}); }
TEST_CASE("info: Monaco PBF points", "[io][real]") { check_against_oracle({"monaco_2016.osm.pbf", "points", 4326, 32632, true}); }
TEST_CASE("info: Wuhan GeoJSON (CRS84, LineString Z and MultiPoint in one layer)", "[io][real]") {
    check_against_oracle({"wuhan_opticsvalley_net.geojson", "junction", 4326, 4547, false});
}
TEST_CASE("info: Tianjin GBK shapefile", "[io][real]") {
    check_against_oracle({"tianjin_hexi_gbk/roads.shp", "roads", 4326, 4548, false});
}
TEST_CASE("info: Beijing townships", "[io][real]") {
    check_against_oracle({"beijing_townships/townships.shp", "townships", 4326, 4548, false});
}
TEST_CASE("info: Stockholm OSMnx edges and nodes", "[io][real]") {
    check_against_oracle({"stockholm_osmnx/edges.shp", "edges", 4326, 32634, false});
    check_against_oracle({"stockholm_osmnx/nodes.shp", "nodes", 4326, 32634, false});
}
TEST_CASE("info: Prague GeoPackage in Web Mercator is reprojected to UTM 33N", "[io][real]") {
    for (const char* layer : {"streets", "buildings", "plots", "tessellation"})
        check_against_oracle({"prague_bubenec.gpkg", layer, 3857, 32633, false});
    const json got = info_json(shared_data("prague_bubenec.gpkg").string(), "streets");
    CHECK(got["metric_note"].get<std::string>().find("stretches lengths") != std::string::npos);
}

TEST_CASE("info: Tianjin GBK names read as Chinese, not mojibake", "[io][real][encoding]") {
    const std::string path = shared_data("tianjin_hexi_gbk/roads.shp").string();
    const auto r = run_plan("info --json --sample 2000 " + quote(path));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("GB18030") != std::string::npos); // the choice is said
    const json j = json::parse(r.out);
    CHECK(j["layers"][0]["encoding"] == "GB18030");
    std::set<std::string> names;
    for (const auto& f : j["layers"][0]["sample"])
        for (const auto& [k, v] : f["attributes"].items())
            if (v.is_string()) names.insert(v.get<std::string>());
    CHECK(names.count("南京路") == 1);
    CHECK(names.count("围堤道") == 1);
    CHECK(names.count("珠江道") == 1);
    // Text mode prints them too.
    const auto t = run_plan("info --sample 2000 " + quote(path));
    CHECK(t.out.find("南京路") != std::string::npos);
}

TEST_CASE("info: --encoding overrides the detection", "[io][real][encoding]") {
    const std::string path = shared_data("tianjin_hexi_gbk/roads.shp").string();
    const auto r = run_plan("info --json --sample 2000 --encoding CP1252 " + quote(path));
    REQUIRE(r.exit_code == 0);
    const json j = json::parse(r.out);
    CHECK(j["layers"][0]["encoding"] == "CP1252");
    CHECK(r.out.find("南京路") == std::string::npos);
}

TEST_CASE("info: Beijing townships honour the .cpg", "[io][real][encoding]") {
    const auto r = run_plan("info --json " + quote(shared_data("beijing_townships/townships.shp").string()));
    REQUIRE(r.exit_code == 0);
    const json j = json::parse(r.out);
    CHECK(j["layers"][0]["encoding"] == "UTF-8");
    CHECK(j["layers"][0]["encoding_note"].get<std::string>().find(".cpg") != std::string::npos);
}
