#include "landuse/parcel_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <geos_c.h>

namespace plan::landuse {

double polygon_area(const Geometry& g) {
    double a = 0.0;
    for (const auto& p : g.polygons) a += area(p);
    return a;
}

namespace {

struct GeosContext {
    GEOSContextHandle_t handle = GEOS_init_r();
    ~GeosContext() { GEOS_finish_r(handle); }
    GeosContext() = default;
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;
};

GEOSContextHandle_t geos() {
    thread_local GeosContext ctx; // one context per thread, as GEOS asks
    return ctx.handle;
}

struct GeomDeleter {
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(geos(), g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

GEOSGeometry* make_ring(const Ring& ring) {
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos(), static_cast<unsigned>(ring.size()), 2);
    if (!seq) return nullptr;
    for (std::size_t i = 0; i < ring.size(); ++i)
        if (!GEOSCoordSeq_setXY_r(geos(), seq, static_cast<unsigned>(i), ring[i].x, ring[i].y)) {
            GEOSCoordSeq_destroy_r(geos(), seq);
            return nullptr;
        }
    return GEOSGeom_createLinearRing_r(geos(), seq); // takes the sequence, also on failure
}

GeomPtr make_polygon(const Polygon& p) {
    if (p.rings.empty()) return nullptr;
    GeomPtr shell(make_ring(p.rings[0]));
    if (!shell) return nullptr;
    std::vector<GEOSGeometry*> holes;
    for (std::size_t i = 1; i < p.rings.size(); ++i) {
        GEOSGeometry* h = make_ring(p.rings[i]);
        if (!h) {
            for (auto* x : holes) GEOSGeom_destroy_r(geos(), x);
            return nullptr;
        }
        holes.push_back(h);
    }
    GEOSGeometry* poly = GEOSGeom_createPolygon_r(geos(), shell.get(), holes.data(), static_cast<unsigned>(holes.size()));
    if (!poly) {
        for (auto* x : holes) GEOSGeom_destroy_r(geos(), x);
        return nullptr;
    }
    (void)shell.release(); // owned by the polygon now
    return GeomPtr(poly);
}

} // namespace

std::string invalid_reason(const Geometry& g) {
    if (g.kind != GeometryKind::polygon || g.polygons.empty()) return "not a polygon";
    for (const auto& p : g.polygons) {
        for (const auto& r : p.rings) {
            if (r.size() < 4) return "a ring has fewer than 4 points";
            if (!(r.front() == r.back())) return "a ring is not closed";
            for (const auto& pt : r)
                if (!std::isfinite(pt.x) || !std::isfinite(pt.y)) return "a coordinate is not finite";
        }
    }
    std::vector<GeomPtr> parts;
    for (const auto& p : g.polygons) {
        GeomPtr gp = make_polygon(p);
        if (!gp) return "GEOS cannot build the polygon";
        parts.push_back(std::move(gp));
    }
    GeomPtr whole;
    if (parts.size() == 1) {
        whole = std::move(parts[0]);
    } else {
        std::vector<GEOSGeometry*> raw;
        for (auto& p : parts) raw.push_back(p.get());
        GEOSGeometry* multi = GEOSGeom_createCollection_r(geos(), GEOS_MULTIPOLYGON, raw.data(), static_cast<unsigned>(raw.size()));
        if (!multi) return "GEOS cannot build the multipolygon";
        for (auto& p : parts) (void)p.release();
        whole.reset(multi);
    }
    const char valid = GEOSisValid_r(geos(), whole.get());
    if (valid == 1) return {};
    if (valid == 2) return "GEOS failed to check validity";
    char* reason = GEOSisValidReason_r(geos(), whole.get());
    std::string out = reason ? reason : "invalid";
    if (reason) GEOSFree_r(geos(), reason);
    return out;
}

static bool on_segment(const Point& p, const Point& a, const Point& b) {
    const double scale = std::max({1.0, std::fabs(a.x), std::fabs(a.y), std::fabs(b.x), std::fabs(b.y)});
    return point_segment_distance(p, a, b) <= 1e-9 * scale;
}

/// Even-odd ray casting; boundary points are reported separately.
static int ring_position(const Ring& r, const Point& p) { // 1 inside, 0 on boundary, -1 outside
    bool inside = false;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
        const Point& a = r[i];
        const Point& b = r[j];
        if (on_segment(p, a, b)) return 0;
        if ((a.y > p.y) != (b.y > p.y)) {
            const double x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
            if (p.x < x) inside = !inside;
        }
    }
    return inside ? 1 : -1;
}

bool contains(const Polygon& poly, const Point& p) {
    if (poly.rings.empty() || poly.rings[0].size() < 3) return false;
    const int outer = ring_position(poly.rings[0], p);
    if (outer < 0) return false;
    if (outer == 0) return true;
    for (std::size_t i = 1; i < poly.rings.size(); ++i) {
        const int h = ring_position(poly.rings[i], p);
        if (h > 0) return false; // strictly inside a hole
    }
    return true;
}

bool contains(const Geometry& g, const Point& p) {
    return std::any_of(g.polygons.begin(), g.polygons.end(), [&](const Polygon& poly) { return contains(poly, p); });
}

std::optional<Point> centroid(const Geometry& g) {
    const Polygon* best = nullptr;
    double best_area = 0.0;
    for (const auto& p : g.polygons) {
        const double a = area(p);
        if (a > best_area) {
            best_area = a;
            best = &p;
        }
    }
    if (!best) return std::nullopt;
    // Centroid of the exterior minus holes, from signed ring areas around a
    // local origin (keeps precision with Gauss-Krüger coordinates).
    const Point o = best->rings[0][0];
    double cx = 0.0, cy = 0.0, total = 0.0;
    for (std::size_t k = 0; k < best->rings.size(); ++k) {
        const Ring& r = best->rings[k];
        double a2 = 0.0, rx = 0.0, ry = 0.0;
        for (std::size_t i = 0; i + 1 < r.size(); ++i) {
            const double x0 = r[i].x - o.x, y0 = r[i].y - o.y, x1 = r[i + 1].x - o.x, y1 = r[i + 1].y - o.y;
            const double c = x0 * y1 - x1 * y0;
            a2 += c;
            rx += (x0 + x1) * c;
            ry += (y0 + y1) * c;
        }
        if (a2 == 0.0) continue;
        // Exterior counts positive and holes negative whatever their orientation.
        const double sign = (k == 0 ? 1.0 : -1.0) * (a2 > 0 ? 1.0 : -1.0);
        const double a = sign * a2 / 2.0;
        cx += a * (rx / (3.0 * a2));
        cy += a * (ry / (3.0 * a2));
        total += a;
    }
    if (total <= 0.0) return std::nullopt;
    return Point{o.x + cx / total, o.y + cy / total};
}

PolygonIndex::PolygonIndex(const std::vector<const Geometry*>& polygons) : polys_(polygons) {
    for (const auto* g : polys_) {
        envs_.push_back(g ? g->envelope() : Envelope{});
        extent_.expand(envs_.back());
    }
    if (extent_.empty()) return;
    const auto n = static_cast<double>(std::max<std::size_t>(1, polys_.size()));
    const auto side = static_cast<std::size_t>(std::clamp(std::ceil(std::sqrt(n)), 1.0, 512.0));
    nx_ = ny_ = side;
    cell_w_ = std::max(extent_.width() / static_cast<double>(nx_), 1e-9);
    cell_h_ = std::max(extent_.height() / static_cast<double>(ny_), 1e-9);
    cells_.assign(nx_ * ny_, {});
    auto cell = [&](double v, double lo, double w, std::size_t n_) {
        return std::min(n_ - 1, static_cast<std::size_t>(std::max(0.0, std::floor((v - lo) / w))));
    };
    for (std::size_t i = 0; i < polys_.size(); ++i) {
        if (envs_[i].empty()) continue;
        const std::size_t x0 = cell(envs_[i].minx, extent_.minx, cell_w_, nx_), x1 = cell(envs_[i].maxx, extent_.minx, cell_w_, nx_);
        const std::size_t y0 = cell(envs_[i].miny, extent_.miny, cell_h_, ny_), y1 = cell(envs_[i].maxy, extent_.miny, cell_h_, ny_);
        for (std::size_t y = y0; y <= y1; ++y)
            for (std::size_t x = x0; x <= x1; ++x) cells_[y * nx_ + x].push_back(i);
    }
}

std::vector<std::size_t> PolygonIndex::containing(const Point& p) const {
    std::vector<std::size_t> out;
    if (extent_.empty() || !extent_.contains(p)) return out;
    const auto x = std::min(nx_ - 1, static_cast<std::size_t>(std::floor((p.x - extent_.minx) / cell_w_)));
    const auto y = std::min(ny_ - 1, static_cast<std::size_t>(std::floor((p.y - extent_.miny) / cell_h_)));
    for (std::size_t i : cells_[y * nx_ + x])
        if (envs_[i].contains(p) && contains(*polys_[i], p)) out.push_back(i);
    return out;
}

} // namespace plan::landuse
