// Scenario files: parsing, extends chains, every bad input of issue #8 with
// its message, and the sample city's scenarios applied to the base (dead ends
// removed by position against defects.csv, the 新华路 gap closed, four
// enterprises relocated).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "plan/error.hpp"
#include "plan/landuse.hpp"
#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"
#include "plan/scenario.hpp"
#include "plan/skeleton.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

using namespace plan;
namespace fs = std::filesystem;

namespace {

fs::path city() { return test::source_dir() / "data" / "sample-city"; }

/// The sample city as a study would load it (roads in EPSG:4548, parcels,
/// enterprises and the zhejiang method), without a study file.
const StudyData& city_data() {
    static const StudyData data = [] {
        StudyData d;
        ReadOptions r;
        r.target_crs = "source";
        const Layer roads = read_layer((city() / "roads.gpkg").string(), "roads", r);
        d.network = build_network(roads, BuildOptions{}, &d.build_report);
        d.parcels = read_layer((city() / "landuse.gpkg").string(), "parcels", r);
        d.enterprises = read_layer((city() / "enterprises.csv").string());
        d.method = landuse::load_method("zhejiang");
        return d;
    }();
    return data;
}

std::vector<DeadEnd> dead_ends(const Network& n) { return find_dead_ends(n, analyse_structure(n), DeadEndOptions{}); }

struct DefectRow {
    std::string id;
    Point at;
};
std::vector<DefectRow> defects() {
    std::ifstream in(city() / "defects.csv");
    std::string line;
    std::getline(in, line);
    std::vector<DefectRow> out;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string id, kind, x, y;
        std::getline(ss, id, ',');
        std::getline(ss, kind, ',');
        std::getline(ss, x, ',');
        std::getline(ss, y, ',');
        out.push_back({id, {std::stod(x), std::stod(y)}});
    }
    return out;
}

fs::path write(const fs::path& dir, const std::string& name, const std::string& text) {
    fs::create_directories(dir);
    test::write_file(dir / name, text);
    return dir / name;
}

template <class F>
std::string config_message(F&& f, std::int64_t* line = nullptr, std::string* key = nullptr) {
    try {
        f();
    } catch (const config_error& e) {
        if (line) *line = e.context().line.value_or(-1);
        if (key) *key = e.context().field;
        CHECK(e.exit_code() == 1);
        return e.message();
    }
    FAIL("no config_error");
    return {};
}

/// A one-feature line layer in EPSG:4548 (or `crs`), written as a GeoPackage.
fs::path line_layer(const fs::path& dir, const std::string& name, const LineString& line, const CrsRef& crs = crs_from_epsg(4548)) {
    OutLayer l{name, GeometryKind::line, false, {{"name", FieldType::string}, {"等级", FieldType::string}}, {}};
    Geometry g;
    g.kind = GeometryKind::line;
    g.lines = {line};
    l.features.push_back({g, {std::string("测试路"), std::string("支路")}});
    const fs::path file = dir / (name + ".gpkg");
    write_layers(file.string(), OutputFormat::gpkg, crs, {l}, WriteOptions{true});
    return file;
}

} // namespace

TEST_CASE("scenario file: every key parsed, layers resolved against the file", "[scenario]") {
    const fs::path dir = test::scratch_dir("scenario_parse");
    const auto f = write(dir, "s.toml", R"(title = "测试"
[[add]]
layer = "../x.gpkg|layername=links"
class = "主干路"
name_field = "路名"
oneway_field = "dir"
snap = 2.5
[[close]]
fids = [1, 2]
names = ["青年路"]
[[reclassify]]
names = ["先锋路"]
to = "arterial"
[[rezone]]
parcels = ["P1", "P2"]
landuse = "G"
[[relocate]]
enterprises = ["E1"]
to_parcel = "P9"
[[retire]]
zombies = true
)");
    const ScenarioFile s = ScenarioFile::from_file(f.string());
    CHECK(s.name == "s");
    CHECK(s.title == "测试");
    REQUIRE(s.add.size() == 1);
    CHECK(s.add[0].layer == (fs::absolute(dir).parent_path() / "x.gpkg").lexically_normal().string() + "|layername=links");
    CHECK(s.add[0].road_class == "主干路");
    CHECK(s.add[0].snap == 2.5);
    CHECK(s.add[0].origin.line == 2);
    REQUIRE(s.close.size() == 1);
    CHECK(s.close[0].select.fids == std::vector<std::int64_t>{1, 2});
    CHECK(s.close[0].select.names == std::vector<std::string>{"青年路"});
    REQUIRE(s.reclassify.size() == 1);
    CHECK(s.reclassify[0].to == RoadClass::arterial);
    CHECK(s.rezone.at(0).parcels.size() == 2);
    CHECK(s.relocate.at(0).to_parcel == "P9");
    CHECK(s.retire.at(0).zombies);
}

