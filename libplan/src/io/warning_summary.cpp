// GDAL's repeated warnings, collected while a GdalWarningSummary is alive
// and printed once with their count (the handler is in the GDAL module).
#include "plan/warning_summary.hpp"

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "gdal_bridge/warnings.hpp"
#include "plan/log.hpp"

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

} // namespace

bool detail::collect_warning(const std::string& text) {
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


} // namespace plan
