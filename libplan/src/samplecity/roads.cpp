// The sample city's roads in the design plane: the 四横七纵 arterials with
// their bridges, underpasses, dual carriageway and interchange; collectors and
// CAD-drawn park roads; local streets filling each cell; the old town's lanes.
#include <algorithm>
#include <cmath>

#include "plan/error.hpp"
#include "samplecity/layout.hpp"

namespace plan::samplecity::layout {

namespace {
constexpr double kPi = 3.14159265358979323846;
} // namespace

double river_centre(double y, double phase) {
    return 1900.0 + 45.0 * std::sin(2 * kPi * (y / 2300.0 + phase)) + 18.0 * std::sin(2 * kPi * (y / 870.0 + 2 * phase));
}

double river_half_width(double y, double phase) { return 80.0 + 10.0 * std::sin(2 * kPi * (y / 1500.0 + 3 * phase)); }

Builder::Builder(std::uint64_t seed) : seed_(seed), rng_(seed), warp_(seed) {
    river_phase_ = rng_.uniform();
    // Local street names: common Chinese county-town stems, never one of the skeleton's names.
    const std::vector<std::string> stems = {
        "和平", "友谊", "建设", "团结", "民主", "育英", "长青", "兴华", "福德", "康宁", "永安", "桃园",
        "柳园", "杏林", "文昌", "新兴", "迎春", "安居", "吉祥", "锦绣", "民生", "富强", "怡和", "翠柳",
        "银杏", "丰收", "春晖", "朝阳", "紫荆", "海棠", "丁香", "石榴", "枣园", "梨园", "清泉", "鸿福",
        "永丰", "润泽", "瑞祥", "嘉禾", "文华", "明德", "尚德", "崇文", "卫东", "卫西", "复兴", "兴隆",
        "振东", "东升", "旭日", "惠民", "乐安", "广安", "天河", "星光", "园丁", "金穗", "玉泉", "松柏"};
    const std::vector<std::string> suffixes = {"街", "路", "巷"};
    for (const auto& suffix : suffixes)
        for (const auto& stem : stems) names_.push_back(stem + suffix);
    Rng shuffle = rng_.fork(1);
    for (std::size_t i = names_.size(); i > 1; --i)
        std::swap(names_[i - 1], names_[static_cast<std::size_t>(shuffle.integer(0, static_cast<int>(i) - 1))]);
}

int Builder::add(RoadLine r) {
    city_.roads.push_back(std::move(r));
    return static_cast<int>(city_.roads.size()) - 1;
}

RoadLine Builder::road(LineString pts, const std::string& name, RoadClass cls) const {
    RoadLine r;
    r.pts = std::move(pts);
    r.name = name;
    r.cls = cls;
    return r;
}

std::string Builder::local_name(Rng& rng) {
    if (rng.chance(0.07)) return {}; // small streets without a name, as in real data
    const std::string& n = names_[next_name_ % names_.size()];
    const std::size_t round = next_name_ / names_.size();
    ++next_name_;
    return round == 0 ? n : n.substr(0, n.size() - 3) + (round == 1 ? "二" : "三") + n.substr(n.size() - 3);
}

LineString Builder::clip(const LineString& line) const {
    // Cyrus-Beck against the convex, counter-clockwise study boundary.
    const Ring& poly = city_.boundary;
    LineString out;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        const Point a = line[i], b = line[i + 1];
        const Point d{b.x - a.x, b.y - a.y};
        double t0 = 0.0, t1 = 1.0;
        bool empty = false;
        for (std::size_t e = 0; e + 1 < poly.size() && !empty; ++e) {
            const Point E{poly[e + 1].x - poly[e].x, poly[e + 1].y - poly[e].y};
            const double f0 = E.x * (a.y - poly[e].y) - E.y * (a.x - poly[e].x);
            const double fd = E.x * d.y - E.y * d.x;
            if (fd == 0.0) {
                if (f0 < 0) empty = true;
                continue;
            }
            const double t = -f0 / fd;
            if (fd > 0) t0 = std::max(t0, t);
            else t1 = std::min(t1, t);
            if (t0 > t1) empty = true;
        }
        if (empty) continue;
        const Point pa = t0 == 0.0 ? a : Point{a.x + t0 * d.x, a.y + t0 * d.y};
        const Point pb = t1 == 1.0 ? b : Point{a.x + t1 * d.x, a.y + t1 * d.y};
        if (out.empty() || !(out.back() == pa)) out.push_back(pa);
        if (!(out.back() == pb)) out.push_back(pb);
    }
    return out;
}

