// The study-level report of `plan metrics` (text and JSON with a stable key
// order) and its per-edge and per-node layers.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "metrics/report_json.hpp"
#include "plan/metrics.hpp"

namespace plan {
namespace {
using nlohmann::ordered_json;

template <class T>
ordered_json opt(const std::optional<T>& v) {
    return v ? ordered_json(*v) : ordered_json(nullptr);
}

std::string fmt_opt(const std::optional<double>& v, const char* f = "{:.3f}") {
    return v ? fmt::format(fmt::runtime(f), *v) : std::string("n/a");
}

std::string radius_key(double r) { return r > 0 ? fmt::format("r{:.0f}", r) : std::string("global"); }

/// The raw (not centreline-equivalent) density a target's figure stands beside.
std::optional<double> raw_value(const Densities& d, const DensityTarget& t) {
    if (t.trunk) return d.arterial_density;
    return t.road_class ? d.by_class[static_cast<int>(*t.road_class)] : d.road_density;
}

/// "8 km/km² min", "1-1.2 km/km²", "20 km/km² max".
std::string bounds_text(const DensityTarget& t) {
    if (t.min && t.max) return fmt::format("{:g}-{:g} km/km²", *t.min, *t.max);
    if (t.min) return fmt::format(">= {:g} km/km²", *t.min);
    return fmt::format("<= {:g} km/km²", *t.max);
}

std::string count(std::size_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); }
} // namespace

nlohmann::ordered_json indices_json(const ConnectivityIndices& x, double consolidate_tolerance) {
    ordered_json ix;
    ix["nodes"] = x.v;
    ix["edges"] = x.e;
    ix["components"] = x.p;
    ix["nodes_as_built"] = x.nodes_raw;
    ix["edges_as_built"] = x.edges_raw;
    ix["intersections"] = x.intersections;
    ix["intersections_consolidated"] = x.intersections_consolidated;
    ix["consolidate_tolerance_m"] = consolidate_tolerance;
    ix["dead_ends"] = x.dead_ends;
    ix["beta"] = x.beta;
    ix["mean_degree_J"] = x.mean_degree;
    ix["cyclomatic"] = x.cyclomatic;
    ix["alpha"] = opt(x.alpha);
    ix["gamma"] = opt(x.gamma);
    ix["meshedness_largest_component"] = opt(x.meshedness);
    ix["connected_node_ratio"] = opt(x.connected_node_ratio);
    ix["link_node_ratio"] = x.link_node_ratio;
    return ix;
}

nlohmann::ordered_json densities_json(const Densities& d, const std::string& area_type) {
    ordered_json dj;
    dj["area_basis"] = to_string(d.basis);
    dj["area_source"] = d.area_source;
    dj["area_type"] = area_type;
    dj["area_km2"] = d.basis == StudyArea::Basis::none ? ordered_json(nullptr) : ordered_json(d.area_km2);
    if (d.basis == StudyArea::Basis::built_up) {
        dj["area_rule"] = d.area_closing_m > 0
                              ? fmt::format("union of parcels closed by {:g} m (buffer +{:g} m then -{:g} m, 16 segments "
                                            "per quarter circle)",
                                            d.area_closing_m, d.area_closing_m, d.area_closing_m)
                              : std::string("union of parcels (no closing)");
        dj["area_closing_m"] = d.area_closing_m;
        dj["parcels_union_km2"] = d.parcels_union_km2;
    }
    dj["length_km"] = d.length_km;
    dj["length_km_centreline"] = d.length_km_centreline;
    dj["road_density"] = opt(d.road_density);
    dj["road_density_centreline"] = opt(d.road_density_centreline);
    dj["arterial_density"] = opt(d.arterial_density);
    dj["arterial_density_centreline"] = opt(d.arterial_density_centreline);
    // the same figures under an unambiguous name: 干线 = 快速路 + 主干路 (arterial_density is kept for compatibility)
    dj["trunk_density"] = opt(d.arterial_density);
    dj["trunk_density_centreline"] = opt(d.arterial_density_centreline);
    ordered_json bc;
    for (int c = 0; c < kRoadClassCount; ++c) {
        ordered_json one;
        one["length_km"] = d.length_km_by_class[c];
        one["length_km_centreline"] = d.length_km_centreline_by_class[c];
        one["density"] = opt(d.by_class[c]);
        one["density_centreline"] = opt(d.by_class_centreline[c]);
        bc[road_class_key(static_cast<RoadClass>(c))] = one;
    }
    dj["by_class"] = bc;
    dj["intersections"] = d.intersections;
    dj["intersections_consolidated"] = d.intersections_consolidated;
    dj["intersection_density"] = opt(d.intersection_density);
    dj["intersection_density_consolidated"] = opt(d.intersection_density_consolidated);
    dj["dead_ends"] = d.dead_ends;
    dj["dead_end_density"] = opt(d.dead_end_density);
    dj["dead_ends_per_100km"] = opt(d.dead_ends_per_100km);
    ordered_json checks = ordered_json::array();
    for (const auto& c : d.checks) {
        ordered_json one;
        one["key"] = c.target.key;
        one["class"] = c.target.trunk        ? ordered_json("trunk")
                       : c.target.road_class ? ordered_json(road_class_key(*c.target.road_class))
                                             : ordered_json(nullptr);
        one["min"] = opt(c.target.min);
        one["max"] = opt(c.target.max);
        one["value"] = c.value;
        one["judged_on"] = "centreline-equivalent length";
        one["value_raw"] = opt(raw_value(d, c.target));
        one["pass"] = c.pass ? ordered_json(*c.pass) : ordered_json(nullptr);
        one["reason"] = c.reason.empty() ? ordered_json(nullptr) : ordered_json(c.reason);
        one["source"] = c.target.label;
        checks.push_back(one);
    }
    dj["targets"] = checks;
    return dj;
}

