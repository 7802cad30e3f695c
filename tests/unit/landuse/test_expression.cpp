#include <catch2/catch.hpp>

#include <map>

#include "landuse/expression.hpp"
#include "plan/error.hpp"

using plan::landuse::expr::Expression;
using plan::landuse::expr::Missing;
using plan::landuse::expr::Value;

namespace {

Value eval(const std::string& text, const std::map<std::string, Value>& vars = {}) {
    return Expression::parse(text).evaluate([&](const std::string& name) {
        auto it = vars.find(name);
        return it == vars.end() ? Value::missing(Missing::absent_column, name) : it->second;
    });
}

double number(const std::string& text, const std::map<std::string, Value>& vars = {}) {
    const Value v = eval(text, vars);
    REQUIRE(v.is_number());
    return v.number;
}

std::string parse_error(const std::string& text) {
    try {
        (void)Expression::parse(text);
    } catch (const plan::config_error& e) {
        return e.message();
    }
    return "no error";
}

} // namespace

TEST_CASE("arithmetic follows precedence and parentheses", "[landuse][expression]") {
    CHECK(number("1 + 2 * 3") == 7.0);
    CHECK(number("(1 + 2) * 3") == 9.0);
    CHECK(number("10 - 4 - 3") == 3.0);
    CHECK(number("24 / 4 / 3") == 2.0);
    CHECK(number("-2 * -3") == 6.0);
    CHECK(number("2.5e1 + .5") == 25.5);
    CHECK(number("6 × 7 ÷ 2") == 21.0); // the signs planners type
}

TEST_CASE("identifiers include Chinese names and quoted column names", "[landuse][expression]") {
    const std::map<std::string, Value> vars{{"税收", Value::of(100)}, {"land_mu", Value::of(4)}, {"R&D 经费", Value::of(3)}};
    CHECK(number("税收 / land_mu", vars) == 25.0);
    CHECK(number("`R&D 经费` * 2", vars) == 6.0);
    CHECK(Expression::parse("税收 / land_mu + 税收").identifiers() == std::vector<std::string>{"land_mu", "税收"});
}

TEST_CASE("functions min, max, abs, if, coalesce, round", "[landuse][expression]") {
    const std::map<std::string, Value> vars{{"a", Value::of(3)}, {"b", Value::missing(Missing::blank, "b")}};
    CHECK(number("min(5, a, 4)", vars) == 3.0);
    CHECK(number("max(5, a, 4)", vars) == 5.0);
    CHECK(number("abs(-a)", vars) == 3.0);
    CHECK(number("if(a > 2, 10, 20)", vars) == 10.0);
    CHECK(number("coalesce(b, a)", vars) == 3.0);
    CHECK(number("coalesce(b, 0)", vars) == 0.0);
    CHECK(number("round(2.345, 2)") == Approx(2.35));
}

TEST_CASE("division by zero and blank values give a missing value with its cause", "[landuse][expression]") {
    const std::map<std::string, Value> vars{{"va", Value::of(50)}, {"energy", Value::of(0)},
                                            {"emission", Value::missing(Missing::blank)}, {"name", Value::of_text("x1")}};
    Value v = eval("va / energy", vars);
    CHECK(v.is_missing());
    CHECK(v.cause == Missing::division_by_zero);
    CHECK(v.field == "energy");
    v = eval("va / emission + 1", vars);
    CHECK(v.cause == Missing::blank);
    CHECK(v.field == "emission");
    v = eval("name * 2", vars);
    CHECK(v.cause == Missing::non_numeric);
    v = eval("nosuch + 1", vars);
    CHECK(v.cause == Missing::absent_column);
    // numeric text converts
    CHECK(number("t * 2", {{"t", Value::of_text("2.5")}}) == 5.0);
}

TEST_CASE("conditions: comparisons, and/or/not, yes-no texts", "[landuse][expression]") {
    auto test = [](const std::string& text, const std::map<std::string, Value>& vars) {
        return Expression::parse(text).test([&](const std::string& n) {
            auto it = vars.find(n);
            return it == vars.end() ? Value::missing(Missing::absent_column, n) : it->second;
        });
    };
    CHECK(test("accident", {{"accident", Value::of_text("是")}}));
    CHECK_FALSE(test("accident", {{"accident", Value::of_text("否")}}));
    CHECK_FALSE(test("accident", {{"accident", Value::missing(Missing::blank)}}));
    CHECK(test("year >= 2024 and not closed", {{"year", Value::of(2024)}, {"closed", Value::of(0)}}));
    CHECK_FALSE(test("year >= 2024 && closed", {{"year", Value::of(2024)}, {"closed", Value::of(0)}}));
    CHECK(test("kind == \"规上\" or x > 1", {{"kind", Value::of_text("规上")}, {"x", Value::missing(Missing::blank)}}));
    CHECK(test("x > 1 || kind != '规下'", {{"kind", Value::of_text("规上")}, {"x", Value::missing(Missing::blank)}}));
}

TEST_CASE("parse errors name the column", "[landuse][expression]") {
    CHECK_THAT(parse_error("tax / "), Catch::Contains("column 7") && Catch::Contains("ends too early"));
    CHECK_THAT(parse_error("(tax / land_mu"), Catch::Contains("missing ')'"));
    CHECK_THAT(parse_error("tax = 3"), Catch::Contains("column 5") && Catch::Contains("=="));
    CHECK_THAT(parse_error("system(\"rm\")"), Catch::Contains("unknown function 'system'"));
    CHECK_THAT(parse_error("max()"), Catch::Contains("max() takes"));
    CHECK_THAT(parse_error("tax $ 3"), Catch::Contains("unexpected character '$'"));
    CHECK_THAT(parse_error("1 < 2 < 3"), Catch::Contains("cannot be chained"));
    CHECK_THAT(parse_error("3tax"), Catch::Contains("number runs into a name"));
}
