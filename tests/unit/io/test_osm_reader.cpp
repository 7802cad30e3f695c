// The native OSM reader (libosmium) against GDAL's OSM driver: the same road
// features, fields, FIDs and coordinates, on a hand-written file and on a real
// extract; bad OSM input as input_error naming the file.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <catch2/catch.hpp>

#include "io/reproject.hpp"
#include "plan/crs.hpp"
#include "plan/error.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace plan;
using namespace plan::test;

namespace {

fs::path tiny() { return source_dir() / "tests/data/osm/tiny_roads.osm"; }

std::string value_of(const Layer& l, const Feature& f, const std::string& field) {
    const int i = l.field_index(field);
    REQUIRE(i >= 0);
    return to_text(f.values[static_cast<std::size_t>(i)]);
}

const Feature& by_fid(const Layer& l, std::int64_t fid) {
    auto it = std::find_if(l.features.begin(), l.features.end(), [&](const Feature& f) { return f.fid == fid; });
    REQUIRE(it != l.features.end());
    return *it;
}

/// The features of GDAL's layer that have a highway tag (the native reader keeps only those).
std::vector<const Feature*> highway_features(const Layer& gdal) {
    std::vector<const Feature*> out;
    const int hw = gdal.field_index("highway");
    for (const auto& f : gdal.features)
        if (hw < 0 || !is_null(f.values[static_cast<std::size_t>(hw)])) out.push_back(&f);
    return out;
}

/// Same fields, same features in the same order, same values and coordinates (bit for bit).
void require_same(const Layer& native, const Layer& gdal, bool highway_only) {
    REQUIRE(native.fields.size() == gdal.fields.size());
    for (std::size_t i = 0; i < gdal.fields.size(); ++i) {
        CHECK(native.fields[i].name == gdal.fields[i].name);
        CHECK(native.fields[i].type == gdal.fields[i].type);
    }
    std::vector<const Feature*> g;
    if (highway_only) g = highway_features(gdal);
    else
        for (const auto& f : gdal.features) g.push_back(&f);
    REQUIRE(native.features.size() == g.size());
    std::size_t differing = 0;
    for (std::size_t k = 0; k < g.size(); ++k) {
        const Feature& a = native.features[k];
        const Feature& b = *g[k];
        INFO("feature " << k << " fid " << a.fid << " / " << b.fid);
        CHECK(a.fid == b.fid);
        CHECK(a.values == b.values);
        REQUIRE(a.geometry.lines.size() == b.geometry.lines.size());
        for (std::size_t p = 0; p < a.geometry.lines.size(); ++p)
            if (!(a.geometry.lines[p] == b.geometry.lines[p])) ++differing;
    }
    CHECK(differing == 0);
    CHECK(native.crs.wkt == gdal.crs.wkt);
}

} // namespace

TEST_CASE("native OSM reader: roads, a highway area, relations, missing nodes, Chinese tags", "[io][osm]") {
    const OsmRoads n = read_osm_roads(tiny().string(), {}, OsmReader::native);
    CHECK(n.reader == OsmReader::native);
    // Highway ways that are not areas, in file order; 106 has no node in the file.
    std::vector<std::int64_t> fids;
    for (const auto& f : n.lines.features) fids.push_back(f.fid);
    CHECK(fids == std::vector<std::int64_t>{100, 101, 105, 108});
    CHECK(n.lines.name == "lines");
    CHECK(n.lines.report.invalid_geometry == 1); // way 106 skipped
    CHECK(n.ways_with_missing_nodes == 2);       // 105 (node 999) and 106 (998, 997)
    CHECK(n.missing_node_refs == 3);

    const Feature& zs = by_fid(n.lines, 100);
    CHECK(value_of(n.lines, zs, "name") == "中山路");
    CHECK(value_of(n.lines, zs, "highway") == "primary");
    CHECK(value_of(n.lines, zs, "osm_id") == "100");
    CHECK(value_of(n.lines, zs, "z_order") == "7");
    // source= is ignored as GDAL does; quotes and backslashes escaped hstore-style.
    CHECK(value_of(n.lines, zs, "other_tags") == R"("oneway"=>"yes","alt_name"=>"老\"中山\"路\\旧")");
    CHECK(value_of(n.lines, by_fid(n.lines, 101), "z_order") == "23");
    CHECK(value_of(n.lines, by_fid(n.lines, 108), "other_tags") == R"("junction"=>"roundabout")");
    // Way 105 lost its missing middle node and kept two points.
    CHECK(by_fid(n.lines, 105).geometry.lines.front().size() == 2);

    // The pedestrian squares 102 and 109: 103 is the outer ring of relation 500, an
    // old-style multipolygon that takes its tags (GDAL gives the area to the relation);
    // relation 501 is a relation, not a way; 109 is the outer ring of relation 502,
    // which has tags of its own, and stays.
    REQUIRE(n.areas.features.size() == 2);
    CHECK(n.areas.features[1].fid == 109);
    const Feature& sq = n.areas.features.front();
    CHECK(sq.fid == 102);
    CHECK(n.areas.name == "multipolygons");
    CHECK(value_of(n.areas, sq, "osm_way_id") == "102");
    CHECK(value_of(n.areas, sq, "osm_id").empty());
    CHECK(value_of(n.areas, sq, "name") == "人民广场");
    CHECK(value_of(n.areas, sq, "other_tags") == R"("highway"=>"pedestrian")"); // area=yes is ignored there
    REQUIRE(sq.geometry.kind == GeometryKind::line);
    REQUIRE(sq.geometry.lines.size() == 1);
    CHECK(sq.geometry.lines.front().size() == 5);
    CHECK(sq.geometry.lines.front().front() == sq.geometry.lines.front().back());
    CHECK(n.areas.crs.wkt == n.lines.crs.wkt);
}