TEST_CASE("scenario file: syntax errors, unknown keys and bad values name file, line and key", "[scenario]") {
    const fs::path dir = test::scratch_dir("scenario_bad");
    std::int64_t line = 0;
    std::string key;
    auto msg = config_message([&] { ScenarioFile::from_file(write(dir, "a.toml", "name = \"a\"\n[[add]\n").string()); }, &line);
    CHECK(msg.find("not valid TOML") != std::string::npos);
    CHECK(line == 2);
    msg = config_message([&] { ScenarioFile::from_file(write(dir, "b.toml", "title = \"x\"\n\n[[close]]\nfid = [3]\n").string()); },
                         &line, &key);
    CHECK(msg.find("unknown key 'fid'") != std::string::npos);
    CHECK(line == 4);
    CHECK(key == "close.fid");
    msg = config_message([&] { ScenarioFile::from_file(write(dir, "c.toml", "[[reclassify]]\nnames = [\"x\"]\nto = \"大路\"\n").string()); },
                         &line, &key);
    CHECK(key == "reclassify.to");
    CHECK(line == 3);
    msg = config_message([&] { ScenarioFile::from_file(write(dir, "d.toml", "[[close]]\n").string()); }, &line);
    CHECK(msg.find("selects no road") != std::string::npos);
    msg = config_message([&] { ScenarioFile::from_file(write(dir, "e.toml", "[[add]]\nlayer = \"x.gpkg\"\nsnap = -1\n").string()); },
                         &line, &key);
    CHECK(key == "add.snap");
}

TEST_CASE("extends: a chain applies once per file, depth first, missing and cyclic extensions refused", "[scenario]") {
    const fs::path dir = test::scratch_dir("scenario_extends");
    write(dir, "a.toml", "title = \"A\"\n");
    write(dir, "b.toml", "extends = \"a\"\n");
    write(dir, "c.toml", "extends = [\"a\", \"b\"]\n");
    const Scenario c = load_scenario((dir / "c.toml").string());
    REQUIRE(c.files.size() == 3);
    CHECK(c.files[0].name == "a");
    CHECK(c.files[1].name == "b");
    CHECK(c.files[2].name == "c");
    CHECK(c.extends == std::vector<std::string>{"a", "b"});

    write(dir, "m.toml", "# comment\nextends = \"nowhere\"\n");
    std::int64_t line = 0;
    std::string key;
    auto msg = config_message([&] { load_scenario((dir / "m.toml").string()); }, &line, &key);
    CHECK(msg.find("does not exist") != std::string::npos);
    CHECK(msg.find("nowhere.toml") != std::string::npos);
    CHECK(line == 2);
    CHECK(key == "extends");

    write(dir, "x.toml", "extends = \"y\"\n");
    write(dir, "y.toml", "extends = \"z\"\n");
    write(dir, "z.toml", "extends = \"x\"\n");
    msg = config_message([&] { load_scenario((dir / "x.toml").string()); });
    CHECK(msg.find("cycle: x -> y -> z -> x") != std::string::npos);
    write(dir, "self.toml", "extends = \"self\"\n");
    msg = config_message([&] { load_scenario((dir / "self.toml").string()); });
    CHECK(msg.find("cycle: self -> self") != std::string::npos);
}

TEST_CASE("sample city phase1 removes exactly the dead ends its links open", "[scenario]") {
    const StudyData& data = city_data();
    const Scenario s = load_scenario((city() / "scenarios" / "phase1.toml").string());
    const AppliedScenario a = apply_scenario(s, StudyConfig{}, data);
    CHECK(a.warnings.empty());
    std::set<std::pair<double, double>> after;
    for (const auto& d : dead_ends(a.network)) after.insert({a.network.node(d.node).position.x, a.network.node(d.node).position.y});
    std::set<std::string> removed;
    std::size_t before = 0;
    for (const auto& d : dead_ends(data.network)) {
        ++before;
        const Point p = data.network.node(d.node).position;
        if (after.count({p.x, p.y})) continue;
        std::string id = "?";
        for (const auto& row : defects())
            if (distance(row.at, p) < 0.01) id = row.id;
        removed.insert(id);
    }
    // The `opens` field of phase1_links: NM01..NM06 (NM06+NM07), CD02, CD04, SG02 (no dead end).
    CHECK(removed == std::set<std::string>{"CD02", "CD04", "NM01", "NM02", "NM03", "NM04", "NM05", "NM06", "NM07"});
    CHECK(after.size() == before - 9); // and none added
    std::size_t added = 0;
    for (const auto& c : a.roads) added += c.action == "added";
    CHECK(added >= 9);
}

