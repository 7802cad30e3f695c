// The issue's worked examples and hand-computed tables for every scoring rule.
#include <catch2/catch.hpp>

#include <cmath>

#include "landuse/scoring.hpp"
#include "landuse_fixtures.hpp"

using namespace plan::landuse;
using namespace landuse_test;

namespace {

Evaluation run(const std::string& method_text, const plan::Layer& t) {
    const Method m = parse_method(method_text, "test.toml");
    Inputs in;
    in.enterprises = &t;
    return evaluate(m, in);
}

double round3(double x) { return std::round(x * 1000.0) / 1000.0; }

const char* kTaxPerMu = R"([[group.indicator]]
id = "tax_per_mu"
name = "亩均税收"
expr = "tax / land_mu"
weight = 100
)";

} // namespace

TEST_CASE("worked example 1: one indicator, rank shares 20/75/95", "[landuse][scoring][worked-example]") {
    const auto t = table({"id", "tax", "land"}, {{T("E1"), N(100), N(10)},
                                                {T("E2"), N(60), N(4)},
                                                {T("E3"), N(30), N(6)},
                                                {T("E4"), N(8), N(8)},
                                                {T("E5"), N(40), N(5)}});
    const auto e = run(one_group_method(kTaxPerMu, "{ by = \"rank_share\", limits = [0.20, 0.75, 0.95] }"), t);
    const std::vector<std::tuple<std::string, double, int, std::string>> want{
        {"E1", 10.0, 2, "B"}, {"E2", 15.0, 1, "A"}, {"E3", 5.0, 4, "C"}, {"E4", 1.0, 5, "D"}, {"E5", 8.0, 3, "B"}};
    for (const auto& [id, per_mu, rank, cls] : want) {
        const auto& r = by_id(e, id);
        INFO(id << ": " << r.rule);
        CHECK(r.status == Status::graded);
        REQUIRE(r.indicators.at(0).value);
        CHECK(*r.indicators[0].value == Approx(per_mu).epsilon(1e-12));
        CHECK(r.rank == rank);
        CHECK(r.cls == cls);
        CHECK(r.group_size == 5);
    }
    // The boundaries: floor(5 x 0.2) = 1, floor(5 x 0.75) = 3, floor(5 x 0.95) = 4.
    CHECK(by_id(e, "E2").rule == "rank 1 of 5 <= floor(5 x 0.2) = 1 -> A");
    CHECK(by_id(e, "E5").rule == "rank 3 of 5 <= floor(5 x 0.75) = 3 -> B");
    CHECK(by_id(e, "E4").rule == "rank 5 of 5 > floor(5 x 0.95) = 4 -> D");
}

TEST_CASE("worked example 2: benchmark ratio, mean benchmark, cap 2 x weight", "[landuse][scoring][worked-example]") {
    // land 2 mu each, so tax/mu and VA/mu are the issue's figures.
    const auto t = table({"id", "tax", "va", "land"}, {{T("E1"), N(20), N(100), N(2)},
                                                      {T("E2"), N(40), N(60), N(2)},
                                                      {T("E3"), N(150), N(20), N(2)}});
    const auto e = run(one_group_method(R"([[group.indicator]]
id = "tax_per_mu"
name = "亩均税收"
expr = "tax / land_mu"
weight = 60
cap_factor = 2
[[group.indicator]]
id = "va_per_mu"
name = "亩均增加值"
expr = "va / land_mu"
weight = 40
cap_factor = 2
)", "{ by = \"rank_share\", limits = [0.20, 0.60, 0.95] }"), t);
    REQUIRE(e.groups.size() == 1);
    CHECK(*e.groups[0].indicators[0].benchmark == Approx(35.0));
    CHECK(*e.groups[0].indicators[1].benchmark == Approx(30.0));
    CHECK(e.groups[0].indicators[0].capped == 1);
    const auto& e1 = by_id(e, "E1");
    const auto& e2 = by_id(e, "E2");
    const auto& e3 = by_id(e, "E3");
    CHECK(round3(*e1.indicators[0].sub_score) == 17.143);
    CHECK(round3(*e1.indicators[1].sub_score) == 66.667);
    CHECK(round3(*e1.score) == 83.810);
    CHECK(*e1.score == Approx(60.0 * 10 / 35 + 40.0 * 50 / 30).epsilon(1e-12));
    CHECK(round3(*e2.indicators[0].sub_score) == 34.286);
    CHECK(*e2.indicators[1].sub_score == Approx(40.0));
    CHECK(round3(*e2.score) == 74.286);
    CHECK(e3.indicators[0].capped);
    CHECK(*e3.indicators[0].sub_score == 120.0);
    CHECK_THAT(e3.indicators[0].note, Catch::Contains("capped from 128.571"));
    CHECK(round3(*e3.indicators[1].sub_score) == 13.333);
    CHECK(round3(*e3.score) == 133.333);
    CHECK(e3.rank == 1);
    CHECK(e1.rank == 2);
    CHECK(e2.rank == 3);
}

