// The --targets TOML reader: a good file read field by field, and bad files
// rejected with the line and key that are wrong.
#include <catch2/catch.hpp>

#include "../network/network_fixtures.hpp"
#include "plan/error.hpp"
#include "plan/metrics.hpp"
#include "plan/network_build.hpp"
#include "test_support.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {
std::string write_toml(const std::string& name, const std::string& text) {
    const auto dir = plan::test::scratch_dir("metrics-targets");
    const auto path = dir / name;
    plan::test::write_file(path, text);
    return path.string();
}
/// The config_error a file raises (fails the test when it raises none).
config_error error_of(const std::string& name, const std::string& text) {
    try {
        targets_from_toml(write_toml(name, text));
    } catch (const config_error& e) {
        return e;
    }
    FAIL("no config_error for " << name);
    return config_error("unreachable");
}
} // namespace

TEST_CASE("targets TOML: every field is read", "[metrics]") {
    const auto path = write_toml("good.toml", R"(# 本市控规
[[target]]
key = "overall"
label = "城市道路网密度 ≥ 8"
min = 8

[[target]]
key = "arterial"
class = "主干路"
min = 1.0
max = 1.2

[[target]]
key = "local"
class = "local"
max = 4
)");
    const auto t = targets_from_toml(path);
    REQUIRE(t.size() == 3);
    CHECK(t[0].key == "overall");
    CHECK(t[0].label == "城市道路网密度 ≥ 8");
    CHECK_FALSE(t[0].road_class);
    REQUIRE(t[0].min);
    CHECK(*t[0].min == 8.0); // an integer is read as a number
    CHECK_FALSE(t[0].max);
    CHECK(t[1].road_class == RoadClass::arterial); // Chinese label
    CHECK(*t[1].min == 1.0);
    CHECK(*t[1].max == 1.2);
    CHECK(t[2].road_class == RoadClass::local);
    CHECK_FALSE(t[2].min);
    CHECK(*t[2].max == 4.0);
}

TEST_CASE("targets TOML: densities are checked against the file's bounds", "[metrics]") {
    // one 1 km road in a 1 km² square: 1 km/km², passes max = 4, fails min = 8
    BuildOptions o;
    o.noding = Noding::vertices;
    o.snap = 0.0;
    const Network net = build_network(make_roads({Road(LineString{{0, 500}, {1000, 500}})}), o);
    MetricsOptions mo;
    mo.targets = targets_from_toml(write_toml("bounds.toml", "[[target]]\nkey = \"low\"\nmax = 4\n"
                                                              "[[target]]\nkey = \"high\"\nmin = 8\n"));
    const Polygon square{{Ring{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}}}};
    const Densities d = densities(net, study_area_from_boundary({square}, "square"), mo);
    REQUIRE(d.checks.size() == 2);
    CHECK(d.checks[0].target.key == "low");
    CHECK(d.checks[0].value == Approx(1.0));
    CHECK(d.checks[0].pass == true);
    CHECK(d.checks[1].target.key == "high");
    CHECK(d.checks[1].pass == false);
}

