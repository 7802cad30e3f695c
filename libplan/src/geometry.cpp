#include "plan/geometry.hpp"

#include <algorithm>

namespace plan {

Envelope Geometry::envelope() const {
    Envelope e;
    for (const auto& p : points) e.expand(p);
    for (const auto& l : lines)
        for (const auto& p : l) e.expand(p);
    for (const auto& poly : polygons)
        for (const auto& r : poly.rings)
            for (const auto& p : r) e.expand(p);
    return e;
}

double length(const LineString& line) {
    double total = 0.0;
    for (std::size_t i = 1; i < line.size(); ++i) total += distance(line[i - 1], line[i]);
    return total;
}

double signed_area(const Ring& ring) {
    if (ring.size() < 3) return 0.0;
    // Shoelace formula relative to the first point to keep precision with large coordinates.
    const Point o = ring.front();
    double twice = 0.0;
    for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
        const double ax = ring[i].x - o.x, ay = ring[i].y - o.y;
        const double bx = ring[i + 1].x - o.x, by = ring[i + 1].y - o.y;
        twice += ax * by - bx * ay;
    }
    return twice / 2.0;
}

double area(const Polygon& polygon) {
    if (polygon.rings.empty()) return 0.0;
    double a = std::abs(signed_area(polygon.rings.front()));
    for (std::size_t i = 1; i < polygon.rings.size(); ++i) a -= std::abs(signed_area(polygon.rings[i]));
    return std::max(a, 0.0);
}

Envelope envelope(const LineString& line) {
    Envelope e;
    for (const auto& p : line) e.expand(p);
    return e;
}

double point_segment_distance(const Point& p, const Point& a, const Point& b, double* t_out) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = 0.0;
    if (len2 > 0.0) t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
    if (t_out) *t_out = t;
    return distance(p, Point{a.x + t * dx, a.y + t * dy});
}

} // namespace plan
