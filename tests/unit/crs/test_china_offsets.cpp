// GCJ-02 and BD-09: round trips, the China box, and offsets published by
// others, so that our implementation (written from the formulas) agrees with
// what Chinese web maps and well-known converters produce.
#include <catch2/catch.hpp>

#include <vector>

#include "plan/crs.hpp"

using namespace plan;

namespace {

struct Place {
    const char* name;
    Point lonlat;
};

const std::vector<Place>& chinese_places() {
    static const std::vector<Place> places{
        {"Linqing", {115.7, 36.8}},    {"Beijing", {116.3913, 39.9075}}, {"Shanghai", {121.4737, 31.2304}},
        {"Urumqi", {87.6168, 43.8256}}, {"Guangzhou", {113.2644, 23.1291}}, {"Lhasa", {91.1409, 29.6456}},
        {"Harbin", {126.5350, 45.8038}}, {"Haikou", {110.3312, 20.0311}},  {"Kashgar", {75.9897, 39.4704}},
    };
    return places;
}

} // namespace

TEST_CASE("WGS 84 -> GCJ-02 -> WGS 84 round trips to under a centimetre", "[crs][gcj02]") {
    for (const auto& place : chinese_places()) {
        INFO(place.name);
        const Point gcj = wgs84_to_gcj02(place.lonlat);
        CHECK(geodesic_distance(gcj, place.lonlat) > 50.0); // it did move
        CHECK(geodesic_distance(gcj02_to_wgs84(gcj), place.lonlat) < 0.01);
    }
    // And across the whole box, every half degree over mainland China.
    double worst = 0.0;
    for (double lon = 74.0; lon <= 135.0; lon += 0.5) {
        for (double lat = 18.0; lat <= 53.5; lat += 0.5) {
            const Point wgs{lon, lat};
            worst = std::max(worst, geodesic_distance(gcj02_to_wgs84(wgs84_to_gcj02(wgs)), wgs));
        }
    }
    CHECK(worst < 0.01);
}

TEST_CASE("WGS 84 -> BD-09 -> WGS 84 round trips to under a centimetre", "[crs][bd09]") {
    for (const auto& place : chinese_places()) {
        INFO(place.name);
        const Point bd = wgs84_to_bd09(place.lonlat);
        CHECK(geodesic_distance(bd09_to_wgs84(bd), place.lonlat) < 0.01);
        const Point gcj = wgs84_to_gcj02(place.lonlat);
        CHECK(geodesic_distance(bd09_to_gcj02(gcj02_to_bd09(gcj)), gcj) < 0.01);
    }
}

TEST_CASE("offset magnitudes at Linqing match DOMAIN.md", "[crs][gcj02][bd09]") {
    const Point linqing{115.7, 36.8};
    const double gcj = geodesic_distance(linqing, wgs84_to_gcj02(linqing));
    const double bd = geodesic_distance(linqing, wgs84_to_bd09(linqing));
    CHECK(gcj > 400.0); // "~500 m"
    CHECK(gcj < 700.0);
    CHECK(bd > 1100.0); // "~1.3 km"
    CHECK(bd < 1500.0);
}

TEST_CASE("points outside China's box are unchanged", "[crs][gcj02][bd09]") {
    for (const Point& p : {Point{14.4, 50.1}, Point{139.69, 35.69}, Point{-74.0, 40.7}, Point{151.2, -33.87},
                           Point{72.0, 30.0}, Point{100.0, 0.5}, Point{100.0, 56.0}}) {
        INFO(p.x << ", " << p.y);
        CHECK_FALSE(in_china_box(p));
        CHECK(wgs84_to_gcj02(p) == p);
        CHECK(gcj02_to_wgs84(p) == p);
        CHECK(wgs84_to_bd09(p) == p);
        CHECK(bd09_to_wgs84(p) == p);
        CHECK(gcj02_to_bd09(p) == p);
        CHECK(bd09_to_gcj02(p) == p);
    }
    CHECK(in_china_box({115.7, 36.8}));
    CHECK(in_china_box({72.004, 0.8293}));
    CHECK(in_china_box({137.8347, 55.8271}));
}

// Published pairs. Sources (values only, no code taken):
//  * googollee/eviltransform, python/test.py (commit 3416646a): WGS 84 / GCJ-02
//    pairs for Shanghai, Shenzhen and Beijing, checked there to 6 decimals. That
//    library scales the offset with a = 6378137 instead of Krasovsky's 6378245
//    (a 1.7e-5 relative difference, under a centimetre). Its BD-09 -> WGS 84
//    pairs near Hangzhou are not used: they differ from the public formulas by
//    10 and 40 m (its own code gives the same difference), so they were not
//    made with them.
//  * wandergis/coordtransform, test/app.js: results printed for (116.404, 39.915)
//    by its wgs84togcj02, gcj02tobd09 and bd09togcj02 (the last is the
//    closed-form approximate inverse).
TEST_CASE("published WGS 84 / GCJ-02 pairs", "[crs][gcj02]") {
    struct Pair {
        const char* name;
        Point wgs;
        Point gcj;
    };
    const std::vector<Pair> pairs{
        {"Shanghai", {121.5272106, 31.1774276}, {121.531541859215, 31.17530398364597}},
        {"Shenzhen", {113.912316, 22.543847}, {113.9171764808363, 22.540796131694766}},
        {"Beijing", {116.377817, 39.911954}, {116.38404722455657, 39.91334545536069}},
        {"Tiananmen (coordtransform)", {116.404, 39.915}, {116.41024449916938, 39.91640428150164}},
    };
    for (const auto& pair : pairs) {
        INFO(pair.name);
        const Point gcj = wgs84_to_gcj02(pair.wgs);
        CHECK(gcj.x == Approx(pair.gcj.x).margin(1e-6));
        CHECK(gcj.y == Approx(pair.gcj.y).margin(1e-6));
        CHECK(geodesic_distance(gcj, pair.gcj) < 0.05);
        CHECK(geodesic_distance(gcj02_to_wgs84(pair.gcj), pair.wgs) < 0.05);
    }
}

TEST_CASE("published GCJ-02 / BD-09 pairs", "[crs][bd09]") {
    const Point gcj{116.404, 39.915};
    const Point bd = gcj02_to_bd09(gcj);
    CHECK(bd.x == Approx(116.41036949371029).margin(1e-9));
    CHECK(bd.y == Approx(39.92133699351021).margin(1e-9));

    // coordtransform's bd09togcj02 is the approximate closed-form inverse;
    // ours iterates, so it agrees to within a few decimetres.
    const Point back = bd09_to_gcj02(Point{116.404, 39.915});
    CHECK(geodesic_distance(back, Point{116.39762729119315, 39.90865673957631}) < 0.5);
    CHECK(geodesic_distance(gcj02_to_bd09(back), Point{116.404, 39.915}) < 0.001);
}
