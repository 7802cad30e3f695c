// The share of OD pairs improved has the same denominator in every scenario and
// in `plan candidates`: all pairs drawn (not the pairs connected before and
// after, which change from scenario to scenario); the OD graph is labelled
// undirected. A tiny study: a 400 m block, a road added on its diagonal, and a
// separate road far away whose pairs are never connected.
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

std::string collection(const std::string& features) {
    return "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
           "\"urn:ogc:def:crs:EPSG::4548\"}},\"features\":[" + features + "]}";
}

} // namespace

TEST_CASE("scenario: improved_share is over all pairs drawn and the OD graph is undirected", "[scenario]") {
    const fs::path dir = test::scratch_dir("scenario-od-share");
    const double x = 470000, y = 4070000;
    std::string roads = line("南路", x, y, x + 400, y) + "," + line("东路", x + 400, y, x + 400, y + 400) + ",";
    roads += line("北路", x + 400, y + 400, x, y + 400) + "," + line("西路", x, y + 400, x, y) + ",";
    roads += line("远路", x + 2000, y, x + 2000, y + 300);
    test::write_file(dir / "roads.geojson", collection(roads));
    test::write_file(dir / "diagonal.geojson", collection(line("斜路", x, y, x + 400, y + 400)));
    test::write_file(dir / "plan.toml", "[study]\nname = \"share\"\n\n[inputs]\nroads = [\"roads.geojson\"]\n\n"
                                        "[network]\nclasses = \"all\"\n\n[centrality]\nenabled = false\n\n"
                                        "[od]\npairs = 15\n");
    test::write_file(dir / "diagonal.toml", "name = \"diagonal\"\n\n[[add]]\nlayer = \"diagonal.geojson\"\n");

    const StudyConfig config = StudyConfig::from_file((dir / "plan.toml").string());
    const StudyData data = load_study_data(config);
    const BaseEvaluation base = evaluate_base(config, data, 1);
    const ScenarioEvaluation ev = evaluate_scenario(base, load_scenario((dir / "diagonal.toml").string()));
    const auto j = nlohmann::json::parse(ev.json);
    const auto& od = j["od"];
    INFO(od.dump(2));
    CHECK(od["graph"] == "undirected");
    // the separate road keeps some pairs unconnected, so compared < pairs
    REQUIRE(od["compared"].get<std::int64_t>() < od["pairs"].get<std::int64_t>());
    REQUIRE(od["improved"].get<std::int64_t>() > 0);
    const double share = od["improved"].get<double>() / od["pairs"].get<double>();
    CHECK(od["improved_share"].get<double>() == share);
    CHECK(ev.figures.od_improved_share == share);

    const auto cmp = nlohmann::json::parse(comparison_json({ev}, "od_saving"));
    CHECK(cmp["od_graph"] == "undirected");
    const std::string md = comparison_markdown({ev}, "od_saving");
    CHECK(md.find("od_improved_share: share of all " + od["pairs"].dump() + " OD pairs drawn") != std::string::npos);
    CHECK(md.find("Distances ignore one-way rules (undirected network)") != std::string::npos);
}

TEST_CASE("plan compare: the text table labels the improved share and the undirected distances", "[scenario][cli]") {
    const fs::path dir = test::scratch_dir("scenario-od-share-cli");
    const double x = 470000, y = 4070000;
    std::string roads = line("南路", x, y, x + 400, y) + "," + line("东路", x + 400, y, x + 400, y + 400) + ",";
    roads += line("北路", x + 400, y + 400, x, y + 400) + "," + line("西路", x, y + 400, x, y);
    test::write_file(dir / "roads.geojson", collection(roads));
    test::write_file(dir / "diagonal.geojson", collection(line("斜路", x, y, x + 400, y + 400)));
    test::write_file(dir / "plan.toml", "[study]\nname = \"share\"\n\n[inputs]\nroads = [\"roads.geojson\"]\n\n"
                                        "[network]\nclasses = \"all\"\n\n[centrality]\nenabled = false\n\n"
                                        "[od]\npairs = 6\n");
    test::write_file(dir / "diagonal.toml", "name = \"diagonal\"\n\n[[add]]\nlayer = \"diagonal.geojson\"\n");
    const auto r = test::run_plan("compare " + test::quote((dir / "plan.toml").string()) + " " +
                                  test::quote((dir / "diagonal.toml").string()) + " -o " +
                                  test::quote((dir / "out").string()) + " --quiet");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("improved: % of all 6 OD pairs drawn that got shorter; distances ignore one-way rules "
                     "(undirected network)") != std::string::npos);
    CHECK(r.out.find("cost: 万元 ('-': the study gives no cost per km") != std::string::npos);
}