nlohmann::ordered_json circuity_json(const CircuityResult& c) {
    ordered_json cj;
    cj["sampled"] = c.sampled;
    cj["pairs"] = c.pairs;
    cj["reachable"] = c.reachable;
    cj["unreachable"] = c.unreachable;
    cj["too_close"] = c.too_close;
    cj["mean"] = opt(c.mean);
    cj["median"] = opt(c.median);
    cj["p90"] = opt(c.p90);
    cj["ratio_of_sums"] = opt(c.ratio_of_sums);
    ordered_json hist = ordered_json::array();
    for (const auto& [upper, count] : c.histogram)
        hist.push_back({{"below", std::isfinite(upper) ? ordered_json(upper) : ordered_json(nullptr)}, {"pairs", count}});
    cj["histogram"] = hist;
    return cj;
}

std::string to_json(const MetricsReport& r) {
    ordered_json j;
    j["crs"] = r.crs;
    j["indices"] = indices_json(r.indices, r.consolidate_tolerance);

    j["density"] = densities_json(r.densities, r.area_type);

    j["od_circuity"] = circuity_json(r.circuity);

    const auto& o = r.osmnx;
    ordered_json oj;
    oj["n"] = o.n;
    oj["m"] = o.m;
    oj["k_avg"] = o.k_avg;
    oj["edge_length_total"] = o.edge_length_total;
    oj["edge_length_avg"] = o.edge_length_avg;
    oj["streets_per_node_avg"] = o.streets_per_node_avg;
    ordered_json counts, props;
    for (const auto& [k, v] : o.streets_per_node_counts) counts[std::to_string(k)] = v;
    for (const auto& [k, v] : o.streets_per_node_proportions) props[std::to_string(k)] = v;
    oj["streets_per_node_counts"] = counts;
    oj["streets_per_node_proportions"] = props;
    oj["intersection_count"] = o.intersection_count;
    oj["street_length_total"] = o.street_length_total;
    oj["street_segment_count"] = o.street_segment_count;
    oj["street_length_avg"] = o.street_length_avg;
    oj["circuity_avg"] = opt(o.circuity_avg);
    oj["self_loop_proportion"] = o.self_loop_proportion;
    if (o.clean_intersection_count) oj["clean_intersection_count"] = *o.clean_intersection_count;
    if (o.node_density_km) {
        oj["node_density_km"] = *o.node_density_km;
        oj["intersection_density_km"] = *o.intersection_density_km;
        oj["edge_density_km"] = *o.edge_density_km;
        oj["street_density_km"] = *o.street_density_km;
        if (o.clean_intersection_density_km) oj["clean_intersection_density_km"] = *o.clean_intersection_density_km;
    }
    j["osmnx"] = oj;
    return j.dump(2);
}

