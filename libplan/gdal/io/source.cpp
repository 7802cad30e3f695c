// The input layer: GDAL vector sources read into libplan's own types, with the
// CRS and text-encoding decisions a planner's data needs (see docs/input.md).
#include "plan/source.hpp"
#include "plan/warning_summary.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unistd.h>

#include <fmt/format.h>

#include "io/encoding.hpp"
#include "io/gdal_handles.hpp"
#include "io/reproject.hpp"
#include "module_impl.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"

namespace fs = std::filesystem;

namespace plan {
namespace {

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

bool is_connection_string(const std::string& path) {
    // "PG:dbname=...", "MySQL:...", "WFS:http..." and the like: a short driver prefix then ':'.
    const auto colon = path.find(':');
    if (colon == std::string::npos || colon < 2 || colon > 12) return false;
    return std::all_of(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(colon),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string extension(const std::string& path) { return lower(fs::path(path).extension().string()); }

/// Checks a Shapefile's companion files, for messages clearer than GDAL's.
void check_shapefile_parts(const std::string& path) {
    const fs::path p(path);
    auto sibling = [&](const char* ext) {
        for (const auto& e : {std::string(ext), lower(ext) == ext ? std::string(ext) : lower(ext)}) {
            fs::path s = p;
            s.replace_extension(e);
            if (fs::exists(s)) return true;
            std::string upper = e;
            for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            s.replace_extension(upper);
            if (fs::exists(s)) return true;
        }
        return false;
    };
    if (!sibling(".shx"))
        throw input_error("the Shapefile index (.shx) is missing", ErrorContext{path},
                          "copy the .shx that belongs with this .shp, or rebuild it with "
                          "'ogr2ogr --config SHAPE_RESTORE_SHX YES fixed.shp " + path + "' into a new file");
    if (!sibling(".dbf"))
        throw input_error("the Shapefile attribute table (.dbf) is missing", ErrorContext{path},
                          "copy the .dbf that belongs with this .shp; without it no attributes (names, classes) can be read");
}

FieldType field_type_of(OGRFieldType t) {
    switch (t) {
    case OFTInteger:
    case OFTInteger64: return FieldType::integer;
    case OFTReal: return FieldType::real;
    case OFTString: return FieldType::string;
    case OFTDate:
    case OFTDateTime:
    case OFTTime: return FieldType::date;
    default: return FieldType::other;
    }
}

std::string geometry_type_name(OGRwkbGeometryType t) {
    if (t == wkbNone) return "None";
    if (t == wkbUnknown) return "Unknown (any)";
    return OGRGeometryTypeToName(t);
}

CrsRef crs_of(const OGRSpatialReference* srs) {
    if (!srs) return {};
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    if (srs->exportToWkt(&wkt, options) != OGRERR_NONE || !wkt) {
        CPLFree(wkt);
        return {};
    }
    std::string text(wkt);
    CPLFree(wkt);
    try {
        return crs_from_user(text);
    } catch (const crs_error&) {
        CrsRef r;
        r.wkt = text;
        r.name = srs->GetName() ? srs->GetName() : "unnamed CRS";
        r.geographic = srs->IsGeographic();
        return r;
    }
}

} // namespace

using detail::metric_for;
using detail::MetricChoice;
using detail::source_crs_of;
using detail::to_lonlat;

struct SourceState;

/// A dataset opened through GDAL: VectorSource's implementation in the module.
class GdalSource final : public detail::SourceBackend {
public:
    GdalSource(const std::string& path, const std::string& encoding);
    const std::string& path() const override;
    std::string driver() const override;
    std::vector<std::string> layer_names() const override;
    int resolve_layer(const std::string& name_or_index) const override;
    LayerInfo info(int layer_index, int sample, const std::string& src_crs, const std::string& target_crs) override;
    Layer read(int layer_index, const ReadOptions& options) override;

private:
    std::unique_ptr<SourceState> impl_;
};

struct SourceState {
    std::string path;
    std::string forced_encoding;  // user's --encoding, normalised ("" = detect)
    GDALDatasetUniquePtr ds;
    bool shapefile = false;
    bool csv = false;
    bool raw_text = false;        // GDAL returns undecoded bytes: we transcode
    std::string encoding;         // decided encoding of the attributes
    std::string encoding_note;
    bool encoding_decided = false;

    OGRLayer* layer(int index) const {
        OGRLayer* l = ds->GetLayer(index);
        if (!l) throw processing_error(fmt::format("layer index {} is out of range", index), ErrorContext{path});
        return l;
    }

    /// Decides the attributes' text encoding once per source (see docs/input.md).
    void decide_encoding(OGRLayer* l) {
        if (encoding_decided) return;
        encoding_decided = true;
        if (!raw_text) return; // set when opening
        if (!forced_encoding.empty()) {
            encoding = forced_encoding;
            encoding_note = "given by --encoding";
            return;
        }
        // Sample raw string values and decide: valid UTF-8, else GB18030.
        std::vector<std::string> samples;
        std::size_t bytes = 0;
        l->ResetReading();
        const int nfields = l->GetLayerDefn()->GetFieldCount();
        for (auto& f : *l) {
            for (int i = 0; i < nfields; ++i) {
                if (f->GetFieldDefnRef(i)->GetType() != OFTString || !f->IsFieldSetAndNotNull(i)) continue;
                std::string v = f->GetFieldAsString(i);
                if (detail::is_ascii(v)) continue;
                bytes += v.size();
                samples.push_back(std::move(v));
            }
            if (bytes > (1u << 20)) break; // 1 MiB of non-ASCII text decides it
        }
        l->ResetReading();
        // Field names can be non-ASCII too.
        for (int i = 0; i < nfields; ++i) samples.emplace_back(l->GetLayerDefn()->GetFieldDefn(i)->GetNameRef());
        const std::string detected = detail::detect_encoding(samples);
        encoding = detected;
        if (samples.empty() || detected == "UTF-8") {
            encoding_note = encoding_note.empty() ? "text is valid UTF-8" : encoding_note + "; text is valid UTF-8";
        } else {
            encoding_note = (encoding_note.empty() ? std::string() : encoding_note + "; ") +
                            "text is not valid UTF-8: decoded as GB18030 (GBK); use --encoding to override";
            log::warn(fmt::format("{}: text is not UTF-8 and no .cpg says otherwise: decoding it as GB18030 (GBK); "
                                  "pass --encoding to choose another", path));
        }
    }

    std::string text(const char* raw) const {
        if (!raw_text || encoding.empty() || encoding == "UTF-8") {
            if (raw_text && encoding == "UTF-8") return raw;
            return raw;
        }
        return detail::to_utf8(raw, encoding);
    }
};

GdalSource::GdalSource(const std::string& path, const std::string& encoding) : impl_(std::make_unique<SourceState>()) {
    init_gdal();
    impl_->path = path;
    if (!encoding.empty()) {
        impl_->forced_encoding = detail::normalise_charset(encoding);
        try {
            (void)detail::to_utf8("a", impl_->forced_encoding);
        } catch (const input_error&) {
            throw usage_error("--encoding '" + encoding + "' is not a known text encoding", ErrorContext{path},
                              "use a name such as GBK, GB18030, UTF-8, CP1252 or BIG5");
        }
    }

    const bool conn = is_connection_string(path);
    if (!conn) {
        std::error_code ec;
        const auto st = fs::status(path, ec);
        if (!fs::exists(st)) throw input_error("no such file or folder", ErrorContext{path});
        if (::access(path.c_str(), R_OK) != 0)
            throw input_error("permission denied: the file or folder cannot be read", ErrorContext{path});
        if (fs::is_directory(st)) {
            std::error_code dec;
            fs::directory_iterator it(path, dec);
            if (dec) throw input_error("the folder cannot be read: " + dec.message(), ErrorContext{path});
        }
        const std::string ext = extension(path);
        impl_->shapefile = ext == ".shp" || ext == ".dbf";
        impl_->csv = ext == ".csv" || ext == ".tsv";
        if (impl_->shapefile) check_shapefile_parts(path);
        if (fs::is_regular_file(st) && fs::file_size(path) == 0)
            throw input_error("the file is empty (0 bytes)", ErrorContext{path});
    }

    // Shapefile: honour a .cpg; else distrust a DBF language id of 0 or 0x57
    // ("ANSI"), with which GDAL would decode as Windows-1252 and return valid
    // UTF-8 mojibake. Then read raw bytes and decide ourselves.
    std::vector<const char*> open_options;
    if (impl_->shapefile) {
        const std::string cpg = detail::read_cpg(path);
        fs::path dbf(path);
        dbf.replace_extension(".dbf");
        if (!fs::exists(dbf)) dbf.replace_extension(".DBF");
        const int ldid = detail::dbf_language_id(dbf.string());
        if (!impl_->forced_encoding.empty()) {
            impl_->raw_text = true;
        } else if (!cpg.empty()) {
            impl_->encoding = detail::normalise_charset(cpg);
            impl_->encoding_note = "declared by the .cpg file (" + cpg + ")";
        } else if (ldid == 0 || ldid == 0x57 || ldid < 0) {
            impl_->raw_text = true;
            impl_->encoding_note = ldid < 0 ? "DBF language id unreadable" : fmt::format("no .cpg; DBF language id 0x{:02X} (\"ANSI\") is not trusted", ldid);
        } else {
            impl_->encoding_note = fmt::format("DBF language id 0x{:02X}", ldid);
            impl_->encoding = "from DBF language id";
        }
        if (impl_->raw_text) open_options.push_back("ENCODING=");
    } else if (impl_->csv) {
        impl_->raw_text = true; // GDAL's CSV driver never recodes
        impl_->encoding_note = "CSV has no declared encoding";
    } else {
        impl_->encoding = "UTF-8";
        impl_->encoding_note = "the format stores UTF-8";
        if (!impl_->forced_encoding.empty() && impl_->forced_encoding != "UTF-8")
            log::warn(fmt::format("{}: --encoding applies to Shapefile and CSV sources; this format stores UTF-8", path));
    }
    open_options.push_back(nullptr);

    CPLErrorReset();
    impl_->ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options.data(), nullptr));
    if (!impl_->ds) {
        std::string why = detail::last_gdal_error("");
        if (why.empty()) why = conn ? "the connection could not be opened" : "not a vector format GDAL can read";
        throw input_error("cannot open as a vector source: " + why, ErrorContext{path},
                          conn ? "check the connection string, the server and the credentials" : "");
    }
    if (impl_->ds->GetLayerCount() == 0)
        throw input_error("the source contains no vector layers", ErrorContext{path});
}


const std::string& GdalSource::path() const { return impl_->path; }

std::string GdalSource::driver() const {
    GDALDriver* d = impl_->ds->GetDriver();
    return d ? d->GetDescription() : "";
}

std::vector<std::string> GdalSource::layer_names() const {
    std::vector<std::string> names;
    for (int i = 0; i < impl_->ds->GetLayerCount(); ++i) names.emplace_back(impl_->ds->GetLayer(i)->GetName());
    return names;
}

int GdalSource::resolve_layer(const std::string& name_or_index) const {
    const auto names = layer_names();
    if (name_or_index.empty()) {
        for (int i = 0; i < static_cast<int>(names.size()); ++i)
            if (impl_->ds->GetLayer(i)->GetGeomType() != wkbNone) return i;
        return 0;
    }
    for (int i = 0; i < static_cast<int>(names.size()); ++i)
        if (names[static_cast<std::size_t>(i)] == name_or_index) return i;
    if (std::all_of(name_or_index.begin(), name_or_index.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        name_or_index.size() < 6) {
        const int i = std::stoi(name_or_index);
        if (i < static_cast<int>(names.size())) return i;
    }
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i) list += fmt::format("{}{} ({})", i ? ", " : "", names[i], i);
    throw usage_error(fmt::format("no layer '{}'", name_or_index), ErrorContext{impl_->path},
                      "layers in this source (name and index): " + list);
}

namespace {

/// Exact extent and count by a scan (the driver's header may be smaller or unknown).
void scan_layer(OGRLayer* l, Envelope& extent, std::int64_t& count, const std::string& path, LongitudeSpan& span) {
    l->ResetReading();
    count = 0;
    OGREnvelope e;
    CPLErrorReset();
    for (auto& f : *l) {
        ++count;
        if (CPLGetLastErrorType() >= CE_Failure)
            throw input_error("damaged record: " + detail::last_gdal_error(), ErrorContext{path, l->GetName(), f->GetFID()},
                              "the file is corrupt or truncated; re-export it from its source");
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty()) continue;
        g->getEnvelope(&e);
        if (!std::isfinite(e.MinX) || !std::isfinite(e.MinY) || !std::isfinite(e.MaxX) || !std::isfinite(e.MaxY)) continue;
        extent.expand(Point{e.MinX, e.MinY});
        extent.expand(Point{e.MaxX, e.MaxY});
        span.add(e.MinX);
        span.add(e.MaxX);
    }
    l->ResetReading();
}

/// Reads one feature's attribute values in our representation.
std::vector<FieldValue> read_values(OGRFeature& f, const std::function<std::string(const char*)>& text) {
    const int n = f.GetFieldCount();
    std::vector<FieldValue> values(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        if (!f.IsFieldSetAndNotNull(i)) continue;
        auto& v = values[static_cast<std::size_t>(i)];
        switch (f.GetFieldDefnRef(i)->GetType()) {
        case OFTInteger:
        case OFTInteger64: v = static_cast<std::int64_t>(f.GetFieldAsInteger64(i)); break;
        case OFTReal: v = f.GetFieldAsDouble(i); break;
        default: v = text(f.GetFieldAsString(i)); break;
        }
    }
    return values;
}

} // namespace

