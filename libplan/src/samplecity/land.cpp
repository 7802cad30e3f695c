// Land use (parcels, old-town buildings), named areas (boundary, districts,
// parks, river, railway) and the planned skeleton of the sample city.
#include <algorithm>
#include <array>
#include <cmath>

#include "plan/error.hpp"
#include "samplecity/layout.hpp"

namespace plan::samplecity::layout {

namespace {

Ring rect(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}; }

std::string draw_use(CellKind kind, bool front, Rng& rng) {
    const double u = rng.uniform();
    switch (kind) {
    case CellKind::residential:
        if (u < (front ? 0.35 : 0.08)) return "B";
        if (u < (front ? 0.43 : 0.16)) return "A";
        if (u < (front ? 0.49 : 0.22)) return "G";
        return "R";
    case CellKind::centre:
        if (u < 0.45) return "B";
        if (u < 0.65) return "A";
        if (u < 0.72) return "G";
        return "R";
    case CellKind::industry: return u < 0.5 ? "M2" : u < 0.88 ? "M1" : "W";
    case CellKind::logistics: return u < 0.5 ? "W" : u < 0.75 ? "M1" : u < 0.9 ? "B" : "S";
    case CellKind::park: return u < 0.42 ? "M1" : u < 0.75 ? "M2" : u < 0.9 ? "M3" : "W";
    case CellKind::oldtown: return "R";
    }
    return "R";
}

/// Bilinear point in a quadrilateral a-b-c-d (counter-clockwise).
Point bilinear(const std::vector<Point>& q, double u, double v) {
    return {(1 - u) * (1 - v) * q[0].x + u * (1 - v) * q[1].x + u * v * q[2].x + (1 - u) * v * q[3].x,
            (1 - u) * (1 - v) * q[0].y + u * (1 - v) * q[1].y + u * v * q[2].y + (1 - u) * v * q[3].y};
}

} // namespace

void Builder::parcels() {
    Rng rng = rng_.fork(11);
    for (const auto& c : cells_) {
        for (const auto& b : c.blocks) {
            const double X0 = b.x0 + b.in_w, X1 = b.x1 - b.in_e, Y0 = b.y0 + b.in_s, Y1 = b.y1 - b.in_n;
            std::vector<std::pair<double, double>> spans;
            double from = X0;
            std::vector<double> splits = b.splits;
            std::sort(splits.begin(), splits.end());
            for (double s : splits) {
                spans.push_back({from, s - 6});
                from = s + 6;
            }
            spans.push_back({from, X1});
            for (const auto& [a, z] : spans) {
                const double w = z - a, h = Y1 - Y0;
                if (w < 25 || h < 25) continue;
                const bool big = c.kind == CellKind::industry || c.kind == CellKind::park || c.kind == CellKind::logistics;
                const int cols = big ? std::max(1, static_cast<int>(std::lround(w / 170))) : (w > 230 ? 2 : 1);
                const int rows = big ? std::max(1, static_cast<int>(std::lround(h / 170))) : (h > 230 ? 2 : 1);
                std::vector<double> xs{a}, ys{Y0};
                for (int k = 1; k < cols; ++k) xs.push_back(a + w * k / cols + rng.uniform(-0.08, 0.08) * w / cols);
                for (int k = 1; k < rows; ++k) ys.push_back(Y0 + h * k / rows + rng.uniform(-0.08, 0.08) * h / rows);
                xs.push_back(z);
                ys.push_back(Y1);
                for (int i = 0; i < cols; ++i)
                    for (int j = 0; j < rows; ++j) {
                        ParcelDraft p;
                        p.design = rect(xs[static_cast<std::size_t>(i)], ys[static_cast<std::size_t>(j)],
                                        xs[static_cast<std::size_t>(i) + 1], ys[static_cast<std::size_t>(j) + 1]);
                        p.use = draw_use(c.kind, b.arterial_front, rng);
                        // The railway station square faces 青年路.
                        if (c.kind == CellKind::logistics && c.y1 == H2 && b.y1 == H2 && j == rows - 1) p.use = "S";
                        p.zone = c.zone;
                        p.park = c.park;
                        city_.parcels.push_back(std::move(p));
                    }
            }
        }
    }
    for (const auto& [quad, use] : oldtown_cells_) oldtown_parcel(quad, use);
    // Riverside green between the riverside roads and the water.
    const double bands[][2] = {{H4, H3}, {H3, H2}, {H2, H1}};
    for (const auto& band : bands) {
        for (int side = 0; side < 2; ++side) {
            Ring r;
            const double y0 = band[0] + 28, y1 = band[1] - 28;
            const double road_x = side == 0 ? RW + 12 : RE - 12;
            std::vector<Point> bank;
            for (double y = y0;; y += 20) {
                const double yy = std::min(y, y1);
                const double c = river_centre(yy, river_phase_), hw = river_half_width(yy, river_phase_);
                bank.push_back({side == 0 ? c - hw - 8 : c + hw + 8, yy});
                if (yy >= y1) break;
            }
            if (side == 0) {
                r.push_back({road_x, y0});
                r.insert(r.end(), bank.begin(), bank.end());
                r.push_back({road_x, y1});
            } else {
                r.push_back({road_x, y1});
                r.insert(r.end(), bank.rbegin(), bank.rend());
                r.push_back({road_x, y0});
            }
            // Make it counter-clockwise.
            Ring closed = r;
            closed.push_back(r.front());
            if (signed_area(closed) < 0) std::reverse(closed.begin(), closed.end());
            ParcelDraft p;
            p.design = closed;
            p.use = "G";
            p.zone = side == 0 ? "河西片区" : (band[0] == H3 ? "老城片区" : "中心城区");
            city_.parcels.push_back(std::move(p));
        }
    }
}