std::string to_text(const MetricsReport& r) {
    const auto& x = r.indices;
    const auto& d = r.densities;
    std::string t;
    t += fmt::format("CRS: {}\n", r.crs);
    t += fmt::format("nodes (intersections + ends): {}   links: {}   components: {}   (as built: {} nodes, {} edges)\n",
                     x.v, x.e, x.p, x.nodes_raw, x.edges_raw);
    t += fmt::format("intersections (>=3): {}   consolidated within {} m: {}   dead ends: {}\n", x.intersections,
                     r.consolidate_tolerance, x.intersections_consolidated, x.dead_ends);
    t += fmt::format("beta e/v: {:.3f}   连通度 J 2e/v: {:.3f}   cyclomatic mu: {}\n", x.beta, x.mean_degree, x.cyclomatic);
    t += fmt::format("alpha: {}   gamma: {}   meshedness (largest component): {}\n", fmt_opt(x.alpha), fmt_opt(x.gamma),
                     fmt_opt(x.meshedness));
    t += fmt::format("connected node ratio: {}   link-node ratio: {:.3f}\n", fmt_opt(x.connected_node_ratio),
                     x.link_node_ratio);
    if (d.basis == StudyArea::Basis::none) {
        t += fmt::format("area: none given (use --boundary or --parcels): no densities; length {:.2f} km "
                         "(centreline-equivalent {:.2f} km)\n",
                         d.length_km, d.length_km_centreline);
    } else {
        t += fmt::format("area: {:.3f} km² from the {} ({})\n", d.area_km2, to_string(d.basis), d.area_source);
        t += "  (the densities below are inside this area; the network figures above, nodes to dead ends, and the OD "
             "circuity are for the whole network read)\n";
        if (d.basis == StudyArea::Basis::built_up)
            t += d.area_closing_m > 0
                     ? fmt::format("  union of parcels {:.3f} km², closed by {:g} m (buffer +{:g} then -{:g} m) to take "
                                   "in the street space\n",
                                   d.parcels_union_km2, d.area_closing_m, d.area_closing_m, d.area_closing_m)
                     : fmt::format("  union of parcels, not closed (--closing 0)\n");
        t += fmt::format("road density: {:.2f} km/km² raw, {:.2f} centreline-equivalent ({:.2f} / {:.2f} km inside)\n",
                         *d.road_density, *d.road_density_centreline, d.length_km, d.length_km_centreline);
        t += fmt::format("trunk roads 干线 (快速路+主干路) density: {:.2f} raw, {:.2f} centreline-equivalent{}\n",
                         *d.arterial_density, *d.arterial_density_centreline,
                         d.classified ? "" : " (no classified roads: every road is class 'other')");
        for (int c = 0; c < kRoadClassCount; ++c)
            if (d.length_km_by_class[c] > 0)
                t += fmt::format("  {} ({}): {:.2f} km/km² ({:.2f} centreline)\n", road_class_label(static_cast<RoadClass>(c)),
                                 road_class_key(static_cast<RoadClass>(c)), *d.by_class[c], *d.by_class_centreline[c]);
        t += fmt::format("intersection density: {:.1f}/km² raw ({} inside), {:.1f}/km² consolidated ({}); dead ends "
                         "{} inside: {:.1f}/km², {}/100 km\n",
                         *d.intersection_density, d.intersections, *d.intersection_density_consolidated,
                         d.intersections_consolidated, d.dead_ends, *d.dead_end_density,
                         fmt_opt(d.dead_ends_per_100km, "{:.1f}"));
        for (const auto& c : d.checks)
            t += (c.pass ? fmt::format("  target {} {} (judged on centreline-equivalent length {:.2f}; raw {}): {}",
                                       target_label(c.target), bounds_text(c.target), c.value,
                                       fmt_opt(raw_value(d, c.target), "{:.2f}"), *c.pass ? "PASS" : "FAIL")
                         : fmt::format("  target {} {}: n/a ({})", target_label(c.target), bounds_text(c.target),
                                       c.reason)) +
                 (c.target.label.empty() ? std::string("\n") : fmt::format(" [{}]\n", c.target.label));
    }
    const auto& c = r.circuity;
    t += fmt::format("OD circuity (非直线系数), {}{}: mean {}, median {}, p90 {}; unreachable {}, too close {}\n",
                     count(c.pairs, "pair", "pairs"), c.sampled ? " (sampled)" : "", fmt_opt(c.mean), fmt_opt(c.median), fmt_opt(c.p90),
                     c.unreachable, c.too_close);
    const auto& o = r.osmnx;
    t += fmt::format("OSMnx basic_stats: n {} m {} k_avg {:.3f} intersection_count {} street_length_total {:.1f} m "
                     "circuity_avg {}\n",
                     o.n, o.m, o.k_avg, o.intersection_count, o.street_length_total, fmt_opt(o.circuity_avg, "{:.4f}"));
    return t;
}

