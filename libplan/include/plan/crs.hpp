#pragma once
// Coordinate reference systems: identification, the choice of a metric CRS for
// analyses, transformations, and the Chinese web-map offsets GCJ-02 and BD-09
// that PROJ does not support.
#include <memory>
#include <string>

#include "plan/geometry.hpp"

namespace plan {

/// A CRS as libplan passes it around: its WKT (empty = unknown) and what a
/// person reads. Special pseudo-CRSs GCJ02 and BD09 have `offset` set.
struct CrsRef {
    std::string wkt;
    std::string name;
    int epsg = 0;             ///< 0 when there is no EPSG code
    bool geographic = false;
    enum class Offset { none, gcj02, bd09 } offset = Offset::none;

    bool known() const { return !wkt.empty() || offset != Offset::none; }
    std::string label() const; ///< "EPSG:4548 (CGCS2000 / 3-degree Gauss-Kruger CM 117E)"
};

/// Parses what a user writes: "EPSG:4548", "4548", a WKT or PROJ string,
/// "GCJ02", "BD09". Throws crs_error (exit 1) naming the text when unknown.
CrsRef crs_from_user(const std::string& text);
CrsRef crs_from_epsg(int epsg);
CrsRef wgs84();

/// Chooses the metric CRS that analyses use for data of this extent (given in
/// WGS84 lon/lat): inside China the CGCS2000 3-degree Gauss-Krüger zone with the
/// nearest central meridian (EPSG:4534..4554), elsewhere the UTM zone. The
/// extent may run past 180° east (maxx up to 540) for data that crosses the
/// antimeridian (see LongitudeSpan); its centre is wrapped back.
CrsRef choose_metric_crs(const Envelope& lonlat_extent);

/// The longitudes of a layer, gathered to see whether it crosses the
/// antimeridian: data from 179.9°E to 179.9°W spans 0.2°, not 359.8°.
class LongitudeSpan {
public:
    void add(double lon);
    /// `lonlat` (the plain extent of the same data) with its longitudes taken
    /// past 180°E (negative ones + 360) when that span is the narrower one.
    Envelope narrowest(const Envelope& lonlat) const;

private:
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
};

/// Largest relative scale error (|k - 1|, over the meridian and parallel
/// scales) of a projected CRS over an extent given in WGS84 lon/lat.
/// Returns +inf for a geographic CRS.
double max_scale_error(const CrsRef& crs, const Envelope& lonlat_extent);

/// The relative scale error above which data is reprojected (0.1 %).
inline constexpr double kMaxScaleError = 0.001;

/// Transforms points between two CRSs in traditional GIS axis order (x = east / lon).
/// GCJ-02 and BD-09 sources are converted to WGS84 first.
class Transform {
public:
    Transform(const CrsRef& from, const CrsRef& to);
    ~Transform();
    Transform(Transform&&) noexcept;
    Transform& operator=(Transform&&) noexcept;
    Transform(const Transform&) = delete;
    Transform& operator=(const Transform&) = delete;

    bool identity() const;
    /// Throws crs_error when a point cannot be transformed.
    Point apply(const Point& p) const;
    Envelope apply(const Envelope& e) const; ///< densified edges

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Chinese web-map offsets (public formulas; Krasovsky ellipsoid constants). Points
// outside China's bounding box are returned unchanged, as the formulas do.
Point wgs84_to_gcj02(const Point& lonlat);
Point gcj02_to_wgs84(const Point& lonlat);   ///< iterated inverse, error well under 1 m
Point gcj02_to_bd09(const Point& lonlat);
Point bd09_to_gcj02(const Point& lonlat);
Point bd09_to_wgs84(const Point& lonlat);
Point wgs84_to_bd09(const Point& lonlat);
bool in_china_box(const Point& lonlat);

/// Geodesic distance in metres on the WGS84 ellipsoid.
double geodesic_distance(const Point& lonlat_a, const Point& lonlat_b);

} // namespace plan
