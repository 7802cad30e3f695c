// The visual outputs: QGIS styles and project (checked in QGIS itself), and
// the HTML report (checked in headless Chromium).
#include <catch2/catch.hpp>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "plan/error.hpp"
#include "plan/qgis.hpp"
#include "plan/report.hpp"
#include "test_support.hpp"
#include "vis_fixture.hpp"

namespace fs = std::filesystem;
using namespace plan;
using plan::test::quote;

namespace {

StyledLayer layer_of(const std::string& kind, GeometryKind g, std::vector<OutField> fields) {
    StyledLayer l;
    l.table = "base__" + kind;
    l.group = "base";
    l.kind = kind;
    l.geometry = g;
    l.fields = std::move(fields);
    return l;
}

std::string bytes(const fs::path& p) { return plan::test::read_file(p); }

} // namespace

TEST_CASE("qgis: each kind of layer gets its renderer and classification field", "[vis]") {
    using G = GeometryKind;
    using F = FieldType;
    struct Case { StyledLayer layer; std::string renderer, field; };
    const std::vector<Case> cases = {
        {layer_of("edges", G::line, {{"class", F::string}}), "categorizedSymbol", "class"},
        {layer_of("edges", G::line, {{"road_class", F::string}, {"betweenness_r800", F::real}}), "categorizedSymbol", "road_class"},
        {layer_of("centrality", G::line, {{"road_class", F::string}, {"betweenness_r400", F::real}, {"betweenness_r1600", F::real}}),
         "graduatedSymbol", "betweenness_r1600"},
        {layer_of("centrality", G::line, {{"betweenness_r400", F::real}, {"betweenness_global", F::real}}), "graduatedSymbol",
         "betweenness_global"},
        {layer_of("dead_ends", G::point, {{"class", F::string}}), "categorizedSymbol", "class"},
        {layer_of("gaps", G::line, {{"class", F::string}}), "singleSymbol", ""},
        {layer_of("skeleton_lines", G::line, {{"completion_pct", F::real}}), "graduatedSymbol", "completion_pct"},
        {layer_of("skeleton_gaps", G::line, {{"needs", F::string}}), "categorizedSymbol", "needs"},
        {layer_of("skeleton_crossings", G::point, {{"exists", F::integer}}), "categorizedSymbol", "exists"},
        {layer_of("parcels", G::polygon, {{"class", F::string}}), "categorizedSymbol", "class"},
        {layer_of("candidates", G::line, {{"score", F::real}}), "graduatedSymbol", "score"},
        {layer_of("changes", G::line, {{"change", F::string}}), "categorizedSymbol", "change"},
        {layer_of("enterprises", G::none, {{"class", F::string}}), "", ""},
        {layer_of("something_new", G::polygon, {{"x", F::real}}), "singleSymbol", ""},
    };
    for (const auto& c : cases) {
        INFO(c.layer.kind);
        const StyleChoice s = style_choice(c.layer);
        CHECK(s.renderer == c.renderer);
        CHECK(s.field == c.field);
        const std::string qml = layer_style_qml(c.layer);
        CHECK(qml.rfind("<!DOCTYPE qgis", 0) == 0);
        if (!c.renderer.empty()) CHECK(qml.find("<renderer-v2 type=\"" + c.renderer + "\"") != std::string::npos);
        CHECK(qml == layer_style_qml(c.layer)); // deterministic
    }
}

TEST_CASE("qgis: quantile breaks of graduated fields come from the data", "[vis]") {
    OutLayer l{"candidates", GeometryKind::line, false, {{"score", FieldType::real}}, {}};
    for (int i = 1; i <= 10; ++i) {
        OutFeature f;
        f.geometry.kind = GeometryKind::line;
        f.geometry.lines.push_back({{0, 0}, {1, double(i)}});
        f.values = {double(i)};
        l.features.push_back(f);
    }
    const StyledLayer s = styled_layer(l, "phase1__candidates", "phase1");
    REQUIRE(s.breaks.count("score") == 1);
    CHECK(s.breaks.at("score") == std::vector<double>{2, 4, 6, 8, 10});
    CHECK(s.features == 10);
    const std::string qml = layer_style_qml(s);
    CHECK(qml.find("lower=\"8\" upper=\"10\"") != std::string::npos);
}

TEST_CASE("qgis: bad input is an output or usage error naming the file or layer", "[vis]") {
    const fs::path dir = plan::test::scratch_dir("vis-bad");
    const std::vector<StyledLayer> none;
    CHECK_THROWS_AS(write_layer_styles((dir / "missing.gpkg").string(), none), output_error);
    const fs::path gpkg = dir / "one.gpkg";
    OutLayer l{"edges", GeometryKind::line, false, {{"class", FieldType::string}}, {}};
    OutFeature f;
    f.geometry.kind = GeometryKind::line;
    f.geometry.lines.push_back({{0, 0}, {10, 10}});
    f.values = {std::string("local")};
    l.features.push_back(f);
    write_layers(gpkg.string(), OutputFormat::gpkg, crs_from_epsg(4548), {l});
    const std::string before = bytes(gpkg);
    StyledLayer wrong = styled_layer(l, "base__nowhere", "base");
    CHECK_THROWS_WITH(write_layer_styles(gpkg.string(), {wrong}), Catch::Contains("base__nowhere"));
    CHECK(bytes(gpkg) == before); // untouched on failure
    for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().rfind(".tmp-", 0) != 0);
    CHECK_THROWS_AS(write_qgis_project((dir / "study.qgs").string(), "one.gpkg", {}, crs_from_epsg(4548), Envelope{}, "t"),
                    usage_error);
    CHECK_THROWS_AS(render_report_html("{not json", {}, crs_from_epsg(4548)), processing_error);
    CHECK_THROWS_AS(render_report_html("[1,2]", {}, crs_from_epsg(4548)), processing_error);
}

