#include "plan/version.hpp"

#include "gdal_bridge/gdal_module.hpp"
#include "plan/error.hpp"

#include <geos_c.h>
#include <proj.h>

#include <fmt/format.h>

namespace plan {

std::string version() { return PLAN_VERSION; }

std::string library_versions() {
    const PJ_INFO pj = proj_info();
    std::string gdal;
    try {
        gdal = detail::gdal_module().gdal_version();
    } catch (const error& e) {
        gdal = "not available (" + e.message() + ")";
    }
    return fmt::format("GDAL {}, GEOS {}, PROJ {}", gdal, GEOSversion(), pj.version);
}

} // namespace plan
