// Files in and out: a planned centreline in another CRS, and `plan skeleton`
// end to end (layers, JSON, exit codes and messages for bad input).
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "plan/crs.hpp"
#include "plan/output.hpp"
#include "plan/skeleton.hpp"
#include "plan/source.hpp"
#include "skeleton_fixtures.hpp"
#include "test_support.hpp"

using namespace plan;
using plan::test::build_scene;
using plan::test::line_of;
using plan::test::Road;
namespace fs = std::filesystem;

namespace {
// Near Linqing in EPSG:4548 (CGCS2000 / 3-degree GK CM 117E).
constexpr double X0 = 384000.0, Y0 = 4076000.0;

OutLayer roads_layer(const std::vector<Road>& roads) {
    OutLayer l{"roads", GeometryKind::line, false,
               {{"name", FieldType::string}, {"highway", FieldType::string}, {"oneway", FieldType::string}}, {}};
    for (const auto& r : roads) {
        OutFeature f;
        f.geometry.kind = GeometryKind::line;
        f.geometry.lines.push_back(r.line);
        f.values = {r.name, r.highway, r.oneway.empty() ? FieldValue{} : FieldValue{r.oneway}};
        l.features.push_back(std::move(f));
    }
    return l;
}

ReadOptions as_stored() {
    ReadOptions r;
    r.target_crs = "source";
    return r;
}

std::vector<Road> river_town() {
    return {
        Road{{{X0, Y0}, {X0 + 800, Y0}}, "primary", "卫河路"},
        Road{{{X0 + 1200, Y0}, {X0 + 2000, Y0}}, "primary", "卫河路(东段)"},
        Road{{{X0 + 1000, Y0 - 1000}, {X0 + 1000, Y0 - 100}}, "primary", "新华路"},
    };
}
} // namespace

TEST_CASE("a planned centreline in another CRS is reprojected and measures the line", "[skeleton]") {
    const auto dir = plan::test::scratch_dir("skeleton-centreline");
    // The centreline stored in lon/lat (EPSG:4326), the network in EPSG:4548.
    const CrsRef gk = crs_from_epsg(4548);
    Transform to_ll(gk, wgs84());
    OutLayer planned{"planned", GeometryKind::line, false, {{"line_id", FieldType::string}}, {}};
    OutFeature f;
    f.geometry.kind = GeometryKind::line;
    LineString ll;
    for (double x = -300; x <= 2300; x += 100) ll.push_back(to_ll.apply(Point{X0 + x, Y0}));
    f.geometry.lines.push_back(ll);
    f.values = {std::string("H1")};
    planned.features.push_back(f);
    // a shorter plan: only the part of the roads within its span is built of it
    f.geometry.lines = {{to_ll.apply(Point{X0 + 100, Y0}), to_ll.apply(Point{X0 + 1900, Y0})}};
    f.values = {std::string("H1-short")};
    planned.features.push_back(f);
    write_layers((dir / "planned.gpkg").string(), OutputFormat::gpkg, wgs84(), {planned});

    Network net = build_scene(river_town());
    net.set_crs(gk);
    const auto spec = SkeletonSpec::parse(
        "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"卫河路\"\n"
        "centreline = { file = \"planned.gpkg\", field = \"line_id\", value = \"H1\" }\n",
        (dir / "skeleton.toml").string());
    const auto r = analyse_skeleton(net, spec);
    const auto& h = line_of(r, "H1");
    CHECK(h.has_centreline);
    CHECK(h.planned_m == Approx(2600.0).margin(1.0));
    CHECK(h.built_m == Approx(1600.0));
    // leading 300 m, the 400 m break, trailing 300 m
    REQUIRE(h.gaps.size() == 3);
    CHECK(h.gaps[0].length_m == Approx(300.0).margin(0.5));
    CHECK(h.gaps[1].from.x == Approx(X0 + 800));
    CHECK(h.gaps[1].to.x == Approx(X0 + 1200));
    CHECK(h.gaps[1].length_m == Approx(400.0).margin(0.5));
    CHECK(h.gaps[2].length_m == Approx(300.0).margin(0.5));
    CHECK(h.completion == Approx(1600.0 / 2600.0).margin(0.001));

    const auto short_spec = SkeletonSpec::parse(
        "[[line]]\nid = \"H1-short\"\norientation = \"ew\"\nname = \"卫河路\"\n"
        "[centrelines]\nfile = \"planned.gpkg\"\nfield = \"line_id\"\n",
        (dir / "skeleton.toml").string());
    const auto short_result = analyse_skeleton(net, short_spec);
    const auto& s = line_of(short_result, "H1-short");
    CHECK(s.planned_m == Approx(1800.0).margin(0.5));
    CHECK(s.built_m == Approx(1400.0).margin(0.5));
    REQUIRE(s.gaps.size() == 1);
    CHECK(s.gaps[0].length_m == Approx(400.0).margin(0.5));
    CHECK(s.completion == Approx(1400.0 / 1800.0).margin(0.001));

    const auto missing = SkeletonSpec::parse(
        "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"卫河路\"\n"
        "centreline = { file = \"planned.gpkg\", field = \"line_id\", value = \"H9\" }\n",
        (dir / "skeleton.toml").string());
    CHECK_THROWS_WITH(analyse_skeleton(net, missing), Catch::Contains("no line feature with line_id = H9"));
}

