// `plan metrics` after a new-user trial: class targets that cannot be judged,
// 干线 told apart from 主干路, a CRS option per layer, one warning for zones off
// the network, point CSVs, OD pairs too close, plurals, a reader's note said
// once per file, parcels or points, the snapping summary.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace plan::test;

namespace {
const char* kCrs4548 = R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},)";

std::string collection(const std::string& features, bool with_crs = true) {
    return std::string("{\"type\":\"FeatureCollection\",") + (with_crs ? kCrs4548 : "") + "\"features\":[" + features +
           "]}";
}

std::string line(double x0, double y0, double x1, double y1, const std::string& props, bool z = false) {
    auto pt = [z](double x, double y) {
        return "[" + std::to_string(x) + "," + std::to_string(y) + (z ? ",12.5" : "") + "]";
    };
    return "{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[" +
           pt(x0, y0) + "," + pt(x1, y1) + "]}}";
}

std::string box(double x0, double y0, double x1, double y1, const std::string& props, bool z = false) {
    auto pt = [z](double x, double y) {
        return "[" + std::to_string(x) + "," + std::to_string(y) + (z ? ",3" : "") + "]";
    };
    return "{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[" +
           pt(x0, y0) + "," + pt(x1, y0) + "," + pt(x1, y1) + "," + pt(x0, y1) + "," + pt(x0, y0) + "]]}}";
}

