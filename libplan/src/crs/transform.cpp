// Point and envelope transformation between CRSs. From WGS 84 to the metric
// CRSs libplan chooses, PROJ runs the operation directly; otherwise GDAL (in
// the GDAL module) chooses and runs it. The Chinese web-map offsets, which
// PROJ does not support, are removed before (or added after) that step, which
// then runs from (or to) their underlying WGS 84.
#include <cmath>
#include <memory>
#include <sstream>

#include <proj.h>

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

// The operation PROJ itself selects from WGS 84 longitude/latitude to the
// metric CRSs that choose_metric_crs picks (UTM zones on WGS 84, the CGCS2000
// 3-degree Gauss-Krüger zones EPSG:4534..4554, which PROJ reaches with a
// ballpark null datum shift), without its search of proj.db for candidate
// operations, which costs a tenth of a second and several MB in every run.
// Same steps as PROJ's own pipeline (`projinfo -s EPSG:4326 -t EPSG:NNNN`)
// minus its two axis swaps, so the same numbers: a test compares both paths.
std::string direct_pipeline(const CrsRef& from, const CrsRef& to) {
    const bool from_wgs84 = from.offset != CrsRef::Offset::none || from.epsg == 4326;
    if (!from_wgs84 || to.offset != CrsRef::Offset::none) return {};
    const std::string head = "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step ";
    if (to.epsg >= 4534 && to.epsg <= 4554)
        return head + "+proj=tmerc +lat_0=0 +lon_0=" + std::to_string(75 + 3 * (to.epsg - 4534)) +
               " +k=1 +x_0=500000 +y_0=0 +ellps=GRS80";
    if (to.epsg >= 32601 && to.epsg <= 32660)
        return head + "+proj=utm +zone=" + std::to_string(to.epsg - 32600) + " +ellps=WGS84";
    if (to.epsg >= 32701 && to.epsg <= 32760)
        return head + "+proj=utm +zone=" + std::to_string(to.epsg - 32700) + " +south +ellps=WGS84";
    return {};
}

struct ProjContextFree {
    void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
};
struct ProjFree {
    void operator()(PJ* p) const { proj_destroy(p); }
};

// Points per envelope edge when transforming an envelope: enough to follow the
// curvature of a projected edge over a city-sized or province-sized extent.
constexpr int kEdgePoints = 21;

} // namespace

struct Transform::Impl {
    CrsRef from;
    CrsRef to;
    std::unique_ptr<detail::PointTransformer> ct; // GDAL's operation; null when it is the identity
    std::unique_ptr<PJ_CONTEXT, ProjContextFree> context; // with `direct`
    std::unique_ptr<PJ, ProjFree> direct; // direct_pipeline(), instead of `ct`

    bool identity() const { return !ct && !direct && from.offset == to.offset; }

    bool try_apply(Point& p) const {
        p = remove_offset(from.offset, p);
        if (direct) {
            PJ_COORD c = proj_coord(p.x, p.y, 0.0, HUGE_VAL);
            c = proj_trans(direct.get(), PJ_FWD, c);
            p = Point{c.xy.x, c.xy.y};
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
    if (const std::string pipeline = direct_pipeline(from, to); !pipeline.empty()) {
        impl_->context.reset(proj_context_create());
        if (impl_->context) {
            proj_log_level(impl_->context.get(), PJ_LOG_NONE);
            impl_->direct.reset(proj_create(impl_->context.get(), pipeline.c_str()));
        }
        if (impl_->direct) return;
        impl_->context.reset(); // fall back to GDAL's search below
    }
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
