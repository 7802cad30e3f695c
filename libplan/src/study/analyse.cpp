// One analysis run of a study: the modules composed exactly as the
// subcommands compose them (plan network, plan metrics, plan skeleton,
// plan landuse), so that each JSON object equals the subcommand's --json.
#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/metrics_json.hpp"
#include "plan/network_build.hpp"
#include "plan/study.hpp"
#include "plan/zones.hpp"

namespace plan {

namespace {

std::vector<Polygon> polygons_of(const Layer& layer) {
    std::vector<Polygon> out;
    for (const auto& f : layer.features)
        for (const auto& p : f.geometry.polygons) out.push_back(p);
    return out;
}

/// The reference as written in the study file (falls back to the resolved one).
const std::string& label(const std::string& written, const std::string& resolved) {
    return written.empty() ? resolved : written;
}

/// Parcel centroids or points of a layer, named by `id_field` ("" = the feature id), as `plan metrics` reads them.
std::vector<AccessSite> sites_of(const Layer& layer, const std::string& id_field, const std::string& what) {
    const int id = id_field.empty() ? -1 : layer.require_field(id_field, what);
    std::vector<AccessSite> out;
    std::size_t skipped = 0;
    for (const auto& f : layer.features) {
        const auto p = site_position(f.geometry);
        if (!p) {
            ++skipped;
            continue;
        }
        out.push_back({id >= 0 ? to_text(f.values[static_cast<std::size_t>(id)]) : std::to_string(f.fid), *p});
    }
    if (skipped > 0)
        log::warn(fmt::format("{} {}: {} features are neither polygons nor points, skipped", what, layer.source, skipped));
    if (out.empty())
        throw input_error(fmt::format("{}: no polygon or point", what), ErrorContext{layer.source, layer.name});
    return out;
}

/// Zones of a polygon layer, as `plan metrics --zones` reads them.
std::vector<Zone> zones_of(const Layer& layer, const std::string& id_field, const std::string& name_field) {
    const int id = id_field.empty() ? -1 : layer.require_field(id_field, "zone_id_field");
    const int nm = name_field.empty() ? layer.field_index("name") : layer.require_field(name_field, "zone_name_field");
    std::vector<Zone> out;
    for (const auto& f : layer.features) {
        if (f.geometry.polygons.empty()) continue;
        Zone z;
        z.id = id >= 0 ? to_text(f.values[static_cast<std::size_t>(id)]) : std::to_string(f.fid);
        if (nm >= 0) z.name = to_text(f.values[static_cast<std::size_t>(nm)]);
        z.polygons = f.geometry.polygons;
        out.push_back(std::move(z));
    }
    if (out.empty()) throw input_error("zones: no polygon", ErrorContext{layer.source, layer.name});
    return out;
}

/// Appends to `into` the columns of `from` named by `wanted` (same features, same order).
void merge_columns(OutLayer& into, const OutLayer& from, bool (*wanted)(const std::string&)) {
    if (into.features.size() != from.features.size())
        throw processing_error(fmt::format("layer {}: {} features in the network layer, {} in the metrics layer",
                                           into.name, into.features.size(), from.features.size()));
    std::vector<std::size_t> take;
    for (std::size_t i = 0; i < from.fields.size(); ++i)
        if (wanted(from.fields[i].name)) {
            take.push_back(i);
            into.fields.push_back(from.fields[i]);
        }
    for (std::size_t k = 0; k < into.features.size(); ++k)
        for (const std::size_t i : take) into.features[k].values.push_back(from.features[k].values[i]);
}

bool metrics_column(const std::string& n) {
    return n == "centreline_weight" || n == "junction" || n.rfind("betweenness_", 0) == 0 || n.rfind("harmonic_", 0) == 0;
}

} // namespace

AnalysisResult analyse_network(const StudyConfig& config, const StudyData& data, const Network& net) {
    AnalysisResult r;
    DeadEndOptions dopt = config.options.dead_ends;
    if (data.boundary && dopt.study_area.empty()) dopt.study_area = polygons_of(*data.boundary);
    check_tolerances(dopt, net.extent());
    r.structure = analyse_structure(net);
    r.dead_ends = find_dead_ends(net, r.structure, dopt);
    return r;
}

AnalysisResult analyse(const StudyConfig& config, const StudyData& data, const Network& net, const Layer* parcels,
                       const Layer* enterprises, const std::function<void(const std::string&)>& on_step) {
    auto step = [&](const char* name) {
        if (on_step) on_step(name);
    };
    const StudyOptions& o = config.options;
    const StudyInputs& in = config.inputs;
    const StudyInputs& as_written = config.inputs_as_written;
    AnalysisResult r;

    // ---- plan network (--study-area = the boundary) -------------------------
    step("network");
    {
        AnalysisResult n = analyse_network(config, data, net);
        r.structure = std::move(n.structure);
        r.dead_ends = std::move(n.dead_ends);
    }
    r.network = summarise(net, r.structure, r.dead_ends, data.build_report);
    r.json["network"] = to_json(r.network, data.build_report);
    if (r.structure.components.size() > 1 && r.network.largest_component_share < 0.5)
        log::warn(fmt::format("the network is in {} pieces and the largest holds only {:.1f} % of the length: "
                              "check noding and snap",
                              r.structure.components.size(), 100 * r.network.largest_component_share));
    std::vector<OutLayer> layers = network_layers(net, r.structure, r.dead_ends);

    // ---- plan metrics (--boundary, else --parcels) --------------------------
    step("metrics");
    MetricsOptions mopt = o.metrics;
    if (!o.targets_file.empty()) mopt.targets = targets_from_toml(o.targets_file);
    StudyArea area;
    if (data.boundary)
        area = study_area_from_boundary(polygons_of(*data.boundary), label(as_written.boundary, in.boundary));
    else if (parcels)
        area = study_area_from_parcels(polygons_of(*parcels), label(as_written.parcels, in.parcels));
    if (area.basis != StudyArea::Basis::none) {
        Envelope ae;
        for (const auto& p : area.polygons)
            for (const auto& q : p.rings.empty() ? Ring{} : p.rings[0]) ae.expand(q);
        if (!ae.intersects(net.extent()))
            throw input_error(fmt::format("the {} does not overlap the road network", to_string(area.basis)),
                              ErrorContext{area.source}, "check that both layers cover the same place");
    } else {
        log::warn("no boundary or parcels: densities are not computed (the data's bounding box is never used)");
    }
    r.metrics.crs = net.crs().label();
    r.metrics.area_type = o.targets_file.empty() ? mopt.area_type : "custom (" + o.targets_file + ")";
    r.metrics.consolidate_tolerance = mopt.consolidate_tolerance;
    r.metrics.indices = connectivity_indices(net, mopt);
    r.metrics.densities = densities(net, area, mopt);
    r.metrics.osmnx = osmnx_basic_stats(net, area.area_m2, mopt.consolidate_tolerance);
    {
        CircuityOptions circ = o.circuity;
        circ.threads = o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
        r.metrics.circuity = od_circuity(net, circ);
    }

    std::optional<CentralityResult> cen;
    if (o.centrality) {
        step("centrality");
        CentralityOptions copt = o.centrality_options;
        copt.threads = o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
        cen = centrality(net, copt);
    }
    {
        const auto m = metrics_layers(net, mopt, cen ? &*cen : nullptr);
        merge_columns(layers[0], m[0], metrics_column); // edges
        merge_columns(layers[1], m[1], metrics_column); // nodes
    }

    std::optional<ZoneReport> zone_report;
    if (data.zones) {
        step("zones");
        zone_report = zone_metrics(net, zones_of(*data.zones, o.zone_id_field, o.zone_name_field), mopt);
        zone_report->source = label(as_written.zones, in.zones);
        if (data.zones->source_crs.known() && data.zones->source_crs.wkt != net.crs().wkt)
            zone_report->reprojected_from = data.zones->source_crs.label();
        // Zones off the network: one warning with the count and the first few
        // (a mismatched zones layer would otherwise print a line per zone); -v
        // lists each, the zones layer marks each (overlaps_network = 0).
        std::vector<std::string> off;
        for (const auto& z : zone_report->zones)
            if (!z.overlaps_network) off.push_back(z.zone.id + (z.zone.name.empty() ? "" : " (" + z.zone.name + ")"));
        if (!off.empty()) {
            std::string first;
            for (std::size_t i = 0; i < off.size() && i < 5; ++i) first += (i ? ", " : "") + off[i];
            if (off.size() > 5) first += fmt::format(" and {} more", off.size() - 5);
            const std::size_t n = zone_report->zones.size();
            if (off.size() == n)
                log::warn(fmt::format("none of the {} zone{} overlaps the road network ({}): check that the zones and "
                                      "the roads cover the same place and that the zones' CRS is right; overlaps_network "
                                      "= 0 in the zones layer",
                                      n, n == 1 ? "" : "s", first));
            else
                log::warn(fmt::format("{} of {} zones {} not overlap the road network: {}; they are kept with zero "
                                      "length (overlaps_network = 0 in the zones layer; -v lists each)",
                                      off.size(), n, off.size() == 1 ? "does" : "do", first));
            for (const auto& z : off) log::debug(fmt::format("zone {}: does not overlap the road network", z));
        }
        layers.push_back(zone_layer(*zone_report));
    }

    // The skeleton is matched once: accessibility measures each parcel's
    // distance to it, the skeleton step reports it.
    auto match_skeleton = [&] {
        if (r.skeleton || !data.skeleton) return;
        SkeletonInputs sin;
        for (const auto& b : data.barriers) sin.barriers.push_back(barrier_from_layer(b));
        if (parcels)
            for (const auto& f : parcels->features)
                if (!f.geometry.polygons.empty()) sin.parcels.push_back(f.geometry.polygons);
        r.skeleton = analyse_skeleton(net, *data.skeleton, sin);
    };

    std::optional<AccessReport> access;
    if (parcels && o.access_enabled) {
        step("access");
        const auto sites = sites_of(*parcels, o.access_id_field, "access_id_field");
        AccessOptions aopt = o.access;
        if (data.skeleton) {
            match_skeleton();
            aopt.skeleton_edges = skeleton_edge_ids(*r.skeleton);
            aopt.skeleton_name = data.skeleton->name.empty() ? label(as_written.skeleton, in.skeleton)
                                                             : data.skeleton->name;
        }
        access = accessibility(net, sites, {}, aopt);
        if (access->far > 0)
            log::warn(fmt::format("{} of {} parcels are more than {} m from any road (snap distance in the access "
                                  "layer, far_from_road = 1)",
                                  access->far, sites.size(), o.access.far_m));
        if (access->unreachable_class > 0)
            log::warn(fmt::format("{} parcels cannot reach a road of the classes [access] classes names (default: "
                                  "arterial): none in their part of the network, or none at all; check the classes "
                                  "the roads were given (summary.json: network.length_km_by_class)",
                                  access->unreachable_class));
        if (access->unreachable_skeleton > 0)
            log::warn(fmt::format("{} parcels cannot reach the skeleton: counted apart, not averaged",
                                  access->unreachable_skeleton));
        layers.push_back(access_layer(sites, *access));
        r.json["access"] = access_summary_json(*access);
    }

    std::optional<OdLayerCircuity> od;
    if (data.od_origins && data.od_destinations) {
        step("od");
        const auto from = sites_of(*data.od_origins, o.od_origin_id_field, "od origins");
        const auto to = sites_of(*data.od_destinations, o.od_name_field, "od destinations");
        od = od_circuity_layer(net, from, to, o.access.far_m);
        layers.push_back(od_pairs_layer(from, to, *od));
    }
    {
        // As `plan metrics --json` prints it: with the class filter's "network_build".
        auto metrics = nlohmann::ordered_json::parse(metrics_json(r.metrics, zone_report ? &*zone_report : nullptr,
                                                                  od ? &*od : nullptr, access ? &*access : nullptr));
        metrics["network_build"] = nlohmann::ordered_json::parse(network_build_json(data.build_report, o.build.classes));
        r.json["metrics"] = metrics.dump(2);
    }

    // ---- plan skeleton ------------------------------------------------------
    if (data.skeleton) {
        step("skeleton");
        match_skeleton();
        r.json["skeleton"] = to_json(*r.skeleton);
        for (auto& l : skeleton_layers(*r.skeleton)) layers.push_back(std::move(l));
    }

    // ---- plan landuse -------------------------------------------------------
    if (parcels && enterprises && data.method) {
        step("landuse");
        landuse::Inputs li;
        li.enterprises = enterprises;
        li.parcels = parcels;
        li.parcel_id_field = o.landuse.parcel_id_field;
        li.enterprise_parcel_field = o.landuse.enterprise_parcel_field;
        li.landuse_field = o.landuse.landuse_field;
        li.zone_field = o.landuse.zone_field;
        li.park_field = o.landuse.park_field;
        li.zones = data.zones ? &*data.zones : nullptr;
        li.parks = data.parks ? &*data.parks : nullptr;
        li.region_name_field = o.landuse.region_name_field;
        li.field_overrides = o.landuse.field_overrides;
        li.x_field = o.landuse.x_field;
        li.y_field = o.landuse.y_field;
        if (!o.landuse.xy_crs.empty()) li.xy_crs = crs_from_user(o.landuse.xy_crs);
        r.landuse = landuse::evaluate(*data.method, li);
        int problems = 0;
        for (const auto& i : r.landuse->issues) problems += i.severity == landuse::Severity::excluded;
        if (problems > 0)
            log::warn(fmt::format("land use: {} row(s) or parcel(s) not evaluated; see the issues in the summary",
                                  problems));
        r.json["landuse"] = landuse::summary_json(*r.landuse);
        for (auto& l : landuse::result_layers(*r.landuse, parcels, enterprises)) layers.push_back(std::move(l));
    }
    r.layers = std::move(layers);
    return r;
}

} // namespace plan
