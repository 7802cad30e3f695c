#include "polyline.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plan::skeleton_detail {

Measured::Measured(LineString line) : line_(std::move(line)) {
    cum_.reserve(line_.size());
    double s = 0.0;
    for (std::size_t i = 0; i < line_.size(); ++i) {
        if (i > 0) s += distance(line_[i - 1], line_[i]);
        cum_.push_back(s);
    }
}

double Measured::station(const Point& p, double* offset) const {
    double best = std::numeric_limits<double>::infinity(), best_s = 0.0;
    if (line_.size() == 1) best = distance(p, line_[0]);
    for (std::size_t i = 1; i < line_.size(); ++i) {
        double t = 0.0;
        const double d = point_segment_distance(p, line_[i - 1], line_[i], &t);
        if (d < best) {
            best = d;
            best_s = cum_[i - 1] + t * (cum_[i] - cum_[i - 1]);
        }
    }
    if (offset) *offset = best;
    return best_s;
}

double Measured::extended_station(const Point& p) const {
    const double s = station(p);
    if (line_.size() < 2 || (s > 0.0 && s < length())) return s;
    // Unclamped projection on the end segment.
    const bool start = s <= 0.0;
    const Point& a = start ? line_[0] : line_[line_.size() - 2];
    const Point& b = start ? line_[1] : line_.back();
    const Point u = unit(a, b);
    const double along = (p.x - b.x) * u.x + (p.y - b.y) * u.y; // from b
    if (start) return std::min(0.0, (p.x - a.x) * u.x + (p.y - a.y) * u.y);
    return std::max(length(), length() + along);
}

double Measured::length_within(const LineString& g) const {
    double total = 0.0;
    const double l = length();
    for (std::size_t i = 1; i < g.size(); ++i) {
        const double sa = extended_station(g[i - 1]), sb = extended_station(g[i]);
        const double lo = std::min(sa, sb), hi = std::max(sa, sb);
        const double seg = distance(g[i - 1], g[i]);
        if (hi - lo <= 1e-9) {
            total += (lo >= 0.0 && lo <= l) ? seg : 0.0;
            continue;
        }
        const double inside = std::max(0.0, std::min(hi, l) - std::max(lo, 0.0));
        total += seg * inside / (hi - lo);
    }
    return total;
}

Point Measured::at(double s) const {
    if (line_.empty()) return {};
    if (s <= 0.0) return line_.front();
    if (s >= length()) return line_.back();
    const auto it = std::upper_bound(cum_.begin(), cum_.end(), s);
    const std::size_t i = static_cast<std::size_t>(it - cum_.begin());
    const double seg = cum_[i] - cum_[i - 1];
    const double t = seg > 0 ? (s - cum_[i - 1]) / seg : 0.0;
    return {line_[i - 1].x + t * (line_[i].x - line_[i - 1].x), line_[i - 1].y + t * (line_[i].y - line_[i - 1].y)};
}

Point Measured::tangent(double s) const {
    if (line_.size() < 2) return {1.0, 0.0};
    const double l = length();
    const double a = std::clamp(s - 10.0, 0.0, l), b = std::clamp(s + 10.0, 0.0, l);
    return unit(at(a), at(b));
}

LineString Measured::between(double s0, double s1) const {
    LineString out{at(s0)};
    for (std::size_t i = 0; i < line_.size(); ++i)
        if (cum_[i] > s0 && cum_[i] < s1) out.push_back(line_[i]);
    out.push_back(at(s1));
    return out;
}

double distance_to(const Point& p, const LineString& line) {
    if (line.size() == 1) return distance(p, line[0]);
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i < line.size(); ++i) best = std::min(best, point_segment_distance(p, line[i - 1], line[i]));
    return best;
}

double distance_between(const LineString& a, const LineString& b) {
    if (lines_cross(a, b)) return 0.0;
    double best = std::numeric_limits<double>::infinity();
    for (const auto& p : a) best = std::min(best, distance_to(p, b));
    for (const auto& p : b) best = std::min(best, distance_to(p, a));
    return best;
}

bool segments_cross(const Point& a, const Point& b, const Point& c, const Point& d, Point* at) {
    const double rx = b.x - a.x, ry = b.y - a.y, sx = d.x - c.x, sy = d.y - c.y;
    const double den = rx * sy - ry * sx;
    if (den == 0.0) return false; // parallel: touching along a line is not a crossing here
    const double t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / den;
    const double u = ((c.x - a.x) * ry - (c.y - a.y) * rx) / den;
    if (t < 0.0 || t > 1.0 || u < 0.0 || u > 1.0) return false;
    if (at) *at = {a.x + t * rx, a.y + t * ry};
    return true;
}

bool lines_cross(const LineString& a, const LineString& b, Point* at) {
    for (std::size_t i = 1; i < a.size(); ++i)
        for (std::size_t j = 1; j < b.size(); ++j)
            if (segments_cross(a[i - 1], a[i], b[j - 1], b[j], at)) return true;
    return false;
}

bool contains(const Polygon& polygon, const Point& p) {
    bool inside = false;
    for (const auto& ring : polygon.rings)
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const Point& a = ring[i];
            const Point& b = ring[j];
            if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
        }
    return inside;
}

bool line_meets_polygon(const LineString& line, const Polygon& polygon) {
    for (const auto& ring : polygon.rings)
        if (lines_cross(line, ring)) return true;
    return !line.empty() && contains(polygon, line.front());
}

Point centroid(const std::vector<Polygon>& parts) {
    double sx = 0, sy = 0, sa = 0;
    Envelope box;
    for (const auto& poly : parts)
        for (const auto& ring : poly.rings)
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                const double c = ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
                sa += c;
                sx += (ring[i].x + ring[i + 1].x) * c;
                sy += (ring[i].y + ring[i + 1].y) * c;
                box.expand(ring[i]);
            }
    // Holes are wound opposite to exteriors in valid data, so the sums subtract
    // them; a degenerate polygon falls back to its box centre.
    if (std::abs(sa) < 1e-9) return box.empty() ? Point{} : Point{(box.minx + box.maxx) / 2, (box.miny + box.maxy) / 2};
    return {sx / (3 * sa), sy / (3 * sa)};
}

Point unit(const Point& a, const Point& b) {
    const double d = distance(a, b);
    if (d == 0.0) return {0.0, 0.0};
    return {(b.x - a.x) / d, (b.y - a.y) / d};
}

std::vector<Point> sample(const LineString& line, double step) {
    Measured m(line);
    std::vector<Point> out;
    const double l = m.length();
    const int n = std::max(1, static_cast<int>(std::ceil(l / step)));
    for (int i = 0; i <= n; ++i) out.push_back(m.at(l * i / n));
    return out;
}

} // namespace plan::skeleton_detail
