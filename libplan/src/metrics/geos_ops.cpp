// GEOS through its reentrant C API: every handle owned by a unique_ptr with a
// deleter bound to this object's context; documented error returns checked.
#include "metrics/geos_ops.hpp"

#include <cstdarg>
#include <cstdio>
#include <functional>
#include <string>

#include <geos_c.h>

#include "plan/error.hpp"

namespace plan {
namespace {

void geos_message(const char* fmt, ...) { // GEOS notices: errors surface as null returns below
    (void)fmt;
}

struct Context {
    GEOSContextHandle_t h = nullptr;
    Context() {
        h = GEOS_init_r();
        if (!h) throw processing_error("GEOS: cannot create a context");
        GEOSContext_setErrorHandler_r(h, geos_message);
        GEOSContext_setNoticeHandler_r(h, geos_message);
    }
    ~Context() { if (h) GEOS_finish_r(h); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
};

struct GeomDeleter {
    GEOSContextHandle_t h;
    void operator()(GEOSGeometry* g) const { if (g) GEOSGeom_destroy_r(h, g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;
struct SeqDeleter {
    GEOSContextHandle_t h;
    void operator()(GEOSCoordSequence* s) const { if (s) GEOSCoordSeq_destroy_r(h, s); }
};
struct PreparedDeleter {
    GEOSContextHandle_t h;
    void operator()(const GEOSPreparedGeometry* p) const { if (p) GEOSPreparedGeom_destroy_r(h, p); }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

GEOSGeometry* check(GEOSGeometry* g, const char* what) {
    if (!g) throw processing_error(std::string("GEOS failed: ") + what);
    return g;
}

GEOSCoordSequence* make_seq(GEOSContextHandle_t h, const std::vector<Point>& pts) {
    GEOSCoordSequence* s = GEOSCoordSeq_create_r(h, static_cast<unsigned>(pts.size()), 2);
    if (!s) throw processing_error("GEOS failed: coordinate sequence");
    std::unique_ptr<GEOSCoordSequence, SeqDeleter> guard(s, SeqDeleter{h});
    for (unsigned i = 0; i < pts.size(); ++i)
        if (!GEOSCoordSeq_setXY_r(h, s, i, pts[i].x, pts[i].y)) throw processing_error("GEOS failed: set coordinate");
    return guard.release();
}

GEOSGeometry* make_polygon(GEOSContextHandle_t h, const Polygon& p) {
    if (p.rings.empty()) return check(GEOSGeom_createEmptyPolygon_r(h), "empty polygon");
    auto ring = [&](const Ring& r) {
        Ring closed = r;
        if (closed.size() >= 1 && !(closed.front() == closed.back())) closed.push_back(closed.front());
        if (closed.size() < 4) throw input_error("a polygon ring has fewer than 3 distinct points");
        return check(GEOSGeom_createLinearRing_r(h, make_seq(h, closed)), "linear ring");
    };
    GEOSGeometry* shell = ring(p.rings[0]);
    std::vector<GEOSGeometry*> holes;
    try {
        for (std::size_t i = 1; i < p.rings.size(); ++i) holes.push_back(ring(p.rings[i]));
    } catch (...) {
        GEOSGeom_destroy_r(h, shell);
        for (auto* g : holes) GEOSGeom_destroy_r(h, g);
        throw;
    }
    return check(GEOSGeom_createPolygon_r(h, shell, holes.data(), static_cast<unsigned>(holes.size())), "polygon");
}

GEOSGeometry* make_collection(GEOSContextHandle_t h, int type, std::vector<GeomPtr>& parts) {
    std::vector<GEOSGeometry*> raw;
    for (auto& p : parts) raw.push_back(p.release());
    return check(GEOSGeom_createCollection_r(h, type, raw.data(), static_cast<unsigned>(raw.size())), "collection");
}

} // namespace

struct AreaUnion::Impl {
    Context ctx;
    GeomPtr area{nullptr, GeomDeleter{nullptr}};
    PreparedPtr prepared{nullptr, PreparedDeleter{nullptr}};
    double union_area = 0;
};

AreaUnion::AreaUnion(const std::vector<Polygon>& polygons) : AreaUnion(polygons, 0.0) {}

AreaUnion::AreaUnion(const std::vector<Polygon>& polygons, double closing_m) : impl_(std::make_unique<Impl>()) {
    auto h = impl_->ctx.h;
    std::vector<GeomPtr> parts;
    for (const auto& p : polygons) {
        GeomPtr g(make_polygon(h, p), GeomDeleter{h});
        if (GEOSisValid_r(h, g.get()) != 1) { // repair self-intersections as GIS tools do
            GeomPtr fixed(check(GEOSMakeValid_r(h, g.get()), "make valid"), GeomDeleter{h});
            g = std::move(fixed);
        }
        parts.push_back(std::move(g));
    }
    GeomPtr coll(make_collection(h, GEOS_GEOMETRYCOLLECTION, parts), GeomDeleter{h});
    impl_->area = GeomPtr(check(GEOSUnaryUnion_r(h, coll.get()), "union of polygons"), GeomDeleter{h});
    if (!GEOSArea_r(h, impl_->area.get(), &impl_->union_area)) throw processing_error("GEOS failed: area");
    if (closing_m > 0) {
        GeomPtr out(check(GEOSBuffer_r(h, impl_->area.get(), closing_m, 16), "closing: buffer out"), GeomDeleter{h});
        impl_->area = GeomPtr(check(GEOSBuffer_r(h, out.get(), -closing_m, 16), "closing: buffer in"), GeomDeleter{h});
    }
    impl_->prepared = PreparedPtr(GEOSPrepare_r(h, impl_->area.get()), PreparedDeleter{h});
    if (!impl_->prepared) throw processing_error("GEOS failed: prepare area");
}
AreaUnion::~AreaUnion() = default;
AreaUnion::AreaUnion(AreaUnion&&) noexcept = default;
AreaUnion& AreaUnion::operator=(AreaUnion&&) noexcept = default;

double AreaUnion::area() const {
    double a = 0;
    if (!GEOSArea_r(impl_->ctx.h, impl_->area.get(), &a)) throw processing_error("GEOS failed: area");
    return a;
}

double AreaUnion::union_area() const { return impl_->union_area; }

std::vector<Polygon> AreaUnion::polygons() const {
    auto h = impl_->ctx.h;
    auto ring_of = [&](const GEOSGeometry* r) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, r);
        unsigned n = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n)) throw processing_error("GEOS failed: ring coordinates");
        Ring out(n);
        for (unsigned i = 0; i < n; ++i)
            if (!GEOSCoordSeq_getXY_r(h, seq, i, &out[i].x, &out[i].y)) throw processing_error("GEOS failed: coordinate");
        return out;
    };
    std::vector<Polygon> out;
    std::function<void(const GEOSGeometry*)> walk = [&](const GEOSGeometry* g) {
        const int type = GEOSGeomTypeId_r(h, g);
        if (type == GEOS_POLYGON) {
            if (GEOSisEmpty_r(h, g) == 1) return;
            Polygon p;
            p.rings.push_back(ring_of(GEOSGetExteriorRing_r(h, g)));
            const int holes = GEOSGetNumInteriorRings_r(h, g);
            for (int i = 0; i < holes; ++i) p.rings.push_back(ring_of(GEOSGetInteriorRingN_r(h, g, i)));
            out.push_back(std::move(p));
        } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
            const int n = GEOSGetNumGeometries_r(h, g);
            for (int i = 0; i < n; ++i) walk(GEOSGetGeometryN_r(h, g, i));
        }
    };
    walk(impl_->area.get());
    return out;
}

Envelope AreaUnion::envelope() const {
    Envelope e;
    double x0, y0, x1, y1;
    if (GEOSGeom_getExtent_r(impl_->ctx.h, impl_->area.get(), &x0, &y0, &x1, &y1)) {
        e.expand(Point{x0, y0});
        e.expand(Point{x1, y1});
    }
    return e;
}

double AreaUnion::length_inside(const LineString& line) const {
    auto h = impl_->ctx.h;
    if (line.size() < 2) return 0.0;
    GeomPtr g(check(GEOSGeom_createLineString_r(h, make_seq(h, line)), "line"), GeomDeleter{h});
    if (GEOSPreparedCovers_r(h, impl_->prepared.get(), g.get()) == 1) return plan::length(line);
    if (GEOSPreparedIntersects_r(h, impl_->prepared.get(), g.get()) != 1) return 0.0;
    GeomPtr cut(check(GEOSIntersection_r(h, g.get(), impl_->area.get()), "clip line to area"), GeomDeleter{h});
    double len = 0;
    if (!GEOSLength_r(h, cut.get(), &len)) throw processing_error("GEOS failed: length");
    return len;
}

bool AreaUnion::covers(const Point& p) const {
    auto h = impl_->ctx.h;
    GeomPtr g(check(GEOSGeom_createPointFromXY_r(h, p.x, p.y), "point"), GeomDeleter{h});
    return GEOSPreparedCovers_r(h, impl_->prepared.get(), g.get()) == 1;
}

bool AreaUnion::within_distance(const Point& p, double tolerance) const {
    auto h = impl_->ctx.h;
    GeomPtr g(check(GEOSGeom_createPointFromXY_r(h, p.x, p.y), "point"), GeomDeleter{h});
    const char r = GEOSPreparedDistanceWithin_r(h, impl_->prepared.get(), g.get(), tolerance);
    if (r == 2) throw processing_error("GEOS failed: distance within");
    return r == 1;
}

std::vector<std::uint32_t> merge_discs(const std::vector<Point>& points, double tolerance, std::size_t* parts_out) {
    std::vector<std::uint32_t> part_of(points.size(), 0xFFFFFFFFu);
    if (parts_out) *parts_out = 0;
    if (points.empty()) return part_of;
    Context ctx;
    auto h = ctx.h;
    std::vector<GeomPtr> discs;
    for (const auto& p : points) {
        GeomPtr pt(check(GEOSGeom_createPointFromXY_r(h, p.x, p.y), "point"), GeomDeleter{h});
        discs.emplace_back(check(GEOSBuffer_r(h, pt.get(), tolerance, 16), "buffer"), GeomDeleter{h});
    }
    GeomPtr coll(make_collection(h, GEOS_GEOMETRYCOLLECTION, discs), GeomDeleter{h});
    GeomPtr merged(check(GEOSUnaryUnion_r(h, coll.get()), "union of discs"), GeomDeleter{h});
    const int n = GEOSGetNumGeometries_r(h, merged.get());
    if (n < 0) throw processing_error("GEOS failed: number of parts");
    // which part covers each point: an STR tree over the parts
    GEOSSTRtree* tree = GEOSSTRtree_create_r(h, 10);
    if (!tree) throw processing_error("GEOS failed: STR tree");
    std::unique_ptr<GEOSSTRtree, std::function<void(GEOSSTRtree*)>> tree_guard(
        tree, [h](GEOSSTRtree* t) { GEOSSTRtree_destroy_r(h, t); });
    std::vector<std::size_t> ids(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        ids[static_cast<std::size_t>(i)] = static_cast<std::size_t>(i);
        GEOSSTRtree_insert_r(h, tree, GEOSGetGeometryN_r(h, merged.get(), i), &ids[static_cast<std::size_t>(i)]);
    }
    std::vector<std::uint32_t> renumber(static_cast<std::size_t>(n), 0xFFFFFFFFu);
    std::uint32_t next = 0;
    for (std::size_t k = 0; k < points.size(); ++k) {
        GeomPtr pt(check(GEOSGeom_createPointFromXY_r(h, points[k].x, points[k].y), "point"), GeomDeleter{h});
        struct Query { GEOSContextHandle_t h; const GEOSGeometry* merged; const GEOSGeometry* pt; std::size_t found; };
        Query q{h, merged.get(), pt.get(), static_cast<std::size_t>(-1)};
        GEOSSTRtree_query_r(h, tree, pt.get(), [](void* item, void* user) {
            auto* query = static_cast<Query*>(user);
            const std::size_t i = *static_cast<std::size_t*>(item);
            if (query->found == static_cast<std::size_t>(-1) &&
                GEOSIntersects_r(query->h, GEOSGetGeometryN_r(query->h, query->merged, static_cast<int>(i)), query->pt) == 1)
                query->found = i;
        }, &q);
        if (q.found == static_cast<std::size_t>(-1)) throw processing_error("GEOS: a point is outside its own disc");
        if (renumber[q.found] == 0xFFFFFFFFu) renumber[q.found] = next++;
        part_of[k] = renumber[q.found];
    }
    if (parts_out) *parts_out = static_cast<std::size_t>(n);
    return part_of;
}

} // namespace plan