namespace detail {

CrsRef osm_source_crs_from_gdal_impl() {
    OGRSpatialReference srs;
    srs.SetWellKnownGeogCS("WGS84");
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return crs_of(&srs);
}

std::unique_ptr<SourceBackend> open_gdal_source(const std::string& path, const std::string& encoding) {
    return std::make_unique<GdalSource>(path, encoding);
}

} // namespace detail

LayerInfo GdalSource::info(int index, int sample, const std::string& src_crs, const std::string& target_crs) {
    OGRLayer* l = impl_->layer(index);
    impl_->decide_encoding(l);
    LayerInfo info;
    info.name = l->GetName();
    info.index = index;
    info.geometry_type = geometry_type_name(l->GetGeomType());
    info.encoding = impl_->encoding == "from DBF language id" ? "declared by DBF" : impl_->encoding;
    info.encoding_note = impl_->encoding_note;
    OGRFeatureDefn* defn = l->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        info.fields.push_back(FieldInfo{impl_->text(fd->GetNameRef()), OGRFieldDefn::GetFieldTypeName(fd->GetType()), fd->GetWidth()});
    }

    const GIntBig header_count = l->GetFeatureCount(FALSE);
    // Scan for exact figures: OSM reports -1 and a header box smaller than its
    // ways; other drivers' headers can be stale. The scan is what GDAL's own
    // "SELECT COUNT(*)" and a full extent computation give.
    LongitudeSpan span;
    scan_layer(l, info.extent, info.feature_count, impl_->path, span);
    info.count_scanned = header_count < 0;

    if (l->GetGeomType() != wkbNone && !info.extent.empty()) {
        info.crs = source_crs_of(crs_of(l->GetSpatialRef()), l->GetName(), src_crs, info.extent, impl_->path, &info.crs_note);
        info.extent_wgs84 = to_lonlat(info.crs, info.extent);
        Envelope for_zone = info.extent_wgs84;
        if (info.crs.geographic || info.crs.offset != CrsRef::Offset::none) for_zone = span.narrowest(for_zone);
        const MetricChoice m = metric_for(info.crs, for_zone, target_crs);
        info.metric_crs = m.crs;
        info.metric_note = m.note;
    } else {
        info.crs = crs_of(l->GetSpatialRef());
        if (l->GetGeomType() != wkbNone) info.crs_note = "the layer has no features with geometry";
    }

    if (sample > 0) {
        l->ResetReading();
        for (auto& f : *l) {
            if (static_cast<int>(info.sample.size()) >= sample) break;
            Feature out;
            out.fid = f->GetFID();
            out.values = read_values(*f, [this](const char* s) { return impl_->text(s); });
            info.sample.push_back(std::move(out));
        }
        l->ResetReading();
    }
    return info;
}

