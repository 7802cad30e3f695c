// Point and envelope transformation between CRSs. From WGS 84 to the metric
// CRSs libplan chooses, libplan projects directly; otherwise GDAL (in the GDAL
// module) chooses and runs PROJ's operation. The Chinese web-map offsets, which
// PROJ does not support, are removed before (or added after) that step, which
// then runs from (or to) their underlying WGS 84.
#include <cmath>
#include <memory>
#include <optional>
#include <sstream>

#include <GeographicLib/Math.hpp>
#include <GeographicLib/TransverseMercator.hpp>

#include "gdal_bridge/gdal_module.hpp"
#include "plan/crs.hpp"
#include "plan/error.hpp"
#include "plan/source.hpp"

namespace plan {
namespace {

Point remove_offset(CrsRef::Offset offset, const Point& p) {
    switch (offset) {
    case CrsRef::Offset::gcj02: return gcj02_to_wgs84(p);
    case CrsRef::Offset::bd09: return bd09_to_wgs84(p);
    case CrsRef::Offset::none: break;
    }
    return p;
}

Point add_offset(CrsRef::Offset offset, const Point& p) {
    switch (offset) {
    case CrsRef::Offset::gcj02: return wgs84_to_gcj02(p);
    case CrsRef::Offset::bd09: return wgs84_to_bd09(p);
    case CrsRef::Offset::none: break;
    }
    return p;
}

std::string format_point(const Point& p) {
    std::ostringstream out;
    out.precision(12);
    out << "(" << p.x << ", " << p.y << ")";
    return out.str();
}

// The metric CRSs that choose_metric_crs picks (the CGCS2000 3-degree
// Gauss-Krüger zones EPSG:4534..4554 and the UTM zones on WGS 84) are
// transverse Mercator projections of WGS 84 longitude/latitude; PROJ reaches
// the CGCS2000 ones with a ballpark null datum shift, so all of them are one
// projection of the lon/lat as given. libplan projects them itself with
// GeographicLib's Krüger series (6th order, the algorithm of PROJ's default
// tmerc, agreeing with it to nanometres within a zone) instead of loading
// PROJ and its dependency chain, a fifth of a short run. Both ways: from
// lon/lat to the zone, and from the zone back to lon/lat. Tests compare the
// two paths point by point.
struct ZoneProjection {
    GeographicLib::TransverseMercator tm;
    double lon0;
    double false_easting;
    double false_northing;
    bool inverse = false; // from the zone to lon/lat

    bool apply(Point& p) const {
        if (inverse) {
            double lat = 0.0, lon = 0.0;
            tm.Reverse(lon0, p.x - false_easting, p.y - false_northing, lat, lon);
            p = Point{lon, lat};
            return true;
        }
        // Beyond the poles, or more than 90 degrees from the central
        // meridian (the far side of the earth, where the projection has no
        // meaning), a point is refused.
        if (!(std::abs(p.y) <= 90.0) || !(std::abs(GeographicLib::Math::AngDiff(lon0, p.x)) <= 90.0)) return false;
        double x = 0.0, y = 0.0;
        tm.Forward(lon0, p.y, p.x, x, y);
        p = Point{x + false_easting, y + false_northing};
        return true;
    }
};

std::optional<ZoneProjection> zone_of(const CrsRef& crs) {
    if (crs.offset != CrsRef::Offset::none) return std::nullopt;
    // GRS 80 (CGCS2000) and WGS 84 differ only in the flattening's 9th digit.
    constexpr double kA = 6378137.0;
    constexpr double kFGrs80 = 1.0 / 298.257222101;
    constexpr double kFWgs84 = 1.0 / 298.257223563;
    if (crs.epsg >= 4534 && crs.epsg <= 4554)
        return ZoneProjection{GeographicLib::TransverseMercator(kA, kFGrs80, 1.0), 75.0 + 3.0 * (crs.epsg - 4534), 500000.0, 0.0};
    if (crs.epsg >= 32601 && crs.epsg <= 32660)
        return ZoneProjection{GeographicLib::TransverseMercator(kA, kFWgs84, 0.9996), -183.0 + 6.0 * (crs.epsg - 32600),
                              500000.0, 0.0};
    if (crs.epsg >= 32701 && crs.epsg <= 32760)
        return ZoneProjection{GeographicLib::TransverseMercator(kA, kFWgs84, 0.9996), -183.0 + 6.0 * (crs.epsg - 32700),
                              500000.0, 10000000.0};
    return std::nullopt;
}

bool is_wgs84_lonlat(const CrsRef& crs) { return crs.offset != CrsRef::Offset::none || crs.epsg == 4326; }

std::optional<ZoneProjection> zone_projection(const CrsRef& from, const CrsRef& to) {
    if (is_wgs84_lonlat(from)) return zone_of(to);
    if (is_wgs84_lonlat(to)) {
        auto zone = zone_of(from);
        if (zone) zone->inverse = true;
        return zone;
    }
    return std::nullopt;
}

// Points per envelope edge when transforming an envelope: enough to follow the
// curvature of a projected edge over a city-sized or province-sized extent.
constexpr int kEdgePoints = 21;

} // namespace

struct Transform::Impl {
    CrsRef from;
    CrsRef to;
    std::unique_ptr<detail::PointTransformer> ct; // GDAL's operation; null when it is the identity
    std::optional<ZoneProjection> direct; // zone_projection(), instead of `ct`

