// GDAL's messages go through libplan's logger, once, with their level.
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "crs/srs.hpp"
#include "plan/log.hpp"
#include "plan/source.hpp"
#include "plan/warning_summary.hpp"
#include "gdal_bridge/warnings.hpp"
#include "module_impl.hpp"

namespace plan {
namespace {

void CPL_STDCALL gdal_message(CPLErr level, CPLErrorNum number, const char* message) {
    const std::string text = std::string("GDAL: ") + (message ? message : "") +
                             (number != CPLE_None && level >= CE_Failure ? " (error " + std::to_string(number) + ")" : "");
    switch (level) {
    case CE_Debug: log::debug(text); break;
    case CE_Warning:
        if (!detail::collect_warning(text)) log::warn(text);
        break;
    case CE_Failure:
    case CE_Fatal: log::debug(text); break; // failures are raised as plan::error by the caller, with context
    default: break;
    }
}

} // namespace

namespace detail {
void init_gdal_crs() {
    static std::once_flag once;
    std::call_once(once, [] {
        CPLSetErrorHandler(gdal_message);
        // Traditional GIS axis order is set per spatial reference; these keep
        // GDAL from writing stray files next to the inputs.
        CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
        CPLSetConfigOption("OGR_GPKG_FOREIGN_KEY_CHECK", "NO");
    });
}
} // namespace detail

void detail::init_gdal_module() {
    detail::init_gdal_crs();
    // Registering every driver takes a noticeable part of a short run, and only
    // opening or creating a dataset needs it.
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

} // namespace plan