TEST_CASE("targets TOML: bad files name the problem, the line and the key", "[metrics]") {
    SECTION("not TOML") {
        const auto e = error_of("syntax.toml", "[[target]]\nkey = \"overall\"\nmin = = 8\n");
        CHECK(e.context().line == 3);
    }
    SECTION("missing file") { CHECK_THROWS_AS(targets_from_toml("/nonexistent/targets.toml"), config_error); }
    SECTION("no [[target]]") {
        const auto e = error_of("empty.toml", "title = \"nothing\"\n");
        CHECK(std::string(e.what()).find("[[target]]") != std::string::npos);
    }
    SECTION("[target] is a table, not an array of tables") {
        CHECK_THROWS_AS(targets_from_toml(write_toml("table.toml", "[target]\nkey = \"overall\"\nmin = 8\n")),
                        config_error);
    }
    SECTION("no key") {
        const auto e = error_of("nokey.toml", "[[target]]\nmin = 8\n");
        CHECK(e.message().find("key") != std::string::npos);
        CHECK(e.context().line == 1);
    }
    SECTION("neither min nor max") {
        const auto e = error_of("nobound.toml", "[[target]]\nkey = \"overall\"\n\n[[target]]\nkey = \"x\"\n");
        CHECK(e.message().find("neither min nor max") != std::string::npos);
    }
    SECTION("a bound that is text") {
        const auto e = error_of("text.toml", "[[target]]\nkey = \"overall\"\nmin = \"8\"\n");
        CHECK(e.context().field == "min");
    }
    SECTION("a negative bound") {
        const auto e = error_of("negative.toml", "[[target]]\nkey = \"overall\"\nmin = -1\n");
        CHECK(e.context().field == "min");
    }
    SECTION("min above max") {
        const auto e = error_of("inverted.toml", "[[target]]\nkey = \"overall\"\nmin = 13\nmax = 8\n");
        CHECK(e.message().find("above max") != std::string::npos);
    }
    SECTION("unknown class") {
        const auto e = error_of("class.toml", "[[target]]\nkey = \"a\"\nclass = \"boulevard\"\nmin = 1\n");
        CHECK(e.context().field == "class");
        CHECK(e.message().find("boulevard") != std::string::npos);
    }
    SECTION("the second target is the bad one") {
        const auto e = error_of("second.toml", "[[target]]\nkey = \"a\"\nmin = 1\n\n[[target]]\nkey = \"b\"\n");
        CHECK(e.context().line == 5);
    }
}

TEST_CASE("targets TOML: 干线 targets judge 快速路+主干路, and a key naming a class or index needs a class", "[metrics]") {
    // 1 km of trunk (快速路), 1 km of primary (主干路), 1 km of residential in 1 km²:
    // 干线 = 2 km/km², 主干路 = 1, all roads = 3.
    BuildOptions o;
    o.noding = Noding::vertices;
    o.snap = 0.0;
    const Network net = build_network(make_roads({Road(LineString{{0, 200}, {1000, 200}}, "trunk"),
                                                  Road(LineString{{0, 500}, {1000, 500}}, "primary"),
                                                  Road(LineString{{0, 800}, {1000, 800}}, "residential")}),
                                      o);
    MetricsOptions mo;
    mo.targets = targets_from_toml(write_toml("trunk.toml", "[[target]]\nkey = \"干线网密度\"\nclass = \"干线\"\nmin = 1.5\n"
                                                             "[[target]]\nkey = \"trunk\"\nclass = \"trunk\"\nmin = 2.5\n"
                                                             "[[target]]\nkey = \"arterial\"\nclass = \"主干路\"\nmin = 1.5\n"));
    REQUIRE(mo.targets.size() == 3);
    CHECK(mo.targets[0].trunk);
    CHECK(mo.targets[1].trunk);
    CHECK_FALSE(mo.targets[2].trunk);
    const Polygon square{{Ring{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}}}};
    const Densities d = densities(net, study_area_from_boundary({square}, "square"), mo);
    REQUIRE(d.checks.size() == 3);
    CHECK(d.checks[0].value == Approx(2.0));
    CHECK(d.checks[0].pass == true);
    CHECK(d.checks[1].value == Approx(2.0));
    CHECK(d.checks[1].pass == false);
    CHECK(d.checks[2].value == Approx(1.0)); // 主干路 alone
    CHECK(d.checks[2].pass == false);
    CHECK(target_label(mo.targets[1]) == "干线 trunk (快速路+主干路)");

    // Without a class the key may not name a class, 干线 or another index: the
    // target would judge all roads (3 km/km²) and a trunk target would PASS.
    for (const std::string key : {"trunk", "干线", "arterial_density", "intersection_density", "主干路", "local"}) {
        INFO(key);
        const auto e = error_of("noclass.toml", "[[target]]\nmin = 2\nkey = \"" + key + "\"\n");
        CHECK(e.context().line == 3); // the key's own line
        CHECK(std::string(e.what()).find("has no class") != std::string::npos);
    }
    // An unknown class names its own line.
    const auto e = error_of("badclass.toml", "[[target]]\nkey = \"x\"\nmin = 1\nclass = \"小路\"\n");
    CHECK(e.context().line == 4);
}