TEST_CASE("min-max with a floor: weight x (20 + 80 x (x - min)/(max - min)) / 100", "[landuse][scoring]") {
    // tax/mu: 2, 6, 10 -> t = 0, 0.5, 1 -> 50 x (20, 60, 100)/100 = 10, 30, 50.
    const auto t = table({"id", "tax", "land"}, {{T("a"), N(4), N(2)}, {T("b"), N(12), N(2)}, {T("c"), N(20), N(2)}});
    const auto e = run(one_group_method(R"([[group.indicator]]
id = "tax_per_mu"
expr = "tax / land_mu"
weight = 50
form = "min_max"
)", "{ by = \"threshold\", limits = [45, 25, 15] }"), t);
    CHECK(*by_id(e, "a").score == Approx(10.0));
    CHECK(*by_id(e, "b").score == Approx(30.0));
    CHECK(*by_id(e, "c").score == Approx(50.0));
    CHECK(by_id(e, "c").cls == "A");
    CHECK(by_id(e, "b").cls == "B");
    CHECK(by_id(e, "a").cls == "D");
    CHECK(by_id(e, "b").rule == "score 30 >= 25 -> B");
    CHECK(by_id(e, "a").rule == "score 10 < 15 -> D");
    CHECK(*e.groups[0].indicators[0].min == 2.0);
    CHECK(*e.groups[0].indicators[0].max == 10.0);
}

TEST_CASE("min-max with a custom floor and a cap", "[landuse][scoring]") {
    // floor 40: t = 0, 0.25, 1 -> 40, 55, 100 (x 1); cap 90.
    const auto t = table({"id", "x", "land"}, {{T("a"), N(0), N(1)}, {T("b"), N(1), N(1)}, {T("c"), N(4), N(1)}});
    const auto e = run(one_group_method(R"([[group.indicator]]
id = "x"
expr = "x"
weight = 100
form = "min_max"
floor = 40
cap = 90
)", "{ by = \"threshold\", limits = [80, 50, 45] }"), t);
    CHECK(*by_id(e, "a").score == Approx(40.0));
    CHECK(*by_id(e, "b").score == Approx(55.0));
    CHECK(*by_id(e, "c").score == 90.0);
    CHECK(by_id(e, "c").indicators[0].capped);
}

