// Graph indices, densities against targets and OSMnx's basic_stats.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "metrics/density_tally.hpp"
#include "metrics/zone_locator.hpp"
#include "metrics/geos_ops.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/metrics.hpp"

namespace plan {
namespace {

constexpr double kPi = 3.14159265358979323846;

/// Union-find over node ids.
struct Components {
    std::vector<NodeId> parent;
    explicit Components(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), NodeId{0}); }
    NodeId find(NodeId x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }
    void join(NodeId a, NodeId b) {
        a = find(a); b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
};

/// Point and unit tangent at a distance along a line.
std::pair<Point, Point> along(const LineString& line, double at) {
    double walked = 0;
    for (std::size_t i = 1; i < line.size(); ++i) {
        const double seg = distance(line[i - 1], line[i]);
        if (seg <= 0) continue;
        if (walked + seg >= at || i + 1 == line.size()) {
            const double t = std::clamp((at - walked) / seg, 0.0, 1.0);
            const Point p{line[i - 1].x + t * (line[i].x - line[i - 1].x), line[i - 1].y + t * (line[i].y - line[i - 1].y)};
            return {p, Point{(line[i].x - line[i - 1].x) / seg, (line[i].y - line[i - 1].y) / seg}};
        }
        walked += seg;
    }
    return {line.empty() ? Point{} : line.front(), Point{0, 0}};
}

/// Nearest distance from p to a line, and the unit direction of the nearest segment.
std::pair<double, Point> nearest(const LineString& line, const Point& p) {
    double best = std::numeric_limits<double>::infinity();
    Point dir{0, 0};
    for (std::size_t i = 1; i < line.size(); ++i) {
        const double d = point_segment_distance(p, line[i - 1], line[i]);
        const double seg = distance(line[i - 1], line[i]);
        if (d < best && seg > 0) {
            best = d;
            dir = Point{(line[i].x - line[i - 1].x) / seg, (line[i].y - line[i - 1].y) / seg};
        }
    }
    return {best, dir};
}

double travel_sign(const Edge& e) { return e.attributes.oneway == Oneway::backward ? -1.0 : 1.0; }

} // namespace

const char* to_string(StudyArea::Basis basis) {
    switch (basis) {
    case StudyArea::Basis::none: return "none";
    case StudyArea::Basis::boundary: return "boundary";
    case StudyArea::Basis::built_up: return "built-up area (union of parcels)";
    case StudyArea::Basis::zone: return "zone";
    }
    return "none";
}

namespace {
StudyArea make_area(const std::vector<Polygon>& polygons, std::string source, StudyArea::Basis basis) {
    StudyArea a;
    a.basis = basis;
    a.polygons = polygons;
    a.source = std::move(source);
    a.area_m2 = polygons.empty() ? 0.0 : AreaUnion(polygons).area();
    if (!(a.area_m2 > 0))
        throw input_error(fmt::format("the {} polygons have no area", to_string(basis)), ErrorContext{a.source});
    return a;
}
} // namespace

StudyArea study_area_from_boundary(const std::vector<Polygon>& polygons, std::string source) {
    return make_area(polygons, std::move(source), StudyArea::Basis::boundary);
}
StudyArea study_area_from_parcels(const std::vector<Polygon>& parcels, std::string source, double closing_m) {
    if (!(closing_m >= 0) || !std::isfinite(closing_m))
        throw usage_error(fmt::format("the closing of the built-up area must be 0 or more metres, not {}", closing_m));
    StudyArea a;
    a.basis = StudyArea::Basis::built_up;
    a.source = std::move(source);
    a.closing_m = closing_m;
    if (!parcels.empty()) {
        const AreaUnion u(parcels, closing_m);
        a.polygons = closing_m > 0 ? u.polygons() : parcels;
        a.area_m2 = u.area();
        a.parcels_union_m2 = u.union_area();
    }
    if (!(a.area_m2 > 0))
        throw input_error(fmt::format("the {} polygons have no area", to_string(a.basis)), ErrorContext{a.source});
    return a;
}