TEST_CASE("sample city river_bridge closes the 新华路 gap: H3 completion rises", "[scenario]") {
    const StudyData& data = city_data();
    const Scenario s = load_scenario((city() / "scenarios" / "river_bridge.toml").string());
    const AppliedScenario a = apply_scenario(s, StudyConfig{}, data);
    const SkeletonSpec spec = SkeletonSpec::from_file((city() / "skeleton.toml").string());
    const auto before = analyse_skeleton(data.network, spec, {});
    const auto after = analyse_skeleton(a.network, spec, {});
    const auto h3 = [](const SkeletonResult& r) {
        for (const auto& l : r.lines)
            if (l.id == "H3") return l;
        FAIL("no H3");
        return r.lines.front();
    };
    CHECK(h3(after).completion > h3(before).completion + 0.02);
    CHECK(h3(after).gaps.size() < h3(before).gaps.size());
    // The bridge (layer 1) joins 新华路 at its two ends only, nothing beneath.
    REQUIRE(a.roads.size() == 1);
    CHECK(a.roads[0].name == "新漳卫河特大桥");
    CHECK(a.roads[0].road_class == RoadClass::arterial);
    CHECK(analyse_structure(a.network).components.size() == analyse_structure(data.network).components.size());
}

TEST_CASE("sample city relocation moves four enterprises to the reserved parcel", "[scenario]") {
    const StudyData& data = city_data();
    const Scenario s = load_scenario((city() / "scenarios" / "relocation.toml").string());
    const AppliedScenario a = apply_scenario(s, StudyConfig{}, data);
    REQUIRE(a.land.size() == 4);
    std::set<std::string> to;
    for (const auto& c : a.land) {
        CHECK(c.action == "relocate");
        CHECK(c.from != c.to);
        to.insert(c.to);
    }
    CHECK(to.size() == 1);
    const Layer& e = *a.enterprises;
    const int idf = e.field_index("enterprise_id"), pf = e.field_index("parcel_id");
    for (const auto& c : a.land)
        for (const auto& f : e.features)
            if (to_text(f.values[static_cast<std::size_t>(idf)]) == c.id) CHECK(to_text(f.values[static_cast<std::size_t>(pf)]) == c.to);
    CHECK(a.network.live_edge_count() == data.network.live_edge_count());
    CHECK(a.warnings.empty());
    // The base layers are not touched.
    for (const auto& c : a.land)
        for (const auto& f : data.enterprises->features)
            if (to_text(f.values[static_cast<std::size_t>(idf)]) == c.id) CHECK(to_text(f.values[static_cast<std::size_t>(pf)]) == c.from);
}

TEST_CASE("bad edits: isolated line kept with a warning and its distance, missing roads, parcels and enterprises refused",
          "[scenario]") {
    const StudyData& data = city_data();
    const fs::path dir = test::scratch_dir("scenario_edits");
    // 500 m east of the easternmost road end (E 389421).
    line_layer(dir, "far", {{389950.0, 4075500.0}, {390050.0, 4075500.0}});
    write(dir, "far.toml", "[[add]]\nlayer = \"far.gpkg\"\n");
    const AppliedScenario a = apply_scenario(load_scenario((dir / "far.toml").string()), StudyConfig{}, data);
    REQUIRE(a.warnings.size() == 1);
    CHECK(a.warnings[0].find("joins no road") != std::string::npos);
    CHECK(a.warnings[0].find("isolated") != std::string::npos);
    REQUIRE(a.roads.size() == 1);
    CHECK(a.roads[0].note.find("m from the nearest road") != std::string::npos);
    const double d = std::stod(a.roads[0].note.substr(a.roads[0].note.find(": ") + 2));
    CHECK(d > 400.0);
    CHECK(d < 600.0);
    CHECK(analyse_structure(a.network).components.size() == analyse_structure(data.network).components.size() + 1);

    std::int64_t line = 0;
    std::string key;
    write(dir, "close.toml", "title = \"x\"\n[[close]]\nfids = [5, 999999]\n");
    auto msg = config_message([&] { apply_scenario(load_scenario((dir / "close.toml").string()), StudyConfig{}, data); }, &line, &key);
    CHECK(msg.find("source feature id 999999") != std::string::npos);
    CHECK(line == 3); // the line of `fids =`, not of [[close]]
    CHECK(key == "close.fids");
    write(dir, "name.toml", "[[close]]\nnames = [\"不存在路\"]\n");
    msg = config_message([&] { apply_scenario(load_scenario((dir / "name.toml").string()), StudyConfig{}, data); });
    CHECK(msg.find("no road of the network is named '不存在路'") != std::string::npos);
    write(dir, "rezone.toml", "[[rezone]]\nparcels = [\"P0001\", \"NOPE\"]\nlanduse = \"G\"\n");
    msg = config_message([&] { apply_scenario(load_scenario((dir / "rezone.toml").string()), StudyConfig{}, data); }, &line, &key);
    CHECK(msg.find("no parcel has id 'NOPE'") != std::string::npos);
    write(dir, "retire.toml", "[[retire]]\nenterprises = [\"E9999\"]\n");
    msg = config_message([&] { apply_scenario(load_scenario((dir / "retire.toml").string()), StudyConfig{}, data); });
    CHECK(msg.find("no enterprise has id 'E9999'") != std::string::npos);
    write(dir, "zombies.toml", "[[retire]]\nzombies = true\n");
    msg = config_message([&] { apply_scenario(load_scenario((dir / "zombies.toml").string()), StudyConfig{}, data); });
    CHECK(msg.find("base land-use evaluation") != std::string::npos);
}

