#pragma once
// Reading a road feature's attributes (class, name, direction, grade) through
// the field names of BuildOptions, including OSM tags that GDAL keeps in
// `other_tags`.
#include <string>
#include <string_view>

#include "plan/layer.hpp"
#include "plan/network_build.hpp"

namespace plan::netdetail {

class AttributeReader {
public:
    AttributeReader(const Layer& layer, const BuildOptions& options);
    /// The field that gives classes ("" when the layer has none).
    std::string class_field() const {
        if (class_field_ >= 0) return layer_.fields[class_field_].name;
        return class_tag_.empty() ? std::string() : options_.fields.other_tags + ":" + class_tag_;
    }
    bool has_class_field() const { return class_field_ >= 0 || !class_tag_.empty(); }

    /// Raw class value (trimmed); "" when absent.
    std::string class_value(const Feature& f) const;
    /// Class for a value and a name: mapping, *_link -> ramp, name suffixes.
    /// Sets `known` to false when the mapping does not know the value.
    RoadClass classify(const std::string& value, const std::string& name, bool& known) const;
    EdgeAttributes attributes(const Feature& f, const std::string& class_value, RoadClass road_class) const;

private:
    std::string text(const Feature& f, int field, const std::vector<std::string>& tag_names) const;
    const Layer& layer_;
    const BuildOptions& options_;
    std::string class_tag_; ///< OSM key read from other_tags when no field holds the class
    int class_field_ = -1, name_ = -1, bridge_ = -1, tunnel_ = -1, layer_field_ = -1, oneway_ = -1, other_tags_ = -1;
};

/// The value of `"key"=>"value"` in an OSM other_tags text; "" when absent.
std::string osm_tag(std::string_view other_tags, std::string_view key);

} // namespace plan::netdetail
