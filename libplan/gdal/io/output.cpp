// Writing result layers through GDAL, atomically: everything goes to a
// temporary sibling first and is renamed into place only when complete.
#include "plan/output.hpp"

#include <filesystem>
#include <unistd.h>

#include <fmt/format.h>

#include "io/gdal_handles.hpp"
#include "module_impl.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/source.hpp"

namespace fs = std::filesystem;

namespace plan {
namespace {

OGRwkbGeometryType wkb_type(GeometryKind kind, bool multi) {
    switch (kind) {
    case GeometryKind::point: return multi ? wkbMultiPoint : wkbPoint;
    case GeometryKind::line: return multi ? wkbMultiLineString : wkbLineString;
    case GeometryKind::polygon: return multi ? wkbMultiPolygon : wkbPolygon;
    default: return wkbNone;
    }
}

OGRFieldType ogr_type(FieldType t) {
    switch (t) {
    case FieldType::integer: return OFTInteger64;
    case FieldType::real: return OFTReal;
    default: return OFTString;
    }
}

/// Pins GeoPackage timestamps so that the same results give the same bytes,
/// unless the user set OGR_CURRENT_DATE themselves.
struct PinnedDate {
    bool set = false;
    PinnedDate() {
        if (!CPLGetConfigOption("OGR_CURRENT_DATE", nullptr)) {
            CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
            set = true;
        }
    }
    ~PinnedDate() {
        if (set) CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
    }
};

void write_one_layer(GDALDataset& ds, const OutLayer& layer, OGRSpatialReference* srs, const std::string& path,
                     const std::vector<const char*>& layer_options, OGRCoordinateTransformation* ct = nullptr) {
    const ErrorContext where{path, layer.name};
    CPLErrorReset();
    OGRLayer* l = ds.CreateLayer(layer.name.c_str(), layer.kind == GeometryKind::none ? nullptr : srs,
                                 wkb_type(layer.kind, layer.multi), const_cast<char**>(layer_options.data()));
    if (!l) throw output_error("cannot create the layer: " + detail::last_gdal_error(), where);
    for (const auto& f : layer.fields) {
        OGRFieldDefn fd(f.name.c_str(), ogr_type(f.type));
        if (l->CreateField(&fd) != OGRERR_NONE)
            throw output_error("cannot create field '" + f.name + "': " + detail::last_gdal_error(), where);
    }
    const bool transactions = ds.TestCapability(ODsCTransactions);
    if (transactions) ds.StartTransaction();
    OGRFeatureDefn* defn = l->GetLayerDefn();
    std::int64_t n = 0;
    for (const auto& feature : layer.features) {
        detail::FeaturePtr f(OGRFeature::CreateFeature(defn));
        if (feature.values.size() > layer.fields.size())
            throw processing_error(fmt::format("feature {} has {} values for {} fields", n, feature.values.size(), layer.fields.size()), where);
        for (std::size_t i = 0; i < feature.values.size(); ++i) {
            const int fi = static_cast<int>(i);
            const auto& v = feature.values[i];
            if (auto iv = std::get_if<std::int64_t>(&v)) f->SetField(fi, static_cast<GIntBig>(*iv));
            else if (auto dv = std::get_if<double>(&v)) {
                if (std::isfinite(*dv)) f->SetField(fi, *dv);
                else f->SetFieldNull(fi);
            } else if (auto sv = std::get_if<std::string>(&v)) f->SetField(fi, sv->c_str());
            else f->SetFieldNull(fi);
        }
        if (layer.kind != GeometryKind::none) {
            if (auto g = detail::to_ogr(feature.geometry, layer.kind, layer.multi)) {
                if (ct && g->transform(ct) != OGRERR_NONE)
                    throw output_error(fmt::format("feature {} cannot be reprojected to WGS84: {}", n, detail::last_gdal_error()), where);
                f->SetGeometryDirectly(g.release());
            }
        }
        if (l->CreateFeature(f.get()) != OGRERR_NONE)
            throw output_error(fmt::format("cannot write feature {}: {}", n, detail::last_gdal_error()), where);
        ++n;
    }
    if (transactions && ds.CommitTransaction() != OGRERR_NONE)
        throw output_error("cannot commit the layer: " + detail::last_gdal_error(), where);
}

/// Closes a dataset being written and reports a failure to flush it (GDAL 3.6
/// has no GDALDataset::Close returning a status).
void close_checked(GDALDatasetUniquePtr& ds, const std::string& path) {
    CPLErrorReset();
    ds->FlushCache(true);
    ds.reset();
    if (CPLGetLastErrorType() >= CE_Failure)
        throw output_error("cannot finish writing: " + detail::last_gdal_error(), ErrorContext{path});
}

std::string temp_sibling(const fs::path& target) {
    // Keep the extension last: GDAL drivers check it (a GeoPackage must end in .gpkg).
    return (target.parent_path() / fmt::format(".tmp-{}-{}", ::getpid(), target.filename().string())).string();
}

} // namespace

void write_layers_gdal(const std::string& path, OutputFormat format, const CrsRef& crs, const std::vector<OutLayer>& layers,
                  const WriteOptions& options) {
    init_gdal();
    fs::path target = fs::absolute(fs::path(path));
    if (!target.has_filename()) target = target.parent_path(); // "-o out/": the folder out
    if (fs::exists(target) && !options.overwrite)
        throw output_error("the output already exists", ErrorContext{path}, "pass --overwrite to replace it, or choose another name");
    const fs::path parent = target.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec || ::access(parent.c_str(), W_OK) != 0)
        throw output_error("the output folder cannot be written: " + parent.string(), ErrorContext{path});

