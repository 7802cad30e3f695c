// Closing a road whose end is a dead end is not "opening a dead end": the dead end
// goes with the road and is listed under `closed`, not counted in dead_ends_removed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "plan/scenario.hpp"
#include "plan/study.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace plan;

namespace {

std::string line(const std::string& name, double x0, double y0, double x1, double y1) {
    return "{\"type\":\"Feature\",\"properties\":{\"name\":\"" + name + "\",\"highway\":\"residential\"},"
           "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[" + std::to_string(x0) + "," + std::to_string(y0) +
           "],[" + std::to_string(x1) + "," + std::to_string(y1) + "]]}}";
}

} // namespace

TEST_CASE("scenario: a dead end that goes with a closed road is `closed`, not removed", "[scenario]") {
    const fs::path dir = test::scratch_dir("scenario-closed-dead-ends");
    // A 400 m square block (four roads) with two spurs: 支路甲 from the south-west corner,
    // 支路乙 from the north-east corner, each ending 150 m out in a cul-de-sac.
    const double x = 470000, y = 4070000;
    std::string roads = "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
                        "\"urn:ogc:def:crs:EPSG::4548\"}},\"features\":[";
    roads += line("南路", x, y, x + 400, y) + "," + line("东路", x + 400, y, x + 400, y + 400) + ",";
    roads += line("北路", x + 400, y + 400, x, y + 400) + "," + line("西路", x, y + 400, x, y) + ",";
    roads += line("支路甲", x, y, x - 150, y - 150) + "," + line("支路乙", x + 400, y + 400, x + 550, y + 550) + "]}";
    test::write_file(dir / "roads.geojson", roads);
    test::write_file(dir / "plan.toml", "[study]\nname = \"closed\"\n\n[inputs]\nroads = [\"roads.geojson\"]\n\n"
                                        "[network]\nclasses = \"all\"\n\n[centrality]\nenabled = false\n\n"
                                        "[od]\npairs = 20\n");
    test::write_file(dir / "close.toml", "name = \"close\"\n\n[[close]]\nnames = [\"支路甲\"]\n");

    const StudyConfig config = StudyConfig::from_file((dir / "plan.toml").string());
    const StudyData data = load_study_data(config);
    const BaseEvaluation base = evaluate_base(config, data, 1);
    const ScenarioEvaluation ev = evaluate_scenario(base, load_scenario((dir / "close.toml").string()));
    const auto j = nlohmann::json::parse(ev.json);
    INFO(j["dead_ends"].dump(2));
    CHECK(j["dead_ends"]["base"] == 2);
    CHECK(j["dead_ends"]["scenario"] == 1);
    CHECK(j["dead_ends"]["removed_count"] == 0);
    CHECK(j["dead_ends"]["closed_count"] == 1);
    CHECK(j["dead_ends"]["added_count"] == 0);
    REQUIRE(j["dead_ends"]["closed"].size() == 1);
    CHECK(j["dead_ends"]["closed"][0]["road"] == "支路甲");
    CHECK(ev.figures.dead_ends_removed == 0);
}
