#pragma once
// Plain geometry types used across libplan's public API. Coordinates are in
// the CRS of the layer that holds them (metres once a layer has been read for
// analysis). No GDAL/GEOS type appears here.
#include <cmath>
#include <limits>
#include <vector>

namespace plan {

struct Point {
    double x = 0.0;
    double y = 0.0;
    friend bool operator==(const Point&, const Point&) = default;
};

using LineString = std::vector<Point>;
using Ring = std::vector<Point>; ///< closed: first point == last point

struct Polygon {
    std::vector<Ring> rings; ///< rings[0] is the exterior, the rest are holes
};

struct Envelope {
    double minx = std::numeric_limits<double>::infinity();
    double miny = std::numeric_limits<double>::infinity();
    double maxx = -std::numeric_limits<double>::infinity();
    double maxy = -std::numeric_limits<double>::infinity();

    bool empty() const { return !(minx <= maxx && miny <= maxy); }
    void expand(const Point& p) {
        minx = std::min(minx, p.x); miny = std::min(miny, p.y);
        maxx = std::max(maxx, p.x); maxy = std::max(maxy, p.y);
    }
    void expand(const Envelope& e) {
        if (e.empty()) return;
        expand(Point{e.minx, e.miny}); expand(Point{e.maxx, e.maxy});
    }
    double width() const { return empty() ? 0.0 : maxx - minx; }
    double height() const { return empty() ? 0.0 : maxy - miny; }
    bool contains(const Point& p) const { return p.x >= minx && p.x <= maxx && p.y >= miny && p.y <= maxy; }
    bool intersects(const Envelope& e) const {
        return !(e.minx > maxx || e.maxx < minx || e.miny > maxy || e.maxy < miny);
    }
};

enum class GeometryKind { none, point, line, polygon };

/// A feature's geometry, always held as a collection of single parts: a
/// MultiLineString is several `lines`, a LineString is one.
struct Geometry {
    GeometryKind kind = GeometryKind::none;
    std::vector<Point> points;
    std::vector<LineString> lines;
    std::vector<Polygon> polygons;
    bool empty() const { return points.empty() && lines.empty() && polygons.empty(); }
    Envelope envelope() const;
};

inline double distance(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); }
double length(const LineString& line);
/// Signed area of a ring: positive when counter-clockwise.
double signed_area(const Ring& ring);
/// Area of a polygon (exterior minus holes), always >= 0.
double area(const Polygon& polygon);
Envelope envelope(const LineString& line);
/// Closest distance from p to segment ab, and the parameter t in [0,1] of the foot.
double point_segment_distance(const Point& p, const Point& a, const Point& b, double* t = nullptr);

} // namespace plan
