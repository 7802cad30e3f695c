// What the new-user trial of issue #8 found (scenarios and `plan compare` on
// Tianjin): links whose ends land a hair off their road after a reprojection
// must join it cleanly (no zero-length or sub-snap pieces); an edit layer
// without a CRS takes `src_crs` in the scenario file, and the hint says where;
// a key's error points to the key's line; the compare table shows newly
// connected pairs, components joined, dead ends removed (a positive count, as
// in the CSV) and the interaction term, and leaves the skeleton cell empty
// without a skeleton.
//
// A tiny hand-made study: a bent road A and 20 separate stubs B_k; link k runs
// from the near end of B_k to a point of A's interior computed in floating
// point (so it lies on A only to within rounding), as `plan candidates` writes
// its links.
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plan/error.hpp"
#include "plan/network.hpp"
#include "plan/network_analysis.hpp"
#include "plan/scenario.hpp"
#include "plan/study.hpp"
#include "test_support.hpp"

using namespace plan;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr double kX = 470000.123, kY = 4070000.456;
constexpr int kLinks = 20;

const std::vector<Point>& road_a() {
    static const std::vector<Point> a = {{kX + 0.3, kY + 0.7}, {kX + 500.1, kY + 37.9}, {kX + 1000.9, kY - 12.3}};
    return a;
}

struct Link {
    Point dead_end, far_end, on_a; ///< B_k runs dead_end -> far_end; the link dead_end -> on_a
};

