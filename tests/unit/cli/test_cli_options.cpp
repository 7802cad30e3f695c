// The options shared by the commands that read layers (InputOptions,
// NetworkOptions, -o): a CRS plan cannot measure in, the scale error of a
// forced CRS, files named by options, the layer of a multi-layer source, the
// output path, and that option values are checked before any reading.
#include <cmath>
#include <regex>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace plan::test;

namespace {

// The command line run_plan runs, for a shell prefix such as VAR=value.
std::string run_plan_command(const std::string& args) { return quote(PLAN_CLI) + " " + args; }

std::string sample_roads() { return quote((source_dir() / "data/sample-city/roads.gpkg").string()); }

// Web Mercator (EPSG:3857) on WGS84 lon/lat: x = a·λ, y = a·ln tan(π/4 + φ/2).
// Its point scale against the ellipsoid is a / (N cos φ) east-west and
// a / (M cos φ) north-south (N, M: the radii of curvature): the larger one.
double web_mercator_scale_error(double lat_deg) {
    const double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f);
    const double phi = lat_deg * M_PI / 180.0, s2 = std::sin(phi) * std::sin(phi);
    const double n = a / std::sqrt(1 - e2 * s2);
    const double m = a * (1 - e2) / std::pow(1 - e2 * s2, 1.5);
    return std::max(a / (n * std::cos(phi)), a / (m * std::cos(phi))) - 1.0;
}

} // namespace

TEST_CASE("cli options: a geographic or non-metre --crs is a usage error before reading", "[cli]") {
    // The input does not exist: the option error comes first.
    for (const std::string cmd : {"network", "metrics", "candidates"}) {
        INFO(cmd);
        const auto r = run_plan(cmd + " no-such-roads.gpkg --crs EPSG:4326");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--crs EPSG:4326 is geographic (degrees); plan needs a projected CRS in metres") != std::string::npos);
        CHECK(r.err.find("or omit --crs to let plan choose") != std::string::npos);
    }
    const auto g = run_plan("network no-such-roads.gpkg --crs GCJ02");
    CHECK(g.exit_code == 2);
    CHECK(g.err.find("is geographic") != std::string::npos);
    const auto ft = run_plan("network no-such-roads.gpkg --crs EPSG:2236");
    CHECK(ft.exit_code == 2);
    CHECK(ft.err.find("--crs EPSG:2236 is in US survey foot") != std::string::npos);
    // A projected CRS in metres passes the check (and fails later on the input).
    const auto ok = run_plan("network no-such-roads.gpkg --crs EPSG:4548");
    CHECK(ok.exit_code == 1);
    CHECK(ok.err.find("no such file") != std::string::npos);
}

TEST_CASE("cli options: a forced --crs with a large scale error is warned about and in the JSON", "[cli]") {
    const auto r = run_plan("network " + sample_roads() + " --crs EPSG:3857 --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::smatch m;
    const std::regex warn(R"re(--crs EPSG:3857 stretches lengths by ([0-9.]+) % at the data's centre \(([0-9.]+)°E ([0-9.]+)°N\))re");
    REQUIRE(std::regex_search(r.err, m, warn));
    const double lat = std::stod(m[3]);
    CHECK(lat == Approx(36.8).margin(0.2)); // the sample city lies at Linqing
    const double expected = web_mercator_scale_error(lat);
    CHECK(std::stod(m[1]) == Approx(100 * expected).margin(0.2));
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.contains("crs_scale_error"));
    CHECK(j["crs_scale_error"].get<double>() == Approx(expected).margin(0.002));

    // plan's own choice (CGCS2000 GK, CM 117°E, 1.3° from the city): no warning, below 0.1 %.
    const auto d = run_plan("network " + sample_roads() + " --json");
    REQUIRE(d.exit_code == 0);
    CHECK(d.err.find("stretches") == std::string::npos);
    const auto k = nlohmann::json::parse(d.out);
    const double own = k["crs_scale_error"].get<double>();
    CHECK(own > 0.0);
    CHECK(own < 0.001);
    // The Gauss-Krüger scale 1 + (Δλ cos φ)² / 2 at the centre, Δλ from CM 117°E.
    const double dl = (std::stod(m[2]) - 117.0) * M_PI / 180.0, c = std::cos(lat * M_PI / 180.0);
    CHECK(own == Approx(dl * dl * c * c / 2).margin(0.00005));
}

