#pragma once
// The few GEOS operations metrics need, behind plain types: the union of
// polygons (area, clipping lines to it, point-in-area) and the count of
// junctions after merging discs around points. One GEOS context per object.
#include <memory>
#include <vector>

#include "plan/geometry.hpp"

namespace plan {

/// The union of a set of polygons, prepared for repeated queries.
class AreaUnion {
public:
    explicit AreaUnion(const std::vector<Polygon>& polygons);
    /// The union closed morphologically: buffered out by `closing_m`, then in
    /// by as much (round joins, 16 segments per quarter circle, as shapely's
    /// buffer(d) then buffer(-d)), which fills every gap and hole narrower than
    /// 2 × closing_m. 0: the plain union.
    AreaUnion(const std::vector<Polygon>& polygons, double closing_m);
    ~AreaUnion();
    AreaUnion(AreaUnion&&) noexcept;
    AreaUnion& operator=(AreaUnion&&) noexcept;
    AreaUnion(const AreaUnion&) = delete;
    AreaUnion& operator=(const AreaUnion&) = delete;

    double area() const;
    /// Area of the plain union, before any closing.
    double union_area() const;
    /// The area as polygons (exterior ring then holes, each closed).
    std::vector<Polygon> polygons() const;
    Envelope envelope() const;
    /// The parts of the polygons inside the area (GEOS intersection; a polygon
    /// the area covers is returned as it is). Parts without area are left out.
    std::vector<Polygon> clip(const std::vector<Polygon>& polygons) const;
    /// Length of the line inside the area (boundary included).
    double length_inside(const LineString& line) const;
    bool covers(const Point& p) const;
    /// True when p is at most `tolerance` from the area.
    bool within_distance(const Point& p, double tolerance) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Merges discs of radius `tolerance` (polygons of 16 segments per quarter, as
/// shapely's buffer) around the points; returns for each point its part of the
/// union (parts numbered in order of first point), and the number of parts.
std::vector<std::uint32_t> merge_discs(const std::vector<Point>& points, double tolerance, std::size_t* parts);

} // namespace plan
