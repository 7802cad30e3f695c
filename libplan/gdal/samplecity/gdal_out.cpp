#include "samplecity/gdal_out.hpp"
#include "module_impl.hpp"

#include <memory>
#include <optional>
#include <system_error>

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "plan/error.hpp"
#include "plan/source.hpp"

namespace plan::samplecity {

namespace fs = std::filesystem;

namespace {

ErrorContext where(const std::string& file, const std::string& layer = {}, std::optional<std::int64_t> feature = {},
                   const std::string& field = {}) {
    ErrorContext c;
    c.file = file;
    c.layer = layer;
    c.feature = feature;
    c.field = field;
    return c;
}

/// Sets a GDAL configuration option for the lifetime of the guard.
class ConfigOption {
public:
    ConfigOption(const char* key, const char* value) : key_(key) {
        if (const char* old = CPLGetConfigOption(key, nullptr)) old_ = old, had_ = true;
        CPLSetConfigOption(key, value);
    }
    ~ConfigOption() { CPLSetConfigOption(key_, had_ ? old_.c_str() : nullptr); }
    ConfigOption(const ConfigOption&) = delete;
    ConfigOption& operator=(const ConfigOption&) = delete;

private:
    const char* key_;
    std::string old_;
    bool had_ = false;
};

OGRFieldType ogr_type(FieldType t) {
    switch (t) {
    case FieldType::integer: return OFTInteger64;
    case FieldType::real: return OFTReal;
    default: return OFTString;
    }
}

OGRwkbGeometryType ogr_geometry_type(const OutLayer& l) {
    switch (l.kind) {
    case GeometryKind::point: return l.multi ? wkbMultiPoint : wkbPoint;
    case GeometryKind::line: return l.multi ? wkbMultiLineString : wkbLineString;
    case GeometryKind::polygon: return l.multi ? wkbMultiPolygon : wkbPolygon;
    case GeometryKind::none: return wkbNone;
    }
    return wkbNone;
}

std::unique_ptr<OGRGeometry> make_geometry(const OutLayer& layer, const Geometry& g, const std::string& file) {
    auto ring_of = [](const Ring& r) {
        auto ring = std::make_unique<OGRLinearRing>();
        ring->setNumPoints(static_cast<int>(r.size()), FALSE);
        for (std::size_t i = 0; i < r.size(); ++i) ring->setPoint(static_cast<int>(i), r[i].x, r[i].y);
        return ring;
    };
    switch (layer.kind) {
    case GeometryKind::point:
        if (g.points.size() != 1) break;
        return std::make_unique<OGRPoint>(g.points[0].x, g.points[0].y);
    case GeometryKind::line: {
        if (g.lines.size() != 1) break;
        auto l = std::make_unique<OGRLineString>();
        l->setNumPoints(static_cast<int>(g.lines[0].size()), FALSE);
        for (std::size_t i = 0; i < g.lines[0].size(); ++i) l->setPoint(static_cast<int>(i), g.lines[0][i].x, g.lines[0][i].y);
        return l;
    }
    case GeometryKind::polygon: {
        if (g.polygons.size() != 1) break;
        auto p = std::make_unique<OGRPolygon>();
        for (const auto& r : g.polygons[0].rings) p->addRingDirectly(ring_of(r).release());
        return p;
    }
    case GeometryKind::none: return nullptr;
    }
    throw processing_error("sample city: a feature does not match its layer's geometry type", where(file, layer.name));
}

void fill_fields(OGRFeature& f, const OutLayer& layer, const OutFeature& feature) {
    for (std::size_t i = 0; i < layer.fields.size() && i < feature.values.size(); ++i) {
        const auto& v = feature.values[i];
        const int idx = static_cast<int>(i);
        if (const auto* n = std::get_if<std::int64_t>(&v)) f.SetField(idx, static_cast<GIntBig>(*n));
        else if (const auto* d = std::get_if<double>(&v)) f.SetField(idx, *d);
        else if (const auto* s = std::get_if<std::string>(&v)) f.SetField(idx, s->c_str());
        else f.SetFieldNull(idx);
    }
}

fs::path temporary_for(const fs::path& file) {
    fs::path tmp = file;
    tmp.replace_filename(".tmp-" + file.stem().string() + file.extension().string());
    return tmp;
}

void finish_rename(const fs::path& tmp, const fs::path& file) {
    std::error_code ec;
    fs::rename(tmp, file, ec);
    if (ec) throw output_error("cannot replace " + file.string() + ": " + ec.message(), where(file.string()));
}

} // namespace

struct WriterState {
    fs::path file, tmp;
    std::string driver_name;
    GDALDatasetUniquePtr ds;
    OGRSpatialReference srs;
    OGRLayer* layer = nullptr;
    OutLayer schema;
    bool transaction = false;
    std::int64_t written = 0;
    std::unique_ptr<ConfigOption> date, synchronous;

