// `plan metrics` after the fourth new-user trial: --zones FILE:LAYER, the zone
// table aligned under Chinese names, targets without a label, a target layer
// nobody can reach.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

using namespace plan::test;

namespace {
std::string q(const std::filesystem::path& p) { return quote(p.string()); }
std::filesystem::path sample_city() { return source_dir() / "data" / "sample-city"; }

/// Display columns of UTF-8 text as a terminal shows it: the CJK characters of
/// the sample city's names (three bytes, U+3000 and up) take two.
int columns(const std::string& s) {
    int w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w += (n == 3 && c >= 0xE3) ? 2 : 1;
        i += n;
    }
    return w;
}

const char* kCrs4548 = R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},)";
std::string line(double x0, double y0, double x1, double y1) {
    return "{\"type\":\"Feature\",\"properties\":{\"highway\":\"primary\"},\"geometry\":{\"type\":\"LineString\","
           "\"coordinates\":[[" + std::to_string(x0) + "," + std::to_string(y0) + "],[" + std::to_string(x1) + "," +
           std::to_string(y1) + "]]}}";
}
} // namespace

TEST_CASE("plan metrics: --zones FILE:LAYER as --boundary takes it, the zone table aligned under Chinese names",
          "[metrics]") {
    const auto city = sample_city();
    const std::string base = "metrics " + q(city / "roads.gpkg") + " --no-centrality --zone-id zone_id ";
    const auto r = run_plan(base + "--zones " + q(city / "landuse.gpkg") + ":zones");
    INFO(r.err << r.out);
    REQUIRE(r.exit_code == 0);
    const auto at = r.out.find("\nZones (");
    REQUIRE(at != std::string::npos);
    // every row of the table puts its area column at the same display column
    std::istringstream rows(r.out.substr(at));
    std::string row;
    std::vector<int> area_column;
    while (std::getline(rows, row))
        if (row.rfind("  Z", 0) == 0) {
            const auto name_end = row.find_first_of("0123456789", row.find(' ', 3));
            area_column.push_back(columns(row.substr(0, row.find('.', name_end))));
        }
    REQUIRE(area_column.size() == 5);
    for (const int c : area_column) CHECK(c == area_column.front());
    CHECK(r.out.find("Z3 南部产业片区") != std::string::npos);
    // FILE:LAYER and --zones-layer naming another layer: a usage error
    const auto both = run_plan(base + "--zones " + q(city / "landuse.gpkg") + ":zones --zones-layer parcels");
    CHECK(both.exit_code == 2);
    CHECK(both.err.find("--zones-layer") != std::string::npos);
    // the same layer twice is fine
    CHECK(run_plan(base + "--zones " + q(city / "landuse.gpkg") + ":zones --zones-layer zones").exit_code == 0);
}

TEST_CASE("plan metrics: a target without a label prints no empty brackets, an unreachable target layer says n/a "
          "and warns",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial3");
    // a 400 m primary road and, 1 km away, a 100 m piece nobody can reach
    const double x = 382000, y = 4075000;
    write_file(dir / "roads.geojson", std::string("{\"type\":\"FeatureCollection\",") + kCrs4548 + "\"features\":[" +
                                          line(x, y, x + 400, y) + "," + line(x + 1400, y, x + 1500, y) + "]}");
    write_file(dir / "sites.csv", "id,x,y\nA,382100,4074990\nB,382300,4075010\n");
    write_file(dir / "iso.csv", "id,x,y\nT,383450,4075005\n");
    write_file(dir / "targets.toml", "[[target]]\nkey = \"overall\"\nmin = 1\n");
    write_file(dir / "box.geojson",
               std::string("{\"type\":\"FeatureCollection\",") + kCrs4548 +
                   "\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\","
                   "\"coordinates\":[[[381900,4074900],[383600,4074900],[383600,4075100],[381900,4075100],"
                   "[381900,4074900]]]}}]}");
    const auto r = run_plan("metrics " + q(dir / "roads.geojson") + " --no-centrality --boundary " + q(dir / "box.geojson") +
                            " --targets " + q(dir / "targets.toml") + " --access " + q(dir / "sites.csv") +
                            " --access-crs EPSG:4548 --access-target iso=" + q(dir / "iso.csv") +
                            " --access-target-crs EPSG:4548");
    INFO(r.err << r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("target overall (all roads) >= 1 km/km²") != std::string::npos);
    CHECK(r.out.find("[]") == std::string::npos);
    CHECK(r.out.find("to the nearest iso: mean n/a, max n/a over 0 points; 2 points cannot reach one") != std::string::npos);
    CHECK(r.out.find("n/a m") == std::string::npos);
    CHECK(r.err.find("2 points cannot reach a point of --access-target iso") != std::string::npos);
}

TEST_CASE("plan metrics: edges shorter than 1 m are warned about with their effect on harmonic closeness", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial3-short");
    const double x = 382000, y = 4075000;
    // a T at x + 100 and another at x + 100.25: the 0.25 m piece between them is an edge of its own
    write_file(dir / "roads.geojson",
               std::string("{\"type\":\"FeatureCollection\",") + kCrs4548 + "\"features\":[" + line(x, y, x + 100, y) + "," +
                   line(x + 100, y, x + 100.25, y) + "," + line(x + 100.25, y, x + 300, y) + "," +
                   line(x + 100, y, x + 100, y + 200) + "," + line(x + 100.25, y, x + 100.25, y - 200) + "]}");
    const auto r = run_plan("metrics " + q(dir / "roads.geojson") + " --snap 0");
    INFO(r.err << r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("1 edge is shorter than 1 m (shortest: edge ") != std::string::npos);
    CHECK(r.err.find(", 0.250 m): harmonic closeness sums 1/d") != std::string::npos);
    CHECK(r.err.find("(here 4.0)") != std::string::npos);
    // without centrality there is nothing to warn about
    CHECK(run_plan("metrics " + q(dir / "roads.geojson") + " --snap 0 --no-centrality").err.find("shorter than 1 m") ==
          std::string::npos);
}