void Builder::arterials() {
    const auto A = RoadClass::arterial;
    auto piece = [&](LineString pts, const std::string& name, const std::string& tag, int layer = 0,
                     std::vector<std::pair<double, std::string>> names = {}) {
        RoadLine r = road(clip(pts), name, A);
        r.tag = tag;
        r.layer = layer;
        r.bridge = layer > 0;
        r.tunnel = layer < 0;
        r.names_along = std::move(names);
        return add(std::move(r));
    };
    // H4 温泉路: bends south-west outside the city, bridges the canal, dips under the railway.
    piece({{FAR_W, 1230}, {600, 1380}, {V1, H4}, {1700, H4}}, "温泉路", "H4");
    piece({{1700, H4}, {2100, H4}}, "温泉路", "H4", 1);
    piece({{2100, H4}, {8940, H4}}, "温泉路", "H4");
    piece({{8940, H4}, {9060, H4}}, "温泉路", "H4", -1);
    piece({{9060, H4}, {PE, H4}}, "温泉路", "H4");
    // H3 新华路: not built across the canal (the planned 新漳卫河特大桥); overpass
    // over the railway and 铁路东街.
    piece({{FAR_W, H3}, {RW, H3}}, "新华路", "H3");
    piece({{RE, H3}, {8880, H3}}, "新华路", "H3");
    piece({{8880, H3}, {9220, H3}}, "新华路", "H3", 1);
    piece({{9220, H3}, {PE, H3}}, "新华路", "H3");
    // H2 青年路: name variants along its length; the canal bridge (运河大桥)
    // passes over both riverside roads; an underpass at the railway; a bridge
    // over the expressway at the interchange.
    piece({{FAR_W, H2}, {1600, H2}}, "青年路西段", "H2");
    piece({{1600, H2}, {2200, H2}}, "运河大桥", "H2", 1);
    piece({{2200, H2}, {8950, H2}}, "青年路", "H2", 0,
          {{4000, "青年路东段"}, {5000, "青年路(东段)"}, {5950, "青年路"}, {6600, "青年路（东段）"},
           {7200, "青年路 东段"}, {7800, "青年路东段"}});
    piece({{8950, H2}, {9060, H2}}, "青年路", "H2", -1);
    piece({{9060, H2}, {11200, H2}}, "青年路", "H2");
    piece({{11200, H2}, {11400, H2}}, "青年路", "H2", 1);
    piece({{11400, H2}, {FAR_E, H2}}, "青年路", "H2");
    // H1 光岳路.
    piece({{FAR_W, 6680}, {600, 6500}, {V1, H1}, {1700, H1}}, "光岳路", "H1");
    piece({{1700, H1}, {2100, H1}}, "光岳路", "H1", 1);
    piece({{2100, H1}, {8940, H1}}, "光岳路", "H1");
    piece({{8940, H1}, {9060, H1}}, "光岳路", "H1", -1);
    piece({{9060, H1}, {PE, H1}}, "光岳路", "H1");

    piece({{V1, FAR_S}, {V1, FAR_N}}, "河西大街", "V1");
    piece({{V2, FAR_S}, {V2, FAR_N}}, "大众路", "V2");
    {
        RoadLine r = road(clip({{V3, FAR_S}, {V3, FAR_N}}), "红星路", A);
        r.tag = "V3";
        r.names_along = {{H2, "红星路北段"}, {5300, "红星路(北段)"}, {H1, "红星路北段"}, {NORTH, "红星路"}};
        r.names_along_y = true;
        add(std::move(r));
    }
    // V4 临清大道: a dual carriageway with side roads between H4 and H1.
    piece({{V4, FAR_S}, {V4, 1430}}, "临清大道", "V4");
    {
        RoadLine nb = road({{V4, 1430}, {4812, 1470}, {4812, 6430}, {V4, 6470}}, "临清大道", A);
        nb.oneway = true;
        nb.tag = "V4";
        add(nb);
        RoadLine sb = road({{V4, 6470}, {4788, 6430}, {4788, 1470}, {V4, 1430}}, "临清大道", A);
        sb.oneway = true;
        sb.tag = "V4";
        add(sb);
    }
    piece({{V4, 6470}, {V4, FAR_N}}, "临清大道", "V4");
    add(road({{V4W, H4}, {V4W, H1}}, "临清大道西辅路", RoadClass::collector));
    add(road({{V4E, H4}, {V4E, H1}}, "临清大道东辅路", RoadClass::collector));
    // V5 先锋路: unbuilt between 振华路 and H1 (planned).
    piece({{V5, FAR_S}, {V5, V5GAP}}, "先锋路", "V5");
    piece({{V5, H1}, {V5, FAR_N}}, "先锋路", "V5");
    piece({{V6, FAR_S}, {V6, FAR_N}}, "曙光路", "V6");
    piece({{V7, FAR_S}, {V7, 7000}, {8700, 7800}, {8900, FAR_N}}, "东环路", "V7");

    // Riverside roads, passing under the canal bridge of 青年路.
    add(road({{RW, H4}, {RW, H1}}, "滨河西路", RoadClass::collector));
    add(road({{RE, H4}, {RE, H1}}, "滨河东路", RoadClass::collector));
    // Along the railway; 铁路东街 passes under the 新华路 overpass.
    add(road({{RAILW, H4}, {RAILW, H1}}, "铁路西街", RoadClass::local));
    add(road({{FR, H4}, {FR, H1}}, "铁路东街", RoadClass::collector));
    add(road(clip({{PE, FAR_S}, {PE, FAR_N}}), "开发区东路", RoadClass::collector));

    // The expressway and its diamond interchange with 青年路.
    {
        RoadLine e = road(clip({{EXP, FAR_S}, {EXP, FAR_N}}), "东外环快速路", RoadClass::expressway);
        e.tag = "expressway";
        add(std::move(e));
        const std::vector<std::pair<std::string, LineString>> ramps = {
            {"东外环青年路立交A匝道", {{EXP, 4150}, {11340, 4350}, {11400, H2}}},
            {"东外环青年路立交B匝道", {{11400, H2}, {11340, 4850}, {EXP, 5050}}},
            {"东外环青年路立交C匝道", {{EXP, 5050}, {11260, 4850}, {11200, H2}}},
            {"东外环青年路立交D匝道", {{11200, H2}, {11260, 4350}, {EXP, 4150}}}};
        for (const auto& [name, pts] : ramps) {
            RoadLine r = road(pts, name, RoadClass::expressway);
            r.oneway = true;
            r.tag = "ramp";
            add(std::move(r));
        }
    }
}

