// `plan landuse` end to end on a generated fixture: outputs, summary, bad
// input, and the GeoPandas oracle (scripts/compare_landuse_geopandas.py).
#include <catch2/catch.hpp>

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plan/landuse.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using plan::test::quote;
using plan::test::run_plan;

namespace {

std::string ring(double x0, double y0, double x1, double y1) {
    return fmt::format("[[{0},{1}],[{2},{1}],[{2},{3}],[{0},{3}],[{0},{1}]]", x0, y0, x1, y1);
}

/// Parcels P1..P8 in EPSG:4548 (Linqing's Gauss-Krüger zone), with a zero-area P6 and a bow-tie P7.
fs::path write_fixture(const fs::path& dir) {
    const std::vector<std::pair<double, const char*>> parcels{{10, "M1"}, {10, "M1"}, {5, "M2"}, {6, "M1"},
                                                              {4, "M2"}, {0, "M1"}, {3, "M2"}, {8, "M1"}};
    std::string features;
    double x = 440000.0;
    for (std::size_t i = 0; i < parcels.size(); ++i) {
        const double w = parcels[i].first * plan::landuse::m2_per_mu / 100.0;
        std::string coords;
        if (i == 5) coords = fmt::format("[[{0},4075000],[{1},4075000],[{2},4075000],[{0},4075000]]", x, x + 10, x + 20);
        else if (i == 6) coords = fmt::format("[[{0},4075000],[{1},4075100],[{1},4075000],[{0},4075060],[{0},4075000]]", x, x + 100);
        else coords = ring(x, 4075000, x + w, 4075100);
        features += fmt::format(R"({}{{"type":"Feature","properties":{{"parcel_id":"P{}","landuse":"{}"}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}})",
                                i ? ",\n" : "", i + 1, parcels[i].second, coords);
        x += std::max(w, 100.0) + 20.0;
    }
    plan::test::write_file(dir / "parcels.geojson",
                           R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},"features":[)" +
                               features + "]}\n");
    plan::test::write_file(dir / "enterprises.csv",
                           "enterprise_id,name,parcel_id,industry,scale,tax,value_added,revenue,energy_tce,emissions,employees,rd_spending,land_mu,accident,founded\n"
                           "E01,甲厂,P1,C26,1,300,2000,8000,100,10,100,240,,1,2010\n"
                           "E02,乙厂,P2,C34,1,100,1000,5000,200,n/a,50,50,,0,2010\n"
                           "E03,丙厂,P3,C26,1,50,400,2000,0,20,40,,,1,2010\n"
                           "E04,丁厂,P4,C26,0,30,,40,,,,,,0,2010\n"
                           "E05,戊厂,P4,C26,0,10,,40,,,,,,0,2025\n"
                           "E06,己厂,P5,C26,0,0,,1,,,,,,0,2010\n"
                           "E07,庚厂,P99,C26,0,20,,100,,,,,,0,2010\n"
                           "E01,甲厂重复,P2,C26,1,300,2000,8000,100,10,100,240,,0,2010\n"
                           "E08,辛厂,P6,C26,0,-5,,100,,,,,,0,2010\n"
                           "E09,壬厂,P7,C26,0,abc,,100,,,,,,0,2010\n"
                           "E10,癸厂,P8,C34,1,200,1200,6000,150,30,80,120,8.5,0,2010\n");
    return dir;
}

} // namespace

TEST_CASE("plan landuse: layers, CSV and JSON summary on a small city", "[landuse][cli]") {
    const fs::path dir = write_fixture(plan::test::scratch_dir("landuse-cli"));
    const auto r = run_plan(fmt::format("landuse {} --enterprises {} --method zhejiang -o {} --csv {} --json --no-progress",
                                        quote((dir / "parcels.geojson").string()), quote((dir / "enterprises.csv").string()),
                                        quote((dir / "out.gpkg").string()), quote((dir / "enterprises_out.csv").string())));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["method"]["name"] == "zhejiang");
    CHECK(j["counts"]["enterprise_rows"] == 11);
    CHECK(j["counts"]["parcels"] == 8);
    CHECK(j["counts"]["parcels_usable"] == 6);
    const auto& ex = j["excluded_by_reason"];
    CHECK(ex["duplicate_id"] == 1);
    CHECK(ex["unknown_parcel"] == 1);
    CHECK(ex["parcel_unusable"] == 2);
    CHECK(ex["missing_value"] == 1); // E03: energy 0, value added per energy divides by zero
    CHECK(j["parcel_problems"]["zero_area"] == 1);
    CHECK(j["parcel_problems"]["invalid"] == 1);
    // 规上 graded: E01, E02, E10; 规下: E04+E05 (shared P4, 6 mu) and E06 (4 mu)
    CHECK(j["groups"][0]["graded"] == 3);
    CHECK(j["groups"][1]["graded"] == 2);
    bool found_zombie = false;
    for (const auto& item : j["low_efficiency"]["items"])
        if (item["parcel_id"] == "P5") found_zombie = std::find(item["reasons"].begin(), item["reasons"].end(), "zombie") != item["reasons"].end();
    CHECK(found_zombie);
    CHECK(j["issues"]["by_code"]["division_by_zero"] == 1);
    CHECK(j["issues"]["by_code"]["non_numeric_value"] == 1);
    CHECK(fs::exists(dir / "out.gpkg"));
    const std::string csv = plan::test::read_file(dir / "enterprises_out.csv");
    CHECK_THAT(csv, Catch::StartsWith("row,id,name,parcel_id,unit,"));
    CHECK_THAT(csv, Catch::Contains("E04,丁厂,P4,parcel:P4,E05,"));
    // E01 ranks first (B: floor(3 x 0.2) = 0 places in A) but had an accident: at best C
    CHECK_THAT(csv, Catch::Contains("1,E01,甲厂,P1,E01,"));
    CHECK_THAT(csv, Catch::Contains(",1,3,C,rank 1 of 3 <= floor(3 x 0.6) = 1 -> B; veto '安全环保事故': at best C,0\n"));

    // Deterministic: the same run prints the same summary.
    const auto again = run_plan(fmt::format("landuse {} --enterprises {} --json --no-progress",
                                            quote((dir / "parcels.geojson").string()), quote((dir / "enterprises.csv").string())));
    CHECK(nlohmann::json::parse(again.out) == j);

    // The GeoPandas oracle agrees on parcel areas and aggregate sums.
    plan::test::write_file(dir / "summary.json", r.out);
    const auto py = plan::test::run_python(fmt::format(
        "{} --parcels {} --enterprises {} --result {} --summary {}",
        quote((plan::test::source_dir() / "scripts" / "compare_landuse_geopandas.py").string()),
        quote((dir / "parcels.geojson").string()), quote((dir / "enterprises.csv").string()),
        quote((dir / "out.gpkg").string()), quote((dir / "summary.json").string())));
    INFO(py.out << py.err);
    CHECK(py.exit_code == 0);
    CHECK_THAT(py.out, Catch::StartsWith("agree: 6 parcels"));
}