TEST_CASE("plan skeleton writes layers and a JSON summary, bad input gives clear messages and exit codes", "[skeleton][cli]") {
    const auto dir = plan::test::scratch_dir("skeleton-cli");
    const CrsRef gk = crs_from_epsg(4548);
    write_layers((dir / "roads.gpkg").string(), OutputFormat::gpkg, gk, {roads_layer(river_town())});
    OutLayer river{"river", GeometryKind::polygon, false, {{"name", FieldType::string}}, {}};
    OutFeature rf;
    rf.geometry.kind = GeometryKind::polygon;
    rf.geometry.polygons.push_back(Polygon{{{{X0 + 900, Y0 - 3000}, {X0 + 1100, Y0 - 3000}, {X0 + 1100, Y0 + 3000},
                                              {X0 + 900, Y0 + 3000}, {X0 + 900, Y0 - 3000}}}});
    rf.values = {std::string("卫运河")};
    river.features.push_back(rf);
    write_layers((dir / "barriers.gpkg").string(), OutputFormat::gpkg, gk, {river});
    const auto spec = dir / "skeleton.toml";
    plan::test::write_file(spec, "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"卫河路\"\n"
                                 "[[line]]\nid = \"V1\"\norientation = \"ns\"\nroads = [\"新华路\", \"幸福路\"]\n");
    const std::string base = "skeleton " + plan::test::quote((dir / "roads.gpkg").string()) + " --spec " + plan::test::quote(spec.string());
    const std::string out = (dir / "out.gpkg").string();

    const auto r = plan::test::run_plan(base + " --barriers " + plan::test::quote((dir / "barriers.gpkg").string()) +
                                        " -o " + plan::test::quote(out) + " --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["lines"][0]["id"] == "H1");
    CHECK(j["lines"][0]["completion_pct"].get<double>() == Approx(80.0));
    CHECK(j["gaps"].size() == 1);
    CHECK(j["gaps"][0]["length_m"].get<double>() == Approx(400.0));
    CHECK(j["gaps"][0]["needs"] == "bridge");
    CHECK(j["gaps"][0]["barriers"][0] == "river: 卫运河");
    CHECK(j["grid"]["crossings"]["expected"] == 1);
    CHECK(j["grid"]["crossings"]["existing"] == 0);
    CHECK(j["lines"][1]["unmatched_roads"][0] == "幸福路");
    CHECK_THAT(r.err, Catch::Contains("line V1") && Catch::Contains("'幸福路' matches no edge"));
    const Layer gaps = read_layer(out, "skeleton_gaps", as_stored());
    REQUIRE(gaps.features.size() == 1);
    CHECK(to_text(gaps.features[0].values[static_cast<std::size_t>(gaps.field_index("needs"))]) == "bridge");
    const Layer lines = read_layer(out, "skeleton_lines", as_stored());
    CHECK(lines.features.size() == 2);

    // the text summary says the same
    const auto text = plan::test::run_plan(base + " --barriers " + plan::test::quote((dir / "barriers.gpkg").string()));
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("H1 #1: 400.0 m") && Catch::Contains("crosses river: 卫运河: needs a bridge"));

    // --strict turns the unmatched name into a failure
    CHECK(plan::test::run_plan(base + " --strict").exit_code == 1);
    // an existing output is not replaced without --overwrite
    CHECK(plan::test::run_plan(base + " -o " + plan::test::quote(out)).exit_code == 1);

    // spec syntax error: file and line, exit 1
    const auto bad = dir / "bad.toml";
    plan::test::write_file(bad, "[[line]]\nid = \"H1\"\norientation = ew\n");
    const auto b = plan::test::run_plan("skeleton " + plan::test::quote((dir / "roads.gpkg").string()) + " --spec " +
                                        plan::test::quote(bad.string()));
    CHECK(b.exit_code == 1);
    CHECK_THAT(b.err, Catch::Contains("bad.toml: line 3") && Catch::Contains("not valid TOML"));
    // duplicate ids
    const auto dup = dir / "dup.toml";
    plan::test::write_file(dup, "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"卫河路\"\n"
                                "[[line]]\nid = \"H1\"\norientation = \"ns\"\nname = \"新华路\"\n");
    const auto d = plan::test::run_plan("skeleton " + plan::test::quote((dir / "roads.gpkg").string()) + " --spec " +
                                        plan::test::quote(dup.string()));
    CHECK(d.exit_code == 1);
    CHECK_THAT(d.err, Catch::Contains("duplicate line id 'H1'") && Catch::Contains("line 5"));
    // nothing matches at all: exit 1 with a hint
    const auto none = dir / "none.toml";
    plan::test::write_file(none, "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"无名路\"\n");
    const auto n = plan::test::run_plan("skeleton " + plan::test::quote((dir / "roads.gpkg").string()) + " --spec " +
                                        plan::test::quote(none.string()));
    CHECK(n.exit_code == 1);
    CHECK_THAT(n.err, Catch::Contains("'无名路' matches no edge") && Catch::Contains("matches any road"));
    // usage: no --spec
    CHECK(plan::test::run_plan("skeleton " + plan::test::quote((dir / "roads.gpkg").string())).exit_code == 2);
}

