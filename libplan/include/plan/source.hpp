#pragma once
// The input layer: any GDAL vector source (a file path or a connection string
// such as "PG:dbname=city"), a layer by name or index, an attribute filter and
// a bounding box; geometries reprojected to the metric CRS of the analysis and
// text decoded to UTF-8 whatever the source's encoding.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plan/crs.hpp"
#include "plan/layer.hpp"

namespace plan {

/// How to read a layer. Every member has a sensible default.
struct ReadOptions {
    std::string where;               ///< OGR SQL attribute filter (--where)
    std::optional<Envelope> bbox;    ///< spatial filter in the layer's own CRS (--bbox)
    std::string src_crs;             ///< CRS to assume for the source (--src-crs), incl. GCJ02 / BD09
    std::string encoding;            ///< text encoding to assume (--encoding), e.g. GB18030, UTF-8
    /// Target CRS: "" = automatic metric CRS (see choose_metric_crs), "source" =
    /// keep the source CRS, else anything crs_from_user accepts (--crs).
    std::string target_crs;
    /// The geometry kind wanted; features of another kind are skipped and
    /// counted, and a layer with none of this kind is an input_error.
    std::optional<GeometryKind> want;
    /// Called as features are read (done, total or -1 when unknown).
    std::function<void(std::int64_t, std::int64_t)> progress;
};

struct FieldInfo {
    std::string name;
    std::string type;      ///< GDAL type name: Integer, Integer64, Real, String, Date, ...
    int width = 0;
};

/// What `plan info` tells about one layer.
struct LayerInfo {
    std::string name;
    int index = 0;
    std::string geometry_type;      ///< "LineString", "MultiPolygon", "None", ...
    std::int64_t feature_count = 0; ///< exact: scanned when the driver does not know it
    bool count_scanned = false;     ///< the driver reported -1, the layer was scanned
    Envelope extent;                ///< in the source CRS (exact, from the data)
    Envelope extent_wgs84;          ///< lon/lat
    CrsRef crs;                     ///< the source CRS (unknown: crs.known() == false)
    std::string crs_note;           ///< e.g. "no CRS; coordinates in lon/lat range: WGS84 assumed"
    std::string encoding;           ///< detected or declared text encoding
    std::string encoding_note;      ///< how the encoding was decided
    std::vector<FieldInfo> fields;
    CrsRef metric_crs;              ///< the CRS analyses will use
    std::string metric_note;        ///< why: "source is geographic", "scale error 56 % ..."
    std::vector<Feature> sample;    ///< the first N features' attributes (--sample N)
};

/// An open GDAL vector source. Move-only; closes on destruction.
class VectorSource {
public:
    /// Opens read-only. Throws input_error naming the path when it cannot be opened.
    /// `encoding` forces the text encoding of Shapefile/CSV attributes ("" = detect).
    explicit VectorSource(const std::string& path, const std::string& encoding = {});
    ~VectorSource();
    VectorSource(VectorSource&&) noexcept;
    VectorSource& operator=(VectorSource&&) noexcept;
    VectorSource(const VectorSource&) = delete;
    VectorSource& operator=(const VectorSource&) = delete;

    const std::string& path() const;
    std::string driver() const;
    std::vector<std::string> layer_names() const;
    /// Resolves a layer given by name or by 0-based index ("" = the first layer
    /// that has a geometry). Throws input_error listing the layers when unknown.
    int resolve_layer(const std::string& name_or_index) const;

    LayerInfo info(int layer_index, int sample = 0, const std::string& src_crs = {},
                   const std::string& target_crs = {});
    Layer read(int layer_index, const ReadOptions& options = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// A source and a layer in one string, as QGIS writes OGR data sources:
/// "landuse.gpkg|layername=zones" or "roads.gpkg|layerid=0". Returns the path
/// and the layer ("" when the string names none).
struct LayerUri {
    std::string path;
    std::string layer;
};
LayerUri split_layer_uri(const std::string& text);

/// Convenience: open `path`, resolve `layer` and read it. `path` may carry
/// its layer QGIS-style ("file.gpkg|layername=zones"); an explicit `layer` wins.
Layer read_layer(const std::string& path, const std::string& layer = {}, const ReadOptions& options = {});

/// True for the OSM files that read_osm_roads takes: *.osm, *.pbf, *.osm.bz2, *.osm.gz.
bool is_osm_file(const std::string& path);

/// Which reader takes an OSM file in read_osm_roads.
enum class OsmReader {
    automatic, ///< native, unless PLAN_OSM_READER=gdal, or a --where (OGR SQL) or --bbox filter is given
    native,    ///< libosmium, one pass over the file (docs/input.md)
    gdal       ///< GDAL's OSM driver: layer `lines`, then `multipolygons` (two passes)
};

/// The road ways of an OSM file as `plan network` takes them. Both layers carry
/// the fields of GDAL's OSM driver (`lines`: osm_id, name, highway, waterway,
/// aerialway, barrier, man_made, railway, z_order, other_tags; `multipolygons`:
/// osm_id, osm_way_id, name, type, ... other_tags), FIDs are OSM way ids.
struct OsmRoads {
    /// Ways that GDAL puts in `lines` (not closed areas). The native reader keeps
    /// only those with a `highway` tag; GDAL's keeps every way with a tag.
    Layer lines;
    /// Closed highway ways that GDAL reads as areas (area=yes, or a tag of
    /// osmconf.ini's closed_ways_are_polygons such as amenity) and keeps as
    /// standalone polygons: their rings as line features, in `lines`'s CRS.
    /// Layer name `multipolygons`; no features when there are none.
    Layer areas;
    OsmReader reader = OsmReader::native; ///< the reader that was used
    std::int64_t ways_with_missing_nodes = 0; ///< (native) highway ways that lost nodes absent from the file
    std::int64_t missing_node_refs = 0;       ///< (native) their node references that were not found
};

/// Reads an OSM file's roads (see OsmRoads). options.want is ignored (lines are
/// wanted); where and bbox go to GDAL (the native reader refuses them). Throws
/// input_error naming the file for a truncated or corrupt file, and when the file
/// holds no highway way.
OsmRoads read_osm_roads(const std::string& path, const ReadOptions& options = {},
                        OsmReader reader = OsmReader::automatic);

/// Installs libplan's GDAL error handler (once per process) and registers drivers.
void init_gdal();

} // namespace plan
