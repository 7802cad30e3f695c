// The HTML report of a study run (docs/outputs.md): one self-contained page.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plan/error.hpp"
#include "plan/report.hpp"
#include "report/svg.hpp"

namespace plan {
namespace {

using nlohmann::ordered_json;
using report::Bar;
using report::bi;
using report::html_escape;
using report::LegendItem;
using report::Map;
using report::num;
using report::Paint;
using report::Text;

const ordered_json* member(const ordered_json* o, const char* key) {
    if (!o || !o->is_object()) return nullptr;
    auto it = o->find(key);
    if (it == o->end() || it->is_null()) return nullptr;
    return &*it;
}
double number_of(const ordered_json* o, const char* key, double fallback = NAN) {
    const ordered_json* v = member(o, key);
    return v && v->is_number() ? v->get<double>() : fallback;
}
std::string text_of(const ordered_json* o, const char* key) {
    const ordered_json* v = member(o, key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

int field_index(const OutLayer& l, const std::string& name) {
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name == name) return static_cast<int>(i);
    return -1;
}
std::string text_value(const OutFeature& f, int idx) {
    if (idx < 0 || static_cast<std::size_t>(idx) >= f.values.size()) return {};
    return to_text(f.values[idx]);
}
double number_value(const OutFeature& f, int idx) {
    if (idx < 0 || static_cast<std::size_t>(idx) >= f.values.size()) return NAN;
    auto v = to_number(f.values[idx]);
    return v ? *v : NAN;
}

const OutLayer* find_layer(const std::vector<ReportLayers>& all, const std::string& group, const std::string& name) {
    for (const auto& g : all)
        if (g.group == group)
            for (const auto& l : g.layers)
                if (l.name == name && !l.features.empty()) return &l;
    return nullptr;
}

struct RoadClassStyle {
    const char* key;
    Text label;
    const char* color;
    double width;
};
const RoadClassStyle kRoadClasses[] = {
    {"expressway", {"快速路", "expressway"}, "#7b1fa2", 2.6}, {"arterial", {"主干路", "arterial"}, "#d7301f", 2.0},
    {"collector", {"次干路", "collector"}, "#fc8d59", 1.3},   {"local", {"支路", "local"}, "#8c8c8c", 0.7},
    {"ramp", {"匝道", "ramp"}, "#b15928", 0.8},               {"side_road", {"辅路", "side road"}, "#a6a6a6", 0.6},
    {"other", {"其他", "other"}, "#c8c8c8", 0.5}};

struct DeadEndStyle {
    const char* key;
    Text label;
    const char* color;
    double radius;
};
const DeadEndStyle kDeadEnds[] = {{"near_miss", {"差一点连上", "near miss"}, "#e31a1c", 5},
                                  {"stub", {"短枝", "stub"}, "#ff7f00", 4},
                                  {"cul_de_sac", {"尽端路", "cul-de-sac"}, "#1f78b4", 4},
                                  {"isolated", {"孤立段端", "isolated"}, "#6a3d9a", 4},
                                  {"boundary", {"边界端", "boundary"}, "#bdbdbd", 3}};

struct EffClass {
    const char* key;
    Text label;
    const char* color;
};
const EffClass kEffClasses[] = {{"A", {"A 类", "class A"}, "#1a9850"},
                                {"B", {"B 类", "class B"}, "#91cf60"},
                                {"C", {"C 类", "class C"}, "#fc8d59"},
                                {"D", {"D 类", "class D"}, "#d73027"}};

const char* const kCompletionColors[] = {"#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"};
int completion_band(double pct) {
    if (!std::isfinite(pct)) return 0;
    if (pct >= 99.95) return 4;
    if (pct >= 75) return 3;
    if (pct >= 50) return 2;
    if (pct >= 25) return 1;
    return 0;
}

/// Labels of the figures the report knows; other keys are shown as they are.
Text key_label(const std::string& key) {
    static const std::map<std::string, Text> labels = {
        {"scenario", {"方案", "scenario"}},
        {"length_km", {"路网长度 (km)", "network length (km)"}},
        {"new_road_km", {"新建道路 (km)", "new road (km)"}},
        {"cost", {"造价", "cost"}},
        {"dead_ends", {"断头路", "dead ends"}},
        {"dead_ends_removed", {"消除断头路", "dead ends removed"}},
        {"components", {"连通分量", "components"}},
        {"components_joined", {"连通分量合并", "components joined"}},
        {"intersections", {"交叉口", "intersections"}},
        {"largest_component_share", {"最大连通分量占比", "largest component share"}},
        {"skeleton_completion_pct", {"骨架完成度 (%)", "skeleton completion (%)"}},
        {"od_mean_saving_m", {"平均出行距离节省 (m)", "mean OD saving (m)"}},
        {"od_total_saving_km", {"出行距离总节省 (km)", "total OD saving (km)"}},
        {"od_improved_share", {"改善的 OD 对占比", "share of OD pairs improved"}},
        {"od_newly_connected", {"新连通的 OD 对", "OD pairs newly connected"}},
        {"circuity_change", {"绕行系数变化", "circuity change"}},
        {"gain_per_km", {"每公里收益", "gain per km"}},
        {"interaction", {"交互项", "interaction term"}},
        {"length_km_delta", {"路网长度变化 (km)", "network length change (km)"}},
        {"skeleton_completion_pct_change", {"骨架完成度变化 (百分点)", "skeleton completion change (points)"}},
        {"dead_ends_delta", {"断头路变化", "dead ends change"}},
        {"intersections_delta", {"交叉口变化", "intersections change"}},
        // the comparison table (plan run / plan compare ranking rows)
        {"rank", {"排名", "rank"}},
        {"title", {"方案说明", "description"}},
        {"od_saving_m", {"出行距离总节省 (m)", "total OD saving (m)"}},
        {"od_saving_per_km", {"每公里新路的出行距离节省 (m/km)", "OD saving per km of new road (m/km)"}},
        {"dead_ends_added", {"新增断头路", "dead ends added"}},
        {"skeleton_completion_change", {"骨架平均完成度变化 (百分点)", "mean skeleton completion change (points)"}},
        {"interaction_od_saving_m", {"交互项：出行距离节省 (m)", "interaction term: OD saving (m)"}},
    };
    // Ranking rows nest their figures ("figures.od_saving_m"): the figure's own label.
    if (key.rfind("figures.", 0) == 0) return key_label(key.substr(8));
    auto it = labels.find(key);
    if (it != labels.end()) return it->second;
    return {key, key};
}

std::string format_value(const ordered_json& v) {
    if (v.is_null()) return "–";
    if (v.is_boolean()) return v.get<bool>() ? "✓" : "✗";
    if (v.is_number_integer() || v.is_number_unsigned()) return fmt::format("{}", v.get<long long>());
    if (v.is_number()) {
        const double d = v.get<double>();
        const double a = std::fabs(d);
        return num(d, a >= 1000 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
    }
    if (v.is_string()) return html_escape(v.get<std::string>());
    return html_escape(v.dump());
}

/// Flattens an object one level deep into dotted keys (numbers, strings, booleans, nulls).
void flatten(const ordered_json& o, const std::string& prefix, std::vector<std::pair<std::string, ordered_json>>& out) {
    for (auto it = o.begin(); it != o.end(); ++it) {
        const std::string k = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (it->is_object()) {
            if (prefix.empty()) flatten(*it, k, out);
        } else if (!it->is_array()) {
            out.emplace_back(k, *it);
        }
    }
}

class Page {
public:
    Page(const ordered_json& summary, const std::vector<ReportLayers>& layers, const CrsRef& crs)
        : s_(summary), layers_(layers), crs_(crs) {}

    std::string render() {
        const ordered_json* study = member(&s_, "study");
        std::string title = text_of(study, "title");
        if (title.empty()) title = text_of(study, "name");
        if (title.empty()) title = "libplan";
        std::string crs_label = text_of(study, "crs");
        if (crs_label.empty()) crs_label = crs_.label();

        body_ += "<header><h1>" + html_escape(title) + "</h1>";
        body_ += "<p class=\"sub\">" + bi({"路网与用地分析报告", "Road network and land-use report"}) + " · " +
                 bi({"坐标系", "CRS"}) + " " + html_escape(crs_label) + "</p>";
        body_ += "<button id=\"lang\" type=\"button\" aria-label=\"language\"><span class=\"zh\">English</span>"
                 "<span class=\"en\">中文</span></button></header>\n<main>\n";

        const ordered_json* base = member(&s_, "base");
        overview(base);
        network_section(base);
        skeleton_section(base);
        landuse_section(base);
        scenarios_section();
        body_ += "</main>\n<footer>" + bi({"由 libplan 生成。数据与方法见 summary.json。",
                                           "Made by libplan. Data and methods: summary.json."}) +
                 "</footer>\n";
        return page(title);
    }

private:
    std::string page(const std::string& title) const {
        std::string h = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                        html_escape(title) + "</title>\n<style>\n";
        h += R"css(body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#222;background:#fff}
header{background:#23395d;color:#fff;padding:16px 28px;position:relative}
header h1{margin:0;font-size:26px}
header .sub{margin:6px 0 0;opacity:.85}
#lang{position:absolute;right:24px;top:20px;font-size:15px;padding:6px 14px;border-radius:4px;border:1px solid #fff;background:transparent;color:#fff;cursor:pointer}
main{max-width:1100px;margin:0 auto;padding:8px 24px 40px}
section{margin-top:28px}
h2{border-bottom:2px solid #23395d;padding-bottom:4px;font-size:21px}
h3{font-size:17px;margin:18px 0 6px}
html[lang="en"] .zh{display:none}
html:not([lang="en"]) .en{display:none}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #d0d7e2;border-radius:6px;padding:10px 14px;min-width:150px}
.card .v{font-size:22px;font-weight:bold;color:#23395d}
.card .k{font-size:13px;color:#555}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border:1px solid #ccd;padding:4px 8px;text-align:right}
th{background:#eef1f6}
td:first-child,th:first-child{text-align:left}
svg.map{width:100%;height:auto;border:1px solid #ccc;background:#fbfbf8}
svg.chart{width:100%;max-width:800px;height:auto}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px}
ul.legend li{display:flex;align-items:center;gap:4px}
.note{font-size:13px;color:#555}
footer{font-size:12px;color:#777;text-align:center;padding:20px}
)css";
        h += "</style>\n</head>\n<body>\n" + body_;
        h += R"js(<script>
(function(){
  var root=document.documentElement, b=document.getElementById('lang');
  b.addEventListener('click',function(){
    var en=root.getAttribute('lang')!=='en';
    root.setAttribute('lang',en?'en':'zh-CN');
  });
})();
</script>
)js";
        h += "</body>\n</html>\n";
        return h;
    }

    Envelope base_extent() const {
        Envelope e;
        for (const auto& g : layers_)
            if (g.group == "base")
                for (const auto& l : g.layers)
                    for (const auto& f : l.features) e.expand(f.geometry.envelope());
        if (e.empty())
            for (const auto& g : layers_)
                for (const auto& l : g.layers)
                    for (const auto& f : l.features) e.expand(f.geometry.envelope());
        return e;
    }

    void card(std::string& out, const Text& label, const std::string& value) {
        out += "<div class=\"card\"><div class=\"v\">" + value + "</div><div class=\"k\">" + bi(label) + "</div></div>";
    }

    void overview(const ordered_json* base) {
        std::string cards;
        const ordered_json* net = member(base, "network");
        if (net) {
            card(cards, {"路网长度", "network length"}, num(number_of(net, "length_km"), 1) + " km");
            card(cards, {"交叉口", "intersections"}, num(number_of(net, "intersections"), 0));
            card(cards, {"断头路", "dead ends"}, num(number_of(member(net, "dead_ends"), "total"), 0));
            card(cards, {"断头路 / 100 km", "dead ends / 100 km"}, num(number_of(net, "dead_ends_per_100km"), 1));
            card(cards, {"连通分量", "components"}, num(number_of(net, "components"), 0));
        }
        if (const ordered_json* d = member(member(base, "metrics"), "density")) {
            const double v = number_of(d, "road_density_centreline");
            if (std::isfinite(v)) card(cards, {"路网密度", "road density"}, num(v, 2) + " km/km²");
        }
        if (const ordered_json* sk = member(base, "skeleton")) {
            double built = 0, planned = 0;
            if (const ordered_json* lines = member(sk, "lines"); lines && lines->is_array())
                for (const auto& l : *lines) built += number_of(&l, "built_m", 0), planned += number_of(&l, "planned_m", 0);
            if (planned > 0) card(cards, {"骨架路网完成度", "skeleton completion"}, num(100 * built / planned, 1) + " %");
        }
        if (const ordered_json* lu = member(base, "landuse")) {
            const ordered_json* counts = member(lu, "counts");
            card(cards, {"参评企业", "enterprises graded"}, num(number_of(counts, "graded"), 0));
        }
        if (cards.empty()) return;
        body_ += "<section id=\"overview\"><h2>" + bi({"总览", "Overview"}) + "</h2><div class=\"cards\">" + cards +
                 "</div></section>\n";
    }

    void network_section(const ordered_json* base) {
        const OutLayer* edges = find_layer(layers_, "base", "edges");
        const OutLayer* ends = find_layer(layers_, "base", "dead_ends");
        const OutLayer* gaps = find_layer(layers_, "base", "gaps");
        const ordered_json* net = member(base, "network");
        if (!edges && !net) return;
        body_ += "<section id=\"network\"><h2>" + bi({"路网与断头路", "Road network and dead ends"}) + "</h2>\n";
        if (edges) {
            Map map(base_extent(), 1000);
            draw_edges(map, *edges, false);
            std::vector<LegendItem> legend;
            for (const auto& c : kRoadClasses) legend.push_back({road_paint(c), c.label, false});
            if (gaps) {
                map.draw(*gaps, {Paint{"#e31a1c", "none", 2.0, 0, "5 3"}}, [](const OutFeature&) { return 0; });
                legend.push_back({Paint{"#e31a1c", "none", 2.0, 0, "5 3"}, {"近失缺口", "near-miss gap"}, false});
            }
            if (ends) {
                draw_dead_ends(map, *ends);
                for (const auto& d : kDeadEnds)
                    legend.push_back({Paint{"#333", d.color, 1, d.radius}, d.label, true});
            }
            body_ += map.svg("road network by class with dead ends") + report::legend(legend);
        }
        if (net) {
            const ordered_json* de = member(net, "dead_ends");
            body_ += "<h3>" + bi({"断头路分类", "Dead ends by class"}) + "</h3><table><tr><th>" + bi({"类别", "class"}) +
                     "</th><th>" + bi({"数量", "count"}) + "</th></tr>";
            for (const auto& d : kDeadEnds)
                body_ += "<tr><td>" + bi(d.label) + "</td><td>" + num(number_of(de, d.key, 0), 0) + "</td></tr>";
            body_ += "<tr><td>" + bi({"合计", "total"}) + "</td><td>" + num(number_of(de, "total", 0), 0) + "</td></tr></table>\n";
            if (const ordered_json* by = member(net, "length_km_by_class")) {
                std::vector<Bar> bars;
                for (const auto& c : kRoadClasses) {
                    const double v = number_of(by, c.key, 0);
                    if (v > 0) bars.push_back({c.label, v, c.color, {}});
                }
                if (!bars.empty())
                    body_ += "<h3>" + bi({"各等级道路长度", "Length by road class"}) + "</h3>" +
                             report::bar_chart(bars, " km", 1, "length by class");
            }
        }
        if (const ordered_json* m = member(base, "metrics")) {
            density_table(member(m, "density"));
            metrics_table(m);
        }
        body_ += "</section>\n";
    }

    /// Road densities against their targets (pass / fail), and the area they are measured on.
    void density_table(const ordered_json* d) {
        const ordered_json* targets = member(d, "targets");
        if (!targets || !targets->is_array() || targets->empty()) return;
        std::string area;
        if (const ordered_json* basis = member(d, "area_basis"); basis && basis->is_string())
            area = basis->get<std::string>();
        const double km2 = number_of(d, "area_km2");
        std::string t = "<table><tr><th>" + bi({"指标", "density"}) + "</th><th>" + bi({"现状 (km/km²)", "now (km/km²)"}) +
                        "</th><th>" + bi({"目标 (km/km²)", "target (km/km²)"}) + "</th><th>" + bi({"达标", "met"}) +
                        "</th><th>" + bi({"依据", "source"}) + "</th></tr>";
        for (const auto& row : *targets) {
            const ordered_json* cls = member(&row, "class");
            const std::string key = cls && cls->is_string() ? cls->get<std::string>() : std::string();
            Text label{"路网密度（全部道路）", "road density (all roads)"};
            for (const auto& c : kRoadClasses)
                if (key == c.key) label = {c.label.zh + "密度", c.label.en + " density"};
            const double lo = number_of(&row, "min"), hi = number_of(&row, "max");
            std::string range = std::isfinite(lo) && std::isfinite(hi) ? num(lo, 2) + " – " + num(hi, 2)
                                : std::isfinite(lo)                     ? "≥ " + num(lo, 2)
                                : std::isfinite(hi)                     ? "≤ " + num(hi, 2)
                                                                         : "–";
            const ordered_json* pass = member(&row, "pass");
            const std::string met = pass && pass->is_boolean() ? (pass->get<bool>() ? "✓" : "✗") : "–";
            const ordered_json* src = member(&row, "source");
            t += "<tr><td>" + bi(label) + "</td><td>" + num(number_of(&row, "value"), 2) + "</td><td>" + range +
                 "</td><td>" + met + "</td><td>" + (src && src->is_string() ? html_escape(src->get<std::string>()) : "") +
                 "</td></tr>";
        }
        body_ += "<h3>" + bi({"路网密度与目标", "Road density against targets"}) + "</h3><p>" +
                 bi({"中心线当量长度（双幅路计一次）除以面积 " + num(km2, 2) + " km²（" +
                         (area == "boundary" ? std::string("研究范围") : std::string("建成区：地块并集")) + "）。",
                     "Centreline-equivalent length (a dual carriageway counted once) over an area of " + num(km2, 2) +
                         " km² (" + (area == "boundary" ? std::string("the study boundary") : std::string("built-up area: union of parcels")) +
                         ")."}) +
                 "</p>" + t + "</table>\n";
    }

    void metrics_table(const ordered_json* m) {
        const ordered_json* ix = member(m, "indices");
        const ordered_json* od = member(m, "od_circuity");
        if (!ix && !od) return;
        struct Row { const ordered_json* o; const char* key; Text label; int decimals; };
        const Row rows[] = {{ix, "beta", {"β 指数 (边/点)", "beta (edges / nodes)"}, 3},
                            {ix, "alpha", {"α 指数 (环路度)", "alpha (meshedness)"}, 3},
                            {ix, "gamma", {"γ 指数", "gamma"}, 3},
                            {ix, "intersections_consolidated", {"合并后交叉口", "intersections (consolidated)"}, 0},
                            {ix, "connected_node_ratio", {"连通节点比", "connected node ratio"}, 3},
                            {od, "mean", {"平均绕行系数", "mean circuity"}, 3},
                            {od, "p90", {"绕行系数 90 分位", "circuity p90"}, 3}};
        std::string t;
        for (const auto& r : rows) {
            const double v = number_of(r.o, r.key);
            if (std::isfinite(v)) t += "<tr><td>" + bi(r.label) + "</td><td>" + num(v, r.decimals) + "</td></tr>";
        }
        if (t.empty()) return;
        body_ += "<h3>" + bi({"连通性指标", "Connectivity indices"}) + "</h3><table><tr><th>" + bi({"指标", "index"}) +
                 "</th><th>" + bi({"数值", "value"}) + "</th></tr>" + t + "</table>\n";
    }

    void skeleton_section(const ordered_json* base) {
        const OutLayer* lines = find_layer(layers_, "base", "skeleton_lines");
        const OutLayer* gaps = find_layer(layers_, "base", "skeleton_gaps");
        const OutLayer* crossings = find_layer(layers_, "base", "skeleton_crossings");
        const ordered_json* sk = member(base, "skeleton");
        if (!lines && !sk) return;
        body_ += "<section id=\"skeleton\"><h2>" + bi({"骨架路网 (四横七纵) 完成度", "Arterial skeleton completion"}) + "</h2>\n";
        if (lines) {
            Map map(base_extent(), 1000);
            if (const OutLayer* edges = find_layer(layers_, "base", "edges")) draw_edges(map, *edges, true);
            const int pct = field_index(*lines, "completion_pct");
            std::vector<Paint> paints;
            for (const char* c : kCompletionColors) paints.push_back(Paint{c, "none", 4.0});
            map.draw(*lines, paints, [&](const OutFeature& f) { return completion_band(number_value(f, pct)); });
            std::vector<LegendItem> legend;
            const Text bands[] = {{"< 25 %", "< 25 %"}, {"25–50 %", "25–50 %"}, {"50–75 %", "50–75 %"},
                                  {"75–100 %", "75–100 %"}, {"100 % 已贯通", "100 % complete"}};
            for (int i = 0; i < 5; ++i) legend.push_back({paints[static_cast<std::size_t>(i)], bands[i], false});
            if (gaps) {
                const int needs = field_index(*gaps, "needs");
                const std::vector<Paint> gp = {Paint{"#e31a1c", "none", 4.0, 0, "8 5"}, Paint{"#2166ac", "none", 4.0, 0, "8 5"}};
                map.draw(*gaps, gp, [&](const OutFeature& f) { return text_value(f, needs).empty() ? 0 : 1; });
                legend.push_back({gp[0], {"待建缺口", "gap to build"}, false});
                legend.push_back({gp[1], {"需跨河/铁路 (桥或下穿)", "gap across river/railway (bridge or underpass)"}, false});
            }
            if (crossings) {
                const int ex = field_index(*crossings, "exists");
                const Paint missing{"#fff", "#e31a1c", 1.5, 6};
                map.draw(*crossings, {missing}, [&](const OutFeature& f) { return text_value(f, ex) == "0" ? 0 : -1; });
                legend.push_back({missing, {"缺失的骨架交叉", "missing skeleton crossing"}, true});
            }
            body_ += map.svg("skeleton completion and gaps") + report::legend(legend);
        }
        if (const ordered_json* ls = member(sk, "lines"); ls && ls->is_array() && !ls->empty()) {
            std::vector<Bar> bars;
            std::string t = "<table><tr><th>" + bi({"线路", "line"}) + "</th><th>" + bi({"名称", "name"}) + "</th><th>" +
                            bi({"已建 (m)", "built (m)"}) + "</th><th>" + bi({"规划 (m)", "planned (m)"}) + "</th><th>" +
                            bi({"完成度 (%)", "completion (%)"}) + "</th><th>" + bi({"缺口", "gaps"}) + "</th></tr>";
            for (const auto& l : *ls) {
                const std::string id = text_of(&l, "id"), name = text_of(&l, "name");
                const double pct = number_of(&l, "completion_pct", 0);
                const ordered_json* g = member(&l, "gaps");
                const std::size_t ngaps = g && g->is_array() ? g->size() : 0;
                t += "<tr><td>" + html_escape(id) + "</td><td>" + html_escape(name) + "</td><td>" +
                     num(number_of(&l, "built_m", 0), 0) + "</td><td>" + num(number_of(&l, "planned_m", 0), 0) + "</td><td>" +
                     num(pct, 1) + "</td><td>" + std::to_string(ngaps) + "</td></tr>";
                bars.push_back({{id + " " + name, id + " " + name}, pct, kCompletionColors[completion_band(pct)], {}});
            }
            t += "</table>\n";
            body_ += "<h3>" + bi({"各线路完成度", "Completion per line"}) + "</h3>" +
                     report::bar_chart(bars, " %", 1, "skeleton completion per line") + t;
        }
        body_ += "</section>\n";
    }

    void landuse_section(const ordered_json* base) {
        const OutLayer* parcels = find_layer(layers_, "base", "parcels");
        const ordered_json* lu = member(base, "landuse");
        if (!parcels && !lu) return;
        body_ += "<section id=\"landuse\"><h2>" + bi({"亩均效益评价", "Land efficiency (output per mu)"}) + "</h2>\n";
        if (parcels) {
            Map map(base_extent(), 1000);
            const int cls = field_index(*parcels, "class");
            std::vector<Paint> paints;
            for (const auto& c : kEffClasses) paints.push_back(Paint{"#666", c.color, 0.3, 0, {}, 0.9});
            paints.push_back(Paint{"#bbb", "#f2f2f2", 0.3, 0, {}, 0.9});
            map.draw(*parcels, paints, [&](const OutFeature& f) {
                const std::string c = text_value(f, cls);
                for (int i = 0; i < 4; ++i)
                    if (c == kEffClasses[i].key) return i;
                return 4;
            });
            if (const OutLayer* edges = find_layer(layers_, "base", "edges")) {
                const int rc = field_index(*edges, "class");
                map.draw(*edges, {Paint{"#555", "none", 0.8}}, [&](const OutFeature& f) {
                    const std::string c = text_value(f, rc);
                    return c == "expressway" || c == "arterial" || c == "collector" ? 0 : -1;
                });
            }
            std::vector<LegendItem> legend;
            for (std::size_t i = 0; i < 4; ++i) legend.push_back({paints[i], kEffClasses[i].label, false});
            legend.push_back({paints[4], {"未评价", "not rated"}, false});
            body_ += map.svg("parcels by land-efficiency class") + report::legend(legend);

            // Shares of rated parcel area (mu) by class.
            const int mu = field_index(*parcels, "mu");
            double by[4] = {0, 0, 0, 0}, total = 0;
            for (const auto& f : parcels->features) {
                const std::string c = text_value(f, cls);
                const double m = number_value(f, mu);
                for (int i = 0; i < 4; ++i)
                    if (c == kEffClasses[i].key && std::isfinite(m)) by[i] += m, total += m;
            }
            if (total > 0) {
                std::vector<Bar> bars;
                for (int i = 0; i < 4; ++i)
                    bars.push_back({kEffClasses[i].label, 100 * by[i] / total, kEffClasses[i].color, num(by[i], 0) + " mu"});
                body_ += "<h3>" + bi({"各类地块面积占比 (已评价地块)", "Share of rated parcel area by class"}) + "</h3>" +
                         report::bar_chart(bars, " %", 1, "parcel area share by class");
            }
        }
        if (const ordered_json* classes = member(lu, "classes"); classes && classes->is_object()) {
            double total = 0;
            for (auto it = classes->begin(); it != classes->end(); ++it)
                if (it->is_number()) total += it->get<double>();
            if (total > 0) {
                std::vector<Bar> bars;
                std::string t = "<table><tr><th>" + bi({"类别", "class"}) + "</th><th>" + bi({"企业数", "enterprises"}) +
                                 "</th><th>" + bi({"占比 (%)", "share (%)"}) + "</th></tr>";
                for (auto it = classes->begin(); it != classes->end(); ++it) {
                    if (!it->is_number()) continue;
                    const double n = it->get<double>();
                    std::string color = "#888";
                    for (const auto& c : kEffClasses)
                        if (it.key() == c.key) color = c.color;
                    bars.push_back({{it.key() + " 类", "class " + it.key()}, 100 * n / total, color, num(n, 0)});
                    t += "<tr><td>" + html_escape(it.key()) + "</td><td>" + num(n, 0) + "</td><td>" + num(100 * n / total, 1) +
                         "</td></tr>";
                }
                body_ += "<h3>" + bi({"企业分类占比", "Enterprises by class"}) + "</h3>" +
                         report::bar_chart(bars, " %", 1, "enterprise class shares") + t + "</table>\n";
            }
        }
        body_ += "</section>\n";
    }

    void scenarios_section() {
        const ordered_json* scenarios = member(&s_, "scenarios");
        const ordered_json* comparison = member(&s_, "comparison");
        std::vector<std::string> names;
        if (scenarios && scenarios->is_object())
            for (auto it = scenarios->begin(); it != scenarios->end(); ++it) names.push_back(it.key());
        for (const auto& g : layers_)
            if (g.group != "base" && std::find(names.begin(), names.end(), g.group) == names.end()) names.push_back(g.group);
        const bool have_comparison = comparison && comparison->is_array() && !comparison->empty();
        if (names.empty() && !have_comparison) return;
        body_ += "<section id=\"scenarios\"><h2>" + bi({"方案比较", "Scenario comparison"}) + "</h2>\n";
        if (have_comparison) comparison_table(*comparison);
        else if (!names.empty()) key_figures_table(names, scenarios);
        for (const auto& name : names) scenario_map(name);
        body_ += "</section>\n";
    }

    void comparison_table(const ordered_json& rows) {
        std::vector<std::string> columns;
        std::vector<std::vector<std::pair<std::string, ordered_json>>> flat;
        for (const auto& r : rows) {
            if (!r.is_object()) continue;
            flat.emplace_back();
            flatten(r, "", flat.back());
            for (const auto& [k, v] : flat.back())
                if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
        }
        auto it = std::find(columns.begin(), columns.end(), "scenario");
        if (it != columns.end()) std::rotate(columns.begin(), it, it + 1);
        // What the rows are ranked by, and the money unit, said above the table.
        std::string unit;
        if (const ordered_json* sc = member(&s_, "scenarios"); sc && sc->is_object())
            for (auto it2 = sc->begin(); it2 != sc->end() && unit.empty(); ++it2)
                if (const ordered_json* ch = member(&*it2, "changes"))
                    if (const ordered_json* cost = member(ch, "cost"))
                        if (const ordered_json* u = member(cost, "unit"); u && u->is_string()) unit = u->get<std::string>();
        body_ += "<p>" +
                 bi({"按出行距离总节省排序（抽样 OD 对上的路网距离之和，基准减方案；正值为缩短）。交互项 = 组合方案的节省 − 各组成部分单独节省之和。" +
                         (unit.empty() ? std::string() : "造价单位：" + html_escape(unit) + "。"),
                     "Ranked by the total OD saving (sum over the sampled OD pairs of base minus scenario network "
                     "distance; positive = shorter). Interaction term = the combined scenario's saving minus the sum "
                     "of its parts' savings." +
                         (unit.empty() ? std::string() : " Cost in " + html_escape(unit) + ".")}) +
                 "</p>\n";
        std::string t = "<table class=\"comparison\"><tr>";
        for (const auto& c : columns) {
            Text label = key_label(c);
            if (!unit.empty() && (c == "figures.cost" || c == "cost")) label = {"造价 (" + unit + ")", "cost (" + unit + ")"};
            t += "<th>" + bi(label) + "</th>";
        }
        t += "</tr>";
        for (const auto& row : flat) {
            t += "<tr>";
            for (const auto& c : columns) {
                auto f = std::find_if(row.begin(), row.end(), [&](const auto& kv) { return kv.first == c; });
                t += "<td>" + (f == row.end() ? std::string("–") : format_value(f->second)) + "</td>";
            }
            t += "</tr>";
        }
        body_ += t + "</table>\n";

        // Charts of the key deltas: numeric columns about differences; else the first numeric ones.
        std::vector<std::string> numeric;
        for (const auto& c : columns) {
            bool any = false, all = true;
            for (const auto& row : flat)
                for (const auto& [k, v] : row)
                    if (k == c) any = true, all = all && (v.is_number() || v.is_null());
            if (any && all && c != "scenario") numeric.push_back(c);
        }
        std::vector<std::string> charted;
        for (const auto& c : numeric)
            for (const char* w : {"delta", "gain", "saving", "change", "diff", "removed", "joined", "improved", "interaction"})
                if (c.find(w) != std::string::npos && std::find(charted.begin(), charted.end(), c) == charted.end())
                    charted.push_back(c);
        if (charted.empty()) charted.assign(numeric.begin(), numeric.begin() + std::min<std::size_t>(numeric.size(), 6));
        if (charted.empty()) return;
        body_ += "<h3>" + bi({"关键变化", "Key deltas"}) + "</h3>\n";
        for (const auto& c : charted) {
            std::vector<Bar> bars;
            for (const auto& row : flat) {
                std::string name;
                double v = NAN;
                for (const auto& [k, val] : row) {
                    if (k == "scenario" && val.is_string()) name = val.get<std::string>();
                    if (k == c && val.is_number()) v = val.get<double>();
                }
                if (!std::isfinite(v)) continue;
                bars.push_back({{name, name}, v, v < 0 ? "#d73027" : "#4575b4", {}});
            }
            if (bars.empty()) continue;
            double mx = 0;
            for (const auto& b : bars) mx = std::max(mx, std::fabs(b.value));
            body_ += "<h4>" + bi(key_label(c)) + "</h4>" +
                     report::bar_chart(bars, "", mx >= 100 ? 0 : mx >= 1 ? 2 : 3, "delta " + c);
        }
    }

    /// Without a comparison: the key network figures of the base and each scenario.
    void key_figures_table(const std::vector<std::string>& names, const ordered_json* scenarios) {
        struct Col { const char* key; Text label; int decimals; };
        const Col cols[] = {{"length_km", {"路网长度 (km)", "length (km)"}, 2},
                            {"intersections", {"交叉口", "intersections"}, 0},
                            {"components", {"连通分量", "components"}, 0},
                            {"dead_ends", {"断头路", "dead ends"}, 0}};
        std::string t = "<table class=\"comparison\"><tr><th>" + bi({"方案", "scenario"}) + "</th>";
        for (const auto& c : cols) t += "<th>" + bi(c.label) + "</th>";
        t += "</tr>";
        auto row = [&](const std::string& name, const ordered_json* obj) {
            const ordered_json* net = member(obj, "network");
            t += "<tr><td>" + html_escape(name) + "</td>";
            for (const auto& c : cols) {
                double v = std::string(c.key) == "dead_ends" ? number_of(member(net, "dead_ends"), "total") : number_of(net, c.key);
                t += "<td>" + num(v, c.decimals) + "</td>";
            }
            t += "</tr>";
        };
        row("base", member(&s_, "base"));
        for (const auto& n : names) row(n, scenarios ? member(scenarios, n.c_str()) : nullptr);
        body_ += t + "</table>\n";
    }

    void scenario_map(const std::string& name) {
        const OutLayer* changes = find_layer(layers_, name, "changes");
        const OutLayer* selection = find_layer(layers_, name, "selection");
        const OutLayer* candidates = find_layer(layers_, name, "candidates");
        if (!changes && !selection && !candidates) return;
        Map map(base_extent(), 1000);
        if (const OutLayer* edges = find_layer(layers_, "base", "edges")) draw_edges(map, *edges, true);
        std::vector<LegendItem> legend;
        if (candidates) {
            const Paint p{"#fdae61", "none", 2.0, 3, "4 3"};
            map.draw(*candidates, {p}, [](const OutFeature&) { return 0; });
            legend.push_back({p, {"候选连接", "candidate links"}, false});
        }
        if (changes) {
            int f = field_index(*changes, "change");
            if (f < 0) f = field_index(*changes, "action");
            if (f < 0) f = field_index(*changes, "edit");
            const std::vector<Paint> paints = {Paint{"#00a651", "#00a651", 4.0, 5, {}, 0.6},
                                               Paint{"#e31a1c", "#e31a1c", 4.0, 5, "6 4", 0.6},
                                               Paint{"#1f78b4", "#1f78b4", 4.0, 5, {}, 0.6},
                                               Paint{"#ff7f00", "#ff7f00", 4.0, 5, {}, 0.6}};
            auto kind = [&](const OutFeature& ft) {
                const std::string v = text_value(ft, f);
                if (v.rfind("add", 0) == 0) return 0;
                if (v.rfind("clos", 0) == 0) return 1;
                if (v.rfind("reclass", 0) == 0) return 2;
                return 3;
            };
            map.draw(*changes, paints, kind);
            // A ring around each change, so that short links show at the map's scale.
            OutLayer rings{"rings", GeometryKind::point, false, {}, {}};
            std::vector<int> ring_kind;
            for (const auto& ft : changes->features) {
                const Envelope e = ft.geometry.envelope();
                if (e.empty()) continue;
                OutFeature r;
                r.geometry.kind = GeometryKind::point;
                r.geometry.points.push_back({(e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2});
                rings.features.push_back(std::move(r));
                ring_kind.push_back(kind(ft));
            }
            std::vector<Paint> ring_paints;
            for (const auto& p : paints) ring_paints.push_back(Paint{p.stroke, "none", 1.5, 9});
            std::size_t next = 0;
            map.draw(rings, ring_paints, [&](const OutFeature&) { return ring_kind[next++]; });
            const Text names[] = {{"新建", "added"}, {"封闭", "closed"}, {"调整等级", "reclassified"}, {"其他改动", "other edit"}};
            for (int k = 0; k < 4; ++k)
                if (std::find(ring_kind.begin(), ring_kind.end(), k) != ring_kind.end())
                    legend.push_back({paints[static_cast<std::size_t>(k)], names[k], false});
        }
        if (selection) {
            const Paint p{"#006d2c", "#006d2c", 4.5, 5};
            map.draw(*selection, {p}, [](const OutFeature&) { return 0; });
            legend.push_back({p, {"选定的新连接", "selected links"}, false});
        }
        body_ += "<h3>" + bi({"方案 " + name + " 的改动", "Changes of scenario " + name}) + "</h3>" +
                 map.svg("changes of scenario " + name) + report::legend(legend);
    }

    static Paint road_paint(const RoadClassStyle& c) { return Paint{c.color, "none", c.width}; }

    static void draw_edges(Map& map, const OutLayer& edges, bool muted) {
        int f = field_index(edges, "class");
        if (f < 0) f = field_index(edges, "road_class");
        // Unclassified and minor roads first, so that arterials draw on top.
        std::vector<Paint> paints = {Paint{"#c8c8c8", "none", 0.5}};
        for (int i = 6; i >= 0; --i)
            paints.push_back(muted ? Paint{"#c8c8c8", "none", std::max(0.5, kRoadClasses[i].width * 0.6)}
                                   : road_paint(kRoadClasses[i]));
        map.draw(edges, paints, [&](const OutFeature& ft) {
            const std::string v = text_value(ft, f);
            for (int i = 0; i < 7; ++i)
                if (v == kRoadClasses[i].key) return 7 - i;
            return 0;
        });
    }

    static void draw_dead_ends(Map& map, const OutLayer& ends) {
        const int f = field_index(ends, "class");
        std::vector<Paint> paints;
        for (const auto& d : kDeadEnds) paints.push_back(Paint{"#333", d.color, 0.8, d.radius});
        // Boundary ends first (drawn under the others).
        map.draw(ends, {paints[4]}, [&](const OutFeature& ft) { return text_value(ft, f) == "boundary" ? 0 : -1; });
        map.draw(ends, {paints[0], paints[1], paints[2], paints[3]}, [&](const OutFeature& ft) {
            const std::string v = text_value(ft, f);
            for (int i = 0; i < 4; ++i)
                if (v == kDeadEnds[i].key) return i;
            return -1;
        });
    }

    const ordered_json& s_;
    const std::vector<ReportLayers>& layers_;
    const CrsRef& crs_;
    std::string body_;
};

} // namespace

std::string render_report_html(const std::string& summary_json, const std::vector<ReportLayers>& layers,
                               const CrsRef& crs) {
    ordered_json summary;
    try {
        summary = ordered_json::parse(summary_json);
    } catch (const std::exception& e) {
        throw processing_error(std::string("the run summary is not valid JSON: ") + e.what(), {{}, {}, {}, {}, "summary.json"});
    }
    if (!summary.is_object()) throw processing_error("the run summary is not a JSON object", {{}, {}, {}, {}, "summary.json"});
    return Page(summary, layers, crs).render();
}

} // namespace plan
