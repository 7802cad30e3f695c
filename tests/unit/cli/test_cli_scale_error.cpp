// crs_scale_error in the --json of every command that reads layers with --crs:
// metrics, candidates, skeleton and landuse state it as plan network does (the
// same value for the same roads, right after "crs" or else at the end; the
// default CRS's small value when no --crs is given).
#include <cmath>
#include <filesystem>
#include <regex>
#include <string>
#include <tuple>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace plan::test;
namespace fs = std::filesystem;

namespace {

const fs::path kCity = source_dir() / "data/sample-city";

// The sample city's roads and parcels in lon/lat (EPSG:4326), made once per run by ogr2ogr.
struct LonLat {
    fs::path roads, parcels;
};
const LonLat& lonlat() {
    static const LonLat made = [] {
        const auto d = scratch_dir("cli_scale_error");
        LonLat l{d / "roads_ll.gpkg", d / "parcels_ll.gpkg"};
        // The middle 4 km x 4 km of the city (in its EPSG:4548 metres) keeps the runs short.
        for (const auto& [out, in, layer] : {std::tuple{l.roads, kCity / "roads.gpkg", "roads"},
                                             std::tuple{l.parcels, kCity / "landuse.gpkg", "parcels"}}) {
            const auto r = run_shell("ogr2ogr -spat 381000 4073000 385000 4077000 -t_srs EPSG:4326 " + quote(out.string()) +
                                     " " + quote(in.string()) + " " + layer);
            INFO(r.err);
            REQUIRE(r.exit_code == 0);
        }
        return l;
    }();
    return made;
}

// Web Mercator's point scale error against WGS84 at latitude φ (the larger of
// east-west a/(N cos φ) and north-south a/(M cos φ), as in test_cli_options).
double web_mercator_scale_error(double lat_deg) {
    const double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f);
    const double phi = lat_deg * M_PI / 180.0, s2 = std::sin(phi) * std::sin(phi);
    const double n = a / std::sqrt(1 - e2 * s2);
    const double m = a * (1 - e2) / std::pow(1 - e2 * s2, 1.5);
    return std::max(a / (n * std::cos(phi)), a / (m * std::cos(phi))) - 1.0;
}

struct Run {
    nlohmann::ordered_json json;
    std::string err;
};
Run run_json(const std::string& args) {
    const auto r = run_plan(args + " --json --no-progress");
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    return {nlohmann::ordered_json::parse(r.out), r.err};
}

// The key right after "crs", which every command states (added at the end, with
// the scale error, where a command's summary has no "crs" of its own).
void key_in_place(const nlohmann::ordered_json& j) {
    REQUIRE(j.contains("crs_scale_error"));
    REQUIRE(j.contains("crs"));
    CHECK(j["crs"].get<std::string>().rfind("EPSG:", 0) == 0);
    std::string before;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "crs_scale_error") break;
        before = it.key();
    }
    CHECK(before == "crs");
}

// The commands that build a network from ROADS, with what else each needs.
std::string command(const std::string& name, const std::string& roads) {
    if (name == "metrics") return "metrics " + roads + " --no-centrality --no-global";
    if (name == "candidates") return "candidates " + roads + " --pairs 20";
    return "skeleton " + roads + " --spec " + quote((kCity / "skeleton.toml").string());
}

// A forced --crs EPSG:3857 on the lon/lat roads gives plan network's value; without --crs the
// value of plan's own CRS, as plan network states it (a number, not null).
void same_as_network(const std::string& name) {
    const std::string roads = quote(lonlat().roads.string());
    const Run net3857 = run_json("network " + roads + " --crs EPSG:3857");
    const Run net = run_json("network " + roads);
    const double forced = net3857.json["crs_scale_error"].get<double>();
    const double own = net.json["crs_scale_error"].get<double>();
    CHECK(forced == Approx(0.253).margin(0.002)); // 36.8°N: sec φ − 1 and a little more north-south
    CHECK(own > 0.0);
    CHECK(own < 0.001);
    const Run f = run_json(command(name, roads) + " --crs EPSG:3857");
    key_in_place(f.json);
    CHECK(f.json["crs_scale_error"].get<double>() == forced); // same roads, same extent: the same value
    CHECK(f.err.find("--crs EPSG:3857 stretches lengths by 25.") != std::string::npos);
    const Run d = run_json(command(name, roads));
    key_in_place(d.json);
    CHECK(d.json["crs_scale_error"].get<double>() == own);
    CHECK(d.err.find("stretches") == std::string::npos);
}

} // namespace

TEST_CASE("cli scale error: plan metrics --json states plan network's crs_scale_error", "[cli]") {
    same_as_network("metrics");
}

TEST_CASE("cli scale error: plan candidates --json states plan network's crs_scale_error", "[cli]") {
    same_as_network("candidates");
}

TEST_CASE("cli scale error: plan skeleton --json states plan network's crs_scale_error", "[cli]") {
    same_as_network("skeleton");
}

TEST_CASE("cli scale error: landuse states the scale error of its parcels' CRS", "[cli]") {
    const std::string parcels = quote(lonlat().parcels.string());
    const std::string enterprises = " --enterprises " + quote((kCity / "enterprises.csv").string());
    const Run f = run_json("landuse " + parcels + enterprises + " --crs EPSG:3857");
    key_in_place(f.json);
    // The warning gives the area error (what landuse measures) and the length error, at the
    // centre of the parcels; the value is Web Mercator's scale error there.
    std::smatch m;
    const std::regex warn(
        R"re(--crs EPSG:3857 stretches areas by ([0-9.]+) % \(lengths by ([0-9.]+) %\) at the data's centre \(([0-9.]+)°E ([0-9.]+)°N\); parcel areas, mu and every per-mu figure)re");
    REQUIRE(std::regex_search(f.err, m, warn));
    const double area_pct = std::stod(m[1]);
    const double length_pct = std::stod(m[2]);
    const double lat = std::stod(m[4]);
    // Web Mercator is (nearly) conformal: areas scale by about the square of lengths.
    CHECK(area_pct == Approx(100.0 * ((1 + length_pct / 100) * (1 + length_pct / 100) - 1)).margin(2.0));
    CHECK(lat == Approx(36.8).margin(0.2));
    const double value = f.json["crs_scale_error"].get<double>();
    CHECK(value == Approx(web_mercator_scale_error(lat)).margin(0.0005));
    // The parcels cover nearly the roads' extent: close to plan network's value for the roads.
    const Run net3857 = run_json("network " + quote(lonlat().roads.string()) + " --crs EPSG:3857");
    CHECK(value == Approx(net3857.json["crs_scale_error"].get<double>()).margin(0.002));
    // Without --crs: plan's own choice, stated and small.
    const Run d = run_json("landuse " + parcels + enterprises);
    key_in_place(d.json);
    // The parcels' mu in Web Mercator are larger by the area error the warning gives.
    if (f.json.contains("land") && f.json["land"].contains("parcel_mu"))
        CHECK(f.json["land"]["parcel_mu"].get<double>() / d.json["land"]["parcel_mu"].get<double>() ==
              Approx(1.0 + area_pct / 100.0).epsilon(0.005));
    CHECK(d.json["crs_scale_error"].get<double>() > 0.0);
    CHECK(d.json["crs_scale_error"].get<double>() < 0.001);
    CHECK(d.err.find("stretches") == std::string::npos);
}
