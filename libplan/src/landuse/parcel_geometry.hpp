#pragma once
// Geometry a land-efficiency run needs from parcels: areas, validity, which
// parcel holds a point, and which park or zone holds a parcel.
#include <optional>
#include <string>
#include <vector>

#include "plan/geometry.hpp"

namespace plan::landuse {

/// Area of all polygon parts in m² (the geometry must be in a metric CRS).
double polygon_area(const Geometry& g);

/// "" when the polygon geometry is valid (OGC rules, by GEOS), else the reason.
std::string invalid_reason(const Geometry& g);

/// Point inside a polygon (exterior minus holes); points on the boundary count as inside.
bool contains(const Polygon& poly, const Point& p);
bool contains(const Geometry& g, const Point& p);

/// Area-weighted centroid of the largest part, nullopt for an empty or zero-area geometry.
std::optional<Point> centroid(const Geometry& g);

/// Finds, for each query point, the indexes of the polygons holding it, with a
/// uniform grid over the polygons' envelopes.
class PolygonIndex {
public:
    explicit PolygonIndex(const std::vector<const Geometry*>& polygons);
    std::vector<std::size_t> containing(const Point& p) const;

private:
    std::vector<const Geometry*> polys_;
    std::vector<Envelope> envs_;
    Envelope extent_;
    std::size_t nx_ = 1, ny_ = 1;
    double cell_w_ = 1, cell_h_ = 1;
    std::vector<std::vector<std::size_t>> cells_;
};

} // namespace plan::landuse
