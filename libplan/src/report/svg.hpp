#pragma once
// Private to libplan: inline SVG maps and bar charts for the HTML report.
#include <string>
#include <vector>

#include "plan/geometry.hpp"
#include "plan/output.hpp"

namespace plan::report {

/// Text shown in Chinese or English by the page's language switch.
struct Text {
    std::string zh, en;
};
std::string html_escape(const std::string& s);
/// <span class="zh">..</span><span class="en">..</span> (or one span when both are equal).
std::string bi(const Text& t);
/// The same for SVG text (tspans).
std::string bi_svg(const Text& t);

/// Fixed-decimals number, "–" for non-finite.
std::string num(double v, int decimals);

/// How one class of features is drawn.
struct Paint {
    std::string stroke = "none", fill = "none";
    double width = 1.0;      ///< stroke width, px
    double radius = 0;       ///< points: circle radius, px (0 = points not drawn)
    std::string dash;        ///< stroke-dasharray
    double fill_opacity = 1;
};

/// A map: layers drawn in order, each feature's class chosen by a function of
/// its values; one <path> per class (circles for points).
class Map {
public:
    Map(const Envelope& extent, double width_px);
    /// Draws `layer`; `classify` returns the index into `paints` of a feature, or -1 to skip it.
    template <class F>
    void draw(const OutLayer& layer, const std::vector<Paint>& paints, F classify) {
        std::vector<int> cls;
        cls.reserve(layer.features.size());
        for (const auto& f : layer.features) cls.push_back(classify(f));
        draw_classes(layer, paints, cls);
    }
    /// The SVG element with a scale bar and a north arrow; `label` is its aria-label.
    std::string svg(const std::string& label) const;
    bool empty() const { return body_.empty(); }

private:
    void draw_classes(const OutLayer& layer, const std::vector<Paint>& paints, const std::vector<int>& classes);
    std::string xy(const Point& p) const;
    Envelope extent_;
    double width_ = 960, height_ = 600, scale_ = 1, ox_ = 0, oy_ = 0;
    std::string body_;
};

/// A legend row list: coloured keys and labels.
struct LegendItem {
    Paint paint;
    Text label;
    bool point = false;
};
std::string legend(const std::vector<LegendItem>& items);

struct Bar {
    Text label;
    double value = 0;
    std::string color = "#4575b4";
    std::string note; ///< shown after the value (e.g. "3 / 5")
};
/// Horizontal bar chart (negative values go left of the axis); `unit` after each value.
std::string bar_chart(const std::vector<Bar>& bars, const std::string& unit, int decimals, const std::string& label);

} // namespace plan::report