TEST_CASE("cli options: a file named by an option that does not exist is a usage error", "[cli]") {
    const auto r = run_plan("network " + sample_roads() + " --class-map no-such-map.toml");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--class-map no-such-map.toml: no such file") != std::string::npos);
    CHECK(r.err.find("not valid TOML") == std::string::npos);
    const auto s = run_plan("network no-such-roads.gpkg --study-area no-such-area.gpkg");
    CHECK(s.exit_code == 2);
    CHECK(s.err.find("--study-area no-such-area.gpkg: no such file") != std::string::npos);
    const auto b = run_plan("metrics no-such-roads.gpkg --boundary no-such-boundary.gpkg:area");
    CHECK(b.exit_code == 2);
    CHECK(b.err.find("--boundary no-such-boundary.gpkg:area: no such file") != std::string::npos);
    const auto t = run_plan("metrics no-such-roads.gpkg --access-target school=no-such-schools.gpkg");
    CHECK(t.exit_code == 2);
    CHECK(t.err.find("--access-target no-such-schools.gpkg: no such file") != std::string::npos);
    const auto k = run_plan("skeleton no-such-roads.gpkg --spec no-such-spec.toml");
    CHECK(k.exit_code == 2);
    CHECK(k.err.find("--spec no-such-spec.toml: no such file") != std::string::npos);
    // An existing file with a QGIS-style layer passes the check.
    const auto q = run_plan("network no-such-roads.gpkg --study-area " +
                            quote((source_dir() / "data/sample-city/landuse.gpkg").string() + "|layername=study_boundary"));
    CHECK(q.exit_code == 1); // the roads, not the option
}

TEST_CASE("cli options: -o NAME.geojson is a usage error, before reading", "[cli]") {
    const auto d = scratch_dir("geojson_out");
    for (const std::string& cmd : std::vector<std::string>{"network", "metrics", "skeleton --spec " + sample_roads(), "candidates"}) {
        INFO(cmd);
        const auto out = d / "x.geojson";
        const auto r = run_plan(cmd + " no-such-roads.gpkg -o " + quote(out.string()));
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("names one GeoJSON file, but the output has several layers") != std::string::npos);
        CHECK(r.err.find("give a folder (-o out/)") != std::string::npos);
        CHECK(!std::filesystem::exists(out));
    }
    CHECK(run_plan("network no-such-roads.gpkg -o " + quote((d / "x.json").string())).exit_code == 2);
    // the folder the hint suggests, written with its trailing slash, new and then replaced
    const std::string folder = (d / "out").string() + "/";
    const auto r = run_plan("network " + sample_roads() + " -q -o " + quote(folder));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(std::filesystem::exists(d / "out" / "edges.geojson"));
    CHECK(run_plan("network " + sample_roads() + " -q -o " + quote(folder) + " --overwrite").exit_code == 0);
    CHECK(std::filesystem::exists(d / "out" / "dead_ends.geojson"));
}

TEST_CASE("cli options: bad option values fail before the input is read", "[cli]") {
    for (const std::string bad : {"--snap -1", "--gap -1", "--stub -2", "--boundary -5", "--isolated -1",
                                  "--classes motorways", "--noding sometimes", "--bbox 1,2,3", "--crs EPSG:999999"}) {
        INFO(bad);
        const auto r = run_plan("network no-such-roads.gpkg " + bad);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("no such file") == std::string::npos);
        const std::string option = bad.substr(0, bad.find(' '));
        CHECK(r.err.find(option) != std::string::npos);
    }
    const auto m = run_plan("metrics no-such-roads.gpkg --snap -1");
    CHECK(m.exit_code == 2);
    CHECK(m.err.find("--snap") != std::string::npos);
}