TEST_CASE("edges along the planned centreline are taken whatever their name, crossing streets are not", "[skeleton]") {
    const auto dir = plan::test::scratch_dir("skeleton-follow");
    const CrsRef gk = crs_from_epsg(4548);
    OutLayer planned{"planned", GeometryKind::line, false, {{"line_id", FieldType::string}}, {}};
    OutFeature f;
    f.geometry.kind = GeometryKind::line;
    f.geometry.lines.push_back({{X0, Y0}, {X0 + 2000, Y0}});
    f.values = {std::string("H1")};
    planned.features.push_back(f);
    write_layers((dir / "planned.gpkg").string(), OutputFormat::gpkg, gk, {planned});
    Network net = build_scene({
        Road{{{X0, Y0}, {X0 + 800, Y0}}, "primary", "卫河路"},
        Road{{{X0 + 800, Y0 + 10}, {X0 + 1200, Y0 + 10}}, "secondary", "临时便道"}, // 10 m off the plan
        Road{{{X0 + 1200, Y0}, {X0 + 2000, Y0}}, "primary", "卫河路"},
        Road{{{X0 + 1500, Y0 - 500}, {X0 + 1500, Y0 + 500}}, "residential", "新华路"},   // crosses it
        Road{{{X0, Y0 + 200}, {X0 + 2000, Y0 + 200}}, "primary", "滨河路"},            // parallel, outside the buffer
    });
    net.set_crs(gk);
    const auto spec = SkeletonSpec::parse("[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"卫河路\"\n"
                                          "centreline = { file = \"planned.gpkg\", field = \"line_id\", value = \"H1\" }\n",
                                          (dir / "skeleton.toml").string());
    const auto r = analyse_skeleton(net, spec);
    const auto& h = line_of(r, "H1");
    std::set<std::string> names;
    for (EdgeId e : h.edges) names.insert(net.edge(e).attributes.name);
    CHECK(names == std::set<std::string>{"卫河路", "临时便道"});
    // The by-pass is not joined to the road ends (10 m apart, across the line).
    // Gaps are measured along the centreline (docs/skeleton.md), where the
    // chains leave none; the breaks show as dead ends on the line instead: the
    // two ends of the line, the two road ends at x = 800 and 1200 and the
    // by-pass's two ends.
    INFO("built chains " << h.built.size() << ", edges " << h.edges.size() << ", completion " << h.completion);
    CHECK(h.gaps.empty());
    CHECK(h.dead_ends.size() == 6);
    CHECK(h.completion > 0.98);
    REQUIRE(h.below_class.size() == 1);
    CHECK(h.below_class[0].road_class == RoadClass::collector);
    CHECK(h.below_class[0].length_m == Approx(400.0));
}

