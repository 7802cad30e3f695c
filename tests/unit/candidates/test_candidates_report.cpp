// What a new user reads in `plan candidates` output, on tiny hand-made networks:
// ramps are not met at grade by default, the target's class is shown, unnamed
// roads are named by their class, links that only newly connect pairs rank
// first among equal scores, reach gains are whole millimetres, the greedy
// selection never picks a link without gain and says why it stopped, and the
// labels give the units (score, cost, share of pairs, undirected distances).
#include <catch2/catch.hpp>

#include "../network/network_fixtures.hpp"

#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

#include "plan/candidates.hpp"
#include "plan/network_build.hpp"
#include "plan/od.hpp"
#include "test_support.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {

/// A dead end at (0, 0) from the west, a road `middle_highway` at x = 50 and 东环路 (primary) at x = 100.
Network ramp_city(const std::string& middle_highway) {
    return build_network(make_roads({Road(LineString{{-300, 0}, {0, 0}}, "residential", "西街"),
                                     Road(LineString{{-300, -500}, {-300, 500}}, "primary", "西环路"),
                                     Road(LineString{{50, -600}, {50, 600}}, middle_highway, "出口"),
                                     Road(LineString{{100, -500}, {100, 500}}, "primary", "东环路"),
                                     Road(LineString{{-300, 500}, {100, 500}}, "primary", "北环路")}),
                         BuildOptions{});
}

/// Block A (a 200 m square) with a spur inside it from the west side that ends
/// 50 m short of the east side, and a separate road B at x = 400. The OD pairs
/// are one A–A pair that no link shortens and one A–B pair, disconnected on
/// the base network: the spur's link saves nothing and connects nothing, a
/// link from B's ends saves nothing and newly connects the A–B pair.
struct TwoPieces {
    Network net;
    OdPairs od;
};

TwoPieces two_pieces() {
    TwoPieces t;
    t.net = build_network(make_roads({Road(LineString{{0, 0}, {200, 0}}, "residential", "南路"),
                                      Road(LineString{{200, 0}, {200, 200}}, "residential", "东路"),
                                      Road(LineString{{200, 200}, {0, 200}}, "residential", "北路"),
                                      Road(LineString{{0, 200}, {0, 100}}, "residential", "西路"),
                                      Road(LineString{{0, 100}, {0, 0}}, "residential", "西路"),
                                      Road(LineString{{0, 100}, {150, 100}}, "residential", "内巷"),
                                      Road(LineString{{400, -60}, {400, 260}}, "residential", "外路")}),
                          BuildOptions{});
    t.od = od_product({{0.5, 1.0}}, {{0.5, 199.0}, {401.0, 100.0}}, "test points");
    return t;
}

} // namespace

TEST_CASE("candidates: ramps (匝道) are neither joined nor crossed at grade by default", "[candidates]") {
    const Network ground = ramp_city("motorway_link");
    const OdPairs od = draw_od_pairs(node_points(ground), 50, 1, "n");
    CandidateResult r = plan_candidates(ground, od, {}, {});
    CHECK(r.no_at_grade == std::set<RoadClass>{RoadClass::expressway, RoadClass::ramp});
    // the ramp at x = 50 may not be joined, and the link to 东环路 would cross it
    CHECK(r.candidates.empty());
    CHECK(r.rejected.count("crosses a road at grade") == 1);
    CHECK(to_text(r).find("not met or crossed at grade: 快速路, 匝道") != std::string::npos);

    // the former default (expressways only) joins the ramp; the output says so
    CandidateOptions only_expressways;
    only_expressways.no_at_grade = {RoadClass::expressway};
    r = plan_candidates(ground, od, only_expressways, {});
    REQUIRE(r.candidates.size() == 1);
    CHECK(r.candidates[0].target_class == RoadClass::ramp);
    const auto j = nlohmann::json::parse(to_json(r));
    CHECK(j["top"][0]["target_class"] == "ramp");
    CHECK(j["no_at_grade"] == nlohmann::json::array({"expressway"}));
    CHECK(to_text(r).find("-> 出口 (匝道 ramp): 50.0 m") != std::string::npos);

    // with a local road in the middle instead, the link joins it, and the text names its class
    const Network local = ramp_city("residential");
    r = plan_candidates(local, draw_od_pairs(node_points(local), 50, 1, "n"), {}, {});
    REQUIRE(r.candidates.size() == 1);
    CHECK(r.candidates[0].target_class == RoadClass::local);
    CHECK(to_text(r).find("C1 西街 (cul_de_sac) -> 出口 (支路 local)") != std::string::npos);
}

