// Metrics per zone: lengths cut at zone borders add up to the total, each node
// and each metre belongs to one zone, grids tile, zones without roads are said.
#include <catch2/catch.hpp>

#include <cmath>

#include "../network/network_fixtures.hpp"
#include "plan/error.hpp"
#include "plan/metrics.hpp"
#include "plan/network_build.hpp"
#include "plan/source.hpp"
#include "plan/zones.hpp"
#include "test_support.hpp"

using namespace plan;
using plan::test::make_roads;
using plan::test::Road;

namespace {
Network build(const std::vector<Road>& roads) {
    BuildOptions o;
    o.noding = Noding::vertices;
    o.snap = 0.0;
    return build_network(make_roads(roads), o);
}
Polygon square(double x0, double y0, double x1, double y1) {
    return Polygon{{Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
}
// 4 x 4 lattice of roads at 100 m spacing over [0,300]²: 8 roads of 300 m,
// 12 intersections (the corners are pass-through).
std::vector<Road> grid_roads() {
    std::vector<Road> r;
    for (int i = 0; i < 4; ++i) {
        LineString h, v;
        for (int j = 0; j < 4; ++j) {
            h.push_back({100.0 * j, 100.0 * i});
            v.push_back({100.0 * i, 100.0 * j});
        }
        r.emplace_back(h);
        r.emplace_back(v);
    }
    return r;
}
double sum_length(const ZoneReport& r) {
    double s = 0;
    for (const auto& z : r.zones) s += z.densities.length_km;
    return s;
}
std::size_t sum_intersections(const ZoneReport& r) {
    std::size_t s = 0;
    for (const auto& z : r.zones) s += z.densities.intersections;
    return s;
}
} // namespace

TEST_CASE("zones: 150 m squares over the lattice, by hand", "[metrics]") {
    const Network net = build(grid_roads());
    const auto zones = square_grid(net.extent(), 150);
    REQUIRE(zones.size() == 4); // [0,300]² in 2 x 2 cells
    const ZoneReport r = zone_metrics(net, zones, MetricsOptions{});
    REQUIRE(r.zones.size() == 4);
    for (const auto& z : r.zones) {
        INFO(z.zone.id);
        // two vertical and two horizontal roads cross each cell over 150 m: 600 m
        CHECK(z.densities.length_km == Approx(0.6).epsilon(1e-12));
        CHECK(z.area_km2 == Approx(0.0225));
        CHECK(*z.densities.road_density == Approx(0.6 / 0.0225));
        CHECK(z.densities.intersections == 3); // four lattice nodes, one of them a corner
        CHECK(z.overlaps_network);
    }
    CHECK(sum_length(r) == Approx(2.4).epsilon(1e-12));
    CHECK(r.length_km_network == Approx(2.4));
    CHECK(r.nodes_outside == 0);
}

TEST_CASE("zones: roads and nodes on shared borders count once", "[metrics]") {
    const Network net = build(grid_roads());
    // 100 m cells: every road runs along cell borders, every node is a cell corner
    const auto zones = square_grid(net.extent(), 100);
    REQUIRE(zones.size() == 9);
    const ZoneReport r = zone_metrics(net, zones, MetricsOptions{});
    CHECK(sum_length(r) == Approx(2.4).epsilon(1e-12));
    CHECK(r.length_km_in_zones == Approx(2.4).epsilon(1e-12));
    CHECK(sum_intersections(r) == 12);
    std::size_t edges = 0;
    for (const auto& z : r.zones) edges += z.edges;
    CHECK(edges == net.live_edge_count());
    // the first cell (bottom left) takes all four of its borders: 400 m, and
    // the nodes (0,100), (100,0), (100,100) (the corner (0,0) is pass-through)
    CHECK(r.zones[0].densities.length_km == Approx(0.4));
    CHECK(r.zones[0].densities.intersections == 3);
}

TEST_CASE("zones: overlapping zones never count a metre twice, a zone off the network is said", "[metrics]") {
    const Network net = build(grid_roads());
    std::vector<Zone> zones(3);
    zones[0].id = "west";
    zones[0].polygons = {square(-10, -10, 150, 310)};
    zones[1].id = "all"; // overlaps "west": only the rest counts here
    zones[1].polygons = {square(-10, -10, 310, 310)};
    zones[2].id = "far";
    zones[2].polygons = {square(5000, 5000, 6000, 6000)};
    const ZoneReport r = zone_metrics(net, zones, MetricsOptions{});
    // west of x = 150: roads x = 0 and x = 100 (600 m) and 4 x 150 m of the horizontals
    CHECK(r.zones[0].densities.length_km == Approx(1.2));
    CHECK(r.zones[1].densities.length_km == Approx(1.2));
    CHECK(r.zones[0].area_km2 == Approx(0.16 * 0.32));
    CHECK(r.zones[1].area_km2 == Approx(0.32 * 0.32)); // the zone's own area, overlap included
    CHECK_FALSE(r.zones[2].overlaps_network);
    CHECK(r.zones[2].densities.length_km == 0);
    CHECK_FALSE(r.zones[2].indices);
    CHECK(r.zones_without_network == 1);
    CHECK(r.zones[0].densities.intersections + r.zones[1].densities.intersections == 12);
}

TEST_CASE("zones: a hexagonal grid tiles: areas and lengths add up", "[metrics]") {
    const Network net = build(grid_roads());
    const auto zones = hex_grid(net.extent(), 120);
    REQUIRE(zones.size() > 4);
    const ZoneReport r = zone_metrics(net, zones, MetricsOptions{});
    for (const auto& z : r.zones) CHECK(z.area_km2 == Approx(std::sqrt(3.0) / 2 * 120 * 120 / 1e6).epsilon(1e-12));
    CHECK(sum_length(r) == Approx(2.4).epsilon(1e-12));
    CHECK(sum_intersections(r) == 12);
    CHECK(r.nodes_outside == 0);
}

TEST_CASE("zones: a hexagonal grid clipped to a study area adds up to the study total on that area", "[metrics]") {
    const Network net = build(grid_roads());
    // a pentagon over part of the lattice: a road runs along its bottom edge (y = 100)
    const Polygon area{{Ring{{30, 100}, {270, 100}, {290, 230}, {150, 330}, {10, 230}, {30, 100}}}};
    const StudyArea study_area = study_area_from_boundary({area}, "pentagon");
    const MetricsOptions mo;
    const Densities study = densities(net, study_area, mo);
    Envelope ae;
    for (const auto& p : area.rings[0]) ae.expand(p);
    const auto cells = hex_grid(ae, 120);
    const auto zones = clip_zones(cells, {area});
    REQUIRE(zones.size() > 3);
    CHECK(zones.size() <= cells.size());
    const ZoneReport r = zone_metrics(net, zones, mo);
    double len = 0, area_km2 = 0;
    std::size_t ints = 0, ends = 0;
    for (const auto& z : r.zones) {
        len += z.densities.length_km;
        area_km2 += z.area_km2;
        ints += z.densities.intersections;
        ends += z.densities.dead_ends;
        CHECK(z.area_km2 <= std::sqrt(3.0) / 2 * 120 * 120 / 1e6 * (1 + 1e-12)); // no cell larger than a hexagon
    }
    // the cells tile the area: their areas add up to it, and so do lengths and nodes inside it
    CHECK(area_km2 == Approx(study.area_km2).epsilon(1e-9));
    CHECK(study.length_km > 0.5);
    CHECK(len == Approx(study.length_km).epsilon(1e-9));
    CHECK(ints == study.intersections);
    CHECK(ends == study.dead_ends);
    // unclipped, the same cells cover more than the area
    double unclipped = 0;
    for (const auto& z : zone_metrics(net, cells, mo).zones) unclipped += z.area_km2;
    CHECK(unclipped > 1.2 * study.area_km2);
}

TEST_CASE("zones: a bad grid spec is a usage error", "[metrics]") {
    const Envelope box{0, 0, 100, 100};
    for (const char* bad : {"square", "square:", "square:0", "hex:-5", "tri:100", "hex:1e0x"})
        CHECK_THROWS_AS(grid_from_spec(bad, box), usage_error);
    CHECK(grid_from_spec("square:50", box).size() == 4);
}

TEST_CASE("zones: the sample city's districts add up to the study total", "[metrics]") {
    const auto city = plan::test::source_dir() / "data" / "sample-city";
    const Layer roads = read_layer((city / "roads.gpkg").string());
    BuildOptions o;
    const Network net = build_network(roads, o);
    ReadOptions ro;
    ro.target_crs = net.crs().wkt;
    ro.want = GeometryKind::polygon;
    const Layer layer = read_layer((city / "landuse.gpkg").string(), "zones", ro);
    std::vector<Zone> zones;
    std::vector<Polygon> all;
    for (const auto& f : layer.features) {
        Zone z;
        z.id = std::to_string(f.fid);
        z.polygons = f.geometry.polygons;
        all.insert(all.end(), z.polygons.begin(), z.polygons.end());
        zones.push_back(std::move(z));
    }
    REQUIRE(zones.size() == 5);
    const MetricsOptions mo;
    const ZoneReport r = zone_metrics(net, zones, mo);
    // the study total: the whole network (no area), as `plan metrics` without --boundary
    const Densities study = densities(net, StudyArea{}, mo);
    const double union_km2 = study_area_from_boundary(all, "zones").area_m2 / 1e6;
    double len = 0, centre = 0, area = 0;
    std::size_t ints = 0, ends = 0;
    for (const auto& z : r.zones) {
        len += z.densities.length_km;
        centre += z.densities.length_km_centreline;
        area += z.area_km2;
        ints += z.densities.intersections;
        ends += z.densities.dead_ends;
        CHECK(z.overlaps_network);
    }
    REQUIRE(study.length_km > 0);
    const double outside = r.length_km_network - r.length_km_in_zones;
    CHECK(r.length_km_network == Approx(study.length_km).epsilon(1e-12));
    CHECK(len + outside == Approx(study.length_km).epsilon(1e-12));
    CHECK(len <= study.length_km * (1 + 1e-12));
    CHECK(ints + ends + r.nodes_outside == study.intersections + study.dead_ends);
    CHECK(ints <= study.intersections);
    // the districts overlap in slivers of a few m² along shared roads: each
    // zone's own area counts them, the union once
    CHECK(area >= union_km2);
    CHECK(area == Approx(union_km2).epsilon(1e-6));
    // with the districts' union as the study area, the study figures are the
    // zones' sums: the union has cracks a few mm wide along shared roads and
    // nine dead ends lie 1-13 mm outside, which the 1 cm rule takes in for both
    const Densities on_union = densities(net, study_area_from_boundary(all, "zones"), mo);
    CHECK(on_union.dead_ends == ends);
    CHECK(on_union.intersections == ints);
    CHECK(on_union.length_km == Approx(len).epsilon(1e-12));
    CHECK(on_union.length_km_centreline == Approx(centre).epsilon(1e-12));
}
