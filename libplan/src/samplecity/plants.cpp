// Planted defects: each is the only thing of its kind where it is, placed where
// nothing else is near, so that tests can assert exactly what an analysis finds.
#include <algorithm>
#include <cmath>

#include "plan/error.hpp"
#include "samplecity/layout.hpp"

namespace plan::samplecity::layout {

namespace {

Cell& cell_at(std::vector<Cell>& cells, double x0, double y0) {
    for (auto& c : cells)
        if (c.x0 == x0 && c.y0 == y0) return c;
    throw processing_error("sample city: no cell at design (" + std::to_string(x0) + ", " + std::to_string(y0) + ")");
}

double polyline_distance(const Point& p, const LineString& l) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < l.size(); ++i) best = std::min(best, point_segment_distance(p, l[i], l[i + 1]));
    return best;
}

} // namespace

double Builder::clearance(const Point& p, const std::vector<int>& exclude) const {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < city_.roads.size(); ++i) {
        if (std::find(exclude.begin(), exclude.end(), static_cast<int>(i)) != exclude.end()) continue;
        best = std::min(best, polyline_distance(p, city_.roads[i].pts));
    }
    return best;
}

int Builder::line_at(const Point& p, int exclude) const {
    for (std::size_t i = 0; i < city_.roads.size(); ++i)
        if (static_cast<int>(i) != exclude && polyline_distance(p, city_.roads[i].pts) < 1e-6) return static_cast<int>(i);
    return -1;
}

void Builder::plant_dead_end(const std::string& id, const std::string& kind, Cell& cell, double gap, Rng& rng) {
    const bool culdesac = kind == "cul_de_sac";
    std::vector<SubBlock*> blocks;
    for (auto& b : cell.blocks) blocks.push_back(&b);
    std::sort(blocks.begin(), blocks.end(), [](const SubBlock* a, const SubBlock* b) {
        return (a->x1 - a->x0) * (a->y1 - a->y0) > (b->x1 - b->x0) * (b->y1 - b->y0);
    });
    for (SubBlock* b : blocks) {
        const double w = b->x1 - b->x0, h = b->y1 - b->y0;
        if (!b->splits.empty() || w < 130 || h < (culdesac ? 190 : 110)) continue;
        const double xm = std::round((b->x0 + b->x1) / 2);
        const Point start{xm, b->y0}, top{xm, b->y1};
        const int base = line_at(start, -1), target = line_at(top, -1);
        if (base < 0 || target < 0 || city_.roads[static_cast<std::size_t>(target)].layer != 0 ||
            city_.roads[static_cast<std::size_t>(target)].name.empty())
            continue;
        Point end{xm, b->y1 - 70.0};
        if (!culdesac) {
            // Aim at `gap` metres after the warp: correct for the local scale.
            const double scale = distance(warp_(top), warp_(Point{xm, b->y1 - 10.0})) / 10.0;
            end = {xm, b->y1 - gap / scale};
        }
        const double clear = clearance(end, culdesac ? std::vector<int>{} : std::vector<int>{target});
        if (clear < (culdesac ? 55.0 : 45.0)) continue;
        RoadLine r = road({start, end}, local_name(rng), RoadClass::local);
        if (r.name.empty()) r.name = "无名路";
        r.tag = id;
        const std::string name = r.name;
        add(std::move(r));
        b->splits.push_back(xm);
        PlantedDefect d;
        d.id = id;
        d.kind = kind;
        d.at = end;
        d.road = name;
        if (!culdesac) {
            d.target = city_.roads[static_cast<std::size_t>(target)].name;
            d.note = "ends short of " + d.target;
            city_.scenario_links.push_back({"L-" + id, name, "phase1_links", RoadClass::local, false, {end, top}, id});
        } else {
            d.note = "genuine end in the middle of a block";
        }
        city_.defects.push_back(d);
        return;
    }
    throw processing_error("sample city: no room for defect " + id);
}