TEST_CASE("benchmarks: fixed, median, percentile", "[landuse][scoring]") {
    // values 1, 2, 4, 9: median 3, 75th percentile (linear) = 4 + 0.25 x 5 = 5.25.
    const auto t = table({"id", "x", "land"}, {{T("a"), N(1), N(1)}, {T("b"), N(2), N(1)}, {T("c"), N(4), N(1)}, {T("d"), N(9), N(1)}});
    auto method = [](const std::string& bench) {
        return one_group_method("[[group.indicator]]\nid = \"x\"\nexpr = \"x\"\nweight = 10\n" + bench + "\n",
                                "{ by = \"rank_share\", limits = [0.25, 0.5, 0.75] }");
    };
    auto e = run(method("benchmark = 8"), t);
    CHECK(*e.groups[0].indicators[0].benchmark == 8.0);
    CHECK(e.groups[0].indicators[0].benchmark_kind == "fixed");
    CHECK(*by_id(e, "d").score == Approx(10.0 * 9 / 8));
    e = run(method("benchmark = \"median\""), t);
    CHECK(*e.groups[0].indicators[0].benchmark == Approx(3.0));
    CHECK(*by_id(e, "c").score == Approx(10.0 * 4 / 3));
    e = run(method("benchmark = \"percentile\"\npercentile = 75"), t);
    CHECK(*e.groups[0].indicators[0].benchmark == Approx(5.25));
    CHECK(*by_id(e, "a").score == Approx(10.0 / 5.25));
    CHECK(percentile({1, 2, 4, 9}, 0) == 1.0);
    CHECK(percentile({1, 2, 4, 9}, 100) == 9.0);
    CHECK(percentile({7}, 30) == 7.0);
}

TEST_CASE("tied scores all take the better class", "[landuse][scoring]") {
    // Ten enterprises, A = floor(10 x 0.2) = 2. c and d tie at rank 2, e ties with them at 2:
    // all three are A; the ranks 1, 2, 2, 2, 5, ...
    const auto t = table({"id", "tax", "land"}, {{T("a"), N(100), N(1)}, {T("b"), N(90), N(1)}, {T("c"), N(90), N(1)},
                                                {T("d"), N(90), N(1)}, {T("e"), N(50), N(1)}, {T("f"), N(40), N(1)},
                                                {T("g"), N(30), N(1)}, {T("h"), N(20), N(1)}, {T("i"), N(10), N(1)},
                                                {T("j"), N(10), N(1)}});
    const auto e = run(one_group_method(kTaxPerMu, "{ by = \"rank_share\", limits = [0.20, 0.60, 0.90] }"), t);
    CHECK(by_id(e, "a").cls == "A");
    for (const char* id : {"b", "c", "d"}) {
        CHECK(by_id(e, id).rank == 2);
        CHECK(by_id(e, id).cls == "A");
    }
    CHECK(by_id(e, "d").rule == "tied with rank 2: rank 2 of 10 <= floor(10 x 0.2) = 2 -> A");
    CHECK(by_id(e, "e").rank == 5);
    CHECK(by_id(e, "e").cls == "B");
    CHECK(by_id(e, "f").cls == "B"); // rank 6 <= floor(6)
    CHECK(by_id(e, "g").cls == "C");
    CHECK(by_id(e, "h").cls == "C");
    // i and j tie at rank 9 <= floor(9): both C, no D at all.
    CHECK(by_id(e, "i").rank == 9);
    CHECK(by_id(e, "j").rank == 9);
    CHECK(by_id(e, "j").cls == "C");
    CHECK(e.groups[0].classes.count("D") == 0);
}

TEST_CASE("class boundary uses floor(n x p), with 20 x 0.95 = 19", "[landuse][scoring]") {
    std::vector<std::vector<plan::FieldValue>> rows;
    for (int i = 1; i <= 20; ++i) rows.push_back({T(("e" + std::to_string(100 + i)).c_str()), N(100.0 - i), N(1)});
    const auto e = run(one_group_method(kTaxPerMu, "{ by = \"rank_share\", limits = [0.20, 0.60, 0.95] }"),
                       table({"id", "tax", "land"}, rows));
    CHECK(by_id(e, "e104").cls == "A");
    CHECK(by_id(e, "e105").cls == "B");
    CHECK(by_id(e, "e112").cls == "B");
    CHECK(by_id(e, "e113").cls == "C");
    CHECK(by_id(e, "e119").cls == "C");
    CHECK(by_id(e, "e120").cls == "D");
    // Rounded down: 7 enterprises -> A = floor(1.4) = 1, B to floor(4.2) = 4, C to floor(6.65) = 6.
    rows.resize(7);
    const auto f = run(one_group_method(kTaxPerMu, "{ by = \"rank_share\", limits = [0.20, 0.60, 0.95] }"),
                       table({"id", "tax", "land"}, rows));
    CHECK(f.groups[0].classes.at("A") == 1);
    CHECK(f.groups[0].classes.at("B") == 3);
    CHECK(f.groups[0].classes.at("C") == 2);
    CHECK(f.groups[0].classes.at("D") == 1);
}