TEST_CASE("candidates: a dead end of a road that may not be met at grade gets no link", "[candidates]") {
    // a ramp that ends 30 m short of a road: linking it would meet the ramp at grade
    const Network net = build_network(make_roads({Road(LineString{{-300, 0}, {0, 0}}, "motorway_link", "入口"),
                                                  Road(LineString{{-300, -500}, {-300, 500}}, "primary"),
                                                  Road(LineString{{30, -500}, {30, 500}}, "primary"),
                                                  Road(LineString{{200, -500}, {200, 500}}, "primary"),
                                                  Road(LineString{{-300, 500}, {30, 500}}, "primary"),
                                                  Road(LineString{{30, 500}, {200, 500}}, "primary")}),
                                      BuildOptions{});
    const OdPairs od = draw_od_pairs(node_points(net), 30, 1, "n");
    CandidateResult r = plan_candidates(net, od, {}, {});
    INFO(to_text(r));
    CHECK(r.candidates.empty());
    CHECK(r.rejected.count("dead end of a 匝道 (not met at grade)") == 1);
    CandidateOptions none;
    none.no_at_grade.clear();
    r = plan_candidates(net, od, none, {});
    CHECK(r.candidates.size() == 1);
}

TEST_CASE("candidates: unnamed roads are shown by their class and never as an empty name", "[candidates]") {
    const Network net = build_network(make_roads({Road(LineString{{-300, 0}, {0, 0}}, "residential"),
                                                  Road(LineString{{-300, -500}, {-300, 500}}, "primary"),
                                                  Road(LineString{{100, -500}, {100, 500}}, "primary"),
                                                  Road(LineString{{-300, 500}, {100, 500}}, "primary")}),
                                      BuildOptions{});
    ScoringOptions sc;
    sc.budget_km = 1;
    const CandidateResult r = plan_candidates(net, draw_od_pairs(node_points(net), 50, 1, "n"), {}, sc);
    REQUIRE(r.candidates.size() == 1);
    REQUIRE(r.picks.size() == 1);
    const std::string text = to_text(r);
    INFO(text);
    CHECK(text.find("C1 unnamed 支路 (cul_de_sac) -> unnamed 主干路: 100.0 m") != std::string::npos);
    CHECK(text.find("1. C1 unnamed 支路 -> unnamed 主干路: 100.0 m") != std::string::npos);
    CHECK(text.find("-> :") == std::string::npos);
    CHECK(text.find("(unnamed)") == std::string::npos);
}