TEST_CASE("cli options: a multi-layer source without a layer named", "[cli]") {
    const auto prague = shared_data("prague_bubenec.gpkg").string();
    // Only one of its four layers holds lines: that one is taken, and said.
    const auto r = run_plan("network " + quote(prague) + " --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("prague_bubenec.gpkg: using layer 'streets', the only line layer of 4") != std::string::npos);
    CHECK(nlohmann::json::parse(r.out)["edges"].get<int>() > 0);
    // No class field: the log says what is used instead of "class field ''".
    CHECK(r.err.find("class field ''") == std::string::npos);
    CHECK(r.err.find("no class field (every line 'other')") != std::string::npos);
    // A polygon layer named: the hint names the line layer.
    const auto p = run_plan("network " + quote(prague + "|layername=plots"));
    CHECK(p.exit_code == 1);
    CHECK(p.err.find("the layer holds no lines") != std::string::npos);
    CHECK(p.err.find("the line layers of this source: 'streets'") != std::string::npos);

    // plan network's own GeoPackage has several line layers: none is guessed.
    const auto d = scratch_dir("multi_line_layers");
    const auto gpkg = (d / "net.gpkg").string();
    REQUIRE(run_plan("network " + quote(prague) + " -q -o " + quote(gpkg)).exit_code == 0);
    const auto s = run_plan("network " + quote(gpkg));
    CHECK(s.exit_code == 2);
    CHECK(s.err.find("has 4 line layers ('edges', 'gaps', 'components', 'critical_links') and no layer is named") !=
          std::string::npos);
    CHECK(s.err.find("|layername=edges") != std::string::npos);
    // (its edges carry class 'other': --classes all takes them)
    CHECK(run_plan("network " + quote(gpkg + "|layername=edges") + " --classes all -q").exit_code == 0);
    CHECK(run_plan("network " + quote(gpkg) + " --layer edges --classes all -q").exit_code == 0);
}

TEST_CASE("cli options: network layers: one geometry type per layer, missing names are null", "[cli]") {
    const auto d = scratch_dir("network_layers_types");
    const auto out = d / "out";
    const auto r = run_plan("network " + sample_roads() + " -q -o " + quote(out.string()));
    REQUIRE(r.exit_code == 0);
    auto types = [](const std::string& text) {
        std::set<std::string> t;
        const std::regex re(R"re("geometry": \{ "type": "([A-Za-z]+)")re");
        for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) t.insert((*it)[1]);
        return t;
    };
    CHECK(types(read_file(out / "components.geojson")) == std::set<std::string>{"MultiLineString"});
    CHECK(types(read_file(out / "edges.geojson")) == std::set<std::string>{"LineString"});
    const std::string edges = read_file(out / "edges.geojson");
    CHECK(edges.find("\"name\": \"\"") == std::string::npos);
    CHECK(edges.find("\"name\": null") != std::string::npos); // the sample city has unnamed roads
    CHECK(read_file(out / "dead_ends.geojson").find("\"name\": \"\"") == std::string::npos);
    // the road class is in road_class, as in plan metrics' edges and the dead_ends layer; class keeps it too
    CHECK(edges.find("\"class\": \"arterial\", \"road_class\": \"arterial\", \"class_label\": \"主干路\"") !=
          std::string::npos);
    CHECK(read_file(out / "critical_links.geojson").find("\"road_class\": ") != std::string::npos);
}

TEST_CASE("cli options: a GDAL module that cannot be loaded is named once", "[cli]") {
    const std::string path = "/nonexistent/libplan_gdal_x.so";
    const auto r = run_shell("PLAN_GDAL_MODULE=" + path + " " + run_plan_command("info " + sample_roads()));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("cannot load libplan's GDAL module") != std::string::npos);
    const auto first = r.err.find(path);
    REQUIRE(first != std::string::npos);
    CHECK(r.err.find(path, first + 1) == std::string::npos);
}

TEST_CASE("cli options: a study's crs must be projected, in metres", "[cli]") {
    const auto d = scratch_dir("study_crs");
    const std::string roads = (source_dir() / "data/sample-city/roads.gpkg").string();
    for (const auto& [crs, said] : {std::pair<std::string, std::string>{"EPSG:4326", "is geographic (degrees)"},
                                    {"EPSG:2236", "is in US survey foot, not metres"}}) {
        INFO(crs);
        write_file(d / "plan.toml", "[study]\nname = \"t\"\ncrs = \"" + crs + "\"\n\n[inputs]\nroads = [\"" + roads + "\"]\n");
        const auto r = run_plan("run " + quote((d / "plan.toml").string()) + " -o " + quote((d / "out").string()));
        CHECK(r.exit_code == 1); // a configuration error, as every error in the study file
        CHECK(r.err.find("'crs' = \"" + crs + "\" " + said) != std::string::npos);
        CHECK(r.err.find("plan.toml: line 3") != std::string::npos);
    }
}
