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

/// The read options the study gives this input (encoding, src_crs, where), if any.
ReadOptions options_for(const StudyConfig& config, const std::string& ref) {
    auto it = config.input_reads.find(ref);
    return it == config.input_reads.end() ? ReadOptions{} : it->second;
}

Layer read_one(const StudyConfig& config, const std::string& ref, const CrsRef& crs, std::optional<GeometryKind> want,
               const char* key) {
    ReadOptions r = options_for(config, ref);
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
std::vector<Layer> read_barriers(const StudyConfig& config, const std::string& ref, const CrsRef& crs) {
    const LayerUri uri = uri_of(ref);
    ReadOptions r = options_for(config, ref);
    r.target_crs = crs.wkt;
    VectorSource src(uri.path, r.encoding);
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

/// Runs `read` for the input `key`; an error reading it (a missing layer, an unreadable
/// file, a CRS that cannot be used) is reported as the study file's: file, line, key.
template <class F> auto for_input(const StudyConfig& config, const std::string& key, F&& read) {
    try {
        return read();
    } catch (const error& e) {
        ErrorContext at{config.path, {}, {}, {}, key};
        if (auto it = config.input_lines.find(key); it != config.input_lines.end()) at.line = it->second;
        const std::string detail = e.what();
        if (dynamic_cast<const crs_error*>(&e)) throw crs_error("input '" + key + "': " + detail, at, e.hint());
        if (dynamic_cast<const config_error*>(&e)) throw config_error("input '" + key + "': " + detail, at, e.hint());
        throw input_error("input '" + key + "': " + detail, at, e.hint());
    }
}

} // namespace

StudyData load_study_data(const StudyConfig& config) {
    const StudyInputs& in = config.inputs;
    if (in.roads.empty())
        throw config_error("no road layer: set roads = [...] in [inputs]", ErrorContext{config.path, {}, {}, {}, "roads"});
    StudyData data;
    std::vector<Layer> roads;
    for (const auto& ref : in.roads) {
        ReadOptions r = options_for(config, ref);
        r.want = GeometryKind::line;
        r.target_crs = roads.empty() ? config.crs : roads.front().crs.wkt; // one CRS for all sources
        const LayerUri uri = uri_of(ref);
        // The source as written in the study file labels it in the reports (summary.json does not
        // depend on where the study folder lies).
        const std::size_t i = &ref - in.roads.data();
        const std::string written =
            i < config.inputs_as_written.roads.size() ? split_layer_uri(config.inputs_as_written.roads[i]).path : uri.path;
        if (uri.layer.empty() && looks_osm(uri.path)) {
            // OSM, as plan network reads it: the highway ways and the closed highway areas.
            OsmRoads osm = for_input(config, "roads", [&] { return read_osm_roads(uri.path, r); });
            roads.push_back(std::move(osm.lines));
            roads.back().source = written;
            if (!osm.areas.features.empty()) {
                roads.push_back(std::move(osm.areas));
                roads.back().source = written;
            }
            continue;
        }
        roads.push_back(for_input(config, "roads", [&] { return read_layer(uri.path, uri.layer, r); }));
        roads.back().source = written;
    }
    std::vector<const Layer*> ptrs;
    for (const auto& l : roads) ptrs.push_back(&l);
    data.network = build_network(ptrs, config.options.build, &data.build_report);
    const CrsRef crs = data.network.crs();

    auto one = [&](const std::string& ref, std::optional<GeometryKind> want, const char* key) {
        return for_input(config, key, [&] { return read_one(config, ref, crs, want, key); });
    };
    if (!in.parcels.empty()) data.parcels = one(in.parcels, GeometryKind::polygon, "parcels");
    if (!in.enterprises.empty()) {
        data.enterprises = for_input(config, "enterprises", [&] {
            ReadOptions r = options_for(config, in.enterprises);
            r.target_crs = crs.wkt;
            const LayerUri uri = uri_of(in.enterprises);
            return read_layer(uri.path, uri.layer, r);
        });
    }
    if (!in.zones.empty()) data.zones = one(in.zones, GeometryKind::polygon, "zones");
    if (!in.parks.empty()) data.parks = one(in.parks, GeometryKind::polygon, "parks");
    if (!in.boundary.empty()) data.boundary = one(in.boundary, GeometryKind::polygon, "boundary");
    if (!in.od_origins.empty()) data.od_origins = one(in.od_origins, std::nullopt, "od_origins");
    if (!in.od_destinations.empty()) data.od_destinations = one(in.od_destinations, std::nullopt, "od_destinations");
    if (data.od_origins.has_value() != data.od_destinations.has_value())
        throw config_error("od_origins and od_destinations go together", ErrorContext{config.path, {}, {}, {}, "od_origins"});
    for (const auto& ref : in.barriers)
        for (auto& l : for_input(config, "barriers", [&] { return read_barriers(config, ref, crs); }))
            data.barriers.push_back(std::move(l));
    if (!in.skeleton.empty()) data.skeleton = SkeletonSpec::from_file(in.skeleton); // its own errors name its lines
    if (data.parcels && data.enterprises) data.method = landuse::load_method(in.method.empty() ? "zhejiang" : in.method);
    return data;
}

} // namespace plan
