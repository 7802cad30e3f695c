// The sample city: regeneration reproduces the committed data; the planted
// defects are exactly the network's dead ends (checked through GDAL's own
// ogr2ogr, independently of the generator); Chinese text, GBK copy and the
// enterprise table's plants; the scale mode; the command line.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "plan/error.hpp"
#include "plan/geometry.hpp"
#include "plan/samplecity.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace plan;
using plan::test::quote;
using plan::test::run_plan;
using plan::test::run_shell;

namespace {

fs::path committed() { return plan::test::source_dir() / "data" / "sample-city"; }

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> out{""};
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { out.back() += '"'; ++i; }
            else if (c == '"') quoted = false;
            else out.back() += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') out.emplace_back();
        else out.back() += c;
    }
    return out;
}

/// Rows of a CSV as maps from column name to text.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    const auto header = split_csv_line(line);
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto cells = split_csv_line(line);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
        rows.push_back(row);
    }
    return rows;
}

/// A layer dumped by ogr2ogr as CSV with WKT geometry.
std::vector<std::map<std::string, std::string>> dump_layer(const fs::path& file, const std::string& layer) {
    const auto r = run_shell("ogr2ogr -f CSV /vsistdout/ " + quote(file.string()) + " " + quote(layer) + " -lco GEOMETRY=AS_WKT");
    REQUIRE(r.exit_code == 0);
    return read_csv(r.out);
}

LineString parse_linestring(const std::string& wkt) {
    const auto open = wkt.find('('), close = wkt.rfind(')');
    REQUIRE(wkt.rfind("LINESTRING", 0) == 0);
    LineString l;
    std::istringstream in(wkt.substr(open + 1, close - open - 1));
    std::string pair;
    while (std::getline(in, pair, ',')) {
        std::istringstream p(pair);
        Point pt;
        p >> pt.x >> pt.y;
        l.push_back(pt);
    }
    return l;
}

double polyline_distance(const Point& p, const LineString& l) {
    double best = 1e300;
    for (std::size_t i = 0; i + 1 < l.size(); ++i) best = std::min(best, point_segment_distance(p, l[i], l[i + 1]));
    return best;
}

} // namespace

TEST_CASE("the generator reproduces data/sample-city", "[samplecity]") {
    const fs::path out = plan::test::scratch_dir("samplecity-regen");
    const SampleCityReport report = write_sample_city(out);
    CHECK(report.road_segments >= 2000);
    CHECK(report.road_segments <= 5000);
    CHECK(report.parcels >= 500);
    CHECK(report.parcels <= 2000);
    CHECK(report.enterprises >= 300);
    CHECK(report.enterprises <= 800);
    for (const auto& f : report.files) REQUIRE(fs::exists(committed() / f));
    const auto diffs = compare_sample_city(committed(), out);
    for (const auto& d : diffs) UNSCOPED_INFO(d);
    CHECK(diffs.empty());
    // Beyond content: with GDAL's timestamp pinned, every file is the same bytes.
    for (const auto& f : report.files) {
        INFO(f);
        CHECK(plan::test::read_file(out / f) == plan::test::read_file(committed() / f));
    }
    std::size_t total = 0;
    for (const auto& e : fs::recursive_directory_iterator(committed()))
        if (e.is_regular_file()) total += static_cast<std::size_t>(e.file_size());
    CHECK(total < 10u * 1024 * 1024);
}

TEST_CASE("another seed gives another city, and the comparison notices", "[samplecity]") {
    const fs::path out = plan::test::scratch_dir("samplecity-seed");
    write_sample_city(out, SampleCityOptions{7});
    const auto diffs = compare_sample_city(committed(), out, 5);
    CHECK_FALSE(diffs.empty());
}