void Builder::throughs() {
    struct T { bool h; double pos, lo, hi; const char* name; bool cad; RoadClass cls; };
    const RoadClass C = RoadClass::collector;
    const std::vector<T> list = {
        {true, 2300, RE, V7, "育新街", false, C},
        {true, 3850, V3, V7, "文化路", true, C}, // drawn in CAD: crosses without vertices
        {true, V5GAP, V3, V7, "振华路", false, C},
        {true, NORTH, V2, V6, "北关街", false, C},
        {true, PARKS, V3, V6, "园区南路", false, C},
        {false, 4250, H4, H1, "育才路", false, C},
        {false, 6500, H4, H2, "东风街", false, C},
        {false, 7700, H4, H1, "光明街", false, C},
        // The development zone's roads came from a CAD drawing.
        {false, 9650, H4, H1, "经一路", true, C},
        {false, 10250, H4, H1, "经二路", true, C},
        {true, 2300, FR, PE, "纬一路", true, C},
        {true, 3850, FR, PE, "纬二路", true, C},
        {true, 5500, FR, PE, "纬三路", true, C},
    };
    for (const auto& t : list) {
        LineString pts = t.h ? LineString{{t.lo, t.pos}, {t.hi, t.pos}} : LineString{{t.pos, t.lo}, {t.pos, t.hi}};
        RoadLine r = road(pts, t.name, t.cls);
        r.cad = t.cad;
        r.tag = "through";
        add(std::move(r));
        throughs_.push_back({t.h, t.pos, t.lo, t.hi, t.cad});
    }
}