std::vector<int> osmnx_street_counts(const Network& net) {
    const auto& nodes = net.nodes();
    std::vector<int> count(nodes.size(), 0);
    std::vector<char> has_loop(nodes.size(), 0);
    // arcs each way between an unordered pair: OSMnx's undirected view pairs the
    // k-th arc u->v with the k-th arc v->u, so a pair holds max(forward, backward) streets
    std::unordered_map<std::uint64_t, std::pair<int, int>> arcs;
    for (const Edge& e : net.edges()) {
        if (e.removed) continue;
        if (e.from == e.to) { has_loop[e.from] = 1; continue; }
        const bool low_first = e.from < e.to;
        const std::uint64_t key = (std::uint64_t{std::min(e.from, e.to)} << 32) | std::max(e.from, e.to);
        auto& c = arcs[key];
        const bool fwd = e.attributes.oneway != Oneway::backward, bwd = e.attributes.oneway != Oneway::forward;
        if (fwd) ++(low_first ? c.first : c.second);
        if (bwd) ++(low_first ? c.second : c.first);
    }
    for (const auto& [key, c] : arcs) {
        const int streets = std::max(c.first, c.second);
        count[static_cast<NodeId>(key >> 32)] += streets;
        count[static_cast<NodeId>(key & 0xFFFFFFFFu)] += streets;
    }
    for (std::size_t v = 0; v < nodes.size(); ++v)
        if (has_loop[v]) count[v] += 2; // OSMnx keeps one (u, u) per node, counted at both ends
    return count;
}

std::vector<std::uint32_t> consolidate_intersections(const Network& net, double tolerance, int min_streets,
                                                     std::size_t* junctions) {
    if (!(tolerance > 0)) throw usage_error(fmt::format("the consolidation tolerance must be positive, not {}", tolerance));
    const std::vector<int> sc = min_streets == 2 ? osmnx_street_counts(net) : std::vector<int>{};
    std::vector<Point> pts;
    std::vector<NodeId> ids;
    for (NodeId v = 0; v < net.nodes().size(); ++v) {
        const int s = min_streets == 2 ? sc[v] : net.street_count(v);
        if (s >= min_streets) { pts.push_back(net.node(v).position); ids.push_back(v); }
    }
    std::vector<std::uint32_t> out(net.nodes().size(), kNoId);
    const auto part = merge_discs(pts, tolerance, junctions);
    for (std::size_t i = 0; i < ids.size(); ++i) out[ids[i]] = part[i];
    return out;
}

OsmnxStats osmnx_basic_stats(const Network& net, double area_m2, double clean_int_tol) {
    OsmnxStats s;
    const std::vector<int> spn = osmnx_street_counts(net);
    int max_spn = 0;
    long total_spn = 0;
    for (NodeId v = 0; v < net.nodes().size(); ++v) {
        if (net.street_count(v) == 0) continue; // not in OSMnx's graph
        ++s.n;
        total_spn += spn[v];
        max_spn = std::max(max_spn, spn[v]);
        if (spn[v] >= 2) ++s.intersection_count;
    }
    for (int i = 0; i <= max_spn; ++i) s.streets_per_node_counts[i] = 0;
    for (NodeId v = 0; v < net.nodes().size(); ++v)
        if (net.street_count(v) > 0) ++s.streets_per_node_counts[spn[v]];
    double straight = 0, loops = 0;
    for (const Edge& e : net.edges()) {
        if (e.removed) continue;
        const std::size_t arcs = e.attributes.oneway == Oneway::both ? 2 : 1;
        s.m += arcs;
        s.edge_length_total += static_cast<double>(arcs) * e.length;
        ++s.street_segment_count;
        s.street_length_total += e.length;
        straight += distance(net.node(e.from).position, net.node(e.to).position);
        if (e.from == e.to) ++loops;
    }
    if (s.n == 0) throw input_error("the network has no edge: no OSMnx statistics");
    const double n = static_cast<double>(s.n);
    s.k_avg = 2.0 * static_cast<double>(s.m) / n;
    s.edge_length_avg = s.edge_length_total / static_cast<double>(s.m);
    s.streets_per_node_avg = static_cast<double>(total_spn) / n;
    for (const auto& [k, c] : s.streets_per_node_counts) s.streets_per_node_proportions[k] = static_cast<double>(c) / n;
    s.street_length_avg = s.street_length_total / static_cast<double>(s.street_segment_count);
    if (straight > 0) s.circuity_avg = s.street_length_total / straight;
    s.self_loop_proportion = loops / static_cast<double>(s.street_segment_count);
    if (clean_int_tol > 0) {
        std::size_t parts = 0;
        consolidate_intersections(net, clean_int_tol, 2, &parts);
        s.clean_intersection_count = parts;
    }
    if (area_m2 > 0) {
        const double km2 = area_m2 / 1e6;
        s.node_density_km = n / km2;
        s.intersection_density_km = static_cast<double>(s.intersection_count) / km2;
        s.edge_density_km = s.edge_length_total / km2;
        s.street_density_km = s.street_length_total / km2;
        if (s.clean_intersection_count) s.clean_intersection_density_km = static_cast<double>(*s.clean_intersection_count) / km2;
    }
    return s;
}

