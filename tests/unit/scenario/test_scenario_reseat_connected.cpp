// A closure that re-seats an OD point does not make its pairs "newly
// connected" (issue #8, trial finding): a pair counts as newly connected only
// when the same two points had no path on the base network and have one on
// the scenario's. A pair that has a path only because an endpoint was
// re-seated is counted apart, as od.reseated_pairs_connected.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
namespace test = plan::test;

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

TEST_CASE("scenario OD: a closure that re-seats a point does not count its pair as newly connected", "[scenario]") {
    // A 400 m block, and 孤路, a separate road 30 m east of it (its own
    // component). Origin A sits 5 m from 孤路, 25 m from the block's east side;
    // origin B inside the block; one destination inside the block. Base: A's
    // pair has no path, B's has. Scenario `close`: 孤路 closed, so A re-seats
    // on the block (a path now, but not the same point). Scenario `join`: a
    // road from 孤路 to the block: A's pair newly connected, the same points.
    const fs::path dir = test::scratch_dir("scenario-reseat-connected");
    const double x = 470000, y = 4070000;
    std::string roads = road("南路", x, y, x + 400, y) + "," + road("东路", x + 400, y, x + 400, y + 400) + ",";
    roads += road("北路", x + 400, y + 400, x, y + 400) + "," + road("西路", x, y + 400, x, y) + ",";
    roads += road("孤路", x + 430, y + 100, x + 430, y + 300);
    test::write_file(dir / "roads.geojson", collection(roads));
    test::write_file(dir / "orig.geojson", collection(point(x + 425, y + 200) + "," + point(x + 200, y + 5)));
    test::write_file(dir / "dest.geojson", collection(point(x + 200, y + 395)));
    test::write_file(dir / "join.geojson", collection(road("连路", x + 400, y + 150, x + 430, y + 150)));
    test::write_file(dir / "plan.toml", "[study]\nname = \"reseat\"\n\n[inputs]\nroads = [\"roads.geojson\"]\n"
                                        "od_origins = \"orig.geojson\"\nod_destinations = \"dest.geojson\"\n\n"
                                        "[network]\nclasses = \"all\"\n\n[centrality]\nenabled = false\n");
    test::write_file(dir / "close.toml", "name = \"close\"\n\n[[close]]\nnames = [\"孤路\"]\n");
    test::write_file(dir / "join.toml", "name = \"join\"\n\n[[add]]\nlayer = \"join.geojson\"\nsnap = 0.01\n");
    const auto r = test::run_plan("compare " + test::quote((dir / "plan.toml").string()) + " " +
                                  test::quote((dir / "close.toml").string()) + " " +
                                  test::quote((dir / "join.toml").string()) + " -o " +
                                  test::quote((dir / "out").string()) + " --quiet");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const json cmp = json::parse(test::read_file(dir / "out" / "comparison.json"));
    const json close = cmp["scenarios"]["close"]["od"];
    const json join = cmp["scenarios"]["join"]["od"];
    INFO(close.dump(2) << "\n" << join.dump(2));
    CHECK(close["pairs"] == 2);
    CHECK(close["connected_base"] == 1);
    CHECK(close["od_points_reseated"] == 1);
    CHECK(close["connected_scenario"] == 2);      // A has a path from its new seat ...
    CHECK(close["newly_connected"] == 0);         // ... but it is not the same point
    CHECK(close["reseated_pairs_connected"] == 1);
    CHECK(join["od_points_reseated"] == 0);
    CHECK(join["newly_connected"] == 1);          // the same points, no path before, one after
    CHECK(join["reseated_pairs_connected"] == 0);
    // the text table and comparison.md say what newly connected counts
    CHECK(r.out.find("newly_connected: OD pairs with no path before and one after, the same two points") !=
          std::string::npos);
    const std::string md = test::read_file(dir / "out" / "comparison.md");
    INFO(md);
    CHECK(md.find("that have one after, the same two points (a pair with a point re-seated because its road was "
                  "closed is not counted)") != std::string::npos);
}