Layer GdalSource::read(int index, const ReadOptions& options) {
    OGRLayer* l = impl_->layer(index);
    impl_->decide_encoding(l);
    Layer out;
    out.source = impl_->path;
    out.name = l->GetName();
    out.driver = driver();
    const ErrorContext where{impl_->path, out.name};
    const GdalWarningSummary warnings(impl_->path + ":" + out.name);

    OGRFeatureDefn* defn = l->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        out.fields.push_back(FieldDef{impl_->text(fd->GetNameRef()), field_type_of(fd->GetType()),
                                      OGRFieldDefn::GetFieldTypeName(fd->GetType())});
    }

    CPLErrorReset();
    // A source read as raw bytes (a GBK shapefile) compares the filter's text
    // with its own bytes: write the filter in the source's encoding.
    std::string where_clause = options.where;
    if (impl_->raw_text && !impl_->encoding.empty() && impl_->encoding != "UTF-8" &&
        impl_->encoding != "from DBF language id" && !detail::is_ascii(where_clause)) {
        try {
            where_clause = detail::from_utf8(where_clause, impl_->encoding);
        } catch (const input_error& e) {
            throw usage_error(fmt::format("--where '{}': {}", options.where, e.message()), where, e.hint());
        }
    }
    if (!where_clause.empty() && l->SetAttributeFilter(where_clause.c_str()) != OGRERR_NONE)
        throw usage_error(fmt::format("--where '{}' is not a valid filter: {}", options.where, detail::last_gdal_error()), where,
                          "write an OGR SQL condition on this layer's fields, e.g. \"highway IS NOT NULL\"");
    if (options.bbox) {
        const Envelope& b = *options.bbox;
        if (b.empty()) throw usage_error("--bbox is empty: give minx,miny,maxx,maxy with min < max", where);
        l->SetSpatialFilterRect(b.minx, b.miny, b.maxx, b.maxy);
    }

    const GIntBig total = l->GetFeatureCount(FALSE);
    l->ResetReading();
    detail::ConversionNotes notes;
    std::int64_t seen = 0;
    std::vector<std::int64_t> invalid_ids;
    auto text = [this](const char* s) { return impl_->text(s); };
    while (true) {
        CPLErrorReset();
        detail::FeaturePtr f(l->GetNextFeature());
        if (!f) {
            if (CPLGetLastErrorType() >= CE_Failure)
                throw input_error("reading stopped at a damaged record: " + detail::last_gdal_error(),
                                  ErrorContext{impl_->path, out.name, seen}, "the file may be truncated or corrupt");
            break;
        }
        ++seen;
        if (CPLGetLastErrorType() >= CE_Failure)
            throw input_error("damaged record: " + detail::last_gdal_error(), ErrorContext{impl_->path, out.name, f->GetFID()},
                              "the file is corrupt or truncated; re-export it from its source");
        if (options.progress && (seen & 0x3FFF) == 0) options.progress(seen, total);
        Feature feat;
        feat.fid = f->GetFID();
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty()) {
            if (options.want && *options.want != GeometryKind::none) {
                ++out.report.empty_geometry;
                continue;
            }
        } else {
            detail::ConversionNotes one;
            detail::append_geometry(*g, feat.geometry, one);
            notes.had_z_or_m = notes.had_z_or_m || one.had_z_or_m;
            if (one.non_finite) {
                ++out.report.invalid_geometry;
                invalid_ids.push_back(feat.fid);
                continue;
            }
            if (options.want && *options.want != GeometryKind::none) {
                Geometry kept;
                kept.kind = *options.want;
                if (*options.want == GeometryKind::line) kept.lines = std::move(feat.geometry.lines);
                if (*options.want == GeometryKind::polygon) kept.polygons = std::move(feat.geometry.polygons);
                if (*options.want == GeometryKind::point) kept.points = std::move(feat.geometry.points);
                // Degenerate parts are unusable: lines need two points, rings four.
                std::erase_if(kept.lines, [](const LineString& ls) { return ls.size() < 2; });
                std::erase_if(kept.polygons, [](const Polygon& p) { return p.rings.empty() || p.rings.front().size() < 4; });
                if (kept.empty()) {
                    if (feat.geometry.empty()) ++out.report.invalid_geometry, invalid_ids.push_back(feat.fid);
                    else ++out.report.wrong_geometry;
                    continue;
                }
                feat.geometry = std::move(kept);
            }
        }
        feat.values = read_values(*f, text);
        out.features.push_back(std::move(feat));
    }
    if (options.progress) options.progress(seen, seen);
    out.report.read = static_cast<std::int64_t>(out.features.size());
    out.report.dropped_z = notes.had_z_or_m;
    out.report.encoding = impl_->encoding;

    if (!invalid_ids.empty()) {
        std::string ids;
        for (std::size_t i = 0; i < std::min<std::size_t>(invalid_ids.size(), 10); ++i) ids += (i ? ", " : "") + std::to_string(invalid_ids[i]);
        if (invalid_ids.size() > 10) ids += ", ...";
        log::warn(fmt::format("{}: layer '{}': skipped {} feature(s) with an invalid geometry (NaN or infinite coordinates, "
                              "or too few points): FID {}", impl_->path, out.name, invalid_ids.size(), ids));
    }
    if (out.report.empty_geometry > 0)
        log::warn(fmt::format("{}: layer '{}': skipped {} feature(s) without geometry", impl_->path, out.name, out.report.empty_geometry));
    if (notes.had_z_or_m) log::info(fmt::format("{}: layer '{}': Z and M values dropped (analyses are 2-D)", impl_->path, out.name));

    const char* kind_name = !options.want ? "" : *options.want == GeometryKind::line ? "lines" : *options.want == GeometryKind::polygon ? "polygons" : "points";
    if (options.want && out.features.empty()) {
        if (seen == 0)
            throw input_error(options.where.empty() && !options.bbox ? "the layer is empty" : "no feature passes the filter (--where/--bbox)", where);
        if (out.report.wrong_geometry > 0)
            throw input_error(fmt::format("the layer holds no {} (found {} feature(s) of another geometry type: {})", kind_name,
                                          out.report.wrong_geometry, geometry_type_name(l->GetGeomType())),
                              where, "choose the layer that holds the " + std::string(kind_name) + " (by name or index)");
        throw input_error(fmt::format("no usable {}: all {} feature(s) have empty or invalid geometries", kind_name, seen), where);
    }
    if (out.report.wrong_geometry > 0)
        log::warn(fmt::format("{}: layer '{}': skipped {} feature(s) that are not {}", impl_->path, out.name, out.report.wrong_geometry, kind_name));

    // Coordinate systems: identify the source, then move to the metric CRS.
    if (l->GetGeomType() != wkbNone || !out.features.empty()) detail::to_metric_crs(out, crs_of(l->GetSpatialRef()), options);
    return out;
}

} // namespace plan
