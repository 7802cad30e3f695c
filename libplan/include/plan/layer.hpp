#pragma once
// Features and layers as libplan reads them: geometry in our own types,
// attributes as typed values, text always UTF-8.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "plan/crs.hpp"
#include "plan/geometry.hpp"

namespace plan {

enum class FieldType { integer, real, string, date, other };
const char* to_string(FieldType type);

struct FieldDef {
    std::string name;
    FieldType type = FieldType::string;
    std::string gdal_type; ///< the source's own type name (Integer64, Real, String, Date, ...)
};

/// An attribute value: null, integer, real or UTF-8 text.
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;
bool is_null(const FieldValue& v);
/// The value as text ("" for null), as it would be printed.
std::string to_text(const FieldValue& v);
/// The value as a number, when it is one or is text that parses as one.
std::optional<double> to_number(const FieldValue& v);

struct Feature {
    std::int64_t fid = -1;
    Geometry geometry;
    std::vector<FieldValue> values; ///< one per field of the layer, in order
};

/// What happened while reading: skipped features by reason, notes for the user.
struct ReadReport {
    std::int64_t read = 0;            ///< features returned
    std::int64_t empty_geometry = 0;  ///< skipped: no or empty geometry
    std::int64_t invalid_geometry = 0;///< skipped: NaN/infinite coordinates or unreadable geometry
    std::int64_t wrong_geometry = 0;  ///< skipped: not of the requested kind
    bool dropped_z = false;           ///< Z or M values were dropped
    std::string encoding;             ///< text encoding the attributes were decoded from
    std::string noding_hint;          ///< (OSM) the source is OSM: vertices noding is natural
};

struct Layer {
    std::string source;  ///< file path or connection string
    std::string name;    ///< layer name
    std::string driver;  ///< GDAL driver short name
    std::vector<FieldDef> fields;
    std::vector<Feature> features;
    CrsRef source_crs;   ///< the CRS the data was stored in
    CrsRef crs;          ///< the CRS the geometries are now in
    ReadReport report;

    /// Index of a field by name (exact match first, then case-insensitive); -1 if absent.
    int field_index(const std::string& field_name) const;
    /// Like field_index but throws usage_error naming the layer and the known fields.
    int require_field(const std::string& field_name, const std::string& option = {}) const;
    Envelope extent() const;
};

} // namespace plan
