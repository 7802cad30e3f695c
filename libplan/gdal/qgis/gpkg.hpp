#pragma once
// Private to libplan: reading what the QGIS writers need from a GeoPackage.
#include <string>
#include <vector>

#include "io/gdal_handles.hpp"
#include "plan/qgis.hpp"

namespace plan::qgis {

/// Opens a GeoPackage (read-only or for update); throws output_error naming `path`.
GDALDatasetUniquePtr open_gpkg(const std::string& path, bool update);

/// Fills the missing breaks of graduated fields from the table's values.
void complete_breaks(GDALDataset& ds, std::vector<StyledLayer>& layers);

/// Pins GeoPackage timestamps (OGR_CURRENT_DATE) unless the user set them.
struct PinnedDate {
    bool set = false;
    PinnedDate();
    ~PinnedDate();
    PinnedDate(const PinnedDate&) = delete;
    PinnedDate& operator=(const PinnedDate&) = delete;
    /// The date in force (ISO 8601).
    static std::string current();
};

/// A temporary sibling of `target` (same folder, extension kept last).
std::string temp_sibling(const std::string& target);

} // namespace plan::qgis
