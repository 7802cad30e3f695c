// Identifying a layer's CRS and moving it to the metric CRS of the analysis,
// and the parts of plan/source.hpp that need no GDAL (the OSM source CRS,
// layer references).
#include "io/reproject.hpp"

#include "gdal_bridge/gdal_module.hpp"

#include <fmt/format.h>

#include "plan/crs.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/source.hpp"

namespace plan {
namespace detail {

namespace {

bool lonlat_range(const Envelope& e) {
    return !e.empty() && e.minx >= -180.0 && e.maxx <= 180.0 && e.miny >= -90.0 && e.maxy <= 90.0;
}

} // namespace

/// The CRS of a layer's data, after --src-crs and the lon/lat fallback.
/// `declared` is what the source says (unknown when it says nothing).
CrsRef source_crs_of(const CrsRef& declared, const std::string& layer_name, const std::string& src_crs,
                     const Envelope& data_extent, const std::string& path, std::string* note) {
    if (!src_crs.empty()) {
        CrsRef c = crs_from_user(src_crs);
        if (note) *note = "given by --src-crs";
        return c;
    }
    if (declared.known()) return declared;
    if (lonlat_range(data_extent)) {
        if (note) *note = "no CRS in the source; every coordinate lies in lon/lat range: WGS84 assumed";
        return wgs84();
    }
    throw crs_error("the layer has no CRS and its coordinates are not lon/lat",
                    ErrorContext{path, layer_name},
                    "pass --src-crs EPSG:NNNN with the CRS the data was made in (e.g. EPSG:4548 for CGCS2000 GK CM 117E)");
}


MetricChoice metric_for(const CrsRef& source, const Envelope& lonlat, const std::string& target) {
    if (target == "source") {
        // Lengths, tolerances and densities are in the CRS's units: degrees would make every figure meaningless.
        if (source.geographic || source.offset != CrsRef::Offset::none || !source.known())
            throw crs_error(fmt::format("--crs source: the source CRS {} is geographic (degrees), and plan measures in "
                                        "metres",
                                        source.known() ? source.label() : std::string("(none: lon/lat assumed)")),
                            {}, "omit --crs to let plan choose a metric zone (Gauss-Krüger or UTM), or give one, e.g. "
                                "--crs EPSG:4548");
        return {source, "kept the source CRS (--crs source)"};
    }
    if (!target.empty()) return {crs_from_user(target), "the analysis CRS (--crs, or chosen from the roads)"};
    if (source.geographic || source.offset != CrsRef::Offset::none || !source.known()) {
        CrsRef m = choose_metric_crs(lonlat);
        return {m, "the source is geographic (degrees): reprojected to the nearest metric zone"};
    }
    const double err = max_scale_error(source, lonlat);
    if (!(err <= kMaxScaleError)) {
        CrsRef m = choose_metric_crs(lonlat);
        return {m, fmt::format("the source CRS stretches lengths by up to {:.2f} % here (more than 0.1 %): reprojected", err * 100.0)};
    }
    return {source, fmt::format("the source CRS is metric (scale error {:.3f} % over the data)", err * 100.0)};
}

Envelope to_lonlat(const CrsRef& source, const Envelope& e) {
    if (e.empty()) return e;
    if (source.epsg == 4326 && source.offset == CrsRef::Offset::none) return e;
    Transform t(source, wgs84());
    return t.apply(e);
}


CrsRef osm_source_crs() {
    // What GDAL's OSM driver states for its layers (SetWellKnownGeogCS("WGS84"),
    // osm_source_crs_from_gdal), so that both OSM readers start from the same
    // CrsRef; written out because building it through PROJ's database is a
    // tenth of a short run. A test checks that the two agree.
    CrsRef crs;
    crs.wkt = "GEOGCRS[\"WGS 84\",DATUM[\"World Geodetic System 1984\",ELLIPSOID[\"WGS 84\",6378137,298.257223563,"
              "LENGTHUNIT[\"metre\",1]]],PRIMEM[\"Greenwich\",0,ANGLEUNIT[\"degree\",0.0174532925199433]],"
              "CS[ellipsoidal,2],AXIS[\"geodetic latitude (Lat)\",north,ORDER[1],ANGLEUNIT[\"degree\",0.0174532925199433]],"
              "AXIS[\"geodetic longitude (Lon)\",east,ORDER[2],ANGLEUNIT[\"degree\",0.0174532925199433]],ID[\"EPSG\",4326]]";
    crs.name = "WGS 84";
    crs.epsg = 4326;
    crs.geographic = true;
    return crs;
}

void to_metric_crs(Layer& out, const CrsRef& declared, const ReadOptions& options) {
    const Envelope data_extent = out.extent();
    if (data_extent.empty()) return;
    std::string note;
    out.source_crs = source_crs_of(declared, out.name, options.src_crs, data_extent, out.source, &note);
    if (!note.empty() && options.src_crs.empty()) log::warn(fmt::format("{}: layer '{}': {}", out.source, out.name, note));
    Envelope lonlat = to_lonlat(out.source_crs, data_extent);
    if (lonlat.maxx - lonlat.minx > 180.0 && (out.source_crs.geographic || out.source_crs.offset != CrsRef::Offset::none)) {
        // Perhaps across the antimeridian: its zone is the one around 180°, not 0°.
        LongitudeSpan span;
        for (const auto& f : out.features) {
            for (const auto& p : f.geometry.points) span.add(p.x);
            for (const auto& ln : f.geometry.lines)
                for (const auto& p : ln) span.add(p.x);
            for (const auto& poly : f.geometry.polygons)
                for (const auto& r : poly.rings)
                    for (const auto& p : r) span.add(p.x);
        }
        lonlat = span.narrowest(lonlat);
    }
    const MetricChoice m = metric_for(out.source_crs, lonlat, options.target_crs);
    out.crs = m.crs;
    Transform t(out.source_crs, out.crs);
    if (t.identity()) return;
    log::debug(fmt::format("{}: layer '{}': {} -> {} ({})", out.source, out.name, out.source_crs.label(), out.crs.label(), m.note));
    for (auto& f : out.features) {
        try {
            for (auto& p : f.geometry.points) p = t.apply(p);
            for (auto& ln : f.geometry.lines)
                for (auto& p : ln) p = t.apply(p);
            for (auto& poly : f.geometry.polygons)
                for (auto& r : poly.rings)
                    for (auto& p : r) p = t.apply(p);
        } catch (const crs_error& e) {
            throw crs_error(e.message(), ErrorContext{out.source, out.name, f.fid});
        }
    }
}

} // namespace detail

LayerUri split_layer_uri(const std::string& text) {
    const auto bar = text.find('|');
    if (bar == std::string::npos) return {text, {}};
    LayerUri uri{text.substr(0, bar), {}};
    std::string rest = text.substr(bar + 1);
    while (!rest.empty()) {
        const auto next = rest.find('|');
        const std::string part = rest.substr(0, next);
        if (part.rfind("layername=", 0) == 0) uri.layer = part.substr(10);
        else if (part.rfind("layerid=", 0) == 0) uri.layer = part.substr(8);
        else throw usage_error("'" + part + "' is not understood in '" + text + "'", ErrorContext{uri.path},
                               "name a layer as FILE|layername=NAME or FILE|layerid=N");
        if (next == std::string::npos) break;
        rest = rest.substr(next + 1);
    }
    return uri;
}

CrsRef detail::osm_source_crs_from_gdal() { return detail::gdal_module().osm_source_crs_from_gdal(); }

} // namespace plan