TEST_CASE("native OSM reader gives GDAL's features on a hand-written file", "[io][osm]") {
    const OsmRoads n = read_osm_roads(tiny().string(), {}, OsmReader::native);
    const OsmRoads g = read_osm_roads(tiny().string(), {}, OsmReader::gdal);
    CHECK(g.reader == OsmReader::gdal);
    require_same(n.lines, g.lines, true);
    require_same(n.areas, g.areas, false);
}

TEST_CASE("native OSM reader gives GDAL's features on real extracts", "[io][osm][real]") {
    for (const char* name : {"chengdu_2018.osm", "monaco_2016.osm.pbf"}) {
        const std::string path = shared_data(name).string();
        INFO(path);
        const OsmRoads n = read_osm_roads(path, {}, OsmReader::native);
        const OsmRoads g = read_osm_roads(path, {}, OsmReader::gdal);
        CHECK(n.lines.features.size() > 2000);
        CHECK(!n.areas.features.empty());
        require_same(n.lines, g.lines, true);
        require_same(n.areas, g.areas, false);
    }
}

TEST_CASE("automatic OSM reader: native by default, GDAL when asked or filtered", "[io][osm]") {
    const std::string path = tiny().string();
    ::unsetenv("PLAN_OSM_READER");
    CHECK(read_osm_roads(path).reader == OsmReader::native);
    ReadOptions filtered;
    filtered.where = "highway = 'primary'";
    const OsmRoads f = read_osm_roads(path, filtered);
    CHECK(f.reader == OsmReader::gdal);
    CHECK(f.lines.features.size() == 1);
    CHECK_THROWS_AS(read_osm_roads(path, filtered, OsmReader::native), usage_error);
    ::setenv("PLAN_OSM_READER", "gdal", 1);
    CHECK(read_osm_roads(path).reader == OsmReader::gdal);
    ::setenv("PLAN_OSM_READER", "osmium", 1);
    CHECK_THROWS_AS(read_osm_roads(path), usage_error);
    ::unsetenv("PLAN_OSM_READER");
    CHECK(is_osm_file("a/b.OSM"));
    CHECK(is_osm_file("x.osm.pbf"));
    CHECK(is_osm_file("x.osm.bz2"));
    CHECK(!is_osm_file("x.gpkg"));
}

TEST_CASE("bad OSM input: truncated PBF, malformed XML, empty, no roads -> input_error naming the file", "[io][osm]") {
    const fs::path dir = scratch_dir("osm_bad");
    auto expect_input_error = [](const fs::path& p, const std::string& what) {
        INFO(p.string());
        try {
            (void)read_osm_roads(p.string(), {}, OsmReader::native);
            FAIL("no error");
        } catch (const input_error& e) {
            CHECK(e.context().file == p.string());
            CHECK_THAT(std::string(e.what()), Catch::Contains(what));
        }
    };
    // Malformed XML: a tag that is not closed, and a document cut short.
    const std::string xml = read_file(tiny());
    write_file(dir / "mismatched.osm", "<?xml version='1.0'?>\n<osm version='0.6'>\n<node id='1' lat='1' lon='1'>\n</way>\n</osm>\n");
    expect_input_error(dir / "mismatched.osm", "cannot read the OSM data");
    write_file(dir / "cut.osm", xml.substr(0, xml.size() / 2));
    expect_input_error(dir / "cut.osm", "cannot read the OSM data");
    write_file(dir / "empty.osm", "");
    expect_input_error(dir / "empty.osm", "empty");
    write_file(dir / "noroads.osm", "<?xml version='1.0'?>\n<osm version='0.6'>\n<node id='1' lat='1' lon='1'/>\n</osm>\n");
    expect_input_error(dir / "noroads.osm", "no highway way");
    expect_input_error(dir / "missing.osm", "no such file");
    // A PBF that is not one, and (with the real extract) one cut in the middle of a block.
    write_file(dir / "garbage.osm.pbf", std::string(1000, '\x7f'));
    expect_input_error(dir / "garbage.osm.pbf", "cannot read the OSM data");
    if (fs::exists(fs::path(PLAN_SHARED_DATA_DIR) / "monaco_2016.osm.pbf")) {
        const std::string pbf = read_file(fs::path(PLAN_SHARED_DATA_DIR) / "monaco_2016.osm.pbf");
        write_file(dir / "cut.osm.pbf", pbf.substr(0, pbf.size() / 2 + 17));
        expect_input_error(dir / "cut.osm.pbf", "cannot read the OSM data");
    }
}

TEST_CASE("plan network on a truncated OSM file exits 1 naming the file", "[io][osm][cli]") {
    const fs::path dir = scratch_dir("osm_bad_cli");
    const std::string xml = read_file(tiny());
    write_file(dir / "cut.osm", xml.substr(0, xml.size() / 2));
    const auto r = run_plan("network " + quote((dir / "cut.osm").string()) + " --classes all");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("cut.osm"));
    CHECK_THAT(r.err, Catch::Contains("cannot read the OSM data"));
}

TEST_CASE("the OSM readers' source CRS, written out, is the one GDAL's OSM driver states", "[io][osm]") {
    const CrsRef written = detail::osm_source_crs();
    const CrsRef gdal = detail::osm_source_crs_from_gdal();
    CHECK(written.wkt == gdal.wkt);
    CHECK(written.name == gdal.name);
    CHECK(written.epsg == gdal.epsg);
    CHECK(written.geographic == gdal.geographic);
    CHECK(written.offset == gdal.offset);
}
