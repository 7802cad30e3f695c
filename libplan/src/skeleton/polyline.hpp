#pragma once
// Small planar helpers on our own geometry types for the skeleton: linear
// referencing along a polyline, distances, crossings and containment.
#include <vector>

#include "plan/geometry.hpp"

namespace plan::skeleton_detail {

/// A polyline with cumulative lengths, for stations (distance along it).
class Measured {
public:
    Measured() = default;
    explicit Measured(LineString line);
    const LineString& line() const { return line_; }
    double length() const { return cum_.empty() ? 0.0 : cum_.back(); }
    /// Station of the closest point of the line to p; `offset` gets the distance.
    double station(const Point& p, double* offset = nullptr) const;
    /// Like station(), but a point beyond an end gets a station below 0 or
    /// above length(), measured along the end segment's direction.
    double extended_station(const Point& p) const;
    /// Length of the part of `line` whose extended stations lie within [0, length()].
    double length_within(const LineString& line) const;
    Point at(double station) const;
    /// Unit tangent at a station.
    Point tangent(double station) const;
    /// The part between two stations (s0 < s1), starting and ending exactly there.
    LineString between(double s0, double s1) const;

private:
    LineString line_;
    std::vector<double> cum_;
};

double distance_to(const Point& p, const LineString& line);
/// Smallest distance between two polylines (exact for straight segments).
double distance_between(const LineString& a, const LineString& b);
bool segments_cross(const Point& a, const Point& b, const Point& c, const Point& d, Point* at = nullptr);
bool lines_cross(const LineString& a, const LineString& b, Point* at = nullptr);
bool contains(const Polygon& polygon, const Point& p);
/// True when the line crosses the polygon's boundary or lies inside it.
bool line_meets_polygon(const LineString& line, const Polygon& polygon);
/// Area-weighted centroid of polygon parts (exterior rings minus holes).
Point centroid(const std::vector<Polygon>& parts);
/// Unit vector of b - a (zero when a == b).
Point unit(const Point& a, const Point& b);
/// Points every `step` metres along the line, both ends included.
std::vector<Point> sample(const LineString& line, double step);

} // namespace plan::skeleton_detail
