#include "input_options.hpp"

#include "plan/output.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plan/error.hpp"
#include "plan/log.hpp"

namespace plan::cli {

void InputOptions::add_to(CLI::App& app) {
    app.add_option("--where", where, "Attribute filter in OGR SQL, e.g. \"highway IS NOT NULL\"");
    app.add_option("--bbox", bbox, "Spatial filter minx,miny,maxx,maxy in the layer's own CRS");
    app.add_option("--src-crs", src_crs,
                   "CRS of the source when it has none or a wrong one: EPSG:NNNN, WKT, PROJ string, GCJ02 or BD09");
    app.add_option("--crs", crs, "Metric CRS for analyses (default: chosen automatically; 'source' keeps the source CRS)");
    app.add_option("--encoding", encoding, "Text encoding of Shapefile/CSV attributes (default: detected), e.g. GBK, UTF-8");
}

Envelope parse_bbox(const std::string& text, const std::string& option) {
    std::stringstream ss(text);
    std::string item;
    double v[4];
    int n = 0;
    while (std::getline(ss, item, ',')) {
        if (n == 4) break;
        char* end = nullptr;
        v[n] = std::strtod(item.c_str(), &end);
        if (item.empty() || *end != '\0' || !std::isfinite(v[n]))
            throw usage_error(option + " '" + text + "' is not four numbers minx,miny,maxx,maxy");
        ++n;
    }
    if (n != 4 || std::getline(ss, item, ','))
        throw usage_error(option + " '" + text + "' is not four numbers minx,miny,maxx,maxy");
    if (!(v[0] < v[2] && v[1] < v[3]))
        throw usage_error(option + " '" + text + "' is empty: minx must be below maxx and miny below maxy");
    Envelope e;
    e.expand(Point{v[0], v[1]});
    e.expand(Point{v[2], v[3]});
    return e;
}

ReadOptions InputOptions::to_read_options() const {
    ReadOptions r;
    r.where = where;
    if (!bbox.empty()) r.bbox = parse_bbox(bbox, "--bbox");
    auto check_crs = [](const std::string& value, const std::string& option) {
        if (value.empty() || value == "source") return;
        try {
            (void)crs_from_user(value);
        } catch (const crs_error& e) {
            throw usage_error(option + ": " + e.message(), {}, e.hint().empty() ? "give a code such as EPSG:4548" : e.hint());
        }
    };
    check_crs(src_crs, "--src-crs");
    if (src_crs == "source") throw usage_error("--src-crs source is not a CRS");
    check_crs(crs, "--crs");
    check_analysis_crs(crs, "--crs");
    r.src_crs = src_crs;
    r.target_crs = crs;
    r.encoding = encoding;
    return r;
}

namespace {

// The linear unit of a projected CRS's WKT (WKT1 or WKT2): the last UNIT /
// LENGTHUNIT, which is the one of the coordinate system's axes.
bool wkt_length_unit(const std::string& wkt, std::string* name, double* factor) {
    const auto at = wkt.rfind("UNIT[\"");
    if (at == std::string::npos) return false;
    const auto name_begin = at + 6;
    const auto name_end = wkt.find('"', name_begin);
    if (name_end == std::string::npos || name_end + 1 >= wkt.size() || wkt[name_end + 1] != ',') return false;
    *name = wkt.substr(name_begin, name_end - name_begin);
    *factor = std::strtod(wkt.c_str() + name_end + 2, nullptr);
    return true;
}

} // namespace

void check_output_early(const std::string& output, bool overwrite) {
    if (output.empty() || output.rfind("PG:", 0) == 0) return;
    (void)output_format_for(output);
    std::error_code ec;
    if (!overwrite && std::filesystem::exists(std::filesystem::path(output), ec))
        throw output_error("the output already exists", ErrorContext{output},
                           "pass --overwrite to replace it, or choose another name");
}

void check_analysis_crs(const std::string& value, const std::string& option) {
    if (value.empty() || value == "source") return;
    CrsRef c;
    try {
        c = crs_from_user(value);
    } catch (const crs_error& e) {
        throw usage_error(option + ": " + e.message(), {}, e.hint().empty() ? "give a code such as EPSG:4548" : e.hint());
    }
    const std::string instead = "or omit " + option + " to let plan choose (a Gauss-Krüger or UTM zone)";
    if (c.geographic || c.offset != CrsRef::Offset::none)
        throw usage_error(fmt::format("{} {} is geographic (degrees); plan needs a projected CRS in metres, e.g. "
                                      "EPSG:4548 (CGCS2000 3° GK, CM 117°E), {}",
                                      option, value, instead));
    std::string unit;
    double factor = 1.0;
    if (wkt_length_unit(c.wkt, &unit, &factor) && std::abs(factor - 1.0) > 1e-9)
        throw usage_error(fmt::format("{} {} is in {} ({} m), not metres; plan needs a projected CRS in metres, e.g. "
                                      "EPSG:4548 (CGCS2000 3° GK, CM 117°E), {}",
                                      option, value, unit, factor, instead));
}

namespace {

// The lon/lat of a point of `crs`. libplan inverts the CRSs it chooses itself
// (CGCS2000 3° Gauss-Krüger EPSG:4534-4554, UTM) directly, so that a run on
// an OSM file never loads the GDAL module; other CRSs go through it.
Point lonlat_of(const CrsRef& crs, const Point& p) { return Transform(crs, wgs84()).apply(p); }

} // namespace

double crs_scale_error(const CrsRef& crs, const Envelope& extent, Point* centre_lonlat, double* area_error) {
    if (!crs.known() || crs.geographic || crs.offset != CrsRef::Offset::none || extent.empty())
        return std::numeric_limits<double>::quiet_NaN();
    const Point centre{(extent.minx + extent.maxx) / 2.0, (extent.miny + extent.maxy) / 2.0};
    const Transform from_lonlat(wgs84(), crs);
    const Point c = lonlat_of(crs, centre);
    if (centre_lonlat) *centre_lonlat = c;
    // About 100 m each way: short enough for the point scale, long enough for
    // the projected coordinates' rounding to be negligible.
    constexpr double d = 0.001;
    const Point p0 = from_lonlat.apply(c);
    double worst = 0.0;
    double area = 1.0;
    for (const Point q : {Point{c.x + d, c.y}, Point{c.x, c.y + d}}) {
        const Point pq = from_lonlat.apply(q);
        const double k = std::hypot(pq.x - p0.x, pq.y - p0.y) / geodesic_distance(c, q) - 1.0;
        if (std::abs(k) > std::abs(worst)) worst = k;
        area *= 1.0 + k;
    }
    if (area_error) *area_error = area - 1.0;
    return worst;
}

double warn_crs_scale(const CrsRef& crs, const Envelope& extent, const std::string& given, Measures measures) {
    Point c;
    double area = 0.0;
    const double err = crs_scale_error(crs, extent, &c, &area);
    if (std::isfinite(err) && std::abs(err) > kWarnScaleError) {
        Envelope lonlat;
        lonlat.expand(c);
        const CrsRef local = choose_metric_crs(lonlat);
        const std::string who = given.empty() ? "the CRS " + crs.label() : "--crs " + given;
        const std::string where = fmt::format("at the data's centre ({:.1f}°{} {:.1f}°{})", std::abs(c.x), c.x < 0 ? "W" : "E",
                                              std::abs(c.y), c.y < 0 ? "S" : "N");
        if (measures == Measures::areas)
            log::warn(fmt::format("{} {} areas by {:.1f} % (lengths by {:.1f} %) {}; parcel areas, mu and every per-mu "
                                  "figure are in that CRS's square metres; a local CRS such as {} keeps it under 0.2 %",
                                  who, area > 0 ? "stretches" : "shrinks", 100.0 * std::abs(area), 100.0 * std::abs(err),
                                  where, local.label()));
        else
            log::warn(fmt::format("{} {} lengths by {:.1f} % {}; lengths, densities and tolerances are in that CRS's "
                                  "metres; a local CRS such as {} keeps it under 0.1 %",
                                  who, err > 0 ? "stretches" : "shrinks", 100.0 * std::abs(err), where, local.label()));
    }
    return err;
}

std::string with_crs_scale_error(const std::string& json_text, double scale_error, const CrsRef& crs) {
    using nlohmann::ordered_json;
    const auto in = ordered_json::parse(json_text);
    const ordered_json value = std::isfinite(scale_error) ? ordered_json(std::round(scale_error * 1e6) / 1e6) : ordered_json(nullptr);
    ordered_json out;
    bool placed = false;
    for (auto it = in.begin(); it != in.end(); ++it) {
        if (it.key() == "crs_scale_error") continue;
        out[it.key()] = it.value();
        if (it.key() == "crs") {
            out["crs_scale_error"] = value;
            placed = true;
        }
    }
    if (!placed) {
        if (crs.known()) out["crs"] = crs.label();
        out["crs_scale_error"] = value;
    }
    return out.dump(2);
}

CLI::Validator existing_source(const std::string& option, bool name_equals_file) {
    return CLI::Validator(
        [option, name_equals_file](std::string& value) -> std::string {
            namespace fs = std::filesystem;
            std::string path = value;
            if (name_equals_file) {
                const auto eq = path.find('=');
                if (eq == std::string::npos) return {}; // the command reports the NAME=FILE syntax
                path = path.substr(eq + 1);
            }
            if (path.empty() || path.rfind("PG:", 0) == 0 || path.rfind("/vsi", 0) == 0 ||
                path.find("://") != std::string::npos)
                return {};
            std::error_code ec;
            const std::string file = path.substr(0, path.find('|')); // QGIS style FILE|layername=X
            if (fs::exists(file, ec)) return {};
            const auto colon = file.rfind(':'); // FILE:LAYER
            if (colon != std::string::npos && colon > 0 && fs::exists(file.substr(0, colon), ec)) return {};
            throw usage_error(fmt::format("{} {}: no such file", option, path), {},
                              "check the path (relative paths start in the current folder)");
        },
        std::string{}, "existing source");
}

} // namespace plan::cli