TEST_CASE("missing values: exclude, zero, group average sub-score", "[landuse][scoring]") {
    // x/mu: 10, 20, 30 (one blank y), sub-scores weight 30 x value / mean.
    const auto t = table({"id", "x", "y", "z", "land"}, {{T("a"), N(10), N(5), N(1), N(1)},
                                                        {T("b"), N(20), Blank(), N(2), N(1)},
                                                        {T("c"), N(30), N(15), Blank(), N(1)},
                                                        {T("d"), N(40), N(10), N(3), Blank()}});
    const auto e = run(one_group_method(R"([[group.indicator]]
id = "x"
expr = "x / land_mu"
weight = 30
[[group.indicator]]
id = "y"
expr = "y"
weight = 30
missing = "group_average"
[[group.indicator]]
id = "z"
expr = "z"
weight = 40
missing = "zero"
)", "{ by = \"rank_share\", limits = [0.3, 0.6, 0.9] }"), t);
    // d has no land: not evaluated at all.
    CHECK(by_id(e, "d").status == Status::excluded);
    CHECK(by_id(e, "d").reason == "no_land_area");
    // x: mean 20 -> 15, 30, 45. y: a 5, c 15, mean 10 -> 15, 45; b gets (15 + 45) / 2 = 30.
    // z: a 1, b 2 mean 1.5 -> 26.667, 53.333; c gets 0.
    const auto& b = by_id(e, "b");
    CHECK(*b.indicators[1].sub_score == Approx(30.0));
    CHECK_THAT(b.indicators[1].note, Catch::Contains("group average sub-score of 2"));
    CHECK(*by_id(e, "c").indicators[2].sub_score == 0.0);
    CHECK(*by_id(e, "a").score == Approx(15 + 15 + 40.0 / 1.5));
    CHECK(*b.score == Approx(30 + 30 + 80.0 / 1.5));
    CHECK(*by_id(e, "c").score == Approx(45 + 45 + 0));
    CHECK(e.groups[0].indicators[1].missing == 1);
    CHECK(e.excluded_by_reason.at("no_land_area") == 1);
}

TEST_CASE("veto caps the class, protection floors it, and the rule says so", "[landuse][scoring]") {
    const auto t = table({"id", "tax", "land", "accident", "new"},
                         {{T("top"), N(100), N(1), T("是"), Blank()},  {T("second"), N(90), N(1), T("否"), Blank()},
                          {T("third"), N(80), N(1), Blank(), Blank()}, {T("fourth"), N(70), N(1), Blank(), Blank()},
                          {T("last"), N(1), N(1), Blank(), N(1)}});
    const auto e = run(one_group_method(kTaxPerMu, "{ by = \"rank_share\", limits = [0.20, 0.60, 0.80] }") +
                           "[[veto]]\nname = \"安全事故\"\nwhen = \"accident\"\nbest = \"C\"\n"
                           "[[protect]]\nname = \"新建\"\nwhen = \"new\"\nworst = \"C\"\n",
                       t);
    const auto& top = by_id(e, "top");
    CHECK(top.rank == 1);
    CHECK(top.cls == "C");
    CHECK(top.rule == "rank 1 of 5 <= floor(5 x 0.2) = 1 -> A; veto '安全事故': at best C");
    CHECK(by_id(e, "second").cls == "B"); // the veto frees no place: classes follow rank
    const auto& last = by_id(e, "last");
    CHECK(last.rank == 5);
    CHECK(last.cls == "C");
    CHECK_THAT(last.rule, Catch::EndsWith("-> D; protection '新建': at worst C"));
}

TEST_CASE("same_score treats float noise as a tie", "[landuse][scoring]") {
    CHECK(same_score(0.1 + 0.2, 0.3));
    CHECK_FALSE(same_score(83.81, 83.82));
}
