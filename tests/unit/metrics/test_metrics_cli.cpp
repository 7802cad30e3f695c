// `plan metrics` end to end: OSMnx's basic_stats and igraph/NetworkX centrality
// reproduced on the Chengdu extract (through the scripts under scripts/), and
// bad input with its messages and exit codes.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace plan::test;

namespace {
// Two separate pieces near Linqing (lon/lat): a "+" and a far-away single road.
const char* kTwoPieces = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"LineString","coordinates":[[115.700,36.800],[115.702,36.800],[115.704,36.800]]}},
{"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"LineString","coordinates":[[115.702,36.799],[115.702,36.800],[115.702,36.801]]}},
{"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"LineString","coordinates":[[115.710,36.810],[115.712,36.810]]}}]})";

std::string box_geojson(double x0, double y0, double x1, double y1) {
    return "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
           "{\"type\":\"Polygon\",\"coordinates\":[[[" +
           std::to_string(x0) + "," + std::to_string(y0) + "],[" + std::to_string(x1) + "," + std::to_string(y0) +
           "],[" + std::to_string(x1) + "," + std::to_string(y1) + "],[" + std::to_string(x0) + "," +
           std::to_string(y1) + "],[" + std::to_string(x0) + "," + std::to_string(y0) + "]]]}}]}";
}

std::string script(const std::string& name) { return quote((source_dir() / "scripts" / name).string()); }
} // namespace

TEST_CASE("plan metrics: a radius that is not positive is a usage error", "[metrics]") {
    const auto dir = scratch_dir("metrics-radius");
    write_file(dir / "roads.geojson", kTwoPieces);
    for (const char* bad : {"0", "-400", "400,abc"}) {
        const auto r = run_plan("metrics " + quote((dir / "roads.geojson").string()) + " --radius " + bad);
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--radius") != std::string::npos);
    }
    CHECK(run_plan("metrics " + quote((dir / "roads.geojson").string()) + " --threads 0").exit_code == 2);
}

TEST_CASE("plan metrics: a disconnected network counts unreachable pairs apart", "[metrics]") {
    const auto dir = scratch_dir("metrics-pieces");
    write_file(dir / "roads.geojson", kTwoPieces);
    const auto r = run_plan("metrics " + quote((dir / "roads.geojson").string()) + " --json --radius 300");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("2 components") != std::string::npos);
    const auto j = nlohmann::json::parse(r.out);
    // 5 + 2 nodes: 10 + 1 pairs within the pieces, 5 x 2 between them
    CHECK(j["od_circuity"]["pairs"] == 21);
    CHECK(j["od_circuity"]["unreachable"] == 10);
    CHECK(j["od_circuity"]["reachable"] == 11);
    CHECK(j["od_circuity"]["mean"].get<double>() >= 1.0);
    CHECK(j["indices"]["components"] == 2);
    CHECK(j["density"]["area_basis"] == "none");
    CHECK(j["density"]["road_density"].is_null());
}

TEST_CASE("plan metrics: a boundary in another CRS is reprojected, one elsewhere is an error", "[metrics]") {
    const auto dir = scratch_dir("metrics-boundary");
    write_file(dir / "roads.geojson", kTwoPieces);
    // lon/lat boundary around the "+" only (the network is in a Gauss-Krüger CRS)
    write_file(dir / "area.geojson", box_geojson(115.699, 36.7985, 115.705, 36.8015));
    const auto r = run_plan("metrics " + quote((dir / "roads.geojson").string()) + " --json --boundary " +
                            quote((dir / "area.geojson").string()) + " -v");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("reprojected") != std::string::npos);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["density"]["area_basis"] == "boundary");
    const double km2 = j["density"]["area_km2"].get<double>();
    CHECK(km2 == Approx(0.536 * 0.333).epsilon(0.02)); // 0.006° lon x 0.003° lat at 36.8°N
    // the "+" is 2 x ~178 m + 2 x ~222 m... whatever it is, only it is inside
    CHECK(j["density"]["length_km"].get<double>() < j["osmnx"]["street_length_total"].get<double>() / 1000);

    write_file(dir / "far.geojson", box_geojson(116.5, 37.5, 116.6, 37.6));
    const auto far = run_plan("metrics " + quote((dir / "roads.geojson").string()) + " --boundary " +
                              quote((dir / "far.geojson").string()));
    CHECK(far.exit_code == 1);
    CHECK(far.err.find("does not overlap") != std::string::npos);
}

