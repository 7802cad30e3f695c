// Reading a study's inputs into one metric CRS: the roads' (chosen as `plan
// network` chooses it) unless the study sets `crs`.
#include <fmt/format.h>

#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/output.hpp"
#include "plan/source.hpp"
#include "plan/study.hpp"

namespace plan {

namespace {

bool looks_osm(const std::string& path) {
    for (const std::string suffix : {".osm", ".pbf", ".osm.bz2"})
        if (path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
            return true;
    return false;
}

/// The source and layer of a reference; a PostGIS connection gets a connect timeout.
LayerUri uri_of(const std::string& ref) {
    LayerUri uri = split_layer_uri(ref);
    uri.path = with_connect_timeout(uri.path);
    return uri;
}

Layer read_one(const std::string& ref, const CrsRef& crs, std::optional<GeometryKind> want, const char* key) {
    ReadOptions r;
    r.target_crs = crs.wkt;
    r.want = want;
    const LayerUri uri = uri_of(ref);
    Layer layer = read_layer(uri.path, uri.layer, r);
    if (layer.source_crs.known() && layer.source_crs.wkt != crs.wkt)
        log::info(fmt::format("{} {}: reprojected from {} to {}", key, ref, layer.source_crs.label(), crs.label()));
    return layer;
}

/// Every layer of `ref` with lines or polygons (or only the one named by
/// |layername=), as `plan skeleton --barriers` reads them.
std::vector<Layer> read_barriers(const std::string& ref, const CrsRef& crs) {
    const LayerUri uri = uri_of(ref);
    ReadOptions r;
    r.target_crs = crs.wkt;
    VectorSource src(uri.path);
    std::vector<Layer> out;
    if (!uri.layer.empty()) {
        out.push_back(src.read(src.resolve_layer(uri.layer), r));
        return out;
    }
    const auto names = src.layer_names();
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        Layer l = src.read(i, r);
        bool usable = false;
        for (const auto& f : l.features) usable = usable || !f.geometry.lines.empty() || !f.geometry.polygons.empty();
        if (usable) out.push_back(std::move(l));
    }
    if (out.empty()) throw input_error("barriers: no line or polygon layer", ErrorContext{uri.path, {}, {}, {}, "barriers"});
    return out;
}

} // namespace

StudyData load_study_data(const StudyConfig& config) {
    const StudyInputs& in = config.inputs;
    if (in.roads.empty())
        throw config_error("no road layer: set roads = [...] in [inputs]", ErrorContext{config.path, {}, {}, {}, "roads"});
    StudyData data;
    std::vector<Layer> roads;
    for (const auto& ref : in.roads) {
        ReadOptions r;
        r.want = GeometryKind::line;
        r.target_crs = roads.empty() ? config.crs : roads.front().crs.wkt; // one CRS for all sources
        const LayerUri uri = uri_of(ref);
        roads.push_back(read_layer(uri.path, uri.layer.empty() && looks_osm(uri.path) ? "lines" : uri.layer, r));
    }
    std::vector<const Layer*> ptrs;
    for (const auto& l : roads) ptrs.push_back(&l);
    data.network = build_network(ptrs, config.options.build, &data.build_report);
    const CrsRef crs = data.network.crs();

    if (!in.parcels.empty()) data.parcels = read_one(in.parcels, crs, GeometryKind::polygon, "parcels");
    if (!in.enterprises.empty()) {
        ReadOptions r;
        r.target_crs = crs.wkt;
        const LayerUri uri = uri_of(in.enterprises);
        data.enterprises = read_layer(uri.path, uri.layer, r);
    }
    if (!in.zones.empty()) data.zones = read_one(in.zones, crs, GeometryKind::polygon, "zones");
    if (!in.parks.empty()) data.parks = read_one(in.parks, crs, GeometryKind::polygon, "parks");
    if (!in.boundary.empty()) data.boundary = read_one(in.boundary, crs, GeometryKind::polygon, "boundary");
    if (!in.od_origins.empty()) data.od_origins = read_one(in.od_origins, crs, std::nullopt, "od_origins");
    if (!in.od_destinations.empty())
        data.od_destinations = read_one(in.od_destinations, crs, std::nullopt, "od_destinations");
    if (data.od_origins.has_value() != data.od_destinations.has_value())
        throw config_error("od_origins and od_destinations go together", ErrorContext{config.path, {}, {}, {}, "od_origins"});
    for (const auto& ref : in.barriers)
        for (auto& l : read_barriers(ref, crs)) data.barriers.push_back(std::move(l));
    if (!in.skeleton.empty()) data.skeleton = SkeletonSpec::from_file(in.skeleton);
    if (data.parcels && data.enterprises) data.method = landuse::load_method(in.method.empty() ? "zhejiang" : in.method);
    return data;
}

} // namespace plan