TEST_CASE("the planted defects are exactly the dead ends of the road network", "[samplecity]") {
    const auto roads = dump_layer(committed() / "roads.gpkg", "roads");
    REQUIRE(roads.size() >= 2000);
    std::vector<LineString> lines;
    std::vector<std::string> names;
    for (const auto& r : roads) {
        lines.push_back(parse_linestring(r.at("WKT")));
        names.push_back(r.at("name"));
    }
    // Dead ends as a network built by shared vertices sees them (grade separation
    // and CAD crossings add no ends): an end no other feature has as a vertex.
    std::map<std::pair<double, double>, std::set<std::size_t>> at_vertex;
    std::map<std::pair<double, double>, int> ends;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        for (const auto& p : lines[i]) at_vertex[{p.x, p.y}].insert(i);
        ++ends[{lines[i].front().x, lines[i].front().y}];
        ++ends[{lines[i].back().x, lines[i].back().y}];
    }
    std::map<std::pair<double, double>, std::size_t> dead;
    for (const auto& [p, n] : ends)
        if (n == 1 && at_vertex[p].size() == 1) dead[p] = *at_vertex[p].begin();

    const auto defects = read_csv(plan::test::read_file(committed() / "defects.csv"));
    std::map<std::string, int> kinds;
    const std::set<std::string> dead_kinds = {"cul_de_sac", "near_miss", "stub", "isolated", "boundary"};
    std::size_t planted_dead = 0;
    for (const auto& d : defects) {
        ++kinds[d.at("kind")];
        if (!dead_kinds.count(d.at("kind"))) continue;
        ++planted_dead;
        INFO(d.at("defect_id"));
        const Point at{std::stod(d.at("x")), std::stod(d.at("y"))};
        // defects.csv rounds to millimetres, as the roads are.
        auto it = std::find_if(dead.begin(), dead.end(), [&](const auto& e) {
            return std::abs(e.first.first - at.x) < 0.0006 && std::abs(e.first.second - at.y) < 0.0006;
        });
        REQUIRE(it != dead.end());
        const std::size_t own = it->second;
        CHECK(std::to_string(own + 1) == split_csv_line(d.at("fids"))[0].substr(0, split_csv_line(d.at("fids"))[0].find(' ')));
        // Nearest other road, leaving out the roads at the end's own junction when its segment is short.
        const LineString& g = lines[own];
        const Point other = distance(g.front(), at) < 0.001 ? g.back() : g.front();
        std::set<std::size_t> skip{own};
        if (length(g) < 30.0)
            for (std::size_t i : at_vertex[{other.x, other.y}]) skip.insert(i);
        double nearest = 1e300;
        std::string nearest_name;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (skip.count(i)) continue;
            const double dist = polyline_distance(at, lines[i]);
            if (dist < nearest) { nearest = dist; nearest_name = names[i]; }
        }
        if (d.at("kind") == "near_miss") {
            CHECK(nearest >= 1.0);
            CHECK(nearest <= 15.0);
            CHECK(nearest_name == d.at("target"));
            CHECK(std::abs(nearest - std::stod(d.at("measure_m"))) < 0.01);
        } else {
            CHECK(nearest >= 20.0);
        }
        if (d.at("kind") == "stub") CHECK(length(g) <= 8.0);
        dead.erase(it);
    }
    CHECK(dead.empty()); // nothing else in the city is a dead end
    CHECK(planted_dead >= 20);
    CHECK(kinds["cul_de_sac"] >= 3);
    CHECK(kinds["near_miss"] >= 3);
    CHECK(kinds["stub"] >= 3);
    CHECK(kinds["isolated"] >= 3);
    CHECK(kinds["boundary"] >= 10);
    CHECK(kinds["duplicate"] >= 2);
    CHECK(kinds["skeleton_gap"] == 2);

    // Duplicates: the copy has the same vertices as the original (one reversed).
    for (const auto& d : defects) {
        if (d.at("kind") != "duplicate") continue;
        std::istringstream ids(d.at("fids"));
        std::size_t a = 0, b = 0;
        ids >> a >> b;
        LineString la = lines.at(a - 1), lb = lines.at(b - 1);
        if (!(la == lb)) std::reverse(lb.begin(), lb.end());
        CHECK(la == lb);
    }
}

TEST_CASE("Chinese names read back through GDAL, and the GBK copy is the same table", "[samplecity]") {
    const auto r = run_shell("ogrinfo -ro -al -q " + quote((committed() / "roads.gpkg").string()) + " -where \"name LIKE '青年路%'\"");
    REQUIRE(r.exit_code == 0);
    for (const char* variant : {"青年路西段", "青年路东段", "青年路(东段)", "青年路（东段）", "青年路 东段"}) {
        INFO(variant);
        CHECK(r.out.find(std::string("name (String) = ") + variant) != std::string::npos);
    }
    CHECK(r.out.find("等级 (String) = 主干路") != std::string::npos);
    const auto rail = run_shell("ogrinfo -ro -al -q " + quote((committed() / "barriers.gpkg").string()) + " river");
    CHECK(rail.out.find("卫运河") != std::string::npos);
    const auto gbk = run_shell("iconv -f GBK -t UTF-8 " + quote((committed() / "enterprises_gbk.csv").string()));
    REQUIRE(gbk.exit_code == 0);
    const std::string utf8 = plan::test::read_file(committed() / "enterprises.csv");
    CHECK(gbk.out == utf8);
    CHECK(plan::test::read_file(committed() / "enterprises_gbk.csv") != utf8);
}