Link link(int k) {
    const auto& a = road_a();
    const std::size_t i = k < kLinks / 2 ? 0 : 1;
    const double t = 0.07 + 0.09 * (k % 10) + 1e-3 * k;
    const Point p = a[i], q = a[i + 1];
    const Point f{p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
    const double len = std::hypot(q.x - p.x, q.y - p.y);
    const double side = k % 2 ? 1.0 : -1.0;
    // Oblique (20 to 39 degrees to A), as links often meet roads: the crossing
    // computed near the end then lies a few ulps off it.
    const double angle = (20.0 + k) * 3.14159265358979 / 180.0;
    const Point u{(q.x - p.x) / len, (q.y - p.y) / len};
    const Point n{(u.x * std::cos(angle) - u.y * std::sin(angle)) * side, (u.x * std::sin(angle) + u.y * std::cos(angle)) * side};
    const double d = 60.0 + 7.7 * k;
    const Point de{f.x + n.x * d, f.y + n.y * d};
    return {de, {de.x + n.x * 40.0, de.y + n.y * 40.0}, f};
}

std::string coords(const std::vector<Point>& pts) {
    std::string s;
    for (const auto& p : pts) s += fmt::format("{}[{:.17g},{:.17g}]", s.empty() ? "" : ",", p.x, p.y);
    return "[" + s + "]";
}

std::string feature(const std::string& props, const std::vector<Point>& pts) {
    return "{\"type\":\"Feature\",\"properties\":{" + props + "},\"geometry\":{\"type\":\"LineString\",\"coordinates\":" +
           coords(pts) + "}}";
}

std::string collection(const std::vector<std::string>& features, bool with_crs = true) {
    std::string f;
    for (const auto& x : features) f += (f.empty() ? "" : ",") + x;
    return std::string("{\"type\":\"FeatureCollection\",") +
           (with_crs ? "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4548\"}}," : "") +
           "\"features\":[" + f + "]}";
}

/// roads.geojson (A and the stubs), links.geojson (field k), links3857.gpkg
/// (the same links written in EPSG:3857 by GDAL) and plan.toml (no skeleton).
/// With `loop`, road 乙 joins A's ends through the far ends of the odd stubs,
/// so that links to them shorten trips (the even stubs stay apart).
fs::path make_study(const std::string& name, bool loop = false) {
    const fs::path dir = test::scratch_dir(name);
    std::vector<std::string> roads{feature("\"name\":\"甲路\",\"highway\":\"residential\"", road_a())};
    if (loop) {
        std::vector<Point> yi{road_a().front()};
        for (int k = 1; k < kLinks; k += 2) yi.push_back(link(k).far_end);
        yi.push_back(road_a().back());
        roads.push_back(feature("\"name\":\"乙路\",\"highway\":\"residential\"", yi));
    }
    std::vector<std::string> links;
    for (int k = 0; k < kLinks; ++k) {
        const Link l = link(k);
        roads.push_back(feature(fmt::format("\"name\":\"支{}\",\"highway\":\"residential\"", k), {l.dead_end, l.far_end}));
        links.push_back(feature(fmt::format("\"name\":\"连{}\",\"k\":{}", k, k), {l.dead_end, l.on_a}));
    }
    test::write_file(dir / "roads.geojson", collection(roads));
    test::write_file(dir / "links.geojson", collection(links));
    const auto r = test::run_shell("ogr2ogr -f GPKG -t_srs EPSG:3857 -nln links " + test::quote((dir / "links3857.gpkg").string()) +
                                   " " + test::quote((dir / "links.geojson").string()));
    REQUIRE(r.exit_code == 0);
    test::write_file(dir / "plan.toml", "[study]\nname = \"trial\"\n\n[inputs]\nroads = [\"roads.geojson\"]\n\n"
                                        "[network]\nclasses = \"all\"\n\n[centrality]\nenabled = false\n\n"
                                        "[od]\npairs = 60\n");
    return dir;
}

struct Study {
    StudyConfig config;
    StudyData data;
};
const Study& study() {
    static const Study* s = [] {
        const fs::path dir = make_study("scenario_trial");
        auto* x = new Study{StudyConfig::from_file((dir / "plan.toml").string()), {}};
        x->data = load_study_data(x->config);
        return x;
    }();
    return *s;
}
fs::path study_dir() { return fs::path(study().config.path).parent_path(); }

AppliedScenario apply_text(const std::string& file, const std::string& toml) {
    test::write_file(study_dir() / file, toml);
    return apply_scenario(load_scenario((study_dir() / file).string()), study().config, study().data);
}

/// Every link is one piece of about its drawn length; no live edge of the
/// network is shorter than 1 mm; each stub's near end is no longer a dead end.
void check_clean(const AppliedScenario& a) {
    std::vector<const RoadChange*> added;
    for (const auto& c : a.roads)
        if (c.action == "added") added.push_back(&c);
    CHECK(added.size() == static_cast<std::size_t>(kLinks));
    for (const auto* c : added) {
        INFO(c->name << ": " << c->length_m << " m");
        REQUIRE(c->name.rfind("连", 0) == 0);
        const Link l = link(std::stoi(c->name.substr(std::string("连").size())));
        CHECK(std::abs(c->length_m - distance(l.dead_end, l.on_a)) < 1e-3);
        CHECK(c->note.empty());
    }
    std::size_t short_edges = 0;
    for (const auto& e : a.network.edges())
        if (!e.removed && e.length < 1e-3) ++short_edges;
    CHECK(short_edges == 0);
    // A, split at every link's end: 21 pieces; the stubs; the links.
    CHECK(a.network.live_edge_count() == static_cast<std::size_t>((kLinks + 1) + kLinks + kLinks));
    CHECK(analyse_structure(a.network).components.size() == 1);
}

template <class F>
const error& caught(F&& f, std::unique_ptr<error>& keep) {
    try {
        f();
    } catch (const crs_error& e) {
        keep = std::make_unique<crs_error>(e);
        return *keep;
    } catch (const config_error& e) {
        keep = std::make_unique<config_error>(e);
        return *keep;
    }
    FAIL("no crs_error or config_error");
    return *keep;
}

} // namespace

TEST_CASE("add_line: an end a hair (1e-7 m) off the road it was drawn onto joins it with no sliver", "[scenario]") {
    for (const double eps : {0.0, 1e-7, -1e-7}) {
        Network net;
        const auto& a = road_a();
        EdgeAttributes attrs;
        attrs.road_class = RoadClass::local;
        const NodeId a0 = net.add_node(a[0]), a1 = net.add_node(a[1]), a2 = net.add_node(a[2]);
        net.add_edge(a0, a1, {a[0], a[1]}, attrs, {});
        net.add_edge(a1, a2, {a[1], a[2]}, attrs, {});
        for (int k = 0; k < kLinks; ++k) {
            const Link l = link(k);
            net.add_edge(net.add_node(l.dead_end), net.add_node(l.far_end), {l.dead_end, l.far_end}, attrs, {});
        }
        for (int k = 0; k < kLinks; ++k) {
            INFO("eps " << eps << ", link " << k);
            const Link l = link(k);
            const auto pieces = net.add_line({{l.dead_end.x + eps, l.dead_end.y - eps}, {l.on_a.x + eps, l.on_a.y + eps}}, attrs,
                                             {}, AddLineOptions{1.0, true});
            REQUIRE(pieces.size() == 1);
            CHECK(std::abs(net.edge(pieces[0]).length - distance(l.dead_end, l.on_a)) < 1e-3);
        }
        std::size_t short_edges = 0;
        for (const auto& e : net.edges())
            if (!e.removed && e.length < 1e-3) ++short_edges;
        CHECK(short_edges == 0);
        CHECK(net.live_edge_count() == static_cast<std::size_t>((kLinks + 2) + kLinks + kLinks));
    }
}