TEST_CASE("plan metrics reproduces OSMnx basic_stats on the Chengdu extract", "[metrics]") {
    const auto osm = shared_data("chengdu_2018.osm");
    const auto dir = scratch_dir("metrics-osmnx");
    const auto gpkg = dir / "chengdu.gpkg";
    const auto r = run_plan("metrics " + quote(osm.string()) + " --classes all --noding vertices --snap 0 --no-centrality -o " +
                            quote(gpkg.string()) + " --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    write_file(dir / "metrics.json", r.out);
    const auto py = run_python(script("compare_osmnx_stats.py") + " " + quote(gpkg.string()) + " " +
                               quote((dir / "metrics.json").string()));
    INFO(py.out << py.err);
    CHECK(py.exit_code == 0);
    CHECK(py.out.find(" 0 differ") != std::string::npos);
}

TEST_CASE("plan metrics centrality equals igraph and the cutoff script on the Chengdu extract", "[metrics]") {
    const auto osm = shared_data("chengdu_2018.osm");
    const auto dir = scratch_dir("metrics-centrality");
    const auto gpkg = dir / "chengdu.gpkg";
    const auto r = run_plan("metrics " + quote(osm.string()) + " --radius 400,800 --threads 2 -o " + quote(gpkg.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto py = run_python(script("compare_centrality.py") + " " + quote(gpkg.string()) + " --radii 400,800 --no-networkx");
    INFO(py.out << py.err);
    CHECK(py.exit_code == 0);
    CHECK(py.out.find("FAIL") == std::string::npos);
}

namespace {
std::filesystem::path sample_city() { return source_dir() / "data" / "sample-city"; }
} // namespace

TEST_CASE("plan metrics --zones: the sample city's districts, written per zone, add up", "[metrics]") {
    const auto dir = scratch_dir("metrics-zones");
    const auto gpkg = dir / "zones.gpkg";
    const auto r = run_plan("metrics " + quote((sample_city() / "roads.gpkg").string()) + " --zones " +
                            quote((sample_city() / "landuse.gpkg").string()) +
                            " --zones-layer zones --zone-id zone_id --no-centrality --json -o " + quote(gpkg.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    const auto& z = j["zones"];
    REQUIRE(z["zones"].size() == 5);
    CHECK(z["reprojected_from"].is_null()); // same CRS as the roads
    double len = 0;
    for (const auto& one : z["zones"]) {
        CHECK(one["area_basis"] == "zone polygon");
        CHECK(one["area_km2"].get<double>() > 0);
        CHECK(one["overlaps_network"] == true);
        CHECK(one["density"]["road_density"].is_number());
        CHECK(one["indices"]["beta"].is_number());
        len += one["density"]["length_km"].get<double>();
    }
    CHECK(len == Approx(z["length_km_in_zones"].get<double>()).epsilon(1e-12));
    CHECK(z["length_km_in_zones"].get<double>() <= z["length_km_network"].get<double>() * (1 + 1e-12));
    // the layer is written, one feature per zone, with the ids of the layer
    const auto py = run_python("-c \"import geopandas as g; z = g.read_file('" + gpkg.string() +
                               "', layer='zones'); print(len(z), repr(z.length_km.sum()))\"");
    INFO(py.out << py.err);
    REQUIRE(py.exit_code == 0);
    CHECK(py.out.rfind("5 ", 0) == 0);
    CHECK(std::stod(py.out.substr(2)) == Approx(len).epsilon(1e-12));
    // the layer carries the raw, centreline, 干线 (trunk) and per-class densities the JSON has
    const auto fields = run_python(
        "-c \"import geopandas as g, json; z = g.read_file('" + gpkg.string() +
        "', layer='zones'); print(json.dumps([{k: (None if v != v else v) for k, v in r.items() if k != 'geometry'} "
        "for r in z.to_dict('records')]))\"");
    INFO(fields.err);
    REQUIRE(fields.exit_code == 0);
    const auto rows = nlohmann::json::parse(fields.out);
    REQUIRE(rows.size() == 5);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& d = z["zones"][i]["density"];
        const auto& row = rows[i];
        CHECK(row["zone_id"] == z["zones"][i]["id"]);
        CHECK(row["trunk_density"].get<double>() == Approx(d["trunk_density"].get<double>()).epsilon(1e-12));
        CHECK(row["trunk_density_centreline"].get<double>() ==
              Approx(d["trunk_density_centreline"].get<double>()).epsilon(1e-12));
        CHECK(row["road_density"].get<double>() == Approx(d["road_density"].get<double>()).epsilon(1e-12));
        for (const char* c : {"expressway", "arterial", "collector", "local"}) {
            INFO(c);
            CHECK(row[std::string("density_") + c].get<double>() ==
                  Approx(d["by_class"][c]["density"].get<double>()).epsilon(1e-12));
            CHECK(row[std::string("density_") + c + "_centreline"].get<double>() ==
                  Approx(d["by_class"][c]["density_centreline"].get<double>()).epsilon(1e-12));
        }
        CHECK(row["dead_ends_per_100km"].is_number());
    }
}

TEST_CASE("plan metrics --grid: cells add up to the network, zones in lon/lat are reprojected, far zones are said",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-grid");
    write_file(dir / "roads.geojson", kTwoPieces);
    const auto roads = quote((dir / "roads.geojson").string());
    for (const char* grid : {"square:300", "hex:250"}) {
        const auto r = run_plan("metrics " + roads + " --grid " + grid + " --no-centrality --json");
        INFO(grid << r.err);
        REQUIRE(r.exit_code == 0);
        const auto j = nlohmann::json::parse(r.out);
        CHECK(j["zones"]["length_km_in_zones"].get<double>() ==
              Approx(j["zones"]["length_km_network"].get<double>()).epsilon(1e-12));
        CHECK(j["zones"]["nodes_outside_zones"] == 0);
    }
    // one zone around the "+" (lon/lat), one far away
    write_file(dir / "zones.geojson",
               R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"plus"},"geometry":{"type":"Polygon","coordinates":[[[115.699,36.7985],[115.705,36.7985],[115.705,36.8015],[115.699,36.8015],[115.699,36.7985]]]}},
{"type":"Feature","properties":{"name":"far"},"geometry":{"type":"Polygon","coordinates":[[[116.5,37.5],[116.6,37.5],[116.6,37.6],[116.5,37.6],[116.5,37.5]]]}}]})");
    const auto r = run_plan("metrics " + roads + " --zones " + quote((dir / "zones.geojson").string()) +
                            " --no-centrality --json -v");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("reprojected") != std::string::npos);
    CHECK(r.err.find("does not overlap") != std::string::npos);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["zones"]["reprojected_from"].get<std::string>().find("4326") != std::string::npos);
    CHECK(j["zones"]["zones"][0]["name"] == "plus");
    CHECK(j["zones"]["zones"][0]["overlaps_network"] == true);
    CHECK(j["zones"]["zones"][1]["overlaps_network"] == false);
    CHECK(j["zones"]["zones_without_network"] == 1);
    CHECK(run_plan("metrics " + roads + " --grid square:0").exit_code == 2);
    CHECK(run_plan("metrics " + roads + " --grid hex:100 --zones " + quote((dir / "zones.geojson").string())).exit_code == 2);
}

