// Design-plane noding and the warp into EPSG:4548.
#include <algorithm>
#include <cmath>

#include "plan/error.hpp"
#include "samplecity/model.hpp"

namespace plan::samplecity {

const char* grade_name(RoadClass c) {
    switch (c) {
    case RoadClass::expressway: return "快速路";
    case RoadClass::arterial: return "主干路";
    case RoadClass::collector: return "次干路";
    case RoadClass::local: return "支路";
    }
    return "支路";
}

namespace {

constexpr double kPi = 3.14159265358979323846;
// Where the design origin lands: Linqing's central city, about 115.7°E 36.8°N.
constexpr double kOriginX = 377750.0;
constexpr double kOriginY = 4070300.0;
constexpr double kRotation = 3.0 * kPi / 180.0;

double round_mm(double v) { return std::round(v * 1000.0) / 1000.0; }

} // namespace

Warp::Warp(std::uint64_t seed) {
    std::uint64_t x = seed ^ 0x5A17C17EULL;
    for (double& p : phase_) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        p = static_cast<double>(x >> 11) * 0x1.0p-53;
    }
}

Point Warp::operator()(const Point& p) const {
    const double tau = 2.0 * kPi;
    // Amplitudes and wavelengths keep the local scale within about 15 % of 1 and
    // junction angles believable, while bending 10 km roads by 50-100 m.
    const double dx = 45.0 * std::sin(tau * (p.y / 3700.0 + phase_[0])) +
                      25.0 * std::sin(tau * (p.x / 5300.0 + p.y / 9100.0 + phase_[1])) +
                      8.0 * std::sin(tau * (p.y / 1300.0 + phase_[4]));
    const double dy = 40.0 * std::sin(tau * (p.x / 4100.0 + phase_[2])) +
                      20.0 * std::sin(tau * (p.y / 2900.0 + p.x / 7000.0 + phase_[3])) +
                      7.0 * std::sin(tau * (p.x / 1100.0 + phase_[5]));
    const double qx = p.x + dx, qy = p.y + dy;
    const double c = std::cos(kRotation), s = std::sin(kRotation);
    return {round_mm(kOriginX + c * qx - s * qy), round_mm(kOriginY + s * qx + c * qy)};
}

LineString Warp::line(const LineString& design, double step) const {
    LineString out;
    auto push = [&out](const Point& p) {
        if (out.empty() || !(out.back() == p)) out.push_back(p);
    };
    for (std::size_t i = 0; i + 1 < design.size(); ++i) {
        const Point a = design[i], b = design[i + 1];
        const int n = std::max(1, static_cast<int>(std::ceil(distance(a, b) / step)));
        for (int k = 0; k < n; ++k) {
            const double t = static_cast<double>(k) / n;
            push((*this)(Point{a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}));
        }
    }
    if (!design.empty()) push((*this)(design.back()));
    return out;
}

Ring Warp::ring(const Ring& design, double step) const {
    Ring r = line(design, step);
    if (!r.empty() && !(r.front() == r.back())) r.push_back(r.front());
    return r;
}

namespace {

double cross(const Point& a, const Point& b) { return a.x * b.y - a.y * b.x; }
Point sub(const Point& a, const Point& b) { return {a.x - b.x, a.y - b.y}; }

struct Node {
    std::size_t seg;
    double t;
    Point p;
    bool split;
};

/// Parameter of p on segment ab (p assumed on it).
double param(const Point& a, const Point& b, const Point& p) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double l2 = dx * dx + dy * dy;
    return l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0.0;
}

/// Where segments a0a1 and b0b1 meet, if they do; endpoints are returned exactly.
std::optional<Point> meet(const Point& a0, const Point& a1, const Point& b0, const Point& b1) {
    constexpr double eps = 1e-7;
    const Point da = sub(a1, a0), db = sub(b1, b0);
    const double denom = cross(da, db);
    auto on_segment = [](const Point& p, const Point& s0, const Point& s1) {
        const Point d = sub(s1, s0);
        const double len = std::hypot(d.x, d.y);
        if (len == 0) return p == s0;
        if (std::abs(cross(d, sub(p, s0))) / len > 1e-6) return false;
        const double t = param(s0, s1, p);
        return t >= -1e-12 && t <= 1.0 + 1e-12;
    };
    if (denom == 0.0) {
        std::vector<Point> touch;
        for (const Point& p : {a0, a1})
            if (on_segment(p, b0, b1)) touch.push_back(p);
        for (const Point& p : {b0, b1})
            if (on_segment(p, a0, a1)) touch.push_back(p);
        if (touch.empty()) return std::nullopt;
        for (const Point& p : touch)
            if (distance(p, touch.front()) > 1e-6)
                throw processing_error("sample city: two design roads overlap near (" + std::to_string(p.x) + ", " +
                                       std::to_string(p.y) + ")");
        return touch.front();
    }
    const Point w = sub(b0, a0);
    const double ta = cross(w, db) / denom, tb = cross(w, da) / denom;
    if (ta < -eps || ta > 1 + eps || tb < -eps || tb > 1 + eps) return std::nullopt;
    Point p{a0.x + ta * da.x, a0.y + ta * da.y};
    for (const Point& e : {a0, a1, b0, b1})
        if (distance(p, e) < 1e-6) return e;
    return p;
}