TEST_CASE("add_line: a road crossed within snap of an end is joined at the end's node", "[scenario]") {
    // The end snaps to node N of road A (0.6 m off); on its way it crosses road
    // C, which passes 0.3 m from N without touching it: C is joined at N (bent
    // by 0.3 m), no 0.3 m piece.
    Network net;
    EdgeAttributes attrs;
    attrs.road_class = RoadClass::local;
    const NodeId n0 = net.add_node({0, 0}), n = net.add_node({100, 0});
    net.add_edge(n0, n, {}, attrs, {});
    net.add_edge(net.add_node({100.3, -50}), net.add_node({100.3, 50}), {}, attrs, {});
    const auto pieces = net.add_line({{160, 0}, {100.6, 0}}, attrs, {}, AddLineOptions{1.0, true});
    REQUIRE(pieces.size() == 1);
    const Edge& p = net.edge(pieces[0]);
    CHECK((p.from == n || p.to == n));
    CHECK(net.street_count(n) == 4); // A, the new line, C's two halves
    CHECK(p.length == Approx(60.0));
}

TEST_CASE("scenario: links written in EPSG:3857 (reprojected) join as cleanly as in the network's CRS", "[scenario]") {
    const AppliedScenario own = apply_text("links.toml", "[[add]]\nlayer = \"links.geojson\"\nclass = \"支路\"\n");
    CHECK(own.warnings.empty());
    check_clean(own);
    const AppliedScenario web = apply_text("links3857.toml", "[[add]]\nlayer = \"links3857.gpkg\"\nclass = \"支路\"\n");
    REQUIRE(web.warnings.size() == 1);
    CHECK(web.warnings[0].find("reprojected") != std::string::npos);
    check_clean(web);
}

