// Road-name normalisation and the spec file: format, defaults and errors.
#include <catch2/catch.hpp>

#include "plan/error.hpp"
#include "plan/skeleton.hpp"

using namespace plan;

TEST_CASE("name variants normalise to one name", "[skeleton]") {
    const std::string base = normalise_road_name("青年路");
    CHECK(base == "青年路");
    CHECK(normalise_road_name("青年路东段") == base);
    CHECK(normalise_road_name("青年路(东段)") == base);
    CHECK(normalise_road_name("青年路（东段）") == base);
    CHECK(normalise_road_name(" 青年路 ") == base);
    CHECK(normalise_road_name("青　年路") == base);   // ideographic space
    CHECK(normalise_road_name("青年路二段") == base);
    CHECK(normalise_road_name("青年路第3段") == base);
    CHECK(normalise_road_name("青年路【西段】") == base);
    CHECK(normalise_road_name("Ｇ３０８") == "g308");  // full-width letters and digits
    CHECK(normalise_road_name("G308") == "g308");
    // different roads stay different
    CHECK(normalise_road_name("青年东路") != base);
    CHECK(normalise_road_name("青年大街") != base);
    CHECK(normalise_road_name("段") == "段");          // nothing left to strip to
}

TEST_CASE("side roads and ramps are recognised in every variant", "[skeleton]") {
    CHECK(is_side_road_or_ramp_name("青年路辅路"));
    CHECK(is_side_road_or_ramp_name("青年路(辅路)"));
    CHECK(is_side_road_or_ramp_name("青年路（北辅路）"));
    CHECK(is_side_road_or_ramp_name("京沪高速青年路匝道"));
    CHECK(is_side_road_or_ramp_name("青年路 匝 道"));
    CHECK_FALSE(is_side_road_or_ramp_name("青年路"));
    CHECK_FALSE(is_side_road_or_ramp_name("青年路东段"));
}

TEST_CASE("a spec file declares lines, grid targets and matching tolerances", "[skeleton]") {
    const auto spec = SkeletonSpec::parse(R"(
[grid]
spacing_min_m = 600
spacing_max_m = 1200
coverage_m = 400

[matching]
far_piece_m = 800

[[line]]
id = "H1"
orientation = "ew"
name = "青年路"
roads = ["青年路", "青年大道"]
aliases = ["青年街"]
target_class = "主干路"

[[line]]
id = "V1"
orientation = "ns"
name = "先锋路"
source_fids = [4, 5]
centreline = { file = "planned.gpkg", layer = "planned", field = "line_id", value = "V1" }
)",
                                          "/data/city/skeleton.toml");
    REQUIRE(spec.lines.size() == 2);
    CHECK(spec.spacing_min_m == 600);
    CHECK(spec.spacing_max_m == 1200);
    CHECK(spec.coverage_m == 400);
    CHECK(spec.far_piece_m == 800);
    CHECK(spec.carriageway_pair_m == 60); // default kept
    const auto& h = spec.lines[0];
    CHECK(h.id == "H1");
    CHECK(h.orientation == Orientation::ew);
    CHECK(h.roads == std::vector<std::string>{"青年路", "青年大道", "青年街"});
    CHECK(h.target_class == RoadClass::arterial);
    CHECK(h.spec_line == 10);
    const auto& v = spec.lines[1];
    CHECK(v.orientation == Orientation::ns);
    CHECK(v.source_fids == std::vector<std::int64_t>{4, 5});
    CHECK(v.roads == std::vector<std::string>{"先锋路"}); // the display name is the road name by default
    REQUIRE(v.centreline);
    CHECK(v.centreline->file == "/data/city/planned.gpkg"); // relative to the spec
    CHECK(v.centreline->value == "V1");
}

TEST_CASE("[centrelines] gives every line its planned centreline by id", "[skeleton]") {
    const auto spec = SkeletonSpec::parse(R"(
name = "四横七纵"
[centrelines]
file = "skeleton.gpkg"
layer = "skeleton_planned"
field = "id"
[[line]]
id = "H1"
orientation = "EW"
name = "光岳路"
[[line]]
id = "V1"
orientation = "NS"
name = "河西大街"
centreline = { file = "other.gpkg", value = "7" }
)",
                                          "city/skeleton.toml");
    CHECK(spec.name == "四横七纵");
    REQUIRE(spec.lines.size() == 2);
    REQUIRE(spec.lines[0].centreline);
    CHECK(spec.lines[0].orientation == Orientation::ew);
    CHECK(spec.lines[0].centreline->file == "city/skeleton.gpkg");
    CHECK(spec.lines[0].centreline->layer == "skeleton_planned");
    CHECK(spec.lines[0].centreline->value == "H1");
    CHECK(spec.lines[1].orientation == Orientation::ns);
    CHECK(spec.lines[1].centreline->file == "city/other.gpkg"); // the line's own wins
    CHECK(spec.lines[1].centreline->value == "7");
}

namespace {
std::string error_of(const std::string& text) {
    try {
        (void)SkeletonSpec::parse(text, "bad.toml");
    } catch (const config_error& e) {
        return e.what();
    }
    return "no error";
}
} // namespace

TEST_CASE("spec errors name the file, the line and the key", "[skeleton]") {
    // syntax error on line 3
    const auto syntax = error_of("[[line]]\nid = \"H1\"\norientation = ew\n");
    CHECK_THAT(syntax, Catch::Contains("bad.toml") && Catch::Contains("line 3") && Catch::Contains("not valid TOML"));
    // duplicate ids: the second one's line, and where the first was
    const auto dup = error_of("[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"a路\"\n\n"
                              "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"b路\"\n");
    CHECK_THAT(dup, Catch::Contains("duplicate line id 'H1'") && Catch::Contains("line 6") &&
                        Catch::Contains("first declared on line 1"));
    // unknown keys, at every level
    CHECK_THAT(error_of("[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"a路\"\ncolour = \"red\"\n"),
               Catch::Contains("unknown key 'colour'") && Catch::Contains("line 5"));
    CHECK_THAT(error_of("[grid]\nspacing = 5\n[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"a\"\n"),
               Catch::Contains("unknown key 'spacing' in [grid]") && Catch::Contains("line 2"));
    CHECK_THAT(error_of("title = \"x\"\n"), Catch::Contains("unknown key 'title'"));
    // wrong values
    CHECK_THAT(error_of("[[line]]\nid = \"H1\"\norientation = \"diagonal\"\nname = \"a\"\n"),
               Catch::Contains("orientation 'diagonal'") && Catch::Contains("line 3"));
    CHECK_THAT(error_of("[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"a\"\ntarget_class = \"boulevard\"\n"),
               Catch::Contains("target_class 'boulevard'"));
    CHECK_THAT(error_of("[[line]]\nid = \"H1\"\nname = \"a\"\n"), Catch::Contains("no orientation"));
    CHECK_THAT(error_of("[[line]]\norientation = \"ew\"\nname = \"a\"\n"), Catch::Contains("has no id"));
    CHECK_THAT(error_of("[grid]\ncoverage_m = -5\n"), Catch::Contains("'coverage_m' must be a number >= 0"));
    CHECK_THAT(error_of("[grid]\ncoverage_m = 5\n"), Catch::Contains("declares no [[line]]"));
    CHECK_THROWS_AS(SkeletonSpec::from_file("/nonexistent/skeleton.toml"), config_error);
}
