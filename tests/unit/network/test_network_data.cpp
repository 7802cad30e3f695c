// Real data and the command line: grade separation on Tianjin Hexi (Geofabrik
// fields), exit codes and messages of `plan network` for bad input.
#include <catch2/catch.hpp>

#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

using namespace plan;
using plan::test::quote;
using plan::test::run_plan;
using plan::test::shared_data;

namespace {
std::size_t intersections(const Network& net) {
    std::size_t n = 0;
    for (NodeId v = 0; v < net.nodes().size(); ++v) n += net.street_count(v) >= 3;
    return n;
}
} // namespace

TEST_CASE("tianjin_hexi_gbk: bridges join at their ends, not where they pass over roads", "[network][data]") {
    init_gdal();
    const auto path = shared_data("tianjin_hexi_gbk/roads.shp");
    const Layer roads = read_layer(path.string());
    BuildOptions o;
    o.noding = Noding::crossings;
    BuildReport rep;
    const Network net = build_network(roads, o, &rep);
    CHECK(rep.grade_separated > 100);
    // Ignoring the grade fields joins the overpasses: many more junctions.
    BuildOptions flat = o;
    flat.fields.bridge = {"no_such_field"};
    flat.fields.layer = {"no_such_field"};
    flat.fields.tunnel = {"no_such_field"};
    BuildReport flat_rep;
    const Network joined = build_network(roads, flat, &flat_rep);
    CHECK(flat_rep.grade_separated == 0);
    CHECK(intersections(joined) > intersections(net) + 100);
    // Every node on a bridge edge with another edge of another level is a bridge end.
    for (NodeId v = 0; v < net.nodes().size(); ++v) {
        bool bridge = false, ground = false;
        for (EdgeId e : net.incident(v)) (net.edge(e).attributes.bridge ? bridge : ground) = true;
        if (!(bridge && ground)) continue;
        bool is_source_end = false;
        for (const auto& f : roads.features)
            for (const auto& l : f.geometry.lines)
                is_source_end = is_source_end || l.front() == net.node(v).position || l.back() == net.node(v).position;
        CHECK(is_source_end);
    }
}

TEST_CASE("plan network prints the documented JSON and exits 0", "[network][cli]") {
    const auto path = shared_data("tianjin_hexi_gbk/roads.shp");
    auto r = run_plan("network " + quote(path.string()) + " --json -q");
    REQUIRE(r.exit_code == 0);
    for (const char* k : {"\"crs\"", "\"noding\": \"crossings\"", "\"intersections\"", "\"near_miss\"", "\"cul_de_sac\"",
                          "\"largest_component_share\"", "\"critical_links_km\"", "\"dead_ends_per_100km\""})
        CHECK(r.out.find(k) != std::string::npos);
    // Deterministic: the same bytes twice.
    CHECK(run_plan("network " + quote(path.string()) + " --json -q").out == r.out);
}

TEST_CASE("plan network: bad input gives a clear message and exit code", "[network][cli][bad_input]") {
    const auto roads = quote(shared_data("tianjin_hexi_gbk/roads.shp").string());
    auto neg = run_plan("network " + roads + " --snap -1");
    CHECK(neg.exit_code == 2);
    CHECK(neg.err.find("--snap") != std::string::npos);
    auto huge = run_plan("network " + roads + " --gap 1e7");
    CHECK(huge.exit_code == 2);
    CHECK(huge.err.find("larger than the data extent") != std::string::npos);
    auto cls = run_plan("network " + roads + " --classes motorway");
    CHECK(cls.exit_code == 2);
    auto poly = run_plan("network " + quote(shared_data("beijing_townships/townships.shp").string()));
    CHECK(poly.exit_code == 1);
    CHECK(poly.err.find("no lines") != std::string::npos);
    auto none = run_plan("network " + roads + " --classes expressway --where \"fclass = 'footway'\"");
    CHECK(none.exit_code == 1);
    CHECK(none.err.find("no road line left") != std::string::npos);
    auto mode = run_plan("network " + roads + " --noding sometimes");
    CHECK(mode.exit_code == 2);
}

TEST_CASE("monaco_2016: GDAL's repeated warnings are collapsed into one line with a count", "[network][cli][data]") {
    const auto path = shared_data("monaco_2016.osm.pbf");
    // The warnings come from GDAL's OSM driver (multipolygons): force it over the native reader.
    const auto r = plan::test::run_shell("PLAN_OSM_READER=gdal " + quote(PLAN_CLI) + " network " + quote(path.string()) +
                                         " --classes all --json");
    REQUIRE(r.exit_code == 0);
    std::size_t lines = 0;
    std::string line;
    for (std::size_t at = 0; (at = r.err.find("Non closed ring", at)) != std::string::npos; ++at) {
        ++lines;
        line = r.err.substr(at, r.err.find('\n', at) - at);
    }
    CHECK(lines == 1);
    CHECK(line.find(" times, reading ") != std::string::npos);
    CHECK(line.find("monaco_2016.osm.pbf)") != std::string::npos);
}
