#pragma once
// Hand-made road layers for the network tests.
#include <string>
#include <vector>

#include "plan/layer.hpp"

namespace plan::test {

/// One road: its geometry and attributes (empty text = null).
struct Road {
    Road(LineString l, std::string hw = "residential", std::string n = {}, std::string br = {}, std::string lay = {},
         std::string ow = {})
        : line(std::move(l)), highway(std::move(hw)), name(std::move(n)), bridge(std::move(br)), layer(std::move(lay)),
          oneway(std::move(ow)) {}
    LineString line;
    std::string highway;
    std::string name;
    std::string bridge;
    std::string layer;
    std::string oneway;
};

inline Layer make_roads(const std::vector<Road>& roads, const std::string& source = "hand.gpkg") {
    Layer l;
    l.source = source;
    l.name = "roads";
    l.driver = "GPKG";
    l.fields = {{"highway", FieldType::string, "String"}, {"name", FieldType::string, "String"},
                {"bridge", FieldType::string, "String"}, {"layer", FieldType::string, "String"},
                {"oneway", FieldType::string, "String"}};
    std::int64_t fid = 1;
    for (const auto& r : roads) {
        Feature f;
        f.fid = fid++;
        f.geometry.kind = GeometryKind::line;
        f.geometry.lines.push_back(r.line);
        auto v = [](const std::string& s) { return s.empty() ? FieldValue{} : FieldValue{s}; };
        f.values = {v(r.highway), v(r.name), v(r.bridge), v(r.layer), v(r.oneway)};
        l.features.push_back(std::move(f));
    }
    return l;
}

} // namespace plan::test