TEST_CASE("plan metrics --access on the sample city's parcels equals NetworkX", "[metrics]") {
    const auto dir = scratch_dir("metrics-access");
    const auto gpkg = dir / "access.gpkg";
    const std::string zones = (sample_city() / "landuse.gpkg").string() + ":zones";
    const auto r = run_plan("metrics " + quote((sample_city() / "roads.gpkg").string()) + " --access " +
                            quote((sample_city() / "landuse.gpkg").string()) +
                            " --access-layer parcels --access-id parcel_id --access-radius 400,800 --access-target "
                            "district=" + quote(zones) + " --skeleton " +
                            quote((sample_city() / "skeleton.toml").string()) + " --no-centrality --json -o " +
                            quote(gpkg.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    write_file(dir / "metrics.json", r.out);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["access"]["sites"] == 1704);
    CHECK(j["access"]["road_classes"] == "arterial");
    const auto& k = j["access"]["to_skeleton"];
    CHECK(k["skeleton"] == "临清市中心城区四横七纵");
    CHECK(k["skeleton_edges"].get<int>() > 0);
    CHECK(k["reachable"].get<int>() + k["unreachable"].get<int>() == 1704);
    CHECK(k["median_m"].get<double>() <= k["p90_m"].get<double>());
    CHECK(k["p90_m"].get<double>() <= k["max_m"].get<double>());
    const auto py = run_python(script("compare_accessibility.py") + " " + quote(gpkg.string()) +
                               " --radii 400,800 --target district=" + quote(zones) + " --skeleton --json " +
                               quote((dir / "metrics.json").string()));
    INFO(py.out << py.err);
    CHECK(py.exit_code == 0);
    CHECK(py.out.find("skeleton summary") != std::string::npos);
    // the summaries of targets and radii were checked against NetworkX's per-site values
    CHECK(py.out.find("target district summary") != std::string::npos);
    CHECK(py.out.find("within 800 m summary") != std::string::npos);
    REQUIRE(j["access"]["within"].size() == 2);
    CHECK(j["access"]["within"][0]["radius_m"] == 400.0);
    CHECK(j["access"]["within"][0]["road_km_mean"].get<double>() <
          j["access"]["within"][1]["road_km_mean"].get<double>());
    CHECK(j["access"]["to_targets"][0]["name"] == "district");
    CHECK(py.out.find(" 0 differ") != std::string::npos);
    // without --access the skeleton has nothing to measure; a broken spec is a config error (exit 1)
    const auto roads = quote((sample_city() / "roads.gpkg").string());
    CHECK(run_plan("metrics " + roads + " --skeleton " + quote((sample_city() / "skeleton.toml").string()))
              .exit_code == 2);
    write_file(dir / "bad.toml", "[[line]]\nid = \"H1\"\norientation = \"diagonal\"\n");
    const auto bad = run_plan("metrics " + roads + " --no-centrality --access " +
                              quote((sample_city() / "landuse.gpkg").string()) + " --access-layer parcels --skeleton " +
                              quote((dir / "bad.toml").string()));
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("bad.toml") != std::string::npos);
}

