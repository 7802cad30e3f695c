// Points from coordinate columns of a table (plan/xy_points.hpp).
#include "plan/xy_points.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>

#include "plan/error.hpp"

namespace plan {
namespace {

const std::pair<const char*, const char*> kPairs[] = {
    {"x", "y"},     {"lon", "lat"},       {"lng", "lat"},      {"long", "lat"},
    {"longitude", "latitude"}, {"经度", "纬度"}, {"point_x", "point_y"}};

std::string folded(const std::string& s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    std::string out = s.substr(a, b - a);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

int column_named(const Layer& t, const char* name) {
    for (std::size_t i = 0; i < t.fields.size(); ++i)
        if (folded(t.fields[i].name) == name) return static_cast<int>(i);
    return -1;
}

} // namespace

std::vector<std::optional<Point>> points_from_columns(const Layer& table, int xc, int yc, const CrsRef& from,
                                                      const CrsRef& to) {
    std::optional<Transform> tr;
    if (from.known() && to.known()) tr.emplace(from, to);
    std::vector<std::optional<Point>> out(table.features.size());
    for (std::size_t i = 0; i < table.features.size(); ++i) {
        const auto& values = table.features[i].values;
        const auto x = to_number(values[static_cast<std::size_t>(xc)]);
        const auto y = to_number(values[static_cast<std::size_t>(yc)]);
        if (!x || !y || !std::isfinite(*x) || !std::isfinite(*y)) continue;
        Point pt{*x, *y};
        if (tr && !tr->identity()) {
            try {
                pt = tr->apply(pt);
            } catch (const crs_error&) {
                continue; // the caller reports rows without a location
            }
        }
        out[i] = pt;
    }
    return out;
}

XyColumns find_xy_columns(const Layer& table) {
    for (std::size_t k = 0; k < std::size(kPairs); ++k) {
        const int x = column_named(table, kPairs[k].first), y = column_named(table, kPairs[k].second);
        if (x >= 0 && y >= 0) return {x, y, k >= 1 && k <= 5};
    }
    return {};
}

int find_id_column(const Layer& table) { return column_named(table, "id"); }

std::string xy_column_names() {
    std::string s;
    for (const auto& [x, y] : kPairs) s += (s.empty() ? "" : ", ") + std::string(x) + "/" + y;
    return s;
}

} // namespace plan