void Builder::oldtown_parcel(const std::vector<Point>& quad, const std::string& use) {
    Point c{0, 0};
    for (const auto& p : quad) { c.x += p.x / 4; c.y += p.y / 4; }
    std::vector<Point> q;
    for (const auto& p : quad) {
        const double d = distance(p, c);
        q.push_back({p.x + (c.x - p.x) / d * 16.0, p.y + (c.y - p.y) / d * 16.0});
    }
    ParcelDraft parcel;
    parcel.design = {q[0], q[1], q[2], q[3], q[0]};
    parcel.use = use;
    parcel.zone = "老城片区";
    parcel.oldtown = true;
    city_.parcels.push_back(parcel);
    Rng rng = rng_.fork(0xB0 + city_.parcels.size());
    std::vector<std::array<double, 4>> boxes; // u0 u1 v0 v1
    if (use == "M2") boxes = {{0.08, 0.92, 0.08, 0.45}, {0.08, 0.92, 0.55, 0.92}};
    else if (use == "B") boxes = {{0.06, 0.94, 0.06, 0.58}, {0.06, 0.94, 0.70, 0.94}};
    else if (use == "A") boxes = {{0.22, 0.78, 0.28, 0.72}};
    else if (use == "R") {
        boxes.push_back({0.06, 0.94, 0.72, 0.94});
        if (rng.chance(0.8)) boxes.push_back({0.06, 0.94, 0.06, 0.26});
        if (rng.chance(0.6)) boxes.push_back({0.06, 0.27, 0.33, 0.65});
        if (rng.chance(0.6)) boxes.push_back({0.73, 0.94, 0.33, 0.65});
    }
    for (const auto& bx : boxes)
        city_.buildings.push_back({city_.parcels.size() - 1, Ring{bilinear(q, bx[0], bx[2]), bilinear(q, bx[1], bx[2]), bilinear(q, bx[1], bx[3]),
                                   bilinear(q, bx[0], bx[3]), bilinear(q, bx[0], bx[2])}});
}