TEST_CASE("plan metrics: the built-up area closes the street space between parcels, the plain union is warned "
          "about, not silently used",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-parcels-kerb");
    write_file(dir / "roads.geojson", kTwoPieces);
    // Four blocks in the quadrants of the "+", stopping short of the roads (a kerb gap of ~0.0001°).
    std::string blocks = "{\"type\":\"FeatureCollection\",\"features\":[";
    const double xs[2][2] = {{115.6995, 115.7019}, {115.7021, 115.7045}};
    const double ys[2][2] = {{36.7985, 36.7999}, {36.8001, 36.8015}};
    for (int i = 0; i < 2; ++i)
        for (int k = 0; k < 2; ++k) {
            const double x0 = xs[i][0], x1 = xs[i][1], y0 = ys[k][0], y1 = ys[k][1];
            blocks += std::string(i || k ? "," : "") +
                      "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" +
                      std::to_string(x0) + "," + std::to_string(y0) + "],[" + std::to_string(x1) + "," +
                      std::to_string(y0) + "],[" + std::to_string(x1) + "," + std::to_string(y1) + "],[" +
                      std::to_string(x0) + "," + std::to_string(y1) + "],[" + std::to_string(x0) + "," +
                      std::to_string(y0) + "]]]}}";
        }
    write_file(dir / "parcels.geojson", blocks + "]}");
    const std::string cmd = "metrics " + quote((dir / "roads.geojson").string()) + " --no-centrality --json --parcels " +
                            quote((dir / "parcels.geojson").string());
    {   // the plain union (--closing 0): almost no road inside, said
        const auto r = run_plan(cmd + " --closing 0");
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const auto j = nlohmann::json::parse(r.out);
        CHECK(j["density"]["area_basis"] == "built-up area (union of parcels)");
        CHECK(j["density"]["area_rule"] == "union of parcels (no closing)");
        CHECK(j["density"]["length_km"].get<double>() < 0.01);
        CHECK(r.err.find("parcels leave the street space out") != std::string::npos);
        CHECK(r.err.find("--closing") != std::string::npos);
        CHECK(r.err.find("--boundary") != std::string::npos);
    }
    {   // closed by the default 25 m: the ~18 m streets between the blocks are inside, the far road is not
        const auto r = run_plan(cmd);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const auto j = nlohmann::json::parse(r.out);
        const auto& d = j["density"];
        CHECK(d["area_closing_m"] == 25.0);
        CHECK(d["area_rule"].get<std::string>().find("closed by 25 m") != std::string::npos);
        CHECK(d["area_km2"].get<double>() > d["parcels_union_km2"].get<double>());
        // the "+" (357 m + 222 m) lies between the blocks, inside now; the far road (178 m) does not
        CHECK(d["length_km"].get<double>() > 0.57);
        CHECK(d["length_km"].get<double>() < 0.59);
        CHECK(r.err.find("parcels leave the street space out") == std::string::npos);
    }
    CHECK(run_plan(cmd + " --closing -5").exit_code == 2);
}