void Builder::cells() {
    const std::string centre = "中心城区", west = "河西片区", south = "南部产业片区", ez = "经济开发区片区";
    const std::string yandian = "烟店轴承产业园", kaifa = "临清经济开发区";
    using K = CellKind;
    // x0, x1, y0, y1, kind, zone, park, setbacks W E S N.
    cells_ = {
        {V1, RW, H4, H3, K::residential, west, "", 20, 12, 20, 20, {}},
        {V1, RW, H3, H2, K::residential, west, "", 20, 12, 20, 20, {}},
        {V1, RW, H2, H1, K::residential, west, "", 20, 12, 20, 20, {}},
        {RE, V2, H4, H3, K::residential, centre, "", 12, 20, 20, 20, {}},
        {RE, V2, H2, H1, K::residential, centre, "", 12, 20, 20, 20, {}},
        {V2, V3, H4, H3, K::residential, centre, "", 20, 20, 20, 20, {}},
        {V2, V3, H2, H1, K::centre, centre, "", 20, 20, 20, 20, {}},
        {V3, V4W, H4, H3, K::residential, centre, "", 20, 10, 20, 20, {}},
        {V3, V4W, H3, H2, K::centre, centre, "", 20, 10, 20, 20, {}},
        {V3, V4W, H2, H1, K::residential, centre, "", 20, 10, 20, 20, {}},
        {V4E, V5, H4, H3, K::centre, centre, "", 10, 20, 20, 20, {}},
        {V4E, V5, H3, H2, K::centre, centre, "", 10, 20, 20, 20, {}},
        {V4E, V5, H2, V5GAP, K::residential, centre, "", 10, 20, 20, 12, {}},
        {V5, V6, H4, H3, K::residential, centre, "", 20, 20, 20, 20, {}},
        {V5, V6, H3, H2, K::residential, centre, "", 20, 20, 20, 20, {}},
        {V5, V6, H2, V5GAP, K::residential, centre, "", 20, 20, 20, 12, {}},
        {V6, V7, H4, H3, K::residential, centre, "", 20, 20, 20, 20, {}},
        {V6, V7, H3, H2, K::residential, centre, "", 20, 20, 20, 20, {}},
        {V6, V7, H2, H1, K::residential, centre, "", 20, 20, 20, 20, {}},
        {V7, RAILW, H4, H3, K::logistics, ez, "", 20, 10, 20, 20, {}},
        {V7, RAILW, H3, H2, K::logistics, ez, "", 20, 10, 20, 20, {}},
        {V7, RAILW, H2, H1, K::logistics, ez, "", 20, 10, 20, 20, {}},
        {FR, PE, H4, H3, K::park, ez, kaifa, 12, 12, 20, 20, {}},
        {FR, PE, H3, H2, K::park, ez, kaifa, 12, 12, 20, 20, {}},
        {FR, PE, H2, H1, K::park, ez, kaifa, 12, 12, 20, 20, {}},
        {V3, V4, PARKS, H4, K::industry, south, yandian, 20, 20, 12, 20, {}},
        {V4, V5, PARKS, H4, K::industry, south, yandian, 20, 20, 12, 20, {}},
        {V5, V6, PARKS, H4, K::industry, south, yandian, 20, 20, 12, 20, {}},
        {V2, V3, H1, NORTH, K::residential, centre, "", 20, 20, 20, 12, {}},
        {V3, V4, H1, NORTH, K::residential, centre, "", 20, 20, 20, 12, {}},
        {V4, V5, H1, NORTH, K::residential, centre, "", 20, 20, 20, 12, {}},
        {V5, V6, H1, NORTH, K::residential, centre, "", 20, 20, 20, 12, {}},
    };
    for (std::size_t i = 0; i < cells_.size(); ++i) {
        Rng rng = rng_.fork(100 + i);
        fill(cells_[i], rng);
    }
}