TEST_CASE("enterprises stand on industrial parcels, with the planted anomalies", "[samplecity]") {
    std::map<std::string, std::string> use;
    for (const auto& p : dump_layer(committed() / "landuse.gpkg", "parcels")) use[p.at("parcel_id")] = p.at("landuse");
    const auto rows = read_csv(plan::test::read_file(committed() / "enterprises.csv"));
    REQUIRE(rows.size() >= 300);
    REQUIRE(rows.size() <= 800);
    const auto plants = read_csv(plan::test::read_file(committed() / "enterprise_plants.csv"));
    std::map<std::string, int> kinds;
    for (const auto& p : plants) ++kinds[p.at("kind")];
    for (const char* k : {"zombie", "missing_value", "unknown_parcel", "negative_value", "duplicate_id", "shared_parcel"}) {
        INFO(k);
        CHECK(kinds[k] >= 1);
    }
    std::map<std::string, int> ids, per_parcel;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& e = rows[i];
        ++ids[e.at("enterprise_id")];
        ++per_parcel[e.at("parcel_id")];
        const bool unknown = !use.count(e.at("parcel_id"));
        const bool planted_unknown = std::any_of(plants.begin(), plants.end(), [&](const auto& p) {
            return p.at("kind") == "unknown_parcel" && p.at("row") == std::to_string(i + 1);
        });
        CHECK(unknown == planted_unknown);
        if (!unknown) {
            const std::string u = use[e.at("parcel_id")];
            CHECK((u == "M1" || u == "M2" || u == "M3"));
        }
        if (!e.at("tax").empty() && std::stod(e.at("tax")) < 0) {
            const bool planted = std::any_of(plants.begin(), plants.end(), [&](const auto& p) {
                return p.at("kind") == "negative_value" && p.at("row") == std::to_string(i + 1);
            });
            CHECK(planted);
        }
    }
    int duplicated = 0;
    for (const auto& [id, n] : ids) duplicated += n > 1;
    CHECK(duplicated == kinds["duplicate_id"]);
    int shared = 0;
    for (const auto& [p, n] : per_parcel) shared += n > 1;
    CHECK(shared >= kinds["shared_parcel"]);
    for (const auto& p : plants) {
        if (p.at("kind") != "zombie") continue;
        const auto& e = rows.at(static_cast<std::size_t>(std::stoi(p.at("row"))) - 1);
        CHECK(e.at("enterprise_id") == p.at("enterprise_id"));
        CHECK(std::stod(e.at("revenue")) < 10.0);
        CHECK(std::stod(e.at("land_mu")) > 10.0);
    }
}

TEST_CASE("skeleton.toml is valid TOML naming the eleven lines of the skeleton layer", "[samplecity]") {
    const auto r = plan::test::run_python(
        "-c " + quote("import sys, tomllib; d = tomllib.load(open(sys.argv[1], 'rb')); "
                      "print(' '.join(l['id'] + ':' + l['name'] for l in d['line']))") +
        " " + quote((committed() / "skeleton.toml").string()));
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "H1:光岳路 H2:青年路 H3:新华路 H4:温泉路 V1:河西大街 V2:大众路 V3:红星路 V4:临清大道 V5:先锋路 V6:曙光路 V7:东环路\n");
    const auto planned = dump_layer(committed() / "skeleton.gpkg", "skeleton_planned");
    CHECK(planned.size() == 11);
}

TEST_CASE("scale mode writes a large network with crossings and bridges", "[samplecity]") {
    const fs::path out = plan::test::scratch_dir("samplecity-scale") / "roads.gpkg";
    const auto r = write_synthetic_network(out, 20000, 3);
    CHECK(r.segments >= 20000);
    CHECK(r.segments < 22000);
    CHECK(r.crossings > 100);
    CHECK(r.bridges > 0);
    const auto info = run_shell("ogrinfo -ro -so " + quote(out.string()) + " roads");
    CHECK(info.out.find("Feature Count: " + std::to_string(r.segments)) != std::string::npos);
    CHECK_THROWS_AS(write_synthetic_network(out, 5), usage_error);
}

TEST_CASE("plan sample-city: help, usage errors and a run", "[samplecity][cli]") {
    const auto help = run_plan("sample-city --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--segments") != std::string::npos);
    CHECK(run_plan("sample-city").exit_code == 2);
    CHECK(run_plan("sample-city -o x --segments 5").exit_code == 2);
    const fs::path out = plan::test::scratch_dir("samplecity-cli");
    const auto r = run_plan("sample-city -o " + quote((out / "big").string()) + " --segments 3000");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("road segments") != std::string::npos);
    CHECK(fs::exists(out / "big" / "roads.gpkg"));
    // An output that cannot be written is a data error (exit 1), not a crash.
    plan::test::write_file(out / "file", "x");
    CHECK(run_plan("sample-city -o " + quote((out / "file").string())).exit_code == 1);
}