TEST_CASE("candidates: links that only newly connect pairs rank first among equal scores and greedy states why it stops",
          "[candidates]") {
    const TwoPieces t = two_pieces();
    CandidateOptions opt;
    opt.include_boundary = true;
    ScoringOptions sc;
    sc.budget_km = 5;
    CandidateResult r = plan_candidates(t.net, t.od, opt, sc);
    INFO(to_text(r));
    REQUIRE(r.candidates.size() == 3);
    const Candidate* spur = nullptr;
    for (const auto& c : r.candidates) {
        CHECK(c.od_saving_m == 0.0);
        CHECK(c.score_per_unit == 0.0);
        if (c.name == "内巷") spur = &c;
        else CHECK(c.pairs_connected == 1);
    }
    REQUIRE(spur != nullptr);
    CHECK(spur->id == 1); // first in dead-end order, so ranked first by id alone
    CHECK(spur->pairs_connected == 0);
    CHECK(spur->rank == 3);
    for (const auto& c : r.candidates)
        if (&c != spur) CHECK(c.rank < 3);
    // nothing gains under the OD saving: no pick, and the reason
    CHECK(r.picks.empty());
    CHECK(r.stop_reason == "no_gain");
    const std::string text = to_text(r);
    CHECK(text.find("candidates that newly connect pairs: 2") != std::string::npos);
    CHECK(text.find("newly connected 1") != std::string::npos);
    CHECK(text.find("stopped: no candidate that fits the budget left has a positive gain\n") != std::string::npos);
    CHECK(r.stop_over_budget == 0);
    auto j = nlohmann::json::parse(to_json(r));
    CHECK(j["selection"]["stop_reason"] == "no_gain");
    CHECK(j["candidates_newly_connecting"] == 2);
    CHECK(j["top"][0]["newly_connected"] == 1);
    CHECK(j["od_graph"] == "undirected");
    CHECK(text.find("distances ignore one-way rules (undirected network)") != std::string::npos);

    // the components objective picks one link joining B, then nothing joins anything more
    sc.objective = CandidateObjective::components;
    r = plan_candidates(t.net, t.od, opt, sc);
    REQUIRE(r.picks.size() == 1);
    CHECK(r.picks[0].link.name == "外路");
    CHECK(r.picks[0].total_pairs_connected == 1);
    CHECK(r.stop_reason == "no_gain");
    j = nlohmann::json::parse(to_json(r));
    CHECK(j["selection"]["newly_connected"] == 1);

    // a budget smaller than every link: nothing fits
    sc.budget_km = 0.01;
    r = plan_candidates(t.net, t.od, opt, sc);
    CHECK(r.picks.empty());
    CHECK(r.stop_reason == "budget");
    CHECK(r.stop_over_budget == 3);
    CHECK(nlohmann::json::parse(to_json(r))["selection"]["candidates_over_budget"] == 3);
    CHECK(to_text(r).find("stopped: nothing could be spent: the budget (10 m of new road) is smaller than every candidate (the cheapest costs") != std::string::npos);
    CHECK(to_text(r).find("budget exhausted") == std::string::npos);

    // a budget below 1 m reads as itself, not as 0 m
    sc.budget_km = 0.0001;
    r = plan_candidates(t.net, t.od, opt, sc);
    CHECK(r.picks.empty());
    CHECK(to_text(r).find("the budget (0.1 m of new road) is smaller than every candidate") != std::string::npos);
}