void add_node(std::vector<Node>& nodes, const LineString& pts, std::size_t seg, const Point& p, bool split) {
    std::size_t s = seg;
    double t = param(pts[seg], pts[seg + 1], p);
    if (p == pts[seg + 1]) { s = seg + 1; t = 0.0; }
    else if (p == pts[seg]) t = 0.0;
    nodes.push_back({s, t, p, split});
}

Envelope box(const LineString& l) { return envelope(l); }

} // namespace

std::vector<RoadFeature> node_roads(const std::vector<RoadLine>& roads, const Warp& warp) {
    std::vector<std::vector<Node>> nodes(roads.size());
    std::vector<Envelope> boxes;
    boxes.reserve(roads.size());
    for (const auto& r : roads) boxes.push_back(box(r.pts));
    std::vector<std::size_t> order(roads.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return boxes[a].minx < boxes[b].minx; });

    for (std::size_t oi = 0; oi < order.size(); ++oi) {
        const std::size_t i = order[oi];
        for (std::size_t oj = oi + 1; oj < order.size(); ++oj) {
            const std::size_t j = order[oj];
            if (boxes[j].minx > boxes[i].maxx) break;
            if (!boxes[i].intersects(boxes[j])) continue;
            const RoadLine& A = roads[i];
            const RoadLine& B = roads[j];
            for (std::size_t a = 0; a + 1 < A.pts.size(); ++a) {
                for (std::size_t b = 0; b + 1 < B.pts.size(); ++b) {
                    auto hit = meet(A.pts[a], A.pts[a + 1], B.pts[b], B.pts[b + 1]);
                    if (!hit) continue;
                    const Point p = *hit;
                    const bool endA = p == A.pts.front() || p == A.pts.back();
                    const bool endB = p == B.pts.front() || p == B.pts.back();
                    if (endA && endB) continue; // ends meeting ends: already one node
                    if (endA) { add_node(nodes[j], B.pts, b, p, !B.cad); continue; }
                    if (endB) { add_node(nodes[i], A.pts, a, p, !A.cad); continue; }
                    // Interior crossing: a junction only at the same level and
                    // when neither line is a CAD polyline.
                    if (A.cad || B.cad || A.layer != B.layer) continue;
                    add_node(nodes[i], A.pts, a, p, true);
                    add_node(nodes[j], B.pts, b, p, true);
                }
            }
        }
    }

    std::vector<RoadFeature> out;
    for (std::size_t i = 0; i < roads.size(); ++i) {
        const RoadLine& r = roads[i];
        auto& ns = nodes[i];
        std::sort(ns.begin(), ns.end(), [](const Node& x, const Node& y) { return x.seg != y.seg ? x.seg < y.seg : x.t < y.t; });
        std::vector<LineString> pieces;
        LineString cur{r.pts.front()};
        std::size_t n = 0;
        for (std::size_t k = 0; k + 1 < r.pts.size(); ++k) {
            for (; n < ns.size() && ns[n].seg == k; ++n) {
                if (!(ns[n].p == cur.back())) cur.push_back(ns[n].p);
                if (ns[n].split && cur.size() >= 2) {
                    pieces.push_back(cur);
                    cur = {ns[n].p};
                }
            }
            if (!(r.pts[k + 1] == cur.back())) cur.push_back(r.pts[k + 1]);
        }
        if (cur.size() >= 2) pieces.push_back(cur);
        for (auto& piece : pieces) {
            RoadFeature f;
            f.design = piece;
            f.geom = warp.line(piece);
            if (f.geom.size() < 2) continue;
            f.name = r.name;
            const Point mid{(piece.front().x + piece.back().x) / 2, (piece.front().y + piece.back().y) / 2};
            for (const auto& [threshold, name] : r.names_along)
                if ((r.names_along_y ? mid.y : mid.x) >= threshold) f.name = name;
            f.cls = r.cls;
            f.oneway = r.oneway;
            f.bridge = r.bridge;
            f.tunnel = r.tunnel;
            f.layer = r.layer;
            f.line = static_cast<int>(i);
            out.push_back(std::move(f));
        }
    }
    return out;
}

Ring clip_convex(const Ring& subject, const Ring& clip) {
    std::vector<Point> poly(subject.begin(), subject.end());
    if (!poly.empty() && poly.front() == poly.back()) poly.pop_back();
    for (std::size_t e = 0; e + 1 < clip.size() && !poly.empty(); ++e) {
        const Point a = clip[e], b = clip[e + 1];
        auto inside = [&](const Point& p) { return cross(sub(b, a), sub(p, a)) >= 0; };
        auto cut = [&](const Point& p, const Point& q) {
            const Point d = sub(q, p);
            const double t = cross(sub(b, a), sub(a, p)) / cross(sub(b, a), d);
            return Point{p.x + t * d.x, p.y + t * d.y};
        };
        std::vector<Point> next;
        for (std::size_t i = 0; i < poly.size(); ++i) {
            const Point p = poly[i], q = poly[(i + 1) % poly.size()];
            const bool pin = inside(p), qin = inside(q);
            if (pin) next.push_back(p);
            if (pin != qin) next.push_back(cut(p, q));
        }
        poly = std::move(next);
    }
    if (!poly.empty()) poly.push_back(poly.front());
    return poly;
}

} // namespace plan::samplecity
