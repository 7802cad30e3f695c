// QGIS's `layer_styles` table in a GeoPackage: the default style of each
// layer, so that the GeoPackage alone opens styled. Same schema as QGIS writes.
#include <filesystem>
#include <unistd.h>

#include <fmt/format.h>

#include "plan/error.hpp"
#include "plan/qgis.hpp"
#include "plan/source.hpp"
#include "module_impl.hpp"
#include "qgis/gpkg.hpp"
#include "qgis/style.hpp"

namespace fs = std::filesystem;

namespace plan::qgis {

GDALDatasetUniquePtr open_gpkg(const std::string& path, bool update) {
    init_gdal();
    if (!fs::is_regular_file(path)) throw output_error("the GeoPackage does not exist", ErrorContext{path});
    const char* drivers[] = {"GPKG", nullptr};
    CPLErrorReset();
    GDALDatasetUniquePtr ds(GDALDataset::FromHandle(GDALOpenEx(
        path.c_str(), GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY), drivers, nullptr, nullptr)));
    if (!ds) throw output_error("cannot open the GeoPackage: " + detail::last_gdal_error(), ErrorContext{path});
    return ds;
}

void complete_breaks(GDALDataset& ds, std::vector<StyledLayer>& layers) {
    for (auto& layer : layers)
        for (const auto& field : graduated_fields(layer)) {
            if (layer.breaks.count(field)) continue;
            OGRLayer* l = ds.GetLayerByName(layer.table.c_str());
            if (!l) continue;
            const int idx = l->GetLayerDefn()->GetFieldIndex(field.c_str());
            if (idx < 0) continue;
            std::vector<double> values;
            l->ResetReading();
            for (auto& f : *l)
                if (f->IsFieldSetAndNotNull(idx)) values.push_back(f->GetFieldAsDouble(idx));
            layer.breaks[field] = quantile_breaks(std::move(values));
        }
}

PinnedDate::PinnedDate() {
    if (!CPLGetConfigOption("OGR_CURRENT_DATE", nullptr)) {
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
        set = true;
    }
}
PinnedDate::~PinnedDate() {
    if (set) CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
}
std::string PinnedDate::current() {
    const char* d = CPLGetConfigOption("OGR_CURRENT_DATE", nullptr);
    return d ? d : "2000-01-01T00:00:00.000Z";
}

std::string temp_sibling(const std::string& target) {
    const fs::path t = fs::absolute(fs::path(target));
    return (t.parent_path() / fmt::format(".tmp-{}-{}", ::getpid(), t.filename().string())).string();
}

namespace {

std::string sql_text(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

OGRLayer* styles_table(GDALDataset& ds, const std::string& path) {
    if (OGRLayer* l = ds.GetLayerByName("layer_styles")) return l;
    const char* options[] = {"FID=id", nullptr};
    OGRLayer* l = ds.CreateLayer("layer_styles", nullptr, wkbNone, const_cast<char**>(options));
    if (!l) throw output_error("cannot create the layer_styles table: " + detail::last_gdal_error(), ErrorContext{path});
    auto add = [&](const char* name, OGRFieldType type, int width = 0, OGRFieldSubType sub = OFSTNone) {
        OGRFieldDefn fd(name, type);
        fd.SetWidth(width);
        fd.SetSubType(sub);
        if (l->CreateField(&fd) != OGRERR_NONE)
            throw output_error(fmt::format("cannot create field '{}' of layer_styles: {}", name, detail::last_gdal_error()),
                               ErrorContext{path});
    };
    add("f_table_catalog", OFTString, 256);
    add("f_table_schema", OFTString, 256);
    add("f_table_name", OFTString, 256);
    add("f_geometry_column", OFTString, 256);
    add("styleName", OFTString, 256); // QGIS uses 30; scenario tables such as river_bridge__skeleton_crossings are longer
    add("styleQML", OFTString);
    add("styleSLD", OFTString);
    add("useAsDefault", OFTInteger, 0, OFSTBoolean);
    add("description", OFTString);
    add("owner", OFTString, 30);
    add("ui", OFTString, 30);
    add("update_time", OFTDateTime);
    return l;
}

} // namespace
} // namespace plan::qgis

namespace plan {

void write_layer_styles_gdal(const std::string& gpkg_path, const std::vector<StyledLayer>& layers_in) {
    using namespace qgis;
    init_gdal();
    const std::string tmp = temp_sibling(gpkg_path);
    std::error_code ec;
    if (!fs::is_regular_file(gpkg_path)) throw output_error("the GeoPackage does not exist", ErrorContext{gpkg_path});
    fs::remove(tmp, ec);
    PinnedDate pinned;
    try {
        fs::copy_file(gpkg_path, tmp, ec);
        if (ec) throw output_error("cannot copy the GeoPackage to " + tmp + ": " + ec.message(), ErrorContext{gpkg_path});
        {
            GDALDatasetUniquePtr ds = open_gpkg(tmp, true);
            std::vector<StyledLayer> layers = layers_in;
            for (const auto& l : layers)
                if (!ds->GetLayerByName(l.table.c_str()))
                    throw output_error("no such layer to style", ErrorContext{gpkg_path, l.table});
            complete_breaks(*ds, layers);
            OGRLayer* styles = styles_table(*ds, gpkg_path);
            if (ds->StartTransaction() != OGRERR_NONE)
                throw output_error("cannot start a transaction: " + detail::last_gdal_error(), ErrorContext{gpkg_path});
            for (const auto& l : layers) {
                OGRLayer* res = ds->ExecuteSQL(
                    ("DELETE FROM layer_styles WHERE f_table_name = " + sql_text(l.table)).c_str(), nullptr, nullptr);
                if (res) ds->ReleaseResultSet(res);
            }
            styles = ds->GetLayerByName("layer_styles");
            OGRFeatureDefn* defn = styles->GetLayerDefn();
            for (const auto& l : layers) {
                OGRLayer* data = ds->GetLayerByName(l.table.c_str());
                const char* geom = data->GetGeometryColumn();
                detail::FeaturePtr f(OGRFeature::CreateFeature(defn));
                f->SetField("f_table_catalog", "");
                f->SetField("f_table_schema", "");
                f->SetField("f_table_name", l.table.c_str());
                f->SetField("f_geometry_column", geom ? geom : "");
                f->SetField("styleName", l.table.c_str());
                f->SetField("styleQML", layer_style_qml(l).c_str());
                f->SetField("styleSLD", "");
                f->SetField("useAsDefault", 1);
                f->SetField("description", fmt::format("libplan: {} ({})", l.kind, l.group).c_str());
                f->SetField("owner", "");
                f->SetField("ui", "");
                f->SetField("update_time", PinnedDate::current().c_str());
                if (styles->CreateFeature(f.get()) != OGRERR_NONE)
                    throw output_error("cannot write the style: " + detail::last_gdal_error(), ErrorContext{gpkg_path, l.table});
            }
            if (ds->CommitTransaction() != OGRERR_NONE)
                throw output_error("cannot commit the styles: " + detail::last_gdal_error(), ErrorContext{gpkg_path});
            CPLErrorReset();
            ds->FlushCache(true);
            ds.reset();
            if (CPLGetLastErrorType() >= CE_Failure)
                throw output_error("cannot finish writing: " + detail::last_gdal_error(), ErrorContext{gpkg_path});
        }
        fs::rename(tmp, gpkg_path, ec);
        if (ec) throw output_error("cannot replace the GeoPackage: " + ec.message(), ErrorContext{gpkg_path});
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
}

} // namespace plan
