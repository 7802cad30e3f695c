#include "plan/version.hpp"

#include "gdal_bridge/gdal_module.hpp"
#include "plan/error.hpp"

#include <geos_c.h>

#include <GeographicLib/Config.h>

#include <fmt/format.h>

namespace plan {

std::string version() { return PLAN_VERSION; }

std::string library_versions() {
    std::string gdal;
    std::string proj = "not available (it comes with GDAL)";
    try {
        gdal = detail::gdal_module().gdal_version();
        proj = detail::gdal_module().proj_version();
    } catch (const error& e) {
        gdal = "not available (" + e.message() + ")";
    }
    return fmt::format("GDAL {}, GEOS {}, PROJ {}, GeographicLib {}", gdal, GEOSversion(), proj, GEOGRAPHICLIB_VERSION_STRING);
}

} // namespace plan
