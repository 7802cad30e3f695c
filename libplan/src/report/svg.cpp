// Inline SVG maps and bar charts for the HTML report.
#include "report/svg.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace plan::report {

std::string html_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string bi(const Text& t) {
    if (t.zh == t.en) return html_escape(t.zh);
    return "<span class=\"zh\">" + html_escape(t.zh) + "</span><span class=\"en\">" + html_escape(t.en) + "</span>";
}

std::string bi_svg(const Text& t) {
    if (t.zh == t.en) return html_escape(t.zh);
    return "<tspan class=\"zh\">" + html_escape(t.zh) + "</tspan><tspan class=\"en\">" + html_escape(t.en) + "</tspan>";
}

std::string num(double v, int decimals) {
    if (!std::isfinite(v)) return "–";
    if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0; // no "-0.0"
    return fmt::format("{:.{}f}", v, decimals);
}

Map::Map(const Envelope& extent, double width_px) : extent_(extent), width_(width_px) {
    if (extent_.empty()) extent_ = Envelope{0, 0, 1, 1};
    const double w = std::max(extent_.width(), 1.0), h = std::max(extent_.height(), 1.0);
    const double margin = 10;
    scale_ = (width_ - 2 * margin) / w;
    height_ = std::min(std::max(h * scale_ + 2 * margin, 200.0), 1400.0);
    scale_ = std::min(scale_, (height_ - 2 * margin) / h);
    ox_ = margin + ((width_ - 2 * margin) - w * scale_) / 2 - extent_.minx * scale_;
    oy_ = margin + ((height_ - 2 * margin) - h * scale_) / 2 + extent_.maxy * scale_;
}

std::string Map::xy(const Point& p) const {
    return fmt::format("{:.1f} {:.1f}", ox_ + p.x * scale_, oy_ - p.y * scale_);
}

namespace {

std::string style_attr(const Paint& p, bool area) {
    std::string s = fmt::format(" stroke=\"{}\" fill=\"{}\"", p.stroke, area ? p.fill : "none");
    if (p.stroke != "none") s += fmt::format(" stroke-width=\"{}\"", num(p.width, 2));
    if (!p.dash.empty()) s += " stroke-dasharray=\"" + p.dash + "\"";
    if (area && p.fill_opacity < 1) s += fmt::format(" fill-opacity=\"{}\"", num(p.fill_opacity, 2));
    return s;
}

} // namespace

void Map::draw_classes(const OutLayer& layer, const std::vector<Paint>& paints, const std::vector<int>& classes) {
    const double min_step = 0.6 / scale_; // drop vertices closer than 0.6 px to the last kept one
    for (std::size_t c = 0; c < paints.size(); ++c) {
        std::string d, circles;
        bool area = false;
        for (std::size_t i = 0; i < layer.features.size(); ++i) {
            if (classes[i] != static_cast<int>(c)) continue;
            const Geometry& g = layer.features[i].geometry;
            auto path = [&](const std::vector<Point>& pts, bool close) {
                if (pts.size() < 2) return;
                d += "M" + xy(pts.front());
                Point last = pts.front();
                for (std::size_t k = 1; k < pts.size(); ++k) {
                    const bool end = k + 1 == pts.size();
                    if (!end && distance(pts[k], last) < min_step) continue;
                    d += "L" + xy(pts[k]);
                    last = pts[k];
                }
                if (close) d += "Z";
            };
            for (const auto& l : g.lines) path(l, false);
            for (const auto& poly : g.polygons)
                for (const auto& r : poly.rings) path(r, true), area = true;
            if (paints[c].radius > 0)
                for (const auto& p : g.points)
                    circles += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\"/>", ox_ + p.x * scale_,
                                           oy_ - p.y * scale_, num(paints[c].radius, 1));
        }
        if (!d.empty())
            body_ += "<path" + style_attr(paints[c], area) + (area ? " fill-rule=\"evenodd\"" : "") +
                     " stroke-linejoin=\"round\" stroke-linecap=\"round\" d=\"" + d + "\"/>\n";
        if (!circles.empty()) {
            Paint p = paints[c];
            body_ += "<g" + style_attr(p, true) + ">" + circles + "</g>\n";
        }
    }
}

