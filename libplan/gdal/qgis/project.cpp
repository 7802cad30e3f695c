// The QGIS project (.qgz): a .qgs document written here, zipped with GDAL's
// CPLCreateZip (GDAL is already libplan's I/O layer, so no other zip library;
// entries get a fixed timestamp, so the same input gives the same bytes).
#include <algorithm>
#include <cstdint>
#include <filesystem>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <fmt/format.h>

#include "plan/error.hpp"
#include "plan/qgis.hpp"
#include "plan/source.hpp"
#include "module_impl.hpp"
#include "qgis/gpkg.hpp"
#include "qgis/style.hpp"

namespace fs = std::filesystem;

namespace plan {
namespace {

using qgis::xml_escape;

/// A stable layer id from the table name: its safe characters and a hash.
std::string layer_id(const std::string& table) {
    std::uint32_t h = 2166136261u; // FNV-1a
    std::string safe;
    for (unsigned char c : table) {
        h = (h ^ c) * 16777619u;
        safe += std::isalnum(c) ? static_cast<char>(c) : '_';
    }
    return fmt::format("{}_{:08x}", safe, h);
}

std::string srs_xml(const CrsRef& crs, int indent) {
    const std::string pad(indent, ' ');
    std::string out = pad + "<spatialrefsys>\n";
    out += pad + " <wkt>" + xml_escape(crs.wkt) + "</wkt>\n";
    out += pad + " <authid>" + (crs.epsg ? fmt::format("EPSG:{}", crs.epsg) : std::string()) + "</authid>\n";
    out += pad + " <description>" + xml_escape(crs.name) + "</description>\n";
    out += pad + " <geographicflag>" + (crs.geographic ? "true" : "false") + "</geographicflag>\n";
    out += pad + "</spatialrefsys>\n";
    return out;
}

/// Order in a group, top (drawn last) first: points, then the findings drawn
/// as lines (gaps, changes, the skeleton over the network), the network, polygons.
int draw_rank(const StyledLayer& l) {
    static const char* const lines[] = {"gaps", "skeleton_gaps", "selection", "changes", "candidates", "skeleton_lines",
                                        "critical_links", "edges", "centrality", "components"};
    switch (l.geometry) {
    case GeometryKind::point: return 0;
    case GeometryKind::line:
        for (int i = 0; i < 10; ++i)
            if (l.kind == lines[i]) return 1 + i;
        return 11;
    case GeometryKind::polygon: return 12;
    default: return 13;
    }
}

/// Layers shown when the project opens; the others are in the tree, unticked.
bool shown(const StyledLayer& l) {
    static const char* const hidden[] = {"nodes", "components", "critical_links", "centrality", "od_pairs", "access",
                                         "enterprises", "zones"};
    return std::none_of(std::begin(hidden), std::end(hidden), [&](const char* h) { return l.kind == h; });
}

const char* geometry_name(GeometryKind g) {
    switch (g) {
    case GeometryKind::point: return "Point";
    case GeometryKind::line: return "Line";
    case GeometryKind::polygon: return "Polygon";
    default: return "No geometry";
    }
}

std::string project_xml(const std::string& gpkg, const std::vector<StyledLayer>& layers, const CrsRef& crs,
                        const Envelope& extent, const std::string& title) {
    // Groups: base first, then scenarios in order of first appearance; in each
    // group points above lines above polygons (the tree's top draws on top).
    std::vector<std::string> groups;
    for (const auto& l : layers)
        if (std::find(groups.begin(), groups.end(), l.group) == groups.end()) groups.push_back(l.group);
    std::stable_partition(groups.begin(), groups.end(), [](const std::string& g) { return g == "base"; });
    std::vector<std::vector<const StyledLayer*>> members(groups.size());
    for (const auto& l : layers)
        members[std::find(groups.begin(), groups.end(), l.group) - groups.begin()].push_back(&l);
    for (auto& m : members)
        std::stable_sort(m.begin(), m.end(), [](const StyledLayer* a, const StyledLayer* b) {
            return draw_rank(*a) < draw_rank(*b);
        });
    const std::string source_prefix = "./" + fs::path(gpkg).generic_string() + "|layername=";

    std::string x = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    x += fmt::format("<qgis version=\"3.22.16-Białowieża\" projectname=\"{}\">\n", xml_escape(title));
    x += " <homePath path=\"\"/>\n";
    x += " <title>" + xml_escape(title) + "</title>\n";
    x += " <projectCrs>\n" + srs_xml(crs, 2) + " </projectCrs>\n";
    x += " <layer-tree-group>\n  <customproperties/>\n";
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const bool base = groups[g] == "base" || g == 0;
        x += fmt::format("  <layer-tree-group name=\"{}\" checked=\"{}\" expanded=\"{}\">\n   <customproperties/>\n",
                         xml_escape(groups[g]), base ? "Qt::Checked" : "Qt::Unchecked", base ? 1 : 0);
        for (const StyledLayer* l : members[g])
            x += fmt::format("   <layer-tree-layer id=\"{}\" name=\"{}\" source=\"{}\" providerKey=\"ogr\" checked=\"{}\" "
                             "expanded=\"{}\">\n    <customproperties/>\n   </layer-tree-layer>\n",
                             layer_id(l->table), xml_escape(l->table), xml_escape(source_prefix + l->table),
                             shown(*l) ? "Qt::Checked" : "Qt::Unchecked", shown(*l) ? 1 : 0);
        x += "  </layer-tree-group>\n";
    }
    x += " </layer-tree-group>\n";
    x += " <projectlayers>\n";
    for (const auto& m : members)
        for (const StyledLayer* l : m) {
            x += fmt::format("  <maplayer type=\"vector\" geometry=\"{}\" styleCategories=\"AllStyleCategories\" "
                             "labelsEnabled=\"0\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\" "
                             "readOnly=\"0\">\n",
                             geometry_name(l->geometry));
            x += "   <id>" + layer_id(l->table) + "</id>\n";
            x += "   <datasource>" + xml_escape(source_prefix + l->table) + "</datasource>\n";
            x += "   <layername>" + xml_escape(l->table) + "</layername>\n";
            if (l->geometry != GeometryKind::none) x += "   <srs>\n" + srs_xml(crs, 4) + "   </srs>\n";
            x += "   <provider encoding=\"UTF-8\">ogr</provider>\n";
            x += "   <map-layer-style-manager current=\"default\">\n    <map-layer-style name=\"default\"/>\n"
                 "   </map-layer-style-manager>\n";
            x += qgis::renderer_xml(qgis::make_style(*l), 3);
            x += "   <blendMode>0</blendMode>\n   <featureBlendMode>0</featureBlendMode>\n   <layerOpacity>1</layerOpacity>\n";
            x += "  </maplayer>\n";
        }
    x += " </projectlayers>\n";
    x += " <layerorder>\n";
    for (const auto& m : members)
        for (const StyledLayer* l : m) x += "  <layer id=\"" + layer_id(l->table) + "\"/>\n";
    x += " </layerorder>\n";
    x += " <properties>\n  <Paths>\n   <Absolute type=\"bool\">false</Absolute>\n  </Paths>\n";
    x += "  <SpatialRefSys>\n   <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n  </SpatialRefSys>\n";
    x += " </properties>\n";
    x += " <ProjectViewSettings rotation=\"0\" UseProjectScales=\"0\">\n  <Scales/>\n";
    if (!extent.empty()) {
        // A margin of 5 % so that features on the edge are not cut.
        const double mx = 0.05 * std::max(extent.width(), 1.0), my = 0.05 * std::max(extent.height(), 1.0);
        x += fmt::format("  <DefaultViewExtent xmin=\"{}\" ymin=\"{}\" xmax=\"{}\" ymax=\"{}\">\n",
                         qgis::number(extent.minx - mx), qgis::number(extent.miny - my), qgis::number(extent.maxx + mx),
                         qgis::number(extent.maxy + my));
        x += srs_xml(crs, 3) + "  </DefaultViewExtent>\n";
    }
    x += " </ProjectViewSettings>\n";
    x += " <projectMetadata>\n  <title>" + xml_escape(title) + "</title>\n  <author>libplan</author>\n </projectMetadata>\n";
    x += "</qgis>\n";
    return x;
}

void zip_one(const std::string& zip_path, const std::string& entry, const std::string& content,
             const std::string& error_path) {
    char** options = CSLSetNameValue(nullptr, "TIMESTAMP", "315532800"); // 1980-01-01, where GDAL honours it
    void* zip = CPLCreateZip(zip_path.c_str(), nullptr);
    bool ok = zip != nullptr;
    if (ok) ok = CPLCreateFileInZip(zip, entry.c_str(), options) == CE_None;
    if (ok) ok = CPLWriteFileInZip(zip, content.data(), static_cast<int>(content.size())) == CE_None;
    if (ok) ok = CPLCloseFileInZip(zip) == CE_None;
    if (zip && CPLCloseZip(zip) != CE_None) ok = false;
    CSLDestroy(options);
    if (!ok) throw output_error("cannot write the QGIS project: " + detail::last_gdal_error(), ErrorContext{error_path});
}

} // namespace

