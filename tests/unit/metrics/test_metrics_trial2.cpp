// `plan metrics` after the second new-user trial: 干线 (trunk) told apart from
// 主干路 (arterial) in every line and in --access-class, targets say they judge
// the centreline-equivalent figure, the length the class filter left out, the
// access summary without a road of the class and without snap legs, grids
// clipped to the boundary, plurals, the id column of a point CSV.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace plan::test;

namespace {
const char* kCrs4548 = R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},)";

std::string collection(const std::string& features) {
    return std::string("{\"type\":\"FeatureCollection\",") + kCrs4548 + "\"features\":[" + features + "]}";
}

std::string line(double x0, double y0, double x1, double y1, const std::string& props) {
    return "{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[" +
           std::to_string(x0) + "," + std::to_string(y0) + "],[" + std::to_string(x1) + "," + std::to_string(y1) +
           "]]}}";
}

std::string box(double x0, double y0, double x1, double y1) {
    auto pt = [](double x, double y) { return "[" + std::to_string(x) + "," + std::to_string(y) + "]"; };
    return "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[" + pt(x0, y0) +
           "," + pt(x1, y0) + "," + pt(x1, y1) + "," + pt(x0, y1) + "," + pt(x0, y0) + "]]}}";
}

constexpr double kX = 382000, kY = 4075000;
std::string q(const std::filesystem::path& p) { return quote(p.string()); }

// Rows 400 m long: y = 0 trunk (快速路), y = 200 primary (主干路), y = 400
// residential; a one-way secondary (次干路) dual carriageway at y = 100 and
// y = 120; verticals x = 0, 200, 400 residential; x = 100 from y = 200 to 400 a
// secondary named 卫河路辅路 (a side road by its name). Left out by
// --classes public: a service road of 300 m and a footway of 100 m. Area:
// 600 m x 600 m = 0.36 km². A point 10 m south of the trunk row at x = 300.
std::string fixture(const std::filesystem::path& dir) {
    std::string f;
    f += line(kX, kY, kX + 400, kY, "\"highway\":\"trunk\"");
    f += "," + line(kX, kY + 200, kX + 400, kY + 200, "\"highway\":\"primary\"");
    f += "," + line(kX, kY + 400, kX + 400, kY + 400, "\"highway\":\"residential\"");
    f += "," + line(kX, kY + 100, kX + 400, kY + 100, "\"highway\":\"secondary\",\"oneway\":\"yes\"");
    f += "," + line(kX + 400, kY + 120, kX, kY + 120, "\"highway\":\"secondary\",\"oneway\":\"yes\"");
    for (int i = 0; i < 3; ++i) f += "," + line(kX + 200 * i, kY, kX + 200 * i, kY + 400, "\"highway\":\"residential\"");
    f += "," + line(kX + 100, kY + 200, kX + 100, kY + 400, "\"highway\":\"secondary\",\"name\":\"卫河路辅路\"");
    f += "," + line(kX + 600, kY, kX + 900, kY, "\"highway\":\"service\"");
    f += "," + line(kX + 600, kY + 100, kX + 700, kY + 100, "\"highway\":\"footway\"");
    write_file(dir / "roads.geojson", collection(f));
    write_file(dir / "area.geojson", collection(box(kX - 100, kY - 100, kX + 500, kY + 500)));
    write_file(dir / "pts.csv", "name,ID,x,y\nfirst,P1,382300,4074990\n");
    return "metrics " + q(dir / "roads.geojson") + " --boundary " + q(dir / "area.geojson") + " --no-centrality";
}
} // namespace

TEST_CASE("plan metrics: 干线 is trunk_density (= arterial_density), every density and target line names its Chinese "
          "classes, targets say they judge the centreline-equivalent figure",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial2-trunk");
    const std::string args = fixture(dir);
    const auto t = run_plan(args);
    INFO(t.err << t.out);
    REQUIRE(t.exit_code == 0);
    // 快速路 0.4 + 主干路 0.4 km over 0.36 km²
    CHECK(t.out.find("trunk roads 干线 (快速路+主干路) density: 2.22 raw, 2.22 centreline-equivalent") != std::string::npos);
    CHECK(t.out.find("  主干路 (arterial): 1.11 km/km²") != std::string::npos);
    CHECK(t.out.find("  快速路 (expressway): 1.11 km/km²") != std::string::npos);
    CHECK(t.out.find("arterial (干线") == std::string::npos);
    // raw 3.4 km (the dual carriageway twice), centreline-equivalent 3.0 km
    CHECK(t.out.find("target overall (all roads) >= 8 km/km² (judged on centreline-equivalent length 8.33; raw 9.44): "
                     "PASS") != std::string::npos);
    CHECK(t.out.find("target 次干路 (collector) 1.2-1.4 km/km² (judged on centreline-equivalent length 1.11; raw 2.22): "
                     "FAIL") != std::string::npos);
    CHECK(t.out.find("target 主干路 (arterial) 1-1.2 km/km² (judged on centreline-equivalent length 1.11; raw 1.11): "
                     "PASS") != std::string::npos);
    const auto j = run_plan(args + " --json");
    REQUIRE(j.exit_code == 0);
    const auto d = nlohmann::json::parse(j.out)["density"];
    CHECK(d["trunk_density"].get<double>() == Approx(0.8 / 0.36).epsilon(1e-9));
    CHECK(d["trunk_density"] == d["arterial_density"]);
    CHECK(d["trunk_density_centreline"] == d["arterial_density_centreline"]);
    CHECK(d["by_class"]["arterial"]["density"].get<double>() == Approx(0.4 / 0.36).epsilon(1e-9));
    const auto overall = d["targets"][0];
    CHECK(overall["judged_on"] == "centreline-equivalent length");
    CHECK(overall["value"].get<double>() == Approx(3.0 / 0.36).epsilon(1e-9));
    CHECK(overall["value_raw"].get<double>() == Approx(3.4 / 0.36).epsilon(1e-9));
}

