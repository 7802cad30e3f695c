#pragma once
// Private to the GDAL module: the implementations behind the table of
// gdal_bridge/gdal_module.hpp. libplan defines the public functions of the
// same purpose (read_layer, write_layers, ...) as forwarders, so the module's
// own carry a _gdal suffix.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gdal_bridge/gdal_module.hpp"

namespace plan {

namespace detail {
void init_gdal_module();
CrsRef osm_source_crs_from_gdal_impl();
std::unique_ptr<SourceBackend> open_gdal_source(const std::string& path, const std::string& encoding);
CrsRef crs_from_epsg_gdal(int epsg);
CrsRef crs_from_user_gdal(const std::string& text);
double max_scale_error_gdal(const CrsRef& crs, const Envelope& lonlat_extent);
std::unique_ptr<PointTransformer> make_gdal_transformer(const CrsRef& from, const CrsRef& to);
} // namespace detail

void write_layers_gdal(const std::string& path, OutputFormat format, const CrsRef& crs, const std::vector<OutLayer>& layers,
                       const WriteOptions& options);
void write_layers_postgis_gdal(const std::string& connection, const std::string& schema, const CrsRef& crs,
                               const std::vector<OutLayer>& layers, const WriteOptions& options);
void check_postgis_output_gdal(const std::string& connection, const std::string& schema, const WriteOptions& options);
void write_layer_styles_gdal(const std::string& gpkg_path, const std::vector<StyledLayer>& layers);
void write_qgis_project_gdal(const std::string& qgz_path, const std::string& gpkg_relative_path,
                             const std::vector<StyledLayer>& layers, const CrsRef& crs, const Envelope& extent,
                             const std::string& title);

namespace samplecity {

struct WriterState;

class GdalDatasetWriter final : public detail::DatasetWriterBackend {
public:
    GdalDatasetWriter(const char* driver_name, const std::filesystem::path& file);
    ~GdalDatasetWriter() override;
    GdalDatasetWriter(const GdalDatasetWriter&) = delete;
    GdalDatasetWriter& operator=(const GdalDatasetWriter&) = delete;
    void layer(const OutLayer& schema, bool spatial_index) override;
    void add(const OutFeature& feature) override;
    void finish() override;

private:
    std::unique_ptr<WriterState> impl_;
};

void compare_vector_files_gdal(const std::filesystem::path& expected, const std::filesystem::path& actual,
                               std::vector<std::string>& differences, std::size_t limit);

} // namespace samplecity

} // namespace plan