    void commit() {
        if (transaction && ds->CommitTransaction() != OGRERR_NONE)
            throw output_error("cannot commit: " + std::string(CPLGetLastErrorMsg()), where(file.string(), schema.name));
        transaction = false;
    }
};

GdalDatasetWriter::GdalDatasetWriter(const char* driver_name, const fs::path& file) : impl_(std::make_unique<WriterState>()) {
    init_gdal();
    impl_->date = std::make_unique<ConfigOption>("OGR_CURRENT_DATE", kPinnedDate);
    // No fsync while writing: the file is temporary until renamed, and a crash
    // leaves only the temporary behind.
    impl_->synchronous = std::make_unique<ConfigOption>("OGR_SQLITE_SYNCHRONOUS", "OFF");
    impl_->file = file;
    impl_->tmp = temporary_for(file);
    impl_->driver_name = driver_name;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    if (!driver) throw output_error(std::string("GDAL has no ") + driver_name + " driver", where(file.string()));
    std::error_code ec;
    fs::remove(impl_->tmp, ec);
    impl_->ds.reset(driver->Create(impl_->tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!impl_->ds) throw output_error("cannot create " + impl_->tmp.string() + ": " + CPLGetLastErrorMsg(), where(file.string()));
    impl_->srs.importFromEPSG(4548);
    impl_->srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
}

GdalDatasetWriter::~GdalDatasetWriter() {
    if (!impl_ || !impl_->ds) return;
    impl_->ds.reset();
    std::error_code ec;
    fs::remove(impl_->tmp, ec); // unfinished: leave nothing behind
}

void GdalDatasetWriter::layer(const OutLayer& schema, bool spatial_index) {
    WriterState& m = *impl_;
    m.commit();
    m.schema = OutLayer{schema.name, schema.kind, schema.multi, schema.fields, {}};
    CPLStringList options;
    if (m.driver_name == "GPKG") {
        options.SetNameValue("GEOMETRY_NAME", "geom");
        options.SetNameValue("FID", "fid");
        options.SetNameValue("SPATIAL_INDEX", schema.kind == GeometryKind::none || !spatial_index ? "NO" : "YES");
    }
    m.layer = m.ds->CreateLayer(schema.name.c_str(), schema.kind == GeometryKind::none ? nullptr : &m.srs,
                                ogr_geometry_type(schema), options.List());
    if (!m.layer) throw output_error("cannot create layer: " + std::string(CPLGetLastErrorMsg()), where(m.file.string(), schema.name));
    for (const auto& field : schema.fields) {
        OGRFieldDefn def(field.name.c_str(), ogr_type(field.type));
        if (m.layer->CreateField(&def) != OGRERR_NONE)
            throw output_error("cannot create field", where(m.file.string(), schema.name, {}, field.name));
    }
    m.transaction = m.layer->TestCapability(OLCTransactions) && m.ds->StartTransaction() == OGRERR_NONE;
    m.written = 0;
}

void GdalDatasetWriter::add(const OutFeature& feature) {
    WriterState& m = *impl_;
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(m.layer->GetLayerDefn()));
    fill_fields(*f, m.schema, feature);
    if (auto g = make_geometry(m.schema, feature.geometry, m.file.string())) f->SetGeometryDirectly(g.release());
    if (m.layer->CreateFeature(f.get()) != OGRERR_NONE)
        throw output_error("cannot write feature: " + std::string(CPLGetLastErrorMsg()), where(m.file.string(), m.schema.name, m.written));
    ++m.written;
}

void GdalDatasetWriter::finish() {
    WriterState& m = *impl_;
    m.commit();
    CPLErrorReset();
    m.ds.reset(); // closing flushes the file
    if (CPLGetLastErrorType() >= CE_Failure)
        throw output_error("cannot close: " + std::string(CPLGetLastErrorMsg()), where(m.file.string()));
    finish_rename(m.tmp, m.file);
}

void compare_vector_files_gdal(const fs::path& expected, const fs::path& actual, std::vector<std::string>& diffs, std::size_t limit) {
    init_gdal();
    auto note = [&](const std::string& what) {
        if (diffs.size() < limit) diffs.push_back(actual.filename().string() + ": " + what);
    };
    GDALDatasetUniquePtr a(GDALDataset::Open(expected.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    GDALDatasetUniquePtr b(GDALDataset::Open(actual.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!a || !b) {
        note("cannot open " + (!a ? expected.string() : actual.string()));
        return;
    }
    if (a->GetLayerCount() != b->GetLayerCount()) {
        note("layer count " + std::to_string(a->GetLayerCount()) + " vs " + std::to_string(b->GetLayerCount()));
        return;
    }
    for (int li = 0; li < a->GetLayerCount(); ++li) {
        OGRLayer* la = a->GetLayer(li);
        OGRLayer* lb = b->GetLayer(li);
        const std::string name = la->GetName();
        if (name != lb->GetName()) { note("layer " + name + " vs " + lb->GetName()); continue; }
        OGRFeatureDefn* da = la->GetLayerDefn();
        OGRFeatureDefn* db = lb->GetLayerDefn();
        if (da->GetFieldCount() != db->GetFieldCount()) { note(name + ": field count differs"); continue; }
        for (int i = 0; i < da->GetFieldCount(); ++i)
            if (std::string(da->GetFieldDefn(i)->GetNameRef()) != db->GetFieldDefn(i)->GetNameRef() ||
                da->GetFieldDefn(i)->GetType() != db->GetFieldDefn(i)->GetType())
                note(name + ": field " + da->GetFieldDefn(i)->GetNameRef() + " differs");
        la->ResetReading();
        lb->ResetReading();
        std::int64_t n = 0;
        for (;;) {
            OGRFeatureUniquePtr fa(la->GetNextFeature());
            OGRFeatureUniquePtr fb(lb->GetNextFeature());
            if (!fa && !fb) break;
            ++n;
            if (!fa || !fb) { note(name + ": feature count differs (at feature " + std::to_string(n) + ")"); break; }
            const std::string where = name + " feature " + std::to_string(fa->GetFID());
            if (fa->GetFID() != fb->GetFID()) note(where + ": fid " + std::to_string(fb->GetFID()));
            for (int i = 0; i < da->GetFieldCount(); ++i) {
                const bool sa = fa->IsFieldSetAndNotNull(i), sb = fb->IsFieldSetAndNotNull(i);
                const std::string va = sa ? fa->GetFieldAsString(i) : "<null>", vb = sb ? fb->GetFieldAsString(i) : "<null>";
                if (va != vb) note(where + ": " + da->GetFieldDefn(i)->GetNameRef() + " = '" + vb + "', expected '" + va + "'");
            }
            const OGRGeometry* ga = fa->GetGeometryRef();
            const OGRGeometry* gb = fb->GetGeometryRef();
            if (!ga != !gb) { note(where + ": geometry presence differs"); continue; }
            if (ga) {
                const auto size = ga->WkbSize();
                if (size != gb->WkbSize()) { note(where + ": geometry differs"); continue; }
                std::vector<unsigned char> wa(size), wb(size);
                ga->exportToWkb(wkbNDR, wa.data());
                gb->exportToWkb(wkbNDR, wb.data());
                if (wa != wb) note(where + ": geometry differs");
            }
        }
    }
}

} // namespace plan::samplecity
