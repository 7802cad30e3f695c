// OD points keep their base seats in a scenario, as `plan candidates` scores
// them (issue #8, the new-user trial on Tianjin): a scenario made from a
// candidates `selection` layer with snap = 0.01 gives exactly the candidates'
// total OD saving, in whole mm, and no pair gets longer. A point re-snaps only
// when the road it sits on is closed (od_points_reseated).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
namespace test = plan::test;

namespace {
fs::path city() { return test::source_dir() / "data" / "sample-city"; }

json scenario_od(const fs::path& out, const std::string& name) {
    const json cmp = json::parse(test::read_file(out / "comparison.json"));
    REQUIRE(cmp["scenarios"].contains(name));
    return cmp["scenarios"][name]["od"];
}
} // namespace

TEST_CASE("a candidates selection as a scenario keeps the OD seats: the same saving to the mm, no pair longer",
          "[scenario][candidates]") {
    const fs::path dir = test::scratch_dir("scenario-seats");
    const std::string roads = (city() / "roads.gpkg").string();
    const std::string parcels = (city() / "landuse.gpkg").string() + "|layername=parcels";
    const auto c = test::run_plan("candidates " + test::quote(roads) + " --parcels " + test::quote(parcels) +
                                  " --budget-km 1 -o " + test::quote((dir / "links.gpkg").string()) + " --json --quiet");
    INFO(c.err);
    REQUIRE(c.exit_code == 0);
    const json cj = json::parse(c.out);
    const auto& sel = cj["selection"];
    REQUIRE(sel["picks"].get<int>() >= 2);
    const auto cand_mm = std::llround(sel["od_saving_m"].get<double>() * 1000.0);
    REQUIRE(cand_mm > 0);

    test::write_file(dir / "plan.toml", "[study]\nname = \"seats\"\n\n[inputs]\nroads = [" +
                                            json(roads).dump() + "]\nparcels = " + json(parcels).dump() +
                                            "\n\n[centrality]\nenabled = false\n\n[od]\npairs = 1000\nseed = 1\n");
    test::write_file(dir / "sel.toml", "name = \"sel\"\n\n[[add]]\nlayer = \"links.gpkg|layername=selection\"\n"
                                       "snap = 0.01\n");
    const auto r = test::run_plan("compare " + test::quote((dir / "plan.toml").string()) + " " +
                                  test::quote((dir / "sel.toml").string()) + " -o " + test::quote((dir / "out").string()) +
                                  " --quiet");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const json od = scenario_od(dir / "out", "sel");
    CHECK(od["pairs"] == cj["od"]["pairs"]);
    CHECK(od["total_saving_mm"].get<std::int64_t>() == cand_mm);
    CHECK(od["worse"] == 0);
    CHECK(od["od_points_reseated"] == 0);
}

namespace {
std::string road(const std::string& name, double x0, double y0, double x1, double y1) {
    return "{\"type\":\"Feature\",\"properties\":{\"name\":\"" + name + "\",\"highway\":\"residential\"},"
           "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[" + std::to_string(x0) + "," + std::to_string(y0) +
           "],[" + std::to_string(x1) + "," + std::to_string(y1) + "]]}}";
}
std::string point(double x, double y) {
    return "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[" +
           std::to_string(x) + "," + std::to_string(y) + "]}}";
}
std::string collection(const std::string& features) {
    return "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
           "\"urn:ogc:def:crs:EPSG::4548\"}},\"features\":[" + features + "]}";
}
} // namespace

TEST_CASE("scenario OD points: a new road nearer a point does not move it and a closed road re-seats its points",
          "[scenario]") {
    // A 400 m square block; origins just inside its south side, destinations
    // inside its north side. Scenario `near`: a road 2 m inside the south side,
    // nearer the origins than the south road (which it does not touch), plus a
    // cross street splitting the south road. Scenario `closed`: the south road
    // closed, so the origins on it re-snap.
    const fs::path dir = test::scratch_dir("scenario-seats-closed");
    const double x = 470000, y = 4070000;
    std::string roads = road("南路", x, y, x + 400, y) + "," + road("东路", x + 400, y, x + 400, y + 400) + ",";
    roads += road("北路", x + 400, y + 400, x, y + 400) + "," + road("西路", x, y + 400, x, y);
    test::write_file(dir / "roads.geojson", collection(roads));
    test::write_file(dir / "orig.geojson", collection(point(x + 100, y + 5) + "," + point(x + 300, y + 5)));
    test::write_file(dir / "dest.geojson", collection(point(x + 150, y + 395) + "," + point(x + 250, y + 395)));
    test::write_file(dir / "near.geojson",
                     collection(road("近路", x + 50, y + 3, x + 350, y + 3) + "," + road("中路", x + 200, y, x + 200, y + 400)));
    test::write_file(dir / "plan.toml", "[study]\nname = \"seats\"\n\n[inputs]\nroads = [\"roads.geojson\"]\n"
                                        "od_origins = \"orig.geojson\"\nod_destinations = \"dest.geojson\"\n\n"
                                        "[network]\nclasses = \"all\"\n\n[centrality]\nenabled = false\n");
    test::write_file(dir / "near.toml", "name = \"near\"\n\n[[add]]\nlayer = \"near.geojson\"\nsnap = 0.01\n");
    test::write_file(dir / "closed.toml", "name = \"closed\"\n\n[[close]]\nnames = [\"南路\"]\n");
    const auto r = test::run_plan("compare " + test::quote((dir / "plan.toml").string()) + " " +
                                  test::quote((dir / "near.toml").string()) + " " + test::quote((dir / "closed.toml").string()) +
                                  " -o " + test::quote((dir / "out").string()) + " --export-networks --quiet");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const json near = scenario_od(dir / "out", "near");
    const json closed = scenario_od(dir / "out", "closed");
    CHECK(near["pairs"] == 4);
    CHECK(near["od_points_reseated"] == 0);
    CHECK(near["worse"] == 0);
    // 中路 splits 南路: the origins stay on its pieces (2 m from 近路, 5 m from 南路); NetworkX checks the mm below
    CHECK(near["total_saving_mm"].get<std::int64_t>() > 0);
    CHECK(closed["od_points_reseated"] == 2);
    CHECK(closed["compared"] == 4); // re-seated on 西路 / 东路: still connected
    for (const std::string name : {"near", "closed"}) {
        const auto py = test::run_python((test::source_dir() / "scripts" / "compare_scenario_networkx.py").string() + " " +
                                         test::quote((dir / "out").string()) + " " + name);
        INFO(name << ": " << py.out << py.err);
        CHECK(py.exit_code == 0);
        CHECK(py.out.find("4 pairs checked, 0 differ") != std::string::npos);
    }
}