TEST_CASE("plan metrics --parcels: the closed built-up area of the sample city equals GeoPandas", "[metrics]") {
    const auto dir = scratch_dir("metrics-builtup");
    const auto roads = (sample_city() / "roads.gpkg").string();
    const std::string parcels = (sample_city() / "landuse.gpkg").string() + ":parcels";
    for (const char* closing : {"25", "0"}) {
        const auto r = run_plan("metrics " + quote(roads) + " --parcels " +
                                quote((sample_city() / "landuse.gpkg").string() + "|layername=parcels") +
                                " --closing " + closing + " --no-centrality --json");
        INFO(closing << r.err);
        REQUIRE(r.exit_code == 0);
        const auto json = dir / (std::string("metrics-") + closing + ".json");
        write_file(json, r.out);
        const auto py = run_python(script("compare_builtup_geopandas.py") + " " + quote(json.string()) + " " +
                                   quote(roads) + " " + quote(parcels) + " --closing " + closing);
        INFO(py.out << py.err);
        CHECK(py.exit_code == 0);
        CHECK(py.out.find(" 0 differ") != std::string::npos);
        // closed, the street space is in and the kerb warning does not fire on the sample city; the plain
        // union holds no road at all
        CHECK((r.err.find("parcels leave the street space out") == std::string::npos) == (std::string(closing) != "0"));
    }
}

