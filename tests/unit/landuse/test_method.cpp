#include <catch2/catch.hpp>

#include "plan/error.hpp"
#include "plan/landuse.hpp"
#include "test_support.hpp"

using namespace plan::landuse;

namespace {

plan::config_error method_error(const std::string& text) {
    try {
        (void)parse_method(text, "bad.toml");
    } catch (const plan::config_error& e) {
        return e;
    }
    FAIL("no config_error for:\n" << text);
    throw std::logic_error("unreachable");
}

const std::string kMinimal = R"([method]
name = "m"
[[group]]
id = "g"
classes = { by = "threshold", limits = [90, 70, 50] }
[[group.indicator]]
id = "t"
expr = "tax / land_mu"
weight = 100
)";

} // namespace

TEST_CASE("the built-in methods equal data/methods/*.toml", "[landuse][method]") {
    for (const auto& name : builtin_method_names())
        CHECK(builtin_method_text(name) ==
              plan::test::read_file(plan::test::source_dir() / "data" / "methods" / (name + ".toml")));
}

TEST_CASE("zhejiang: weights, mean benchmark, cap 2 x weight, emission gets the group average", "[landuse][method]") {
    const Method m = load_method("zhejiang");
    CHECK(m.source == "builtin:zhejiang");
    REQUIRE(m.groups.size() == 2);
    const auto& above = m.groups[0];
    CHECK(above.name == "规上");
    REQUIRE(above.indicators.size() == 6);
    const std::vector<std::pair<std::string, double>> want{{"亩均税收", 30}, {"亩均增加值", 20}, {"单位能耗增加值", 20},
                                                           {"单位排放增加值", 10}, {"全员劳动生产率", 10}, {"研发经费投入强度", 10}};
    double total = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        CHECK(above.indicators[i].name == want[i].first);
        CHECK(above.indicators[i].weight == want[i].second);
        CHECK(above.indicators[i].form == ScoringForm::benchmark_ratio);
        CHECK(above.indicators[i].benchmark == BenchmarkKind::mean);
        REQUIRE(above.indicators[i].cap);
        CHECK(*above.indicators[i].cap == 2 * want[i].second);
        total += want[i].second;
    }
    CHECK(total == 100);
    CHECK(above.indicators[3].missing == MissingRule::group_average);
    CHECK(above.classes.by == ClassBy::rank_share);
    CHECK(above.classes.limits == std::vector<double>{0.20, 0.60, 0.95});
    const auto& below = m.groups[1];
    CHECK(below.name == "规下");
    CHECK(below.min_land_mu == 3.0);
    REQUIRE(below.indicators.size() == 1);
    CHECK(below.indicators[0].weight == 100);
    REQUIRE(m.vetoes.size() == 1);
    CHECK(m.vetoes[0].limit == "C");
    REQUIRE(m.protections.size() == 1);
    CHECK(m.protections[0].limit == "C");
}

TEST_CASE("shandong: min-max with a floor of 20, 20 each, rank shares 20/75/95", "[landuse][method]") {
    const Method m = load_method("shandong");
    const auto& above = m.groups.at(0);
    REQUIRE(above.indicators.size() == 5);
    for (const auto& ind : above.indicators) {
        CHECK(ind.form == ScoringForm::min_max);
        CHECK(ind.floor == 20.0);
        CHECK(ind.weight == 20.0);
        CHECK_FALSE(ind.cap);
    }
    CHECK(above.indicators[0].name == "单位用地税收");
    CHECK(above.classes.limits == std::vector<double>{0.20, 0.75, 0.95});
    CHECK(m.groups.at(1).indicators.size() == 1);
    CHECK(m.groups.at(1).min_land_mu == 3.0);
}

TEST_CASE("a minimal method parses with defaults", "[landuse][method]") {
    const Method m = parse_method(kMinimal, "min.toml");
    CHECK(m.class_names == std::vector<std::string>{"A", "B", "C", "D"});
    CHECK(m.area == AreaSource::table_else_geometry);
    CHECK(m.shared == SharedParcel::combine);
    CHECK(m.groups[0].classes.by == ClassBy::threshold);
    CHECK(m.groups[0].indicators[0].missing == MissingRule::exclude);
}

TEST_CASE("TOML syntax errors report file and line", "[landuse][method][bad-input]") {
    const auto e = method_error("[method]\nname = \"m\"\n\n[[group]\nid = \"g\"\n");
    CHECK(e.context().file == "bad.toml");
    REQUIRE(e.context().line);
    CHECK(*e.context().line == 4);
    CHECK_THAT(std::string(e.what()), Catch::Contains("bad.toml: line 4") && Catch::Contains("TOML syntax error"));
}

TEST_CASE("unknown keys, bad values and bad expressions report line and key", "[landuse][method][bad-input]") {
    std::string text = kMinimal;
    text.replace(text.find("weight = 100"), 12, "wieght = 100");
    auto e = method_error(text);
    CHECK(e.context().field == "group[0].indicator[0].wieght");
    CHECK(*e.context().line == 9);
    CHECK_THAT(e.message(), Catch::Contains("unknown key 'wieght'"));

    text = kMinimal;
    text.replace(text.find("tax / land_mu"), 13, "tax / (land_mu");
    e = method_error(text);
    CHECK(*e.context().line == 8);
    CHECK(e.context().field == "group[0].indicator[0].expr");
    CHECK_THAT(e.message(), Catch::Contains("missing ')'"));

    text = kMinimal;
    text.replace(text.find("[90, 70, 50]"), 12, "[90, 70]");
    e = method_error(text);
    CHECK(*e.context().line == 5);
    CHECK_THAT(e.message(), Catch::Contains("needs 3 limits"));

    text = kMinimal;
    text.replace(text.find("[90, 70, 50]"), 12, "[50, 70, 90]");
    CHECK_THAT(method_error(text).message(), Catch::Contains("must decrease"));

    e = method_error(kMinimal + "[[veto]]\nwhen = \"accident\"\nbest = \"E\"\n");
    CHECK(*e.context().line == 12);
    CHECK_THAT(e.message(), Catch::Contains("'E' is not one of the method's classes"));

    e = method_error(kMinimal + "[defaults]\nbenchmark = \"percentile\"\n");
    CHECK_THAT(e.message(), Catch::Contains("needs percentile"));

    e = method_error("[method]\nname = \"m\"\n");
    CHECK_THAT(e.message(), Catch::Contains("at least one [[group]]"));
}

TEST_CASE("an unknown method file or name is a usage error", "[landuse][method][bad-input]") {
    CHECK_THROWS_AS(load_method("/nonexistent/method.toml"), plan::usage_error);
    CHECK_THROWS_AS(builtin_method_text("hebei"), plan::usage_error);
}