TEST_CASE("plan metrics and plan network: the length the class filter left out and the side roads by name", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial2-excluded");
    const std::string args = fixture(dir);
    const auto t = run_plan(args);
    INFO(t.err << t.out);
    REQUIRE(t.exit_code == 0);
    CHECK(t.out.find("left out by the class filter (--classes public): 0.400 km of lines in the data read (service 0.3, "
                     "footway 0.1 km)") != std::string::npos);
    CHECK(t.out.find("made side roads (辅路) by a name suffix: 0.200 km (class values: secondary 0.2 km)") !=
          std::string::npos);
    const auto j = run_plan(args + " --json");
    REQUIRE(j.exit_code == 0);
    const auto b = nlohmann::json::parse(j.out)["network_build"];
    CHECK(b["classes"] == "expressway,arterial,collector,local,ramp,side_road"); // public, as the classes it admits
    CHECK(b["excluded_km"].get<double>() == Approx(0.4).epsilon(1e-9));
    CHECK(b["excluded_km_by_class_value"]["service"].get<double>() == Approx(0.3).epsilon(1e-9));
    CHECK(b["excluded_km_by_class_value"]["footway"].get<double>() == Approx(0.1).epsilon(1e-9));
    CHECK(b["side_road_by_name_km"].get<double>() == Approx(0.2).epsilon(1e-9));
    // --classes all leaves nothing out
    const auto all = run_plan(args + " --classes all --json");
    REQUIRE(all.exit_code == 0);
    CHECK(nlohmann::json::parse(all.out)["network_build"]["excluded_km"].get<double>() == 0.0);
    // plan network: the same, as added keys of "build" and a text line
    const auto n = run_plan("network " + q(dir / "roads.geojson") + " --json");
    REQUIRE(n.exit_code == 0);
    const auto nb = nlohmann::json::parse(n.out)["build"];
    CHECK(nb["excluded_km"].get<double>() == Approx(0.4).epsilon(1e-9));
    CHECK(nb["excluded_km_by_class_value"]["service"].get<double>() == Approx(0.3).epsilon(1e-9));
    CHECK(nb["sources"][0]["excluded_km"].get<double>() == Approx(0.4).epsilon(1e-9));
    CHECK(nb["side_road_by_name_km_by_class_value"]["secondary"].get<double>() == Approx(0.2).epsilon(1e-9));
    const auto nt = run_plan("network " + q(dir / "roads.geojson"));
    CHECK(nt.out.find("left out by the class filter (--classes public): 0.400 km") != std::string::npos);
}

TEST_CASE("plan metrics: --access-class arterial is 主干路 only, trunk and 干线 are 快速路+主干路, the text says which "
          "and that the snap leg is not included",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial2-access");
    const std::string args = fixture(dir) + " --access " + q(dir / "pts.csv") + " --access-crs EPSG:4548";
    const auto a = run_plan(args);
    INFO(a.err << a.out);
    REQUIRE(a.exit_code == 0);
    // on the trunk row at x = 300: 100 m along it, then 200 m up to the 主干路 row
    CHECK(a.out.find("Accessibility: 1 point, nearest road of class 主干路 (arterial): mean 300 m, max 300 m (network "
                     "distance from each site's snap point; the snap leg is not included: mean 10 m, max 10 m)") !=
          std::string::npos);
    for (const char* trunk : {"trunk", "干线", "expressway,arterial"}) {
        const auto t = run_plan(args + " --access-class " + trunk);
        INFO(trunk << t.err);
        REQUIRE(t.exit_code == 0);
        CHECK(t.out.find("nearest road of class 干线 trunk (快速路 expressway + 主干路 arterial): mean 0 m") !=
              std::string::npos);
    }
    const auto j = run_plan(args + " --access-class trunk --json");
    REQUIRE(j.exit_code == 0);
    const auto acc = nlohmann::json::parse(j.out)["access"];
    CHECK(acc["road_classes"] == "expressway,arterial");
    CHECK(acc["reason"].is_null());
    CHECK(acc["snap_mean_m"].get<double>() == Approx(10.0).epsilon(1e-9));
    CHECK(acc["distance_rule"].get<std::string>().find("snap leg") != std::string::npos);
}