TEST_CASE("scenario: an edit layer without a CRS takes src_crs, and the hint names the file, line and key", "[scenario]") {
    const fs::path dir = study_dir();
    const auto r = test::run_shell("ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=UTF-8 -a_srs None " + test::quote((dir / "nocrs.shp").string()) + " " +
                                   test::quote((dir / "links.geojson").string()) + " && rm -f " +
                                   test::quote((dir / "nocrs.prj").string()));
    REQUIRE(r.exit_code == 0);
    std::unique_ptr<error> keep;
    const error& e = caught([&] { apply_text("n.toml", "title = \"x\"\n\n[[add]]\nlayer = \"nocrs.shp\"\nclass = \"支路\"\n"); }, keep);
    CHECK(dynamic_cast<const crs_error*>(&e) != nullptr);
    CHECK(e.exit_code() == 1);
    INFO(e.what() << "\nhint: " << e.hint());
    CHECK(e.hint().find("--src-crs") == std::string::npos); // plan compare has no such option
    CHECK(e.hint().find("add src_crs = \"EPSG:NNNN\"") != std::string::npos);
    CHECK(e.hint().find("[[add]] table at line 3 of n.toml (or write layer = {path") != std::string::npos);
    CHECK(e.context().line == 4); // the `layer =` line
    CHECK(e.context().field == "add.layer");

    // The key, and the table form of the study's inputs, both read it.
    check_clean(apply_text("n1.toml", "[[add]]\nlayer = \"nocrs.shp\"\nsrc_crs = \"EPSG:4548\"\nclass = \"支路\"\n"));
    check_clean(apply_text("n2.toml", "[[add]]\nlayer = {path = \"nocrs.shp\", src_crs = \"EPSG:4548\"}\nclass = \"支路\"\n"));

    // A bad CRS is refused at its own line; src_crs in [[close]] needs `within`.
    std::unique_ptr<error> keep2;
    const error& bad = caught(
        [&] { apply_text("n3.toml", "[[add]]\nlayer = \"nocrs.shp\"\nclass = \"支路\"\nsrc_crs = \"EPSG:999999\"\n"); }, keep2);
    CHECK(dynamic_cast<const config_error*>(&bad) != nullptr);
    CHECK(bad.context().line == 4);
    CHECK(bad.context().field == "add.src_crs");
    std::unique_ptr<error> keep3;
    const error& lone = caught([&] { apply_text("n4.toml", "[[close]]\nnames = [\"甲路\"]\nsrc_crs = \"EPSG:4548\"\n"); }, keep3);
    CHECK(lone.context().line == 3);
    CHECK(std::string(lone.what()).find("'within'") != std::string::npos);

    // A polygon layer of [[close]] without a CRS: the same hint, naming [[close]].
    const std::string square = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":1},"
                               "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" +
                               coords({{kX - 400, kY - 400}, {kX + 1500, kY - 400}, {kX + 1500, kY + 400}, {kX - 400, kY + 400},
                                       {kX - 400, kY - 400}}) +
                               "]}}]}";
    test::write_file(dir / "area.geojson", square);
    const auto r2 = test::run_shell("ogr2ogr -f 'ESRI Shapefile' -a_srs None " + test::quote((dir / "area.shp").string()) + " " +
                                    test::quote((dir / "area.geojson").string()) + " && rm -f " +
                                    test::quote((dir / "area.prj").string()));
    REQUIRE(r2.exit_code == 0);
    std::unique_ptr<error> keep4;
    const error& poly = caught([&] { apply_text("c.toml", "[[close]]\nwithin = \"area.shp\"\n"); }, keep4);
    CHECK(poly.hint().find("[[close]] table at line 1 of c.toml") != std::string::npos);
    CHECK(poly.context().field == "close.within");
    const AppliedScenario closed = apply_text("c2.toml", "[[close]]\nwithin = \"area.shp\"\nsrc_crs = \"EPSG:4548\"\n");
    std::size_t n = 0;
    for (const auto& c : closed.roads) n += c.action == "closed";
    CHECK(n == static_cast<std::size_t>(1 + kLinks)); // every road lies inside
}

TEST_CASE("scenario: an error about close.names or close.fids points to that key's line", "[scenario]") {
    std::unique_ptr<error> keep;
    const error& e = caught([&] { apply_text("k.toml", "title = \"x\"\n[[close]]\nfids = [0]\n\nnames = [\"不存在路\"]\n"); }, keep);
    CHECK(std::string(e.what()).find("no road of the network is named '不存在路'") != std::string::npos);
    CHECK(e.context().line == 5);
    CHECK(e.context().field == "close.names");
    std::unique_ptr<error> keep2;
    const error& f = caught([&] { apply_text("k2.toml", "[[reclassify]]\nto = \"主干路\"\nfids = [999]\n"); }, keep2);
    CHECK(e.exit_code() == 1);
    CHECK(f.context().line == 3);
    CHECK(f.context().field == "reclassify.fids");
}

