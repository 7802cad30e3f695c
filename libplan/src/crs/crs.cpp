// CRS identification, the choice of a metric CRS for analyses and geodesic
// distance. The metric CRSs libplan chooses itself (UTM zones on WGS 84, the
// CGCS2000 3-degree Gauss-Krüger zones) and WGS 84 come from a table written
// from the PROJ database at build time, without PROJ at run time; every other CRS, and every CRS given as WKT or a PROJ string, is
// read by GDAL in the GDAL module (gdal_bridge/gdal_module.hpp), whose WKT is
// the reference: a test checks that both give the same CrsRef. Axis order is
// traditional GIS everywhere: EPSG:4490 and the Gauss-Krüger CRSs are
// northing-first in the EPSG database, and without traditional order their
// coordinates come out swapped.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include <GeographicLib/Geodesic.hpp>

#include "crs/builtin_crs.hpp"
#include "crs/china_outline.hpp"
#include "gdal_bridge/gdal_module.hpp"
#include "plan/crs.hpp"
#include "plan/error.hpp"

namespace plan {
namespace detail {

extern const char* const kCrsHint;
const char* const kCrsHint = "give an EPSG code (EPSG:4548, 4326), a WKT or PROJ string, or GCJ02 / BD09 for Chinese web-map data; "
                             "check a code with `projinfo EPSG:NNNN`";

namespace {

std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

// "GCJ-02", "gcj_02", "Gcj02" all become "GCJ02".
std::string squeezed_upper(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '-' || c == '_' || c == ' ') continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}


CrsRef offset_crs(CrsRef::Offset offset) {
    CrsRef crs = wgs84();
    crs.epsg = 0;
    crs.offset = offset;
    crs.name = offset == CrsRef::Offset::gcj02 ? "GCJ-02 (Chinese web-map offset of WGS 84)"
                                               : "BD-09 (Baidu web-map offset of WGS 84)";
    return crs;
}

} // namespace

bool built_with_proj(int epsg) {
    return epsg == 4326 || (epsg >= 4534 && epsg <= 4554) || (epsg >= 32601 && epsg <= 32660) ||
           (epsg >= 32701 && epsg <= 32760);
}

CrsRef crs_from_epsg_builtin(int epsg) {
    struct Entry {
        int epsg;
        const char* name;
        bool geographic;
        const char* wkt;
    };
    static constexpr Entry kTable[] = {
#include "crs_table.inc"
    };
    for (const Entry& e : kTable)
        if (e.epsg == epsg) {
            CrsRef crs;
            crs.wkt = e.wkt;
            crs.name = e.name;
            crs.epsg = e.epsg;
            crs.geographic = e.geographic;
            return crs;
        }
    return gdal_module().crs_from_epsg(epsg); // not in the table: not reached for built_with_proj codes
}

} // namespace detail

std::string CrsRef::label() const {
    if (epsg != 0) return name.empty() ? "EPSG:" + std::to_string(epsg) : "EPSG:" + std::to_string(epsg) + " (" + name + ")";
    if (!name.empty()) return name;
    return "unknown";
}

CrsRef crs_from_epsg(int epsg) {
    if (detail::built_with_proj(epsg)) return detail::crs_from_epsg_builtin(epsg);
    if (epsg <= 0) throw crs_error("unknown EPSG code " + std::to_string(epsg), {}, detail::kCrsHint);
    return detail::gdal_module().crs_from_epsg(epsg);
}

CrsRef wgs84() {
    static const CrsRef crs = crs_from_epsg(4326);
    return crs;
}

