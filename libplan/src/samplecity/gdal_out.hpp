#pragma once
// Writing and comparing the sample city's GDAL files. GeoPackages are written
// with GDAL's timestamp pinned (OGR_CURRENT_DATE), so that a rerun gives the
// same bytes; each file is written under a temporary name, then renamed.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "plan/output.hpp"

namespace plan::samplecity {

/// The timestamp written into GeoPackages of the sample city.
inline constexpr const char* kPinnedDate = "2026-01-01T00:00:00.000Z";

/// A GDAL dataset written layer by layer, feature by feature (for outputs too
/// large to hold), under a temporary name renamed by finish(); destroyed
/// unfinished, it removes the temporary file.
class DatasetWriter {
public:
    DatasetWriter(const char* driver_name, const std::filesystem::path& file);
    ~DatasetWriter();
    DatasetWriter(const DatasetWriter&) = delete;
    DatasetWriter& operator=(const DatasetWriter&) = delete;
    /// Starts a layer with the schema of `schema` (its features are ignored);
    /// GeoPackage layers get an R-tree spatial index unless told otherwise.
    void layer(const OutLayer& schema, bool spatial_index = true);
    void add(const OutFeature& feature);
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Writes layers (coordinates in EPSG:4548) to a new GeoPackage.
void write_gpkg(const std::filesystem::path& file, const std::vector<OutLayer>& layers);
/// Writes an attribute table as an Excel workbook (GDAL's XLSX driver).
void write_xlsx(const std::filesystem::path& file, const OutLayer& table);
/// Feature-by-feature comparison of two GDAL vector files; appends differences.
void compare_vector_files(const std::filesystem::path& expected, const std::filesystem::path& actual,
                          std::vector<std::string>& differences, std::size_t limit);

} // namespace plan::samplecity
