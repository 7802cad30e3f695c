#pragma once
// Small hand-built tables and parcel layers for the landuse tests.
#include <string>
#include <vector>

#include "plan/landuse.hpp"
#include "plan/layer.hpp"

namespace landuse_test {

inline plan::FieldValue T(const char* s) { return plan::FieldValue{std::string(s)}; }
inline plan::FieldValue N(double d) { return plan::FieldValue{d}; }
inline plan::FieldValue Blank() { return plan::FieldValue{}; }

/// A table layer without geometry; rows in order, fid = row number.
inline plan::Layer table(const std::vector<std::string>& columns, const std::vector<std::vector<plan::FieldValue>>& rows) {
    plan::Layer l;
    l.source = "test-table.csv";
    l.name = "enterprises";
    for (const auto& c : columns) l.fields.push_back({c, plan::FieldType::string, "String"});
    std::int64_t fid = 1;
    for (const auto& r : rows) {
        plan::Feature f;
        f.fid = fid++;
        f.values = r;
        l.features.push_back(f);
    }
    return l;
}

/// An axis-aligned rectangle polygon feature.
inline plan::Geometry rectangle(double x0, double y0, double x1, double y1) {
    plan::Geometry g;
    g.kind = plan::GeometryKind::polygon;
    g.polygons.push_back(plan::Polygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}});
    return g;
}

inline plan::Geometry point(double x, double y) {
    plan::Geometry g;
    g.kind = plan::GeometryKind::point;
    g.points.push_back({x, y});
    return g;
}

/// Parcels P1..Pn side by side along x, each `mu[i]` mu (100 m deep), with a land-use class.
inline plan::Layer parcels(const std::vector<double>& mu, const std::vector<std::string>& landuse = {}) {
    plan::Layer l;
    l.source = "test-parcels.gpkg";
    l.name = "parcels";
    l.fields = {{"parcel_id", plan::FieldType::string, "String"}, {"landuse", plan::FieldType::string, "String"}};
    double x = 500000.0;
    for (std::size_t i = 0; i < mu.size(); ++i) {
        plan::Feature f;
        f.fid = static_cast<std::int64_t>(i + 1);
        const double width = mu[i] * plan::landuse::m2_per_mu / 100.0;
        f.geometry = rectangle(x, 4000000.0, x + width, 4000100.0);
        x += width + 10.0;
        f.values = {T(("P" + std::to_string(i + 1)).c_str()), T(i < landuse.size() ? landuse[i].c_str() : "M1")};
        l.features.push_back(f);
    }
    return l;
}

/// A one-group method over a table land area, for scoring tests.
inline std::string one_group_method(const std::string& indicators, const std::string& classes,
                                    const std::string& extra = {}) {
    return "[method]\nname = \"test\"\n[land]\narea = \"table\"\n[fields]\nland_area = \"land\"\n" + extra +
           "\n[[group]]\nid = \"all\"\nname = \"全部\"\nclasses = " + classes + "\n" + indicators;
}

inline const plan::landuse::EnterpriseResult& by_id(const plan::landuse::Evaluation& e, const std::string& id) {
    for (const auto& r : e.enterprises)
        if (r.id == id) return r;
    throw std::runtime_error("no enterprise " + id);
}

inline int count_issues(const plan::landuse::Evaluation& e, const std::string& code) {
    int n = 0;
    for (const auto& i : e.issues) n += i.code == code;
    return n;
}

inline const plan::landuse::Issue* find_issue(const plan::landuse::Evaluation& e, const std::string& code, std::int64_t row) {
    for (const auto& i : e.issues)
        if (i.code == code && i.row == row) return &i;
    return nullptr;
}

} // namespace landuse_test
