// The style of each kind of result layer (docs/outputs.md) and its QGIS XML.
#include "qgis/style.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <fmt/format.h>

namespace plan::qgis {
namespace {

bool has_field(const StyledLayer& l, const std::string& name) {
    return std::any_of(l.fields.begin(), l.fields.end(), [&](const OutField& f) { return f.name == name; });
}

std::string first_field(const StyledLayer& l, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (has_field(l, n)) return n;
    return {};
}

/// The edge betweenness field to draw: global when there is one, else the largest radius.
std::string betweenness_field(const StyledLayer& l) {
    std::string best;
    double best_radius = -1;
    for (const auto& f : l.fields) {
        if (f.name.rfind("betweenness_", 0) != 0 || f.type != FieldType::real) continue;
        const std::string k = f.name.substr(12);
        double r = std::numeric_limits<double>::infinity();
        if (k != "global") {
            if (k.size() < 2 || k[0] != 'r') continue;
            try {
                r = std::stod(k.substr(1));
            } catch (...) {
                continue;
            }
        }
        if (r > best_radius) best_radius = r, best = f.name;
    }
    return best;
}

Symbol line(const std::string& color, double width, const std::string& style = "solid") {
    Symbol s;
    s.geometry = GeometryKind::line;
    s.color = color;
    s.width = width;
    s.line_style = style;
    return s;
}
Symbol marker(const std::string& color, double size, const std::string& shape = "circle",
              const std::string& outline = "#323232") {
    Symbol s;
    s.geometry = GeometryKind::point;
    s.color = color;
    s.size = size;
    s.shape = shape;
    s.outline = outline;
    s.width = 0.2;
    return s;
}
Symbol fill(const std::string& color, const std::string& outline, double outline_width = 0.2, int alpha = 200) {
    Symbol s;
    s.geometry = GeometryKind::polygon;
    s.color = color;
    s.outline = outline;
    s.width = outline_width;
    s.alpha = alpha;
    return s;
}
Symbol outline_only(const std::string& color, double width, const std::string& style = "solid") {
    Symbol s = fill(color, color, width);
    s.fill = false;
    s.line_style = style;
    return s;
}
/// A plain symbol of the layer's geometry.
Symbol plain(GeometryKind g, const std::string& color) {
    if (g == GeometryKind::point) return marker(color, 2.0);
    if (g == GeometryKind::polygon) return fill(color, "#404040", 0.2, 120);
    return line(color, 0.5);
}
/// Symbol for a class colour of the layer's geometry.
Symbol class_symbol(GeometryKind g, const std::string& color) {
    if (g == GeometryKind::point) return marker(color, 2.4);
    if (g == GeometryKind::polygon) return fill(color, "#505050", 0.15, 210);
    return line(color, 0.8);
}

const char* const kRamp5[] = {"#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"}; // good .. bad
const char* const kHeat5[] = {"#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"}; // low .. high

Style categorized(std::string field, std::vector<Category> cats) {
    Style s;
    s.renderer = "categorizedSymbol";
    s.field = std::move(field);
    s.categories = std::move(cats);
    return s;
}
Style single(Symbol sym) {
    Style s;
    s.renderer = "singleSymbol";
    s.single = std::move(sym);
    return s;
}
Style graduated(std::string field, std::vector<Range> ranges, bool size_method = false) {
    Style s;
    s.renderer = "graduatedSymbol";
    s.field = std::move(field);
    s.ranges = std::move(ranges);
    s.size_method = size_method;
    return s;
}

std::string range_label(double lo, double hi) {
    auto t = [](double v) {
        if (std::fabs(v) >= 100) return fmt::format("{:.0f}", v);
        return fmt::format("{:.3g}", v);
    };
    return t(lo) + " – " + t(hi);
}

/// Ranges from data breaks (quantile upper bounds), with one symbol per class.
std::vector<Range> ranges_from_breaks(const std::vector<double>& breaks, const std::function<Symbol(std::size_t, std::size_t)>& sym) {
    std::vector<Range> out;
    double lo = 0;
    if (!breaks.empty()) lo = std::min(0.0, breaks.front());
    for (std::size_t i = 0; i < breaks.size(); ++i) {
        Range r;
        r.lower = lo;
        r.upper = breaks[i];
        r.label = range_label(r.lower, r.upper);
        r.symbol = sym(i, breaks.size());
        out.push_back(std::move(r));
        lo = breaks[i];
    }
    return out;
}

Style data_graduated(const StyledLayer& layer, const std::string& field, bool size_method,
                     const std::function<Symbol(std::size_t, std::size_t)>& sym) {
    auto it = layer.breaks.find(field);
    std::vector<double> breaks = it == layer.breaks.end() ? std::vector<double>{} : it->second;
    if (breaks.empty()) breaks = {std::numeric_limits<double>::max()}; // one class until the data is known
    Style s = graduated(field, ranges_from_breaks(breaks, sym), size_method);
    s.classification = "Quantile";
    return s;
}

Style road_classes(const std::string& field, GeometryKind g) {
    struct C { const char* key; const char* label; const char* color; double width; };
    static const C classes[] = {
        {"expressway", "快速路 expressway", "#7b1fa2", 1.6}, {"arterial", "主干路 arterial", "#d7301f", 1.2},
        {"collector", "次干路 collector", "#fc8d59", 0.8},   {"local", "支路 local", "#636363", 0.45},
        {"ramp", "匝道 ramp", "#b15928", 0.5},               {"side_road", "辅路 side road", "#969696", 0.35},
        {"other", "其他 other", "#bdbdbd", 0.25}};
    std::vector<Category> cats;
    for (const auto& c : classes) {
        Symbol s = g == GeometryKind::point ? marker(c.color, 1.2 + c.width) : line(c.color, c.width);
        cats.push_back({c.key, c.label, s});
    }
    cats.push_back({"", "未分类 unclassified", g == GeometryKind::point ? marker("#bdbdbd", 1.5) : line("#bdbdbd", 0.25)});
    return categorized(field, std::move(cats));
}

Style efficiency_classes(const std::string& field, GeometryKind g) {
    std::vector<Category> cats = {
        {"A", "A 类 (优先支持)", class_symbol(g, "#1a9850")},
        {"B", "B 类 (鼓励提升)", class_symbol(g, "#91cf60")},
        {"C", "C 类 (倒逼转型)", class_symbol(g, "#fc8d59")},
        {"D", "D 类 (淘汰整治)", class_symbol(g, "#d73027")},
    };
    Symbol other = g == GeometryKind::polygon ? fill("#f0f0f0", "#9e9e9e", 0.15, 160) : class_symbol(g, "#bdbdbd");
    cats.push_back({"", "未评价 not rated", other});
    return categorized(field, std::move(cats));
}

} // namespace

std::vector<std::string> graduated_fields(const StyledLayer& layer) {
    std::vector<std::string> out;
    if (layer.geometry == GeometryKind::line) {
        const bool centrality = layer.kind == "centrality" ||
                                (layer.kind == "edges" && first_field(layer, {"class", "road_class"}).empty());
        if (centrality) {
            const std::string b = betweenness_field(layer);
            if (!b.empty()) out.push_back(b);
        }
    }
    if (layer.kind == "candidates") {
        const std::string f = first_field(layer, {"score", "gain_per_km", "gain"});
        if (!f.empty()) out.push_back(f);
    }
    return out;
}

std::vector<double> quantile_breaks(std::vector<double> values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    std::vector<double> out;
    for (int q = 1; q <= 5; ++q) {
        const std::size_t i = std::min(values.size() - 1, (values.size() * q + 4) / 5 - 1);
        const double v = values[i];
        if (out.empty() || v > out.back()) out.push_back(v);
    }
    if (out.size() == 1 && out.front() <= 0) out.front() = 0; // all zero: one class [0, 0]
    return out;
}

Style make_style(const StyledLayer& layer) {
    const GeometryKind g = layer.geometry;
    const std::string& k = layer.kind;
    if (g == GeometryKind::none) return Style{};

    if (k == "edges" || k == "centrality") {
        const std::string cls = first_field(layer, {"class", "road_class"});
        if (k == "edges" && !cls.empty()) return road_classes(cls, g);
        const std::string b = betweenness_field(layer);
        if (!b.empty() && g == GeometryKind::line)
            return data_graduated(layer, b, true, [](std::size_t i, std::size_t n) {
                const double w = n <= 1 ? 1.0 : 0.25 + 2.75 * static_cast<double>(i) / static_cast<double>(n - 1);
                return line(kHeat5[std::min<std::size_t>(4, n <= 1 ? 2 : i * 4 / (n - 1))], w);
            });
        if (!cls.empty()) return road_classes(cls, g);
    }
    if (k == "nodes" && has_field(layer, "kind") && g == GeometryKind::point)
        return categorized("kind", {{"intersection", "交叉口 intersection", marker("#525252", 1.2)},
                                    {"dead_end", "断头 dead end", marker("#e31a1c", 1.6, "triangle")},
                                    {"pass", "过渡点 pass-through", marker("#bdbdbd", 0.8)},
                                    {"", "其他 other", marker("#bdbdbd", 0.8)}});
    if (k == "dead_ends" && has_field(layer, "class") && g == GeometryKind::point)
        return categorized("class", {{"near_miss", "差一点连上 near miss", marker("#e31a1c", 3.6, "star", "#67000d")},
                                     {"stub", "短枝 stub", marker("#ff7f00", 2.4, "triangle")},
                                     {"cul_de_sac", "尽端路 cul-de-sac", marker("#1f78b4", 2.4)},
                                     {"isolated", "孤立段端 isolated", marker("#6a3d9a", 2.4, "square")},
                                     {"boundary", "边界端 boundary", marker("#bdbdbd", 1.8, "circle", "#969696")},
                                     {"", "其他 other", marker("#969696", 1.8)}});
    if (k == "gaps" && g == GeometryKind::line) return single(line("#e31a1c", 0.9, "dash"));
    if (k == "critical_links" && g == GeometryKind::line) return single(line("#ff7f00", 1.3));
    if (k == "components" && has_field(layer, "share")) {
        const double b[] = {0.01, 0.1, 0.5, 1.000001};
        const char* colors[] = {"#d73027", "#fc8d59", "#91bfdb", "#4575b4"};
        const char* labels[] = {"< 1 %", "1 – 10 %", "10 – 50 %", "≥ 50 % (主网 main)"};
        std::vector<Range> r;
        double lo = 0;
        for (int i = 0; i < 4; ++i) {
            r.push_back({lo, b[i], labels[i], g == GeometryKind::line ? line(colors[i], 0.6) : class_symbol(g, colors[i])});
            lo = b[i];
        }
        return graduated("share", std::move(r));
    }
    if (k == "skeleton_lines" && has_field(layer, "completion_pct")) {
        const double b[] = {25, 50, 75, 99.95, 100.000001};
        const char* labels[] = {"< 25 %", "25 – 50 %", "50 – 75 %", "75 – 100 %", "100 % 已贯通 complete"};
        const char* colors[] = {"#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"};
        std::vector<Range> r;
        double lo = 0;
        for (int i = 0; i < 5; ++i) {
            r.push_back({lo, b[i], labels[i], line(colors[i], 1.8)});
            lo = b[i];
        }
        return graduated("completion_pct", std::move(r));
    }
    if (k == "skeleton_gaps" && has_field(layer, "needs"))
        return categorized("needs", {{"bridge", "需建桥 needs a bridge", line("#2166ac", 1.6, "dash")},
                                     {"bridge_or_underpass", "需桥或下穿 bridge or underpass", line("#762a83", 1.6, "dash")},
                                     {"", "待建缺口 gap to build", line("#e31a1c", 1.6, "dash")}});
    if (k == "skeleton_crossings" && has_field(layer, "exists"))
        return categorized("exists", {{"1", "已相交 crossing exists", marker("#1a9850", 2.2)},
                                      {"0", "未相交 crossing missing", marker("#e31a1c", 2.8, "cross2", "#e31a1c")},
                                      {"", "其他 other", marker("#969696", 1.8)}});
    if ((k == "parcels" || k == "enterprises") && has_field(layer, "class")) return efficiency_classes("class", g);
    if (k == "access" && has_field(layer, "to_road_class_m")) {
        const double b[] = {100, 200, 400, 800, std::numeric_limits<double>::max()};
        const char* labels[] = {"≤ 100 m", "100 – 200 m", "200 – 400 m", "400 – 800 m", "> 800 m"};
        std::vector<Range> r;
        double lo = 0;
        for (int i = 0; i < 5; ++i) {
            r.push_back({lo, b[i], labels[i], class_symbol(g, kRamp5[i])});
            lo = b[i];
        }
        return graduated("to_road_class_m", std::move(r));
    }
    if (k == "od_pairs" && has_field(layer, "circuity")) {
        const double b[] = {1.2, 1.5, 2.0, 3.0, std::numeric_limits<double>::max()};
        const char* labels[] = {"≤ 1.2", "1.2 – 1.5", "1.5 – 2", "2 – 3", "> 3"};
        std::vector<Range> r;
        double lo = 0;
        for (int i = 0; i < 5; ++i) {
            Symbol s = class_symbol(g, kRamp5[i]);
            if (g == GeometryKind::line) s.width = 0.3;
            r.push_back({lo, b[i], labels[i], s});
            lo = b[i];
        }
        return graduated("circuity", std::move(r));
    }
    if (k == "candidates") {
        const std::string f = first_field(layer, {"score", "gain_per_km", "gain"});
        if (!f.empty())
            return data_graduated(layer, f, false, [g](std::size_t i, std::size_t n) {
                const std::size_t c = n <= 1 ? 4 : i * 4 / (n - 1);
                Symbol s = class_symbol(g, kHeat5[c]);
                if (g == GeometryKind::line) s.width = 0.8 + 0.4 * static_cast<double>(c), s.line_style = "dash";
                return s;
            });
    }
    if (k == "selection") return single(g == GeometryKind::line ? line("#00a651", 2.0) : class_symbol(g, "#00a651"));
    if (k == "changes") {
        const std::string f = first_field(layer, {"change", "action", "edit"});
        if (!f.empty())
            return categorized(f, {{"add", "新建 added", class_symbol(g, "#00a651")},
                                   {"added", "新建 added", class_symbol(g, "#00a651")},
                                   {"close", "封闭 closed", class_symbol(g, "#e31a1c")},
                                   {"closed", "封闭 closed", class_symbol(g, "#e31a1c")},
                                   {"reclassify", "调整等级 reclassified", class_symbol(g, "#1f78b4")},
                                   {"reclassified", "调整等级 reclassified", class_symbol(g, "#1f78b4")},
                                   {"", "其他 other edit", class_symbol(g, "#ff7f00")}});
        return single(class_symbol(g, "#ff7f00"));
    }
    if (k == "zones" || k == "boundary" || k == "study_boundary" || k == "parks") {
        if (g == GeometryKind::polygon)
            return single(k == "parks" ? outline_only("#6a3d9a", 0.6, "dash") : outline_only("#08519c", 0.6, "dash"));
    }
    return single(plain(g, "#4d4d4d"));
}

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\n': out += "&#10;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string number(double v) {
    if (!std::isfinite(v)) v = v > 0 ? std::numeric_limits<double>::max() : std::numeric_limits<double>::lowest();
    return fmt::format("{:.15g}", v);
}

