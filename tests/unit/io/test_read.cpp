// The input layer as a library: reprojection to the metric CRS, GCJ-02 input,
// GBK CSV, and lengths that agree with geodesic distances.
#include <catch2/catch.hpp>

#include "plan/crs.hpp"
#include "plan/error.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

using namespace plan;
using namespace plan::test;

TEST_CASE("read: lon/lat lines land in the Gauss-Krüger zone with true lengths", "[io]") {
    const auto d = scratch_dir("read-gk");
    write_file(d / "l.geojson",
               R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"青年路"},)"
               R"("geometry":{"type":"LineString","coordinates":[[115.70,36.80],[115.71,36.80]]}}]})");
    ReadOptions o;
    o.want = GeometryKind::line;
    const Layer l = read_layer((d / "l.geojson").string(), "", o);
    CHECK(l.source_crs.epsg == 4326);
    CHECK(l.crs.epsg == 4548);
    const auto& line = l.features.at(0).geometry.lines.at(0);
    CHECK(line[0].x == Approx(383'000).margin(2'000)); // easting west of CM 117E
    const double geodesic = geodesic_distance({115.70, 36.80}, {115.71, 36.80});
    // Gauss-Krüger scale at 1.3° from the CM is about 1.0002: lengths within 0.05 %.
    CHECK(length(line) == Approx(geodesic).epsilon(5e-4));
    CHECK(to_text(l.features[0].values[0]) == "青年路");
}

TEST_CASE("read: --src-crs GCJ02 shifts web-map coordinates back to WGS84", "[io]") {
    const auto d = scratch_dir("read-gcj");
    const Point wgs{115.70, 36.80};
    const Point gcj = wgs84_to_gcj02(wgs);
    write_file(d / "p.csv", "id,WKT\n1,\"POINT (" + std::to_string(gcj.x) + " " + std::to_string(gcj.y) + ")\"\n");
    ReadOptions as_gcj;
    as_gcj.src_crs = "GCJ02";
    as_gcj.want = GeometryKind::point;
    ReadOptions as_wgs;
    as_wgs.src_crs = "EPSG:4326";
    as_wgs.want = GeometryKind::point;
    const Layer a = read_layer((d / "p.csv").string(), "", as_gcj);
    const Layer b = read_layer((d / "p.csv").string(), "", as_wgs);
    REQUIRE(a.crs.epsg == 4548);
    const Point pa = a.features.at(0).geometry.points.at(0);
    const Point pb = b.features.at(0).geometry.points.at(0);
    // Read as WGS84 the point is off by the GCJ offset (hundreds of metres);
    // read as GCJ-02 it is back where the WGS84 point projects (under 1 m).
    Transform t(crs_from_epsg(4326), crs_from_epsg(4548));
    const Point truth = t.apply(wgs);
    CHECK(distance(pa, truth) < 1.0);
    CHECK(distance(pb, truth) > 300.0);
}

TEST_CASE("read: a GBK-encoded CSV is transcoded to UTF-8", "[io][encoding]") {
    const auto d = scratch_dir("read-gbk-csv");
    // "enterprise_id,name\n1,临清轴承厂\n" in GBK bytes.
    const std::string gbk_name = "\xC1\xD9\xC7\xE5\xD6\xE1\xB3\xD0\xB3\xA7";
    write_file(d / "e.csv", "enterprise_id,name\n1," + gbk_name + "\n");
    const Layer l = read_layer((d / "e.csv").string());
    REQUIRE(l.features.size() == 1);
    CHECK(to_text(l.features[0].values[static_cast<std::size_t>(l.require_field("name"))]) == "临清轴承厂");
    CHECK(l.report.encoding == "GB18030");
}

TEST_CASE("read: a field named by an option must exist", "[io]") {
    Layer l;
    l.source = "roads.shp";
    l.name = "roads";
    l.fields = {{"name", FieldType::string, "String"}, {"等级", FieldType::string, "String"}};
    CHECK(l.require_field("等级") == 1);
    CHECK(l.require_field("NAME") == 0);
    try {
        (void)l.require_field("class", "--class-field");
        FAIL("no error");
    } catch (const usage_error& e) {
        CHECK(std::string(e.what()) == "roads.shp: layer 'roads': field 'class': --class-field names a field that does not exist");
        CHECK(e.hint().find("name, 等级") != std::string::npos);
        CHECK(e.exit_code() == 2);
    }
}