TEST_CASE("report: sections absent from the summary are left out, never a failure", "[vis]") {
    const CrsRef crs = crs_from_epsg(4548);
    const std::string minimal = render_report_html(R"({"study":{"name":"x","title":"测试","crs":"EPSG:4548"}})", {}, crs);
    CHECK(minimal.find("测试") != std::string::npos);
    CHECK(minimal.find("<section") == std::string::npos);
    const std::string empty = render_report_html("{}", {}, crs);
    CHECK(empty.find("</html>") != std::string::npos);
    // A base with only a network object, scenarios without a comparison.
    const std::string partial = render_report_html(
        R"({"study":{"name":"x"},"base":{"network":{"length_km":12.5,"dead_ends":{"total":3,"near_miss":1}}},)"
        R"("scenarios":{"p1":{"network":{"length_km":13.0,"dead_ends":{"total":1}}}}})",
        {}, crs);
    CHECK(partial.find("id=\"network\"") != std::string::npos);
    CHECK(partial.find("id=\"scenarios\"") != std::string::npos);
    CHECK(partial.find("<td>p1</td>") != std::string::npos);
    CHECK(partial.find("id=\"landuse\"") == std::string::npos);
}

TEST_CASE("qgis: the sample city's project and GeoPackage open styled in QGIS", "[vis][qgis]") {
    const plan::test::VisRun run = plan::test::build_vis_run("vis-qgis", true);
    // Styling two identical GeoPackages gives identical bytes.
    const fs::path copy = run.dir / "copy.gpkg";
    fs::copy_file(run.gpkg, copy);
    write_layer_styles(run.gpkg.string(), run.styled);
    write_layer_styles(copy.string(), run.styled);
    CHECK(bytes(run.gpkg) == bytes(copy));
    // Styling again replaces the styles (one per layer).
    write_layer_styles(copy.string(), run.styled);
    const auto count = plan::test::run_shell("sqlite3 " + quote(copy.string()) + " 'select count(*), count(distinct f_table_name) from layer_styles'");
    if (count.exit_code == 0) CHECK(count.out == std::to_string(run.styled.size()) + "|" + std::to_string(run.styled.size()) + "\n");

    const fs::path qgz = run.dir / "study.qgz", qgz2 = run.dir / "again" / "study.qgz";
    write_qgis_project(qgz.string(), "results.gpkg", run.styled, run.crs, run.extent, "样例城市");
    write_qgis_project(qgz2.string(), "results.gpkg", run.styled, run.crs, run.extent, "样例城市");
    CHECK(bytes(qgz) == bytes(qgz2));
    fs::remove_all(qgz2.parent_path());

    const fs::path expected = run.dir / "expected.json";
    plan::test::write_file(expected, plan::test::expected_project_json(run));
    const fs::path xdg = run.dir / "xdg"; // Qt wants a private runtime folder
    fs::create_directories(xdg);
    fs::permissions(xdg, fs::perms::owner_all, fs::perm_options::replace);
    const auto r = plan::test::run_shell("QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=" + quote(xdg.string()) + " " +
                                         std::string(PLAN_SYSTEM_PYTHON) + " " +
                                         quote((plan::test::source_dir() / "tests/qgis/check_project.py").string()) + " " +
                                         quote(qgz.string()) + " " + quote(expected.string()));
    if (r.exit_code == 77) plan::test::skip(r.err);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("layers in 2 groups checked") != std::string::npos);
}

TEST_CASE("report: the sample city's report renders in headless Chromium", "[vis][browser]") {
    const plan::test::VisRun run = plan::test::build_vis_run("vis-report", false);
    const std::string html = render_report_html(run.summary_json, run.groups, run.crs);
    CHECK(html == render_report_html(run.summary_json, run.groups, run.crs)); // deterministic
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("<svg class=\"map\"") != std::string::npos);
    const fs::path page = run.dir / "report.html";
    plan::test::write_file(page, html);
    // The screenshot is a test artifact under the build tree.
    const fs::path shot = fs::path(PLAN_BINARY_DIR) / "test-artifacts" / "report.png";
    fs::create_directories(shot.parent_path());
    const fs::path script = plan::test::source_dir() / "tests/browser/check_report.mjs";
    const auto r = plan::test::run_shell("node " + quote(script.string()) + " " + quote(page.string()) + " " + quote(shot.string()));
    if (r.exit_code == 77) plan::test::skip(r.err);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(fs::exists(shot));
}
