// The parts of plan/output.hpp that need no GDAL: the format of an output
// path and the connection string with a timeout.
#include "plan/output.hpp"

#include <cctype>
#include <filesystem>

#include <fmt/format.h>

#include "plan/error.hpp"

namespace fs = std::filesystem;

namespace plan {

OutputFormat output_format_for(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".gpkg") return OutputFormat::gpkg;
    if (ext == ".geojson" || ext == ".json")
        throw usage_error(fmt::format("-o {} names one GeoJSON file, but the output has several layers", path), {},
                          "give a folder (-o out/) for GeoJSON files, one per layer, or a .gpkg (-o out.gpkg)");
    if (ext.empty()) return OutputFormat::geojson;
    throw usage_error(fmt::format("cannot tell the output format of '{}'", path), {},
                      "name a .gpkg file for a GeoPackage, or a folder for GeoJSON files");
}

std::string with_connect_timeout(const std::string& connection) {
    if (connection.rfind("PG:", 0) != 0 || connection.find("connect_timeout") != std::string::npos) return connection;
    return connection + " connect_timeout=10";
}

} // namespace plan