TEST_CASE("plan metrics: no road of the access class says so and why, in text and JSON", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial2-noclass");
    // the fixture has no 匝道 (ramp)
    const std::string args = fixture(dir) + " --access " + q(dir / "pts.csv") + " --access-crs EPSG:4548";
    const auto t = run_plan(args + " --access-class 匝道");
    INFO(t.err << t.out);
    REQUIRE(t.exit_code == 0);
    CHECK(t.out.find("Accessibility: 1 point; no road of class 匝道 (ramp) in the network: distances not computed "
                     "(use --access-class trunk") != std::string::npos);
    CHECK(t.out.find("n/a m") == std::string::npos);
    CHECK(t.err.find("--access-class 匝道: no road of class 匝道 (ramp) in the network") != std::string::npos);
    CHECK(t.err.find("cannot reach") == std::string::npos);
    const auto j = run_plan(args + " --access-class ramp --json");
    REQUIRE(j.exit_code == 0);
    const auto acc = nlohmann::json::parse(j.out)["access"];
    CHECK(acc["road_class_edges"] == 0);
    CHECK(acc["reason"] == "no road of class 匝道 (ramp) in the network: distances not computed");
    CHECK(acc["to_road_class_mean_m"].is_null());
}

TEST_CASE("plan metrics: a grid is clipped to the boundary, its cells add up to the study figures", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial2-grid");
    fixture(dir);
    // a 300 m square inside the network: four 200 m cells meet it, each clipped to 150 m x 150 m
    write_file(dir / "small.geojson", collection(box(kX + 50, kY + 50, kX + 350, kY + 350)));
    const std::string args = "metrics " + q(dir / "roads.geojson") + " --boundary " + q(dir / "small.geojson") +
                             " --no-centrality --grid square:200";
    const auto j = run_plan(args + " --json");
    INFO(j.err);
    REQUIRE(j.exit_code == 0);
    const auto parsed = nlohmann::json::parse(j.out);
    const auto& zones = parsed["zones"]["zones"];
    REQUIRE(zones.size() == 4);
    double area = 0, length = 0;
    for (const auto& z : zones) {
        CHECK(z["area_km2"].get<double>() == Approx(0.0225).epsilon(1e-9));
        area += z["area_km2"].get<double>();
        length += z["density"]["length_km"].get<double>();
    }
    CHECK(area == Approx(parsed["density"]["area_km2"].get<double>()).epsilon(1e-9));
    CHECK(length == Approx(parsed["density"]["length_km"].get<double>()).epsilon(1e-9));
    const auto t = run_plan(args);
    CHECK(t.out.find("Zones (grid square:200 clipped to the boundary (" + (dir / "small.geojson").string() +
                     "): 4 of 4 cells meet it): 4 zones") != std::string::npos);
    // one zone: singular
    write_file(dir / "tiny.geojson", collection(box(kX + 50, kY + 50, kX + 150, kY + 150)));
    const auto one = run_plan("metrics " + q(dir / "roads.geojson") + " --boundary " + q(dir / "tiny.geojson") +
                              " --no-centrality --grid square:200");
    INFO(one.out);
    CHECK(one.out.find("1 of 1 cell meets it): 1 zone,") != std::string::npos);
}

TEST_CASE("plan metrics: a point CSV's id column names the points without --access-id", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial2-id");
    const std::string args =
        fixture(dir) + " --access " + q(dir / "pts.csv") + " --access-crs EPSG:4548 -o " + q(dir / "out.gpkg");
    const auto r = run_plan(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto layer = run_shell("ogrinfo -ro -q -sql \"SELECT site_id FROM access\" " + q(dir / "out.gpkg"));
    INFO(layer.out << layer.err);
    CHECK(layer.out.find("site_id (String) = P1") != std::string::npos);
}

TEST_CASE("plan network on Tianjin Hexi: the length --classes public leaves out equals GDAL's per fclass",
          "[metrics][data]") {
    // oracle: ogrinfo -dialect sqlite -sql "SELECT fclass, SUM(ST_Length(geometry, 1))/1000 FROM roads GROUP BY
    // fclass" (geodesic km on the WGS84 source); plan measures in EPSG:4548 near its central meridian
    const auto path = shared_data("tianjin_hexi_gbk/roads.shp");
    const auto r = run_plan("network " + quote(path.string()) + " --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto b = nlohmann::json::parse(r.out)["build"];
    const std::pair<const char*, double> gdal[] = {{"service", 27.8613127132317}, {"footway", 17.7700360307351},
                                                   {"pedestrian", 2.91779544754129}, {"cycleway", 2.31782022407422},
                                                   {"steps", 1.32949767694882},      {"path", 0.148777576920321}};
    double total = 0;
    for (const auto& [value, km] : gdal) {
        INFO(value);
        CHECK(b["excluded_km_by_class_value"][value].get<double>() == Approx(km).epsilon(2e-4));
        total += km;
    }
    CHECK(b["excluded_km_by_class_value"].size() == 6);
    CHECK(b["excluded_km"].get<double>() == Approx(total).epsilon(2e-4));
}