void Builder::plant_gap_pair(const std::string& id1, const std::string& id2, Cell& cell, double gap) {
    for (auto& b : cell.blocks) {
        const double w = b.x1 - b.x0, h = b.y1 - b.y0;
        if (!b.splits.empty() || w < 130 || h < 130) continue;
        const double xm = std::round((b.x0 + b.x1) / 2), ym = std::round((b.y0 + b.y1) / 2);
        const double scale = distance(warp_(Point{xm, ym}), warp_(Point{xm, ym + 10.0})) / 10.0;
        const Point e1{xm, ym - gap / scale / 2}, e2{xm, ym + gap / scale / 2};
        if (clearance(e1, {}) < 45.0 || line_at({xm, b.y0}, -1) < 0 || line_at({xm, b.y1}, -1) < 0) continue;
        const std::string name = "同心街";
        RoadLine a = road({{xm, b.y0}, e1}, name, RoadClass::local), c = road({{xm, b.y1}, e2}, name, RoadClass::local);
        a.tag = id1;
        c.tag = id2;
        add(std::move(a));
        add(std::move(c));
        b.splits.push_back(xm);
        PlantedDefect d1;
        d1.id = id1;
        d1.kind = "near_miss";
        d1.at = e1;
        d1.road = name;
        d1.target = name;
        d1.note = "end facing the end " + id2 + " of the same street";
        PlantedDefect d2 = d1;
        d2.id = id2;
        d2.at = e2;
        d2.note = "end facing the end " + id1 + " of the same street";
        city_.defects.push_back(d1);
        city_.defects.push_back(d2);
        city_.scenario_links.push_back({"L-" + id1, name, "phase1_links", RoadClass::local, false, {e1, e2}, id1 + "+" + id2});
        return;
    }
    throw processing_error("sample city: no room for defect " + id1);
}

void Builder::plant_stub(const std::string& id, double length, Rng& rng) {
    while (!t_verticals_.empty()) {
        const std::size_t k = static_cast<std::size_t>(rng.integer(0, static_cast<int>(t_verticals_.size()) - 1));
        const int li = t_verticals_[k];
        t_verticals_.erase(t_verticals_.begin() + static_cast<std::ptrdiff_t>(k));
        RoadLine& line = city_.roads[static_cast<std::size_t>(li)];
        const Point top = line.pts.back();
        const int crossed = line_at(top, li);
        if (crossed < 0) continue;
        const RoadLine& c = city_.roads[static_cast<std::size_t>(crossed)];
        if (c.cad || c.layer != 0 || c.name.empty() || top == c.pts.front() || top == c.pts.back() || line_at(top, crossed) != li) continue;
        const double scale = distance(warp_(top), warp_(Point{top.x, top.y + 10.0})) / 10.0;
        const Point end{top.x, top.y + length / scale};
        if (clearance(end, {li, crossed}) < 40.0) continue;
        line.pts.back() = end;
        PlantedDefect d;
        d.id = id;
        d.kind = "stub";
        d.at = end;
        d.road = line.name;
        d.target = c.name;
        d.note = "overshoots its junction with " + c.name;
        city_.defects.push_back(d);
        return;
    }
    throw processing_error("sample city: no room for stub " + id);
}

void Builder::plant_isolated() {
    struct Piece { std::string name; std::vector<LineString> lines; std::vector<Point> ends; };
    const std::vector<Piece> pieces = {
        {"西营村路", {{{400, 3700}, {560, 3790}}}, {{400, 3700}, {560, 3790}}},
        {"后屯村路", {{{7400, 7900}, {7580, 7900}, {7750, 7900}}, {{7580, 7900}, {7580, 8120}}},
         {{7400, 7900}, {7750, 7900}, {7580, 8120}}},
        {"砖厂路", {{{2300, 800}, {2450, 800}, {2450, 930}}, {{2450, 930}, {2300, 930}, {2300, 800}}, {{2450, 800}, {2560, 740}}},
         {{2560, 740}}},
    };
    int n = 0;
    const std::size_t first = city_.roads.size();
    for (const auto& piece : pieces) {
        for (const auto& l : piece.lines) {
            std::vector<int> own;
            for (std::size_t i = first; i < city_.roads.size(); ++i) own.push_back(static_cast<int>(i));
            for (const auto& p : l)
                if (clearance(p, own) < 80.0) throw processing_error("sample city: isolated piece " + piece.name + " is too close to a road");
            RoadLine r = road(l, piece.name, RoadClass::local);
            r.tag = "isolated";
            add(std::move(r));
        }
        for (const auto& e : piece.ends) {
            PlantedDefect d;
            d.id = "IS0" + std::to_string(++n);
            d.kind = "isolated";
            d.at = e;
            d.road = piece.name;
            d.note = "end of a piece not connected to the network";
            city_.defects.push_back(d);
        }
    }
}