std::vector<double> centreline_weights(const Network& net, const MetricsOptions& opt) {
    const auto& edges = net.edges();
    std::vector<double> w(edges.size(), 0.0);
    const double max_dot = -std::cos(opt.dual_carriageway_angle * kPi / 180.0);
    const double reach = opt.dual_carriageway_distance;
    for (EdgeId e = 0; e < edges.size(); ++e) {
        const Edge& ed = edges[e];
        if (ed.removed) continue;
        w[e] = 1.0;
        if (ed.attributes.oneway == Oneway::both || ed.self_loop() || ed.length <= 0) continue;
        auto [mid, dir] = along(ed.geometry, ed.length / 2);
        const double se = travel_sign(ed);
        Envelope box;
        box.expand(Point{mid.x - reach, mid.y - reach});
        box.expand(Point{mid.x + reach, mid.y + reach});
        for (EdgeId f : net.edges_in(box)) {
            const Edge& fd = edges[f];
            if (f == e || fd.attributes.oneway == Oneway::both || fd.self_loop()) continue;
            if (fd.attributes.road_class != ed.attributes.road_class) continue;
            if (!ed.attributes.name.empty() && !fd.attributes.name.empty() && ed.attributes.name != fd.attributes.name)
                continue;
            auto [d, fdir] = nearest(fd.geometry, mid);
            if (d > reach) continue;
            const double dot = se * travel_sign(fd) * (dir.x * fdir.x + dir.y * fdir.y);
            if (dot <= max_dot) { w[e] = 0.5; break; }
        }
    }
    return w;
}

ConnectivityIndices connectivity_indices(const Network& net, const MetricsOptions& opt) {
    ConnectivityIndices x;
    const std::size_t nn = net.nodes().size();
    Components comp(nn);
    for (const Edge& e : net.edges())
        if (!e.removed) comp.join(e.from, e.to);
    // per component: live nodes, nodes of street count 2, edges, length
    struct Part { std::size_t nodes = 0, pass = 0, edges = 0; double length = 0; NodeId first = kNoId; };
    std::unordered_map<NodeId, Part> parts;
    std::size_t d2 = 0;
    for (NodeId v = 0; v < nn; ++v) {
        const int sc = net.street_count(v);
        if (sc == 0) continue;
        ++x.nodes_raw;
        Part& p = parts[comp.find(v)];
        ++p.nodes;
        p.first = std::min(p.first, v);
        if (sc == 2) { ++d2; ++p.pass; }
        if (sc >= 3) ++x.intersections;
        if (sc == 1) ++x.dead_ends;
    }
    for (const Edge& e : net.edges()) {
        if (e.removed) continue;
        ++x.edges_raw;
        Part& p = parts[comp.find(e.from)];
        ++p.edges;
        p.length += e.length;
    }
    // contracting a pass-through node removes one node and one edge; a pure
    // ring keeps one node and one loop
    std::size_t rings = 0;
    const Part* largest = nullptr;
    for (const auto& [root, p] : parts) {
        if (p.pass == p.nodes) ++rings;
        if (!largest || p.length > largest->length || (p.length == largest->length && p.first < largest->first))
            largest = &p;
    }
    x.p = parts.size();
    x.v = x.nodes_raw - d2 + rings;
    x.e = x.edges_raw - d2 + rings;
    if (x.v == 0) throw input_error("the network has no edge: no connectivity indices");
    const double v = static_cast<double>(x.v), e = static_cast<double>(x.e), p = static_cast<double>(x.p);
    x.beta = e / v;
    x.mean_degree = 2 * e / v;
    x.link_node_ratio = e / v;
    x.cyclomatic = static_cast<std::int64_t>(x.e) - static_cast<std::int64_t>(x.v) + static_cast<std::int64_t>(x.p);
    if (2 * v - 5 * p > 0) x.alpha = static_cast<double>(x.cyclomatic) / (2 * v - 5 * p);
    if (x.v > 2) x.gamma = e / (3 * (v - 2));
    if (largest) {
        const double lv = static_cast<double>(largest->nodes - largest->pass + (largest->pass == largest->nodes ? 1 : 0));
        const double le = static_cast<double>(largest->edges - largest->pass + (largest->pass == largest->nodes ? 1 : 0));
        if (2 * lv - 5 > 0) x.meshedness = (le - lv + 1) / (2 * lv - 5);
    }
    if (x.intersections + x.dead_ends > 0)
        x.connected_node_ratio =
            static_cast<double>(x.intersections) / static_cast<double>(x.intersections + x.dead_ends);
    std::size_t junctions = 0;
    if (x.intersections > 0) consolidate_intersections(net, opt.consolidate_tolerance, 3, &junctions);
    x.intersections_consolidated = junctions;
    return x;
}