TEST_CASE("plan metrics --od-origins/--od-destinations on the sample city equals NetworkX", "[metrics]") {
    // parcel centroids to the centroids of the five districts (片区)
    const auto dir = scratch_dir("metrics-od-layer");
    const auto gpkg = dir / "od.gpkg";
    const std::string parcels = (sample_city() / "landuse.gpkg").string() + ":parcels";
    const std::string zones = (sample_city() / "landuse.gpkg").string() + ":zones";
    const auto r = run_plan("metrics " + quote((sample_city() / "roads.gpkg").string()) + " --od-origins " +
                            quote(parcels) + " --od-origin-id parcel_id --od-destinations " + quote(zones) +
                            " --od-name name --no-centrality --json -o " + quote(gpkg.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    write_file(dir / "metrics.json", r.out);
    const auto j = nlohmann::json::parse(r.out);
    const auto& od = j["od_layer_circuity"];
    CHECK(od["origins"] == 1704);
    CHECK(od["destinations"] == 5);
    CHECK(od["pairs"] == 1704 * 5);
    CHECK(od["reachable"].get<int>() + od["unreachable"].get<int>() + od["too_close"].get<int>() == 1704 * 5);
    CHECK(od["mean"].get<double>() > 1.0);
    for (const char* key : {"sampled", "median", "p90", "ratio_of_sums", "histogram", "far_from_road"})
        CHECK(od.contains(key));
    const auto py = run_python(script("compare_od_networkx.py") + " " + quote(gpkg.string()) + " " +
                               quote((dir / "metrics.json").string()) + " " + quote(parcels) + " " + quote(zones));
    INFO(py.out << py.err);
    CHECK(py.exit_code == 0);
    CHECK(py.out.find("1704 origins x 5 destinations") != std::string::npos);
    CHECK(py.out.find(" 0 differ") != std::string::npos);
}

TEST_CASE("plan metrics OD layer: a point far from any road is reported with its snap distance, pairs across "
          "pieces are counted as unreachable and not averaged",
          "[metrics]") {
    const auto dir = scratch_dir("metrics-od-bad");
    write_file(dir / "roads.geojson", kTwoPieces);
    auto points = [](const std::vector<std::tuple<std::string, double, double>>& pts) {
        std::string s = "{\"type\":\"FeatureCollection\",\"features\":[";
        for (std::size_t i = 0; i < pts.size(); ++i)
            s += std::string(i ? "," : "") + "{\"type\":\"Feature\",\"properties\":{\"name\":\"" + std::get<0>(pts[i]) +
                 "\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + std::to_string(std::get<1>(pts[i])) + "," +
                 std::to_string(std::get<2>(pts[i])) + "]}}";
        return s + "]}";
    };
    // two origins by the "+"; destinations on the "+", by the far single road, and ~1.8 km west of everything
    write_file(dir / "from.geojson", points({{"A", 115.7005, 36.8002}, {"B", 115.7021, 36.7995}}));
    write_file(dir / "to.geojson", points({{"X", 115.7035, 36.8001}, {"Y", 115.711, 36.8102}, {"Z", 115.680, 36.800}}));
    const auto gpkg = dir / "od.gpkg";
    const auto r = run_plan("metrics " + quote((dir / "roads.geojson").string()) + " --od-origins " +
                            quote((dir / "from.geojson").string()) + " --od-origin-id name --od-destinations " +
                            quote((dir / "to.geojson").string()) + " --od-name name --no-centrality --json -o " +
                            quote(gpkg.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    write_file(dir / "metrics.json", r.out);
    const auto j = nlohmann::json::parse(r.out);
    const auto& od = j["od_layer_circuity"];
    CHECK(od["pairs"] == 6);
    CHECK(od["unreachable"] == 2); // A->Y, B->Y: Y's road is another piece
    CHECK(od["reachable"] == 4);
    CHECK(od["far_from_road"] == 1); // Z
    CHECK(std::isfinite(od["mean"].get<double>()));
    CHECK(r.err.find("OD layer: 1 of 5 origins and destinations is more than 100 m from any road, the farthest "
                     "destination Z at") != std::string::npos);
    CHECK(r.err.find("2 of 6 pairs cannot reach each other") != std::string::npos);
    const auto py = run_python(script("compare_od_networkx.py") + " " + quote(gpkg.string()) + " " +
                               quote((dir / "metrics.json").string()) + " " + quote((dir / "from.geojson").string()) +
                               " " + quote((dir / "to.geojson").string()));
    INFO(py.out << py.err);
    CHECK(py.exit_code == 0);
    CHECK(py.out.find("2 unreachable") != std::string::npos);
    CHECK(py.out.find("1 far from road") != std::string::npos);
    CHECK(py.out.find(" 0 differ") != std::string::npos);
    // the snap distance of Z is in the layer: the script checks destination_snap_m against shapely
}

TEST_CASE("plan metrics: errors name the option the user gave (--access-radius, --od-name)", "[metrics]") {
    const auto city = source_dir() / "data" / "sample-city";
    const std::string roads = quote((city / "roads.gpkg").string());
    const std::string landuse = quote((city / "landuse.gpkg").string());
    const auto r = run_plan("metrics " + roads + " --no-centrality --access " + landuse +
                            " --access-layer parcels --access-radius 0");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--access-radius: a radius must be positive") != std::string::npos);
    const auto o = run_plan("metrics " + roads + " --no-centrality --od-origins " +
                            quote((city / "landuse.gpkg").string() + ":parcels") + " --od-destinations " +
                            quote((city / "landuse.gpkg").string() + ":zones") + " --od-name nosuch");
    CHECK(o.exit_code == 2);
    INFO(o.err);
    CHECK(o.err.find("--od-name") != std::string::npos);
    CHECK(o.err.find("--od-destinations-id") == std::string::npos);
}
