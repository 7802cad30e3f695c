#pragma once
// Points from coordinate columns of a table (a CSV or spreadsheet with x/y or
// lon/lat columns): how `plan landuse --xy` places enterprises and how
// `plan metrics` reads a point table given as --access, --access-target or an
// OD layer.
#include <optional>
#include <string>
#include <vector>

#include "plan/crs.hpp"
#include "plan/geometry.hpp"
#include "plan/layer.hpp"

namespace plan {

/// Each row's (x, y) from the columns `x_column` and `y_column`, transformed
/// from `from` to `to` (kept as they are when either is unknown or both are
/// the same). A blank, non-numeric or non-finite coordinate, or one the
/// transformation rejects, leaves the row without a location (nullopt).
std::vector<std::optional<Point>> points_from_columns(const Layer& table, int x_column, int y_column,
                                                      const CrsRef& from, const CrsRef& to);

/// Coordinate columns found by name.
struct XyColumns {
    int x = -1, y = -1;        ///< field indices; -1 when no pair was found
    bool lonlat = false;       ///< named as longitude/latitude (lon/lat, lng/lat, longitude/latitude, 经度/纬度)
};
/// The first pair of columns named (case-insensitive, surrounding blanks ignored)
/// x/y, lon/lat, lng/lat, long/lat, longitude/latitude, 经度/纬度 or point_x/point_y.
XyColumns find_xy_columns(const Layer& table);
/// The column named `id` (case-insensitive, surrounding blanks ignored): the
/// default name of each point or site when no id option is given; -1 when none.
int find_id_column(const Layer& table);
/// The pairs find_xy_columns looks for, for messages: "x/y, lon/lat, ...".
std::string xy_column_names();

} // namespace plan