TEST_CASE("close, reclassify and rezone edit copies: fids through noding, class changes recorded", "[scenario]") {
    const StudyData& data = city_data();
    const fs::path dir = test::scratch_dir("scenario_close");
    // fid 5 of roads.gpkg: every edge holding it closes.
    std::size_t with5 = 0;
    for (const auto& e : data.network.edges())
        if (!e.removed)
            for (const auto& r : e.sources) with5 += r.fid == 5;
    REQUIRE(with5 > 0);
    write(dir, "c.toml", "[[close]]\nfids = [5]\n[[reclassify]]\nnames = [\"先锋路\"]\nto = \"快速路\"\n"
                         "[[rezone]]\nparcels = [\"P0001\"]\nlanduse = \"G\"\n");
    const AppliedScenario a = apply_scenario(load_scenario((dir / "c.toml").string()), StudyConfig{}, data);
    std::size_t closed = 0, reclassified = 0;
    for (const auto& c : a.roads) {
        closed += c.action == "closed";
        if (c.action == "reclassified") {
            ++reclassified;
            CHECK(c.road_class == RoadClass::expressway);
            CHECK(c.from_class != RoadClass::expressway);
        }
    }
    CHECK(closed == with5);
    CHECK(reclassified > 0);
    CHECK(a.network.live_edge_count() == data.network.live_edge_count() - with5);
    REQUIRE(a.land.size() == 1);
    CHECK(a.land[0].to == "G");
    const int lu = a.parcels->field_index("landuse");
    CHECK(to_text(a.parcels->features[0].values[static_cast<std::size_t>(lu)]) == "G");
    CHECK(to_text(data.parcels->features[0].values[static_cast<std::size_t>(lu)]) == a.land[0].from);
}

TEST_CASE("edit layer in another CRS is reprojected with a warning, one without a CRS refused", "[scenario]") {
    const StudyData& data = city_data();
    const fs::path dir = test::scratch_dir("scenario_crs");
    const auto r = test::run_shell("ogr2ogr -f GPKG -t_srs EPSG:4326 " + test::quote((dir / "bridge4326.gpkg").string()) + " " +
                                   test::quote((city() / "scenarios.gpkg").string()) + " river_bridge");
    REQUIRE(r.exit_code == 0);
    write(dir, "b.toml", "[[add]]\nlayer = \"bridge4326.gpkg\"\n");
    const AppliedScenario a = apply_scenario(load_scenario((dir / "b.toml").string()), StudyConfig{}, data);
    REQUIRE(a.warnings.size() == 1);
    CHECK(a.warnings[0].find("reprojected") != std::string::npos);
    CHECK(a.warnings[0].find("EPSG:4326") != std::string::npos);
    // Still joins 新华路 at both ends (no isolated warning, no new dead end).
    CHECK(dead_ends(a.network).size() == dead_ends(data.network).size());

    const auto r2 = test::run_shell("ogr2ogr -f 'ESRI Shapefile' -a_srs None " + test::quote((dir / "nocrs.shp").string()) + " " +
                                    test::quote((city() / "scenarios.gpkg").string()) + " river_bridge && rm -f " +
                                    test::quote((dir / "nocrs.prj").string()));
    REQUIRE(r2.exit_code == 0);
    write(dir, "n.toml", "[[add]]\nlayer = \"nocrs.shp\"\n");
    CHECK_THROWS_AS(apply_scenario(load_scenario((dir / "n.toml").string()), StudyConfig{}, data), crs_error);
}
