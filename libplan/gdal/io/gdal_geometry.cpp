#include <cmath>

#include "io/gdal_handles.hpp"

namespace plan::detail {

std::string last_gdal_error(const std::string& fallback) {
    const char* m = CPLGetLastErrorMsg();
    return (m && *m) ? std::string(m) : fallback;
}

namespace {

bool finite(double v) { return std::isfinite(v); }

LineString to_line(const OGRSimpleCurve& c, ConversionNotes& notes) {
    LineString line;
    const int n = c.getNumPoints();
    line.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const double x = c.getX(i), y = c.getY(i);
        if (!finite(x) || !finite(y)) notes.non_finite = true;
        line.push_back(Point{x, y});
    }
    return line;
}

Polygon to_polygon(const OGRPolygon& p, ConversionNotes& notes) {
    Polygon out;
    if (const OGRLinearRing* ext = p.getExteriorRing()) out.rings.push_back(to_line(*ext, notes));
    for (int i = 0; i < p.getNumInteriorRings(); ++i) out.rings.push_back(to_line(*p.getInteriorRing(i), notes));
    return out;
}

} // namespace

void append_geometry(const OGRGeometry& g, Geometry& out, ConversionNotes& notes) {
    if (g.Is3D() || g.IsMeasured()) notes.had_z_or_m = true;
    if (g.IsEmpty()) return;
    const OGRwkbGeometryType t = wkbFlatten(g.getGeometryType());
    switch (t) {
    case wkbPoint: {
        const auto& p = *g.toPoint();
        if (!finite(p.getX()) || !finite(p.getY())) notes.non_finite = true;
        out.points.push_back(Point{p.getX(), p.getY()});
        if (out.kind == GeometryKind::none) out.kind = GeometryKind::point;
        return;
    }
    case wkbLineString:
        out.lines.push_back(to_line(*g.toLineString(), notes));
        if (out.kind == GeometryKind::none) out.kind = GeometryKind::line;
        return;
    case wkbCircularString:
    case wkbCompoundCurve: {
        std::unique_ptr<OGRLineString> lin(g.toCurve()->CurveToLine());
        if (lin) append_geometry(*lin, out, notes);
        return;
    }
    case wkbPolygon:
        out.polygons.push_back(to_polygon(*g.toPolygon(), notes));
        if (out.kind == GeometryKind::none) out.kind = GeometryKind::polygon;
        return;
    case wkbCurvePolygon: {
        std::unique_ptr<OGRGeometry> lin(g.getLinearGeometry());
        if (lin) append_geometry(*lin, out, notes);
        return;
    }
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbMultiCurve:
    case wkbMultiSurface:
    case wkbGeometryCollection: {
        const auto& coll = *g.toGeometryCollection();
        for (int i = 0; i < coll.getNumGeometries(); ++i) append_geometry(*coll.getGeometryRef(i), out, notes);
        return;
    }
    default: {
        std::unique_ptr<OGRGeometry> lin(g.getLinearGeometry());
        if (lin && wkbFlatten(lin->getGeometryType()) != t) append_geometry(*lin, out, notes);
        return;
    }
    }
}

namespace {

OGRLineString* make_line(const LineString& l) {
    auto* ls = new OGRLineString();
    ls->setNumPoints(static_cast<int>(l.size()), FALSE);
    for (std::size_t i = 0; i < l.size(); ++i) ls->setPoint(static_cast<int>(i), l[i].x, l[i].y);
    return ls;
}

OGRPolygon* make_polygon(const Polygon& p) {
    auto* poly = new OGRPolygon();
    for (const auto& r : p.rings) {
        auto* ring = new OGRLinearRing();
        ring->setNumPoints(static_cast<int>(r.size()), FALSE);
        for (std::size_t i = 0; i < r.size(); ++i) ring->setPoint(static_cast<int>(i), r[i].x, r[i].y);
        poly->addRingDirectly(ring);
    }
    return poly;
}

} // namespace

std::unique_ptr<OGRGeometry> to_ogr(const Geometry& g, GeometryKind kind, bool multi) {
    switch (kind) {
    case GeometryKind::point:
        if (multi) {
            auto m = std::make_unique<OGRMultiPoint>();
            for (const auto& p : g.points) m->addGeometryDirectly(new OGRPoint(p.x, p.y));
            return m;
        }
        if (g.points.empty()) return nullptr;
        return std::make_unique<OGRPoint>(g.points.front().x, g.points.front().y);
    case GeometryKind::line:
        if (multi) {
            auto m = std::make_unique<OGRMultiLineString>();
            for (const auto& l : g.lines) m->addGeometryDirectly(make_line(l));
            return m;
        }
        if (g.lines.empty()) return nullptr;
        return std::unique_ptr<OGRGeometry>(make_line(g.lines.front()));
    case GeometryKind::polygon:
        if (multi) {
            auto m = std::make_unique<OGRMultiPolygon>();
            for (const auto& p : g.polygons) m->addGeometryDirectly(make_polygon(p));
            return m;
        }
        if (g.polygons.empty()) return nullptr;
        return std::unique_ptr<OGRGeometry>(make_polygon(g.polygons.front()));
    default: return nullptr;
    }
}

} // namespace plan::detail
