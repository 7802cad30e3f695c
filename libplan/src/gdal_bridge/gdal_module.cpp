// Loading the GDAL module, and the public functions whose work it does: each
// forwards to the module's table (gdal_module.hpp explains why).
#include "gdal_bridge/gdal_module.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <cstdlib>
#include <mutex>

#include <dlfcn.h>

#include <fmt/format.h>

#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/qgis.hpp"
#include "plan/source.hpp"
#include "plan/version.hpp"
#include "samplecity/gdal_out.hpp"

namespace fs = std::filesystem;

namespace plan {
namespace detail {
namespace {

std::atomic<bool> g_loaded{false};

/// Every file this process opened as input, so that no output replaces one.
std::mutex g_inputs_mutex;
std::vector<fs::path> g_inputs;

fs::path comparable(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::absolute(fs::path(path), ec);
    if (ec) p = fs::path(path);
    if (!p.has_filename()) p = p.parent_path();
    const fs::path c = fs::weakly_canonical(p, ec);
    return ec ? p.lexically_normal() : c;
}

/// libplan_gdal.so in the folder of the file that holds this code (libplan.so).
std::string default_module_path() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&default_module_path), &info) != 0 && info.dli_fname) {
        const fs::path self(info.dli_fname);
        return (self.parent_path() / PLAN_GDAL_MODULE_FILE).string();
    }
    return PLAN_GDAL_MODULE_FILE; // the dynamic loader's own search
}

const GdalModule* load() {
    const char* env = std::getenv("PLAN_GDAL_MODULE");
    const std::string path = env && *env ? env : default_module_path();
    // RTLD_LOCAL: GDAL's many libraries stay out of the global symbol scope.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* err = dlerror();
        std::string why = err ? err : "unknown reason";
        // dlerror() starts with the path: named once, in the message (also
        // shown by plan --version, which prints the message alone).
        if (why.rfind(path + ": ", 0) == 0) why.erase(0, path.size() + 2);
        throw processing_error("cannot load libplan's GDAL module " + path + ": " + why, {},
                               "reinstall libplan (the module is installed beside libplan.so), or set PLAN_GDAL_MODULE to its path");
    }
    using Entry = const GdalModule* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "plan_gdal_module"));
    const GdalModule* table = entry ? entry() : nullptr;
    if (!table || table->abi != kGdalModuleAbi)
        throw processing_error("the GDAL module does not match this libplan (built from other sources)", ErrorContext{path},
                               "rebuild and reinstall libplan and its module together");
    log::debug("GDAL module loaded: " + path);
    return table;
}

} // namespace

const GdalModule& gdal_module() {
    // A function-local static: initialised once, thread-safe; a failed load
    // throws and is retried by the next call.
    static const GdalModule* table = [] {
        const GdalModule* t = load();
        g_loaded.store(true);
        return t;
    }();
    return *table;
}

bool gdal_module_loaded() { return g_loaded.load(); }

void note_input(const std::string& path) {
    if (path.empty() || path.rfind("PG:", 0) == 0 || path.rfind("/vsi", 0) == 0) return;
    const fs::path c = comparable(path);
    const std::lock_guard<std::mutex> lock(g_inputs_mutex);
    if (std::find(g_inputs.begin(), g_inputs.end(), c) == g_inputs.end()) g_inputs.push_back(c);
}

void check_output_target(const std::string& path, OutputFormat format, const WriteOptions& options) {
    const fs::path target = comparable(path);
    std::error_code ec;
    {
        const std::lock_guard<std::mutex> lock(g_inputs_mutex);
        for (const auto& in : g_inputs) {
            const auto rel = in.lexically_relative(target);
            const bool inside = !rel.empty() && *rel.begin() != "..";
            if (in == target || inside)
                throw output_error(fmt::format("the output would replace {}, which this run reads", in.string()),
                                   ErrorContext{path}, "write the results somewhere else (-o another name)");
        }
    }
    if (!fs::exists(target, ec) || !options.overwrite) return; // "already exists" is the writer's to say
    const bool folder = fs::is_directory(target, ec);
    if (format == OutputFormat::gpkg) {
        if (folder)
            throw output_error("the output is a folder, not a GeoPackage: --overwrite does not replace a folder with a file",
                               ErrorContext{path}, "choose another name, or remove the folder yourself");
        return;
    }
    if (!folder)
        throw output_error("the output is a file, not a folder of GeoJSON layers: --overwrite does not replace it",
                           ErrorContext{path}, "choose another name, or remove the file yourself");
    // A folder is replaced only when it holds GeoJSON layers alone (an earlier plan output), never other files.
    std::vector<std::string> others;
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(target, ec)) {
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (entry.is_regular_file() && ext == ".geojson") continue;
        ++count;
        if (others.size() < 5) others.push_back(entry.path().filename().string());
    }
    std::sort(others.begin(), others.end());
    if (count > 0) {
        std::string list;
        for (const auto& o : others) list += (list.empty() ? "" : ", ") + o;
        throw output_error(fmt::format("--overwrite replaces only a folder of GeoJSON layers (an earlier output); this "
                                       "folder also holds {} other {} ({}{})",
                                       count, count == 1 ? "entry" : "entries", list, count > others.size() ? ", ..." : ""),
                           ErrorContext{path}, "write to a new or empty folder (-o another name)");
    }
}

} // namespace detail

