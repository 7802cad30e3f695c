// The coarse outline of China that decides between CGCS2000 Gauss-Krüger and
// UTM (libplan/src/crs/china_outline.cpp).
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "crs/china_outline.hpp"
#include "plan/crs.hpp"
#include "test_support.hpp"

using namespace plan;

namespace {

struct Place {
    const char* name;
    double lon;
    double lat;
};

CrsRef zone_at(double lon, double lat) {
    Envelope e;
    e.expand(Point{lon - 0.02, lat - 0.02});
    e.expand(Point{lon + 0.02, lat + 0.02});
    return choose_metric_crs(e);
}

} // namespace

TEST_CASE("outline of China: border and coastal towns inside, neighbouring countries' cities outside", "[crs]") {
    const Place china[] = {
        {"Linqing", 115.7, 36.84},   {"Heihe", 127.5, 50.25},      {"Fuyuan", 134.28, 48.36},  {"Mohe", 122.5, 52.97},
        {"Hunchun", 130.37, 42.87},  {"Yanji", 129.5, 42.9},       {"Dandong", 124.39, 40.13}, {"Ji'an", 126.18, 41.12},
        {"Changbai", 128.2, 41.42},  {"Pingxiang", 106.75, 22.1},  {"Dongxing", 107.97, 21.54}, {"Hekou", 103.95, 22.51},
        {"Ruili", 97.85, 24.0},      {"Tengchong", 98.5, 25.0},    {"Lhasa", 91.1, 29.65},     {"Yadong", 88.93, 27.47},
        {"Zhangmu", 85.98, 27.99},   {"Burang", 81.18, 30.29},     {"Kashgar", 75.99, 39.47},  {"Tashkurgan", 75.23, 37.77},
        {"Khorgas", 80.42, 44.2},    {"Alashankou", 82.57, 45.17}, {"Tacheng", 82.98, 46.75},  {"Altay", 88.13, 47.85},
        {"Erenhot", 111.98, 43.65},  {"Manzhouli", 117.43, 49.6},  {"Hailar", 119.7, 49.2},    {"Sanya", 109.5, 18.25},
        {"Taipei", 121.56, 25.04},   {"Kaohsiung", 120.3, 22.6},   {"Zhoushan", 122.2, 30.0},  {"Hong Kong", 114.17, 22.3},
        {"Sansha", 112.3, 16.83},    {"Suifenhe", 131.15, 44.4},   {"Tongjiang", 132.5, 47.65}, {"Jingxi", 106.42, 23.13},
        {"Gongshan", 98.67, 27.74},  {"Weihai", 122.1, 37.5},      {"Urumqi", 87.6, 43.8},     {"Mengla", 101.57, 21.47}};
    const Place abroad[] = {
        {"Seoul", 127.0, 37.55},      {"Pyongyang", 125.75, 39.03}, {"Busan", 129.07, 35.18},  {"Jeju", 126.5, 33.4},
        {"Hanoi", 105.85, 21.03},     {"Lang Son", 106.76, 21.85},  {"Cao Bang", 106.25, 22.67}, {"Ha Giang", 104.98, 22.82},
        {"Da Nang", 108.2, 16.05},    {"Vientiane", 102.6, 17.97},  {"Lashio", 97.75, 22.93},   {"Myitkyina", 97.4, 25.38},
        {"Putao", 97.4, 27.33},       {"Ulaanbaatar", 106.9, 47.9}, {"Choibalsan", 114.5, 48.07}, {"Sainshand", 110.1, 44.9},
        {"Khovd", 91.64, 48.0},       {"Almaty", 76.9, 43.25},      {"Bishkek", 74.6, 42.87},   {"Osh", 72.8, 40.5},
        {"Kathmandu", 85.32, 27.7},   {"Thimphu", 89.64, 27.47},    {"Gangtok", 88.61, 27.33},  {"Leh", 77.58, 34.16},
        {"Gilgit", 74.3, 35.9},       {"Dhaka", 90.4, 23.8},        {"Vladivostok", 131.9, 43.1}, {"Khabarovsk", 135.07, 48.48},
        {"Chita", 113.5, 52.0},       {"Tokyo", 139.7, 35.7},       {"Naha", 127.7, 26.2},      {"Manila", 120.98, 14.6},
        {"Laoag", 120.6, 18.2},       {"Batanes", 121.97, 20.45},   {"Rason", 130.3, 42.25},    {"Hoeryong", 129.75, 42.44},
        {"Hue", 107.6, 16.46}};
    for (const Place& p : china) {
        INFO(p.name);
        CHECK(detail::in_china_outline(p.lon, p.lat));
        const int epsg = zone_at(p.lon, p.lat).epsg;
        CHECK((epsg >= 4534 && epsg <= 4554));
    }
    for (const Place& p : abroad) {
        INFO(p.name);
        CHECK_FALSE(detail::in_china_outline(p.lon, p.lat));
        CHECK(zone_at(p.lon, p.lat).epsg > 32600);
    }
    CHECK(zone_at(127.0, 37.55).epsg == 32652); // Seoul: UTM 52N
    CHECK(zone_at(105.85, 21.03).epsg == 32648); // Hanoi: UTM 48N
    CHECK(zone_at(115.7, 36.84).epsg == 4548);  // Linqing: GK CM 117E
}