TEST_CASE("plan compare: the table shows newly connected pairs, components joined, dead ends removed and the interaction",
          "[scenario][cli]") {
    const fs::path dir = make_study("scenario_trial_cli", true);
    // half: links 0-9; all: half + links 10-19 (interaction); web: all 20 links from the EPSG:3857 copy.
    test::write_file(dir / "half.toml", "[[add]]\nlayer = {path = \"links.geojson\", where = \"k < 10\"}\nclass = \"支路\"\n");
    test::write_file(dir / "all.toml",
                     "extends = \"half\"\n[[add]]\nlayer = {path = \"links.geojson\", where = \"k >= 10\"}\nclass = \"支路\"\n");
    test::write_file(dir / "web.toml", "[[add]]\nlayer = \"links3857.gpkg\"\nclass = \"支路\"\n");
    const auto r = test::run_plan("compare " + test::quote((dir / "plan.toml").string()) + " " +
                                  test::quote((dir / "half.toml").string()) + " " + test::quote((dir / "all.toml").string()) +
                                  " " + test::quote((dir / "web.toml").string()) + " -o " + test::quote((dir / "out").string()) +
                                  " --quiet");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = json::parse(test::read_file(dir / "out" / "comparison.json"));
    const auto& all = j["scenarios"]["all"];
    const auto& web = j["scenarios"]["web"];
    // The reprojected copy makes the same network: the same pieces, the same saving to the millimetre.
    CHECK(web["edits"]["added_edges"] == kLinks);
    CHECK(all["edits"]["added_edges"] == kLinks);
    CHECK(web["od"]["total_saving_mm"] == all["od"]["total_saving_mm"]);
    CHECK(web["od"]["newly_connected"] == all["od"]["newly_connected"]);
    CHECK(web["od"]["total_saving_mm"].get<std::int64_t>() > 0);
    const auto& f = all["figures"];
    REQUIRE(f["components_joined"] == kLinks / 2); // the even stubs
    REQUIRE(f["dead_ends_removed"] == kLinks);     // every stub's near end
    REQUIRE(f["od_newly_connected"].get<std::int64_t>() > 0);
    CHECK(f["skeleton_completion_change"].is_null());

    // Text: the columns that separate scenarios, counts positive as in the CSV.
    CHECK(r.out.find("newly_connected") != std::string::npos);
    CHECK(r.out.find("components_joined") != std::string::npos);
    CHECK(r.out.find("dead_ends_removed") != std::string::npos);
    CHECK(r.out.find("interaction_m") != std::string::npos);
    CHECK(r.out.find("-" + std::to_string(kLinks)) == std::string::npos);
    std::string all_line;
    for (std::size_t p = 0, q; p < r.out.size(); p = q + 1) {
        q = r.out.find('\n', p);
        if (q == std::string::npos) q = r.out.size();
        const std::string l = r.out.substr(p, q - p);
        if (l.find(" all ") != std::string::npos && std::isdigit(static_cast<unsigned char>(l[0]))) all_line = l;
    }
    INFO(all_line);
    const std::string cols = fmt::format(" {} {} {} ", f["od_newly_connected"].get<std::int64_t>(), kLinks / 2, kLinks);
    std::string squeezed;
    for (char c : all_line)
        if (c != ' ' || squeezed.empty() || squeezed.back() != ' ') squeezed += c;
    CHECK(squeezed.find(cols) != std::string::npos);
    const double interaction = j["scenarios"]["all"]["interaction"]["figures"]["od_saving_m"]["interaction"].get<double>();
    CHECK(squeezed.find(fmt::format("{:+.1f}", interaction)) != std::string::npos);
    CHECK(r.out.find("dead_ends_removed: base dead ends the scenario opens") != std::string::npos);

    // CSV and Markdown: the same positive counts; no skeleton: an empty cell and a footer that says why.
    const std::string csv = test::read_file(dir / "out" / "comparison.csv");
    const std::string header = csv.substr(0, csv.find('\n'));
    std::vector<std::string> names;
    for (std::size_t p = 0, q; p <= header.size(); p = q + 1) {
        q = header.find(',', p);
        if (q == std::string::npos) q = header.size();
        names.push_back(header.substr(p, q - p));
    }
    const auto at = csv.find("\n", csv.find(",all,"));
    const std::string row = csv.substr(csv.rfind('\n', csv.find(",all,")) + 1, at - csv.rfind('\n', csv.find(",all,")) - 1);
    std::vector<std::string> cells;
    for (std::size_t p = 0, q; p <= row.size(); p = q + 1) {
        q = row.find(',', p);
        if (q == std::string::npos) q = row.size();
        cells.push_back(row.substr(p, q - p));
    }
    REQUIRE(cells.size() == names.size());
    auto cell = [&](const std::string& n) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == n) return cells[i];
        FAIL("no column " << n);
        return std::string();
    };
    CHECK(cell("dead_ends_removed") == std::to_string(kLinks));
    CHECK(cell("components_joined") == std::to_string(kLinks / 2));
    CHECK(cell("skeleton_completion_change").empty());
    CHECK(!cell("interaction_od_saving_m").empty());
    const std::string md = test::read_file(dir / "out" / "comparison.md");
    // dead_ends_removed, dead_ends_added, components_joined, skeleton_completion_change (empty)
    CHECK(md.find(fmt::format("| {} | 0 | {} |  | ", kLinks, kLinks / 2)) != std::string::npos);
    CHECK(md.find("skeleton_completion_change is empty: the study has no skeleton") != std::string::npos);
    CHECK(md.find("dead_ends_removed: base dead ends the scenario opens") != std::string::npos);
}
