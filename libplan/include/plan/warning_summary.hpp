#pragma once
// Repeated GDAL warnings collapsed into one line each.
#include <string>

namespace plan {

/// While alive, GDAL warnings are counted by text instead of logged one by one;
/// on destruction each distinct warning is logged once, with how many times it
/// came and where (GDAL repeats e.g. "Non closed ring" for every such OSM
/// multipolygon). read_layer() opens one per layer; an outer scope (one per
/// source file) takes over the inner ones, so a file gives one line per warning.
class GdalWarningSummary {
public:
    explicit GdalWarningSummary(std::string where);
    ~GdalWarningSummary();
    GdalWarningSummary(const GdalWarningSummary&) = delete;
    GdalWarningSummary& operator=(const GdalWarningSummary&) = delete;

private:
    std::string where_;
    bool active_ = false;
};

} // namespace plan