std::vector<double> length_inside(const Network& net, const std::vector<Polygon>& polygons) {
    std::vector<double> out(net.edges().size(), 0.0);
    const AreaUnion area(polygons);
    for (EdgeId e = 0; e < net.edges().size(); ++e)
        if (!net.edge(e).removed) out[e] = area.length_inside(net.edge(e).geometry);
    return out;
}

std::vector<std::uint32_t> intersection_junctions(const Network& net, const MetricsOptions& opt) {
    for (NodeId v = 0; v < net.nodes().size(); ++v)
        if (net.street_count(v) >= 3) return consolidate_intersections(net, opt.consolidate_tolerance, 3);
    return {};
}

namespace {
/// Why a class target is not judged on a network without road classes.
constexpr const char* kNoClassifiedRoads = "no classified roads: every road is class 'other'";
} // namespace

bool has_classified_roads(const Network& net) {
    for (const Edge& ed : net.edges())
        if (!ed.removed && ed.attributes.road_class != RoadClass::other) return true;
    return false;
}

Densities tally_densities(const Network& net, const StudyArea& area, const DensityInputs& in,
                          const std::vector<double>& weights, const MetricsOptions& opt) {
    Densities d;
    d.classified = in.classified;
    d.basis = area.basis;
    d.area_source = area.source;
    d.area_km2 = area.area_m2 / 1e6;
    d.area_closing_m = area.closing_m;
    d.parcels_union_km2 = area.parcels_union_m2 / 1e6;
    const bool has_area = area.basis != StudyArea::Basis::none && area.area_m2 > 0;
    for (EdgeId e = 0; e < net.edges().size(); ++e) {
        const Edge& ed = net.edge(e);
        if (ed.removed) continue;
        const double len = in.length_m[e] / 1000.0;
        const int c = static_cast<int>(ed.attributes.road_class);
        d.length_km += len;
        d.length_km_centreline += len * weights[e];
        d.length_km_by_class[c] += len;
        d.length_km_centreline_by_class[c] += len * weights[e];
    }
    for (NodeId v = 0; v < net.nodes().size(); ++v) {
        const int sc = net.street_count(v);
        if ((sc != 1 && sc < 3) || !in.node_in[v]) continue;
        if (sc == 1) { ++d.dead_ends; continue; }
        ++d.intersections;
        if (in.junction_here[v]) ++d.intersections_consolidated;
    }
    if (d.length_km > 0) d.dead_ends_per_100km = static_cast<double>(d.dead_ends) / (d.length_km / 100.0);
    if (!has_area) return d;
    const double km2 = d.area_km2;
    d.road_density = d.length_km / km2;
    d.road_density_centreline = d.length_km_centreline / km2;
    const int ex = static_cast<int>(RoadClass::expressway), ar = static_cast<int>(RoadClass::arterial);
    d.arterial_density = (d.length_km_by_class[ex] + d.length_km_by_class[ar]) / km2;
    d.arterial_density_centreline = (d.length_km_centreline_by_class[ex] + d.length_km_centreline_by_class[ar]) / km2;
    for (int c = 0; c < kRoadClassCount; ++c) {
        d.by_class[c] = d.length_km_by_class[c] / km2;
        d.by_class_centreline[c] = d.length_km_centreline_by_class[c] / km2;
    }
    d.intersection_density = static_cast<double>(d.intersections) / km2;
    d.intersection_density_consolidated = static_cast<double>(d.intersections_consolidated) / km2;
    d.dead_end_density = static_cast<double>(d.dead_ends) / km2;
    for (const auto& t : opt.targets) {
        DensityCheck c;
        c.target = t;
        c.value = t.trunk        ? d.arterial_density_centreline.value_or(0.0)
                  : t.road_class ? *d.by_class_centreline[static_cast<int>(*t.road_class)]
                                 : *d.road_density_centreline;
        if ((t.road_class || t.trunk) && !in.classified)
            c.reason = kNoClassifiedRoads;
        else
            c.pass = (!t.min || c.value >= *t.min) && (!t.max || c.value <= *t.max);
        d.checks.push_back(std::move(c));
    }
    return d;
}