TEST_CASE("outline of China: on the same side as Natural Earth's border everywhere 50 km away from it", "[crs]") {
    // Natural Earth 1:110m, as GeoPandas ships it; the one point allowed is in
    // Aksai Chin, where Natural Earth draws the line of control elsewhere.
    const auto r = plan::test::run_shell(std::string(PLAN_SYSTEM_PYTHON) + " " +
                                         plan::test::quote((plan::test::source_dir() / "scripts/check_china_outline.py").string()) +
                                         " --allow 1 2>&1");
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("land points more than 0.5 degree from the border") != std::string::npos);
}

TEST_CASE("data across the antimeridian gets the zone around 180 degrees, not 0", "[crs]") {
    LongitudeSpan span;
    Envelope plain;
    for (const double lon : {179.9875, 179.995, -179.9975, -179.99}) {
        span.add(lon);
        plain.expand(Point{lon, -16.8});
    }
    const Envelope e = span.narrowest(plain);
    CHECK(e.minx == Approx(179.9875));
    CHECK(e.maxx == Approx(180.01));
    CHECK(choose_metric_crs(e).epsg == 32760); // Fiji: UTM 60S (centre 179.999 E)
    // Data that does not cross it keeps its plain extent.
    LongitudeSpan west;
    Envelope w;
    for (const double lon : {-10.0, 20.0}) {
        west.add(lon);
        w.expand(Point{lon, 0.0});
    }
    CHECK(west.narrowest(w).minx == -10.0);
    CHECK(west.narrowest(w).maxx == 20.0);
}

TEST_CASE("plan network on lines across the antimeridian projects them to the zone there and keeps them short", "[crs][cli]") {
    const auto dir = plan::test::scratch_dir("antimeridian");
    const auto path = dir / "fiji.geojson";
    {
        std::ofstream out(path);
        out << R"({"type":"FeatureCollection","features":[)"
            << R"({"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"LineString","coordinates":[[179.99,-16.8],[-179.99,-16.8]]}},)"
            << R"({"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"LineString","coordinates":[[-179.99,-16.8],[-179.98,-16.81]]}}]})";
    }
    const auto r = plan::test::run_plan("network " + plan::test::quote(path.string()) + " --json -q");
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    // From 179.99 E to 179.98 W: the centre, 179.995 W, is in UTM zone 1S.
    CHECK(r.out.find("EPSG:32701") != std::string::npos);
    // Geodesic lengths (pyproj.Geod): 2.132 km and 1.537 km; UTM 60S stretches
    // them by under 0.1 % this close to its central meridian (177 W).
    const auto at = r.out.find("\"length_km\": ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(r.out.substr(at + 13)) == Approx(2.132 + 1.537).epsilon(0.003));
}