    detail::SpatialRefPtr srs;
    if (!crs.wkt.empty()) {
        srs.reset(new OGRSpatialReference());
        srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (srs->importFromWkt(crs.wkt.c_str()) != OGRERR_NONE)
            throw output_error("the result CRS cannot be written: " + crs.label(), ErrorContext{path});
    }
    const std::string tmp = temp_sibling(target);
    fs::remove_all(tmp, ec);
    PinnedDate pinned;
    try {
        if (format == OutputFormat::gpkg) {
            GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
            if (!drv) throw output_error("GDAL has no GPKG driver", ErrorContext{path});
            GDALDatasetUniquePtr ds(drv->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
            if (!ds) throw output_error("cannot create the GeoPackage: " + detail::last_gdal_error(), ErrorContext{path});
            for (const auto& layer : layers) write_one_layer(*ds, layer, srs.get(), path, {"SPATIAL_INDEX=YES", nullptr});
            close_checked(ds, path);
        } else {
            GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GeoJSON");
            if (!drv) throw output_error("GDAL has no GeoJSON driver", ErrorContext{path});
            fs::create_directories(tmp);
            // One transformation to WGS84 for every layer: GDAL would build one per layer
            // (a PROJ operation search each time) and transform through its slower
            // general path; the layers are then created in WGS84 directly.
            OGRSpatialReference wgs84;
            wgs84.SetWellKnownGeogCS("WGS84");
            wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
            if (srs && !srs->IsSame(&wgs84)) {
                CPLErrorReset();
                to_wgs84.reset(OGRCreateCoordinateTransformation(srs.get(), &wgs84));
                if (!to_wgs84)
                    throw output_error("cannot reproject " + crs.label() + " to WGS84: " + detail::last_gdal_error(),
                                       ErrorContext{path});
            }
            OGRSpatialReference* layer_srs = srs ? &wgs84 : nullptr;
            for (const auto& layer : layers) {
                const std::string file = (fs::path(tmp) / (layer.name + ".geojson")).string();
                GDALDatasetUniquePtr ds(drv->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
                if (!ds) throw output_error("cannot create " + file + ": " + detail::last_gdal_error(), ErrorContext{path});
                // RFC 7946: WGS84 lon/lat (reprojected by GDAL), right-hand polygons, 7 decimals.
                // A table without geometry has no CRS to reproject: plain GeoJSON (features with null geometry).
                if (layer.kind == GeometryKind::none)
                    write_one_layer(*ds, layer, nullptr, path, {"WRITE_BBOX=NO", nullptr});
                else
                    write_one_layer(*ds, layer, layer_srs, path,
                                    // WRAPDATELINE=NO: GDAL's antimeridian wrapping turns a one-part
                                    // Multi* into a single geometry, so a layer would mix types.
                                    {"RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_BBOX=NO", "WRAPDATELINE=NO", nullptr},
                                    to_wgs84.get());
                close_checked(ds, path);
            }
        }
        if (fs::exists(target)) fs::remove_all(target);
        fs::rename(tmp, target);
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

namespace {

/// A PostgreSQL connection opened for writing, with the SQL helper the writer needs.
struct PgTarget {
    std::string label;
    GDALDatasetUniquePtr ds;

    PgTarget(const std::string& connection, const std::string& schema) : label("PostgreSQL schema " + schema) {
        // The label never holds the connection string: it may carry a password.
        init_gdal();
        const std::string conn = with_connect_timeout(connection);
        CPLErrorReset();
        const char* const drivers[] = {"PostgreSQL", nullptr};
        ds.reset(GDALDataset::Open(conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, nullptr, nullptr));
        if (!ds)
            throw output_error("cannot connect to PostgreSQL: " + detail::last_gdal_error("no answer"), ErrorContext{label},
                               "check the connection string (host, port, dbname, user) and that the server is running");
    }
    /// Runs a statement; returns the first column of the first row (-1 when none).
    std::int64_t sql(const std::string& query) {
        CPLErrorReset();
        OGRLayer* r = ds->ExecuteSQL(query.c_str(), nullptr, nullptr);
        const bool failed = CPLGetLastErrorType() >= CE_Failure;
        const std::string err = failed ? detail::last_gdal_error() : std::string();
        std::int64_t first = -1;
        if (r) {
            detail::FeaturePtr f(r->GetNextFeature());
            if (f) first = f->GetFieldAsInteger64(0);
            ds->ReleaseResultSet(r);
        }
        if (failed) throw output_error("PostgreSQL: " + err, ErrorContext{label});
        return first;
    }
    void check_schema(const std::string& schema, bool overwrite) {
        const std::int64_t exists = sql("SELECT count(*) AS n FROM pg_namespace WHERE nspname = '" + schema + "'");
        if (exists > 0 && !overwrite)
            throw output_error("the schema already exists", ErrorContext{label},
                               "pass --overwrite to replace it, or choose another --schema");
    }
};

std::string quoted(const std::string& id) { return "\"" + id + "\""; }

} // namespace

void check_postgis_output_gdal(const std::string& connection, const std::string& schema, const WriteOptions& options) {
    PgTarget pg(connection, schema);
    pg.check_schema(schema, options.overwrite);
}

void write_layers_postgis_gdal(const std::string& connection, const std::string& schema, const CrsRef& crs,
                          const std::vector<OutLayer>& layers, const WriteOptions& options) {
    PgTarget pg(connection, schema);
    const std::string& label = pg.label;
    auto& ds = pg.ds;
    auto sql = [&](const std::string& q) { return pg.sql(q); };
    pg.check_schema(schema, options.overwrite);
    const std::string tmp = fmt::format("plan_tmp_{}_{}", ::getpid(), schema).substr(0, 63);

    detail::SpatialRefPtr srs;
    if (!crs.wkt.empty()) {
        srs.reset(new OGRSpatialReference());
        srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (srs->importFromWkt(crs.wkt.c_str()) != OGRERR_NONE)
            throw output_error("the result CRS cannot be written: " + crs.label(), ErrorContext{label});
    }
    sql("DROP SCHEMA IF EXISTS " + quoted(tmp) + " CASCADE");
    sql("CREATE SCHEMA " + quoted(tmp));
    try {
        const std::string schema_option = "SCHEMA=" + tmp;
        for (const auto& layer : layers)
            write_one_layer(*ds, layer, srs.get(), label,
                            {schema_option.c_str(), "GEOMETRY_NAME=geom", "FID=fid", "LAUNDER=NO", "SPATIAL_INDEX=GIST",
                             nullptr});
        ds->FlushCache(true);
        // One transaction: readers see the old schema or the new one, never a mix.
        sql("BEGIN; DROP SCHEMA IF EXISTS " + quoted(schema) + " CASCADE; ALTER SCHEMA " + quoted(tmp) + " RENAME TO " +
            quoted(schema) + "; COMMIT");
    } catch (...) {
        try {
            sql("ROLLBACK");
        } catch (...) {
        }
        try {
            sql("DROP SCHEMA IF EXISTS " + quoted(tmp) + " CASCADE");
        } catch (...) {
        }
        throw;
    }
}

} // namespace plan