TEST_CASE("plan skeleton takes FILE|layerid=N and FILE|layername=NAME, a missing layer is a usage error (exit 2)",
          "[skeleton][cli]") {
    const auto dir = plan::test::scratch_dir("skeleton-layer-ref");
    const CrsRef gk = crs_from_epsg(4548);
    write_layers((dir / "roads.gpkg").string(), OutputFormat::gpkg, gk, {roads_layer(river_town())});
    auto strip = [](const std::string& name, double x0, double x1) {
        OutLayer l{name, GeometryKind::polygon, false, {{"name", FieldType::string}}, {}};
        OutFeature f;
        f.geometry.kind = GeometryKind::polygon;
        f.geometry.polygons.push_back(Polygon{{{{x0, Y0 - 3000}, {x1, Y0 - 3000}, {x1, Y0 + 3000}, {x0, Y0 + 3000},
                                                {x0, Y0 - 3000}}}});
        f.values = {name == "river" ? std::string("卫运河") : std::string("东湖")};
        l.features.push_back(std::move(f));
        return l;
    };
    // layer 0: a lake far east of the gap; layer 1: the river across the gap (x 800..1200)
    write_layers((dir / "barriers.gpkg").string(), OutputFormat::gpkg, gk,
                 {strip("lake", X0 + 5000, X0 + 5200), strip("river", X0 + 900, X0 + 1100)});
    const auto spec = dir / "skeleton.toml";
    plan::test::write_file(spec, "[[line]]\nid = \"H1\"\norientation = \"ew\"\nname = \"卫河路\"\n");
    const std::string base = "skeleton " + plan::test::quote((dir / "roads.gpkg").string()) + " --spec " +
                             plan::test::quote(spec.string()) + " --json --barriers ";
    const std::string barriers = (dir / "barriers.gpkg").string();
    auto needs = [&](const std::string& ref) {
        const auto r = plan::test::run_plan(base + plan::test::quote(ref));
        INFO(ref << "\n" << r.err);
        REQUIRE(r.exit_code == 0);
        const auto j = nlohmann::json::parse(r.out);
        REQUIRE(j["gaps"].size() == 1);
        return j["gaps"][0]["needs"].get<std::string>();
    };
    // (a few runs only: each starts the CLI; the whole file is in the test above)
    CHECK(needs(barriers + "|layerid=1") == "bridge");
    CHECK(needs(barriers + "|layername=lake") == ""); // the lake only: the gap crosses nothing

    // a missing layer, by index or by name: exit 2, naming it and listing the layers (as plan candidates)
    for (const std::string& ref : {barriers + "|layerid=7", barriers + "|layername=canal"}) {
        const auto r = plan::test::run_plan(base + plan::test::quote(ref));
        INFO(ref << "\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(ref.substr(ref.find('=') + 1) + "'") && Catch::Contains("no layer") &&
                              Catch::Contains("lake (0), river (1)"));
    }
}
