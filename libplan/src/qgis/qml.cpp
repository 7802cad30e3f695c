// QML documents of result layers, and StyledLayer from an OutLayer.
#include <fmt/format.h>

#include "plan/qgis.hpp"
#include "qgis/style.hpp"

namespace plan {

StyledLayer styled_layer(const OutLayer& layer, const std::string& table, const std::string& group) {
    StyledLayer s;
    s.table = table;
    s.group = group;
    s.kind = layer.name;
    s.geometry = layer.kind;
    s.features = layer.features.size();
    s.fields = layer.fields;
    for (const auto& name : qgis::graduated_fields(s)) {
        std::size_t idx = 0;
        while (idx < layer.fields.size() && layer.fields[idx].name != name) ++idx;
        std::vector<double> values;
        for (const auto& f : layer.features)
            if (idx < f.values.size())
                if (auto v = to_number(f.values[idx])) values.push_back(*v);
        s.breaks[name] = qgis::quantile_breaks(std::move(values));
    }
    return s;
}

StyleChoice style_choice(const StyledLayer& layer) {
    const qgis::Style s = qgis::make_style(layer);
    return {s.renderer, s.field};
}

std::string layer_style_qml(const StyledLayer& layer) {
    const qgis::Style style = qgis::make_style(layer);
    std::string out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    out += "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"AllStyleCategories\" labelsEnabled=\"0\" "
           "hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\" readOnly=\"0\">\n";
    out += qgis::renderer_xml(style, 1);
    out += " <blendMode>0</blendMode>\n <featureBlendMode>0</featureBlendMode>\n <layerOpacity>1</layerOpacity>\n";
    out += fmt::format(" <layerGeometryType>{}</layerGeometryType>\n", qgis::geometry_code(layer.geometry));
    out += "</qgis>\n";
    return out;
}

} // namespace plan