std::vector<OutLayer> metrics_layers(const Network& net, const MetricsOptions& options, const CentralityResult* cen) {
    const auto weights = centreline_weights(net, options);
    std::vector<std::uint32_t> junction;
    bool any = false;
    for (NodeId v = 0; v < net.nodes().size(); ++v) any |= net.street_count(v) >= 3;
    if (any) junction = consolidate_intersections(net, options.consolidate_tolerance, 3);

    OutLayer edges{"edges", GeometryKind::line, false, {}, {}};
    edges.fields = {{"edge_id", FieldType::integer}, {"from_node", FieldType::integer}, {"to_node", FieldType::integer},
                    {"road_class", FieldType::string}, {"name", FieldType::string},
                    {"oneway", FieldType::string},   {"length_m", FieldType::real},     {"centreline_weight", FieldType::real}};
    OutLayer nodes{"nodes", GeometryKind::point, false, {}, {}};
    nodes.fields = {{"node_id", FieldType::integer}, {"street_count", FieldType::integer}, {"junction", FieldType::integer}};
    if (cen)
        for (const auto& r : cen->radii) {
            const std::string k = radius_key(r.radius);
            if (!r.edge_betweenness.empty()) edges.fields.push_back({"betweenness_" + k, FieldType::real});
            if (!r.node_betweenness.empty()) nodes.fields.push_back({"betweenness_" + k, FieldType::real});
            if (!r.harmonic.empty()) nodes.fields.push_back({"harmonic_" + k, FieldType::real});
        }
    for (EdgeId e = 0; e < net.edges().size(); ++e) {
        const Edge& ed = net.edge(e);
        if (ed.removed) continue;
        OutFeature f;
        f.geometry.kind = GeometryKind::line;
        f.geometry.lines.push_back(ed.geometry);
        f.values = {FieldValue{std::int64_t{e}}, FieldValue{std::int64_t{ed.from}}, FieldValue{std::int64_t{ed.to}},
                    FieldValue{std::string(road_class_key(ed.attributes.road_class))},
                    ed.attributes.name.empty() ? FieldValue{} : FieldValue{ed.attributes.name},
                    FieldValue{std::string(to_string(ed.attributes.oneway))}, FieldValue{ed.length}, FieldValue{weights[e]}};
        if (cen)
            for (const auto& r : cen->radii)
                if (!r.edge_betweenness.empty()) f.values.emplace_back(r.edge_betweenness[e]);
        edges.features.push_back(std::move(f));
    }
    for (NodeId v = 0; v < net.nodes().size(); ++v) {
        const int sc = net.street_count(v);
        if (sc == 0) continue;
        OutFeature f;
        f.geometry.kind = GeometryKind::point;
        f.geometry.points.push_back(net.node(v).position);
        f.values = {FieldValue{std::int64_t{v}}, FieldValue{std::int64_t{sc}},
                    !junction.empty() && junction[v] != kNoId ? FieldValue{std::int64_t{junction[v]}} : FieldValue{}};
        if (cen)
            for (const auto& r : cen->radii) {
                if (!r.node_betweenness.empty()) f.values.emplace_back(r.node_betweenness[v]);
                if (!r.harmonic.empty()) f.values.emplace_back(r.harmonic[v]);
            }
        nodes.features.push_back(std::move(f));
    }
    return {std::move(edges), std::move(nodes)};
}

} // namespace plan
