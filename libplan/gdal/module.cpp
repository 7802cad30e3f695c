// The GDAL module's table (gdal_bridge/gdal_module.hpp): what libplan calls
// through dlopen.
#include <gdal.h>
#include <proj.h>

#include "crs/srs.hpp"
#include "module_impl.hpp"
#include "samplecity/gdal_out.hpp"

namespace {

std::string gdal_version() { return GDALVersionInfo("RELEASE_NAME"); }

std::string proj_version() { return proj_info().version; }

std::unique_ptr<plan::detail::DatasetWriterBackend> open_dataset_writer(const char* driver_name,
                                                                        const std::filesystem::path& file) {
    return std::make_unique<plan::samplecity::GdalDatasetWriter>(driver_name, file);
}

const plan::detail::GdalModule kTable = [] {
    plan::detail::GdalModule t{};
    t.abi = plan::detail::kGdalModuleAbi;
    t.init_gdal = &plan::detail::init_gdal_module;
    t.open_source = &plan::detail::open_gdal_source;
    t.crs_from_epsg = &plan::detail::crs_from_epsg_gdal;
    t.crs_from_user = &plan::detail::crs_from_user_gdal;
    t.max_scale_error = &plan::detail::max_scale_error_gdal;
    t.make_transformer = &plan::detail::make_gdal_transformer;
    t.write_layers = &plan::write_layers_gdal;
    t.write_layers_postgis = &plan::write_layers_postgis_gdal;
    t.check_postgis_output = &plan::check_postgis_output_gdal;
    t.write_layer_styles = &plan::write_layer_styles_gdal;
    t.write_qgis_project = &plan::write_qgis_project_gdal;
    t.open_dataset_writer = &open_dataset_writer;
    t.compare_vector_files = &plan::samplecity::compare_vector_files_gdal;
    t.gdal_version = &gdal_version;
    t.proj_version = &proj_version;
    t.osm_source_crs_from_gdal = &plan::detail::osm_source_crs_from_gdal_impl;
    return t;
}();

} // namespace

extern "C" __attribute__((visibility("default"))) const plan::detail::GdalModule* plan_gdal_module() {
    plan::detail::init_gdal_crs();
    return &kTable;
}
