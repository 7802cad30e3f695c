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

namespace plan {
namespace {

// Warnings collected by the active WarningSummary, in first-seen order.
struct Collected {
    std::mutex mutex;
    bool active = false;
    std::vector<std::pair<std::string, std::size_t>> warnings;
};
Collected& collected() {
    static Collected c;
    return c;
}

bool collect(const std::string& text) {
    Collected& c = collected();
    std::lock_guard lock(c.mutex);
    if (!c.active) return false;
    for (auto& [t, n] : c.warnings)
        if (t == text) {
            ++n;
            return true;
        }
    c.warnings.emplace_back(text, 1);
    return true;
}

void CPL_STDCALL gdal_message(CPLErr level, CPLErrorNum number, const char* message) {
    const std::string text = std::string("GDAL: ") + (message ? message : "") +
                             (number != CPLE_None && level >= CE_Failure ? " (error " + std::to_string(number) + ")" : "");
    switch (level) {
    case CE_Debug: log::debug(text); break;
    case CE_Warning:
        if (!collect(text)) log::warn(text);
        break;
    case CE_Failure:
    case CE_Fatal: log::debug(text); break; // failures are raised as plan::error by the caller, with context
    default: break;
    }
}

} // namespace

GdalWarningSummary::GdalWarningSummary(std::string where) : where_(std::move(where)) {
    Collected& c = collected();
    std::lock_guard lock(c.mutex);
    if (c.active) return;
    c.active = active_ = true;
    c.warnings.clear();
}

GdalWarningSummary::~GdalWarningSummary() {
    if (!active_) return;
    std::vector<std::pair<std::string, std::size_t>> warnings;
    {
        Collected& c = collected();
        std::lock_guard lock(c.mutex);
        c.active = false;
        warnings.swap(c.warnings);
    }
    for (const auto& [text, n] : warnings)
        log::warn(n == 1 ? text : text + " (" + std::to_string(n) + " times, reading " + where_ + ")");
}

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

void init_gdal() {
    detail::init_gdal_crs();
    // Registering every driver takes a noticeable part of a short run, and only
    // opening or creating a dataset needs it.
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

} // namespace plan