TEST_CASE("candidates: reach gains are whole millimetres and picks always gain", "[candidates]") {
    // a jittered grid at fractional coordinates with dead ends stopping short
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> jit(-15.0, 15.0), unit(0.0, 1.0);
    std::vector<Road> roads;
    const int n = 8;
    auto at = [&](int i, int j) { return Point{i * 150.0 + 0.1234 * j, j * 130.0 + 0.5678 * i}; };
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            const Point a = at(i, j);
            if (i + 1 < n) {
                const Point b = at(i + 1, j);
                if (unit(rng) < 0.3) roads.emplace_back(LineString{a, {a.x + 0.7 * (b.x - a.x), a.y + jit(rng) / 10}});
                else roads.emplace_back(LineString{a, b}, "tertiary");
            }
            if (j + 1 < n) roads.emplace_back(LineString{a, at(i, j + 1)}, "residential");
        }
    BuildOptions bo;
    bo.noding = Noding::vertices;
    const Network net = build_network(make_roads(roads), bo);
    ScoringOptions sc;
    sc.objective = CandidateObjective::reach;
    sc.reach_radius_m = 333.3;
    sc.budget_km = 0.6;
    const CandidateResult r = plan_candidates(net, draw_od_pairs(node_points(net), 200, 3, "n"), {}, sc);
    REQUIRE(r.candidates.size() > 8);
    for (const auto& c : r.candidates) {
        INFO("C" << c.id << " reach " << c.reach_gain_m);
        CHECK(static_cast<double>(std::llround(c.reach_gain_m * 1000.0)) / 1000.0 == c.reach_gain_m);
        CHECK(c.score == c.reach_gain_m);
    }
    // ranks: score per unit descending, then newly connected pairs, then id
    std::vector<const Candidate*> by_rank;
    for (const auto& c : r.candidates) by_rank.push_back(&c);
    std::sort(by_rank.begin(), by_rank.end(), [](auto a, auto b) { return a->rank < b->rank; });
    for (std::size_t k = 1; k < by_rank.size(); ++k) {
        const Candidate &a = *by_rank[k - 1], &b = *by_rank[k];
        CHECK(a.score_per_unit >= b.score_per_unit);
        if (a.score_per_unit == b.score_per_unit) {
            CHECK(a.pairs_connected >= b.pairs_connected);
            if (a.pairs_connected == b.pairs_connected) CHECK(a.id < b.id);
        }
    }
    REQUIRE(!r.picks.empty());
    for (const auto& p : r.picks) CHECK(p.marginal_score > 0);
    CHECK(!r.stop_reason.empty());
    CHECK(to_text(r).find("(score: m of road reachable within 333.3 m of the dead end, gained; per km") !=
          std::string::npos);
    // the reach score is not over OD pairs: the header does not say so
    CHECK(to_text(r).find("OD pairs drawn; mean: per pair drawn") == std::string::npos);
    CHECK(to_text(r).find("per km: score per cost-weighted km (km of new road × bridge factor; 1 at grade)") != std::string::npos);
}

TEST_CASE("candidates: cost and score are labelled with their units", "[candidates]") {
    const Network net = ramp_city("residential");
    const OdPairs od = draw_od_pairs(node_points(net), 50, 1, "n");
    ScoringOptions sc;
    sc.budget_km = 1;
    CandidateResult r = plan_candidates(net, od, {}, sc);
    std::string text = to_text(r);
    INFO(text);
    CHECK(text.find("cost: km of new road (bridges × their factor; no prices given)") != std::string::npos);
    CHECK(text.find("top 1 (score: m of OD distance saved, a total over the 36 OD pairs drawn; mean: per pair drawn; "
                    "per km: score per cost-weighted km (km of new road × bridge factor; 1 at grade)") != std::string::npos);
    CHECK(text.find("% of pairs improved") == std::string::npos); // the old label, without its denominator
    CHECK(text.find("improved: ") != std::string::npos);
    CHECK(text.find(" % of 36 pairs") != std::string::npos);
    auto j = nlohmann::json::parse(to_json(r));
    CHECK(j["cost_unit"] == "km of new road (bridges × their factor; no prices given)");
    CHECK(j["score_unit"] == "m of OD distance saved");
    CHECK(j["per"] == "km");
    CHECK(j["per_unit"] == "cost-weighted km (km of new road × bridge factor; 1 at grade)");
    CHECK(text.find("objective: od_saving per cost-weighted km (km × bridge factor)") != std::string::npos);

    sc.cost_per_km = {{RoadClass::local, 3000.0}};
    sc.cost_unit = "万元";
    r = plan_candidates(net, od, {}, sc);
    text = to_text(r);
    CHECK(text.find("cost: 万元") != std::string::npos);
    CHECK(text.find("per 万元: score per 万元 (km × cost per km of the link's class × bridge factor)") !=
          std::string::npos);
    CHECK(text.find(", cost 150.000 万元,") != std::string::npos); // 50 m at 3000 per km
    j = nlohmann::json::parse(to_json(r));
    CHECK(j["cost_unit"] == "万元");
    CHECK(j["per"] == "cost");
    CHECK(j["per_unit"] == "万元 (km × cost per km of the link's class × bridge factor)");
}

