// libplan builds WGS 84 and the metric CRSs it chooses from a table written
// from the PROJ database at build time, and leaves
// every other CRS to GDAL in the GDAL module (gdal_bridge/gdal_module.hpp).
// Both paths must give the same CrsRef, byte for byte, and a run that needs
// no GDAL dataset must not load the module.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include <proj.h>

#include "crs/builtin_crs.hpp"
#include "gdal_bridge/gdal_module.hpp"
#include "plan/crs.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

using namespace plan;

namespace {

std::vector<int> codes_built_with_proj() {
    std::vector<int> codes{4326};
    for (int c = 4534; c <= 4554; ++c) codes.push_back(c);
    for (int c = 32601; c <= 32660; ++c) codes.push_back(c);
    for (int c = 32701; c <= 32760; ++c) codes.push_back(c);
    return codes;
}

// The CRS as the table generator reads it from the PROJ database.
CrsRef crs_from_proj_database(int epsg) {
    const std::unique_ptr<PJ_CONTEXT, PJ_CONTEXT* (*)(PJ_CONTEXT*)> ctx(proj_context_create(), &proj_context_destroy);
    REQUIRE(ctx);
    const std::string code = std::to_string(epsg);
    const std::unique_ptr<PJ, PJ* (*)(PJ*)> pj(
        proj_create_from_database(ctx.get(), "EPSG", code.c_str(), PJ_CATEGORY_CRS, 1, nullptr), &proj_destroy);
    REQUIRE(pj);
    const char* const options[] = {"MULTILINE=NO", nullptr};
    const char* wkt = proj_as_wkt(ctx.get(), pj.get(), PJ_WKT2_2019, options);
    REQUIRE(wkt);
    CrsRef crs;
    crs.wkt = wkt;
    crs.name = proj_get_name(pj.get());
    crs.epsg = epsg;
    const PJ_TYPE type = proj_get_type(pj.get());
    crs.geographic = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    return crs;
}

void same(const CrsRef& a, const CrsRef& b) {
    CHECK(a.wkt == b.wkt);
    CHECK(a.name == b.name);
    CHECK(a.epsg == b.epsg);
    CHECK(a.geographic == b.geographic);
    CHECK(a.offset == b.offset);
}

} // namespace

TEST_CASE("the module is not loaded by reading OSM natively and choosing a metric CRS", "[crs][module]") {
    // First, in a fresh process (ctest runs each test case alone).
    REQUIRE_FALSE(detail::gdal_module_loaded());
    const OsmRoads roads = read_osm_roads((plan::test::source_dir() / "tests/data/osm/tiny_roads.osm").string(), {},
                                          OsmReader::native);
    CHECK(roads.lines.crs.epsg != 0);
    CHECK(wgs84().epsg == 4326);
    CHECK(crs_from_user("EPSG:4548").epsg == 4548);
    CHECK(crs_from_user(crs_from_epsg(32650).wkt).epsg == 32650);
    Transform t(wgs84(), crs_from_epsg(4548));
    CHECK(t.apply(Point{117.0, 36.0}).x == Approx(500000.0));
    CHECK_FALSE(detail::gdal_module_loaded());
    // A CRS only GDAL reads loads it.
    CHECK(crs_from_user("EPSG:2385").epsg == 2385);
    CHECK(detail::gdal_module_loaded());
}

TEST_CASE("the built-in CRSs equal the PROJ database's and GDAL's, for every code libplan chooses", "[crs][module]") {
    const detail::GdalModule& gdal = detail::gdal_module();
    for (const int code : codes_built_with_proj()) {
        INFO("EPSG:" << code);
        const CrsRef ours = crs_from_epsg(code);
        same(ours, detail::crs_from_epsg_builtin(code));
        same(ours, crs_from_proj_database(code)); // the table is the database's
        same(ours, gdal.crs_from_epsg(code));
        same(crs_from_user("EPSG:" + std::to_string(code)), gdal.crs_from_user("EPSG:" + std::to_string(code)));
        same(crs_from_user(ours.wkt), gdal.crs_from_user(ours.wkt));
    }
}

TEST_CASE("a short plan network run on an OSM file never maps libgdal", "[crs][module][cli]") {
    const std::string osm = (plan::test::source_dir() / "tests/data/osm/tiny_roads.osm").string();
    // LD_DEBUG=files lists every shared object the dynamic loader opens.
    const auto r = plan::test::run_shell("LD_DEBUG=files " + plan::test::quote(PLAN_CLI) + " network " +
                                         plan::test::quote(osm) + " --json -q 2>&1 >/dev/null");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("file=libplan.so") != std::string::npos); // the listing is there (soname libplan.so.0.1)
    CHECK(r.out.find("libgdal") == std::string::npos);
    CHECK(r.out.find("libplan_gdal") == std::string::npos);
    // Nor PROJ, whose dependency chain alone is a fifth of such a run.
    CHECK(r.out.find("libproj") == std::string::npos);
    // Writing a GeoPackage does load it.
    const auto dir = plan::test::scratch_dir("module_cli");
    const auto w = plan::test::run_shell("LD_DEBUG=files " + plan::test::quote(PLAN_CLI) + " network " +
                                         plan::test::quote(osm) + " -q -o " + plan::test::quote((dir / "n.gpkg").string()) +
                                         " 2>&1 >/dev/null");
    REQUIRE(w.exit_code == 0);
    CHECK(w.out.find("libplan_gdal") != std::string::npos);
}