std::string point(double x, double y, const std::string& props) {
    return "{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":{\"type\":\"Point\",\"coordinates\":[" +
           std::to_string(x) + "," + std::to_string(y) + "]}}";
}

// A 3 x 3 lattice of 400 m roads 200 m apart in EPSG:4548 (near Linqing): 2.4 km.
constexpr double kX = 382000, kY = 4075000;
std::string lattice(const std::string& props, bool z = false) {
    std::string f;
    for (int i = 0; i < 3; ++i) {
        f += (i ? "," : "") + line(kX, kY + 200 * i, kX + 400, kY + 200 * i, props, z);
        f += "," + line(kX + 200 * i, kY, kX + 200 * i, kY + 400, props, z);
    }
    return collection(f);
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

std::string q(const std::filesystem::path& p) { return quote(p.string()); }
} // namespace

TEST_CASE("plan metrics: without road classes, class targets are n/a (null), the overall target is judged",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-noclass");
    write_file(dir / "roads.geojson", lattice(""));
    // 600 m x 600 m around the lattice: 2.4 km / 0.36 km² = 6.67 km/km²
    write_file(dir / "area.geojson", collection(box(kX - 100, kY - 100, kX + 500, kY + 500, "")));
    const std::string args = "metrics " + q(dir / "roads.geojson") + " --boundary " + q(dir / "area.geojson") +
                             " --no-centrality";
    const auto t = run_plan(args);
    INFO(t.err << t.out);
    REQUIRE(t.exit_code == 0);
    CHECK(t.out.find("target overall (all roads) >= 8 km/km² (judged on centreline-equivalent length 6.67; raw 6.67): FAIL") != std::string::npos);
    CHECK(occurrences(t.out, "FAIL") == 1);
    for (const char* c : {"主干路 (arterial) 1-1.2", "次干路 (collector) 1.2-1.4", "支路 (local) 3-4"})
        CHECK(t.out.find(std::string("target ") + c + " km/km²: n/a (no classified roads") != std::string::npos);
    CHECK(t.out.find("trunk roads 干线 (快速路+主干路) density: 0.00 raw, 0.00 centreline-equivalent (no classified "
                     "roads") != std::string::npos);
    const auto j = run_plan(args + " --json");
    REQUIRE(j.exit_code == 0);
    const auto targets = nlohmann::json::parse(j.out)["density"]["targets"];
    REQUIRE(targets.size() == 4);
    CHECK(targets[0]["key"] == "overall");
    CHECK(targets[0]["pass"] == false);
    CHECK(targets[0]["reason"].is_null());
    for (std::size_t i = 1; i < 4; ++i) {
        CHECK(targets[i]["pass"].is_null());
        CHECK(targets[i]["reason"].get<std::string>().find("no classified roads") == 0);
    }
    // with classes, the same targets are judged
    write_file(dir / "classed.geojson", lattice("\"highway\":\"residential\""));
    const auto c = run_plan("metrics " + q(dir / "classed.geojson") + " --boundary " + q(dir / "area.geojson") +
                            " --no-centrality --json");
    REQUIRE(c.exit_code == 0);
    const auto classed = nlohmann::json::parse(c.out);
    for (const auto& row : classed["density"]["targets"]) CHECK(row["pass"].is_boolean());
}

// Roads (the lattice, EPSG:4548), a 600 m square without a "crs" member in
// projected coordinates (GDAL reads a GeoJSON without one as lon/lat) and a
// CSV of metres.
std::string crs_fixture(const std::filesystem::path& dir) {
    write_file(dir / "roads.geojson", lattice("\"highway\":\"primary\""));
    write_file(dir / "area_nocrs.geojson", collection(box(kX - 100, kY - 100, kX + 500, kY + 500, "\"id\":\"Z1\""), false));
    write_file(dir / "pts_xy.csv", "id,x,y\nA,382100,4075010\nB,382300,4075390\n");
    return "metrics " + q(dir / "roads.geojson") + " --no-centrality";
}

TEST_CASE("plan metrics: a CRS-less boundary, parcels or zones layer names the file and its own CRS option",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-crs-missing");
    const std::string roads = crs_fixture(dir);
    for (const auto& [option, crs_option] : {std::pair{"--boundary", "--boundary-crs"}, std::pair{"--parcels", "--parcels-crs"},
                                             std::pair{"--zones", "--zones-crs"}}) {
        const auto r = run_plan(roads + " " + option + " " + q(dir / "area_nocrs.geojson"));
        INFO(option << ": " << r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("area_nocrs.geojson") != std::string::npos);
        CHECK(r.err.find(std::string("pass ") + crs_option + " EPSG:NNNN") != std::string::npos);
        CHECK(r.err.find("--src-crs") == std::string::npos);
    }
}

TEST_CASE("plan metrics: --boundary-crs, --parcels-crs and --zones-crs give a layer its CRS", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-crs-given");
    const std::string roads = crs_fixture(dir);
    for (const auto& [option, crs_option] : {std::pair{"--boundary", "--boundary-crs"}, std::pair{"--parcels", "--parcels-crs"},
                                             std::pair{"--zones", "--zones-crs"}}) {
        const auto ok = run_plan(roads + " " + option + " " + q(dir / "area_nocrs.geojson") + " " + crs_option +
                                 " EPSG:4548 --json");
        INFO(option << ": " << ok.err);
        REQUIRE(ok.exit_code == 0);
        const auto j = nlohmann::json::parse(ok.out);
        if (std::string(option) == "--zones") {
            CHECK(j["zones"]["zones"][0]["area_km2"].get<double>() == Approx(0.36).epsilon(1e-9));
            CHECK(j["zones"]["length_km_in_zones"].get<double>() == Approx(2.4).epsilon(1e-9));
        } else {
            CHECK(j["density"]["length_km"].get<double>() == Approx(2.4).epsilon(1e-9));
        }
        if (std::string(option) == "--boundary") CHECK(j["density"]["area_km2"].get<double>() == Approx(0.36).epsilon(1e-9));
    }
}

TEST_CASE("plan metrics: a CSV of metres without a CRS names --access-crs, --access-target-crs or --od-crs",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-crs-csv");
    const std::string roads = crs_fixture(dir);
    const std::string pts = q(dir / "pts_xy.csv");
    for (const auto& [given, crs_option] :
         {std::pair{"--access " + pts, "--access-crs"},
          std::pair{"--access " + pts + " --access-crs EPSG:4548 --access-target t=" + pts, "--access-target-crs"},
          std::pair{"--od-origins " + pts + " --od-destinations " + pts, "--od-crs"}}) {
        const auto r = run_plan(roads + " " + given);
        INFO(given << ": " << r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("pts_xy.csv") != std::string::npos);
        CHECK(r.err.find("columns 'x', 'y' hold coordinates with no CRS") != std::string::npos);
        CHECK(r.err.find(std::string("pass ") + crs_option + " EPSG:NNNN") != std::string::npos);
    }
}

TEST_CASE("plan metrics: a layer CRS option without its layer or with a bad CRS is a usage error, a lon/lat layer "
          "without CRS still reads",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-crs-usage");
    const std::string roads = crs_fixture(dir);
    const auto lone = run_plan(roads + " --zones-crs EPSG:4548");
    CHECK(lone.exit_code == 2);
    CHECK(lone.err.find("--zones-crs is the CRS of --zones, which is not given") != std::string::npos);
    const auto bad = run_plan(roads + " --boundary " + q(dir / "area_nocrs.geojson") + " --boundary-crs EPSG:999999");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--boundary-crs") != std::string::npos);
    // what was already right stays right: a lon/lat layer without CRS is WGS84
    write_file(dir / "area_lonlat.geojson", collection(box(115.69, 36.79, 115.71, 36.81, ""), false));
    CHECK(run_plan(roads + " --zones " + q(dir / "area_lonlat.geojson")).exit_code == 0);
}

// The lattice and seven zones: z0 around it, z1..z6 5-30 km away.
std::string zones_fixture(const std::filesystem::path& dir) {
    write_file(dir / "roads.geojson", lattice("\"highway\":\"primary\""));
    std::string zones = box(kX - 100, kY - 100, kX + 500, kY + 500, "\"zid\":\"z0\"");
    for (int i = 1; i <= 6; ++i)
        zones += "," + box(kX + 5000 * i, kY + 5000, kX + 5000 * i + 500, kY + 5500, "\"zid\":\"z" + std::to_string(i) + "\"");
    write_file(dir / "zones.geojson", collection(zones));
    return "metrics " + q(dir / "roads.geojson") + " --zones " + q(dir / "zones.geojson") + " --zone-id zid --no-centrality";
}

TEST_CASE("plan metrics: zones off the network get one warning with the count and the first ids, each stays in the "
          "zones table and layer",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-zones");
    const std::string args = zones_fixture(dir);
    const auto r = run_plan(args + " -o " + q(dir / "out.gpkg"));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(occurrences(r.err, "overlap the road network") == 1);
    CHECK(r.err.find("6 of 7 zones do not overlap the road network: z1, z2, z3, z4, z5 and 1 more; they are kept with "
                     "zero length") != std::string::npos);
    CHECK(r.err.find("overlaps_network = 0 in the zones layer of") != std::string::npos);
    CHECK(r.err.find("zone z6") == std::string::npos);
    CHECK(occurrences(r.out, "(no road)") == 6);
    const auto layer = run_shell("ogrinfo -ro -q -sql \"SELECT COUNT(*) AS n FROM zones WHERE overlaps_network = 0\" " +
                                 q(dir / "out.gpkg"));
    INFO(layer.out << layer.err);
    CHECK(layer.out.find(" = 6") != std::string::npos);
    // none overlapping: said so, with what to check
    write_file(dir / "far.geojson", collection(box(kX + 9000, kY, kX + 9500, kY + 500, "\"zid\":\"f\"")));
    const auto none = run_plan("metrics " + q(dir / "roads.geojson") + " --zones " + q(dir / "far.geojson") +
                               " --zone-id zid --no-centrality");
    CHECK(none.err.find("none of the 1 zone overlaps the road network (f): check that the zones and the roads cover the "
                        "same place and that the zones' CRS is right (--zones-crs)") != std::string::npos);
}

TEST_CASE("plan metrics: zones off the network are per zone in --json, and -v lists each", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-zones-v");
    const std::string args = zones_fixture(dir);
    const auto j = run_plan(args + " --json");
    REQUIRE(j.exit_code == 0);
    const auto parsed = nlohmann::json::parse(j.out);
    const auto& list = parsed["zones"]["zones"];
    CHECK(list[0]["overlaps_network"] == true);
    CHECK(list[6]["overlaps_network"] == false);
    CHECK(j.err.find("overlaps_network: false per zone in the JSON") != std::string::npos);
    const auto v = run_plan(args + " -v");
    CHECK(v.err.find("zone z6: does not overlap the road network") != std::string::npos);
    CHECK(occurrences(v.err, ": does not overlap the road network") == 6);
}

// The lattice; points A and B 10 m from a road, C 600 m east of the lattice, D
// without coordinates, as a CSV and as a GeoJSON.
void points_fixture(const std::filesystem::path& dir) {
    write_file(dir / "roads.geojson", lattice("\"highway\":\"primary\""));
    write_file(dir / "pts.csv", "id,x,y\nA,382100,4075010\nB,382300,4075390\nC,383000,4075200\nD,,\n");
    write_file(dir / "pts.geojson", collection(point(382100, 4075010, "\"id\":\"A\"") + "," +
                                               point(382300, 4075390, "\"id\":\"B\"") + "," +
                                               point(383000, 4075200, "\"id\":\"C\"")));
}
std::string points_args(const std::filesystem::path& dir, const std::string& file, bool crs) {
    return "metrics " + q(dir / "roads.geojson") + " --no-centrality --access " + q(dir / file) + " --access-id id" +
           (crs ? " --access-crs EPSG:4548" : "") + " --access-target t=" + q(dir / file) +
           (crs ? " --access-target-crs EPSG:4548" : "") + " --od-origins " + q(dir / file) + " --od-destinations " +
           q(dir / file) + " --od-origin-id id --od-name id" + (crs ? " --od-crs EPSG:4548" : "");
}

TEST_CASE("plan metrics: a point CSV works for --access, --access-target and the OD layer as a point layer does",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-points");
    points_fixture(dir);
    const auto csv = run_plan(points_args(dir, "pts.csv", true) + " --json");
    const auto geo = run_plan(points_args(dir, "pts.geojson", false) + " --json");
    INFO(csv.err);
    REQUIRE(csv.exit_code == 0);
    REQUIRE(geo.exit_code == 0);
    const auto jc = nlohmann::json::parse(csv.out), jg = nlohmann::json::parse(geo.out);
    CHECK(jc["access"] == jg["access"]);
    CHECK(jc["od_layer_circuity"] == jg["od_layer_circuity"]);
    CHECK(jc["od_layer_circuity"]["pairs"] == 9);
    CHECK(jc["od_layer_circuity"]["too_close"] == 3); // each point to itself
    CHECK(csv.err.find("--access " + (dir / "pts.csv").string() +
                       ": 1 row without usable coordinates in columns 'x', 'y' (D), skipped") != std::string::npos);
}

TEST_CASE("plan metrics: point sites are called points, far ones are summed up (each with -v), too-close OD pairs "
          "are in the text",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-points-text");
    points_fixture(dir);
    const auto t = run_plan(points_args(dir, "pts.csv", true));
    INFO(t.err << t.out);
    REQUIRE(t.exit_code == 0);
    CHECK(t.out.find("Accessibility: 3 points, nearest road of class 主干路 (arterial): mean ") != std::string::npos);
    CHECK(t.out.find("3 origins x 3 destinations: 9 pairs: 6 reachable, 0 unreachable (no path), 3 too close (under "
                     "1 m apart)") != std::string::npos);
    CHECK(t.err.find("--access: 1 of 3 points is more than 100 m from any road, the farthest C at 600.0 m") !=
          std::string::npos);
    CHECK(t.err.find("3 parcels") == std::string::npos);
    CHECK(t.err.find("OD layer: 3 of 9 pairs are closer than 1 m in a straight line") != std::string::npos);
    CHECK(t.err.find("m from the nearest road") == std::string::npos);
    const auto v = run_plan(points_args(dir, "pts.csv", true) + " -v");
    CHECK(v.err.find("--access C: 600.0 m from the nearest road") != std::string::npos);
}

TEST_CASE("plan metrics: lon/lat columns are WGS84, other columns are named with --xy", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-points-lonlat");
    write_file(dir / "roads.geojson", lattice("\"highway\":\"primary\""));
    write_file(dir / "ll.csv", "name,Lon,Lat\nP,115.7005,36.8002\nQ,115.7021,36.7995\n");
    write_file(dir / "ll.geojson",
               collection(point(115.7005, 36.8002, "\"name\":\"P\"") + "," + point(115.7021, 36.7995, "\"name\":\"Q\""),
                          false));
    auto ll = [&](const std::string& f) {
        return run_plan("metrics " + q(dir / "roads.geojson") + " --no-centrality --json --access " + q(dir / f) +
                        " --access-id name");
    };
    const auto a = ll("ll.csv"), b = ll("ll.geojson");
    INFO(a.err);
    REQUIRE(a.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    CHECK(nlohmann::json::parse(a.out)["access"] == nlohmann::json::parse(b.out)["access"]);
    CHECK(a.err.find("columns 'Lon', 'Lat' read as WGS84 lon/lat") != std::string::npos);
    // a table without coordinate columns is an error naming the columns looked for and --xy
    write_file(dir / "nocoords.csv", "id,e,n\nA,382100,4075010\n");
    const auto none = run_plan("metrics " + q(dir / "roads.geojson") + " --no-centrality --access " + q(dir / "nocoords.csv"));
    CHECK(none.exit_code == 1);
    CHECK(none.err.find("no coordinate columns named x/y, lon/lat") != std::string::npos);
    CHECK(none.err.find("--xy X,Y") != std::string::npos);
    const auto xy = run_plan("metrics " + q(dir / "roads.geojson") + " --no-centrality --json --access " +
                             q(dir / "nocoords.csv") + " --xy e,n --access-crs EPSG:4548");
    INFO(xy.err);
    CHECK(xy.exit_code == 0);
}

TEST_CASE("plan metrics: one thread, two threads", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-threads");
    write_file(dir / "roads.geojson", lattice("\"highway\":\"primary\""));
    const auto one = run_plan("metrics " + q(dir / "roads.geojson"));
    INFO(one.err);
    CHECK(one.err.find("sources on 1 thread in") != std::string::npos);
    const auto two = run_plan("metrics " + q(dir / "roads.geojson") + " --threads 2");
    CHECK(two.err.find("sources on 2 threads in") != std::string::npos);
}

TEST_CASE("plan metrics: a reader's Z/M note prints once per input file, even for a file given twice", "[metrics]") {
    const auto dir = scratch_dir("metrics-trial-z");
    write_file(dir / "roads_z.geojson", lattice("\"highway\":\"primary\"", true));
    write_file(dir / "parcels_z.geojson",
               collection(box(kX + 10, kY + 10, kX + 190, kY + 190, "\"id\":\"p1\"", true) + "," +
                          box(kX + 210, kY + 10, kX + 390, kY + 190, "\"id\":\"p2\"", true)));
    const auto r = run_plan("metrics " + q(dir / "roads_z.geojson") + " --no-centrality --parcels " +
                            q(dir / "parcels_z.geojson") + " --access " + q(dir / "parcels_z.geojson"));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(occurrences(r.err, "Z and M values dropped") == 2);
    CHECK(occurrences(r.err, "roads_z.geojson: layer 'roads_z': Z and M values dropped") == 1);
    CHECK(occurrences(r.err, "parcels_z.geojson: layer 'parcels_z': Z and M values dropped") == 1);
    CHECK(r.err.find("Z/M values were dropped") == std::string::npos);
    // parcels (polygons) are called parcels
    CHECK(r.out.find("Accessibility: 2 parcels") != std::string::npos);
}

TEST_CASE("plan metrics: --boundary FILE:LAYER picks the layer of a GeoPackage", "[metrics]") {
    const auto city = source_dir() / "data" / "sample-city";
    const auto r = run_plan("metrics " + q(city / "roads.gpkg") + " --no-centrality --circuity-pairs 100 --json --boundary " +
                            quote((city / "landuse.gpkg").string() + ":study_boundary"));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    const auto py = run_python("-c \"import geopandas as g; print(repr(g.read_file('" + (city / "landuse.gpkg").string() +
                               "', layer='study_boundary').area.sum() / 1e6))\"");
    INFO(py.out << py.err);
    REQUIRE(py.exit_code == 0);
    CHECK(j["density"]["area_km2"].get<double>() == Approx(std::stod(py.out)).epsilon(1e-9));
}
