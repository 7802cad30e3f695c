// GEOS through its reentrant C API: every handle owned by a unique_ptr with a
// deleter bound to this object's context; documented error returns checked.
#include "metrics/geos_ops.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdint>
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

namespace {
/// The polygons of a GEOS geometry (polygons, multipolygons, collections), empty ones left out.
std::vector<Polygon> polygons_of(GEOSContextHandle_t h, const GEOSGeometry* geom) {
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
    walk(geom);
    return out;
}
} // namespace

std::vector<Polygon> AreaUnion::polygons() const { return polygons_of(impl_->ctx.h, impl_->area.get()); }

std::vector<Polygon> AreaUnion::clip(const std::vector<Polygon>& polygons) const {
    auto h = impl_->ctx.h;
    std::vector<Polygon> out;
    for (const auto& p : polygons) {
        GeomPtr g(make_polygon(h, p), GeomDeleter{h});
        if (GEOSPreparedCovers_r(h, impl_->prepared.get(), g.get()) == 1) { out.push_back(p); continue; }
        if (GEOSPreparedIntersects_r(h, impl_->prepared.get(), g.get()) != 1) continue;
        GeomPtr cut(check(GEOSIntersection_r(h, g.get(), impl_->area.get()), "clip polygon to area"), GeomDeleter{h});
        for (auto& q : polygons_of(h, cut.get())) out.push_back(std::move(q));
    }
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
    // The parts of the union of the discs are the connected components of "these two
    // discs overlap" (a union merges polygons whose interiors meet or that share a boundary
    // segment). Each disc is GEOS's buffer of the point: a regular 64-gon inscribed in the
    // circle of radius `tolerance`. Two of them certainly overlap when the centres are
    // closer than twice the inradius r*cos(pi/64), never when farther than 2r; only pairs
    // in between are decided by GEOS on the two polygons themselves. A grid of cells 2r
    // wide finds the pairs: linear time instead of a union of every disc.
    const std::size_t count = points.size();
    std::vector<std::uint32_t> part_of(count, 0xFFFFFFFFu);
    if (parts_out) *parts_out = 0;
    if (count == 0) return part_of;
    if (!(tolerance > 0) || !std::isfinite(tolerance))
        throw processing_error("merging intersections needs a positive tolerance");
    std::vector<std::uint32_t> parent(count);
    for (std::uint32_t i = 0; i < count; ++i) parent[i] = i;
    auto find = [&](std::uint32_t i) {
        while (parent[i] != i) { parent[i] = parent[parent[i]]; i = parent[i]; }
        return i;
    };
    auto unite = [&](std::uint32_t a, std::uint32_t b) {
        a = find(a); b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    };
    const double reach = 2.0 * tolerance;
    const double sure = reach * std::cos(std::acos(-1.0) / 64.0) * (1.0 - 1e-9);
    double min_x = points[0].x, min_y = points[0].y;
    for (const auto& p : points) { min_x = std::min(min_x, p.x); min_y = std::min(min_y, p.y); }
    auto cell_of = [&](const Point& p) {
        return std::make_pair(static_cast<std::int64_t>(std::floor((p.x - min_x) / reach)),
                              static_cast<std::int64_t>(std::floor((p.y - min_y) / reach)));
    };
    std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::uint32_t>> cells(count);
    for (std::uint32_t i = 0; i < count; ++i) cells[i] = {cell_of(points[i]), i};
    std::sort(cells.begin(), cells.end());
    auto cell_range = [&](std::pair<std::int64_t, std::int64_t> c) {
        auto lo = std::lower_bound(cells.begin(), cells.end(), std::make_pair(c, std::uint32_t{0}));
        auto hi = lo;
        while (hi != cells.end() && hi->first == c) ++hi;
        return std::make_pair(lo, hi);
    };
    Context ctx;
    auto h = ctx.h;
    auto disc = [&](const Point& p) {
        GeomPtr pt(check(GEOSGeom_createPointFromXY_r(h, p.x, p.y), "point"), GeomDeleter{h});
        return GeomPtr(check(GEOSBuffer_r(h, pt.get(), tolerance, 16), "buffer"), GeomDeleter{h});
    };
    for (std::uint32_t i = 0; i < count; ++i) {
        const auto c = cell_of(points[i]);
        for (std::int64_t dx = -1; dx <= 1; ++dx)
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                auto [lo, hi] = cell_range({c.first + dx, c.second + dy});
                for (auto it = lo; it != hi; ++it) {
                    const std::uint32_t j = it->second;
                    if (j <= i) continue;
                    const double d = distance(points[i], points[j]);
                    if (d > reach) continue;
                    if (d < sure) { unite(i, j); continue; }
                    if (find(i) == find(j)) continue;
                    GeomPtr a = disc(points[i]), b = disc(points[j]);
                    char* m = GEOSRelate_r(h, a.get(), b.get());
                    if (!m) throw processing_error("GEOS failed: relate of two discs");
                    const bool merged = m[0] == 'T' || m[0] == '2' || m[4] == '1';
                    GEOSFree_r(h, m);
                    if (merged) unite(i, j);
                }
            }
    }
    std::vector<std::uint32_t> renumber(count, 0xFFFFFFFFu);
    std::uint32_t next = 0;
    for (std::uint32_t k = 0; k < count; ++k) {
        const std::uint32_t root = find(k);
        if (renumber[root] == 0xFFFFFFFFu) renumber[root] = next++;
        part_of[k] = renumber[root];
    }
    if (parts_out) *parts_out = next;
    return part_of;
}

} // namespace plan
