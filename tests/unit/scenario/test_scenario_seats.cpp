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
