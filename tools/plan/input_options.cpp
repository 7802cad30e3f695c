#include "input_options.hpp"

#include <cstdlib>
#include <sstream>

#include "plan/error.hpp"

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
    r.src_crs = src_crs;
    r.target_crs = crs;
    r.encoding = encoding;
    return r;
}

} // namespace plan::cli