CrsRef crs_from_user(const std::string& text) {
    const std::string input = detail::trimmed(text);
    if (input.empty()) throw crs_error("empty CRS", {}, detail::kCrsHint);

    const std::string key = detail::squeezed_upper(input);
    if (key == "GCJ02") return detail::offset_crs(CrsRef::Offset::gcj02);
    if (key == "BD09") return detail::offset_crs(CrsRef::Offset::bd09);

    if (detail::all_digits(input)) {
        if (input.size() > 9) throw crs_error("unknown CRS '" + input + "'", {}, detail::kCrsHint);
        return crs_from_epsg(std::stoi(input));
    }

    // "EPSG:4548", the usual form, without the GDAL module.
    if (key.rfind("EPSG:", 0) == 0 && detail::all_digits(key.substr(5)) && key.size() <= 14 &&
        detail::built_with_proj(std::stoi(key.substr(5))))
        return crs_from_epsg(std::stoi(key.substr(5)));
    // The WKT of a CRS built here (as a layer read earlier states it): the
    // same text gives the same CRS, without the GDAL module.
    if (const auto id = input.rfind("ID[\"EPSG\","); id != std::string::npos) {
        const std::size_t digits = id + 10;
        const std::size_t end = input.find(']', digits);
        const std::string code = end == std::string::npos ? std::string() : input.substr(digits, end - digits);
        if (detail::all_digits(code) && code.size() <= 6 && detail::built_with_proj(std::stoi(code))) {
            CrsRef crs = crs_from_epsg(std::stoi(code));
            if (crs.wkt == input) return crs;
        }
    }
    return detail::gdal_module().crs_from_user(input);
}

CrsRef choose_metric_crs(const Envelope& lonlat_extent) {
    if (lonlat_extent.empty()) throw crs_error("cannot choose a metric CRS for an empty extent");
    double lon = (lonlat_extent.minx + lonlat_extent.maxx) / 2.0;
    if (lon > 180.0 && lon <= 540.0) lon -= 360.0; // an extent across the antimeridian (LongitudeSpan)
    const double lat = (lonlat_extent.miny + lonlat_extent.maxy) / 2.0;
    if (!std::isfinite(lon) || !std::isfinite(lat) || lon < -180.0 || lon > 180.0 || lat < -90.0 || lat > 90.0)
        throw crs_error("cannot choose a metric CRS: the extent centre (" + std::to_string(lon) + ", " +
                        std::to_string(lat) + ") is not a longitude/latitude");

    if (detail::in_china_outline(lon, lat)) {
        // CGCS2000 3-degree Gauss-Krüger zones without zone prefix:
        // EPSG:4534 (CM 75°E) ... EPSG:4554 (CM 135°E), one every 3 degrees.
        const int zone = std::clamp(static_cast<int>(std::lround((lon - 75.0) / 3.0)), 0, 20);
        return crs_from_epsg(4534 + zone);
    }
    // Plain UTM zones, without the Norway / Svalbard exceptions: those exist for
    // map-sheet continuity, while the standard zone has the nearest central
    // meridian and so the smallest scale error, which is what analyses need.
    const int zone = std::clamp(static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1, 1, 60);
    return crs_from_epsg((lat >= 0.0 ? 32600 : 32700) + zone);
}

void LongitudeSpan::add(double lon) {
    if (!std::isfinite(lon)) return;
    const double shifted = lon < 0.0 ? lon + 360.0 : lon;
    min_ = std::min(min_, shifted);
    max_ = std::max(max_, shifted);
}

Envelope LongitudeSpan::narrowest(const Envelope& lonlat) const {
    if (lonlat.empty() || !(max_ >= min_) || !(max_ - min_ < lonlat.maxx - lonlat.minx)) return lonlat;
    Envelope out = lonlat;
    out.minx = min_;
    out.maxx = max_;
    return out;
}

double max_scale_error(const CrsRef& crs, const Envelope& lonlat_extent) {
    if (!crs.known()) throw crs_error("cannot measure the scale error of an unknown CRS");
    if (crs.offset != CrsRef::Offset::none || crs.geographic) return std::numeric_limits<double>::infinity();
    if (lonlat_extent.empty()) return 0.0;
    return detail::gdal_module().max_scale_error(crs, lonlat_extent);
}

// Karney's algorithm (GeographicLib), which PROJ's geodesic also implements.
double geodesic_distance(const Point& a, const Point& b) {
    double metres = 0.0;
    GeographicLib::Geodesic::WGS84().Inverse(a.y, a.x, b.y, b.x, metres);
    return metres;
}

} // namespace plan