int geometry_code(GeometryKind kind) {
    switch (kind) {
    case GeometryKind::point: return 0;
    case GeometryKind::line: return 1;
    case GeometryKind::polygon: return 2;
    default: return 4;
    }
}

namespace {

std::string rgba(const std::string& hex, int alpha) {
    unsigned r = 128, g = 128, b = 128;
    if (hex.size() == 7 && hex[0] == '#') {
        r = static_cast<unsigned>(std::stoul(hex.substr(1, 2), nullptr, 16));
        g = static_cast<unsigned>(std::stoul(hex.substr(3, 2), nullptr, 16));
        b = static_cast<unsigned>(std::stoul(hex.substr(5, 2), nullptr, 16));
    }
    return fmt::format("{},{},{},{}", r, g, b, alpha);
}

std::string option(const std::string& pad, const std::string& name, const std::string& value) {
    return fmt::format("{}<Option type=\"QString\" name=\"{}\" value=\"{}\"/>\n", pad, name, xml_escape(value));
}

std::string symbol_xml(const Symbol& s, const std::string& name, int indent) {
    const std::string pad(indent, ' ');
    const std::string p2 = pad + "    ";
    std::string out;
    const char* type = s.geometry == GeometryKind::point ? "marker" : s.geometry == GeometryKind::polygon ? "fill" : "line";
    out += fmt::format("{}<symbol type=\"{}\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n", pad, type,
                       xml_escape(name));
    if (s.geometry == GeometryKind::point) {
        out += pad + "  <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
        out += pad + "   <Option type=\"Map\">\n";
        out += option(p2, "color", rgba(s.color, 255));
        out += option(p2, "name", s.shape);
        out += option(p2, "outline_color", rgba(s.outline, 255));
        out += option(p2, "outline_style", "solid");
        out += option(p2, "outline_width", number(s.width));
        out += option(p2, "outline_width_unit", "MM");
        out += option(p2, "size", number(s.size));
        out += option(p2, "size_unit", "MM");
        out += option(p2, "scale_method", "diameter");
    } else if (s.geometry == GeometryKind::polygon) {
        out += pad + "  <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
        out += pad + "   <Option type=\"Map\">\n";
        out += option(p2, "color", rgba(s.color, s.alpha));
        out += option(p2, "style", s.fill ? "solid" : "no");
        out += option(p2, "outline_color", rgba(s.outline, 255));
        out += option(p2, "outline_style", s.line_style);
        out += option(p2, "outline_width", number(s.width));
        out += option(p2, "outline_width_unit", "MM");
        out += option(p2, "joinstyle", "bevel");
    } else {
        out += pad + "  <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
        out += pad + "   <Option type=\"Map\">\n";
        out += option(p2, "line_color", rgba(s.color, 255));
        out += option(p2, "line_style", s.line_style);
        out += option(p2, "line_width", number(s.width));
        out += option(p2, "line_width_unit", "MM");
        out += option(p2, "capstyle", "round");
        out += option(p2, "joinstyle", "round");
    }
    out += pad + "   </Option>\n";
    out += pad + "  </layer>\n";
    out += pad + "</symbol>\n";
    return out;
}

} // namespace

