#include "plan/version.hpp"

#include "gdal_bridge/gdal_module.hpp"

#include <geos_c.h>
#include <proj.h>

#include <fmt/format.h>

namespace plan {

std::string version() { return PLAN_VERSION; }

std::string library_versions() {
    const PJ_INFO pj = proj_info();
    return fmt::format("GDAL {}, GEOS {}, PROJ {}", detail::gdal_module().gdal_version(), GEOSversion(), pj.version);
}

} // namespace plan