void write_qgis_project_gdal(const std::string& qgz_path, const std::string& gpkg_relative_path,
                        const std::vector<StyledLayer>& layers_in, const CrsRef& crs, const Envelope& extent,
                        const std::string& title) {
    init_gdal();
    const fs::path target = fs::absolute(fs::path(qgz_path));
    if (target.extension() != ".qgz")
        throw usage_error(fmt::format("a QGIS project must end in .qgz: '{}'", qgz_path));
    std::vector<StyledLayer> layers = layers_in;
    const fs::path gpkg = target.parent_path() / gpkg_relative_path;
    bool need_breaks = false;
    for (const auto& l : layers)
        for (const auto& f : qgis::graduated_fields(l)) need_breaks = need_breaks || !l.breaks.count(f);
    if (need_breaks && fs::is_regular_file(gpkg)) {
        GDALDatasetUniquePtr ds = qgis::open_gpkg(gpkg.string(), false);
        qgis::complete_breaks(*ds, layers);
    }
    const std::string xml = project_xml(gpkg_relative_path, layers, crs, extent, title);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    const std::string tmp = qgis::temp_sibling(target.string());
    fs::remove(tmp, ec);
    try {
        zip_one(tmp, target.stem().string() + ".qgs", xml, qgz_path);
        fs::rename(tmp, target, ec);
        if (ec) throw output_error("cannot write the QGIS project: " + ec.message(), ErrorContext{qgz_path});
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
}

} // namespace plan