std::string renderer_xml(const Style& style, int indent) {
    if (style.renderer.empty()) return {};
    const std::string pad(indent, ' ');
    std::string out;
    if (style.renderer == "singleSymbol") {
        out += pad + "<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\">\n";
        out += pad + " <symbols>\n" + symbol_xml(style.single, "0", indent + 2) + pad + " </symbols>\n";
    } else if (style.renderer == "categorizedSymbol") {
        out += fmt::format("{}<renderer-v2 type=\"categorizedSymbol\" attr=\"{}\" forceraster=\"0\" symbollevels=\"0\" "
                           "enableorderby=\"0\" referencescale=\"-1\">\n",
                           pad, xml_escape(style.field));
        out += pad + " <categories>\n";
        for (std::size_t i = 0; i < style.categories.size(); ++i)
            out += fmt::format("{}  <category value=\"{}\" label=\"{}\" symbol=\"{}\" render=\"true\"/>\n", pad,
                               xml_escape(style.categories[i].value), xml_escape(style.categories[i].label), i);
        out += pad + " </categories>\n" + pad + " <symbols>\n";
        for (std::size_t i = 0; i < style.categories.size(); ++i)
            out += symbol_xml(style.categories[i].symbol, std::to_string(i), indent + 2);
        out += pad + " </symbols>\n";
    } else {
        out += fmt::format("{}<renderer-v2 type=\"graduatedSymbol\" attr=\"{}\" graduatedMethod=\"{}\" forceraster=\"0\" "
                           "symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\">\n",
                           pad, xml_escape(style.field), style.size_method ? "GraduatedSize" : "GraduatedColor");
        out += pad + " <ranges>\n";
        for (std::size_t i = 0; i < style.ranges.size(); ++i)
            out += fmt::format("{}  <range lower=\"{}\" upper=\"{}\" label=\"{}\" symbol=\"{}\" render=\"true\"/>\n", pad,
                               number(style.ranges[i].lower), number(style.ranges[i].upper),
                               xml_escape(style.ranges[i].label), i);
        out += pad + " </ranges>\n" + pad + " <symbols>\n";
        for (std::size_t i = 0; i < style.ranges.size(); ++i)
            out += symbol_xml(style.ranges[i].symbol, std::to_string(i), indent + 2);
        out += pad + " </symbols>\n";
        out += fmt::format("{} <classificationMethod id=\"{}\">\n", pad, style.classification);
        out += pad + "  <symmetricMode enabled=\"0\" symmetrypoint=\"0\" astride=\"0\"/>\n";
        out += pad + "  <labelFormat format=\"%1 - %2\" labelprecision=\"4\" trimtrailingzeroes=\"1\"/>\n";
        out += pad + " </classificationMethod>\n";
    }
    out += pad + " <rotation/>\n" + pad + " <sizescale/>\n" + pad + "</renderer-v2>\n";
    return out;
}

} // namespace plan::qgis
