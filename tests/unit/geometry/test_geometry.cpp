#include <catch2/catch.hpp>

#include "plan/geometry.hpp"

using namespace plan;

TEST_CASE("length of a polyline adds its segments", "[geometry]") {
    const LineString l{{0, 0}, {3, 4}, {3, 10}};
    CHECK(length(l) == Approx(11.0));
    CHECK(length(LineString{}) == 0.0);
}

TEST_CASE("polygon area subtracts holes and ignores orientation", "[geometry]") {
    Polygon p;
    p.rings.push_back({{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}); // clockwise
    CHECK(area(p) == Approx(100.0));
    CHECK(signed_area(p.rings[0]) == Approx(-100.0));
    p.rings.push_back({{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}});
    CHECK(area(p) == Approx(96.0));
}

TEST_CASE("point to segment distance and foot parameter", "[geometry]") {
    double t = -1;
    CHECK(point_segment_distance({5, 3}, {0, 0}, {10, 0}, &t) == Approx(3.0));
    CHECK(t == Approx(0.5));
    CHECK(point_segment_distance({-4, 3}, {0, 0}, {10, 0}, &t) == Approx(5.0));
    CHECK(t == 0.0);
    CHECK(point_segment_distance({1, 1}, {2, 2}, {2, 2}, &t) == Approx(std::sqrt(2.0)));
}

TEST_CASE("envelope grows and tests intersection", "[geometry]") {
    Envelope e;
    CHECK(e.empty());
    e.expand(Point{1, 2});
    e.expand(Point{3, -1});
    CHECK_FALSE(e.empty());
    CHECK(e.width() == 2.0);
    CHECK(e.height() == 3.0);
    Envelope f;
    f.expand(Point{2.5, 1});
    f.expand(Point{8, 8});
    CHECK(e.intersects(f));
}
