#pragma once
// Spatial indexes private to the network module: a dense uniform grid over a
// fixed set of envelopes (bulk use: noding, near-miss search) and exact
// coordinate keys for joining points that are bit-for-bit equal.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "plan/geometry.hpp"

namespace plan::netdetail {

/// A 64-bit key of a point's exact coordinates (-0.0 and 0.0 are the same).
struct PointKey {
    std::uint64_t x = 0, y = 0;
    friend bool operator==(const PointKey&, const PointKey&) = default;
};
inline PointKey key_of(const Point& p) {
    PointKey k;
    const double x = p.x == 0.0 ? 0.0 : p.x, y = p.y == 0.0 ? 0.0 : p.y;
    std::memcpy(&k.x, &x, 8);
    std::memcpy(&k.y, &y, 8);
    return k;
}
struct PointKeyHash {
    std::size_t operator()(const PointKey& k) const noexcept {
        std::uint64_t h = k.x * 0x9E3779B97F4A7C15ull;
        h ^= (k.y + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2)) * 0xC2B2AE3D27D4EB4Full;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }
};

/// A uniform grid over a fixed set of envelopes, stored compressed (CSR). An
/// item is listed in every cell its envelope covers.
class Grid {
public:
    Grid() = default;
    /// `cell` <= 0 chooses a cell size from the envelopes (about one item per cell).
    Grid(const std::vector<Envelope>& boxes, double cell = 0.0) { build(boxes, cell); }

    void build(const std::vector<Envelope>& boxes, double cell = 0.0) {
        extent_ = Envelope{};
        double total_span = 0.0;
        std::size_t n = 0;
        for (const auto& b : boxes) {
            if (b.empty()) continue;
            extent_.expand(b);
            total_span += std::max(b.width(), b.height());
            ++n;
        }
        if (n == 0) { nx_ = ny_ = 0; start_.assign(1, 0); items_.clear(); return; }
        const double w = std::max(extent_.width(), 1e-9), h = std::max(extent_.height(), 1e-9);
        if (cell <= 0.0) {
            // About one item per cell, but never smaller than the typical item.
            cell = std::max(std::sqrt(w * h / static_cast<double>(n)), total_span / static_cast<double>(n));
        }
        // Cap the cell count to keep memory proportional to the items.
        const double max_cells = 4.0 * static_cast<double>(n) + 16.0;
        while ((w / cell + 1) * (h / cell + 1) > max_cells) cell *= 1.5;
        cell_ = cell;
        nx_ = static_cast<std::int64_t>(w / cell) + 1;
        ny_ = static_cast<std::int64_t>(h / cell) + 1;
        start_.assign(static_cast<std::size_t>(nx_ * ny_) + 1, 0);
        for (const auto& b : boxes) {
            if (b.empty()) continue;
            for_cells(b, [&](std::int64_t c) { ++start_[static_cast<std::size_t>(c) + 1]; });
        }
        for (std::size_t i = 1; i < start_.size(); ++i) start_[i] += start_[i - 1];
        items_.resize(start_.back());
        std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
        for (std::size_t i = 0; i < boxes.size(); ++i) {
            if (boxes[i].empty()) continue;
            for_cells(boxes[i], [&](std::int64_t c) { items_[fill[static_cast<std::size_t>(c)]++] = static_cast<std::uint32_t>(i); });
        }
    }

    std::int64_t cells() const { return nx_ * ny_; }
    double cell_size() const { return cell_; }
    /// Items listed in cell c.
    const std::uint32_t* begin(std::int64_t c) const { return items_.data() + start_[static_cast<std::size_t>(c)]; }
    const std::uint32_t* end(std::int64_t c) const { return items_.data() + start_[static_cast<std::size_t>(c) + 1]; }
    /// The cell holding point p (clamped to the grid).
    std::int64_t cell_of(const Point& p) const {
        return cy(p.y) * nx_ + cx(p.x);
    }

    /// Calls f(cell) for every cell a box covers.
    template <class F> void for_cells(const Envelope& b, F&& f) const {
        if (nx_ == 0) return;
        const std::int64_t x0 = cx(b.minx), x1 = cx(b.maxx), y0 = cy(b.miny), y1 = cy(b.maxy);
        for (std::int64_t y = y0; y <= y1; ++y)
            for (std::int64_t x = x0; x <= x1; ++x) f(y * nx_ + x);
    }
    /// Calls f(item) for items whose cells meet the box; an item may come more
    /// than once (callers dedupe with a stamp).
    template <class F> void query(const Envelope& b, F&& f) const {
        if (nx_ == 0 || b.empty() || !b.intersects(extent_)) return;
        for_cells(b, [&](std::int64_t c) {
            for (auto it = begin(c); it != end(c); ++it) f(*it);
        });
    }

private:
    std::int64_t cx(double x) const {
        const double v = std::floor((x - extent_.minx) / cell_);
        return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::clamp(v, -1.0, 9e15)), 0, nx_ - 1);
    }
    std::int64_t cy(double y) const {
        const double v = std::floor((y - extent_.miny) / cell_);
        return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::clamp(v, -1.0, 9e15)), 0, ny_ - 1);
    }
    Envelope extent_;
    double cell_ = 1.0;
    std::int64_t nx_ = 0, ny_ = 0;
    std::vector<std::uint32_t> start_{0};
    std::vector<std::uint32_t> items_;
};

/// Nearest point to p on polyline `line`; returns distance, sets segment and foot.
inline double nearest_on_line(const Point& p, const Point* line, std::size_t n, std::size_t* segment, Point* foot) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < n; ++i) {
        double t = 0;
        const double d = point_segment_distance(p, line[i], line[i + 1], &t);
        if (d < best) {
            best = d;
            if (segment) *segment = i;
            if (foot) *foot = Point{line[i].x + t * (line[i + 1].x - line[i].x), line[i].y + t * (line[i + 1].y - line[i].y)};
        }
    }
    return best;
}

} // namespace plan::netdetail