void Builder::areas() {
    // The river, clipped to the study area.
    {
        Ring r;
        for (double y = FAR_S; y <= FAR_N; y += 25) r.push_back({river_centre(y, river_phase_) + river_half_width(y, river_phase_), y});
        for (double y = FAR_N; y >= FAR_S; y -= 25) r.push_back({river_centre(y, river_phase_) - river_half_width(y, river_phase_), y});
        r.push_back(r.front());
        city_.river = clip_convex(r, city_.boundary);
    }
    city_.railways.push_back({"京九铁路", clip({{RAIL, FAR_S}, {RAIL, FAR_N}})});
    city_.railways.push_back({"开发区铁路专用线", {{RAIL, 2450}, {9200, 2600}, {9420, 2660}}});
    auto centreline = [&](double from, double to) {
        LineString l;
        const double step = from < to ? 50 : -50;
        for (double y = from;; y += step) {
            const double yy = step > 0 ? std::min(y, to) : std::max(y, to);
            l.push_back({river_centre(yy, river_phase_), yy});
            if (yy == to) break;
        }
        return l;
    };
    auto zone = [&](const std::string& name, Ring r) {
        r.push_back(r.front());
        if (signed_area(r) < 0) std::reverse(r.begin(), r.end());
        city_.zones.push_back({name, clip_convex(r, city_.boundary), "zone"});
    };
    {
        Ring r{{FAR_W, FAR_S}};
        for (const auto& p : centreline(FAR_S, FAR_N)) r.push_back(p);
        r.push_back({FAR_W, FAR_N});
        zone("河西片区", r);
    }
    {
        Ring r{{V3, H3}, {V3, H2}};
        for (const auto& p : centreline(H2, H3)) r.push_back(p);
        zone("老城片区", r);
    }
    {
        Ring r{{V7, FAR_S}, {V7, H4}};
        for (const auto& p : centreline(H4, FAR_S)) r.push_back(p);
        zone("南部产业片区", r);
    }
    {
        Ring r{{V7, H4}, {V7, FAR_N}};
        for (const auto& p : centreline(FAR_N, H2)) r.push_back(p);
        r.push_back({V3, H2});
        r.push_back({V3, H3});
        for (const auto& p : centreline(H3, H4)) r.push_back(p);
        zone("中心城区", r);
    }
    zone("经济开发区片区", {{V7, FAR_S}, {FAR_E, FAR_S}, {FAR_E, FAR_N}, {V7, FAR_N}});
    city_.parks.push_back({"烟店轴承产业园", rect(V3, PARKS, V6, H4), "park"});
    city_.parks.push_back({"临清经济开发区", rect(FR, H4, PE, H1), "park"});
}

void Builder::skeleton() {
    struct S { const char* id; const char* name; bool h; double pos; std::vector<std::string> aliases; };
    const std::vector<S> lines = {
        {"H1", "光岳路", true, H1, {}},
        {"H2", "青年路", true, H2, {"青年路西段", "青年路东段", "运河大桥"}},
        {"H3", "新华路", true, H3, {}},
        {"H4", "温泉路", true, H4, {}},
        {"V1", "河西大街", false, V1, {}},
        {"V2", "大众路", false, V2, {}},
        {"V3", "红星路", false, V3, {"红星路北段"}},
        {"V4", "临清大道", false, V4, {}},
        {"V5", "先锋路", false, V5, {}},
        {"V6", "曙光路", false, V6, {}},
        {"V7", "东环路", false, V7, {}},
    };
    for (const auto& s : lines) {
        CityDesign::SkeletonLine l;
        l.id = s.id;
        l.name = s.name;
        l.orientation = s.h ? "EW" : "NS";
        l.aliases = s.aliases;
        l.planned = s.h ? LineString{{V1, s.pos}, {V7, s.pos}} : LineString{{s.pos, H4}, {s.pos, H1}};
        city_.skeleton.push_back(std::move(l));
    }
}

CityDesign Builder::build() {
    city_.boundary = {{150, 300}, {6000, 180}, {11950, 350}, {11900, 4600}, {11800, 8800},
                      {5000, 8900}, {120, 8650}, {100, 4500}, {150, 300}};
    arterials();
    throughs();
    cells();
    oldtown();
    plants();
    parcels();
    areas();
    skeleton();
    return std::move(city_);
}

} // namespace plan::samplecity::layout

namespace plan::samplecity {
CityDesign design_city(std::uint64_t seed) { return layout::Builder(seed).build(); }
} // namespace plan::samplecity
