#pragma once
// Private to libplan: the style of each kind of result layer, as data, and
// its rendering as QGIS XML (the <renderer-v2> element), shared by the QML
// documents and the project file.
#include <string>
#include <vector>

#include "plan/qgis.hpp"

namespace plan::qgis {

struct Symbol {
    GeometryKind geometry = GeometryKind::line;
    std::string color = "#808080";    ///< fill / line / marker colour, #rrggbb
    std::string outline = "#323232";  ///< marker and fill outline colour
    double width = 0.4;               ///< line width or fill outline width, mm
    double size = 2.0;                ///< marker size, mm
    std::string shape = "circle";     ///< marker shape (QGIS names)
    std::string line_style = "solid"; ///< solid, dash, dot
    bool fill = true;                 ///< polygons: filled or outline only
    int alpha = 255;                  ///< fill opacity 0..255
};

struct Category {
    std::string value; ///< "" = every other value
    std::string label;
    Symbol symbol;
};

struct Range {
    double lower = 0, upper = 0;
    std::string label;
    Symbol symbol;
};

struct Style {
    std::string renderer; ///< categorizedSymbol, graduatedSymbol, singleSymbol, "" (no geometry)
    std::string field;
    bool size_method = false; ///< graduated by width rather than colour
    std::string classification = "Custom"; ///< Custom or Quantile
    std::vector<Category> categories;
    std::vector<Range> ranges;
    Symbol single;
};

/// The style of a layer by its kind and fields.
Style make_style(const StyledLayer& layer);

/// XML text escaped for an attribute or element.
std::string xml_escape(const std::string& text);
/// A number as QGIS writes it, deterministic ("%.15g").
std::string number(double v);

/// The <renderer-v2> element (empty for a table without geometry), indented by `indent` spaces.
std::string renderer_xml(const Style& style, int indent);
/// QGIS's geometry type code of a layer (0 point, 1 line, 2 polygon, 4 none).
int geometry_code(GeometryKind kind);

/// Fields a style graduates by data-dependent breaks.
std::vector<std::string> graduated_fields(const StyledLayer& layer);
/// Five quantile upper bounds of finite values (ascending, distinct); empty when none.
std::vector<double> quantile_breaks(std::vector<double> values);

} // namespace plan::qgis