TEST_CASE("plan landuse: bad method file is exit 1 with file and line", "[landuse][cli][bad-input]") {
    const fs::path dir = write_fixture(plan::test::scratch_dir("landuse-cli-bad"));
    plan::test::write_file(dir / "bad.toml", "[method]\nname = \"x\"\n[[group]\nid = 1\n");
    const auto r = run_plan(fmt::format("landuse {} --enterprises {} --method {}", quote((dir / "parcels.geojson").string()),
                                        quote((dir / "enterprises.csv").string()), quote((dir / "bad.toml").string())));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("bad.toml: line 3") && Catch::Contains("TOML syntax error"));
}

TEST_CASE("plan landuse: a column the method needs is missing: exit 2 with a hint", "[landuse][cli][bad-input]") {
    const fs::path dir = write_fixture(plan::test::scratch_dir("landuse-cli-col"));
    const auto r = run_plan(fmt::format("landuse {} --enterprises {} --field above_scale=规上", quote((dir / "parcels.geojson").string()),
                                        quote((dir / "enterprises.csv").string())));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("no column '规上'") && Catch::Contains("--field above_scale=COLUMN"));
    const auto bad = run_plan(fmt::format("landuse {} --enterprises {} --field nonsense", quote((dir / "parcels.geojson").string()),
                                          quote((dir / "enterprises.csv").string())));
    CHECK(bad.exit_code == 2);
}

TEST_CASE("plan landuse: the evaluation year comes from the method or --year, no year for eval_year is exit 2",
          "[landuse][cli][year]") {
    const fs::path dir = write_fixture(plan::test::scratch_dir("landuse-cli-year"));
    // E06 (P5, alone, class D on its figures) founded in the built-in year 2025:
    // the 新建企业 protection lifts it to C in 2025 and not in 2026.
    {
        std::string csv = plan::test::read_file(dir / "enterprises.csv");
        const std::string e06 = "E06,己厂,P5,C26,0,0,,1,,,,,,0,2010\n";
        const auto at = csv.find(e06);
        REQUIRE(at != std::string::npos);
        csv.replace(at, e06.size(), "E06,己厂,P5,C26,0,0,,1,,,,,,0,2025\n");
        plan::test::write_file(dir / "enterprises.csv", csv);
    }
    const std::string args = fmt::format("landuse {} --enterprises {} --no-progress", quote((dir / "parcels.geojson").string()),
                                         quote((dir / "enterprises.csv").string()));
    const auto y2025 = run_plan(args + " --csv " + quote((dir / "a.csv").string()));
    REQUIRE(y2025.exit_code == 0);
    const auto y2026 = run_plan(args + " --year 2026 --csv " + quote((dir / "b.csv").string()));
    REQUIRE(y2026.exit_code == 0);
    const std::string a = plan::test::read_file(dir / "a.csv"), b = plan::test::read_file(dir / "b.csv");
    CHECK_THAT(a, Catch::Contains("新建企业"));
    CHECK_THAT(b, !Catch::Contains("新建企业"));
    CHECK(run_plan(args + " --year 12").exit_code == 2);

    // A method whose rule reads eval_year with no year anywhere: exit 2 naming the rule.
    std::string text = plan::landuse::builtin_method_text("zhejiang");
    const auto at = text.find("year = 2025\n");
    REQUIRE(at != std::string::npos);
    text.erase(at, 12);
    plan::test::write_file(dir / "noyear.toml", text);
    const auto no = run_plan(args + " --method " + quote((dir / "noyear.toml").string()));
    CHECK(no.exit_code == 2);
    CHECK_THAT(no.err, Catch::Contains("protection '新建企业' reads eval_year") && Catch::Contains("--year"));
    CHECK(run_plan(args + " --method " + quote((dir / "noyear.toml").string()) + " --year 2025").exit_code == 0);
}