void Builder::fill(Cell& c, Rng& rng) {
    double smin = 150, smax = 240;
    switch (c.kind) {
    case CellKind::centre: smin = 120; smax = 190; break;
    case CellKind::industry: smin = 380; smax = 520; break;
    case CellKind::logistics: smin = 320; smax = 460; break;
    default: break;
    }
    const bool locals = c.kind != CellKind::park;
    struct Line { double pos; double inset; };
    std::vector<Line> hs{{c.y0, c.in_s}, {c.y1, c.in_n}}, vs{{c.x0, c.in_w}, {c.x1, c.in_e}};
    for (const auto& t : throughs_) {
        if (t.horizontal && t.pos > c.y0 && t.pos < c.y1 && t.lo <= c.x0 && t.hi >= c.x1) hs.push_back({t.pos, 12});
        if (!t.horizontal && t.pos > c.x0 && t.pos < c.x1 && t.lo <= c.y0 && t.hi >= c.y1) vs.push_back({t.pos, 12});
    }
    auto by_pos = [](const Line& a, const Line& b) { return a.pos < b.pos; };
    std::sort(hs.begin(), hs.end(), by_pos);
    std::sort(vs.begin(), vs.end(), by_pos);
    auto spread = [&](const std::vector<Line>& fixed) {
        std::vector<double> out;
        for (std::size_t i = 0; i + 1 < fixed.size(); ++i) {
            const double lo = fixed[i].pos, hi = fixed[i + 1].pos, gap = hi - lo;
            const double s = rng.uniform(smin, smax);
            int n = std::max(1, static_cast<int>(std::lround(gap / s)));
            while (n > 1 && gap / n < 0.8 * smin) --n;
            for (int k = 1; k < n; ++k) out.push_back(lo + gap * k / n + rng.uniform(-0.15, 0.15) * gap / n);
        }
        return out;
    };
    std::vector<Line> hall = hs;
    if (locals) {
        for (double y : spread(hs)) {
            RoadLine r = road({{c.x0, y}, {c.x1, y}}, local_name(rng), RoadClass::local);
            r.tag = "local";
            add(std::move(r));
            hall.push_back({y, 7});
        }
    }
    std::sort(hall.begin(), hall.end(), by_pos);
    const int bands = static_cast<int>(hall.size()) - 1;
    // Verticals present in each band: cell edges and through lines everywhere.
    std::vector<std::vector<Line>> band_vs(static_cast<std::size_t>(bands), vs);
    if (locals) {
        for (double x : spread(vs)) {
            int b0 = 0, b1 = bands - 1;
            if (bands > 1 && !rng.chance(0.5)) {
                b0 = rng.integer(0, bands - 1);
                b1 = rng.integer(b0, bands - 1);
            }
            RoadLine r = road({{x, hall[static_cast<std::size_t>(b0)].pos}, {x, hall[static_cast<std::size_t>(b1) + 1].pos}},
                              local_name(rng), RoadClass::local);
            r.tag = "local";
            const int id = add(std::move(r));
            // Its top end is a T-junction unless it reaches the cell edge, where a
            // road of the next cell might continue it.
            if (b1 + 1 < bands) t_verticals_.push_back(id);
            for (int b = b0; b <= b1; ++b) band_vs[static_cast<std::size_t>(b)].push_back({x, 7});
        }
    }
    for (int b = 0; b < bands; ++b) {
        auto& v = band_vs[static_cast<std::size_t>(b)];
        std::sort(v.begin(), v.end(), by_pos);
        for (std::size_t k = 0; k + 1 < v.size(); ++k) {
            SubBlock sb{v[k].pos, v[k + 1].pos, hall[static_cast<std::size_t>(b)].pos, hall[static_cast<std::size_t>(b) + 1].pos,
                        v[k].inset, v[k + 1].inset, hall[static_cast<std::size_t>(b)].inset, hall[static_cast<std::size_t>(b) + 1].inset,
                        {}, false};
            sb.arterial_front = sb.in_w >= 20 || sb.in_e >= 20 || sb.in_s >= 20 || sb.in_n >= 20;
            c.blocks.push_back(sb);
        }
    }
}

