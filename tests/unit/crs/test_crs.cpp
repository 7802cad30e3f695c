#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <geodesic.h>

#include "plan/crs.hpp"
#include "plan/error.hpp"

using namespace plan;

namespace {

Envelope around(double lon, double lat, double half = 0.05) { return {lon - half, lat - half, lon + half, lat + half}; }

// The message of the crs_error thrown by f, "" when it throws none.
template <class F>
std::string crs_error_message(F f) {
    try {
        f();
    } catch (const crs_error& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE("EPSG codes are read in every spelling", "[crs]") {
    for (const std::string text : {"EPSG:4548", "4548", "epsg:4548", "  EPSG:4548 "}) {
        INFO(text);
        const CrsRef crs = crs_from_user(text);
        CHECK(crs.epsg == 4548);
        CHECK(crs.name == "CGCS2000 / 3-degree Gauss-Kruger CM 117E");
        CHECK_FALSE(crs.geographic);
        CHECK(crs.offset == CrsRef::Offset::none);
        CHECK(crs.known());
        CHECK(crs.label() == "EPSG:4548 (CGCS2000 / 3-degree Gauss-Kruger CM 117E)");
    }
    const CrsRef wgs = crs_from_user("epsg:4326");
    CHECK(wgs.epsg == 4326);
    CHECK(wgs.geographic);
    CHECK(wgs.label() == "EPSG:4326 (WGS 84)");
    CHECK(crs_from_user("EPSG:4490").geographic);
}

TEST_CASE("WKT and PROJ strings are read and identified", "[crs]") {
    const CrsRef from_wkt = crs_from_user(crs_from_epsg(4547).wkt);
    CHECK(from_wkt.epsg == 4547);
    CHECK_FALSE(from_wkt.geographic);

    const CrsRef utm = crs_from_user("+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs");
    CHECK(utm.epsg == 32650); // identified although the text has no authority
    CHECK_FALSE(utm.geographic);

    const CrsRef gk = crs_from_user("+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs");
    CHECK(gk.known());
    CHECK_FALSE(gk.geographic);
    CHECK_FALSE(gk.label().empty());

    const CrsRef lonlat = crs_from_user("+proj=longlat +datum=WGS84 +no_defs");
    CHECK(lonlat.geographic);
    CHECK(lonlat.epsg == 4326);
}

TEST_CASE("GCJ-02 and BD-09 pseudo-CRSs", "[crs]") {
    for (const std::string text : {"GCJ02", "gcj-02", "Gcj02", "GCJ_02"}) {
        INFO(text);
        const CrsRef crs = crs_from_user(text);
        CHECK(crs.offset == CrsRef::Offset::gcj02);
        CHECK(crs.geographic);
        CHECK(crs.known());
        CHECK(crs.epsg == 0);
        CHECK(crs.wkt == wgs84().wkt); // the datum underneath is WGS 84
        CHECK(crs.label().find("GCJ-02") != std::string::npos);
    }
    for (const std::string text : {"BD09", "bd-09", "Bd09"}) {
        INFO(text);
        const CrsRef crs = crs_from_user(text);
        CHECK(crs.offset == CrsRef::Offset::bd09);
        CHECK(crs.label().find("BD-09") != std::string::npos);
    }
}

TEST_CASE("unknown CRSs are crs_errors naming the text, with a hint", "[crs]") {
    for (const std::string text : {"EPSG:999999", "999999", "nonsense", "+proj=nosuchprojection", "GCJ03", "12345678901234"}) {
        INFO(text);
        const std::string message = crs_error_message([&] { crs_from_user(text); });
        CHECK(message.find(text) != std::string::npos);
        try {
            crs_from_user(text);
        } catch (const crs_error& e) {
            CHECK_FALSE(e.hint().empty());
            CHECK(e.exit_code() == 1);
        }
    }
    CHECK_THROWS_AS(crs_from_user(""), crs_error);
    CHECK_THROWS_AS(crs_from_user("   "), crs_error);
    CHECK_THROWS_AS(crs_from_epsg(999999), crs_error);
    CHECK_THROWS_AS(crs_from_epsg(0), crs_error);
    CHECK_THROWS_AS(crs_from_epsg(-4326), crs_error);
    CHECK(crs_error_message([] { crs_from_epsg(999999); }).find("999999") != std::string::npos);
}

TEST_CASE("a CRS without EPSG code or name labels itself plainly", "[crs]") {
    CHECK(CrsRef{}.label() == "unknown");
    CHECK_FALSE(CrsRef{}.known());
    CrsRef named;
    named.name = "Local grid";
    CHECK(named.label() == "Local grid");
}

TEST_CASE("transforms use traditional GIS axis order (x = lon / east)", "[crs]") {
    // EPSG:4490 and EPSG:4548 are both northing-first in the EPSG database.
    for (const CrsRef& from : {wgs84(), crs_from_epsg(4490)}) {
        INFO(from.label());
        const Transform t(from, crs_from_epsg(4548));
        CHECK_FALSE(t.identity());
        const Point cm = t.apply(Point{117.0, 36.8});
        CHECK(cm.x == Approx(500000.0).margin(0.01));
        CHECK(cm.y > 4.0e6);
        CHECK(cm.y < 4.2e6);
        const Point linqing = t.apply(Point{115.7, 36.8});
        CHECK(linqing.x > 380000.0); // ~116 km west of the central meridian
        CHECK(linqing.x < 390000.0);

        const Transform back(crs_from_epsg(4548), from);
        const Point again = back.apply(linqing);
        CHECK(again.x == Approx(115.7).margin(1e-9));
        CHECK(again.y == Approx(36.8).margin(1e-9));
    }
}

TEST_CASE("identity transforms", "[crs]") {
    CHECK(Transform(wgs84(), crs_from_user("EPSG:4326")).identity());
    CHECK(Transform(crs_from_epsg(4548), crs_from_user("4548")).identity());
    CHECK(Transform(crs_from_user("GCJ02"), crs_from_user("gcj-02")).identity());
    CHECK_FALSE(Transform(crs_from_user("GCJ02"), wgs84()).identity());
    CHECK_FALSE(Transform(wgs84(), crs_from_user("BD09")).identity());
    const Point p{116.4, 39.9};
    CHECK(Transform(wgs84(), wgs84()).apply(p) == p);
}

TEST_CASE("GCJ-02 and BD-09 sources go through WGS 84", "[crs]") {
    const Point gcj{115.7, 36.8};
    const Transform to_wgs(crs_from_user("GCJ02"), wgs84());
    const Point wgs = to_wgs.apply(gcj);
    CHECK(geodesic_distance(wgs, gcj02_to_wgs84(gcj)) < 1e-6);

    const Transform to_gk(crs_from_user("BD09"), crs_from_epsg(4548));
    const Point bd = wgs84_to_bd09(Point{115.7, 36.8});
    const Point gk = to_gk.apply(bd);
    const Point direct = Transform(wgs84(), crs_from_epsg(4548)).apply(Point{115.7, 36.8});
    CHECK(distance(gk, direct) < 0.01);

    // And to them, for output on Chinese web maps.
    const Transform to_bd(crs_from_epsg(4548), crs_from_user("BD09"));
    const Point out = to_bd.apply(direct);
    CHECK(geodesic_distance(out, bd) < 0.01);
}

TEST_CASE("transformed envelopes follow curved edges", "[crs]") {
    const Transform t(wgs84(), crs_from_epsg(4548));
    const Envelope lonlat{115.5, 36.0, 118.5, 38.0};
    const Envelope gk = t.apply(lonlat);
    REQUIRE_FALSE(gk.empty());
    // Parallels curve towards the pole away from the central meridian, so the
    // southern edge is lowest at the meridian, which the corners alone miss.
    const Point south_middle = t.apply(Point{117.0, 36.0});
    const Point south_corner = t.apply(Point{115.5, 36.0});
    CHECK(south_middle.y < south_corner.y);
    CHECK(gk.miny <= south_middle.y + 1e-6);
    CHECK(gk.minx <= t.apply(Point{115.5, 38.0}).x + 1e-6);
    CHECK(t.apply(Envelope{}).empty());
}

TEST_CASE("failed transforms are crs_errors", "[crs]") {
    const Transform t(wgs84(), crs_from_epsg(4548));
    CHECK_THROWS_AS(t.apply(Point{117.0, 95.0}), crs_error);
    CHECK_THROWS_AS(t.apply(Point{std::nan(""), 30.0}), crs_error);
    CHECK_THROWS_AS(Transform(CrsRef{}, wgs84()), crs_error);
    CHECK_THROWS_AS(Transform(wgs84(), CrsRef{}), crs_error);
    const std::string message = crs_error_message([&] { t.apply(Point{117.0, 95.0}); });
    CHECK(message.find("EPSG:4548") != std::string::npos);
}

TEST_CASE("Transform is movable", "[crs]") {
    Transform a(wgs84(), crs_from_epsg(4548));
    Transform b(std::move(a));
    CHECK(b.apply(Point{117.0, 36.8}).x == Approx(500000.0).margin(0.01));
    Transform c(wgs84(), wgs84());
    c = std::move(b);
    CHECK_FALSE(c.identity());
}

TEST_CASE("the metric CRS inside China is the nearest CGCS2000 3-degree zone", "[crs]") {
    CHECK(choose_metric_crs(around(115.7, 36.8)).epsg == 4548); // Linqing, CM 117
    CHECK(choose_metric_crs(around(114.2, 30.6)).epsg == 4547); // Wuhan, CM 114
    CHECK(choose_metric_crs(around(116.4, 39.9)).epsg == 4548); // Beijing
    CHECK(choose_metric_crs(around(104.07, 30.67)).epsg == 4544); // Chengdu, CM 105
    CHECK(choose_metric_crs(around(121.47, 31.23)).epsg == 4549); // Shanghai, CM 120
    CHECK(choose_metric_crs(around(87.62, 43.83)).epsg == 4538); // Urumqi, CM 87
    CHECK(choose_metric_crs(around(75.99, 39.47)).epsg == 4534); // Kashgar, CM 75
    CHECK(choose_metric_crs(around(134.3, 47.7)).epsg == 4554); // Fuyuan, CM 135
    CHECK(choose_metric_crs(around(116.4, 39.9)).name == "CGCS2000 / 3-degree Gauss-Kruger CM 117E");
}

TEST_CASE("the metric CRS elsewhere is the UTM zone", "[crs]") {
    CHECK(choose_metric_crs(around(7.42, 43.73)).epsg == 32632);  // Monaco
    CHECK(choose_metric_crs(around(14.4, 50.1)).epsg == 32633);   // Prague
    CHECK(choose_metric_crs(around(18.06, 59.33)).epsg == 32634); // Stockholm
    CHECK(choose_metric_crs(around(151.2, -33.87)).epsg == 32756); // Sydney
    CHECK(choose_metric_crs(around(-74.0, 40.7)).epsg == 32618);  // New York
    CHECK(choose_metric_crs(around(139.7, 35.7)).epsg == 32654);  // Tokyo, outside China's box
    // No Norway exception: Bergen keeps its standard zone 31 (nearest central meridian).
    CHECK(choose_metric_crs(around(5.32, 60.39)).epsg == 32631);
    CHECK_THROWS_AS(choose_metric_crs(Envelope{}), crs_error);
    CHECK_THROWS_AS(choose_metric_crs(Envelope{500000, 4000000, 500100, 4000100}), crs_error);
}

TEST_CASE("scale error of projected CRSs over an extent", "[crs]") {
    const Envelope prague = around(14.4, 50.1, 0.01);
    // Web Mercator stretches by 1/cos(lat) (sphere): ×1.56 at Prague.
    const double web = max_scale_error(crs_from_epsg(3857), prague);
    CHECK(web == Approx(1.0 / std::cos(50.1 * 3.14159265358979 / 180.0) - 1.0).margin(0.01));
    CHECK(web > kMaxScaleError);

    const double gk = max_scale_error(crs_from_epsg(4548), around(115.7, 36.8, 0.1));
    CHECK(gk > 1.0e-4);
    CHECK(gk < 3.0e-4);

    // UTM's 0.9996 central scale factor keeps it under the threshold.
    CHECK(max_scale_error(crs_from_epsg(32633), prague) < kMaxScaleError);
    // A CRS in US survey feet: the unit is not a distortion.
    CHECK(max_scale_error(crs_from_epsg(2263), around(-73.95, 40.7)) < kMaxScaleError);
    // A PROJ string (bound CRS once it has +towgs84).
    CHECK(max_scale_error(crs_from_user("+proj=tmerc +lon_0=117 +x_0=500000 +ellps=krass +towgs84=0,0,0 +units=m"),
                          around(115.7, 36.8, 0.1)) == Approx(gk).margin(1e-5));

    CHECK(std::isinf(max_scale_error(wgs84(), prague)));
    CHECK(std::isinf(max_scale_error(crs_from_epsg(4490), prague)));
    CHECK(std::isinf(max_scale_error(crs_from_user("GCJ02"), prague)));
    CHECK_THROWS_AS(max_scale_error(CrsRef{}, prague), crs_error);
}

TEST_CASE("the chosen metric CRS keeps the scale error under the threshold", "[crs]") {
    for (const Point& centre : {Point{115.7, 36.8}, Point{104.07, 30.67}, Point{87.62, 43.83}, Point{7.42, 43.73},
                                Point{14.4, 50.1}, Point{18.06, 59.33}, Point{151.2, -33.87}}) {
        INFO(centre.x << ", " << centre.y);
        const Envelope city = around(centre.x, centre.y, 0.15);
        CHECK(max_scale_error(choose_metric_crs(city), city) < kMaxScaleError);
    }
}

TEST_CASE("geodesic distance on WGS 84", "[crs]") {
    CHECK(geodesic_distance({0, 0}, {1, 0}) == Approx(111319.4908).margin(0.001)); // a·π/180
    CHECK(geodesic_distance({116.4, 39.9}, {116.4, 39.9}) == 0.0);
    // Beijing to Shanghai, about 1,067 km.
    CHECK(geodesic_distance({116.4074, 39.9042}, {121.4737, 31.2304}) == Approx(1067e3).epsilon(0.01));
    // The same as PROJ's geodesic (both are Karney's algorithm), from a metre to across the globe.
    geod_geodesic g{};
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    const Point pairs[][2] = {{{115.7, 36.8}, {115.70001, 36.80001}}, {{115.7, 36.8}, {115.701, 36.8}},
                              {{-74.0, 40.7}, {2.35, 48.86}},           {{0.0, 0.0}, {179.5, 0.3}},
                              {{116.4, -33.9}, {-58.4, 34.6}}};
    for (const auto& pr : pairs) {
        double s12 = 0.0;
        geod_inverse(&g, pr[0].y, pr[0].x, pr[1].y, pr[1].x, &s12, nullptr, nullptr);
        CAPTURE(pr[0].x, pr[0].y, pr[1].x, pr[1].y);
        CHECK(std::abs(geodesic_distance(pr[0], pr[1]) - s12) < 1e-6);
    }
}

TEST_CASE("WGS 84 to the metric zones: libplan's own projection gives PROJ's numbers", "[crs]") {
    // The fast path (GeographicLib's transverse Mercator, no PROJ) must give
    // the operation GDAL and PROJ find by search to within 10 nanometres, over
    // whole zones (a GK zone is 3 degrees wide, a UTM zone 6). Clearing the
    // EPSG codes sends the same CRSs down the search path.
    struct Case { int epsg; double lon0; double lat0; };
    const Case cases[] = {{4534, 75.2, 39.5},  {4545, 104.06, 30.66}, {4548, 115.7, 36.8},
                          {4554, 134.9, 47.3}, {32632, 7.42, 43.73},   {32618, -74.0, 40.7},
                          {32750, 116.8, -32.0}, {32601, -177.5, 51.9}, {4548, 118.45, 20.0},
                          {32633, 17.95, 69.6}};
    constexpr double kNanometres = 1e-8;
    double worst = 0.0;
    for (const auto& c : cases) {
        const CrsRef target = crs_from_epsg(c.epsg);
        CrsRef slow_from = wgs84();
        slow_from.epsg = 0;
        CrsRef slow_to = target;
        slow_to.epsg = 0;
        const Transform fast(wgs84(), target);
        const Transform slow(slow_from, slow_to);
        CAPTURE(c.epsg);
        for (int i = 0; i < 50; ++i) {
            const Point p{c.lon0 + 0.037 * (i % 7) - 0.11, c.lat0 + 0.029 * (i / 7) - 0.1};
            const Point a = fast.apply(p);
            const Point b = slow.apply(p);
            CAPTURE(p.x, p.y, a.x - b.x, a.y - b.y);
            CHECK(std::abs(a.x - b.x) < kNanometres);
            CHECK(std::abs(a.y - b.y) < kNanometres);
            worst = std::max({worst, std::abs(a.x - b.x), std::abs(a.y - b.y)});
        }
    }
    // Not the same code path by accident: the two differ somewhere in the last digits.
    CHECK(worst > 0.0);
    // Back from the zones to lon/lat, against GDAL's inverse: within 1e-10 degree (10 micrometres).
    for (const auto& c : cases) {
        const CrsRef zone = crs_from_epsg(c.epsg);
        CrsRef slow_zone = zone;
        slow_zone.epsg = 0;
        CrsRef slow_to = wgs84();
        slow_to.epsg = 0;
        const Transform there(wgs84(), zone);
        const Transform back(zone, wgs84());
        const Transform slow_back(slow_zone, slow_to);
        CAPTURE(c.epsg);
        for (int i = 0; i < 10; ++i) {
            const Point xy = there.apply(Point{c.lon0 + 0.05 * i - 0.2, c.lat0 + 0.03 * i});
            const Point a = back.apply(xy);
            const Point b = slow_back.apply(xy);
            CAPTURE(xy.x, xy.y, a.x - b.x, a.y - b.y);
            CHECK(std::abs(a.x - b.x) < 1e-10);
            CHECK(std::abs(a.y - b.y) < 1e-10);
        }
    }
    // GCJ-02 input goes through WGS 84 and then the same projection.
    const Transform gcj(crs_from_user("GCJ02"), crs_from_epsg(4548));
    CrsRef slow_to = crs_from_epsg(4548);
    slow_to.epsg = 0;
    const Point w = gcj02_to_wgs84(Point{115.7, 36.8});
    const Point a = gcj.apply(Point{115.7, 36.8});
    const Point b = Transform(wgs84(), slow_to).apply(w);
    CHECK(std::abs(a.x - b.x) < kNanometres);
    CHECK(std::abs(a.y - b.y) < kNanometres);
}

TEST_CASE("WGS 84 to a metric zone: points outside lon/lat are refused, not projected", "[crs]") {
    const Transform t(wgs84(), crs_from_epsg(4548));
    CHECK_THROWS_AS(t.apply(Point{117.0, 91.0}), crs_error);
    CHECK_THROWS_AS(t.apply(Point{std::nan(""), 36.0}), crs_error);
    CHECK(t.apply(Point{117.0, 0.0}).x == Approx(500000.0));
    CHECK(t.apply(Point{117.0, 0.0}).y == Approx(0.0).margin(1e-9));
}
