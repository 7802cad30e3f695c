#pragma once
// Options shared by every subcommand that reads layers.
#include <string>

#include <CLI/CLI.hpp>

#include "plan/source.hpp"

namespace plan::cli {

struct InputOptions {
    std::string where;
    std::string bbox;
    std::string src_crs;
    std::string crs;
    std::string encoding;

    /// Adds --where, --bbox, --src-crs, --crs, --encoding.
    void add_to(CLI::App& app);
    /// Validates the values (bbox syntax, CRS codes) and builds ReadOptions;
    /// throws usage_error (exit 2) naming the option.
    ReadOptions to_read_options() const;
};

/// Checks a --crs value before any reading: a CRS that plan cannot measure in
/// (geographic, in degrees; projected in a unit other than the metre) is a
/// usage_error (exit 2) naming the option, the value and what to give instead.
/// "" and "source" pass (the source CRS is checked after reading).
void check_analysis_crs(const std::string& value, const std::string& option);
/// Before any reading: the -o path names a format (output_format_for) and, without --overwrite, does
/// not exist yet (output_error, exit 1), so a long run does not end in "the output already exists".
void check_output_early(const std::string& output, bool overwrite);

/// The point scale error k - 1 of `crs` at the centre of `extent` (in `crs`
/// coordinates): projected length of a short line over its geodesic length on
/// WGS84, minus one; the larger of the east-west and north-south values. NaN
/// for a geographic or unknown CRS. `centre_lonlat` receives the centre;
/// `area_error` the area scale error there, (1 + k_east)(1 + k_north) - 1.
double crs_scale_error(const CrsRef& crs, const Envelope& extent, Point* centre_lonlat = nullptr,
                       double* area_error = nullptr);

/// What a command measures in the analysis CRS: network lengths, or parcel areas.
enum class Measures { lengths, areas };

/// Warns (log::warn) when |crs_scale_error| is above kWarnScaleError; `given`
/// is the --crs text ("" when plan chose the CRS). With Measures::areas the
/// warning gives the area error and names the per-mu figures it changes.
/// Returns the (length) scale error.
double warn_crs_scale(const CrsRef& crs, const Envelope& extent, const std::string& given,
                      Measures measures = Measures::lengths);
inline constexpr double kWarnScaleError = 0.005;

/// Adds `crs_scale_error` (the value of warn_crs_scale, rounded to 1e-6; null
/// when NaN: a geographic or unknown CRS) to a command's JSON summary: right
/// after its "crs" key when it has one, else at the end. Returns the JSON text
/// indented by 2, as every --json output. The same key and format in every command.
/// A summary without a "crs" key gets `crs` (the label) just before it, so that
/// the value always says which CRS it belongs to.
std::string with_crs_scale_error(const std::string& json_text, double scale_error, const CrsRef& crs);

/// A CLI11 check for an option that names an input file: a path (also
/// "FILE|layername=X" or "FILE:LAYER") that does not exist is a usage_error
/// "OPTION PATH: no such file" (exit 2), raised while the command line is
/// parsed, before anything is read. Connection strings (PG:, /vsi..., URLs) pass.
/// `name_equals_file`: the value is NAME=FILE (e.g. --access-target).
CLI::Validator existing_source(const std::string& option, bool name_equals_file = false);

/// Parses "minx,miny,maxx,maxy"; throws usage_error naming `option`.
Envelope parse_bbox(const std::string& text, const std::string& option);

} // namespace plan::cli