TEST_CASE("candidates cli: --cost-unit labels the money, --no-at-grade help states the default", "[candidates][cli]") {
    const auto dir = plan::test::scratch_dir("candidates_cost_unit");
    auto line = [](const std::string& name, const std::string& hw, double x0, double y0, double x1, double y1) {
        return "{\"type\":\"Feature\",\"properties\":{\"name\":\"" + name + "\",\"highway\":\"" + hw +
               "\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[" + std::to_string(x0) + "," +
               std::to_string(y0) + "],[" + std::to_string(x1) + "," + std::to_string(y1) + "]]}}";
    };
    const double x = 470000, y = 4070000;
    plan::test::write_file(
        dir / "roads.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
        "\"urn:ogc:def:crs:EPSG::4548\"}},\"features\":[" +
            line("西街", "residential", x - 300, y, x, y) + "," + line("西环路", "primary", x - 300, y - 500, x - 300, y + 500) +
            "," + line("东环路", "primary", x + 100, y - 500, x + 100, y + 500) + "," +
            line("北环路", "primary", x - 300, y + 500, x + 100, y + 500) + "]}");
    const auto r = plan::test::run_plan("candidates " + plan::test::quote((dir / "roads.geojson").string()) +
                                        " --cost 支路=3000 --cost-unit 元 --budget 1000 --pairs 20 -q");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("cost: 元\n") != std::string::npos);
    CHECK(r.out.find("-> 东环路 (主干路 arterial): 100.0 m") != std::string::npos);
    CHECK(r.out.find("cost 300.000 元,") != std::string::npos);
    const auto h = plan::test::run_plan("help candidates");
    CHECK(h.out.find("default 快速路 and 匝道") != std::string::npos);
    CHECK(plan::test::run_plan("candidates " + plan::test::quote((dir / "roads.geojson").string()) + " --cost-unit ''")
              .exit_code == 2);
}

TEST_CASE("candidates cli: --barriers takes |layerid=N like every layer option, a missing index is a usage error",
          "[candidates]") {
    const auto city = plan::test::source_dir() / "data" / "sample-city";
    const std::string roads = plan::test::quote((city / "roads.gpkg").string());
    const std::string barriers = (city / "barriers.gpkg").string();
    const auto ok = plan::test::run_plan("candidates " + roads + " --barriers " + plan::test::quote(barriers + "|layerid=0") +
                                         " --pairs 20 --limit 3 -q");
    INFO(ok.out << ok.err);
    CHECK(ok.exit_code == 0);
    CHECK(ok.err.find("no such file") == std::string::npos);
    const auto by_index = plan::test::run_plan("candidates " + roads + " --barriers " +
                                               plan::test::quote(barriers + "|layerid=99") + " --pairs 20 -q");
    const auto by_name = plan::test::run_plan("candidates " + roads + " --barriers " +
                                              plan::test::quote(barriers + "|layername=nosuch") + " --pairs 20 -q");
    INFO(by_index.err << by_name.err);
    CHECK(by_index.exit_code == 2);
    CHECK(by_name.exit_code == 2);
    CHECK(by_index.err.find("no layer '99'") != std::string::npos);
    const auto hint = plan::test::run_plan("candidates " + roads + " --no-at-grade motorway");
    CHECK(hint.exit_code == 2);
    CHECK(hint.err.find("valid classes: 快速路 (expressway)") != std::string::npos);
}

TEST_CASE("candidates: with every dead end on the boundary the text says why, no empty top list", "[candidates]") {
    CandidateResult r;
    r.dead_ends = 4;
    r.dead_ends_considered = 0;
    r.od_pairs = 10;
    const std::string text = to_text(r);
    INFO(text);
    CHECK(text.find("no candidates: all 4 dead ends are on the boundary of the study area") != std::string::npos);
    CHECK(text.find("top ") == std::string::npos);
}
