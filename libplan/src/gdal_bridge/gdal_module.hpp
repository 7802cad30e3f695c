#pragma once
// The boundary between libplan and its GDAL module (libplan_gdal.so).
//
// Debian's libgdal pulls in over a hundred shared libraries (HDF5, netCDF,
// Poppler, codecs ...), and binding them costs most of a short run's time
// before main() starts. libplan therefore does not link GDAL: everything that
// needs it (reading and writing datasets, CRSs that only GDAL can parse,
// transformations PROJ is not given directly, QGIS project zips) lives in the
// module, which libplan loads with dlopen on first use. Work that never opens
// a dataset through GDAL (an OSM file read natively, a JSON summary) never
// maps it. See docs/network.md, "Start-up".
//
// The module is found next to libplan.so (the same folder), or at the path in
// the environment variable PLAN_GDAL_MODULE. The table below is the whole
// interface; both sides are built from the same sources, and `abi` guards
// against a stale module.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "plan/crs.hpp"
#include "plan/geometry.hpp"
#include "plan/layer.hpp"
#include "plan/output.hpp"
#include "plan/qgis.hpp"
#include "plan/source.hpp"

namespace plan::detail {

/// An open GDAL vector source (VectorSource's implementation).
class SourceBackend {
public:
    virtual ~SourceBackend() = default;
    virtual const std::string& path() const = 0;
    virtual std::string driver() const = 0;
    virtual std::vector<std::string> layer_names() const = 0;
    virtual int resolve_layer(const std::string& name_or_index) const = 0;
    virtual LayerInfo info(int layer_index, int sample, const std::string& src_crs, const std::string& target_crs) = 0;
    virtual Layer read(int layer_index, const ReadOptions& options) = 0;
};

/// A coordinate operation that GDAL chose (Transform's general case).
class PointTransformer {
public:
    virtual ~PointTransformer() = default;
    /// Transforms in place; false when the point cannot be transformed.
    virtual bool apply(double& x, double& y) const = 0;
    /// GDAL's last message, for errors.
    virtual std::string last_message() const = 0;
};

/// A GDAL dataset written feature by feature (samplecity::DatasetWriter).
class DatasetWriterBackend {
public:
    virtual ~DatasetWriterBackend() = default;
    virtual void layer(const OutLayer& schema, bool spatial_index) = 0;
    virtual void add(const OutFeature& feature) = 0;
    virtual void finish() = 0;
};

inline constexpr int kGdalModuleAbi = 2;

struct GdalModule {
    int abi = 0;
    void (*init_gdal)();
    std::unique_ptr<SourceBackend> (*open_source)(const std::string& path, const std::string& encoding);
    CrsRef (*crs_from_epsg)(int epsg);
    CrsRef (*crs_from_user)(const std::string& text);
    double (*max_scale_error)(const CrsRef& crs, const Envelope& lonlat_extent);
    /// Null when GDAL finds both CRSs the same (identity).
    std::unique_ptr<PointTransformer> (*make_transformer)(const CrsRef& from, const CrsRef& to);
    void (*write_layers)(const std::string& path, OutputFormat format, const CrsRef& crs,
                         const std::vector<OutLayer>& layers, const WriteOptions& options);
    void (*write_layers_postgis)(const std::string& connection, const std::string& schema, const CrsRef& crs,
                                 const std::vector<OutLayer>& layers, const WriteOptions& options);
    void (*check_postgis_output)(const std::string& connection, const std::string& schema, const WriteOptions& options);
    void (*write_layer_styles)(const std::string& gpkg_path, const std::vector<StyledLayer>& layers);
    void (*write_qgis_project)(const std::string& qgz_path, const std::string& gpkg_relative_path,
                               const std::vector<StyledLayer>& layers, const CrsRef& crs, const Envelope& extent,
                               const std::string& title);
    std::unique_ptr<DatasetWriterBackend> (*open_dataset_writer)(const char* driver_name, const std::filesystem::path& file);
    void (*compare_vector_files)(const std::filesystem::path& expected, const std::filesystem::path& actual,
                                 std::vector<std::string>& differences, std::size_t limit);
    std::string (*gdal_version)();
    /// The PROJ the module runs with (libplan itself does not link PROJ).
    std::string (*proj_version)();
    /// The WGS 84 CRS as GDAL's OSM driver states it (tests compare osm_source_crs with it).
    CrsRef (*osm_source_crs_from_gdal)();
};

/// Loads the module on first use (thread-safe) and returns its table; throws
/// processing_error naming the file when it cannot be loaded.
const GdalModule& gdal_module();

/// Whether the module has been loaded in this process (for tests and -v output).
bool gdal_module_loaded();

/// Records a file opened as input (absolute, canonical where it exists).
void note_input(const std::string& path);
/// Throws output_error when writing `path` would replace or delete an input of
/// this run, or (with --overwrite) a folder holding anything but GeoJSON
/// layers, or a folder by a GeoPackage / a file by a GeoJSON folder.
void check_output_target(const std::string& path, OutputFormat format, const WriteOptions& options);

} // namespace plan::detail

/// The module's one exported symbol.
extern "C" const plan::detail::GdalModule* plan_gdal_module();