// ---- plan/source.hpp --------------------------------------------------------

struct VectorSource::Impl {
    std::unique_ptr<detail::SourceBackend> backend;
};

VectorSource::VectorSource(const std::string& path, const std::string& encoding) : impl_(std::make_unique<Impl>()) {
    detail::note_input(path);
    impl_->backend = detail::gdal_module().open_source(path, encoding);
}
VectorSource::~VectorSource() = default;
VectorSource::VectorSource(VectorSource&&) noexcept = default;
VectorSource& VectorSource::operator=(VectorSource&&) noexcept = default;

const std::string& VectorSource::path() const { return impl_->backend->path(); }
std::string VectorSource::driver() const { return impl_->backend->driver(); }
std::vector<std::string> VectorSource::layer_names() const { return impl_->backend->layer_names(); }
int VectorSource::resolve_layer(const std::string& name_or_index) const { return impl_->backend->resolve_layer(name_or_index); }
LayerInfo VectorSource::info(int layer_index, int sample, const std::string& src_crs, const std::string& target_crs) {
    return impl_->backend->info(layer_index, sample, src_crs, target_crs);
}
Layer VectorSource::read(int layer_index, const ReadOptions& options) { return impl_->backend->read(layer_index, options); }

Layer read_layer(const std::string& path, const std::string& layer, const ReadOptions& options) {
    const LayerUri uri = split_layer_uri(path);
    VectorSource src(uri.path, options.encoding);
    return src.read(src.resolve_layer(layer.empty() ? uri.layer : layer), options);
}

void init_gdal() { detail::gdal_module().init_gdal(); }

// ---- plan/output.hpp --------------------------------------------------------

void write_layers(const std::string& path, OutputFormat format, const CrsRef& crs, const std::vector<OutLayer>& layers,
                  const WriteOptions& options) {
    detail::check_output_target(path, format, options);
    detail::gdal_module().write_layers(path, format, crs, layers, options);
}

void write_layers_postgis(const std::string& connection, const std::string& schema, const CrsRef& crs,
                          const std::vector<OutLayer>& layers, const WriteOptions& options) {
    detail::gdal_module().write_layers_postgis(connection, schema, crs, layers, options);
}

void check_postgis_output(const std::string& connection, const std::string& schema, const WriteOptions& options) {
    detail::gdal_module().check_postgis_output(connection, schema, options);
}

// ---- plan/qgis.hpp ----------------------------------------------------------

void write_layer_styles(const std::string& gpkg_path, const std::vector<StyledLayer>& layers) {
    detail::gdal_module().write_layer_styles(gpkg_path, layers);
}

void write_qgis_project(const std::string& qgz_path, const std::string& gpkg_relative_path,
                        const std::vector<StyledLayer>& layers, const CrsRef& crs, const Envelope& extent,
                        const std::string& title) {
    detail::gdal_module().write_qgis_project(qgz_path, gpkg_relative_path, layers, crs, extent, title);
}

// ---- samplecity/gdal_out.hpp -------------------------------------------------

namespace samplecity {

struct DatasetWriter::Impl {
    std::unique_ptr<detail::DatasetWriterBackend> backend;
};

DatasetWriter::DatasetWriter(const char* driver_name, const fs::path& file) : impl_(std::make_unique<Impl>()) {
    impl_->backend = detail::gdal_module().open_dataset_writer(driver_name, file);
}
DatasetWriter::~DatasetWriter() = default;
void DatasetWriter::layer(const OutLayer& schema, bool spatial_index) { impl_->backend->layer(schema, spatial_index); }
void DatasetWriter::add(const OutFeature& feature) { impl_->backend->add(feature); }
void DatasetWriter::finish() { impl_->backend->finish(); }

namespace {
void write_dataset(const char* driver_name, const fs::path& file, const std::vector<OutLayer>& layers) {
    DatasetWriter w(driver_name, file);
    for (const auto& l : layers) {
        w.layer(l);
        for (const auto& f : l.features) w.add(f);
    }
    w.finish();
}
} // namespace

void write_gpkg(const fs::path& file, const std::vector<OutLayer>& layers) { write_dataset("GPKG", file, layers); }
void write_xlsx(const fs::path& file, const OutLayer& table) { write_dataset("XLSX", file, {table}); }

void compare_vector_files(const fs::path& expected, const fs::path& actual, std::vector<std::string>& differences,
                          std::size_t limit) {
    detail::gdal_module().compare_vector_files(expected, actual, differences, limit);
}

} // namespace samplecity

} // namespace plan
