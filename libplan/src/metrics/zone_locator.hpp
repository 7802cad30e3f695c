#pragma once
// Which zone covers a point, and how a line splits between zones: the rule
// shared by per-zone metrics and the study area's densities. Every segment is
// cut where it meets a zone border; each piece goes, by its midpoint, to the
// first zone covering it, else to the first zone within 1 cm (a road drawn on
// a border that two zones digitised a hair apart); each node likewise.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "metrics/geos_ops.hpp"
#include "plan/geometry.hpp"
#include "plan/network.hpp"
#include "plan/zones.hpp"

namespace plan::zone_detail {

/// Uniform grid of items by envelope: candidates for a query box.
class EnvelopeGrid {
public:
    EnvelopeGrid(const Envelope& extent, std::size_t items) : box_(extent) {
        const double side = std::clamp(std::ceil(std::sqrt(static_cast<double>(items))), 1.0, 512.0);
        nx_ = ny_ = static_cast<std::size_t>(side);
        cw_ = std::max(box_.width() / static_cast<double>(nx_), 1e-9);
        ch_ = std::max(box_.height() / static_cast<double>(ny_), 1e-9);
        cells_.resize(nx_ * ny_);
    }
    void insert(std::uint32_t item, const Envelope& e) {
        const auto [x0, y0, x1, y1] = range(e);
        for (std::size_t y = y0; y <= y1; ++y)
            for (std::size_t x = x0; x <= x1; ++x) cells_[y * nx_ + x].push_back(item);
    }
    /// Sorted, unique candidates.
    void query(const Envelope& e, std::vector<std::uint32_t>& out) const {
        out.clear();
        if (!e.intersects(box_)) return;
        const auto [x0, y0, x1, y1] = range(e);
        for (std::size_t y = y0; y <= y1; ++y)
            for (std::size_t x = x0; x <= x1; ++x) {
                const auto& c = cells_[y * nx_ + x];
                out.insert(out.end(), c.begin(), c.end());
            }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }

private:
    Envelope box_;
    std::size_t nx_ = 1, ny_ = 1;
    double cw_ = 1, ch_ = 1;
    std::vector<std::vector<std::uint32_t>> cells_;
    std::size_t cell(double v, double lo, double size, std::size_t n) const {
        const double c = std::floor((v - lo) / size);
        return static_cast<std::size_t>(std::clamp(c, 0.0, static_cast<double>(n - 1)));
    }
    std::array<std::size_t, 4> range(const Envelope& e) const {
        return {cell(e.minx, box_.minx, cw_, nx_), cell(e.miny, box_.miny, ch_, ny_), cell(e.maxx, box_.minx, cw_, nx_),
                cell(e.maxy, box_.miny, ch_, ny_)};
    }
};

struct Segment { Point a, b; };

inline constexpr double kBorderTolerance = 0.01; // m

inline Envelope envelope_of(const Segment& s) {
    Envelope e;
    e.expand(s.a);
    e.expand(s.b);
    return e;
}

/// Parameters t in (0,1) along a→b where it meets c→d (both ends of a
/// collinear overlap).
inline void meet(const Point& a, const Point& b, const Segment& s, std::vector<double>& ts) {
    const double rx = b.x - a.x, ry = b.y - a.y, sx = s.b.x - s.a.x, sy = s.b.y - s.a.y;
    const double qx = s.a.x - a.x, qy = s.a.y - a.y;
    const double den = rx * sy - ry * sx;
    const double rr = rx * rx + ry * ry;
    if (rr == 0) return;
    if (den == 0) {
        if (qx * ry - qy * rx != 0) return; // parallel, apart
        ts.push_back((qx * rx + qy * ry) / rr);
        ts.push_back(((s.b.x - a.x) * rx + (s.b.y - a.y) * ry) / rr);
        return;
    }
    const double t = (qx * sy - qy * sx) / den, u = (qx * ry - qy * rx) / den;
    if (u >= 0 && u <= 1) ts.push_back(t);
}

/// Zones with their borders indexed, answering "which zone covers this point".
class ZoneLocator {
public:
    explicit ZoneLocator(const std::vector<Zone>& zones) : grid_(extent(zones), count_segments(zones)),
                                                           zone_grid_(extent(zones), zones.size()) {
        for (std::uint32_t z = 0; z < zones.size(); ++z) {
            areas_.emplace_back(zones[z].polygons);
            envelopes_.push_back(areas_.back().envelope());
            zone_grid_.insert(z, envelopes_.back());
            for (const auto& p : zones[z].polygons)
                for (const auto& ring : p.rings)
                    for (std::size_t i = 1; i < ring.size(); ++i) {
                        segments_.push_back({ring[i - 1], ring[i]});
                        grid_.insert(static_cast<std::uint32_t>(segments_.size() - 1), envelope_of(segments_.back()));
                    }
        }
    }
    /// The first zone covering p, or kNoId.
    std::uint32_t zone_of(const Point& p) const {
        Envelope e;
        e.expand(p);
        zone_grid_.query(e, candidates_);
        for (const std::uint32_t z : candidates_)
            if (envelopes_[z].contains(p) && areas_[z].covers(p)) return z;
        // A road drawn on a border that two zones digitised a hair apart lies
        // in neither by a point test: it goes to the first zone within 1 cm.
        Envelope near = e;
        near.expand(Point{p.x - kBorderTolerance, p.y - kBorderTolerance});
        near.expand(Point{p.x + kBorderTolerance, p.y + kBorderTolerance});
        zone_grid_.query(near, candidates_);
        for (const std::uint32_t z : candidates_)
            if (areas_[z].within_distance(p, kBorderTolerance)) return z;
        return kNoId;
    }
    /// Adds each piece of a→b between borders to `out[zone]` (metres).
    template <class Add> void split(const Point& a, const Point& b, Add&& add) const {
        const Segment s{a, b};
        grid_.query(envelope_of(s), candidates_);
        ts_.assign({0.0, 1.0});
        for (const std::uint32_t i : candidates_) meet(a, b, segments_[i], ts_);
        std::sort(ts_.begin(), ts_.end());
        const double len = distance(a, b);
        for (std::size_t i = 1; i < ts_.size(); ++i) {
            const double t0 = std::max(ts_[i - 1], 0.0), t1 = std::min(ts_[i], 1.0);
            if (!(t1 > t0)) continue;
            const double tm = 0.5 * (t0 + t1);
            const std::uint32_t z = zone_of({a.x + tm * (b.x - a.x), a.y + tm * (b.y - a.y)});
            if (z != kNoId) add(z, (t1 - t0) * len);
        }
    }
    const Envelope& zone_envelope(std::uint32_t z) const { return envelopes_[z]; }
    double zone_area(std::uint32_t z) const { return areas_[z].area(); }

private:
    EnvelopeGrid grid_, zone_grid_;
    std::vector<Segment> segments_;
    std::vector<AreaUnion> areas_;
    std::vector<Envelope> envelopes_;
    mutable std::vector<std::uint32_t> candidates_;
    mutable std::vector<double> ts_;

    static Envelope extent(const std::vector<Zone>& zones) {
        Envelope e;
        for (const auto& z : zones)
            for (const auto& p : z.polygons)
                for (const auto& r : p.rings)
                    for (const auto& q : r) e.expand(q);
        return e;
    }
    static std::size_t count_segments(const std::vector<Zone>& zones) {
        std::size_t n = 0;
        for (const auto& z : zones)
            for (const auto& p : z.polygons)
                for (const auto& r : p.rings) n += r.size();
        return n;
    }
};

} // namespace plan::zone_detail