Densities densities(const Network& net, const StudyArea& area, const MetricsOptions& opt) {
    const bool has_area = area.basis != StudyArea::Basis::none && area.area_m2 > 0;
    // The study area is located by the zones' rule (zone_locator.hpp): a piece
    // of road or a node within 1 cm of the area counts as inside, so zones that
    // tile the area add up to its figures and a road ending a hair outside the
    // boundary is not lost.
    std::optional<zone_detail::ZoneLocator> inside;
    if (has_area) inside.emplace(std::vector<Zone>{Zone{{}, {}, area.polygons}});
    DensityInputs in;
    in.classified = has_classified_roads(net);
    in.length_m.assign(net.edges().size(), 0.0);
    for (EdgeId e = 0; e < net.edges().size(); ++e) {
        const Edge& ed = net.edge(e);
        if (ed.removed) continue;
        if (!inside) {
            in.length_m[e] = ed.length;
            continue;
        }
        double m = 0;
        const auto& g = ed.geometry;
        for (std::size_t i = 1; i < g.size(); ++i) inside->split(g[i - 1], g[i], [&](std::uint32_t, double len) { m += len; });
        in.length_m[e] = m;
    }
    if (inside && area.basis == StudyArea::Basis::built_up) {
        double within = 0, total = 0;
        for (EdgeId e = 0; e < net.edges().size(); ++e)
            if (!net.edge(e).removed) within += in.length_m[e], total += net.edge(e).length;
        // Parcels usually stop at the kerb: their plain union leaves the street
        // space out, which the closing takes back in. When little road still
        // lies inside (no closing, or streets wider than the closing spans, or
        // parcels that cover only part of the network), say so rather than
        // print a density near 0.
        if (total > 0 && within < 0.25 * total)
            log::warn(fmt::format("only {:.1f} % of the road length lies inside the built-up area (union of the parcels{}): "
                                  "parcels leave the street space out, so densities on this area undercount roads; "
                                  "close the union over wider streets (--closing M) or give the study boundary "
                                  "(--boundary) instead",
                                  100.0 * within / total,
                                  area.closing_m > 0 ? fmt::format(" closed by {:g} m", area.closing_m) : std::string(", not closed")));
    }
    const auto junction = intersection_junctions(net, opt);
    in.node_in.assign(net.nodes().size(), 0);
    in.junction_here.assign(net.nodes().size(), 0);
    std::vector<char> seen_junction;
    for (NodeId v = 0; v < net.nodes().size(); ++v) {
        const int sc = net.street_count(v);
        if (sc != 1 && sc < 3) continue;
        if (inside && inside->zone_of(net.node(v).position) == kNoId) continue;
        in.node_in[v] = 1;
        if (sc == 1) continue;
        const std::uint32_t j = junction[v];
        if (j >= seen_junction.size()) seen_junction.resize(j + 1, 0);
        if (!seen_junction[j]) { seen_junction[j] = 1; in.junction_here[v] = 1; }
    }
    return tally_densities(net, area, in, centreline_weights(net, opt), opt);
}

} // namespace plan