void Builder::plants() {
    Rng rng = rng_.fork(9);
    plant_dead_end("CD01", "cul_de_sac", cell_at(cells_, V1, H2), 0, rng);
    plant_dead_end("CD02", "cul_de_sac", cell_at(cells_, V6, H3), 0, rng);
    plant_dead_end("CD03", "cul_de_sac", cell_at(cells_, FR, H2), 0, rng);
    plant_dead_end("CD04", "cul_de_sac", cell_at(cells_, V3, H2), 0, rng);
    plant_dead_end("CD05", "cul_de_sac", cell_at(cells_, V5, H4), 0, rng);
    {
        // A village road running north into the fields from 北关街.
        const Point start{4450, NORTH}, end{4450, 7830};
        if (clearance(end, {}) < 60.0) throw processing_error("sample city: no room for CD06");
        RoadLine r = road({start, end}, "前屯村路", RoadClass::local);
        r.tag = "CD06";
        add(std::move(r));
        PlantedDefect d;
        d.id = "CD06";
        d.kind = "cul_de_sac";
        d.at = end;
        d.road = "前屯村路";
        d.note = "village road ending in the fields";
        city_.defects.push_back(d);
    }
    plant_dead_end("NM01", "near_miss", cell_at(cells_, RE, H4), 2.0, rng);
    plant_dead_end("NM02", "near_miss", cell_at(cells_, V2, H4), 4.5, rng);
    plant_dead_end("NM03", "near_miss", cell_at(cells_, V6, H2), 8.0, rng);
    plant_dead_end("NM04", "near_miss", cell_at(cells_, FR, H3), 11.0, rng);
    plant_dead_end("NM05", "near_miss", cell_at(cells_, V2, H1), 13.5, rng);
    plant_gap_pair("NM06", "NM07", cell_at(cells_, V1, H4), 6.0);
    plant_stub("ST01", 3.0, rng);
    plant_stub("ST02", 4.0, rng);
    plant_stub("ST03", 5.0, rng);
    plant_stub("ST04", 6.0, rng);
    plant_isolated();
    // Two cul-de-sacs opened in phase 1 as well: link the end to the road ahead.
    for (const std::string id : {"CD02", "CD04"}) {
        for (const auto& d : city_.defects) {
            if (d.id != id) continue;
            const Point end = d.at;
            const Point ahead{end.x, end.y + 70.0};
            city_.scenario_links.push_back({"L-" + id, d.road, "phase1_links", RoadClass::local, false, {end, ahead}, id});
        }
    }
    // The skeleton's planned gaps.
    PlantedDefect g1;
    g1.id = "SG01";
    g1.kind = "skeleton_gap";
    g1.at = {RW, H3};
    g1.at2 = Point{RE, H3};
    g1.road = "新华路";
    g1.target = "H3";
    g1.note = "crosses 卫运河: needs a bridge (新漳卫河特大桥)";
    city_.defects.push_back(g1);
    PlantedDefect g2;
    g2.id = "SG02";
    g2.kind = "skeleton_gap";
    g2.at = {V5, V5GAP};
    g2.at2 = Point{V5, H1};
    g2.road = "先锋路";
    g2.target = "V5";
    g2.note = "planned, unbuilt across a village between 振华路 and 光岳路";
    city_.defects.push_back(g2);
    city_.scenario_links.push_back({"L-SG02", "先锋路", "phase1_links", RoadClass::arterial, false, {g2.at, *g2.at2}, "SG02"});
    city_.scenario_links.push_back({"B-SG01", "新漳卫河特大桥", "river_bridge", RoadClass::arterial, true, {g1.at, *g1.at2}, "SG01"});
}

} // namespace plan::samplecity::layout
