// CRS identification, the choice of a metric CRS for analyses, scale error
// and geodesic distance. Axis order is traditional GIS everywhere: EPSG:4490
// and the Gauss-Krüger CRSs are northing-first in the EPSG database, and
// without OAMS_TRADITIONAL_GIS_ORDER their coordinates come out swapped.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <string>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <geodesic.h>
#include <ogr_srs_api.h>
#include <proj.h>
#include <proj_experimental.h>

#include "crs/builtin_crs.hpp"
#include "crs/srs.hpp"
#include "module_impl.hpp"
#include "plan/crs.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/source.hpp"

namespace plan {
namespace detail {
namespace {

struct CplFree {
    void operator()(void* p) const { CPLFree(p); }
};
using CplString = std::unique_ptr<char, CplFree>;
struct SrsArrayFree {
    void operator()(OGRSpatialReferenceH* array) const { OSRFreeSRSArray(array); }
};

std::string exported_wkt(const OGRSpatialReference& srs) {
    char* raw = nullptr;
    const char* const options[] = {"FORMAT=WKT2_2019", "MULTILINE=NO", nullptr};
    const OGRErr err = srs.exportToWkt(&raw, options);
    CplString wkt(raw);
    if (err != OGRERR_NONE || !wkt) throw crs_error("cannot export the CRS '" + std::string(srs.GetName() ? srs.GetName() : "?") + "' as WKT: " + last_gdal_message());
    return wkt.get();
}

// The EPSG code of a spatial reference: its own authority when it has one,
// else what GDAL can identify: AutoIdentifyEPSG for the common cases, then the
// best database match when it is unique and at least "equivalent" (70 %: same
// datum, projection and units, other name, as for a PROJ string or an ESRI
// .prj of a Gauss-Krüger zone).
int identify_epsg(const OGRSpatialReference& srs) {
    auto code_of = [](const OGRSpatialReference& s) {
        const char* authority = s.GetAuthorityName(nullptr);
        const char* code = s.GetAuthorityCode(nullptr);
        if (authority && code && EQUAL(authority, "EPSG")) return std::atoi(code);
        return 0;
    };
    if (const int code = code_of(srs)) return code;
    SpatialReferencePtr probe(srs.Clone());
    if (probe->AutoIdentifyEPSG() == OGRERR_NONE) {
        if (const int code = code_of(*probe)) return code;
    }
    int count = 0;
    int* raw_confidence = nullptr;
    const std::unique_ptr<OGRSpatialReferenceH, SrsArrayFree> matches(srs.FindMatches(nullptr, &count, &raw_confidence));
    const std::unique_ptr<int, CplFree> confidence(raw_confidence);
    if (!matches || count == 0 || !confidence) return 0;
    // Matches come sorted by decreasing confidence. At the top level, several
    // authorities may tie (OGC:CRS84, IGNF:WGS84G, EPSG:4326); one EPSG entry
    // among them identifies the CRS, two are ambiguous.
    constexpr int kEquivalent = 70;
    const int top = confidence.get()[0];
    if (top < kEquivalent) return 0;
    int found = 0;
    for (int i = 0; i < count && confidence.get()[i] == top; ++i) {
        if (const int code = code_of(*OGRSpatialReference::FromHandle(matches.get()[i]))) {
            if (found != 0) return 0;
            found = code;
        }
    }
    return found;
}

} // namespace

std::string last_gdal_message() {
    const char* message = CPLGetLastErrorMsg();
    return message ? message : "";
}

SpatialReferencePtr make_spatial_reference() {
    SpatialReferencePtr srs(new OGRSpatialReference());
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

SpatialReferencePtr to_spatial_reference(const CrsRef& crs) {
    if (!crs.known()) throw crs_error("the CRS is unknown", {}, "pass --src-crs EPSG:NNNN");
    const std::string& wkt = crs.wkt.empty() ? wgs84().wkt : crs.wkt; // an offset CRS built by hand
    SpatialReferencePtr srs = make_spatial_reference();
    CPLErrorReset();
    if (srs->importFromWkt(wkt.c_str()) != OGRERR_NONE)
        throw crs_error("cannot read the CRS '" + crs.label() + "': " + last_gdal_message());
    return srs;
}

CrsRef crs_from_spatial_reference(const OGRSpatialReference& srs) {
    CrsRef crs;
    crs.wkt = exported_wkt(srs);
    crs.name = srs.GetName() ? srs.GetName() : "";
    crs.epsg = identify_epsg(srs);
    crs.geographic = srs.IsGeographic() != 0;
    return crs;
}

} // namespace detail

CrsRef detail::crs_from_epsg_gdal(int epsg) {
    detail::init_gdal_crs();
    auto srs = detail::make_spatial_reference();
    CPLErrorReset();
    if (epsg <= 0 || srs->importFromEPSG(epsg) != OGRERR_NONE) {
        const std::string detail = detail::last_gdal_message();
        throw crs_error("unknown EPSG code " + std::to_string(epsg) + (detail.empty() ? "" : " (" + detail + ")"), {},
                        detail::kCrsHint);
    }
    CrsRef crs = detail::crs_from_spatial_reference(*srs);
    crs.epsg = epsg; // as asked, even where the database lists an alias
    return crs;
}

// libplan's crs_from_user has trimmed the text and handled the pseudo-CRSs
// (GCJ02, BD09) and bare codes before it comes here.
CrsRef detail::crs_from_user_gdal(const std::string& input) {
    detail::init_gdal_crs();
    auto srs = detail::make_spatial_reference();
    CPLErrorReset();
    // The limitations keep a user string from making GDAL read files or URLs.
    if (srs->SetFromUserInput(input.c_str(), OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS) != OGRERR_NONE) {
        const std::string detail = detail::last_gdal_message();
        throw crs_error("unknown CRS '" + input + "'" + (detail.empty() ? "" : " (" + detail + ")"), {}, detail::kCrsHint);
    }
    if (!srs->IsGeographic() && !srs->IsProjected() && !srs->IsCompound())
        throw crs_error("the CRS '" + input + "' is neither geographic nor projected", {}, detail::kCrsHint);
    return detail::crs_from_spatial_reference(*srs);
}

namespace {

struct ProjContextDelete {
    void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
};
struct ProjDelete {
    void operator()(PJ* p) const { proj_destroy(p); }
};
using ProjContext = std::unique_ptr<PJ_CONTEXT, ProjContextDelete>;
using ProjObject = std::unique_ptr<PJ, ProjDelete>;

void proj_message(void*, int level, const char* message) {
    if (level >= PJ_LOG_ERROR) log::debug(std::string("PROJ: ") + (message ? message : ""));
}

// One PROJ context per thread (contexts are not thread-safe), kept for the
// thread's life: creating one opens PROJ's database, which is slow.
PJ_CONTEXT* proj_context() {
    thread_local const ProjContext ctx = [] {
        ProjContext c(proj_context_create());
        if (c) proj_log_func(c.get(), nullptr, proj_message);
        return c;
    }();
    if (!ctx) throw processing_error("cannot create a PROJ context");
    return ctx.get();
}

// The projected part of a CRS: a bound CRS (with +towgs84) is reduced to its
// source, a compound CRS to its horizontal component.
ProjObject projected_part(PJ_CONTEXT* ctx, ProjObject crs) {
    for (int depth = 0; crs && depth < 4; ++depth) {
        switch (proj_get_type(crs.get())) {
        case PJ_TYPE_BOUND_CRS: crs.reset(proj_get_source_crs(ctx, crs.get())); break;
        case PJ_TYPE_COMPOUND_CRS: crs.reset(proj_crs_get_sub_crs(ctx, crs.get(), 0)); break;
        default: return crs;
        }
    }
    return crs;
}

// The map projection of a projected CRS as an operation from longitude,
// latitude in radians on the CRS's own datum, which is what proj_factors
// expects. proj_factors builds the same from a CRS on every call, with a
// database search each time; building it once keeps a grid of calls cheap.
ProjObject projection_from_radians(PJ_CONTEXT* ctx, PJ* projected) {
    ProjObject geodetic(proj_get_source_crs(ctx, projected));
    if (!geodetic) return nullptr;
    ProjObject datum(proj_crs_get_datum(ctx, geodetic.get()));
    if (!datum) datum.reset(proj_crs_get_datum_ensemble(ctx, geodetic.get()));
    ProjObject cs(proj_create_ellipsoidal_2D_cs(ctx, PJ_ELLPS2D_LONGITUDE_LATITUDE, "Radian", 1.0));
    if (!datum || !cs) return nullptr;
    ProjObject radians(proj_create_geographic_crs_from_datum(ctx, "lon/lat in radians", datum.get(), cs.get()));
    if (!radians) return nullptr;
    return ProjObject(proj_create_crs_to_crs_from_pj(ctx, radians.get(), projected, nullptr, nullptr));
}

} // namespace

double detail::max_scale_error_gdal(const CrsRef& crs, const Envelope& lonlat_extent) {
    constexpr double kInfinite = std::numeric_limits<double>::infinity();
    if (!crs.known()) throw crs_error("cannot measure the scale error of an unknown CRS");
    if (crs.offset != CrsRef::Offset::none || crs.geographic) return kInfinite;
    if (lonlat_extent.empty()) return 0.0;

    auto srs = detail::to_spatial_reference(crs);
    if (!srs->IsProjected()) return kInfinite;
    // proj_factors reports scale in the CRS's linear unit per metre; the same
    // projection in metres has the same distortion, expressed as a ratio.
    if (srs->GetLinearUnits(nullptr) != 1.0) {
        CPLErrorReset();
        if (srs->SetLinearUnitsAndUpdateParameters(SRS_UL_METER, 1.0) != OGRERR_NONE)
            throw crs_error("cannot express '" + crs.label() + "' in metres: " + detail::last_gdal_message());
    }
    const std::string wkt = detail::exported_wkt(*srs);

    PJ_CONTEXT* ctx = proj_context();
    ProjObject projected = projected_part(ctx, ProjObject(proj_create(ctx, wkt.c_str())));
    // Easting first: PROJ 9.1's factors fail on an operation that ends in an
    // axis swap, as it does for the northing-first Gauss-Krüger CRSs.
    if (projected) projected.reset(proj_normalize_for_visualization(ctx, projected.get()));
    if (!projected || proj_get_type(projected.get()) != PJ_TYPE_PROJECTED_CRS)
        throw crs_error("PROJ cannot use the CRS '" + crs.label() + "' as a projected CRS");
    const ProjObject pj = projection_from_radians(ctx, projected.get());
    if (!pj) throw crs_error("PROJ cannot isolate the map projection of '" + crs.label() + "'");

    // The extent is in WGS 84 and proj_factors wants the CRS's own datum;
    // datums differ by at most a few hundred metres, which changes a scale
    // factor by far less than the 0.1 % threshold, so the lon/lat are used as is.
    constexpr int kGrid = 5;
    double worst = 0.0;
    for (int i = 0; i < kGrid; ++i) {
        for (int j = 0; j < kGrid; ++j) {
            const double lon = lonlat_extent.minx + lonlat_extent.width() * i / (kGrid - 1);
            const double lat = lonlat_extent.miny + lonlat_extent.height() * j / (kGrid - 1);
            constexpr double kRad = std::numbers::pi / 180.0;
            proj_errno_reset(pj.get());
            const PJ_FACTORS f = proj_factors(pj.get(), proj_coord(lon * kRad, lat * kRad, 0, 0));
            // A point outside the projection's domain: the CRS cannot hold the data.
            if (proj_errno(pj.get()) != 0 || !std::isfinite(f.meridional_scale) || !std::isfinite(f.parallel_scale))
                return kInfinite;
            worst = std::max({worst, std::abs(f.meridional_scale - 1.0), std::abs(f.parallel_scale - 1.0)});
        }
    }
    return worst;
}

} // namespace plan