std::string Map::svg(const std::string& label) const {
    std::string out = fmt::format("<svg class=\"map\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}\">\n",
                                  width_, height_, html_escape(label));
    out += fmt::format("<rect width=\"{:.0f}\" height=\"{:.0f}\" fill=\"#fbfbf8\"/>\n", width_, height_);
    out += body_;
    // Scale bar: a round length near a fifth of the width.
    const double target_m = width_ / 5 / scale_;
    const double p10 = std::pow(10.0, std::floor(std::log10(std::max(target_m, 1e-9))));
    double len = p10;
    for (double m : {2.0, 5.0, 10.0})
        if (p10 * m <= target_m) len = p10 * m;
    const double px = len * scale_;
    const double x0 = 16, y0 = height_ - 16;
    out += fmt::format("<g class=\"scalebar\"><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"5\" fill=\"#333\"/>"
                       "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"13\">{}</text></g>\n",
                       x0, y0 - 5, px, x0, y0 - 9, len >= 1000 ? num(len / 1000, len >= 10000 ? 0 : 1) + " km" : num(len, 0) + " m");
    out += fmt::format("<g class=\"north\"><path d=\"M{0:.1f} 14L{1:.1f} 36L{0:.1f} 30L{2:.1f} 36Z\" fill=\"#333\"/>"
                       "<text x=\"{0:.1f}\" y=\"50\" font-size=\"12\" text-anchor=\"middle\">N</text></g>\n",
                       width_ - 24, width_ - 32, width_ - 16);
    out += "</svg>\n";
    return out;
}

std::string legend(const std::vector<LegendItem>& items) {
    std::string out = "<ul class=\"legend\">";
    for (const auto& it : items) {
        std::string key;
        if (it.point)
            key = fmt::format("<svg width=\"18\" height=\"14\"><circle cx=\"9\" cy=\"7\" r=\"{}\" fill=\"{}\" stroke=\"{}\"/></svg>",
                              num(std::min(it.paint.radius + 1, 6.0), 1), it.paint.fill, it.paint.stroke);
        else if (it.paint.fill != "none")
            key = fmt::format("<svg width=\"18\" height=\"14\"><rect x=\"1\" y=\"1\" width=\"16\" height=\"12\" fill=\"{}\" "
                              "stroke=\"{}\"/></svg>",
                              it.paint.fill, it.paint.stroke == "none" ? it.paint.fill : it.paint.stroke);
        else
            key = fmt::format("<svg width=\"24\" height=\"14\"><path d=\"M1 7H23\" stroke=\"{}\" stroke-width=\"{}\"{}/></svg>",
                              it.paint.stroke, num(std::min(std::max(it.paint.width, 1.0), 5.0), 1),
                              it.paint.dash.empty() ? "" : " stroke-dasharray=\"" + it.paint.dash + "\"");
        out += "<li>" + key + " " + bi(it.label) + "</li>";
    }
    return out + "</ul>\n";
}

std::string bar_chart(const std::vector<Bar>& bars, const std::string& unit, int decimals, const std::string& label) {
    const double row = 26, label_w = 230, value_w = 150, plot_w = 420;
    const double width = label_w + plot_w + value_w;
    const double height = row * static_cast<double>(bars.size()) + 10;
    double lo = 0, hi = 0;
    for (const auto& b : bars)
        if (std::isfinite(b.value)) lo = std::min(lo, b.value), hi = std::max(hi, b.value);
    const double span = hi - lo > 0 ? hi - lo : 1;
    const double zero = label_w + (0 - lo) / span * plot_w;
    std::string out = fmt::format("<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}\">\n", width,
                                  height, html_escape(label));
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const Bar& b = bars[i];
        const double y = 5 + row * static_cast<double>(i);
        const double v = std::isfinite(b.value) ? b.value : 0;
        const double x1 = label_w + (std::min(v, 0.0) - lo) / span * plot_w;
        const double w = std::fabs(v) / span * plot_w;
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"13\">{}</text>", label_w - 8,
                           y + 17, bi_svg(b.label));
        out += fmt::format("<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.0f}\" fill=\"{}\"/>", x1,
                           y + 4, std::max(w, 0.5), row - 8, b.color);
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"13\">{}{}{}</text>\n",
                           label_w + plot_w + 6, y + 17, html_escape(num(b.value, decimals)), html_escape(unit),
                           b.note.empty() ? "" : " (" + html_escape(b.note) + ")");
    }
    out += fmt::format("<path d=\"M{0:.1f} 2V{1:.1f}\" stroke=\"#555\" stroke-width=\"1\"/>\n", zero, height - 2);
    out += "</svg>\n";
    return out;
}

} // namespace plan::report