void Builder::oldtown_patch(double x0, double x1, double y0, double y1, int nx, int ny,
                            const std::vector<std::string>& rows, const std::vector<std::string>& cols,
                            const std::vector<double>& avoid_west, std::vector<double>* east_nodes, Rng& rng,
                            int factories) {
    const double sx = (x1 - x0) / nx, sy = (y1 - y0) / ny;
    auto idx = [&](int i, int j) { return static_cast<std::size_t>(j * (nx + 1) + i); };
    std::vector<Point> node(static_cast<std::size_t>((nx + 1) * (ny + 1)));
    for (int j = 0; j <= ny; ++j)
        for (int i = 0; i <= nx; ++i) {
            double x = x0 + i * sx, y = y0 + j * sy;
            const bool bx = i == 0 || i == nx, by = j == 0 || j == ny;
            if (!bx) x += rng.uniform(-0.18, 0.18) * sx;
            if (!by) y += rng.uniform(-0.18, 0.18) * sy;
            node[idx(i, j)] = {x, y};
        }
    struct Edge { int i0, j0, i1, j1; bool alive; };
    std::vector<Edge> edges;
    for (int j = 1; j < ny; ++j)
        for (int i = 0; i < nx; ++i) edges.push_back({i, j, i + 1, j, true});
    for (int i = 1; i < nx; ++i)
        for (int j = 0; j < ny; ++j) edges.push_back({i, j, i, j + 1, true});
    auto interior = [&](int i, int j) { return i > 0 && i < nx && j > 0 && j < ny; };
    std::vector<int> degree(node.size(), 0);
    for (const auto& e : edges) { ++degree[idx(e.i0, e.j0)]; ++degree[idx(e.i1, e.j1)]; }
    auto connected = [&]() {
        // Every interior node still in use reaches a boundary node.
        std::vector<char> seen(node.size(), 0);
        std::vector<std::size_t> stack;
        for (int j = 0; j <= ny; ++j)
            for (int i = 0; i <= nx; ++i)
                if (!interior(i, j)) { seen[idx(i, j)] = 1; stack.push_back(idx(i, j)); }
        while (!stack.empty()) {
            const std::size_t n = stack.back();
            stack.pop_back();
            for (const auto& e : edges) {
                if (!e.alive) continue;
                const std::size_t a = idx(e.i0, e.j0), b = idx(e.i1, e.j1);
                const std::size_t other = a == n ? b : b == n ? a : node.size();
                if (other < node.size() && !seen[other]) { seen[other] = 1; stack.push_back(other); }
            }
        }
        for (std::size_t n = 0; n < node.size(); ++n)
            if (degree[n] > 0 && !seen[n]) return false;
        return true;
    };
    auto try_remove = [&](Edge& e) {
        const std::size_t a = idx(e.i0, e.j0), b = idx(e.i1, e.j1);
        if (interior(e.i0, e.j0) && degree[a] - 1 < 2) return false;
        if (interior(e.i1, e.j1) && degree[b] - 1 < 2) return false;
        e.alive = false;
        --degree[a]; --degree[b];
        if (connected()) return true;
        e.alive = true;
        ++degree[a]; ++degree[b];
        return false;
    };
    // Lanes meeting 大众路 from the other patch: keep T-junctions 25 m apart.
    for (auto& e : edges)
        if (e.i0 == 0 && e.j0 == e.j1)
            for (double y : avoid_west)
                if (std::abs(node[idx(0, e.j0)].y - y) < 25.0) try_remove(e);
    for (std::size_t k = 0; k < edges.size(); ++k) {
        Edge& e = edges[static_cast<std::size_t>(rng.integer(0, static_cast<int>(edges.size()) - 1))];
        if (e.alive && rng.chance(0.3)) try_remove(e);
    }
    for (const auto& e : edges) {
        if (!e.alive) continue;
        const Point a = node[idx(e.i0, e.j0)], b = node[idx(e.i1, e.j1)];
        const double len = distance(a, b), bend = rng.uniform(-0.06, 0.06) * len;
        const Point mid{(a.x + b.x) / 2 - (b.y - a.y) / len * bend, (a.y + b.y) / 2 + (b.x - a.x) / len * bend};
        const bool horizontal = e.j0 == e.j1;
        std::string name = horizontal ? rows[static_cast<std::size_t>(e.j0) % rows.size()]
                                      : cols[static_cast<std::size_t>(e.i0) % cols.size()];
        if (rng.chance(0.08)) name.clear();
        RoadLine r = road({a, mid, b}, name, RoadClass::local);
        r.tag = "oldtown";
        add(std::move(r));
        if (east_nodes && e.i1 == nx && horizontal) east_nodes->push_back(b.y);
    }
    std::vector<std::pair<int, int>> factory_cells;
    for (int k = 0; k < factories; ++k) factory_cells.push_back({nx - 1 - (k % 2), 2 + 3 * k});
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            std::vector<Point> quad{node[idx(i, j)], node[idx(i + 1, j)], node[idx(i + 1, j + 1)], node[idx(i, j + 1)]};
            const char* use = "R";
            const double u = rng.uniform();
            if (std::find(factory_cells.begin(), factory_cells.end(), std::make_pair(i, j)) != factory_cells.end()) use = "M2";
            else if (j == ny - 1 && u < 0.5) use = "B"; // shops along 青年路
            else if (u < 0.12) use = "B";
            else if (u < 0.17) use = "A";
            else if (u < 0.20) use = "G";
            oldtown_cells_.push_back({quad, std::string(use)});
        }
}

void Builder::oldtown() {
    Rng rng = rng_.fork(7);
    const std::vector<std::string> rows_w = {"", "锅市街", "马市街", "白布巷", "箍桶巷", "会通街", "纸马巷",
                                             "青碗市口", "碗市街", "察院街", "弓箭街", "铁塔街", "后关街"};
    const std::vector<std::string> cols_w = {"", "竹竿巷", "大寺街", "考棚街", "鳌头矶街"};
    const std::vector<std::string> rows_e = {"", "天桥街", "估衣街", "銮驾街", "钞关街", "卫河街", "大宁寺街",
                                             "状元街", "书院街", "东夹道", "南门里", "清真寺街", "北门里"};
    const std::vector<std::string> cols_e = {"", "三元阁街", "牛市街", "羊市街", "礼拜寺巷", "塔湾街", "中洲街", "运河巷", "纱厂巷"};
    std::vector<double> west_ends;
    oldtown_patch(RE, V2, H3, H2, 5, 13, rows_w, cols_w, {}, &west_ends, rng, 0);
    oldtown_patch(V2, V3, H3, H2, 9, 13, rows_e, cols_e, west_ends, nullptr, rng, 4);
}

} // namespace plan::samplecity::layout