    bool identity() const { return !ct && !direct && from.offset == to.offset; }

    bool try_apply(Point& p) const {
        p = remove_offset(from.offset, p);
        if (direct) {
            if (!direct->apply(p)) return false;
        } else if (ct) {
            if (!ct->apply(p.x, p.y)) return false;
        }
        p = add_offset(to.offset, p);
        return std::isfinite(p.x) && std::isfinite(p.y);
    }
};

Transform::Transform(const CrsRef& from, const CrsRef& to) : impl_(std::make_unique<Impl>()) {
    if (!from.known())
        throw crs_error("cannot transform from an unknown CRS", {}, "pass --src-crs EPSG:NNNN (or GCJ02 / BD09)");
    if (!to.known()) throw crs_error("cannot transform to an unknown CRS", {}, "pass --crs EPSG:NNNN");
    impl_->from = from;
    impl_->to = to;
    impl_->direct = zone_projection(from, to);
    if (impl_->direct) return;
    // The same CRS on both sides (the same WKT): nothing for GDAL to do.
    const std::string& from_wkt = from.wkt.empty() ? wgs84().wkt : from.wkt;
    const std::string& to_wkt = to.wkt.empty() ? wgs84().wkt : to.wkt;
    if (from_wkt == to_wkt) return;
    impl_->ct = detail::gdal_module().make_transformer(from, to);
}

Transform::~Transform() = default;
Transform::Transform(Transform&&) noexcept = default;
Transform& Transform::operator=(Transform&&) noexcept = default;

bool Transform::identity() const { return impl_->identity(); }

Point Transform::apply(const Point& p) const {
    if (identity()) return p;
    Point out = p;
    if (!impl_->try_apply(out))
        throw crs_error("cannot transform the point " + format_point(p) + " from " + impl_->from.label() + " to " +
                        impl_->to.label() + (impl_->ct ? ": " + impl_->ct->last_message() : std::string()));
    return out;
}

Envelope Transform::apply(const Envelope& e) const {
    if (e.empty() || identity()) return e;
    // The edges, densified: a straight edge in one CRS is a curve in the other.
    // Points outside the target's domain are left out; only a wholly
    // untransformable envelope is an error.
    Envelope out;
    auto add = [&](double x, double y) {
        Point p{x, y};
        if (impl_->try_apply(p)) out.expand(p);
    };
    for (int i = 0; i < kEdgePoints; ++i) {
        const double t = static_cast<double>(i) / (kEdgePoints - 1);
        const double x = e.minx + t * (e.maxx - e.minx);
        const double y = e.miny + t * (e.maxy - e.miny);
        add(x, e.miny);
        add(x, e.maxy);
        add(e.minx, y);
        add(e.maxx, y);
    }
    if (out.empty())
        throw crs_error("cannot transform the extent " + format_point({e.minx, e.miny}) + " - " + format_point({e.maxx, e.maxy}) +
                        " from " + impl_->from.label() + " to " + impl_->to.label());
    return out;
}

} // namespace plan
