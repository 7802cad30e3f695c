// Metrics per zone. Every edge segment is split where it meets a zone border;
// each piece goes, by its midpoint, to the first zone that covers it, and each
// node to the first zone that covers its position. Pieces never cross a
// border, so a midpoint decides for the whole piece and nothing is counted
// twice or lost between zones that share borders.
#include "plan/zones.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "metrics/density_tally.hpp"
#include "metrics/geos_ops.hpp"
#include "metrics/report_json.hpp"
#include "metrics/zone_locator.hpp"
#include "plan/error.hpp"

namespace plan {
namespace {

using zone_detail::ZoneLocator;

void check_size(double size, const char* kind) {
    if (!(size > 0) || !std::isfinite(size))
        throw usage_error(fmt::format("--grid {}: the cell size must be a positive number of metres", kind), {},
                          "write --grid square:500 or --grid hex:500");
}

} // namespace

std::vector<Zone> square_grid(const Envelope& extent, double size) {
    check_size(size, "square");
    if (extent.empty()) return {};
    const auto i0 = static_cast<std::int64_t>(std::floor(extent.minx / size));
    const auto j0 = static_cast<std::int64_t>(std::floor(extent.miny / size));
    const auto i1 = std::max(i0 + 1, static_cast<std::int64_t>(std::ceil(extent.maxx / size)));
    const auto j1 = std::max(j0 + 1, static_cast<std::int64_t>(std::ceil(extent.maxy / size)));
    if ((i1 - i0) * (j1 - j0) > 1'000'000)
        throw usage_error(fmt::format("--grid square:{}: more than a million cells", size), {}, "use larger cells");
    std::vector<Zone> out;
    for (std::int64_t j = j0; j < j1; ++j)
        for (std::int64_t i = i0; i < i1; ++i) {
            const double x0 = static_cast<double>(i) * size, x1 = static_cast<double>(i + 1) * size;
            const double y0 = static_cast<double>(j) * size, y1 = static_cast<double>(j + 1) * size;
            Zone z;
            z.id = fmt::format("r{}c{}", j - j0, i - i0);
            z.polygons.push_back(Polygon{{Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}});
            out.push_back(std::move(z));
        }
    return out;
}

std::vector<Zone> hex_grid(const Envelope& extent, double size) {
    check_size(size, "hex");
    if (extent.empty()) return {};
    // Pointy-top: centres `size` apart along a row, rows 1.5 R apart (R = size/√3,
    // the circumradius), odd rows shifted by size/2. Every vertex lies on the
    // lattice (k·size/2, m·R/2), computed from integers so neighbours share it exactly.
    const double half = size / 2, r = size / std::sqrt(3.0), quarter = r / 2;
    const auto m0 = static_cast<std::int64_t>(std::floor(extent.miny / (3 * quarter))) - 1;
    const auto m1 = static_cast<std::int64_t>(std::ceil(extent.maxy / (3 * quarter))) + 1;
    const auto k0 = static_cast<std::int64_t>(std::floor(extent.minx / size)) - 1;
    const auto k1 = static_cast<std::int64_t>(std::ceil(extent.maxx / size)) + 1;
    if ((m1 - m0) * (k1 - k0) > 1'000'000)
        throw usage_error(fmt::format("--grid hex:{}: more than a million cells", size), {}, "use larger cells");
    std::vector<Zone> out;
    for (std::int64_t row = m0; row <= m1; ++row)
        for (std::int64_t col = k0; col <= k1; ++col) {
            // centre at x = (2col + odd)·half, y = 3row·quarter, in lattice units
            // centre at x = (2col + odd row)·half, y = 3row·quarter
            const std::int64_t cx = 2 * col + (row & 1), my = 3 * row;
            const std::int64_t vx[6] = {cx + 1, cx + 1, cx, cx - 1, cx - 1, cx};
            const std::int64_t vy[6] = {my - 1, my + 1, my + 2, my + 1, my - 1, my - 2};
            Ring ring;
            Envelope env;
            for (int i = 0; i < 6; ++i) {
                ring.push_back({static_cast<double>(vx[i]) * half, static_cast<double>(vy[i]) * quarter});
                env.expand(ring.back());
            }
            ring.push_back(ring.front());
            if (!env.intersects(extent)) continue;
            Zone z;
            z.id = fmt::format("r{}c{}", row - m0, col - k0);
            z.polygons.push_back(Polygon{{std::move(ring)}});
            out.push_back(std::move(z));
        }
    return out;
}

std::vector<Zone> grid_from_spec(const std::string& spec, const Envelope& extent) {
    const auto colon = spec.find(':');
    const std::string kind = spec.substr(0, colon);
    double size = 0;
    std::size_t used = 0;
    if (colon != std::string::npos) {
        const std::string num = spec.substr(colon + 1);
        try {
            size = std::stod(num, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != num.size()) used = 0;
    }
    if ((kind != "square" && kind != "hex") || used == 0)
        throw usage_error(fmt::format("--grid: '{}' is not square:SIZE or hex:SIZE", spec), {},
                          "write --grid square:500 or --grid hex:500 (metres)");
    return kind == "square" ? square_grid(extent, size) : hex_grid(extent, size);
}

std::vector<Zone> clip_zones(const std::vector<Zone>& zones, const std::vector<Polygon>& area) {
    const AreaUnion inside(area);
    std::vector<Zone> out;
    for (const auto& z : zones) {
        Zone c{z.id, z.name, inside.clip(z.polygons)};
        if (c.polygons.empty()) continue; // the cell lies wholly outside the area
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::vector<double>> zone_edge_lengths(const Network& net, const std::vector<Zone>& zones) {
    std::vector<std::vector<double>> out(zones.size(), std::vector<double>(net.edges().size(), 0.0));
    if (zones.empty()) return out;
    const ZoneLocator locate(zones);
    for (EdgeId e = 0; e < net.edges().size(); ++e) {
        const Edge& ed = net.edge(e);
        if (ed.removed) continue;
        for (std::size_t i = 1; i < ed.geometry.size(); ++i)
            locate.split(ed.geometry[i - 1], ed.geometry[i], [&](std::uint32_t z, double m) { out[z][e] += m; });
    }
    return out;
}

ZoneReport zone_metrics(const Network& net, const std::vector<Zone>& zones, const MetricsOptions& opt) {
    ZoneReport rep;
    rep.consolidate_tolerance = opt.consolidate_tolerance;
    rep.area_type = opt.area_type;
    const std::size_t ne = net.edges().size(), nn = net.nodes().size();
    for (const Edge& e : net.edges())
        if (!e.removed) rep.length_km_network += e.length / 1000.0;
    if (zones.empty()) return rep;
    const ZoneLocator locate(zones);
    const auto lengths = zone_edge_lengths(net, zones);
    // nodes and edges (by the point half-way along) to their zone
    std::vector<std::uint32_t> node_zone(nn, kNoId), edge_zone(ne, kNoId);
    for (NodeId v = 0; v < nn; ++v)
        if (net.street_count(v) > 0) node_zone[v] = locate.zone_of(net.node(v).position);
    for (EdgeId e = 0; e < ne; ++e) {
        const Edge& ed = net.edge(e);
        if (ed.removed) continue;
        double walked = 0;
        const double target = ed.length / 2;
        Point mid = ed.geometry.front();
        for (std::size_t i = 1; i < ed.geometry.size(); ++i) {
            const double seg = distance(ed.geometry[i - 1], ed.geometry[i]);
            if (walked + seg >= target && seg > 0) {
                const double t = (target - walked) / seg;
                mid = {ed.geometry[i - 1].x + t * (ed.geometry[i].x - ed.geometry[i - 1].x),
                       ed.geometry[i - 1].y + t * (ed.geometry[i].y - ed.geometry[i - 1].y)};
                break;
            }
            walked += seg;
        }
        edge_zone[e] = locate.zone_of(mid);
    }
    std::vector<std::vector<EdgeId>> zone_edges(zones.size());
    for (EdgeId e = 0; e < ne; ++e)
        if (edge_zone[e] != kNoId) zone_edges[edge_zone[e]].push_back(e);
    const auto junction = intersection_junctions(net, opt);
    // a consolidated junction is counted in the zone of its first node (by id) in any zone
    std::vector<std::uint32_t> junction_zone;
    std::vector<char> junction_first(nn, 0);
    for (NodeId v = 0; v < nn; ++v) {
        if (junction.empty() || junction[v] == kNoId || node_zone[v] == kNoId) continue;
        const std::uint32_t j = junction[v];
        if (j >= junction_zone.size()) junction_zone.resize(j + 1, kNoId);
        if (junction_zone[j] == kNoId) { junction_zone[j] = node_zone[v]; junction_first[v] = 1; }
    }
    for (NodeId v = 0; v < nn; ++v) {
        const int sc = net.street_count(v);
        if ((sc == 1 || sc >= 3) && node_zone[v] == kNoId) ++rep.nodes_outside;
    }
    const auto weights = centreline_weights(net, opt);
    const bool classified = has_classified_roads(net);
    for (std::uint32_t z = 0; z < zones.size(); ++z) {
        ZoneMetrics m;
        m.zone = zones[z];
        StudyArea area;
        area.basis = StudyArea::Basis::zone;
        area.source = zones[z].id;
        area.area_m2 = locate.zone_area(z);
        m.area_km2 = area.area_m2 / 1e6;
        DensityInputs in;
        in.classified = classified;
        in.length_m = lengths[z];
        in.node_in.assign(nn, 0);
        in.junction_here.assign(nn, 0);
        for (NodeId v = 0; v < nn; ++v)
            if (node_zone[v] == z) { in.node_in[v] = 1; in.junction_here[v] = junction_first[v]; }
        m.densities = tally_densities(net, area, in, weights, opt);
        rep.length_km_in_zones += m.densities.length_km;
        // the zone's graph: the edges whose middle lies in it, copied with their ends
        Network own;
        own.set_crs(net.crs());
        std::unordered_map<NodeId, NodeId> copied;
        auto copy_node = [&](NodeId v) {
            const auto [it, added] = copied.try_emplace(v, kNoId);
            if (added) it->second = own.add_node(net.node(v).position);
            return it->second;
        };
        for (const EdgeId e : zone_edges[z]) {
            const Edge& ed = net.edge(e);
            const NodeId a = copy_node(ed.from), b = copy_node(ed.to);
            own.add_edge(a, b, ed.geometry, ed.attributes, ed.sources);
            ++m.edges;
        }
        if (m.edges > 0) m.indices = connectivity_indices(own, opt);
        bool any_node = false;
        for (NodeId v = 0; v < nn && !any_node; ++v) any_node = node_zone[v] == z;
        m.overlaps_network = m.densities.length_km > 0 || any_node;
        if (!m.overlaps_network) ++rep.zones_without_network;
        rep.zones.push_back(std::move(m));
    }
    return rep;
}

} // namespace plan

namespace plan {

std::string to_json(const ZoneReport& r) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["source"] = r.source;
    j["reprojected_from"] = r.reprojected_from.empty() ? ordered_json(nullptr) : ordered_json(r.reprojected_from);
    j["zone_count"] = r.zones.size();
    j["zones_without_network"] = r.zones_without_network;
    j["length_km_network"] = r.length_km_network;
    j["length_km_in_zones"] = r.length_km_in_zones;
    // to the millimetre: the difference of two sums of the same clipped lengths is otherwise float noise (1e-12)
    j["length_km_outside_zones"] = std::max(0.0, std::round((r.length_km_network - r.length_km_in_zones) * 1e6) / 1e6);
    j["nodes_outside_zones"] = r.nodes_outside;
    ordered_json list = ordered_json::array();
    for (const auto& z : r.zones) {
        ordered_json one;
        one["id"] = z.zone.id;
        one["name"] = z.zone.name.empty() ? ordered_json(nullptr) : ordered_json(z.zone.name);
        one["area_basis"] = "zone polygon";
        one["area_km2"] = z.area_km2;
        one["overlaps_network"] = z.overlaps_network;
        one["edges"] = z.edges;
        one["indices"] = z.indices ? indices_json(*z.indices, r.consolidate_tolerance) : ordered_json(nullptr);
        one["density"] = densities_json(z.densities, r.area_type);
        list.push_back(std::move(one));
    }
    j["zones"] = list;
    return j.dump(2);
}

OutLayer zone_layer(const ZoneReport& r) {
    OutLayer layer{"zones", GeometryKind::polygon, true, {}, {}};
    layer.fields = {{"zone_id", FieldType::string},        {"name", FieldType::string},
                    {"area_km2", FieldType::real},         {"overlaps_network", FieldType::integer},
                    {"edges", FieldType::integer},         {"length_km", FieldType::real},
                    {"length_km_centreline", FieldType::real}, {"road_density", FieldType::real},
                    {"road_density_centreline", FieldType::real}, {"arterial_density_centreline", FieldType::real},
                    {"trunk_density", FieldType::real}, {"trunk_density_centreline", FieldType::real},
                    {"intersections", FieldType::integer}, {"intersections_consolidated", FieldType::integer},
                    {"intersection_density", FieldType::real}, {"intersection_density_consolidated", FieldType::real},
                    {"dead_ends", FieldType::integer}, {"dead_end_density", FieldType::real},
                    {"dead_ends_per_100km", FieldType::real}, {"beta", FieldType::real},
                    {"mean_degree_J", FieldType::real},    {"cyclomatic", FieldType::integer},
                    {"alpha", FieldType::real},            {"gamma", FieldType::real},
                    {"meshedness", FieldType::real},       {"connected_node_ratio", FieldType::real}};
    // per class, raw and centreline-equivalent (the JSON's density.by_class)
    for (int c = 0; c < kRoadClassCount; ++c) {
        const std::string k = road_class_key(static_cast<RoadClass>(c));
        layer.fields.push_back({"density_" + k, FieldType::real});
        layer.fields.push_back({"density_" + k + "_centreline", FieldType::real});
    }
    for (const auto& c : r.zones.empty() ? std::vector<DensityCheck>{} : r.zones.front().densities.checks)
        layer.fields.push_back({"pass_" + c.target.key, FieldType::integer});
    auto real = [](const std::optional<double>& v) { return v ? FieldValue{*v} : FieldValue{}; };
    for (const auto& z : r.zones) {
        OutFeature f;
        f.geometry.kind = GeometryKind::polygon;
        f.geometry.polygons = z.zone.polygons;
        const auto& d = z.densities;
        const auto& x = z.indices;
        f.values = {FieldValue{z.zone.id},
                    z.zone.name.empty() ? FieldValue{} : FieldValue{z.zone.name},
                    FieldValue{z.area_km2},
                    FieldValue{std::int64_t{z.overlaps_network}},
                    FieldValue{static_cast<std::int64_t>(z.edges)},
                    FieldValue{d.length_km},
                    FieldValue{d.length_km_centreline},
                    real(d.road_density),
                    real(d.road_density_centreline),
                    real(d.arterial_density_centreline),
                    real(d.arterial_density),
                    real(d.arterial_density_centreline),
                    FieldValue{static_cast<std::int64_t>(d.intersections)},
                    FieldValue{static_cast<std::int64_t>(d.intersections_consolidated)},
                    real(d.intersection_density),
                    real(d.intersection_density_consolidated),
                    FieldValue{static_cast<std::int64_t>(d.dead_ends)},
                    real(d.dead_end_density),
                    real(d.dead_ends_per_100km),
                    x ? FieldValue{x->beta} : FieldValue{},
                    x ? FieldValue{x->mean_degree} : FieldValue{},
                    x ? FieldValue{x->cyclomatic} : FieldValue{},
                    x ? real(x->alpha) : FieldValue{},
                    x ? real(x->gamma) : FieldValue{},
                    x ? real(x->meshedness) : FieldValue{},
                    x ? real(x->connected_node_ratio) : FieldValue{}};
        for (int c = 0; c < kRoadClassCount; ++c) {
            f.values.push_back(real(d.by_class[c]));
            f.values.push_back(real(d.by_class_centreline[c]));
        }
        for (const auto& c : d.checks) f.values.push_back(c.pass ? FieldValue{std::int64_t{*c.pass}} : FieldValue{});
        layer.features.push_back(std::move(f));
    }
    return layer;
}

} // namespace plan
